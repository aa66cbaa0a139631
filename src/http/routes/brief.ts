/**
 * `GET /api/cases/{caseId}/brief`: the brief as of a date, as self-contained HTML or Markdown.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { buildFullBrief } from '../../report/full-brief.ts';
import { renderHtmlBrief } from '../../report/html-brief.ts';
import { renderMarkdownBrief } from '../../report/markdown-brief.ts';
import { invalidRequest } from '../api-error.ts';
import type { ServerDeps } from '../context.ts';
import { todayOf } from '../evidence-writes.ts';
import { type ApiApp, authorize, CaseParams, DateParam, E, requireCase } from './route-kit.ts';

export function registerBriefRoutes(app: ApiApp, deps: ServerDeps): void {
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
      },
    }),
    async (c) => {
      const { caseId } = c.req.valid('param');
      const served = requireCase(deps, caseId);
      const q = c.req.valid('query');
      const asOf = q.asOf ?? todayOf(deps.now());
      if (q.since !== undefined && q.since > asOf)
        throw invalidRequest('since is after asOf', [
          { code: 'bad-date', path: 'since', message: `${q.since} is after asOf (${asOf})` },
        ]);
      const model = buildFullBrief(served.case, await deps.cases.entries(caseId), asOf, q.since, {
        series: served.series,
        coverage: served.coverage,
      });
      if (q.format === 'md') return c.body(renderMarkdownBrief(model), 200, { 'Content-Type': 'text/markdown; charset=utf-8' });
      return c.body(renderHtmlBrief(model), 200, { 'Content-Type': 'text/html; charset=utf-8' });
    },
  );
}
