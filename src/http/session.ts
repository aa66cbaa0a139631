/**
 * Authentication of a request: an API token (`Authorization: Bearer pvs_…`) or a web
 * session cookie. Only hashes of either are looked up in the store.
 *
 * CSRF: a request authenticated by the session cookie that may write (any method but
 * GET/HEAD/OPTIONS) must carry the session's CSRF token, in the `X-CSRF-Token` header or
 * the `_csrf` form field; token-authenticated requests carry no ambient credential and
 * need none. The sign-in form, which has no session yet, uses a double-submit cookie.
 */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { User } from '../ports/team-store.ts';
import { newSecret, safeEqual, sha256Hex } from './auth.ts';
import type { AppEnv, AuthContext, ServerDeps } from './context.ts';

export const SESSION_COOKIE = 'proviso_session';
export const LOGIN_CSRF_COOKIE = 'proviso_login_csrf';
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

export async function authenticate(c: Context<AppEnv>, deps: ServerDeps): Promise<AuthContext | undefined> {
  const header = c.req.header('authorization');
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match === null) return undefined;
    const found = await deps.store.findToken(sha256Hex(match[1] as string));
    return found === undefined ? undefined : { user: found.user, via: 'token' };
  }
  const sid = getCookie(c, SESSION_COOKIE);
  if (sid === undefined || sid === '') return undefined;
  const found = await deps.store.findSession(sha256Hex(sid), deps.now().toISOString());
  return found === undefined ? undefined : { user: found.user, via: 'session', session: found.session };
}

/** The CSRF token the request carries (header, or the `_csrf` field of a form body). */
export async function submittedCsrf(c: Context<AppEnv>): Promise<string | undefined> {
  const header = c.req.header('x-csrf-token');
  if (header !== undefined) return header;
  const type = c.req.header('content-type') ?? '';
  if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
    let body: Awaited<ReturnType<typeof c.req.parseBody>>;
    try {
      body = await c.req.parseBody({ all: true });
    } catch {
      return undefined; // a form that cannot be read (multipart without its boundaries) carries no token
    }
    const value = body._csrf;
    return typeof value === 'string' ? value : undefined;
  }
  return undefined;
}

export function csrfMatches(expected: string, submitted: string | undefined): boolean {
  return submitted !== undefined && safeEqual(expected, submitted);
}

export async function startSession(c: Context<AppEnv>, deps: ServerDeps, user: User): Promise<void> {
  const id = newSecret();
  const now = deps.now();
  const hours = deps.sessionHours ?? 12;
  const expires = new Date(now.getTime() + hours * 3600_000);
  await deps.store.createSession({
    idHash: sha256Hex(id),
    userId: user.id,
    csrfToken: newSecret(),
    created: now.toISOString(),
    expires: expires.toISOString(),
  });
  setCookie(c, SESSION_COOKIE, id, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure: deps.secureCookies === true,
    maxAge: hours * 3600,
  });
  deleteCookie(c, LOGIN_CSRF_COOKIE, { path: '/' });
}

export async function endSession(c: Context<AppEnv>, deps: ServerDeps): Promise<void> {
  const sid = getCookie(c, SESSION_COOKIE);
  if (sid !== undefined && sid !== '') await deps.store.deleteSession(sha256Hex(sid));
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
}

/** The sign-in form's CSRF token: the cookie's value, set if absent. */
export function loginCsrf(c: Context<AppEnv>, deps: ServerDeps): string {
  const existing = getCookie(c, LOGIN_CSRF_COOKIE);
  if (existing !== undefined && /^[A-Za-z0-9_-]{20,}$/.test(existing)) return existing;
  const token = newSecret();
  setCookie(c, LOGIN_CSRF_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/',
    secure: deps.secureCookies === true,
  });
  return token;
}
