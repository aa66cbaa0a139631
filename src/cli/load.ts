/**
 * Loading a case for a command: validate the files, then bring their evidence into the
 * ledger (idempotent, all or nothing) and read the ledger back. Invalid cases never
 * touch the ledger.
 *
 * With a store (the default): the folder's items are appended to the store's ledger and
 * the case's whole ledger is assessed. Drift between the two is warned about, never
 * silently assessed (see `src/adapters/ledger-drift.ts` and docs/ledger.md):
 * - entries the ledger holds that are not in the folder (an earlier experiment, the
 *   server) are named; they are assessed with the folder's items;
 * - a folder item stored with other content (a typo fixed in place) is named and not
 *   appended: the stored entry is the record and is assessed, until `proviso correct`
 *   records the folder's version as a correction superseding it. Every other folder item
 *   is appended as before, in one atomic batch.
 *
 * With `scratch`: the folder alone, on a private in-memory ledger, and the case's data
 * files in a private in-memory series store; the store folder is neither read nor written
 * (nor created). Event indicators have no data then, and a warning says so.
 */
import { join, resolve } from 'node:path';
import { loadCase } from '../adapters/case-files/load-case.ts';
import { type LedgerDrift, ledgerDrift, NO_DRIFT } from '../adapters/ledger-drift.ts';
import { compareIds } from '../adapters/ledger-rules.ts';
import type { Case } from '../core/case-model.ts';
import type { Evidence } from '../core/evidence.ts';
import { type SeriesCoverage, type SeriesInputs, seriesIndicators } from '../core/series.ts';
import { unreadFindings } from '../core/unread-findings.ts';
import type { LedgerConflict, LedgerStore } from '../ports/ledger-store.ts';
import { CliError, type Effects, EXIT } from './effects.ts';
import { DEFAULT_STORE, LEDGER_FILE, SCRATCH_LEDGER } from './options.ts';
import { conflictProblems } from './problems.ts';
import { loadSeriesInputs } from './series-inputs.ts';
import { driftWarnings, listIds, shownPath, unreadFindingWarning, type Warn, type Warning, warnTo } from './warnings.ts';

export interface LoadedForCommand {
  readonly case: Case;
  readonly ledger: readonly Evidence[];
  readonly import: { readonly added: number; readonly unchanged: number };
  /** The ledger file; `SCRATCH_LEDGER` in scratch mode. */
  readonly storePath: string;
  readonly storeDir: string;
  readonly series: SeriesInputs;
  readonly coverage: SeriesCoverage;
  /** True when the command ran on the folder alone, with nothing of the store read or written. */
  readonly scratch: boolean;
  /** How the folder and the ledger differ (none in scratch mode). */
  readonly drift: LedgerDrift;
}

export interface LoadOptions {
  /** Run on the folder alone: an in-memory ledger and series store, the store folder untouched. */
  readonly scratch?: boolean;
  /** Where warnings go; text lines on stderr by default. */
  readonly warn?: Warn;
}

export async function loadValidCase(
  dir: string,
  effects: Effects,
): Promise<{ case: Case; evidence: Evidence[]; files: string[] }> {
  const result = await loadCase(dir);
  if (!result.ok) {
    throw new CliError(
      `${result.problems.length} problem${result.problems.length === 1 ? '' : 's'} in ${dir}; nothing was written to the ledger.`,
      EXIT.problems,
      'invalid-case',
      { problems: result.problems },
    );
  }
  void effects;
  return { case: result.case, evidence: result.evidence, files: result.files };
}

export async function loadCaseWithLedger(
  dir: string,
  store: string | undefined,
  effects: Effects,
  options: LoadOptions = {},
): Promise<LoadedForCommand> {
  const loaded = await loadValidCase(dir, effects);
  const warn = options.warn ?? warnTo(effects);
  const result = await loadLedger(dir, loaded, store, effects, options, warn);
  const unread = unreadFindingWarning(unreadFindings(result.case, result.ledger));
  if (unread !== undefined) warn(unread);
  return result;
}

async function loadLedger(
  dir: string,
  loaded: { case: Case; evidence: Evidence[] },
  store: string | undefined,
  effects: Effects,
  options: LoadOptions,
  warn: Warn,
): Promise<LoadedForCommand> {
  if (options.scratch === true) return loadScratch(dir, loaded, effects, warn);
  const storeDir = resolve(effects.cwd, store ?? DEFAULT_STORE);
  const storePath = join(storeDir, LEDGER_FILE);
  const ledger = await effects.openLedger(storePath);
  try {
    const appended = await appendFolderItems(ledger, loaded.case.id, loaded.evidence, (conflicts) =>
      conflictError(conflicts, dir, `The ledger at ${storePath} was left as it was.`),
    );
    const ctx = { caseId: loaded.case.id, folder: dir, ledger: shownPath(storePath, effects.cwd), store };
    for (const w of driftWarnings(appended.drift, ctx)) warn(w);
    try {
      await effects.importCaseData?.(dir, storeDir);
    } catch (err) {
      throw new CliError(`case data: ${(err as Error).message}`, EXIT.problems, 'invalid-data');
    }
    const { series, coverage } = await loadSeriesInputs(loaded.case, storeDir, effects);
    return {
      case: loaded.case,
      ledger: appended.entries,
      import: { added: appended.added, unchanged: appended.unchanged },
      storePath,
      storeDir,
      series,
      coverage,
      scratch: false,
      drift: appended.drift,
    };
  } finally {
    await ledger.close();
  }
}

function conflictError(conflicts: readonly LedgerConflict[], dir: string, outcome: string): CliError {
  return new CliError(
    `${outcome} Record a change as a new entry that supersedes the old one; to try the folder alone, add --scratch; to start a fresh ledger, pass --store with a new folder.`,
    EXIT.problems,
    'ledger-conflict',
    { problems: conflictProblems(conflicts, join(dir, 'evidence')) },
  );
}

interface AppendedFolder {
  /** The case's ledger once the folder's items were appended, in id order. */
  readonly entries: readonly Evidence[];
  readonly added: number;
  readonly unchanged: number;
  readonly drift: LedgerDrift;
}

/**
 * Appends the folder's items to the case's ledger and returns the ledger.
 *
 * When the whole batch is accepted and the ledger then holds as many entries as the folder
 * has items, with no id twice, it holds exactly those items: each was found stored with the
 * same canonical content or stored now. They are then the ledger, in its order (by id), and
 * reading every entry back (a second for 100,000) is spared: there is no drift.
 *
 * Otherwise the ledger is read and compared with the folder. Items stored with other
 * content (edited in the folder) are left out and the rest appended in one atomic batch;
 * any other conflict refuses that batch (nothing is written) and is thrown.
 */
async function appendFolderItems(
  ledger: LedgerStore,
  caseId: string,
  evidence: readonly Evidence[],
  refuse: (conflicts: readonly LedgerConflict[]) => CliError,
): Promise<AppendedFolder> {
  const first = await ledger.append(caseId, evidence);
  if (first.ok) {
    const ids = new Set(evidence.map((e) => e.id));
    if (ids.size === evidence.length && (await ledger.count(caseId)) === evidence.length) {
      const entries = [...evidence].sort((a, b) => compareIds(a.id, b.id));
      return { entries, added: first.added, unchanged: first.unchanged, drift: NO_DRIFT };
    }
  }
  const stored = await ledger.entries(caseId);
  const drift = ledgerDrift(evidence, stored, first.ok);
  if (first.ok) return { entries: stored, added: first.added, unchanged: first.unchanged, drift };
  const batch = evidence.filter((e) => !drift.edited.has(e.id));
  const second = await ledger.append(caseId, batch);
  if (!second.ok) throw refuse(second.conflicts);
  const entries = new Map(stored.map((e) => [e.id, e]));
  for (const e of batch) if (!entries.has(e.id)) entries.set(e.id, e);
  return {
    entries: [...entries.values()].sort((a, b) => compareIds(a.id, b.id)),
    added: second.added,
    unchanged: second.unchanged,
    drift,
  };
}

/** The folder alone: see the module's comment. */
async function loadScratch(
  dir: string,
  loaded: { case: Case; evidence: Evidence[] },
  effects: Effects,
  warn: Warn,
): Promise<LoadedForCommand> {
  const ledger = await effects.openLedger(SCRATCH_LEDGER);
  let appended: AppendedFolder;
  try {
    appended = await appendFolderItems(ledger, loaded.case.id, loaded.evidence, (conflicts) =>
      conflictError(conflicts, dir, 'Nothing was written (--scratch).'),
    );
  } finally {
    await ledger.close();
  }
  let data: Awaited<ReturnType<NonNullable<Effects['importCaseDataInMemory']>>>;
  try {
    data = await effects.importCaseDataInMemory?.(dir);
  } catch (err) {
    throw new CliError(`case data: ${(err as Error).message}`, EXIT.problems, 'invalid-data');
  }
  let inputs: Awaited<ReturnType<typeof loadSeriesInputs>>;
  try {
    inputs = await loadSeriesInputs(loaded.case, '', effects, { series: data?.store });
  } finally {
    await data?.store.close();
  }
  for (const w of scratchWarnings(loaded.case, inputs.series, data?.rejected ?? 0)) warn(w);
  return {
    case: loaded.case,
    ledger: appended.entries,
    import: { added: appended.added, unchanged: appended.unchanged },
    storePath: SCRATCH_LEDGER,
    storeDir: '',
    series: inputs.series,
    coverage: inputs.coverage,
    scratch: true,
    drift: NO_DRIFT,
  };
}

/** What a scratch run could not read: event data, series not in the case's data files, rejected data lines. */
function scratchWarnings(c: Case, series: SeriesInputs, rejected: number): Warning[] {
  const indicators = seriesIndicators(c);
  const events = indicators.filter((i) => i.source.store === 'events').map((i) => i.id);
  const noPoints = indicators
    .filter((i) => i.source.store === 'series' && (series.get(i.id)?.length ?? 0) === 0)
    .map((i) => i.id);
  const unread = [...events, ...noPoints];
  const warnings: Warning[] = [];
  if (unread.length > 0) {
    const why = [
      ...(events.length > 0 ? ['the event store is not read'] : []),
      ...(noPoints.length > 0 ? ["series come only from the case's data/ files"] : []),
    ].join(', and ');
    warnings.push({
      code: 'scratch-inputs',
      message: `--scratch reads nothing from the store folder: ${why}, so ${unread.length === 1 ? 'this indicator has' : 'these indicators have'} no data: ${listIds(unread)}. To experiment with ingested or imported data, copy the store folder and pass --store <copy> instead of --scratch.`,
      ids: unread,
    });
  }
  if (rejected > 0) {
    warnings.push({
      code: 'scratch-inputs',
      message: `${rejected} line${rejected === 1 ? '' : 's'} of the case's data files ${rejected === 1 ? 'was' : 'were'} not imported (bad lines); --scratch writes no rejects file: run \`proviso import\` on the files to see them.`,
    });
  }
  return warnings;
}
