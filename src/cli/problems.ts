/**
 * The CLI's one rendering of failures: a CliError (or a usage error) as text or as the
 * error envelope of src/core/problem.ts. main.ts calls it once, at the edge.
 */
import { type ErrorEnvelope, errorEnvelope, type Problem, problemText } from '../core/problem.ts';

/** Ledger conflicts (an id whose stored entry differs) as problems placed in the folder's evidence files. */
export function conflictProblems(
  conflicts: readonly { readonly id: string; readonly reason: string }[],
  file: string,
): Problem[] {
  return conflicts.map((c) => ({
    code: 'ledger-conflict',
    message: `evidence ${c.id}: ${c.reason}`,
    file,
    details: { id: c.id },
  }));
}

export interface Failure {
  readonly code: string;
  readonly message: string;
  readonly problems?: readonly Problem[] | undefined;
  readonly details?: Readonly<Record<string, unknown>> | undefined;
}

/** Each problem on its own line (`place: message`), then `proviso: message`. */
export function failureText(f: Failure): string {
  const lines = (f.problems ?? []).map(problemText);
  lines.push(`proviso: ${f.message}`);
  return `${lines.join('\n')}\n`;
}

export function failureEnvelope(f: Failure): ErrorEnvelope {
  return errorEnvelope(f.code, f.message, {
    ...(f.problems === undefined ? {} : { problems: f.problems }),
    ...(f.details === undefined ? {} : { details: f.details }),
  });
}

/**
 * The envelope as printed on stderr: one line of JSON, so that stderr under --format json
 * is JSON Lines (warnings, one object each, then at most one error).
 */
export function failureJson(f: Failure): string {
  return `${JSON.stringify(failureEnvelope(f))}\n`;
}
