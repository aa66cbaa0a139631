/**
 * `GET /api/cases/{caseId}/history`: statuses and decisions at each step from one date to
 * another, and the transitions between them. Traced in the worker pool (heavy-work.ts),
 * within the point limit of input-limits.ts.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { STEPS } from '../../core/dates.ts';
import { invalidRequest } from '../api-error.ts';
import type { ServerDeps } from '../context.ts';
import { todayOf } from '../evidence-writes.ts';
import { answerHeavy, type HeavyWork } from '../heavy-work.ts';
import { HistorySchema } from '../history-schema.ts';
import { historyProblem, LIMITS } from '../input-limits.ts';
import { type ApiApp, authorize, CaseParams, DateParam, E, HEAVY_RESPONSES, json, requireCase } from './route-kit.ts';

export function registerHistoryRoutes(app: ApiApp, deps: ServerDeps, work: HeavyWork): void {
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
        ...HEAVY_RESPONSES,
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
      return answerHeavy(c, deps, work, {
        kind: 'history',
        caseId,
        from: q.from,
        to,
        step: q.step,
        ...(q.recordedBy === undefined ? {} : { recordedBy: q.recordedBy }),
      });
    },
  );
}
