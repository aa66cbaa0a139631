/**
 * What the structural importers produce and the series store keeps.
 *
 * Contract: a parser turns one file's text into records and rejects and never loses a
 * line: every data line becomes a record, a reject (a problem of the project's one shape,
 * src/core/problem.ts, naming the field at fault, plus the line as read) or a counted skip
 * (note lines, blank separators, printed totals). A problem that makes the whole file
 * unreadable (a missing column, an unknown year) is thrown as a {@link FileImportError}
 * carrying that problem, and nothing of that file is imported.
 */
import type { VoteCode } from '../../core/convergence/dyad-measures.ts';
import type { FileProblem } from '../../core/problem.ts';

export const IMPORT_KINDS = ['unga-votes', 'unga-coincidence', 'us-aid', 'sipri-tiv', 'strikes'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** A value of a stored series: (measure, a, b, date) is its key. `b` is '' for one-country series. */
export interface PointRecord {
  readonly kind: 'point';
  readonly line: number;
  readonly measure: string;
  readonly a: string;
  readonly b: string;
  /** last day of the period (YYYY-MM-DD) */
  readonly date: string;
  readonly knownAt: string;
  readonly value: number;
  /** the period as the source names it: "2018", "FY1976TQ" */
  readonly period: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

/** The UN bodies whose roll calls the store keeps apart: the General Assembly and the Security Council. */
export const UN_BODIES = ['ga', 'sc'] as const;
export type UnBody = (typeof UN_BODIES)[number];
export const UN_BODY_NAMES: Readonly<Record<UnBody, string>> = { ga: 'General Assembly', sc: 'Security Council' };

/** One country's vote on one roll call; (rcid, country) is its key. */
export interface VoteRecord {
  readonly kind: 'vote';
  readonly line: number;
  readonly rcid: string;
  readonly year: number;
  /** the roll call's date when the file gives it */
  readonly date?: string;
  /** the body that held the roll call (default: the General Assembly) */
  readonly body?: UnBody;
  readonly country: string;
  readonly vote: VoteCode;
}

/** A roll call without its votes (a roll-call table); `rcid` is its key. */
export interface RollCallRecord {
  readonly kind: 'roll-call';
  readonly line: number;
  readonly rcid: string;
  readonly year: number;
  readonly date?: string;
  readonly body: UnBody;
  /** what the table says of it besides (session, resolution, short title…) */
  readonly detail: Readonly<Record<string, unknown>>;
}

/** A roll call's issue topic (`me`, `nu`, `hr`…, with its name); (rcid, issue) is its key. */
export interface IssueRecord {
  readonly kind: 'issue';
  readonly line: number;
  readonly rcid: string;
  readonly issue: string;
  readonly name: string;
}

/** One incident (strike); `key` is a content hash plus occurrence number, so re-imports add nothing. */
export interface IncidentRecord {
  readonly kind: 'incident';
  readonly line: number;
  readonly key: string;
  /** actor → location, e.g. USA → PAK */
  readonly a: string;
  readonly b: string;
  readonly date: string;
  /** how many strikes the record counts (the source's `strikes` column; 1 when absent) */
  readonly count: number;
  readonly detail: Readonly<Record<string, unknown>>;
}

export type StructuralRecord = PointRecord | VoteRecord | RollCallRecord | IssueRecord | IncidentRecord;

/** The codes of the importers' problems: of a line (a reject), or of a whole file. */
export const IMPORT_PROBLEM_CODES = [
  // a line
  'bad-value',
  'repeated',
  'conflict',
  'csv-syntax',
  'column-count',
  // a whole file
  'missing-column',
  'unknown-layout',
  'missing-option',
  'unreadable',
] as const;
export type ImportProblemCode = (typeof IMPORT_PROBLEM_CODES)[number];

/**
 * A line that could not be imported, as written to the rejects file (one JSON object per
 * line): a core problem placed at the line (`code`, `message`, `file`, `line`, `field` when
 * one column is at fault), with the line as read in `details`, as a rejected event row has it.
 */
export interface Reject extends FileProblem {
  readonly code: ImportProblemCode;
  readonly details: { readonly raw: string };
}

/** `field: message`, as the readers word a reason, when the prefix is a column name (`vote`, `country_code`, `YES COUNT`). */
const FIELD_REASON = /^([A-Za-z_][\w.-]*(?: [A-Z][A-Z-]*)*): ([\s\S]+)$/;

/**
 * The reject of line `line` for `reason`. A reason worded `field: message` names its field
 * apart (`{field: 'vote', message: '"7" is not a vote…'}`); `code` says what kind of
 * problem it is (default `bad-value`).
 */
export function lineReject(
  file: string,
  line: number,
  raw: string,
  reason: string,
  code: ImportProblemCode = 'bad-value',
): Reject {
  const m = code === 'csv-syntax' ? null : FIELD_REASON.exec(reason);
  return m === null
    ? { code, message: reason, file, line, details: { raw } }
    : { code, message: m[2] as string, file, line, field: m[1] as string, details: { raw } };
}

/** A reject's reason as one line of text: `field: message`. */
export function rejectReason(r: Pick<Reject, 'field' | 'message'>): string {
  return r.field === undefined ? r.message : `${r.field}: ${r.message}`;
}

export interface ParsedFile {
  readonly file: string;
  readonly records: readonly StructuralRecord[];
  readonly rejects: readonly Reject[];
  /** lines deliberately not imported, by reason (e.g. "note line": 10) */
  readonly skipped: Readonly<Record<string, number>>;
}

/** The whole file cannot be imported: an Error carrying the problem (`line` 0 when it concerns the file as a whole). */
export class FileImportError extends Error {
  readonly problem: FileProblem & { readonly code: ImportProblemCode };
  constructor(file: string, line: number, code: ImportProblemCode, message: string) {
    super(`${file}:${line}: ${message}`);
    this.name = 'FileImportError';
    this.problem = { code, message, file, line };
  }
}

/** Counts one skip under a reason. */
export function countSkip(skipped: Record<string, number>, reason: string): void {
  skipped[reason] = (skipped[reason] ?? 0) + 1;
}

/** `YYYY-12-31` */
export function yearEnd(year: number): string {
  return `${String(year).padStart(4, '0')}-12-31`;
}

/** The day after a date (YYYY-MM-DD), in UTC. */
export function dayAfter(date: string): string {
  const t = Date.parse(`${date}T00:00:00Z`) + 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}
