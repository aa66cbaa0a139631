/**
 * `GET /api/alerts`: changes of benchmark status, gate decision or departure that evidence
 * writes caused, oldest first.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { ALERT_KINDS } from '../../ports/team-store.ts';
import type { ServerDeps } from '../context.ts';
import { LIMITS } from '../input-limits.ts';
import { toWire } from '../wire.ts';
import { type ApiApp, authorize, E, intParam, json, text } from './route-kit.ts';

export const AlertSchema = z
  .object({
    seq: z.number().int(),
    caseId: z.string(),
    kind: z.enum(ALERT_KINDS),
    subject: z.string().openapi({ description: 'The benchmark or instrument id.' }),
    from: z.string(),
    to: z.string(),
    asOf: z.string().openapi({ format: 'date', description: 'The as-of date the change was assessed at.' }),
    evidenceIds: z.array(z.string()).openapi({ description: 'The evidence whose arrival caused it.' }),
    actor: z.string(),
    at: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Alert');
const AlertList = z.array(AlertSchema);

export function registerAlertRoutes(app: ApiApp, deps: ServerDeps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/alerts',
      operationId: 'listAlerts',
      summary: 'List alerts',
      tags: ['watch'],
      middleware: authorize('alerts.read'),
      request: {
        query: z.object({
          caseId: text(LIMITS.id).optional(),
          afterSeq: intParam({ min: 0, max: LIMITS.seq, description: 'Only alerts after this sequence number' }),
          limit: intParam({ min: 1, max: 1000, default: 100 }),
        }),
      },
      responses: { 200: json(AlertList, 'Alerts, oldest first'), 400: E[400], 401: E[401] },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const rows = await deps.store.alerts({
        ...(q.caseId === undefined ? {} : { caseId: q.caseId }),
        ...(q.afterSeq === undefined ? {} : { afterSeq: q.afterSeq }),
        limit: q.limit,
      });
      return c.json(toWire(AlertList, rows), 200);
    },
  );
}
