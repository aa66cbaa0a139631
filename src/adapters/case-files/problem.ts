/**
 * Problems found in a case folder, each at an exact position: the project's one problem
 * type (src/core/problem.ts), always placed in a file at a line and column.
 *
 * Contract: `file` is the path as the caller named the folder joined with the file's name
 * (`path.join(dir, name)`); `line` and `col` are 1-based; `message` says what is wrong and
 * what to write instead.
 */

import { type FileProblem, problemText } from '../../core/problem.ts';

export const PROBLEM_CODES = [
  /** A file cannot be read, or is not a kind of file the folder may hold. */
  'unreadable',
  /** YAML, JSON (JSONL) or CSV syntax. */
  'syntax',
  /** A value of the wrong type or form, a missing key, an unknown key or section. */
  'schema',
  'duplicate-id',
  'unknown-reference',
  /** A date that is not a real calendar day, or dates in an impossible order. */
  'bad-date',
  'bad-duration',
  'bad-cel',
  /** Anything else the format forbids (a rank used twice, amount without currency, …). */
  'inconsistent',
  'missing-case',
  'duplicate-case',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

export interface Problem extends FileProblem {
  readonly col: number;
  readonly code: ProblemCode;
}

export interface Position {
  readonly line: number;
  readonly col: number;
}

/** `file:line:col: message`, the form editors and terminals link to (the one text renderer). */
export const formatProblem: (p: Problem) => string = problemText;
