/**
 * Sign-in: a plain POST form (name, password) with the CSRF token; after a failed attempt
 * the server re-renders it with the name kept and one message that does not say which of
 * the two was wrong.
 */
import { csrfField, html } from './html.ts';
import { type PageContext, renderDocument } from './layout.ts';

export interface LoginPageData {
  /** The name typed last time (kept after a failed attempt). */
  readonly name?: string;
  /** Why the last attempt failed, e.g. "Wrong name or password." */
  readonly error?: string;
  /** Where to go after signing in (a same-site path the server checks again on POST). */
  readonly next?: string;
}

export function renderLoginPage(ctx: PageContext, data: LoginPageData = {}): string {
  const error =
    data.error !== undefined &&
    html`<div class="error-summary" id="error-summary" role="alert" tabindex="-1"><h2>Sign-in failed</h2><p id="login-error">${data.error}</p></div>`;
  const described = data.error !== undefined && html` aria-describedby="login-error"`;
  const next = data.next !== undefined && html`<input type="hidden" name="next" value="${data.next}">`;
  const body = html`<h1>Sign in</h1>${error}<form method="post" action="/login" class="stack-form login-form">${csrfField(ctx.csrfToken)}${next}<div class="field"><label for="f-name">Name</label><input type="text" id="f-name" name="name" value="${data.name ?? ''}" autocomplete="username" autocapitalize="none" spellcheck="false" required${described}></div><div class="field"><label for="f-password">Password</label><input type="password" id="f-password" name="password" autocomplete="current-password" required${described}></div><button type="submit">Sign in</button></form>`;
  return renderDocument(ctx, { title: 'Sign in', body });
}
