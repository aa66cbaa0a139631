/**
 * `/openapi.json` stays true: every operation the served document lists is fuzzed with
 * requests drawn from the document's own schemas (openapi-fuzz-requests.ts), sent as bytes
 * to the real app listening on loopback, run against each store (openapi-fuzz-sqlite.test.ts,
 * openapi-fuzz-postgres.test.ts). Every answer is checked:
 * - no 500, and no other 5xx the operation does not document (503 without event data);
 *   text that is Unicode (no half surrogate pair, raw or escaped);
 * - its status is documented for the operation, its media type declared for that status,
 *   and its body valid against the declared schema (Ajv, draft 2020-12: openapi-validator.ts),
 *   with no field the schema does not name (objects closed: `validateClosed`);
 *   a 401 carries `WWW-Authenticate: Bearer`, as the document says;
 * - a request the document rules out is not accepted (no 2xx);
 * - a request the document allows is not refused with 413 or 415, nor with a 400 other than
 *   for a rule the document states in words (`WORDED_RULES`: an impossible order of dates, a
 *   history over its points, an evidence item that names what the case does not have, …).
 * Each operation also has to be reached: at least one 2xx.
 *
 * Bounded: a fixed number of requests per operation (`RUNS`), seeded by the global
 * fast-check seed (test/support/fast-check-seed.ts; FC_SEED to explore others), no
 * shrinking (the server's state moves on with each request, so a shrunk request would not
 * mean the same): failures are collected, grouped and reported with the request that
 * caused them. FUZZ_RUNS_SCALE multiplies every count (0.2 for a quick look, 5 for a
 * longer hunt); FUZZ_ONLY=<operationId,…> fuzzes those operations only; FUZZ_TRACE=<operationId>
 * prints that operation's requests and answers.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { newSecret, sha256Hex } from '../../src/http/auth.ts';
import { SESSION_COOKIE } from '../../src/http/session.ts';
import { webhookUrlProblem } from '../../src/http/webhook-url.ts';
import type { EventFilter, PeriodAggregate } from '../../src/ports/event-store.ts';
import type { Role } from '../../src/ports/team-store.ts';
import {
  DocumentValidator,
  declaredResponse,
  type OpenApiDocument,
  type Operation,
  operationsOf,
} from '../support/openapi-validator.ts';
import { type Auth, type FuzzContext, type FuzzRequest, requestArbitrary } from './openapi-fuzz-requests.ts';
import { type StoreOpener, startTestServer, TEST_NOW, type TestServer } from './support.ts';

const CASE = 'us-pakistan';
/** The body limit the fuzzed server runs with (small, so that over-limit bodies are cheap to send). */
const MAX_BODY_BYTES = 256 * 1024;
const DEFAULT_RUNS = 120;
/** Requests per operation where the default is too many (slow answers) or too few (much to cover). */
const RUNS: Readonly<Record<string, number>> = {
  getHistory: 50,
  getBrief: 40,
  getAssessment: 60,
  appendEvidence: 150,
  correctEvidence: 90,
  retractEvidence: 90,
  createUser: 60,
};
const SCALE = Number(process.env.FUZZ_RUNS_SCALE ?? 1);
/** An operation id whose every request and answer is printed on stderr (FUZZ_TRACE=appendEvidence). */
const TRACE = process.env.FUZZ_TRACE;
/** Operation ids to fuzz, comma-separated (FUZZ_ONLY=createUser,listTokens); all when unset. */
const ONLY = process.env.FUZZ_ONLY?.split(',').filter((id) => id !== '');
/** No answer in this long is a failure of its own (a request stuck, not a slow one). */
const ANSWER_TIMEOUT_MS = 30_000;

interface Problem {
  readonly code: string;
  readonly path?: string;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function holdsLoneSurrogate(value: unknown): boolean {
  if (typeof value === 'string') return LONE_SURROGATE.test(value);
  if (Array.isArray(value)) return value.some(holdsLoneSurrogate);
  if (value !== null && typeof value === 'object')
    return Object.entries(value).some(([k, v]) => LONE_SURROGATE.test(k) || holdsLoneSurrogate(v));
  return false;
}

const EVIDENCE_RULE_CODES: ReadonlySet<string> = new Set(['bad-date', 'unknown-reference', 'inconsistent', 'duplicate-id']);

/** An evidence problem the case-file rules state in words (docs/case-format.md, the item schema's descriptions). */
function evidenceRule(p: Problem): boolean {
  if (EVIDENCE_RULE_CODES.has(p.code)) return true;
  // A source URL is one the WHATWG URL parser takes (the url's description).
  if (p.code === 'schema' && /(^|\.)sources\.\d+\.url$/.test(p.path ?? '')) return true;
  // `recorded` is the server's today; `supersedes` on a correction or retraction names the entry in the path.
  return p.code === 'invalid-value' && /(^|\.)(recorded|supersedes)$/.test(p.path ?? '');
}

/**
 * The refusals a request valid by the schemas may still get, by operation: rules the
 * document states in its descriptions, not in a schema keyword. Anything else is a
 * disagreement between the document and the server.
 */
const WORDED_RULES: Readonly<Record<string, (p: Problem, req: FuzzRequest) => boolean>> = {
  appendEvidence: evidenceRule,
  correctEvidence: evidenceRule,
  retractEvidence: evidenceRule,
  // "from is after to"; "at most 600 points" (the operation's description).
  getHistory: (p) =>
    p.path === 'from' && (p.code === 'bad-date' || (p.code === 'too-big' && typeof p.details?.points === 'number')),
  getBrief: (p) => p.path === 'since' && p.code === 'bad-date',
  queryEvents: (p) => p.path === 'from' && p.code === 'bad-date',
  // The url's description: no loopback or private host (unless the server allows them).
  createWebhook: (p, req) => {
    const url = (req.body?.json as { url?: unknown } | undefined)?.url;
    return (
      p.path === 'url' &&
      p.code === 'custom' &&
      typeof url === 'string' &&
      webhookUrlProblem(url, false) !== undefined &&
      webhookUrlProblem(url, true) === undefined
    );
  },
};

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

interface Loopback {
  readonly host: string;
  readonly port: number;
  readonly agent: http.Agent;
}

let lastAnswerAt = 0;
/** The request sent before, for reports of a connection that died. */
let previous = '(none)';

function send(to: Loopback, method: string, target: string, headers: Record<string, string>, body?: Uint8Array): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // Content-Length always with a body: Node's client would otherwise send a GET or DELETE
    // body with neither it nor chunked encoding, which is no HTTP request at all.
    const withLength = body === undefined ? headers : { ...headers, 'Content-Length': String(body.byteLength) };
    const req = http.request(
      { host: to.host, port: to.port, method, path: target, headers: withLength, agent: to.agent, timeout: ANSWER_TIMEOUT_MS },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          lastAnswerAt = performance.now();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer in ${ANSWER_TIMEOUT_MS} ms`)));
    req.on('error', (err) =>
      reject(
        new Error(
          `${err.message}${req.reusedSocket ? ` (on a reused connection, ${Math.round(performance.now() - lastAnswerAt)} ms after the last answer)` : ''}`,
        ),
      ),
    );
    req.end(body === undefined ? undefined : Buffer.from(body.buffer, body.byteOffset, body.byteLength));
  });
}

interface Credentials {
  readonly tokens: Readonly<Record<Role, string>>;
  readonly sessions: Readonly<Record<Role, { readonly id: string; readonly csrf: string }>>;
}

function authHeaders(auth: Auth, creds: Credentials, hasBody: boolean, method: string): Record<string, string> {
  switch (auth.kind) {
    case 'none':
      return {};
    case 'bogus-token':
      return { Authorization: 'Bearer pvs_not-a-token' };
    case 'not-bearer':
      return { Authorization: 'Basic YWRtaW46YWRtaW4=' };
    case 'token':
      return { Authorization: `Bearer ${creds.tokens[auth.role]}` };
    case 'session': {
      const session = creds.sessions[auth.role];
      const headers: Record<string, string> = { Cookie: `${SESSION_COOKIE}=${session.id}` };
      if (auth.csrf && (hasBody || method !== 'GET')) headers['X-CSRF-Token'] = session.csrf;
      if (auth.site === 'same-origin' || auth.site === 'cross-site') headers['Sec-Fetch-Site'] = auth.site;
      if (auth.site === 'evil-origin') headers.Origin = 'https://evil.example';
      return headers;
    }
  }
}

function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function excerpt(text: string, max = 300): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}

function describeRequest(req: FuzzRequest): string {
  const auth =
    req.auth.kind === 'token'
      ? `token:${req.auth.role}`
      : req.auth.kind === 'session'
        ? `session:${req.auth.role}${req.auth.csrf ? '+csrf' : ''}${req.auth.site === undefined ? '' : `:${req.auth.site}`}`
        : req.auth.kind;
  const body =
    req.body === undefined
      ? ''
      : ` [${req.body.contentType ?? 'no content type'}] ${excerpt(Buffer.from(req.body.bytes).toString('utf8'), 400)}`;
  return `${req.method} ${excerpt(req.target, 400)} as ${auth} (${req.cls}${req.why.length > 0 ? `: ${req.why.join('; ')}` : ''})${body}`;
}

/** The problems of an error body, or none when it is not one. */
function problemsOf(value: unknown): Problem[] {
  const problems = (value as { error?: { problems?: unknown } } | null)?.error?.problems;
  return Array.isArray(problems) ? (problems as Problem[]) : [];
}

/** What is wrong with `answer` to `req` (see the module contract); `[]` when nothing is. */
export function checkAnswer(validator: DocumentValidator, op: Operation, req: FuzzRequest, answer: Answer): string[] {
  const out: string[] = [];
  const { status } = answer;
  const text = answer.body.toString('utf8');
  // 500 is a bug whatever the document says; another 5xx only where it is documented (503 without event data).
  if (status === 500 || (status > 500 && declaredResponse(op, status) === undefined)) out.push(`${status} server error`);
  if (LONE_SURROGATE.test(text)) out.push(`${status} body holds half a surrogate pair: not Unicode text`);
  const type = mediaType(answer.headers['content-type']);
  let parsed: unknown;
  let isJson = false;
  if (type === 'application/json') {
    try {
      parsed = JSON.parse(text);
      isJson = true;
      // Escaped halves of surrogate pairs are valid JSON but no text: strict parsers refuse them.
      if (holdsLoneSurrogate(parsed)) out.push(`${status} body holds an escaped half of a surrogate pair`);
    } catch {
      out.push(`${status} says application/json but is not JSON`);
    }
  }
  if (req.offRoute) {
    // Not a request of this operation at all (a `.` or empty path segment): the error envelope, nothing else.
    if (!isJson) out.push(`${status} off the route, not the JSON error envelope`);
    else if (status >= 400) {
      const errors = validator.validateClosed(validator.resolve('#/components/schemas/Error'), parsed);
      if (errors.length > 0) out.push(`${status} off the route, not the error envelope: ${errors.slice(0, 3).join('; ')}`);
    }
    return out;
  }
  const declared = declaredResponse(op, status);
  if (declared === undefined) out.push(`${status} is not documented for ${op.operationId}`);
  else if (declared.content === undefined) {
    if (answer.body.byteLength > 0) out.push(`${status} has a body the document does not declare`);
  } else {
    const media = declared.content[type];
    if (media === undefined) out.push(`${status} as ${type || '(no content type)'}, not a media type declared for it`);
    else if (media.schema !== undefined && (isJson || type !== 'application/json')) {
      const errors = validator.validateClosed(media.schema, isJson ? parsed : text);
      if (errors.length > 0) out.push(`${status} body does not match its schema: ${errors.slice(0, 4).join('; ')}`);
    }
  }
  if (status === 401 && !/^Bearer\b/i.test(String(answer.headers['www-authenticate'] ?? '')))
    out.push('401 without WWW-Authenticate: Bearer');
  if (req.cls === 'invalid' && status >= 200 && status < 300) out.push(`${status}: accepted a request the document rules out`);
  if (req.cls === 'valid') {
    if (status === 413 || status === 415) out.push(`${status} for a request the document allows`);
    if (status === 400) {
      const rule = WORDED_RULES[op.operationId];
      const problems = problemsOf(parsed);
      const unexplained = problems.filter((p) => rule === undefined || !rule(p, req));
      if (problems.length === 0 || unexplained.length > 0)
        out.push(
          `400 for a request the document allows: ${
            problems.length === 0
              ? 'no problems listed'
              : unexplained
                  .slice(0, 3)
                  .map((p) => `${p.code} at "${p.path ?? ''}" (${excerpt(p.message, 160)})`)
                  .join('; ')
          }`,
        );
    }
  }
  return out;
}

/** Grows the context's pools from what a request created (ids later requests may name). */
function learn(ctx: FuzzContext, op: Operation, req: FuzzRequest, answer: Answer): void {
  if (answer.status !== 201) return;
  const body = JSON.parse(answer.body.toString('utf8')) as { id?: string; ids?: string[]; name?: string };
  if (op.operationId === 'createToken' && body.id !== undefined) ctx.tokenIds.push(body.id);
  if (op.operationId === 'createWebhook' && body.id !== undefined) ctx.webhookIds.push(body.id);
  if (op.operationId === 'createUser' && body.name !== undefined) ctx.userNames.push(body.name);
  if (body.ids !== undefined && req.op.path.startsWith('/api/cases/')) ctx.evidenceIds.push(...body.ids);
}

/** Event rows for the fuzzed server: no data for filters without `from` (503), a few rows, empty periods included, otherwise. */
async function fakeEvents(filter: EventFilter): Promise<PeriodAggregate[] | undefined> {
  if (filter.from === undefined) return undefined;
  return [
    { period: filter.from.slice(0, 7), count: 3, goldsteinSum: -4.5, goldsteinMean: -1.5, avgTone: -2.25 },
    { period: '2099-12', count: 0, goldsteinSum: 0, goldsteinMean: null, avgTone: null },
  ];
}

export function runOpenApiFuzzSuite(name: string, open: StoreOpener): void {
  describe(`/openapi.json fuzzed against the server on ${name} (loopback)`, () => {
    let s: TestServer;
    let server: { url: string; close: () => Promise<void> };
    let to: Loopback;
    let ops: Operation[];
    let validator: DocumentValidator;
    let ctx: FuzzContext;
    let creds: Credentials;

    before(async () => {
      s = await startTestServer(open, { maxBodyBytes: MAX_BODY_BYTES, queryEvents: fakeEvents });
      server = await s.listen();
      const url = new URL(server.url);
      to = { host: url.hostname, port: Number(url.port), agent: new http.Agent({ keepAlive: true, maxSockets: 1 }) };
      const expires = new Date(TEST_NOW.getTime() + 12 * 3600_000).toISOString();
      const sessions = {} as Record<Role, { id: string; csrf: string }>;
      for (const role of ['viewer', 'analyst', 'admin'] as const) {
        const id = newSecret();
        const csrf = newSecret();
        await s.store.createSession({
          idHash: sha256Hex(id),
          userId: s.users[role].user.id,
          csrfToken: csrf,
          created: TEST_NOW.toISOString(),
          expires,
        });
        sessions[role] = { id, csrf };
      }
      creds = {
        tokens: { viewer: s.users.viewer.token, analyst: s.users.analyst.token, admin: s.users.admin.token },
        sessions,
      };
      const asAdmin = { Authorization: `Bearer ${creds.tokens.admin}` };
      const read = async (target: string) => JSON.parse((await send(to, 'GET', target, asAdmin)).body.toString('utf8'));
      const doc = (await read('/openapi.json')) as OpenApiDocument;
      validator = new DocumentValidator(doc);
      ops = operationsOf(doc);
      const definition = (await read(`/api/cases/${CASE}`)) as {
        actors: { id: string }[];
        instruments: { id: string }[];
        benchmarks: { id: string }[];
      };
      const ids: string[] = [];
      for (let offset = 0; ; offset += 500) {
        const page = (await read(`/api/cases/${CASE}/evidence?limit=500&offset=${offset}`)) as { items: { id: string }[] };
        ids.push(...page.items.map((e) => e.id));
        if (page.items.length < 500) break;
      }
      ctx = {
        validator,
        caseId: CASE,
        evidenceIds: ids,
        userNames: Object.values(s.users).map((u) => u.user.name),
        tokenIds: [],
        webhookIds: [],
        actors: definition.actors.map((a) => a.id),
        instruments: definition.instruments.map((i) => i.id),
        benchmarks: definition.benchmarks.map((b) => b.id),
        today: TEST_NOW.toISOString().slice(0, 10),
        maxBodyBytes: MAX_BODY_BYTES,
      };
    });
    after(async () => {
      to?.agent.destroy();
      await server?.close();
      await s?.close();
    });

    it('answers every operation of the document as it says, for valid and invalid requests', async (t) => {
      assert.ok(ops.length >= 20, `the document lists ${ops.length} operations`);
      const started = performance.now();
      for (const op of ops.filter((o) => ONLY === undefined || ONLY.includes(o.operationId))) {
        await t.test(`${op.method} ${op.path} (${op.operationId})`, async (sub) => {
          const opStarted = performance.now();
          const failures = new Map<string, string[]>();
          const statuses = new Map<string, number>();
          const runs = Math.max(1, Math.round((RUNS[op.operationId] ?? DEFAULT_RUNS) * SCALE));
          await fc.assert(
            fc.asyncProperty(requestArbitrary(op, ctx), async (req) => {
              const headers: Record<string, string> = {
                ...authHeaders(req.auth, creds, req.body !== undefined, req.method),
                ...(req.body?.contentType === undefined ? {} : { 'Content-Type': req.body.contentType }),
              };
              let answer: Answer;
              try {
                answer = await send(to, req.method, req.target, headers, req.body?.bytes);
              } catch (err) {
                const kind = `no answer: ${(err as Error).message}`;
                failures.set(kind, [...(failures.get(kind) ?? []), `${describeRequest(req)}\n      after ${previous}`]);
                previous = `${describeRequest(req)} → no answer`;
                return;
              }
              previous = `${describeRequest(req)} → ${answer.status}`;
              if (TRACE === op.operationId)
                console.error(`${describeRequest(req)}\n  → ${answer.status} ${excerpt(answer.body.toString('utf8'))}`);
              const key = `${answer.status} ${req.cls}`;
              statuses.set(key, (statuses.get(key) ?? 0) + 1);
              for (const failure of checkAnswer(validator, op, req, answer)) {
                const kind = failure.replace(/\d{3}(?= )/, (x) => x); // one group per message
                const seen = failures.get(kind) ?? [];
                if (seen.length < 3)
                  seen.push(`${describeRequest(req)}\n      → ${answer.status} ${excerpt(answer.body.toString('utf8'), 400)}`);
                failures.set(kind, seen);
              }
              learn(ctx, op, req, answer);
            }),
            { numRuns: runs, endOnFailure: true },
          );
          const ms = Math.round(performance.now() - opStarted);
          const histogram = [...statuses]
            .sort()
            .map(([k, n]) => `${k}×${n}`)
            .join(' ');
          sub.diagnostic(`${runs} requests in ${ms} ms: ${histogram}`);
          const report = [...failures].map(([kind, examples]) => `${kind}\n    ${examples.join('\n    ')}`).join('\n');
          assert.equal(failures.size, 0, `${op.method} ${op.path} disagrees with /openapi.json:\n${report}`);
          const reached = [...statuses.keys()].some((k) => k.startsWith('2'));
          assert.ok(reached, `no request reached ${op.operationId} (no 2xx): ${histogram}`);
        });
      }
      t.diagnostic(`${ops.length} operations fuzzed in ${Math.round(performance.now() - started)} ms`);
    });
  });
}
