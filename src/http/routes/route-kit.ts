/**
 * What every API route file uses: the app type, response and parameter declarations, the
 * per-route role check, and the look-ups that answer 404.
 *
 * Contracts:
 * - Every `/api` route states the action its caller needs with `middleware: authorize(…)`
 *   (auth.ts has the table from role to actions). The check runs before the route's
 *   parameters and body are validated, so a role without the right gets 403 whatever it
 *   sends and learns nothing of the body's rules; HEAD runs the GET route (Hono answers it
 *   from GET routes), middleware included, so it is guarded as GET. A route that takes a
 *   JSON body uses `authorizeWrite(…)`: the same check, then the body read strictly.
 * - Parameters are bounded (input-limits.ts): strings by `text(max)`, dates by `DateParam`
 *   (1900–2100), query integers by `intParam` (decimal digits only, within bounds).
 * - Handlers answer success only: every failure is an `ApiError` thrown (api-error.ts),
 *   answered by `app.onError`.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { dateProblem } from '../../core/dates.ts';
import { ApiError, notFound, unauthenticated } from '../api-error.ts';
import { ACTIONS, type Action, can } from '../auth.ts';
import type { ServedCase } from '../case-service.ts';
import type { AppEnv, AuthContext, ServerDeps } from '../context.ts';
import { characterCount, DATE_RANGE, dateRangeProblem, LIMITS } from '../input-limits.ts';
import { strictJsonBody } from '../json-body.ts';
import { ErrorSchema } from '../problems.ts';

export type ApiApp = OpenAPIHono<AppEnv>;

/** What `authorize` adds: the caller, known to be signed in and allowed. */
export type CallerEnv = AppEnv & { Variables: { caller: AuthContext } };

/** Throws 403 unless the caller's role may do `action`. */
export function assertCan(caller: AuthContext, action: Action): void {
  if (!can(caller.user.role, action)) throw new ApiError('forbidden', `a ${caller.user.role} may not do this (${action})`);
}

/**
 * The middleware of a route that takes a JSON body: the role check, then the body read
 * strictly (json-body.ts: required, UTF-8, JSON), before the route's schema sees it.
 */
export function authorizeWrite(action: Action): [MiddlewareHandler<CallerEnv>, MiddlewareHandler<CallerEnv>] {
  return [authorize(action), strictJsonBody()];
}

/** The route's role check: 401 without a signed-in user, 403 without the right; sets `caller`. */
export function authorize(action: Action): MiddlewareHandler<CallerEnv> {
  if (!ACTIONS.includes(action)) throw new Error(`authorize: unknown action ${String(action)}`);
  return async (c, next) => {
    const auth = c.get('auth');
    if (auth === undefined) throw unauthenticated();
    assertCan(auth, action);
    c.set('caller', auth);
    await next();
  };
}

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

/** Error responses by status, for the `responses` of a route. */
export const E = {
  400: json(
    ErrorSchema,
    'Invalid request: one problem per field in `error.problems` (a value over a limit: `too-big` with `details.limit`)',
  ),
  401: json(ErrorSchema, 'No valid token or session (`WWW-Authenticate: Bearer`)'),
  403: json(
    ErrorSchema,
    'The user’s role does not allow this (or, through a session, the CSRF token is missing or wrong, or the write came from another site)',
  ),
  404: json(ErrorSchema, 'No such case or item'),
  409: json(ErrorSchema, 'Conflicts with stored content (one problem per conflict); nothing was stored'),
  413: json(ErrorSchema, 'Request body too large'),
  415: json(ErrorSchema, 'The body is not `application/json`'),
  503: json(ErrorSchema, 'No event data has been ingested into this server’s store'),
} as const;

/**
 * The answers of a route whose work runs in the worker pool (heavy-work.ts): the client
 * already holds the answer, the pool is busy, the work ran over its time limit.
 */
export const HEAVY_RESPONSES = {
  304: { description: 'Not modified: the `If-None-Match` request header names this answer’s `ETag`' },
  503: json(
    ErrorSchema,
    '`busy`: too many heavy requests are waiting (or this caller has its share running), see `Retry-After`; `unavailable`: the computation ran out of memory',
  ),
  504: json(ErrorSchema, '`timeout`: the computation ran over the server’s time limit (in `details.limitMs`) and was stopped'),
} as const;

/** The errors of a route that writes a JSON body. */
export const WRITE_ERRORS = { 400: E[400], 401: E[401], 403: E[403], 413: E[413], 415: E[415] } as const;

export interface TextOptions {
  /** The shortest accepted, in characters, and the message below it. */
  readonly min?: { readonly length: number; readonly error: string };
  /** The route refuses U+0000 itself, with a message of its own (webhook URLs refuse every control character). */
  readonly nulRefusedElsewhere?: boolean;
}

/**
 * A string of at most `max` characters (and at least `min.length`); over it, a `too-big`
 * problem naming the limit and the length. Characters are code points, as JSON Schema
 * counts them, so the document's `maxLength` and the server agree on an emoji. U+0000 is
 * refused (`invalid-format`): the PostgreSQL store cannot keep or look it up.
 */
export const text = (max: number, { min, nulRefusedElsewhere = false }: TextOptions = {}) =>
  z
    .string()
    .superRefine((s, ctx) => {
      // Characters as JSON Schema's maxLength and minLength count them: code points (an emoji is one).
      const length = characterCount(s);
      if (length > max)
        ctx.addIssue({
          code: 'too_big',
          origin: 'string',
          maximum: max,
          inclusive: true,
          input: s,
          message: `at most ${max} characters (got ${length})`,
        });
      if (min !== undefined && length < min.length)
        ctx.addIssue({ code: 'too_small', origin: 'string', minimum: min.length, inclusive: true, input: s, message: min.error });
      if (!nulRefusedElsewhere && s.includes('\u0000'))
        ctx.addIssue({
          code: 'invalid_format',
          format: 'regex',
          pattern: NO_NUL,
          input: s,
          message: 'must not contain the NUL character (U+0000), which PostgreSQL cannot store',
        });
    })
    .openapi({
      maxLength: max,
      ...(min === undefined ? {} : { minLength: min.length }),
      ...(nulRefusedElsewhere ? {} : { pattern: NO_NUL }),
    });

/** No U+0000: PostgreSQL's text cannot hold it (a route with a stricter pattern of its own shows that one instead). */
const NO_NUL = '^[^\\u0000]*$';

/**
 * A calendar date `YYYY-MM-DD` within `DATE_RANGE`. Outside it the problem's code is
 * `too-small` or `too-big`, with the limit in `details.limit` (problems.ts reads `params`).
 */
export const DateParam = z
  .string()
  .superRefine((s, ctx) => {
    const problem = s.length > 10 ? `"${s.slice(0, 10)}…" is not a date of the form YYYY-MM-DD` : dateProblem(s);
    if (problem !== undefined) {
      ctx.addIssue({ code: 'custom', message: problem, input: s });
      return;
    }
    const range = dateRangeProblem(s, '');
    if (range !== undefined)
      ctx.addIssue({ code: 'custom', message: range.message, input: s, params: { code: range.code, ...range.details } });
  })
  .openapi({
    example: '2023-03-03',
    format: 'date',
    // The range as a pattern too (years 1900–2100), so that a validator of the document refuses what the server does.
    pattern: '^(?:19\\d{2}|20\\d{2}|2100)-\\d{2}-\\d{2}$',
    description: `A date from ${DATE_RANGE.min} to ${DATE_RANGE.max}`,
  });

const DECIMAL_RE = /^[0-9]{1,16}$/;

interface IntParamOptions {
  readonly min: number;
  readonly max: number;
  readonly description?: string;
}

/**
 * A query integer written in decimal digits only — no sign, exponent, `0x` prefix, point
 * or space (`limit=0x10` is a 400, not 16) — from `min` to `max`, optional or with a
 * `default`. Described in the document as an integer with those bounds and that default.
 */
export function intParam(o: IntParamOptions & { readonly default: number }): ReturnType<typeof withDefault>;
export function intParam(o: IntParamOptions): ReturnType<ReturnType<typeof decimalInt>['optional']>;
export function intParam(o: IntParamOptions & { readonly default?: number }) {
  return o.default === undefined ? decimalInt(o).optional() : withDefault(decimalInt(o), o.default);
}

function withDefault(schema: ReturnType<typeof decimalInt>, value: number) {
  return schema.default(value).openapi({ default: value });
}

function decimalInt(o: IntParamOptions) {
  return z
    .string()
    .regex(DECIMAL_RE, { error: 'expected a whole number in decimal digits (no sign, exponent, 0x prefix or point)' })
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(o.min, { error: `at least ${o.min}` })
        .max(o.max, { error: (iss) => `at most ${o.max} (got ${String(iss.input)})` }),
    )
    .openapi({
      type: 'integer',
      minimum: o.min,
      maximum: o.max,
      ...(o.description === undefined ? {} : { description: o.description }),
    });
}

export const CaseParams = z.object({
  caseId: text(LIMITS.id).openapi({ param: { name: 'caseId', in: 'path' }, example: 'us-pakistan' }),
});

export const IdParams = z.object({ id: text(LIMITS.id).openapi({ param: { name: 'id', in: 'path' } }) });

/** The served case, or 404. */
export function requireCase(deps: ServerDeps, caseId: string): ServedCase {
  const served = deps.cases.get(caseId);
  if (served === undefined) throw notFound(`no case "${caseId}"`);
  return served;
}

interface Operation {
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly action: Action;
}

/**
 * The declarations of a collection's routes — `GET path` lists it, `POST path` adds to it,
 * `DELETE path/{id}` removes one item — with their role checks and error responses, so each
 * resource (API tokens, webhooks) states only its names, schemas and texts.
 */
export function collectionRoutes<P extends string>(path: P, tag: string) {
  const tags = [tag];
  const named = (o: Operation) => ({
    operationId: o.operationId,
    summary: o.summary,
    ...(o.description === undefined ? {} : { description: o.description }),
  });
  return {
    list: <T extends z.ZodType>(o: Operation & { readonly item: T; readonly listed: string }) =>
      createRoute({
        method: 'get',
        path,
        tags,
        ...named(o),
        middleware: authorize(o.action),
        responses: { 200: json(z.array(o.item), o.listed), 401: E[401], 403: E[403] },
      }),
    create: <B extends z.ZodType, R extends z.ZodType, X extends Partial<typeof E>>(
      o: Operation & { readonly body: B; readonly created: R; readonly createdText: string; readonly errors: X },
    ) =>
      createRoute({
        method: 'post',
        path,
        tags,
        ...named(o),
        middleware: authorizeWrite(o.action),
        request: { body: { content: { 'application/json': { schema: o.body } }, required: true } },
        responses: { 201: json(o.created, o.createdText), ...o.errors },
      }),
    remove: <R extends z.ZodType>(o: Operation & { readonly result: R; readonly text: string }) =>
      createRoute({
        method: 'delete',
        path: `${path}/{id}` as const,
        tags,
        ...named(o),
        middleware: authorize(o.action),
        request: { params: IdParams },
        // 413: a body is not read on this route, but one over the limit is refused before anything else.
        responses: { 200: json(o.result, o.text), 400: E[400], 401: E[401], 403: E[403], 404: E[404], 413: E[413] },
      }),
  };
}
