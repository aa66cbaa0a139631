/**
 * What the structural importers produce and the series store keeps.
 *
 * Contract: a parser turns one file's text into records and rejects and never loses a
 * line: every data line becomes a record, a reject (with the reason naming the field) or a
 * counted skip (note lines, blank separators, printed totals). A problem that makes the
 * whole file unreadable (a missing column, an unknown year) is a {@link FileProblem},
 * thrown, and nothing of that file is imported.
 */
import type { VoteCode } from '../../core/convergence/dyad-measures.ts';

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

/** One country's vote on one roll call; (rcid, country) is its key. */
export interface VoteRecord {
  readonly kind: 'vote';
  readonly line: number;
  readonly rcid: string;
  readonly year: number;
  /** the roll call's date when the file gives it */
  readonly date?: string;
  readonly country: string;
  readonly vote: VoteCode;
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

export type StructuralRecord = PointRecord | VoteRecord | IncidentRecord;

/** A line that could not be imported, as written to the rejects file (JSONL). */
export interface Reject {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
  readonly raw: string;
}

export interface ParsedFile {
  readonly file: string;
  readonly records: readonly StructuralRecord[];
  readonly rejects: readonly Reject[];
  /** lines deliberately not imported, by reason (e.g. "note line": 10) */
  readonly skipped: Readonly<Record<string, number>>;
}

/** The whole file cannot be read; `line` 0 when it concerns the file as a whole. */
export class FileProblem extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
    this.name = 'FileProblem';
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
