/**
 * The API's error body is the project's one error envelope (src/core/problem.ts):
 * `{ error: { code, message, problems?, details? } }`, its `code` one of `ERROR_CODES`
 * (api-error.ts) and each problem a core `Problem` placed by `path`, a dot path into the
 * request: a query or path parameter by its name (`asOf`), a body field by its path in the
 * body (`sources.0.date`, `entries.3.kind`), `''` for the body as a whole.
 *
 * Problem codes at this edge:
 * - request parameters and bodies checked by a route's schema: zod's issue code in
 *   kebab-case (`invalid-type`, `invalid-format`, `too-small`, `custom`, …);
 * - a body that is not JSON: `syntax`; dates in an impossible order: `bad-date`;
 * - evidence items: the code the case-file validation gives (`invalid` when it gives none),
 *   with the message `proviso validate` prints for the same mistake in a file;
 * - content that conflicts with the ledger (409): `conflict`, at the entry's `id` field,
 *   with `details.id`.
 *
 * `ErrorSchema` describes that envelope in `/openapi.json`; the checks below keep it and
 * the core types the same type.
 */
import { z } from '@hono/zod-openapi';
import type { ErrorEnvelope, Problem } from '../core/problem.ts';
import { ERROR_CODES, type ErrorCode } from './api-error.ts';
import type { Expect, Mutual, Wire } from './wire.ts';

export const ProblemSchema = z
  .object({
    code: z.string().openapi({ description: 'A stable kebab-case word a program may switch on.', example: 'invalid-format' }),
    message: z.string().openapi({ description: 'What is wrong and what to send instead.' }),
    path: z
      .string()
      .optional()
      .openapi({ description: 'Dot path into the request: a parameter name, or a body field (`sources.0.date`).' }),
    file: z.string().optional(),
    line: z.number().int().optional().openapi({ description: '1-based; 0 for the file as a whole.' }),
    col: z.number().int().optional().openapi({ description: '1-based.' }),
    field: z.string().optional().openapi({ description: 'The column, header or option at fault.' }),
    details: z.record(z.string(), z.unknown()).optional().openapi({ description: 'Anything else a program may want (an id).' }),
  })
  .openapi('Problem', { description: 'One problem, as the CLI reports it too (src/core/problem.ts).' });

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      problems: z.array(ProblemSchema).optional(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .openapi('Error');

/** The core envelope with the API's codes. */
export type ApiErrorEnvelope = ErrorEnvelope & { readonly error: { readonly code: ErrorCode } };

type _ProblemIsCore = Expect<Mutual<Wire<z.output<typeof ProblemSchema>>, Problem>>;
type _ErrorIsCore = Expect<Mutual<Wire<z.output<typeof ErrorSchema>>, ApiErrorEnvelope>>;

/** A core problem placed in the request. */
export type RequestProblem = Problem & { readonly path: string };

/** `base.path`, either part possibly empty. */
export function joinPath(base: string, path: string): string {
  return base === '' ? path : path === '' ? base : `${base}.${path}`;
}

/**
 * One problem per zod issue: zod's code in kebab-case, the path joined with dots. A bound
 * (`maximum`, `minimum` of `too_big`, `too_small`) is given in `details.limit`; a custom
 * issue may name its own code and details in `params` (`{ code: 'too-big', limit }`).
 */
export function problemsOfZod(error: {
  readonly issues: readonly {
    readonly code: string;
    readonly path: readonly PropertyKey[];
    readonly message: string;
    readonly maximum?: unknown;
    readonly minimum?: unknown;
    readonly params?: unknown;
  }[];
}): RequestProblem[] {
  return error.issues.map((i) => {
    const { code: ownCode, ...params }: Record<string, unknown> =
      i.code === 'custom' && typeof i.params === 'object' && i.params !== null ? { ...i.params } : {};
    const code = typeof ownCode === 'string' ? ownCode : i.code.replaceAll('_', '-');
    const limit = i.code === 'too_big' ? i.maximum : i.code === 'too_small' ? i.minimum : undefined;
    const details =
      Object.keys(params).length > 0 ? params : typeof limit === 'number' || typeof limit === 'string' ? { limit } : undefined;
    return {
      code,
      path: i.path.map(String).join('.'),
      message: i.message,
      ...(details === undefined ? {} : { details }),
    };
  });
}

/**
 * A problem of a submitted evidence item (validate-evidence-input.ts: a path into the item
 * and a message, with a code once it gives one) as a core problem placed under `base`
 * (`entries.3` in a batch, `''` for a single item).
 */
export function evidenceProblem(
  p: {
    readonly path?: string;
    readonly message: string;
    readonly code?: string;
    readonly field?: string;
    readonly details?: Readonly<Record<string, unknown>>;
  },
  base: string,
): RequestProblem {
  return {
    code: p.code ?? 'invalid',
    path: joinPath(base, p.path ?? ''),
    message: p.message,
    ...(p.field === undefined ? {} : { field: p.field }),
    ...(p.details === undefined ? {} : { details: p.details }),
  };
}
