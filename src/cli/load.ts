/**
 * Loading a case for a command: validate the files, then bring their evidence into the
 * ledger (idempotent, all or nothing) and read the ledger back. Invalid cases never
 * touch the ledger.
 */
import { join, resolve } from 'node:path';
import { formatProblem, loadCase } from '../adapters/case-files/load-case.ts';
import { compareIds } from '../adapters/ledger-rules.ts';
import type { Case } from '../core/case-model.ts';
import type { Evidence } from '../core/evidence.ts';
import type { SeriesCoverage, SeriesInputs } from '../core/series.ts';
import type { LedgerStore } from '../ports/ledger-store.ts';
import { CliError, type Effects, EXIT } from './effects.ts';
import { DEFAULT_STORE, LEDGER_FILE } from './options.ts';
import { loadSeriesInputs } from './series-inputs.ts';

export interface LoadedForCommand {
  readonly case: Case;
  readonly ledger: readonly Evidence[];
  readonly import: { readonly added: number; readonly unchanged: number };
  /** The ledger file. */
  readonly storePath: string;
  readonly storeDir: string;
  readonly series: SeriesInputs;
  readonly coverage: SeriesCoverage;
}

export async function loadValidCase(
  dir: string,
  effects: Effects,
): Promise<{ case: Case; evidence: Evidence[]; files: string[] }> {
  const result = await loadCase(dir);
  if (!result.ok) {
    throw new CliError(
      `${result.problems.map(formatProblem).join('\n')}\n${result.problems.length} problem${result.problems.length === 1 ? '' : 's'} in ${dir}; nothing was written to the ledger.`,
      EXIT.problems,
      'invalid-case',
      result.problems,
    );
  }
  void effects;
  return { case: result.case, evidence: result.evidence, files: result.files };
}

export async function loadCaseWithLedger(dir: string, store: string | undefined, effects: Effects): Promise<LoadedForCommand> {
  const loaded = await loadValidCase(dir, effects);
  const storeDir = resolve(effects.cwd, store ?? DEFAULT_STORE);
  const storePath = join(storeDir, LEDGER_FILE);
  const ledger = await effects.openLedger(storePath);
  try {
    const appended = await ledger.append(loaded.case.id, loaded.evidence);
    if (!appended.ok) {
      throw new CliError(
        `${appended.conflicts.map((c) => `${join(dir, 'evidence')}: evidence ${c.id}: ${c.reason}`).join('\n')}\nThe ledger at ${storePath} was left as it was. Record a change as a new entry that supersedes the old one; to start a fresh ledger, pass --store with a new folder.`,
        EXIT.problems,
        'ledger-conflict',
        appended.conflicts,
      );
    }
    const entries = await ledgerEntries(ledger, loaded.case.id, loaded.evidence);
    try {
      await effects.importCaseData?.(dir, storeDir);
    } catch (err) {
      throw new CliError(`case data: ${(err as Error).message}`, EXIT.problems, 'invalid-data');
    }
    const { series, coverage } = await loadSeriesInputs(loaded.case, storeDir, effects);
    return {
      case: loaded.case,
      ledger: entries,
      import: { added: appended.added, unchanged: appended.unchanged },
      storePath,
      storeDir,
      series,
      coverage,
    };
  } finally {
    await ledger.close();
  }
}

/**
 * The case's ledger once `evidence` (the case folder's items) was appended. When the ledger
 * holds as many entries as the folder has items, with no id twice, it holds exactly those
 * items: the append found each stored with the same canonical content or stored it. They
 * are then the ledger, in its order (by id), and reading every entry back (a second for
 * 100,000) is spared. Otherwise (entries added by `proviso serve`, or earlier items since
 * removed from the folder) the ledger is read.
 */
async function ledgerEntries(ledger: LedgerStore, caseId: string, evidence: readonly Evidence[]): Promise<readonly Evidence[]> {
  const ids = new Set(evidence.map((e) => e.id));
  if (ids.size === evidence.length && (await ledger.count(caseId)) === evidence.length) {
    return [...evidence].sort((a, b) => compareIds(a.id, b.id));
  }
  return ledger.entries(caseId);
}
