/**
 * The one error shape of the API: `{ error: { code, message, problems? } }`, where each
 * problem names a field by its dot path (`sources.0.date`) — the same wording analysts see
 * from `proviso validate`.
 */
import { z } from '@hono/zod-openapi';

export interface FieldProblem {
  readonly path: string;
  readonly message: string;
}

export const ERROR_CODES = [
  'invalid-request',
  'unauthenticated',
  'forbidden',
  'csrf',
  'not-found',
  'method-not-allowed',
  'conflict',
  'too-large',
  'unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      problems: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
      conflicts: z.array(z.object({ id: z.string(), reason: z.string() })).optional(),
    }),
  })
  .openapi('Error');

export type ErrorBody = z.infer<typeof ErrorSchema>;

export function errorBody(
  code: ErrorCode,
  message: string,
  extra: { problems?: readonly FieldProblem[]; conflicts?: readonly { id: string; reason: string }[] } = {},
): ErrorBody {
  return {
    error: {
      code,
      message,
      ...(extra.problems === undefined ? {} : { problems: [...extra.problems] }),
      ...(extra.conflicts === undefined ? {} : { conflicts: [...extra.conflicts] }),
    },
  };
}

/** Field problems from a zod error, paths joined with dots. */
export function problemsOfZod(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): FieldProblem[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}
