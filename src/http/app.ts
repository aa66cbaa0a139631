/**
 * The server's application: one Hono app serving the JSON API (`/api/…`, described at
 * `/openapi.json`) and the web UI, tested in-process with `app.request()`.
 *
 * Contracts:
 * - Nothing is reachable without authentication except `GET /healthz`, the sign-in page
 *   and the static assets it needs. Unauthenticated API calls get 401 (with
 *   `WWW-Authenticate: Bearer`); unauthenticated page views are redirected to sign-in.
 * - Writes through a session cookie carry the session's CSRF token (see session.ts).
 * - Request bodies over `maxBodyBytes` get 413 before they are parsed.
 * - Errors have one JSON shape (problems.ts); unexpected errors are logged server-side and
 *   answered with 500 and no internals.
 * - Every response carries security headers; HTML pages a Content-Security-Policy that
 *   forbids inline scripts.
 */
import { join } from 'node:path';
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { evidenceItemComponents, registerApiRoutes } from './api-routes.ts';
import type { AppEnv, ServerDeps } from './context.ts';
import { errorBody, problemsOfZod } from './problems.ts';
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
    defaultHook: (result, c) => {
      if (!result.success) {
        return c.json(
          errorBody('invalid-request', `invalid ${result.target}`, {
            problems: problemsOfZod(result.error).map((p) => ({
              path: p.path === '' ? result.target : p.path,
              message: p.message,
            })),
          }),
          400,
        );
      }
      return undefined;
    },
  });

  app.use('*', async (c, next) => {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Frame-Options', 'DENY');
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
  });

  app.use(
    '*',
    bodyLimit({
      maxSize: deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      onError: (c) =>
        c.json(
          errorBody(
            'too-large',
            `request body over ${deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES} bytes; send fewer entries per request`,
          ),
          413,
        ),
    }),
  );

  app.use('*', async (c, next) => {
    const auth = await authenticate(c, deps);
    c.set('auth', auth);
    const path = c.req.path;
    const isApi = path.startsWith('/api/') || path === '/openapi.json';
    if (auth === undefined && !PUBLIC_PATHS.has(path)) {
      if (isApi || c.req.method !== 'GET') {
        c.header('WWW-Authenticate', 'Bearer realm="proviso"');
        return c.json(errorBody('unauthenticated', 'sign in or send a token (Authorization: Bearer …)'), 401);
      }
      const next = encodeURIComponent(`${path}${new URL(c.req.url).search}`);
      return c.redirect(`/login?next=${next}`, 303);
    }
    if (auth?.via === 'session' && !SAFE_METHODS.has(c.req.method)) {
      const session = auth.session;
      if (session === undefined || !csrfMatches(session.csrfToken, await submittedCsrf(c))) {
        return c.json(errorBody('csrf', 'missing or wrong CSRF token: reload the page and submit again'), 403);
      }
    }
    await next();
    return undefined;
  });

  app.get('/healthz', (c) => c.json({ ok: true }));

  registerApiRoutes(app, deps);

  const evidenceComponents = evidenceItemComponents(join(options.packageRoot, 'schema', 'evidence-item.schema.json'));
  app.get('/openapi.json', (c) => {
    const doc = app.getOpenAPI31Document({
      openapi: '3.1.0',
      info: {
        title: 'Proviso API',
        version: '0.1.0',
        description:
          'Cases, evidence (append-only: corrections and retractions supersede), assessments as of a date, history, event queries, briefs, alerts. Authenticate with `Authorization: Bearer <token>` (`proviso token create`).',
      },
      security: [{ bearer: [] }],
    });
    const components = (doc.components ??= {});
    components.securitySchemes = { bearer: { type: 'http', scheme: 'bearer' } };
    components.schemas = { ...(components.schemas ?? {}), ...(evidenceComponents as Record<string, never>) };
    return c.json(doc);
  });

  registerWebRoutes(app, deps);

  // A path that exists for other methods answers 405 with the methods it takes (Allow), not 404.
  const routes = app.routes.filter((r) => r.method !== 'ALL').map((r) => ({ method: r.method, pattern: routePattern(r.path) }));
  app.notFound((c) => {
    const allowed = [...new Set(routes.filter((r) => r.pattern.test(c.req.path)).map((r) => r.method))];
    if (allowed.length > 0) {
      if (allowed.includes('GET') && !allowed.includes('HEAD')) allowed.push('HEAD');
      c.header('Allow', allowed.sort().join(', '));
      return c.json(
        errorBody('method-not-allowed', `${c.req.method} is not allowed on ${c.req.path}; use ${allowed.join(', ')}`),
        405,
      );
    }
    return c.json(errorBody('not-found', `no route ${c.req.method} ${c.req.path}`), 404);
  });
  app.onError((err, c) => {
    if (err instanceof HTTPException && err.status < 500) {
      // Raised by middleware before our handlers run: a body that is not JSON, mostly.
      const code =
        err.status === 413
          ? 'too-large'
          : err.status === 401
            ? 'unauthenticated'
            : err.status === 403
              ? 'forbidden'
              : 'invalid-request';
      const message = err.status === 400 ? `the request body could not be read: ${err.message}` : err.message;
      return c.json(
        errorBody(code, message, code === 'invalid-request' ? { problems: [{ path: 'body', message }] } : {}),
        err.status,
      );
    }
    logError(err);
    return c.json(errorBody('internal', 'unexpected server error; it has been logged'), 500);
  });
  return app;
}

/** A route path (`/api/cases/:caseId/evidence`, `/x/*`) as a regular expression over request paths. */
function routePattern(path: string): RegExp {
  const source = path
    .split('/')
    .map((part) => (part.startsWith(':') ? '[^/]+' : part === '*' ? '.*' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}/?$`);
}
