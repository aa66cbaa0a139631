/**
 * The JSON API under `/api`, described by OpenAPI 3.1 (served at `/openapi.json`).
 *
 * Every route needs an authenticated user (see app.ts); the role each needs is checked
 * here with `can`. Request parameters are validated by their zod schemas (400 with one
 * problem per field); evidence bodies are validated exactly as case files are.
 */
import { readFileSync } from 'node:fs';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { dateProblem, STEPS, type Step } from '../core/dates.ts';
import type { Evidence } from '../core/evidence.ts';
import { type EvidenceFilter, queryEvidence } from '../core/evidence-query.ts';
import { PERIODS } from '../ports/event-store.ts';
import { ROLES, type Role } from '../ports/team-store.ts';
import { buildFullBrief } from '../report/full-brief.ts';
import { renderHtmlBrief } from '../report/html-brief.ts';
import { renderMarkdownBrief } from '../report/markdown-brief.ts';
import { AssessmentSchema } from './assessment-schema.ts';
import { type Action, can, hashPassword, MIN_PASSWORD_LENGTH, newApiToken, newId, newSecret, sha256Hex } from './auth.ts';
import type { AppEnv, ServerDeps } from './context.ts';
import { MAX_BATCH, todayOf, writeEvidence } from './evidence-writes.ts';
import { ErrorSchema, errorBody } from './problems.ts';

const DateParam = z
  .string()
  .refine((s) => dateProblem(s) === undefined, { error: (iss) => dateProblem(String(iss.input)) ?? 'invalid date' })
  .openapi({ example: '2023-03-03', format: 'date' });

const CaseParams = z.object({ caseId: z.string().openapi({ param: { name: 'caseId', in: 'path' }, example: 'us-pakistan' }) });
const EvidenceParams = CaseParams.extend({
  id: z.string().openapi({ param: { name: 'id', in: 'path' } }),
});

const EvidenceItem = z.record(z.string(), z.unknown()).openapi('EvidenceItem', {
  description: 'An evidence item as written in case files (schema/evidence-item.schema.json); `recorded` is set by the server.',
});
const StoredEvidence = z.record(z.string(), z.unknown()).openapi('Evidence', { description: 'A ledger entry.' });

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});
const errors = {
  400: json(ErrorSchema, 'Invalid request: one problem per field'),
  401: json(ErrorSchema, 'No valid token or session'),
  403: json(ErrorSchema, 'The user’s role does not allow this'),
  404: json(ErrorSchema, 'No such case or item'),
} as const;
const writeErrors = {
  ...errors,
  409: json(ErrorSchema, 'Conflicts with stored content; nothing was stored'),
  413: json(ErrorSchema, 'Request body too large'),
} as const;

const WriteResult = z
  .object({
    added: z.number().int(),
    unchanged: z.number().int(),
    ids: z.array(z.string()),
    alerts: z.array(z.record(z.string(), z.unknown())),
  })
  .openapi('WriteResult');

const UserSchema = z.object({ id: z.string(), name: z.string(), role: z.enum(ROLES), created: z.string() }).openapi('User');
const TokenSchema = z
  .object({ id: z.string(), userId: z.string(), name: z.string(), created: z.string(), revoked: z.string().optional() })
  .openapi('ApiToken');
const AuditSchema = z
  .object({
    seq: z.number().int(),
    actor: z.string(),
    action: z.string(),
    at: z.string(),
    caseId: z.string().nullable(),
    ids: z.array(z.string()),
    supersedes: z.array(z.string()),
    detail: z.record(z.string(), z.unknown()),
  })
  .openapi('AuditRecord');
const AlertSchema = z
  .object({
    seq: z.number().int(),
    caseId: z.string(),
    kind: z.string(),
    subject: z.string(),
    from: z.string(),
    to: z.string(),
    asOf: z.string(),
    evidenceIds: z.array(z.string()),
    actor: z.string(),
    at: z.string(),
  })
  .openapi('Alert');

const listParam = (pattern: RegExp, example: string) =>
  z
    .string()
    .regex(new RegExp(`^${pattern.source}(,${pattern.source})*$`), { error: `expected a comma-separated list like ${example}` })
    .optional()
    .openapi({ example });

const IdParams = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) });

/**
 * The declarations of a collection's routes — `GET path` lists it, `POST path` adds to it,
 * `DELETE path/{id}` removes one item — with the shared error responses, so each resource
 * (API tokens, webhooks) states only its tag, schemas and texts. Handlers and the order of
 * registration stay with the caller; role checks stay in GUARDS.
 */
function collectionRoutes<P extends string>(path: P, tag: string) {
  const tags = [tag];
  return {
    list: <T extends z.ZodType>(o: { readonly item: T; readonly listed: string; readonly description?: string }) =>
      createRoute({
        method: 'get',
        path,
        tags,
        ...(o.description === undefined ? {} : { description: o.description }),
        responses: { 200: json(z.array(o.item), o.listed), ...errors },
      }),
    create: <B extends z.ZodType, R extends z.ZodType>(o: {
      readonly description: string;
      readonly body: B;
      readonly created: R;
      readonly createdText: string;
    }) =>
      createRoute({
        method: 'post',
        path,
        tags,
        description: o.description,
        request: { body: { content: { 'application/json': { schema: o.body } }, required: true } },
        responses: { 201: json(o.created, o.createdText), ...writeErrors },
      }),
    remove: <R extends z.ZodType>(o: { readonly result: R; readonly text: string }) =>
      createRoute({
        method: 'delete',
        path: `${path}/{id}` as const,
        tags,
        request: { params: IdParams },
        responses: { 200: json(o.result, o.text), ...writeErrors },
      }),
  };
}

type Ctx = Context<AppEnv>;

function requireAction(c: Ctx, action: Action): Response | undefined {
  const auth = c.get('auth');
  if (auth === undefined) return c.json(errorBody('unauthenticated', 'sign in or send a token'), 401);
  if (!can(auth.user.role, action)) return c.json(errorBody('forbidden', `a ${auth.user.role} may not do this (${action})`), 403);
  return undefined;
}

const notFound = (c: Ctx, what: string) => c.json(errorBody('not-found', what), 404);

/** Reads the OpenAPI component for evidence items from the generated JSON Schema, with its `$defs` hoisted. */
export function evidenceItemComponents(schemaPath: string): Record<string, unknown> {
  const text = readFileSync(schemaPath, 'utf8').replaceAll('#/$defs/', '#/components/schemas/EvidenceItem_');
  const schema = JSON.parse(text) as Record<string, unknown> & { $defs?: Record<string, unknown> };
  const { $defs, $schema: _s, $id: _i, ...item } = schema;
  const out: Record<string, unknown> = { EvidenceItem: item };
  for (const [k, v] of Object.entries($defs ?? {})) out[`EvidenceItem_${k}`] = v;
  return out;
}

/**
 * The role check of each route that needs more than `read` — the one place it is made —
 * run before the request is validated: a viewer learns nothing about a write route's body
 * rules, and every write route answers 403 to a role without the right, whatever it sends.
 * (`read` is every role's, and app.ts lets no unauthenticated request reach `/api`.) Only
 * `POST /api/tokens` checks again inside, for naming another user (`token.any`).
 */
const GUARDS: readonly { method: string; path: string; action: (c: Ctx) => Action }[] = [
  { method: 'POST', path: '/api/cases/:caseId/evidence', action: () => 'evidence.write' },
  { method: 'POST', path: '/api/cases/:caseId/evidence/:id/corrections', action: () => 'evidence.write' },
  { method: 'POST', path: '/api/cases/:caseId/evidence/:id/retractions', action: () => 'evidence.write' },
  { method: 'GET', path: '/api/users', action: () => 'user.manage' },
  { method: 'POST', path: '/api/users', action: () => 'user.manage' },
  { method: 'POST', path: '/api/tokens', action: () => 'token.own' },
  { method: 'DELETE', path: '/api/tokens/:id', action: () => 'token.own' },
  { method: 'GET', path: '/api/webhooks', action: () => 'webhook.manage' },
  { method: 'POST', path: '/api/webhooks', action: () => 'webhook.manage' },
  { method: 'DELETE', path: '/api/webhooks/:id', action: () => 'webhook.manage' },
  { method: 'GET', path: '/api/audit', action: () => 'audit.read' },
  { method: 'GET', path: '/api/alerts', action: () => 'alerts.read' },
];

export function registerApiRoutes(app: OpenAPIHono<AppEnv>, deps: ServerDeps): void {
  for (const g of GUARDS) {
    app.use(g.path, async (c, next) => {
      // HEAD runs the GET handler (Hono answers it from GET routes): guard it as GET.
      const method = c.req.method === 'HEAD' ? 'GET' : c.req.method;
      if (method === g.method) {
        const denied = requireAction(c, g.action(c));
        if (denied) return denied;
      }
      await next();
      return undefined;
    });
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/me',
      tags: ['auth'],
      responses: {
        200: json(z.object({ user: UserSchema, via: z.enum(['token', 'session']) }), 'The signed-in user'),
        ...errors,
      },
    }),
    (c) => {
      const auth = c.get('auth');
      if (auth === undefined) return c.json(errorBody('unauthenticated', 'sign in or send a token'), 401) as never;
      return c.json({ user: auth.user, via: auth.via }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/cases',
      tags: ['cases'],
      responses: {
        200: json(
          z.array(
            z.object({
              id: z.string(),
              title: z.string(),
              interests: z.number().int(),
              instruments: z.number().int(),
              benchmarks: z.number().int(),
              evidence: z.number().int(),
            }),
          ),
          'The served cases',
        ),
        ...errors,
      },
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
      tags: ['cases'],
      request: { params: CaseParams },
      responses: { 200: json(z.record(z.string(), z.unknown()), 'The case definition as loaded from its folder'), ...errors },
    }),
    (c) => {
      const served = deps.cases.get(c.req.valid('param').caseId);
      if (served === undefined) return notFound(c, `no case "${c.req.valid('param').caseId}"`) as never;
      return c.json(served.case as unknown as Record<string, unknown>, 200);
    },
  );

  const EvidenceQuery = z.object({
    from: DateParam.optional(),
    to: DateParam.optional(),
    actor: z.string().optional(),
    kind: z.string().optional(),
    reliability: z.enum(['A', 'B', 'C', 'D', 'E', 'F']).optional().openapi({ description: 'Best source grade at least this' }),
    q: z.string().max(500).optional().openapi({ description: 'Full-text search: every word must appear' }),
    recordedBy: DateParam.optional().openapi({ description: 'Only entries recorded by this date' }),
    offset: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(500).default(50),
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/cases/{caseId}/evidence',
      tags: ['evidence'],
      request: { params: CaseParams, query: EvidenceQuery },
      responses: {
        200: json(
          z
            .object({
              total: z.number().int(),
              offset: z.number().int(),
              limit: z.number().int(),
              items: z.array(StoredEvidence),
            })
            .openapi('EvidencePage'),
          'A page of the ledger, newest occurrence first',
        ),
        ...errors,
      },
    }),
    async (c) => {
      const { caseId } = c.req.valid('param');
      if (deps.cases.get(caseId) === undefined) return notFound(c, `no case "${caseId}"`) as never;
      const q = c.req.valid('query');
      let entries: readonly Evidence[] = await deps.cases.entries(caseId);
      if (q.recordedBy !== undefined) entries = entries.filter((e) => e.recorded <= (q.recordedBy as string));
      const filter: EvidenceFilter = {
        ...(q.from === undefined ? {} : { from: q.from }),
        ...(q.to === undefined ? {} : { to: q.to }),
        ...(q.actor === undefined ? {} : { actor: q.actor }),
        ...(q.kind === undefined ? {} : { kind: q.kind }),
        ...(q.reliability === undefined ? {} : { reliability: q.reliability }),
        ...(q.q === undefined ? {} : { q: q.q }),
      };
      const page = queryEvidence(entries, filter, { offset: q.offset, limit: q.limit });
      return c.json(
        { total: page.total, offset: q.offset, limit: q.limit, items: page.items as unknown as Record<string, unknown>[] },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/cases/{caseId}/evidence/{id}',
      tags: ['evidence'],
      request: { params: EvidenceParams },
      responses: {
        200: json(
          z.object({ entry: StoredEvidence, supersededBy: z.array(z.string()) }),
          'The entry and the entries that supersede it',
        ),
        ...errors,
      },
    }),
    async (c) => {
      const { caseId, id } = c.req.valid('param');
      if (deps.cases.get(caseId) === undefined) return notFound(c, `no case "${caseId}"`) as never;
      const entries = await deps.cases.entries(caseId);
      const entry = entries.find((e) => e.id === id);
      if (entry === undefined) return notFound(c, `no evidence "${id}" in case "${caseId}"`) as never;
      const supersededBy = entries.filter((e) => e.supersedes === id).map((e) => e.id);
      return c.json({ entry: entry as unknown as Record<string, unknown>, supersededBy }, 200);
    },
  );

  const writeHandler =
    (mode: 'append' | 'correction' | 'retraction') =>
    async (c: Ctx): Promise<Response> => {
      const caseId = c.req.param('caseId') as string;
      const served = deps.cases.get(caseId);
      if (served === undefined) return notFound(c, `no case "${caseId}"`);
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        return c.json(
          errorBody('invalid-request', 'the body is not valid JSON', { problems: [{ path: '', message: 'expected JSON' }] }),
          400,
        );
      }
      let raws: unknown[];
      let batch = false;
      if (mode === 'append' && body !== null && typeof body === 'object' && !Array.isArray(body) && 'entries' in body) {
        const list = (body as { entries: unknown }).entries;
        if (!Array.isArray(list) || list.length === 0 || list.length > MAX_BATCH)
          return c.json(
            errorBody('invalid-request', `entries must be a list of 1 to ${MAX_BATCH} evidence items`, {
              problems: [{ path: 'entries', message: `expected a list of 1 to ${MAX_BATCH} evidence items` }],
            }),
            400,
          );
        raws = list;
        batch = true;
      } else {
        raws = [body];
      }
      if (mode !== 'append') {
        const target = c.req.param('id') as string;
        const entries = await deps.cases.entries(caseId);
        const old = entries.find((e) => e.id === target);
        if (old === undefined) return notFound(c, `no evidence "${target}" in case "${caseId}"`);
        const raw = body as Record<string, unknown> | null;
        if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
          return c.json(
            errorBody('invalid-request', 'expected an evidence item', {
              problems: [{ path: '', message: 'expected an object' }],
            }),
            400,
          );
        if (raw.supersedes !== undefined && raw.supersedes !== target)
          return c.json(
            errorBody('invalid-request', `this entry supersedes "${target}"`, {
              problems: [{ path: 'supersedes', message: `must be "${target}" (or left out) on this route` }],
            }),
            400,
          );
        const base =
          mode === 'retraction'
            ? {
                kind: old.kind,
                actors: old.actors,
                occurred: old.occurred === old.occurredTo ? old.occurred : `${old.occurred}/${old.occurredTo}`,
                retracted: true,
              }
            : {};
        raws = [{ ...base, ...raw, supersedes: target }];
      }
      const auth = c.get('auth');
      if (auth === undefined) return c.json(errorBody('unauthenticated', 'sign in or send a token'), 401);
      const outcome = await writeEvidence(deps, served, raws, auth.user, {
        batch,
        action: mode === 'append' ? 'evidence.append' : `evidence.${mode}`,
      });
      if (outcome.kind === 'invalid')
        return c.json(
          errorBody('invalid-request', 'the evidence is not valid; nothing was stored', { problems: outcome.problems }),
          400,
        );
      if (outcome.kind === 'conflict')
        return c.json(
          errorBody('conflict', 'the ledger already holds different content under these ids; nothing was stored', {
            conflicts: outcome.conflicts,
          }),
          409,
        );
      return c.json({ added: outcome.added, unchanged: outcome.unchanged, ids: outcome.ids, alerts: outcome.alerts }, 201);
    };

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/cases/{caseId}/evidence',
      tags: ['evidence'],
      description:
        'Append one evidence item, or `{ entries: [...] }` (up to 1000) atomically. Validated as in case files; `recorded` is set to today by the server. Identical re-sends are counted as unchanged.',
      request: {
        params: CaseParams,
        body: {
          content: { 'application/json': { schema: z.union([EvidenceItem, z.object({ entries: z.array(EvidenceItem) })]) } },
          required: true,
        },
      },
      responses: { 201: json(WriteResult, 'Stored (with any alerts it raised)'), ...writeErrors },
    }),
    writeHandler('append') as never,
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/cases/{caseId}/evidence/{id}/corrections',
      tags: ['evidence'],
      description: 'Record a corrected version of an entry: a new entry that supersedes it.',
      request: { params: EvidenceParams, body: { content: { 'application/json': { schema: EvidenceItem } }, required: true } },
      responses: { 201: json(WriteResult, 'Stored'), ...writeErrors },
    }),
    writeHandler('correction') as never,
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/cases/{caseId}/evidence/{id}/retractions',
      tags: ['evidence'],
      description:
        'Withdraw an entry: a new entry with `retracted: true` that supersedes it (kind, actors and occurrence default to the withdrawn entry’s; give id, description, reported and sources).',
      request: { params: EvidenceParams, body: { content: { 'application/json': { schema: EvidenceItem } }, required: true } },
      responses: { 201: json(WriteResult, 'Stored'), ...writeErrors },
    }),
    writeHandler('retraction') as never,
  );

  const AsOfQuery = z.object({ asOf: DateParam.optional(), recordedBy: DateParam.optional() });
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/cases/{caseId}/assessment',
      tags: ['assessments'],
      description:
        'Benchmark statuses, gate decisions and justification verdicts as of a date (default today), optionally as recorded by a date.',
      request: { params: CaseParams, query: AsOfQuery },
      responses: { 200: json(AssessmentSchema, 'The assessment, as `proviso assess --format json` prints it'), ...errors },
    }),
    async (c) => {
      const { caseId } = c.req.valid('param');
      if (deps.cases.get(caseId) === undefined) return notFound(c, `no case "${caseId}"`) as never;
      const q = c.req.valid('query');
      const text = await deps.cases.assessmentJson(caseId, q.asOf ?? todayOf(deps.now()), q.recordedBy);
      return c.body(text, 200, { 'Content-Type': 'application/json' }) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/cases/{caseId}/history',
      tags: ['assessments'],
      request: {
        params: CaseParams,
        query: z.object({
          from: DateParam,
          to: DateParam.optional(),
          step: z.enum(STEPS).default('month'),
          recordedBy: DateParam.optional(),
        }),
      },
      responses: {
        200: json(z.record(z.string(), z.unknown()).openapi('History'), 'Statuses at each step and the transitions'),
        ...errors,
      },
    }),
    async (c) => {
      const { caseId } = c.req.valid('param');
      if (deps.cases.get(caseId) === undefined) return notFound(c, `no case "${caseId}"`) as never;
      const q = c.req.valid('query');
      const to = q.to ?? todayOf(deps.now());
      if (q.from > to)
        return c.json(
          errorBody('invalid-request', 'from is after to', {
            problems: [{ path: 'from', message: `${q.from} is after to (${to})` }],
          }),
          400,
        ) as never;
      const h = await deps.cases.history(caseId, q.from, to, q.step as Step, q.recordedBy);
      return c.json(h as unknown as Record<string, unknown>, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/cases/{caseId}/brief',
      tags: ['briefs'],
      request: {
        params: CaseParams,
        query: z.object({
          asOf: DateParam.optional(),
          since: DateParam.optional(),
          format: z.enum(['html', 'md']).default('html'),
        }),
      },
      responses: {
        200: {
          content: { 'text/html': { schema: z.string() }, 'text/markdown': { schema: z.string() } },
          description: 'The brief (self-contained HTML, or Markdown)',
        },
        ...errors,
      },
    }),
    async (c) => {
      const { caseId } = c.req.valid('param');
      const served = deps.cases.get(caseId);
      if (served === undefined) return notFound(c, `no case "${caseId}"`) as never;
      const q = c.req.valid('query');
      const asOf = q.asOf ?? todayOf(deps.now());
      if (q.since !== undefined && q.since > asOf)
        return c.json(
          errorBody('invalid-request', 'since is after asOf', {
            problems: [{ path: 'since', message: `${q.since} is after asOf (${asOf})` }],
          }),
          400,
        ) as never;
      const model = buildFullBrief(served.case, await deps.cases.entries(caseId), asOf, q.since, {
        series: served.series,
        coverage: served.coverage,
      });
      if (q.format === 'md')
        return c.body(renderMarkdownBrief(model), 200, { 'Content-Type': 'text/markdown; charset=utf-8' }) as never;
      return c.body(renderHtmlBrief(model), 200, { 'Content-Type': 'text/html; charset=utf-8' }) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/events',
      tags: ['events'],
      description: 'Event counts, Goldstein sum and mean and average tone per period, from the ingested event data.',
      request: {
        query: z.object({
          actor1: listParam(/[A-Za-z0-9]{3,}/, 'USA,USAGOV'),
          actor2: listParam(/[A-Za-z0-9]{3,}/, 'PAK'),
          either: z.enum(['true', 'false']).optional(),
          from: DateParam.optional(),
          to: DateParam.optional(),
          by: z.enum(PERIODS).default('month'),
          root: listParam(/\d{1,2}/, '14,18,19'),
          quad: listParam(/[1-4]/, '3,4'),
        }),
      },
      responses: {
        200: json(
          z.object({
            rows: z.array(
              z.object({
                period: z.string(),
                count: z.number(),
                goldsteinSum: z.number().nullable(),
                goldsteinMean: z.number().nullable(),
                avgTone: z.number().nullable(),
              }),
            ),
          }),
          'One row per period',
        ),
        ...errors,
        503: json(ErrorSchema, 'No event data has been ingested into this server’s store'),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      if (q.from !== undefined && q.to !== undefined && q.from > q.to)
        return c.json(
          errorBody('invalid-request', 'from is after to', {
            problems: [{ path: 'from', message: `${q.from} is after to (${q.to})` }],
          }),
          400,
        ) as never;
      const split = (v: string | undefined) => (v === undefined ? undefined : v.split(','));
      const actor1 = split(q.actor1);
      const actor2 = split(q.actor2);
      const roots = split(q.root);
      const quads = split(q.quad);
      const rows = await deps.queryEvents?.(
        {
          ...(actor1 ? { actor1 } : {}),
          ...(actor2 ? { actor2 } : {}),
          ...(q.either === 'true' ? { either: true } : {}),
          ...(roots ? { rootCodes: roots.map((r) => r.padStart(2, '0')) } : {}),
          ...(quads ? { quadClasses: quads.map(Number) } : {}),
          ...(q.from ? { from: q.from } : {}),
          ...(q.to ? { to: q.to } : {}),
        },
        q.by,
      );
      if (rows === undefined)
        return c.json(
          errorBody('unavailable', 'no event data in this store: run `proviso ingest` with the same --store'),
          503,
        ) as never;
      return c.json({ rows }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/alerts',
      tags: ['watch'],
      request: {
        query: z.object({
          caseId: z.string().optional(),
          afterSeq: z.coerce.number().int().min(0).optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        }),
      },
      responses: { 200: json(z.array(AlertSchema), 'Alerts, oldest first'), ...errors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const rows = await deps.store.alerts({
        ...(q.caseId === undefined ? {} : { caseId: q.caseId }),
        ...(q.afterSeq === undefined ? {} : { afterSeq: q.afterSeq }),
        limit: q.limit,
      });
      return c.json(rows as unknown as z.infer<typeof AlertSchema>[], 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/audit',
      tags: ['admin'],
      request: {
        query: z.object({
          caseId: z.string().optional(),
          action: z.string().optional(),
          afterSeq: z.coerce.number().int().min(0).optional(),
          limit: z.coerce.number().int().min(1).max(10000).default(1000),
        }),
      },
      responses: { 200: json(z.array(AuditSchema), 'Audit records, oldest first'), ...errors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const rows = await deps.store.audit({
        ...(q.caseId === undefined ? {} : { caseId: q.caseId }),
        ...(q.action === undefined ? {} : { action: q.action }),
        ...(q.afterSeq === undefined ? {} : { afterSeq: q.afterSeq }),
        limit: q.limit,
      });
      return c.json(rows as unknown as z.infer<typeof AuditSchema>[], 200);
    },
  );

  // --- users, tokens, webhooks -------------------------------------------------------------

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/users',
      tags: ['admin'],
      responses: { 200: json(z.array(UserSchema), 'Users'), ...errors },
    }),
    async (c) => {
      return c.json(await deps.store.listUsers(), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/users',
      tags: ['admin'],
      request: {
        body: {
          content: {
            'application/json': {
              schema: z.object({
                name: z.string().regex(/^[A-Za-z0-9._@-]{1,64}$/, { error: 'expected 1–64 letters, digits or . _ @ -' }),
                role: z.enum(ROLES),
                password: z
                  .string()
                  .min(MIN_PASSWORD_LENGTH, { error: `expected at least ${MIN_PASSWORD_LENGTH} characters` })
                  .max(200),
              }),
            },
          },
          required: true,
        },
      },
      responses: { 201: json(UserSchema, 'Created'), ...writeErrors },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const now = deps.now().toISOString();
      const created = await deps.store.createUser({
        id: newId('usr'),
        name: body.name,
        role: body.role as Role,
        passwordHash: await hashPassword(body.password),
        created: now,
      });
      if (!created.ok) return c.json(errorBody('conflict', `a user named "${body.name}" exists`), 409) as never;
      await deps.store.recordAudit({
        actor: c.get('auth')?.user.name ?? '?',
        action: 'user.add',
        at: now,
        ids: [created.value.id],
        detail: { name: body.name, role: body.role },
      });
      return c.json(created.value, 201);
    },
  );

  const tokens = collectionRoutes('/api/tokens', 'auth');
  app.openapi(
    tokens.create({
      description: 'Create an API token (for yourself; admins may name another user). The token is shown once, in this response.',
      body: z.object({ name: z.string().min(1).max(100), user: z.string().optional() }),
      created: z.object({ token: z.string(), id: z.string(), user: z.string(), name: z.string() }),
      createdText: 'The token (shown once)',
    }),
    async (c) => {
      const body = c.req.valid('json');
      const auth = c.get('auth');
      const forOther = body.user !== undefined && body.user !== auth?.user.name;
      const denied = requireAction(c, forOther ? 'token.any' : 'token.own');
      if (denied || auth === undefined) return (denied ?? c.json(errorBody('unauthenticated', 'sign in'), 401)) as never;
      const owner = forOther ? await deps.store.findUserByName(body.user as string) : auth.user;
      if (owner === undefined) return notFound(c, `no user "${body.user}"`) as never;
      const token = newApiToken();
      const now = deps.now().toISOString();
      const stored = await deps.store.createToken({
        id: newId('tok'),
        userId: owner.id,
        name: body.name,
        tokenHash: sha256Hex(token),
        created: now,
      });
      await deps.store.recordAudit({
        actor: auth.user.name,
        action: 'token.create',
        at: now,
        ids: [stored.id],
        detail: { user: owner.name, name: body.name },
      });
      return c.json({ token, id: stored.id, user: owner.name, name: body.name }, 201);
    },
  );

  app.openapi(
    tokens.list({
      description: 'Your API tokens (never the tokens themselves: they are stored hashed).',
      item: TokenSchema,
      listed: 'Tokens, revoked ones included',
    }),
    async (c) => {
      const auth = c.get('auth');
      if (auth === undefined) return c.json(errorBody('unauthenticated', 'sign in or send a token'), 401) as never;
      return c.json(await deps.store.listTokens(auth.user.id), 200);
    },
  );

  app.openapi(tokens.remove({ result: z.object({ revoked: z.string() }), text: 'Revoked' }), async (c) => {
    const auth = c.get('auth');
    if (auth === undefined) return c.json(errorBody('unauthenticated', 'sign in'), 401) as never;
    const { id } = c.req.valid('param');
    const own = (await deps.store.listTokens(auth.user.id)).some((t) => t.id === id);
    if (!own && !can(auth.user.role, 'token.any')) return notFound(c, `no token "${id}" of yours`) as never;
    const now = deps.now().toISOString();
    if (!(await deps.store.revokeToken(id, now))) return notFound(c, `no active token "${id}"`) as never;
    await deps.store.recordAudit({ actor: auth.user.name, action: 'token.revoke', at: now, ids: [id] });
    return c.json({ revoked: id }, 200);
  });

  const WebhookSchema = z.object({ id: z.string(), url: z.string(), created: z.string() }).openapi('Webhook');
  const webhooks = collectionRoutes('/api/webhooks', 'watch');
  app.openapi(webhooks.list({ item: WebhookSchema, listed: 'Configured webhooks (secrets are not shown)' }), async (c) => {
    return c.json(
      (await deps.store.webhooks()).map((w) => ({ id: w.id, url: w.url, created: w.created })),
      200,
    );
  });
  app.openapi(
    webhooks.create({
      description:
        'Register a URL to receive alerts as signed POSTs. The signing secret is shown once; each request carries `X-Proviso-Signature: sha256=HMAC(secret, "<X-Proviso-Timestamp>.<body>")`.',
      body: z.object({
        url: z
          .string()
          .url()
          .regex(/^https?:\/\//, { error: 'expected an http(s) URL' }),
      }),
      created: WebhookSchema.extend({ secret: z.string() }),
      createdText: 'Registered (secret shown once)',
    }),
    async (c) => {
      const { url } = c.req.valid('json');
      const now = deps.now().toISOString();
      const hook = { id: newId('whk'), url, secret: newSecret(), created: now };
      await deps.store.addWebhook(hook);
      await deps.store.recordAudit({
        actor: c.get('auth')?.user.name ?? '?',
        action: 'webhook.add',
        at: now,
        ids: [hook.id],
        detail: { url },
      });
      return c.json(hook, 201);
    },
  );
  app.openapi(webhooks.remove({ result: z.object({ removed: z.string() }), text: 'Removed' }), async (c) => {
    const { id } = c.req.valid('param');
    if (!(await deps.store.removeWebhook(id))) return notFound(c, `no webhook "${id}"`) as never;
    await deps.store.recordAudit({
      actor: c.get('auth')?.user.name ?? '?',
      action: 'webhook.remove',
      at: deps.now().toISOString(),
      ids: [id],
    });
    return c.json({ removed: id }, 200);
  });
}
