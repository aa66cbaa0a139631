/**
 * What every API route file uses: the app type, response and parameter declarations, the
 * per-route role check, and the look-ups that answer 404.
 *
 * Contracts:
 * - Every `/api` route states the action its caller needs with `middleware: authorize(…)`
 *   (auth.ts has the table from role to actions). The check runs before the route's
 *   parameters and body are validated, so a role without the right gets 403 whatever it
 *   sends and learns nothing of the body's rules; HEAD runs the GET route (Hono answers it
 *   from GET routes), middleware included, so it is guarded as GET.
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
import { ErrorSchema } from '../problems.ts';

export type ApiApp = OpenAPIHono<AppEnv>;

/** What `authorize` adds: the caller, known to be signed in and allowed. */
export type CallerEnv = AppEnv & { Variables: { caller: AuthContext } };

/** Throws 403 unless the caller's role may do `action`. */
export function assertCan(caller: AuthContext, action: Action): void {
  if (!can(caller.user.role, action)) throw new ApiError('forbidden', `a ${caller.user.role} may not do this (${action})`);
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
  400: json(ErrorSchema, 'Invalid request: one problem per field in `error.problems`'),
  401: json(ErrorSchema, 'No valid token or session (`WWW-Authenticate: Bearer`)'),
  403: json(ErrorSchema, 'The user’s role does not allow this (or, through a session, the CSRF token is missing or wrong)'),
  404: json(ErrorSchema, 'No such case or item'),
  409: json(ErrorSchema, 'Conflicts with stored content (one problem per conflict); nothing was stored'),
  413: json(ErrorSchema, 'Request body too large'),
  415: json(ErrorSchema, 'The body is not `application/json`'),
  503: json(ErrorSchema, 'No event data has been ingested into this server’s store'),
} as const;

/** The errors of a route that writes a JSON body. */
export const WRITE_ERRORS = { 400: E[400], 401: E[401], 403: E[403], 413: E[413], 415: E[415] } as const;

export const DateParam = z
  .string()
  .refine((s) => dateProblem(s) === undefined, { error: (iss) => dateProblem(String(iss.input)) ?? 'invalid date' })
  .openapi({ example: '2023-03-03', format: 'date' });

export const CaseParams = z.object({
  caseId: z.string().openapi({ param: { name: 'caseId', in: 'path' }, example: 'us-pakistan' }),
});

export const IdParams = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) });

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
    middleware: authorize(o.action),
  });
  return {
    list: <T extends z.ZodType>(o: Operation & { readonly item: T; readonly listed: string }) =>
      createRoute({
        method: 'get',
        path,
        tags,
        ...named(o),
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
        request: { body: { content: { 'application/json': { schema: o.body } }, required: true } },
        responses: { 201: json(o.created, o.createdText), ...o.errors },
      }),
    remove: <R extends z.ZodType>(o: Operation & { readonly result: R; readonly text: string }) =>
      createRoute({
        method: 'delete',
        path: `${path}/{id}` as const,
        tags,
        ...named(o),
        request: { params: IdParams },
        responses: { 200: json(o.result, o.text), 401: E[401], 403: E[403], 404: E[404] },
      }),
  };
}
