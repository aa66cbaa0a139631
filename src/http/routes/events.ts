/**
 * `GET /api/events`: event counts, Goldstein sum and mean and average tone per period, from
 * the event data ingested into the server's store (503 when there is none).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { EVENT_FILTER_ITEMS, parseEventFilterInput } from '../../ports/event-filter-input.ts';
import { PERIODS } from '../../ports/event-store.ts';
import { ApiError, invalidRequest } from '../api-error.ts';
import type { ServerDeps } from '../context.ts';
import { LIMITS } from '../input-limits.ts';
import { type ApiApp, authorize, DateParam, E, json, text } from './route-kit.ts';

/**
 * What parseEventFilterInput takes as a list, as a pattern for the document: items matching
 * `item` separated by commas, blanks around them (what `trim` removes, which is what `\s`
 * matches), empty items skipped, at least one item.
 */
export function listPattern(item: RegExp): string {
  const one = item.source.replace(/^\^/, '').replace(/\$$/, '');
  return `^(?:\\s*,)*\\s*(?:${one})\\s*(?:,\\s*(?:(?:${one})\\s*)?)*$`;
}

/** A list parameter as the document describes it; the values are checked by parseEventFilterInput, as the CLI checks them. */
const listParam = (field: keyof typeof EVENT_FILTER_ITEMS) =>
  text(LIMITS.eventFilter)
    .optional()
    .openapi({
      example: EVENT_FILTER_ITEMS[field].example,
      pattern: listPattern(EVENT_FILTER_ITEMS[field].re),
      description: `comma-separated, each matching ${EVENT_FILTER_ITEMS[field].re.source}`,
    });

const EventRowsSchema = z
  .object({
    rows: z.array(
      z.object({
        period: z.string(),
        count: z.number(),
        goldsteinSum: z.number().nullable(),
        goldsteinMean: z.number().nullable(),
        avgTone: z.number().nullable(),
      }),
    ),
  })
  .openapi('EventRows');

export function registerEventRoutes(app: ApiApp, deps: ServerDeps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/events',
      operationId: 'queryEvents',
      summary: 'Count events per period',
      description: 'Event counts, Goldstein sum and mean and average tone per period, from the ingested event data.',
      tags: ['events'],
      middleware: authorize('read'),
      request: {
        query: z.object({
          actor1: listParam('actor1'),
          actor2: listParam('actor2'),
          either: z.enum(['true', 'false']).optional(),
          from: DateParam.optional(),
          to: DateParam.optional(),
          by: z.enum(PERIODS).default('month'),
          root: listParam('root'),
          quad: listParam('quad'),
        }),
      },
      responses: { 200: json(EventRowsSchema, 'One row per period'), 400: E[400], 401: E[401], 503: E[503] },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const parsed = parseEventFilterInput({ ...q, either: q.either === 'true' });
      if (!parsed.ok) {
        throw invalidRequest(
          'invalid event filter',
          parsed.problems.map((p) => ({ code: p.code, path: p.field ?? '', message: p.message })),
        );
      }
      const rows = await deps.queryEvents?.(parsed.filter, q.by);
      if (rows === undefined)
        throw new ApiError('unavailable', 'no event data in this store: run `proviso ingest` with the same --store');
      return c.json({ rows }, 200);
    },
  );
}
