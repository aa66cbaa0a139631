/**
 * `GET /api/cases/{caseId}/history`: statuses and decisions at each step from one date to
 * another, and the transitions between them.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { STEPS } from '../../core/dates.ts';
import { invalidRequest } from '../api-error.ts';
import type { ServerDeps } from '../context.ts';
import { todayOf } from '../evidence-writes.ts';
import { HistorySchema } from '../history-schema.ts';
import { historyProblem, LIMITS } from '../input-limits.ts';
import { toWire } from '../wire.ts';
import { type ApiApp, authorize, CaseParams, DateParam, E, json, requireCase } from './route-kit.ts';

export function registerHistoryRoutes(app: ApiApp, deps: ServerDeps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/cases/{caseId}/history',
      operationId: 'getHistory',
      summary: 'Trace a case over time',
      description: `At most ${LIMITS.historyPoints} points (\`from\`, each step after it, and \`to\`): a longer range or a shorter step is a 400 naming the limit and the points asked for.`,
      tags: ['assessments'],
      middleware: authorize('read'),
      request: {
        params: CaseParams,
        query: z.object({
          from: DateParam,
          to: DateParam.optional().openapi({ description: 'Default today' }),
          step: z.enum(STEPS).default('month'),
          recordedBy: DateParam.optional().openapi({ description: 'Only entries recorded by this date' }),
        }),
      },
      responses: {
        200: json(HistorySchema, 'Statuses at each step and the transitions'),
        400: E[400],
        401: E[401],
        404: E[404],
      },
    }),
    async (c) => {
      const { caseId } = c.req.valid('param');
      requireCase(deps, caseId);
      const q = c.req.valid('query');
      const to = q.to ?? todayOf(deps.now());
      if (q.from > to)
        throw invalidRequest('from is after to', [{ code: 'bad-date', path: 'from', message: `${q.from} is after to (${to})` }]);
      const tooMany = historyProblem(q.from, to, q.step, 'from');
      if (tooMany !== undefined) throw invalidRequest(tooMany.message, [tooMany]);
      const h = await deps.cases.history(caseId, q.from, to, q.step, q.recordedBy);
      return c.json(toWire(HistorySchema, h), 200);
    },
  );
}
