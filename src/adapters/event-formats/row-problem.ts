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
