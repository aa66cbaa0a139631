/**
 * `GET /api/cases/{caseId}/assessment`: the assessment as of a date, as
 * `proviso assess --format json` prints it. Computed in the worker pool and kept as bytes
 * with a strong ETag and its compressed forms (heavy-work.ts); once kept, it is answered
 * before the middleware chain (fast-answers.ts): a repeated request costs the
 * authentication, the ledger-size check and the write of the bytes.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { AssessmentSchema } from '../assessment-schema.ts';
import type { ServerDeps } from '../context.ts';
import { todayOf } from '../evidence-writes.ts';
import { answerHeavy, assessmentJob, type HeavyWork } from '../heavy-work.ts';
import { type ApiApp, authorize, CaseParams, DateParam, E, HEAVY_RESPONSES, json, requireCase } from './route-kit.ts';

export function registerAssessmentRoutes(app: ApiApp, deps: ServerDeps, work: HeavyWork): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/cases/{caseId}/assessment',
      operationId: 'getAssessment',
      summary: 'Assess a case as of a date',
      description:
        'Benchmark statuses, gate decisions and justification verdicts as of a date (default today), optionally as recorded by a date.',
      tags: ['assessments'],
      middleware: authorize('read'),
      request: {
        params: CaseParams,
        query: z.object({
          asOf: DateParam.optional(),
          recordedBy: DateParam.optional().openapi({ description: 'Only entries recorded by this date' }),
        }),
      },
      responses: {
        200: json(AssessmentSchema, 'The assessment, as `proviso assess --format json` prints it'),
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
      const asOf = q.asOf ?? todayOf(deps.now());
      return answerHeavy(c, deps, work, assessmentJob(caseId, asOf, q.recordedBy));
    },
  );
}
