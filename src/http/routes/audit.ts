/**
 * `GET /api/audit`: the append-only audit log, oldest first.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { ServerDeps } from '../context.ts';
import { LIMITS } from '../input-limits.ts';
import { toWire } from '../wire.ts';
import { type ApiApp, authorize, E, intParam, json, text } from './route-kit.ts';

const AuditSchema = z
  .object({
    seq: z.number().int(),
    actor: z.string(),
    action: z.string().openapi({ example: 'evidence.append' }),
    at: z.string().openapi({ format: 'date-time' }),
    caseId: z.string().nullable(),
    ids: z.array(z.string()).openapi({ description: 'Ids of the records written.' }),
    supersedes: z.array(z.string()).openapi({ description: 'Evidence ids the written entries supersede.' }),
    detail: z
      .record(z.string(), z.unknown())
      .openapi({ description: 'Free-form detail of the action (a role, a URL); its keys depend on `action`.' }),
  })
  .openapi('AuditRecord');
const AuditList = z.array(AuditSchema);

export function registerAuditRoutes(app: ApiApp, deps: ServerDeps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/audit',
      operationId: 'listAuditRecords',
      summary: 'Read the audit log',
      tags: ['admin'],
      middleware: authorize('audit.read'),
      request: {
        query: z.object({
          caseId: text(LIMITS.id).optional(),
          action: text(LIMITS.filter).optional(),
          afterSeq: intParam({ min: 0, max: LIMITS.seq, description: 'Only records after this sequence number' }),
          limit: intParam({ min: 1, max: 10000, default: 1000 }),
        }),
      },
      responses: { 200: json(AuditList, 'Audit records, oldest first'), 400: E[400], 401: E[401], 403: E[403] },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const rows = await deps.store.audit({
        ...(q.caseId === undefined ? {} : { caseId: q.caseId }),
        ...(q.action === undefined ? {} : { action: q.action }),
        ...(q.afterSeq === undefined ? {} : { afterSeq: q.afterSeq }),
        limit: q.limit,
      });
      return c.json(toWire(AuditList, rows), 200);
    },
  );
}
