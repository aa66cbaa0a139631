/**
 * Answers that skip the middleware chain, registered before it (app.ts): `GET /healthz`,
 * and the assessment when it is already computed. They are the server's most frequent
 * requests, and the chain (security headers, body limit, authentication, the route's role
 * check and schema validation, each an async step) costs more than writing the bytes.
 *
 * Contracts:
 * - `/healthz` reads nothing of the request and answers `{"ok":true}` with the security
 *   headers every answer carries.
 * - The cached assessment is answered here only when everything the full route would check
 *   passes, checked the same way: the same `authenticate` (token or session) and `can(role,
 *   'read')`, and parameters that the route's schema accepted before — the answer is
 *   looked up by the key the full route stored it under (heavy-work.ts: the case, its
 *   ledger size as stored now, and the validated parameters), so a key found means that an
 *   identical request was validated. Anything else — no or bad credentials, another role,
 *   an unknown case, a parameter repeated or not the route's, an answer not yet computed —
 *   goes on to the chain and the full route, which answer it (and compute and keep it).
 * - A fast answer is the full route's answer: the same bytes, ETag, negotiation and 304
 *   (representation.ts), the same security and cache headers.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { can } from './auth.ts';
import type { AppEnv, ServerDeps } from './context.ts';
import { todayOf } from './evidence-writes.ts';
import { assessmentJob, type HeavyWork, heavyAnswerKey } from './heavy-work.ts';
import { negotiateEncoding, noneMatchHits, REPRESENTATION_HEADERS, type Variant } from './representation.ts';
import { authenticate } from './session.ts';

/** Headers every answer carries (app.ts sets them on the others). */
export const SECURITY_HEADERS: readonly (readonly [string, string])[] = [
  ['X-Content-Type-Options', 'nosniff'],
  ['Referrer-Policy', 'no-referrer'],
  ['X-Frame-Options', 'DENY'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
];

const HEALTHZ_BODY = '{"ok":true}';
const HEALTHZ_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Type': 'application/json',
  ...Object.fromEntries(SECURITY_HEADERS),
  'Cache-Control': 'no-store',
});

const ASSESSMENT_QUERY: ReadonlySet<string> = new Set(['asOf', 'recordedBy']);

/** The headers of a fast answer of `variant` (kept with it: built once). */
const headersOf = new WeakMap<Variant, { readonly ok: Record<string, string>; readonly notModified: Record<string, string> }>();

function fastHeaders(variant: Variant, type: string) {
  let h = headersOf.get(variant);
  if (h === undefined) {
    const common = { ...Object.fromEntries(SECURITY_HEADERS), ...REPRESENTATION_HEADERS, ETag: variant.etag };
    h = {
      ok: Object.freeze({
        ...common,
        'Content-Type': type,
        ...(variant.coding === undefined ? {} : { 'Content-Encoding': variant.coding }),
      }) as Record<string, string>,
      notModified: Object.freeze(common) as Record<string, string>,
    };
    headersOf.set(variant, h);
  }
  return h;
}

/** The query of `url` as a map, or undefined when a name repeats or is not in `allowed`. */
function simpleQuery(url: string, allowed: ReadonlySet<string>): Map<string, string> | undefined {
  const at = url.indexOf('?');
  const out = new Map<string, string>();
  if (at < 0) return out;
  for (const [name, value] of new URLSearchParams(url.slice(at + 1))) {
    if (!allowed.has(name) || out.has(name)) return undefined;
    out.set(name, value);
  }
  return out;
}

export function registerFastAnswers(app: OpenAPIHono<AppEnv>, deps: ServerDeps, work: HeavyWork): void {
  app.get('/healthz', () => new Response(HEALTHZ_BODY, { status: 200, headers: HEALTHZ_HEADERS }));

  app.get('/api/cases/:caseId/assessment', async (c, next) => {
    const caseId = c.req.param('caseId');
    const query = simpleQuery(c.req.url, ASSESSMENT_QUERY);
    if (query === undefined || deps.cases.get(caseId) === undefined) return next();
    const auth = await authenticate(c, deps);
    if (auth === undefined || !can(auth.user.role, 'read')) return next();
    const job = assessmentJob(caseId, query.get('asOf') ?? todayOf(deps.now()), query.get('recordedBy'));
    const rep = work.answers.peek(heavyAnswerKey(await deps.cases.size(caseId), job));
    if (rep === undefined) return next();
    const variant = await rep.variant(negotiateEncoding(c.req.header('accept-encoding')));
    const headers = fastHeaders(variant, rep.type);
    if (noneMatchHits(c.req.header('if-none-match'), variant.etag))
      return new Response(null, { status: 304, headers: headers.notModified });
    return new Response(variant.body as Uint8Array<ArrayBuffer>, { status: 200, headers: headers.ok });
  });
}
