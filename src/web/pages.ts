/**
 * The web UI's pages: pure functions from a `PageContext` and the page's data to a full
 * HTML document, built with the escaping `html` template (src/report/markup.ts). The HTTP
 * server (src/http) does auth, sessions, CSRF checks, routing and data loading, then calls these.
 * Why server-rendered, how escaping works, accessibility: docs/web-rendering.md.
 *
 * Routes the pages link to (every link keeps `asOf`): `/`, `/login`, `/logout` (POST),
 * `/alerts`, `/cases/:caseId`, `/cases/:caseId/benchmarks/:benchmarkId`,
 * `/cases/:caseId/justifications`, `/cases/:caseId/evidence?from&to&actor&kind&reliability&q&page`,
 * `/cases/:caseId/evidence/new[?supersedes=ID]` (GET form, POST with `_csrf`),
 * `/static/app.js`, `/static/app.css`.
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
