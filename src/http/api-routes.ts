/**
 * The JSON API under `/api`, described by OpenAPI 3.1 (served at `/openapi.json`): one file
 * per resource under routes/, each registering its routes with their schemas, role checks
 * (`authorize`) and handlers. Handlers answer success only; failures are thrown as
 * `ApiError` and answered by `app.onError` (app.ts).
 */
import type { ServerDeps } from './context.ts';
import type { HeavyWork } from './heavy-work.ts';
import { registerAlertRoutes } from './routes/alerts.ts';
import { registerAssessmentRoutes } from './routes/assessment.ts';
import { registerAuditRoutes } from './routes/audit.ts';
import { registerBriefRoutes } from './routes/brief.ts';
import { registerCaseRoutes } from './routes/cases.ts';
import { registerEventRoutes } from './routes/events.ts';
import { registerEvidenceRoutes } from './routes/evidence.ts';
import { registerHistoryRoutes } from './routes/history.ts';
import { registerMeRoutes } from './routes/me.ts';
import type { ApiApp } from './routes/route-kit.ts';
import { registerTokenRoutes } from './routes/tokens.ts';
import { registerUserRoutes } from './routes/users.ts';
import { registerWebhookRoutes } from './routes/webhooks.ts';

export function registerApiRoutes(app: ApiApp, deps: ServerDeps, work: HeavyWork): void {
  registerMeRoutes(app);
  registerCaseRoutes(app, deps);
  registerEvidenceRoutes(app, deps);
  registerAssessmentRoutes(app, deps, work);
  registerHistoryRoutes(app, deps, work);
  registerBriefRoutes(app, deps, work);
  registerEventRoutes(app, deps);
  registerAlertRoutes(app, deps);
  registerAuditRoutes(app, deps);
  registerUserRoutes(app, deps);
  registerTokenRoutes(app, deps);
  registerWebhookRoutes(app, deps);
}
