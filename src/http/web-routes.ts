/**
 * The web UI's routes: they authenticate (app.ts), load data through the same services as
 * the API, and render the server-side pages of src/web. Forms post back to the page that
 * shows them; after a write the browser is redirected (303) to a page showing the result.
 *
 * Contracts:
 * - Every page carries `WEB_CSP` (no inline script) and the session's CSRF token.
 * - Viewers get 403 on every writing page and form post, whatever the page shows.
 * - `next` after sign-in is followed only when it is a same-site path.
 * - Failed sign-ins are throttled per name and per client address (sign-in-throttle.ts): a
 *   refused attempt gets 429 with `Retry-After` and the form again, checks no password and
 *   starts no session; the answer is the same whether or not the name is a user's.
 * - An unknown `asOf` (not a date, or outside 1900-01-01 … 2100-12-31) is a 400 page, never an exception.
 * - The dashboard, benchmark and justifications pages are rendered in the worker pool
 *   (heavy-work.ts), the same HTML as rendering them here; when the pool is busy or the
 *   page runs over the time limit, an error page says so with status 503 or 504.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { evidenceFromForm } from '../adapters/case-files/validate-evidence-input.ts';
import { dateProblem } from '../core/dates.ts';
import type { Evidence } from '../core/evidence.ts';
import { buildClientBundle, WEB_CSS } from '../web/client-bundle.ts';
import type { PageContext } from '../web/layout.ts';
import {
  renderAlertsPage,
  renderCaseListPage,
  renderErrorPage,
  renderEvidenceBrowserPage,
  renderEvidenceFormPage,
  renderLoginPage,
  WEB_CSP,
} from '../web/pages.ts';
import { ApiError } from './api-error.ts';
import { can, DUMMY_PASSWORD_HASH, verifyPassword } from './auth.ts';
import type { AppEnv, ServerDeps } from './context.ts';
import { todayOf, writeEvidence } from './evidence-writes.ts';
import { type HeavyWork, heavyWorkError, runHeavy } from './heavy-work.ts';
import { dateRangeProblem } from './input-limits.ts';
import { csrfMatches, endSession, LOGIN_CSRF_COOKIE, loginCsrf, startSession } from './session.ts';
import { createSignInThrottle } from './sign-in-throttle.ts';
import type { HeavyJob } from './workers/heavy-jobs.ts';
import type { WorkResult } from './workers/work-pool.ts';

type Ctx = Context<AppEnv>;

function html(c: Ctx, body: string, status: 200 | 400 | 403 | 404 | 409 | 429 | 503 | 504 = 200): Response {
  c.header('Content-Security-Policy', WEB_CSP);
  return c.html(body, status);
}

function pageContext(c: Ctx, asOf?: string, flash?: string): PageContext {
  const auth = c.get('auth');
  return {
    user: auth === undefined ? undefined : { name: auth.user.name, role: auth.user.role },
    csrfToken: auth?.session?.csrfToken ?? '',
    ...(asOf === undefined ? {} : { asOf }),
    ...(flash === undefined ? {} : { flash }),
  };
}

/** The `asOf` query value if it is a date in the accepted range; `invalid` if given but not one. */
function asOfParam(c: Ctx): string | undefined | { invalid: string } {
  const v = c.req.query('asOf');
  if (v === undefined || v === '') return undefined;
  const problem = v.length > 10 ? 'not a date of the form YYYY-MM-DD' : (dateProblem(v) ?? dateRangeProblem(v, 'asOf')?.message);
  return problem === undefined ? v : { invalid: problem };
}

/** A same-site path to return to after sign-in, or `/`. */
export function safeNext(next: string | undefined): string {
  if (next === undefined || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return /^[\x21-\x7e]*$/.test(next) ? next : '/';
}

/**
 * The address a sign-in attempt is counted under: with `trustProxy`, the last entry of
 * `X-Forwarded-For` (the one the proxy appended); otherwise, or without that header, the
 * socket's peer as `@hono/node-server` passes it in the bindings. Undefined when neither is
 * known (in-process requests).
 */
function clientAddress(c: Ctx, trustProxy: boolean): string | undefined {
  if (trustProxy) {
    const last = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (last !== undefined && last !== '') return last;
  }
  type NodeBindings = { readonly incoming?: { readonly socket?: { readonly remoteAddress?: unknown } } };
  const env = c.env as (NodeBindings & { readonly server?: NodeBindings }) | undefined;
  const address = (env?.server ?? env)?.incoming?.socket?.remoteAddress;
  return typeof address === 'string' ? address : undefined;
}

/** What a refused sign-in says: why, and how long to wait, without saying whether the name exists. */
function throttledMessage(retryAfterSeconds: number): string {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  const wait =
    retryAfterSeconds < 60
      ? `${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}`
      : `${minutes} minute${minutes === 1 ? '' : 's'}`;
  return `Too many failed sign-in attempts for this name or from this network. Wait ${wait}, then try again.`;
}

function formFields(body: Record<string, string | File | (string | File)[]>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(body)) {
    if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string');
    else if (typeof v === 'string') out[k] = v;
  }
  return out;
}

export function registerWebRoutes(app: OpenAPIHono<AppEnv>, deps: ServerDeps, work: HeavyWork): void {
  const signInThrottle = deps.signInThrottle ?? createSignInThrottle();
  let bundle: Promise<string> | undefined;
  app.get('/static/app.js', async (c) => {
    bundle ??= (deps.clientScript ?? buildClientBundle)();
    c.header('Cache-Control', 'no-cache');
    return c.body(await bundle, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  });
  app.get('/static/app.css', (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.body(WEB_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  });

  app.get('/login', (c) => {
    if (c.get('auth') !== undefined) return c.redirect(safeNext(c.req.query('next')), 303);
    const csrf = loginCsrf(c, deps);
    const next = c.req.query('next');
    return html(c, renderLoginPage({ user: undefined, csrfToken: csrf }, next === undefined ? {} : { next: safeNext(next) }));
  });

  app.post('/login', async (c) => {
    const form = formFields(await c.req.parseBody({ all: true }));
    const expected = getCookie(c, LOGIN_CSRF_COOKIE);
    const submitted = typeof form._csrf === 'string' ? form._csrf : undefined;
    if (expected === undefined || !csrfMatches(expected, submitted)) {
      return html(
        c,
        renderErrorPage(
          pageContext(c),
          403,
          'The sign-in form expired or was not sent by this site. Reload the page and sign in again.',
        ),
        403,
      );
    }
    const name = typeof form.name === 'string' ? form.name : '';
    const password = typeof form.password === 'string' ? form.password : '';
    const next = safeNext(typeof form.next === 'string' ? form.next : undefined);
    const attempt = signInThrottle.begin(name, clientAddress(c, deps.trustProxy === true), deps.now());
    if (attempt.kind === 'refused') {
      c.header('Retry-After', String(attempt.retryAfterSeconds));
      const csrf = loginCsrf(c, deps);
      return html(
        c,
        renderLoginPage({ user: undefined, csrfToken: csrf }, { name, error: throttledMessage(attempt.retryAfterSeconds), next }),
        429,
      );
    }
    const user = name === '' ? undefined : await deps.store.findUserByName(name);
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
    if (user === undefined || !ok) {
      const csrf = loginCsrf(c, deps);
      return html(
        c,
        renderLoginPage({ user: undefined, csrfToken: csrf }, { name, error: 'Wrong name or password.', next }),
        400,
      );
    }
    attempt.succeeded();
    await startSession(c, deps, user);
    return c.redirect(next, 303);
  });

  app.post('/logout', async (c) => {
    await endSession(c, deps);
    return c.redirect('/login', 303);
  });

  app.get('/', (c) => {
    const asOf = asOfParam(c);
    const ctx = pageContext(c, typeof asOf === 'string' ? asOf : undefined);
    return html(
      c,
      renderCaseListPage(ctx, {
        cases: deps.cases.list().map((s) => ({
          id: s.case.id,
          title: s.case.title,
          principal: s.case.principal,
          counterpart: s.case.counterpart,
          actors: s.case.actors,
        })),
      }),
    );
  });

  app.get('/alerts', async (c) => {
    const alerts = await deps.store.alerts({});
    const recent = alerts.slice(-500);
    const asOf = asOfParam(c);
    return html(
      c,
      renderAlertsPage(pageContext(c, typeof asOf === 'string' ? asOf : undefined), {
        alerts: recent,
        cases: deps.cases.list().map((s) => ({
          id: s.case.id,
          title: s.case.title,
          benchmarks: s.case.benchmarks.map((b) => ({ id: b.id, title: b.title })),
          instruments: s.case.instruments.map((i) => ({ id: i.id, title: i.title })),
        })),
      }),
    );
  });

  /** Resolves the case and the as-of date of a case page, or answers the error page. */
  const casePage = (
    c: Ctx,
  ): { served: NonNullable<ReturnType<typeof deps.cases.get>>; asOf: string; ctx: PageContext } | Response => {
    const caseId = c.req.param('caseId') as string;
    const asOf = asOfParam(c);
    const ctx = pageContext(c, typeof asOf === 'string' ? asOf : undefined);
    if (typeof asOf === 'object') return html(c, renderErrorPage(ctx, 400, `asOf: ${asOf.invalid}`), 400);
    const served = deps.cases.get(caseId);
    if (served === undefined) return html(c, renderErrorPage(ctx, 404, `There is no case “${caseId}”.`), 404);
    return { served, asOf: asOf ?? todayOf(deps.now()), ctx };
  };

  /**
   * A case page rendered in the worker pool (heavy-work.ts); a busy pool or a page over the
   * time limit is an error page with the API's status (503 with `Retry-After`, 504).
   */
  const heavyPage = async (c: Ctx, ctx: PageContext, job: HeavyJob): Promise<Response> => {
    let result: WorkResult;
    try {
      result = await runHeavy(c, deps, work, job);
    } catch (err) {
      const known = err instanceof ApiError ? err : heavyWorkError(err);
      if (known === undefined || (known.status !== 503 && known.status !== 504)) throw err;
      for (const [name, value] of Object.entries(known.headers)) c.header(name, value);
      return html(
        c,
        renderErrorPage(ctx, known.status, `${known.message.charAt(0).toUpperCase()}${known.message.slice(1)}.`),
        known.status,
      );
    }
    if (result.kind === 'missing')
      return html(c, renderErrorPage(ctx, 404, `Case ${job.caseId} has no benchmark “${result.what}”.`), 404);
    c.header('Content-Security-Policy', WEB_CSP);
    // As `c.html` answers a page rendered here.
    return c.body(result.body as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': 'text/html; charset=UTF-8' });
  };

  app.get('/cases/:caseId', async (c) => {
    const page = casePage(c);
    if (page instanceof Response) return page;
    const { served, asOf, ctx } = page;
    const alerts = await deps.store.alerts({ caseId: served.case.id });
    return heavyPage(c, ctx, { kind: 'dashboard-page', caseId: served.case.id, asOf, ctx, alerts: alerts.slice(-50) });
  });

  app.get('/cases/:caseId/benchmarks/:benchmarkId', async (c) => {
    const page = casePage(c);
    if (page instanceof Response) return page;
    const { served, asOf, ctx } = page;
    const benchmarkId = c.req.param('benchmarkId');
    return heavyPage(c, ctx, { kind: 'benchmark-page', caseId: served.case.id, asOf, benchmarkId, ctx });
  });

  app.get('/cases/:caseId/justifications', async (c) => {
    const page = casePage(c);
    if (page instanceof Response) return page;
    const { served, asOf, ctx } = page;
    return heavyPage(c, ctx, { kind: 'justifications-page', caseId: served.case.id, asOf, ctx });
  });

  app.get('/cases/:caseId/evidence', async (c) => {
    const page = casePage(c);
    if (page instanceof Response) return page;
    const { served, asOf, ctx } = page;
    const all = await deps.cases.entries(served.case.id);
    const known = all.filter((e) => e.reported <= asOf && e.occurred <= asOf);
    const added = Number(c.req.query('added'));
    const changed = Number(c.req.query('changed') ?? '0');
    const flash =
      Number.isInteger(added) && added >= 0 && c.req.query('added') !== undefined
        ? `${added === 0 ? 'Nothing added: the ledger already holds this entry' : `${added} entr${added === 1 ? 'y' : 'ies'} added to the ledger`}${Number.isInteger(changed) && changed > 0 ? `; ${changed} status or gate change${changed === 1 ? '' : 's'} raised as alerts` : ''}.`
        : undefined;
    return html(
      c,
      renderEvidenceBrowserPage(flash === undefined ? ctx : { ...ctx, flash }, {
        case: served.case,
        entries: known,
        params: c.req.query(),
      }),
    );
  });

  const kindsOf = (entries: readonly Evidence[]) => [...new Set(entries.map((e) => e.kind))].sort();

  app.get('/cases/:caseId/evidence/new', async (c) => {
    const page = casePage(c);
    if (page instanceof Response) return page;
    const { served, ctx } = page;
    const auth = c.get('auth');
    if (auth === undefined || !can(auth.user.role, 'evidence.write'))
      return html(
        c,
        renderErrorPage(ctx, 403, 'Your role can read this case but not add evidence. Ask an admin for the analyst role.'),
        403,
      );
    const entries = await deps.cases.entries(served.case.id);
    const target = c.req.query('supersedes');
    const supersedes = target === undefined ? undefined : entries.find((e) => e.id === target);
    if (target !== undefined && supersedes === undefined)
      return html(c, renderErrorPage(ctx, 404, `There is no evidence “${target}” in this case to correct.`), 404);
    return html(
      c,
      renderEvidenceFormPage(ctx, {
        case: served.case,
        today: todayOf(deps.now()),
        kinds: kindsOf(entries),
        ...(supersedes === undefined ? {} : { supersedes }),
      }),
    );
  });

  app.post('/cases/:caseId/evidence/new', async (c) => {
    const page = casePage(c);
    if (page instanceof Response) return page;
    const { served, ctx } = page;
    const auth = c.get('auth');
    if (auth === undefined || !can(auth.user.role, 'evidence.write'))
      return html(c, renderErrorPage(ctx, 403, 'Your role may not add evidence.'), 403);
    const fields = formFields(await c.req.parseBody({ all: true }));
    const { _csrf: _ignored, ...evidenceFields } = fields;
    const raw = evidenceFromForm(evidenceFields);
    const outcome = await writeEvidence(deps, served, [raw], auth.user, { batch: false, action: 'evidence.append' });
    const entries = await deps.cases.entries(served.case.id);
    const target =
      typeof fields.supersedes === 'string' && fields.supersedes !== ''
        ? entries.find((e) => e.id === fields.supersedes)
        : undefined;
    if (outcome.kind !== 'stored') {
      const errors = outcome.problems;
      return html(
        c,
        renderEvidenceFormPage(ctx, {
          case: served.case,
          today: todayOf(deps.now()),
          kinds: kindsOf(entries),
          submitted: fields,
          errors,
          ...(target === undefined ? {} : { supersedes: target }),
        }),
        outcome.kind === 'invalid' ? 400 : 409,
      );
    }
    const id = outcome.ids[0] ?? '';
    const changed = outcome.alerts.length === 0 ? '' : `&changed=${outcome.alerts.length}`;
    const asOf = ctx.asOf === undefined ? '' : `&asOf=${encodeURIComponent(ctx.asOf)}`;
    return c.redirect(
      `/cases/${encodeURIComponent(served.case.id)}/evidence?q=${encodeURIComponent(id)}&added=${outcome.added}${changed}${asOf}`,
      303,
    );
  });
}
