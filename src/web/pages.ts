/**
 * The web UI's pages: pure functions from a `PageContext` and the page's data to a full
 * HTML document. The HTTP server (src/http) does auth, sessions, CSRF checks, routing and
 * data loading, then calls these.
 *
 * Why server-rendered HTML with a small enhancement script, and no UI framework:
 * - Everything the UI shows already exists as server-side data and markup: the brief model
 *   (`buildFullBrief`) and its SVG charts (`renderBriefCharts`, ECharts SSR). Rendering the
 *   pages on the server reuses them as they are, so the dashboard and the printed brief
 *   cannot disagree, and the browser never needs the case, the ledger or a chart library.
 * - Plain links and forms work without JavaScript, are keyboard-navigable and read by
 *   screen readers by default, and every state has a URL (`?asOf=`, the evidence filters),
 *   so a view can be bookmarked, shared, cited and reloaded.
 * - The security surface stays small: one escaping rule (`escapeHtml`, `safeUrl` from the
 *   brief) applied where strings become markup, a strict CSP with no inline script
 *   (`WEB_CSP`), CSRF tokens in forms. No client-side templating means no second place
 *   where untrusted text could become markup.
 * - The enhancement bundle (src/web/client/app.ts, built in memory with esbuild) only adds
 *   conveniences: the as-of control submits on change, source blocks can be added and
 *   removed, the evidence form is checked before it is sent (with the server's messages,
 *   from the shared `evidence-form.ts`), the error summary gets focus, and a retraction
 *   asks for confirmation. With JavaScript off every page still does its job.
 * - Cost: a full page load per interaction, which is fine for an analyst tool whose pages
 *   are a few hundred kilobytes at most (the dashboard's charts dominate).
 *
 * Routes the pages link to (every link keeps `asOf`): `/`, `/login`, `/logout` (POST),
 * `/alerts`, `/cases/:caseId`, `/cases/:caseId/benchmarks/:benchmarkId`,
 * `/cases/:caseId/justifications`, `/cases/:caseId/evidence?from&to&actor&kind&reliability&q&page`,
 * `/cases/:caseId/evidence/new[?supersedes=ID]` (GET form, POST with `_csrf`),
 * `/static/app.js`, `/static/app.css`.
 *
 * Accessibility: a skip link, one `h1` per page and `h2` sections, labels (and hints and
 * errors via `aria-describedby`) on every control, visible focus, `aria-current` in the
 * navigation, tables with header cells that scroll sideways on phones, charts with a text
 * version, and every status, decision and verdict written out in words (colour and glyphs
 * are extras).
 */

/**
 * The Content-Security-Policy the pages are designed for (send it as a response header;
 * `frame-ancestors` does not work from a meta tag).
 * - Scripts: only the same-origin bundle; the pages have no inline script or handler.
 * - Styles: the stylesheet is same-origin, but the ECharts SVGs carry `style="font-…"`
 *   attributes, so inline style attributes must be allowed: `'unsafe-inline'` in
 *   `style-src`. `style-src-elem 'self'` still refuses inline `<style>` elements in
 *   browsers that know it (older browsers fall back to `style-src`).
 * - Images: same-origin and `data:` (the favicon is `data:,`); fetches: same-origin.
 */
export const WEB_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "style-src-elem 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export { type AlertCaseInfo, type AlertsPageData, renderAlertsPage } from './alerts-page.ts';
export { type BenchmarkPageData, renderBenchmarkPage } from './benchmark-page.ts';
export { type CaseListPageData, type CaseSummary, renderCaseListPage } from './case-list-page.ts';
export { type DashboardPageData, renderDashboardPage } from './dashboard-page.ts';
export { renderErrorPage } from './error-page.ts';
export {
  EVIDENCE_PAGE_SIZE,
  type EvidenceBrowserPageData,
  type EvidenceBrowserParams,
  type ParsedEvidenceQuery,
  parseEvidenceQuery,
  renderEvidenceBrowserPage,
} from './evidence-browser-page.ts';
export { checkEvidenceForm, type EvidenceFormValues, readEvidenceForm } from './evidence-form.ts';
export { type EvidenceFormPageData, renderEvidenceFormPage } from './evidence-form-page.ts';
export type { FieldError, SubmittedForm } from './form-fields.ts';
export { type JustificationsPageData, renderJustificationsPage } from './justifications-page.ts';
export { canWrite, type PageContext } from './layout.ts';
export { type LoginPageData, renderLoginPage } from './login-page.ts';
