/**
 * `GET /api/cases/{caseId}/brief`: the brief as of a date, as self-contained HTML or
 * Markdown, written in the worker pool (heavy-work.ts).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { invalidRequest } from '../api-error.ts';
import type { ServerDeps } from '../context.ts';
import { todayOf } from '../evidence-writes.ts';
import { answerHeavy, type HeavyWork } from '../heavy-work.ts';
import { type ApiApp, authorize, CaseParams, DateParam, E, HEAVY_RESPONSES, requireCase } from './route-kit.ts';

export function registerBriefRoutes(app: ApiApp, deps: ServerDeps, work: HeavyWork): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/cases/{caseId}/brief',
      operationId: 'getBrief',
      summary: 'Write the brief of a case',
      tags: ['briefs'],
      middleware: authorize('read'),
      request: {
        params: CaseParams,
        query: z.object({
          asOf: DateParam.optional(),
          since: DateParam.optional().openapi({ description: 'Report changes since this date' }),
          format: z.enum(['html', 'md']).default('html'),
        }),
      },
      responses: {
        200: {
          content: { 'text/html': { schema: z.string() }, 'text/markdown': { schema: z.string() } },
          description: 'The brief (self-contained HTML, or Markdown)',
        },
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
      if (q.since !== undefined && q.since > asOf)
        throw invalidRequest('since is after asOf', [
          { code: 'bad-date', path: 'since', message: `${q.since} is after asOf (${asOf})` },
        ]);
      return answerHeavy(c, deps, work, {
        kind: 'brief',
        caseId,
        asOf,
        ...(q.since === undefined ? {} : { since: q.since }),
        format: q.format,
      });
    },
  );
}
