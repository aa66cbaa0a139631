/**
 * `GET /api/cases` and `GET /api/cases/{caseId}`: the served cases and their definitions.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { CaseSchema } from '../case-definition-schema.ts';
import type { ServerDeps } from '../context.ts';
import { toWire } from '../wire.ts';
import { type ApiApp, authorize, CaseParams, E, json, requireCase } from './route-kit.ts';

const CaseSummarySchema = z
  .object({
    id: z.string(),
    title: z.string(),
    interests: z.number().int(),
    instruments: z.number().int(),
    benchmarks: z.number().int(),
    evidence: z.number().int().openapi({ description: 'Entries in the ledger (all recording dates).' }),
  })
  .openapi('CaseSummary');

export function registerCaseRoutes(app: ApiApp, deps: ServerDeps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/cases',
      operationId: 'listCases',
      summary: 'List the served cases',
      tags: ['cases'],
      middleware: authorize('read'),
      responses: { 200: json(z.array(CaseSummarySchema), 'The served cases'), 401: E[401] },
    }),
    async (c) => {
      const rows = await Promise.all(
        deps.cases.list().map(async (s) => ({
          id: s.case.id,
          title: s.case.title,
          interests: s.case.interests.length,
          instruments: s.case.instruments.length,
          benchmarks: s.case.benchmarks.length,
          evidence: (await deps.cases.entries(s.case.id)).length,
        })),
      );
      return c.json(rows, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/cases/{caseId}',
      operationId: 'getCase',
      summary: 'Get a case definition',
      tags: ['cases'],
      middleware: authorize('read'),
      request: { params: CaseParams },
      responses: {
        200: json(CaseSchema, 'The case definition as loaded from its folder'),
        400: E[400],
        401: E[401],
        404: E[404],
      },
    }),
    (c) => c.json(toWire(CaseSchema, requireCase(deps, c.req.valid('param').caseId).case), 200),
  );
}
