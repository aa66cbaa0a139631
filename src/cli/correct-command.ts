/**
 * `proviso correct <case> [ids…] [--store DIR] [--recorded D]`: records the folder's
 * version of evidence items that differ from their ledger entries, as corrections.
 *
 * For each drifted item (all of them when no ids are given) one entry is appended: the
 * folder's content under the id `<item id>.c<N>` (the first unused N), superseding the
 * entry that stands for the item, recorded on D (default today). The corrections are one
 * atomic batch. Assessments then use them; `--recorded-by` a day before D reproduces the
 * assessments made before them. What drift is: `src/adapters/ledger-drift.ts`.
 */
import { join, resolve } from 'node:path';
import { correctionsFor, ledgerDrift } from '../adapters/ledger-drift.ts';
import { fromDayNumber, toDayNumber } from '../core/dates.ts';
import type { Format } from './commands.ts';
import { toCsv } from './csv.ts';

import { CliError, type Effects, EXIT } from './effects.ts';
import { loadValidCase } from './load.ts';
import { DEFAULT_STORE, LEDGER_FILE, parseDateOption } from './options.ts';
import { conflictProblems } from './problems.ts';
import { shownPath } from './warnings.ts';

/** The CSV columns of `proviso correct --format csv`. */
const CORRECTION_COLUMNS = ['id', 'supersedes', 'item', 'recorded'];

export interface CorrectOpts {
  readonly store?: string;
  readonly recorded?: string;
  readonly format: Format;
}

export async function correctCommand(dir: string, ids: readonly string[], opts: CorrectOpts, effects: Effects): Promise<number> {
  const recorded = parseDateOption('recorded', opts.recorded) ?? effects.today();
  const loaded = await loadValidCase(dir, effects);
  const caseId = loaded.case.id;
  const storePath = join(resolve(effects.cwd, opts.store ?? DEFAULT_STORE), LEDGER_FILE);
  const shownLedger = shownPath(storePath, effects.cwd);
  // A missing ledger has nothing to correct; opening it for writing would create it.
  const reader = await effects.readLedger?.(storePath);
  if (effects.readLedger !== undefined && reader === undefined) {
    throw new CliError(
      `there is no ledger at ${shownLedger}: nothing to correct. The items of ${dir} are appended as they are the first time the case is assessed with this store${opts.store === undefined ? '' : ' (--store)'}.`,
      EXIT.problems,
      'no-ledger',
    );
  }
  await reader?.close();

  const ledger = await effects.openLedger(storePath);
  try {
    const stored = await ledger.entries(caseId);
    const drift = ledgerDrift(loaded.evidence, stored);
    const planned = correctionsFor(loaded.evidence, stored, drift, ids, recorded);
    if (!planned.ok) {
      throw new CliError(`Nothing was written to ${shownLedger}.`, EXIT.problems, 'cannot-correct', {
        problems: planned.problems.map((p) => ({
          code: 'cannot-correct',
          message: `evidence ${p.id} ${p.reason}`,
          file: join(dir, 'evidence'),
          details: { id: p.id },
        })),
      });
    }
    const corrections = planned.corrections;
    if (corrections.length === 0) {
      effects.stdout(
        opts.format === 'json'
          ? `${JSON.stringify({ ledger: shownLedger, recorded, corrections: [] }, null, 2)}\n`
          : opts.format === 'csv'
            ? toCsv(CORRECTION_COLUMNS, [])
            : `Nothing to correct: every evidence item of ${dir} that is in ${shownLedger} matches the entry standing for it.\n`,
      );
      return EXIT.ok;
    }
    const appended = await ledger.append(
      caseId,
      corrections.map((c) => c.entry),
    );
    if (!appended.ok) {
      throw new CliError(
        'Nothing was written (another process may have changed the ledger meanwhile); run the command again.',
        EXIT.problems,
        'ledger-conflict',
        { problems: conflictProblems(appended.conflicts, shownLedger) },
      );
    }
    const dayBefore = fromDayNumber(toDayNumber(recorded) - 1);
    const recordedOn = new Map(stored.map((e) => [e.id, e.recorded]));
    const sameDay = corrections
      .filter((c) => recordedOn.get(c.entry.supersedes ?? '') === recorded)
      .map((c) => c.entry.supersedes);
    if (opts.format === 'json') {
      const rows = corrections.map((c) => ({ id: c.entry.id, supersedes: c.entry.supersedes, item: c.item }));
      effects.stdout(`${JSON.stringify({ ledger: shownLedger, recorded, corrections: rows }, null, 2)}\n`);
    } else if (opts.format === 'csv') {
      effects.stdout(
        toCsv(
          CORRECTION_COLUMNS,
          corrections.map((c) => [c.entry.id, c.entry.supersedes ?? null, c.item, recorded]),
        ),
      );
    } else {
      const n = corrections.length;
      effects.stdout(
        `Recorded ${n} correction${n === 1 ? '' : 's'} in ${shownLedger}, dated ${recorded}:\n` +
          corrections
            .map((c) => `  ${c.entry.id} supersedes ${c.entry.supersedes} (the folder's version of ${c.item})\n`)
            .join('') +
          `Assessments now use ${n === 1 ? 'it' : 'them'}; --recorded-by ${dayBefore} reproduces the assessments made before.\n` +
          (sameDay.length === 0
            ? ''
            : `Note: ${sameDay.join(', ')} ${sameDay.length === 1 ? 'was' : 'were'} recorded on ${recorded} too, so no --recorded-by date shows ${sameDay.length === 1 ? 'it' : 'them'} without ${n === 1 ? 'the correction' : 'their corrections'}.\n`),
      );
    }
    return EXIT.ok;
  } finally {
    await ledger.close();
  }
}
