/**
 * The document frame every page shares: head (viewport, CSRF token for scripts, stylesheet
 * and the deferred enhancement script, all same-origin for the CSP), a skip link, the site
 * navigation with the signed-in user and the logout form, an optional case navigation with
 * the as-of date control, a flash message, and `<main>`.
 */
import type { Role } from '../ports/team-store.ts';
import { csrfField, hiddenFields, html, link, type Markup, paths, type QueryParams, urlOf } from './html.ts';

/** What every page needs to know about the request; filled by the server. */
export interface PageContext {
  /** The signed-in user, or undefined for anonymous pages (login, errors). */
  readonly user: { readonly name: string; readonly role: Role } | undefined;
  /** The session's CSRF token: put in every writing form and in `<meta name="csrf-token">`. */
  readonly csrfToken: string;
  /** The as-of date (YYYY-MM-DD) the user asked for; kept in every link. Undefined: the server's today. */
  readonly asOf?: string;
  /** A one-line message after a redirect ("3 entries added"). */
  readonly flash?: string;
}

/** Analysts and admins write evidence; viewers only read. (The server enforces this too.) */
export function canWrite(ctx: PageContext): boolean {
  return ctx.user !== undefined && ctx.user.role !== 'viewer';
}

/** Query parameters every in-app link carries. */
export function keep(ctx: PageContext, extra: QueryParams = {}): QueryParams {
  return { asOf: ctx.asOf, ...extra };
}

export type CaseSection = 'dashboard' | 'benchmark' | 'justifications' | 'evidence' | 'new-evidence';

export interface CaseFrame {
  readonly caseId: string;
  readonly caseTitle: string;
  readonly section: CaseSection;
  /** The date the page shows (the assessment's as-of), for the date control. */
  readonly shownAsOf?: string;
  /** Where the as-of form submits (the current page's path) and the query values it must keep. */
  readonly asOfAction?: string;
  readonly asOfKeep?: QueryParams;
}

export interface DocumentOptions {
  readonly title: string;
  readonly body: Markup;
  readonly nav?: 'cases' | 'alerts';
  readonly caseFrame?: CaseFrame;
}

/** Marks the link to the page being shown. */
const CURRENT_PAGE = html` aria-current="page"`;

function siteHeader(ctx: PageContext, nav: DocumentOptions['nav']): Markup {
  const item = (key: 'cases' | 'alerts', url: string, text: string) =>
    html`<li>${link(url, text, nav === key ? CURRENT_PAGE : '')}</li>`;
  const user =
    ctx.user === undefined
      ? html`<p class="user">${link(paths.login(), 'Sign in')}</p>`
      : html`<div class="user"><span>Signed in as <b>${ctx.user.name}</b> <span class="role">(${ctx.user.role})</span></span><form method="post" action="${paths.logout()}" class="inline-form">${csrfField(ctx.csrfToken)}<button type="submit" class="link-button">Sign out</button></form></div>`;
  const links =
    ctx.user !== undefined &&
    html`<nav aria-label="Site"><ul>${item('cases', urlOf(paths.home(), keep(ctx)), 'Cases')}${item('alerts', urlOf(paths.alerts(), keep(ctx)), 'Alerts')}</ul></nav>`;
  return html`<header class="site-header"><p class="brand">${link(urlOf(paths.home(), keep(ctx)), 'Proviso')}</p>${links}${user}</header>`;
}

/** The as-of control: a plain GET form (the script submits it on change). */
export function asOfForm(action: string, value: string | undefined, keepParams: QueryParams = {}): Markup {
  return html`<form method="get" action="${action}" class="asof-form" data-asof-form>${hiddenFields(keepParams)}<label for="asOf">As of</label><input type="date" id="asOf" name="asOf" value="${value ?? ''}" required><button type="submit">Show</button></form>`;
}

function caseHeader(ctx: PageContext, f: CaseFrame): Markup {
  const item = (section: CaseSection, url: string, text: string) =>
    html`<li>${link(url, text, f.section === section ? CURRENT_PAGE : '')}</li>`;
  const items = [
    item('dashboard', urlOf(paths.dashboard(f.caseId), keep(ctx)), 'Dashboard'),
    item('justifications', urlOf(paths.justifications(f.caseId), keep(ctx)), 'Justifications'),
    item('evidence', urlOf(paths.evidence(f.caseId), keep(ctx)), 'Evidence'),
  ];
  if (canWrite(ctx)) items.push(item('new-evidence', urlOf(paths.newEvidence(f.caseId), keep(ctx)), 'Add evidence'));
  const control = f.asOfAction !== undefined && asOfForm(f.asOfAction, f.shownAsOf ?? ctx.asOf, f.asOfKeep ?? {});
  return html`<div class="case-bar"><p class="case-name">Case: ${link(urlOf(paths.dashboard(f.caseId), keep(ctx)), f.caseTitle)}</p><nav aria-label="Case"><ul>${items}</ul></nav>${control}</div>`;
}

/** The whole page as a string, the form the server sends. */
export function renderDocument(ctx: PageContext, o: DocumentOptions): string {
  const flash = ctx.flash !== undefined && ctx.flash !== '' && html`<p class="flash" role="status">${ctx.flash}</p>`;
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${ctx.csrfToken}">
<meta name="referrer" content="same-origin">
<title>${o.title} — Proviso</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${paths.stylesheet()}">
<script src="${paths.script()}" defer></script>
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
${siteHeader(ctx, o.nav)}
${o.caseFrame !== undefined && caseHeader(ctx, o.caseFrame)}
<main id="main" tabindex="-1">
${flash}${o.body}
</main>
<footer class="site-footer"><p>Proviso — statuses, decisions and verdicts are computed from the case and the evidence ledger as of the date shown.</p></footer>
</body>
</html>
`.toString();
}
