/**
 * Warnings: what a command tells the user on stderr without failing. In text mode one line
 * `proviso: warning: <message>` each; with `--format json` one JSON line each,
 * `{"warning":{"code":…,"message":…,"ids":[…]}}`, so that stdout stays parseable.
 *
 * The drift warnings (`code: "ledger-drift"`, `kind` `not-in-folder` or `differs`) say what
 * the ledger holds that the folder does not, and how to act on it (see docs/ledger.md).
 */
import { isAbsolute, relative } from 'node:path';
import type { LedgerDrift } from '../adapters/ledger-drift.ts';
import type { UnreadFinding } from '../core/unread-findings.ts';
import type { Format } from './commands.ts';
import type { Effects } from './effects.ts';

export const WARNING_CODES = ['ledger-drift', 'scratch-inputs', 'unread-finding'] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

export interface Warning {
  readonly code: WarningCode;
  /** For `ledger-drift`: `not-in-folder` or `differs`. */
  readonly kind?: string;
  readonly message: string;
  /** Every id the warning is about (the message names at most `MAX_IDS_SHOWN`). */
  readonly ids?: readonly string[];
}

export type Warn = (warning: Warning) => void;

export function warnTo(effects: Effects, format: Format = 'text'): Warn {
  return (w) => effects.stderr(format === 'json' ? `${JSON.stringify({ warning: w })}\n` : `proviso: warning: ${w.message}\n`);
}

export const MAX_IDS_SHOWN = 10;

/** `a, b, c`, or the first ten and `and N more`. */
export function listIds(ids: readonly string[]): string {
  const shown = ids.slice(0, MAX_IDS_SHOWN).join(', ');
  return ids.length > MAX_IDS_SHOWN ? `${shown} and ${ids.length - MAX_IDS_SHOWN} more` : shown;
}

/** A path as the user would type it from `cwd`: relative below it, absolute elsewhere. */
export function shownPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

/** A word a POSIX shell reads back as itself. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

export interface DriftContext {
  readonly caseId: string;
  /** The case folder as the user gave it. */
  readonly folder: string;
  /** The ledger file, as shown to the user. */
  readonly ledger: string;
  /** `--store` as the user gave it, if at all (repeated in the suggested command). */
  readonly store: string | undefined;
}

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

/** The command that records the folder's versions of the drifted items as corrections. */
export function correctCommand(ctx: DriftContext): string {
  return [
    'proviso',
    'correct',
    shellWord(ctx.folder),
    ...(ctx.store === undefined ? [] : ['--store', shellWord(ctx.store)]),
  ].join(' ');
}

export function driftWarnings(drift: LedgerDrift, ctx: DriftContext): Warning[] {
  const warnings: Warning[] = [];
  const extra = drift.notInFolder;
  if (extra.length > 0) {
    const n = extra.length;
    warnings.push({
      code: 'ledger-drift',
      kind: 'not-in-folder',
      message:
        `the ledger ${ctx.ledger} holds ${n} ${plural(n, 'entry', 'entries')} for case ${ctx.caseId} that ${plural(n, 'is', 'are')} not in ${ctx.folder}: ${listIds(extra)}; ` +
        `${plural(n, 'it is', 'they are')} assessed with the folder's items. Use --scratch to assess the folder alone, or --store DIR for a separate ledger.`,
      ids: extra,
    });
  }
  const differs = drift.differs.map((d) => d.id);
  if (differs.length > 0) {
    const n = differs.length;
    const s = plural(n, '', 's');
    warnings.push({
      code: 'ledger-drift',
      kind: 'differs',
      message:
        `${n} evidence item${s} in ${ctx.folder} ${plural(n, 'differs', 'differ')} from ${plural(n, 'its entry', 'their entries')} in the ledger ${ctx.ledger}: ${listIds(differs)}. ` +
        `The ledger is the record (its entries are never changed), so the stored ${plural(n, 'entry is', 'entries are')} assessed, not the folder's version${s}. ` +
        `To record the folder's version${s} as ${plural(n, 'a correction', 'corrections')} superseding ${plural(n, 'it', 'them')}, run: ${correctCommand(ctx)} ` +
        `(add ids to record only some, --recorded D to date them; --recorded-by an earlier date still reproduces earlier assessments). ` +
        `To try the folder's version${s} without recording anything, add --scratch.`,
      ids: differs,
    });
  }
  return warnings;
}

/** One warning for the findings no benchmark reads (another assessor than the one the benchmark names). */
export function unreadFindingWarning(unread: readonly UnreadFinding[]): Warning | undefined {
  if (unread.length === 0) return undefined;
  const shown = unread
    .slice(0, 3)
    .map((u) => `${u.id} (by "${u.assessor}") about ${u.benchmark}, which reads findings by "${u.reads}"`)
    .join('; ');
  const more = unread.length > 3 ? `; and ${unread.length - 3} more` : '';
  return {
    code: 'unread-finding',
    message: `${unread.length} finding${unread.length === 1 ? ' is' : 's are'} not counted, because the benchmark reads another assessor's findings: ${shown}${more}. If an assessor is written two ways, write it as the benchmark does; a second assessor recorded for reference needs nothing.`,
    ids: unread.map((u) => u.id),
  };
}
