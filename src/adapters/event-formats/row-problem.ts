import type { FileProblem } from '../../core/problem.ts';
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

/** Why a row is refused, before it is placed in a file: the project's problem shape (src/core/problem.ts) without the place. */
export interface RowProblem {
  readonly code: RowProblemKind;
  readonly message: string;
  /** Source column name (GDELT codebook / ICEWS header) when one field is at fault. */
  readonly field?: string;
  /** 1-based column number of that field (a tab-separated column). */
  readonly col?: number;
}

export function problem(code: RowProblemKind, message: string, field?: string, column?: number): RowProblem {
  return {
    code,
    message,
    ...(field === undefined ? {} : { field }),
    ...(column === undefined ? {} : { col: column }),
  };
}

/** A rejected row, as written to the rejects file (one JSON object per line): a core problem plus the line as read. */
export interface RejectedRow extends FileProblem {
  readonly code: RowProblemKind;
  readonly details: {
    /** The line as read (Latin-1 when it is not valid UTF-8; the first 4 KiB of an over-long line). */
    readonly raw: string;
    readonly encoding: 'utf-8' | 'latin1';
    readonly bytes: number;
  };
}

/** The reject record for line `line` of `file`, bytes `b[s, e)`, refused for `p`. */
export function rejectedRow(file: string, line: number, p: RowProblem, b: Buffer, s: number, e: number): RejectedRow {
  return {
    file,
    line,
    code: p.code,
    message: p.message,
    ...(p.field === undefined ? {} : { field: p.field }),
    ...(p.col === undefined ? {} : { col: p.col }),
    details: { ...rawLineText(b, s, e), bytes: e - s },
  };
}
