import { rawLineText } from './byte-fields.ts';

/** Why a row was rejected: plain data, rendered into the rejects file. */
export const ROW_PROBLEM_KINDS = [
  'column-count',
  'bad-date',
  'bad-number',
  'bad-code',
  'missing-field',
  'invalid-utf8',
  'line-too-long',
  'duplicate-header',
] as const;
export type RowProblemKind = (typeof ROW_PROBLEM_KINDS)[number];

export interface RowProblem {
  readonly kind: RowProblemKind;
  readonly message: string;
  /** Source column name (GDELT codebook / ICEWS header) when one field is at fault. */
  readonly field?: string;
  /** 1-based column number of that field. */
  readonly column?: number;
}

export function problem(kind: RowProblemKind, message: string, field?: string, column?: number): RowProblem {
  return {
    kind,
    message,
    ...(field === undefined ? {} : { field }),
    ...(column === undefined ? {} : { column }),
  };
}

export interface RejectedRow {
  readonly file: string;
  readonly line: number;
  readonly kind: RowProblem['kind'];
  readonly reason: string;
  readonly field?: string;
  readonly column?: number;
  /** The line as read (Latin-1 when it is not valid UTF-8; the first 4 KiB of an over-long line). */
  readonly raw: string;
  readonly encoding: 'utf-8' | 'latin1';
  readonly bytes: number;
}

/** The reject record for line `line` of `file`, bytes `b[s, e)`, refused for `p`. */
export function rejectedRow(file: string, line: number, p: RowProblem, b: Buffer, s: number, e: number): RejectedRow {
  return {
    file,
    line,
    kind: p.kind,
    reason: p.message,
    ...(p.field === undefined ? {} : { field: p.field }),
    ...(p.column === undefined ? {} : { column: p.column }),
    ...rawLineText(b, s, e),
    bytes: e - s,
  };
}
