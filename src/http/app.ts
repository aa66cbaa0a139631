/**
 * The server's application: one Hono app serving the JSON API (`/api/…`, described at
 * `/openapi.json`) and the web UI, tested in-process with `app.request()`.
 *
 * Contracts:
 * - Nothing is reachable without authentication except `GET /healthz`, the sign-in page
 *   and the static assets it needs. Unauthenticated API calls get 401 (with
 *   `WWW-Authenticate: Bearer`); unauthenticated page views are redirected to sign-in.
 * - Writes through a session cookie carry the session's CSRF token (see session.ts), and
 *   every write without a bearer token (session writes, the sign-in form) must come from
 *   this site: `Sec-Fetch-Site` or `Origin` saying otherwise is a 403 `csrf`
 *   (same-origin.ts), checked before the session is looked at.
 * - Routes that take a JSON body read it strictly (json-body.ts); the limits of what a
 *   client may send are in input-limits.ts.
 * - Request bodies over `maxBodyBytes` get 413 before they are parsed.
 * - Errors have one JSON shape, the core error envelope (problems.ts). Whatever fails throws
 *   an `ApiError` (api-error.ts) — handlers, role checks, request validation (`defaultHook`),
 *   the body limit, authentication, unknown paths — and `onError` alone answers it.
 *   Anything else thrown is logged server-side and answered 500 `internal` with no internals.
 * - A path that exists for other methods answers 405 with `Allow`; only a path no route
 *   has answers 404.
 * - Every response carries security headers; HTML pages a Content-Security-Policy that
 *   forbids inline scripts.
 * - Heavy work (assessments, histories, briefs, the case pages) runs in worker threads,
 *   bounded in number, queue and time (heavy-work.ts, workers/); the event loop only
 *   routes, authenticates and writes answers, so `/healthz` and light requests stay fast.
 * - `GET /healthz`, and an assessment already computed, are answered before the middleware
 *   (fast-answers.ts, which checks what the chain would for that answer).
 */
import { join } from 'node:path';
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { errorEnvelope } from '../core/problem.ts';
import { StoreBusyError } from '../ports/event-store.ts';
import { ApiError, type ErrorCode, invalidRequest, unauthenticated } from './api-error.ts';
import { registerApiRoutes } from './api-routes.ts';
import type { AppEnv, ServerDeps } from './context.ts';
import { registerFastAnswers, SECURITY_HEADERS } from './fast-answers.ts';
import { createHeavyWork, heavyWorkError } from './heavy-work.ts';
import { registerOpenApiDocument } from './openapi-document.ts';
import { problemsOfZod } from './problems.ts';
import { crossSiteRefusal } from './same-origin.ts';
import { authenticate, csrfMatches, SAFE_METHODS, submittedCsrf } from './session.ts';
import { registerWebRoutes } from './web-routes.ts';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

const PUBLIC_PATHS: ReadonlySet<string> = new Set(['/healthz', '/login', '/static/app.js', '/static/app.css']);

export interface AppOptions {
  /** Where the package's files are (for schema/evidence-item.schema.json). */
  readonly packageRoot: string;
  /** Logs unexpected errors (default: console.error). */
  readonly logError?: (err: unknown) => void;
}

export function createApp(deps: ServerDeps, options: AppOptions): OpenAPIHono<AppEnv> {
  const logError = options.logError ?? ((err: unknown) => console.error(err));
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const where =
          result.target === 'json' || result.target === 'form' ? 'body' : result.target === 'param' ? 'path' : result.target;
        throw invalidRequest(`invalid ${where}: see error.problems`, problemsOfZod(result.error));
      }
    },
  });

  const work = createHeavyWork(deps);

  // Before any middleware: /healthz, and the assessment once computed (with the checks of its route).
  registerFastAnswers(app, deps, work);

  // A request answered without its body being read (refused by the body limit, the
  // authentication or the role check first) ends its connection, and says so: the unread
  // bytes are not drained reliably (a large body stalls the adapter's drain, which then
  // drops the socket), so a client reusing it would lose its next request.
  app.use('*', async (c, next) => {
    await next();
    if (bodyLeftUnread(c.req.raw)) c.header('Connection', 'close');
  });

  app.use('*', async (c, next) => {
    // Set before the handler, so that the response is made with them (setting headers on a
    // finished response copies it, body and all); a route that sets Cache-Control replaces
    // the default.
    for (const [name, value] of SECURITY_HEADERS) c.header(name, value);
    c.header('Cache-Control', 'no-store');
    await next();
    // A response made without the context's headers gets them now.
    if (!c.res.headers.has('X-Content-Type-Options')) {
      const hadCacheControl = c.res.headers.has('Cache-Control');
      for (const [name, value] of SECURITY_HEADERS) c.header(name, value);
      if (!hadCacheControl) c.header('Cache-Control', 'no-store');
    }
  });

  const limitBody = bodyLimit({
    maxSize: deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    onError: () => {
      throw new ApiError(
        'too-large',
        `request body over ${deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES} bytes; send fewer entries per request`,
      );
    },
  });
  // GET and HEAD requests carry no body that anything reads (looking for one costs a copy of the request).
  app.use('*', (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limitBody(c, next)));

  app.use('*', async (c, next) => {
    if (!SAFE_METHODS.has(c.req.method) && c.req.header('authorization') === undefined) {
      const refusal = crossSiteRefusal(c.req.raw.headers, new URL(c.req.url), deps.trustProxy === true);
      if (refusal !== undefined) throw new ApiError('csrf', refusal);
    }
    const auth = await authenticate(c, deps);
    c.set('auth', auth);
    const path = c.req.path;
    const isApi = path.startsWith('/api/') || path === '/openapi.json';
    if (auth === undefined && !PUBLIC_PATHS.has(path)) {
      if (isApi || c.req.method !== 'GET') throw unauthenticated();
      const next = encodeURIComponent(`${path}${new URL(c.req.url).search}`);
      return c.redirect(`/login?next=${next}`, 303);
    }
    if (auth?.via === 'session' && !SAFE_METHODS.has(c.req.method)) {
      const session = auth.session;
      if (session === undefined || !csrfMatches(session.csrfToken, await submittedCsrf(c)))
        throw new ApiError('csrf', 'missing or wrong CSRF token: reload the page and submit again');
    }
    await next();
    return undefined;
  });

  registerApiRoutes(app, deps, work);
  registerOpenApiDocument(app, join(options.packageRoot, 'schema', 'evidence-item.schema.json'));

  registerWebRoutes(app, deps, work);

  // A path that exists for other methods answers 405 with the methods it takes (Allow), not 404.
  const routes = app.routes.filter((r) => r.method !== 'ALL').map((r) => ({ method: r.method, pattern: routePattern(r.path) }));
  app.notFound((c) => {
    const allowed = [...new Set(routes.filter((r) => r.pattern.test(c.req.path)).map((r) => r.method))];
    if (allowed.length > 0) {
      if (allowed.includes('GET') && !allowed.includes('HEAD')) allowed.push('HEAD');
      const allow = allowed.sort().join(', ');
      throw new ApiError('method-not-allowed', `${c.req.method} is not allowed on ${c.req.path}; use ${allow}`, {
        headers: { Allow: allow },
      });
    }
    throw new ApiError('not-found', `no route ${c.req.method} ${c.req.path}`);
  });
  app.onError((err, c) => {
    const known =
      err instanceof ApiError
        ? err
        : (heavyWorkError(err) ??
          (err instanceof HTTPException
            ? fromHttpException(err)
            : err instanceof StoreBusyError
              ? new ApiError('unavailable', `the event store is busy: ${err.message}`)
              : undefined));
    if (known === undefined) {
      logError(err);
      return c.json(errorEnvelope('internal', 'unexpected server error; it has been logged'), 500);
    }
    for (const [name, value] of Object.entries(known.headers)) c.header(name, value);
    const body = errorEnvelope(known.code, known.message, {
      ...(known.problems === undefined ? {} : { problems: known.problems }),
      ...(known.details === undefined ? {} : { details: known.details }),
    });
    return c.json(body, known.status);
  });
  return app;
}

const HTTP_EXCEPTION_CODES: Readonly<Partial<Record<ContentfulStatusCode, ErrorCode>>> = {
  401: 'unauthenticated',
  403: 'forbidden',
  413: 'too-large',
  415: 'unsupported-media-type',
};

/**
 * An error Hono's own middleware raised before a handler ran (a body that is not JSON, a
 * media type the route does not take) as an `ApiError`; server errors stay unknown.
 */
function fromHttpException(err: HTTPException): ApiError | undefined {
  if (err.status >= 500) return undefined;
  const code = HTTP_EXCEPTION_CODES[err.status] ?? 'invalid-request';
  if (code !== 'invalid-request') return new ApiError(code, err.message);
  const message = `the request body could not be read: ${err.message}`;
  return invalidRequest(message, [{ code: 'syntax', path: '', message }]);
}

/** Whether the request came with a body that nothing read. */
function bodyLeftUnread(req: Request): boolean {
  if (req.bodyUsed) return false;
  const length = req.headers.get('content-length');
  return (length !== null && length !== '0') || req.headers.has('transfer-encoding');
}

/** A route path (`/api/cases/:caseId/evidence`, `/x/*`) as a regular expression over request paths. */
function routePattern(path: string): RegExp {
  const source = path
    .split('/')
    .map((part) => (part.startsWith(':') ? '[^/]+' : part === '*' ? '.*' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}/?$`);
}
