/**
 * The ledger of a case: list and read entries; append entries, corrections and
 * retractions (evidence-writes.ts validates them exactly as case files are, sets
 * `recorded`, appends atomically with the audit record and raises alerts).
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Evidence } from '../../core/evidence.ts';
import { type EvidenceFilter, queryEvidence } from '../../core/evidence-query.ts';
import { ApiError, invalidRequest, notFound } from '../api-error.ts';
import type { AuthContext, ServerDeps } from '../context.ts';
import { MAX_BATCH, writeEvidence } from '../evidence-writes.ts';
import { LIMITS, tooBig } from '../input-limits.ts';
import { LedgerEntrySchema } from '../ledger-entry-schema.ts';
import { toWire } from '../wire.ts';
import { AlertSchema } from './alerts.ts';
import {
  type ApiApp,
  authorize,
  authorizeWrite,
  CaseParams,
  DateParam,
  E,
  intParam,
  json,
  requireCase,
  text,
  WRITE_ERRORS,
} from './route-kit.ts';

const EvidenceParams = CaseParams.extend({
  id: text(LIMITS.evidenceId).openapi({ param: { name: 'id', in: 'path' }, example: 'ev-1999-pressler-waiver' }),
});

/** Replaced in the served document by the case-file schema of an item (openapi-document.ts). */
const EvidenceItem = z.record(z.string(), z.unknown()).openapi('EvidenceItem', {
  description: 'An evidence item as written in case files (schema/evidence-item.schema.json); `recorded` is set by the server.',
});

/** Replaced in the served document by the item schema with what a retraction takes from the withdrawn entry left optional (openapi-document.ts). */
const EvidenceRetraction = z.record(z.string(), z.unknown()).openapi('EvidenceRetraction', {
  description: 'A retraction: an evidence item whose kind, actors and occurrence default to the withdrawn entry’s.',
});

const EvidencePageSchema = z
  .object({
    total: z.number().int(),
    offset: z.number().int(),
    limit: z.number().int(),
    items: z.array(LedgerEntrySchema),
  })
  .openapi('EvidencePage');

const EvidenceDetailSchema = z
  .object({
    entry: LedgerEntrySchema,
    supersededBy: z.array(z.string()).openapi({ description: 'Ids of the entries that supersede it.' }),
  })
  .openapi('EvidenceDetail');

export const WriteResultSchema = z
  .object({
    added: z.number().int(),
    unchanged: z.number().int().openapi({ description: 'Entries identical to stored ones (re-sends).' }),
    ids: z.array(z.string()),
    alerts: z.array(AlertSchema).openapi({ description: 'Alerts the write raised.' }),
  })
  .openapi('WriteResult');

const EvidenceQuery = z.object({
  from: DateParam.optional(),
  to: DateParam.optional(),
  actor: text(LIMITS.filter).optional(),
  kind: text(LIMITS.filter).optional(),
  reliability: z.enum(['A', 'B', 'C', 'D', 'E', 'F']).optional().openapi({ description: 'Best source grade at least this' }),
  q: text(LIMITS.search).optional().openapi({ description: 'Full-text search: every word must appear' }),
  recordedBy: DateParam.optional().openapi({ description: 'Only entries recorded by this date' }),
  offset: intParam({ min: 0, max: LIMITS.offset, default: 0 }),
  limit: intParam({ min: 1, max: 500, default: 50 }),
});

/** What a write route asks for: new entries, or a correction or retraction of `target`. */
type WriteKind = { readonly mode: 'append' } | { readonly mode: 'correction' | 'retraction'; readonly target: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The entries a write request stands for: the item, a batch (`{ entries }`), or the item
 * completed as a correction or retraction of `target`.
 */
async function entriesToWrite(
  deps: ServerDeps,
  caseId: string,
  kind: WriteKind,
  body: unknown,
): Promise<{ raws: unknown[]; batch: boolean }> {
  if (kind.mode === 'append') {
    if (!isRecord(body) || !('entries' in body)) return { raws: [body], batch: false };
    const list = body.entries;
    const message = `entries must be a list of 1 to ${MAX_BATCH} evidence items`;
    if (!Array.isArray(list))
      throw invalidRequest(message, [
        { code: 'invalid-type', path: 'entries', message: `expected a list of 1 to ${MAX_BATCH} evidence items` },
      ]);
    if (list.length === 0)
      throw invalidRequest(message, [{ code: 'too-small', path: 'entries', message: 'at least 1 entry', details: { limit: 1 } }]);
    if (list.length > MAX_BATCH)
      throw invalidRequest(message, [
        tooBig('entries', `at most ${MAX_BATCH} entries (got ${list.length})`, MAX_BATCH, list.length),
      ]);
    return { raws: list, batch: true };
  }
  const target = kind.target;
  const old = (await deps.cases.entries(caseId)).find((e) => e.id === target);
  if (old === undefined) throw notFound(`no evidence "${target}" in case "${caseId}"`);
  if (!isRecord(body))
    throw invalidRequest('expected an evidence item', [{ code: 'invalid-type', path: '', message: 'expected an object' }]);
  if (body.supersedes !== undefined && body.supersedes !== target)
    throw invalidRequest(`this entry supersedes "${target}"`, [
      { code: 'invalid-value', path: 'supersedes', message: `must be "${target}" (or left out) on this route` },
    ]);
  if (kind.mode === 'retraction' && body.retracted !== undefined && body.retracted !== true)
    throw invalidRequest('a retraction is retracted', [
      {
        code: 'invalid-value',
        path: 'retracted',
        message: 'must be true (or left out) on this route: send a correction instead',
      },
    ]);
  const base =
    kind.mode === 'retraction'
      ? {
          kind: old.kind,
          actors: old.actors,
          occurred: old.occurred === old.occurredTo ? old.occurred : { from: old.occurred, to: old.occurredTo },
          retracted: true,
        }
      : {};
  return { raws: [{ ...base, ...body, supersedes: target }], batch: false };
}

/** Stores what the request stands for, or throws why not (400, 404, 409). */
async function write(
  deps: ServerDeps,
  caller: AuthContext,
  caseId: string,
  kind: WriteKind,
  body: unknown,
): Promise<z.output<typeof WriteResultSchema>> {
  const served = requireCase(deps, caseId);
  const { raws, batch } = await entriesToWrite(deps, caseId, kind, body);
  const outcome = await writeEvidence(deps, served, raws, caller.user, { batch, action: `evidence.${kind.mode}` });
  if (outcome.kind === 'invalid') throw invalidRequest('the evidence is not valid; nothing was stored', outcome.problems);
  if (outcome.kind === 'conflict')
    throw new ApiError('conflict', 'the ledger already holds different content under these ids; nothing was stored', {
      problems: outcome.problems,
    });
  return toWire(WriteResultSchema, {
    added: outcome.added,
    unchanged: outcome.unchanged,
    ids: outcome.ids,
    alerts: outcome.alerts,
  });
}

export function registerEvidenceRoutes(app: ApiApp, deps: ServerDeps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/cases/{caseId}/evidence',
      operationId: 'listEvidence',
      summary: 'List and search the ledger',
      tags: ['evidence'],
      middleware: authorize('read'),
      request: { params: CaseParams, query: EvidenceQuery },
      responses: {
        200: json(EvidencePageSchema, 'A page of the ledger, newest occurrence first'),
        400: E[400],
        401: E[401],
        404: E[404],
      },
    }),
    async (c) => {
      const { caseId } = c.req.valid('param');
      requireCase(deps, caseId);
      const q = c.req.valid('query');
      let entries: readonly Evidence[] = await deps.cases.entries(caseId);
      const recordedBy = q.recordedBy;
      if (recordedBy !== undefined) entries = entries.filter((e) => e.recorded <= recordedBy);
      const filter: EvidenceFilter = {
        ...(q.from === undefined ? {} : { from: q.from }),
        ...(q.to === undefined ? {} : { to: q.to }),
        ...(q.actor === undefined ? {} : { actor: q.actor }),
        ...(q.kind === undefined ? {} : { kind: q.kind }),
        ...(q.reliability === undefined ? {} : { reliability: q.reliability }),
        ...(q.q === undefined ? {} : { q: q.q }),
      };
      const page = queryEvidence(entries, filter, { offset: q.offset, limit: q.limit });
      return c.json(toWire(EvidencePageSchema, { total: page.total, offset: q.offset, limit: q.limit, items: page.items }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/cases/{caseId}/evidence/{id}',
      operationId: 'getEvidence',
      summary: 'Get a ledger entry',
      tags: ['evidence'],
      middleware: authorize('read'),
      request: { params: EvidenceParams },
      responses: {
        200: json(EvidenceDetailSchema, 'The entry and the entries that supersede it'),
        400: E[400],
        401: E[401],
        404: E[404],
      },
    }),
    async (c) => {
      const { caseId, id } = c.req.valid('param');
      requireCase(deps, caseId);
      const entries = await deps.cases.entries(caseId);
      const entry = entries.find((e) => e.id === id);
      if (entry === undefined) throw notFound(`no evidence "${id}" in case "${caseId}"`);
      const supersededBy = entries.filter((e) => e.supersedes === id).map((e) => e.id);
      return c.json(toWire(EvidenceDetailSchema, { entry, supersededBy }), 200);
    },
  );

  const writeResponses = (stored: string) => ({
    201: json(WriteResultSchema, stored),
    ...WRITE_ERRORS,
    404: E[404],
    409: E[409],
  });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/cases/{caseId}/evidence',
      operationId: 'appendEvidence',
      summary: 'Append evidence',
      description:
        'Append one evidence item, or `{ entries: [...] }` (up to 1000) atomically. Validated as in case files; `recorded` is set to today by the server. Identical re-sends are counted as unchanged.',
      tags: ['evidence'],
      middleware: authorizeWrite('evidence.write'),
      request: {
        params: CaseParams,
        body: {
          content: {
            'application/json': {
              schema: z.union([
                EvidenceItem,
                // The bounds are checked by entriesToWrite (the item schema takes any object, so this branch never decides).
                z.object({ entries: z.array(EvidenceItem).openapi({ minItems: 1, maxItems: MAX_BATCH }) }),
              ]),
            },
          },
          required: true,
        },
      },
      responses: writeResponses('Stored (with any alerts it raised)'),
    }),
    async (c) =>
      c.json(await write(deps, c.get('caller'), c.req.valid('param').caseId, { mode: 'append' }, c.req.valid('json')), 201),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/cases/{caseId}/evidence/{id}/corrections',
      operationId: 'correctEvidence',
      summary: 'Correct a ledger entry',
      description: 'Record a corrected version of an entry: a new entry that supersedes it.',
      tags: ['evidence'],
      middleware: authorizeWrite('evidence.write'),
      request: { params: EvidenceParams, body: { content: { 'application/json': { schema: EvidenceItem } }, required: true } },
      responses: writeResponses('Stored'),
    }),
    async (c) => {
      const { caseId, id } = c.req.valid('param');
      return c.json(await write(deps, c.get('caller'), caseId, { mode: 'correction', target: id }, c.req.valid('json')), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/cases/{caseId}/evidence/{id}/retractions',
      operationId: 'retractEvidence',
      summary: 'Retract a ledger entry',
      description:
        'Withdraw an entry: a new entry with `retracted: true` that supersedes it (kind, actors and occurrence default to the withdrawn entry’s; give id, description, reported and sources).',
      tags: ['evidence'],
      middleware: authorizeWrite('evidence.write'),
      request: {
        params: EvidenceParams,
        body: { content: { 'application/json': { schema: EvidenceRetraction } }, required: true },
      },
      responses: writeResponses('Stored'),
    }),
    async (c) => {
      const { caseId, id } = c.req.valid('param');
      return c.json(await write(deps, c.get('caller'), caseId, { mode: 'retraction', target: id }, c.req.valid('json')), 201);
    },
  );
}
