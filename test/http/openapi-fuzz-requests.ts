/**
 * Requests for one operation of `/openapi.json`, drawn by fast-check from the operation's
 * own schemas (json-schema-arbitrary.ts) and sent as bytes: who sends them (no one, a
 * made-up token, each role by token or by session, with or without its CSRF token, from
 * this site or another), its path and query parameters (valid, invalid, absent, unknown
 * ones added, bytes that are not UTF-8), and its body (valid or invalid by the schema, not
 * JSON, not UTF-8, half a surrogate pair, none, over the size limit, other media types).
 *
 * Each request carries its class, decided by the validator against the document, never by
 * how it was drawn:
 * - `valid`: every parameter and the body satisfy their schemas, sent as the document says
 *   (a body as `application/json`). The server may still refuse it, but only for a reason
 *   the document states in words (the operation's `wordedRules`), never with 413 or 415.
 * - `invalid`: something the document rules out (a schema broken, a required part missing,
 *   a media type not declared, bytes that are not UTF-8, a body over the limit). The
 *   server must not accept it (no 2xx).
 * - `unspecified`: what the document does not decide (a `+json` media type, a byte-order
 *   mark, percent-escapes that are not UTF-8 in the URL, a body on an operation that takes
 *   none, integers written with leading zeros): only the checks every answer gets.
 * Requests whose path does not reach the operation (a parameter that is `.`, `..` or
 * empty, which URLs cannot carry as a segment) are marked `offRoute`.
 */
import fc from 'fast-check';
import type { Role } from '../../src/ports/team-store.ts';
import { type Schema, SchemaArbitraries } from '../support/json-schema-arbitrary.ts';
import type { DocumentValidator, Operation, ParameterObject } from '../support/openapi-validator.ts';

export type RequestClass = 'valid' | 'invalid' | 'unspecified';

export type Auth =
  | { readonly kind: 'none' }
  | { readonly kind: 'bogus-token' }
  | { readonly kind: 'not-bearer' }
  | { readonly kind: 'token'; readonly role: Role }
  | {
      readonly kind: 'session';
      readonly role: Role;
      readonly csrf: boolean;
      /** `Sec-Fetch-Site` sent, or an `Origin` of another site. */
      readonly site?: 'same-origin' | 'cross-site' | 'evil-origin';
    };

interface Part {
  readonly cls: RequestClass;
  /** Why the part is not valid (for reports). */
  readonly why?: string;
}

interface ParamValue extends Part {
  /** The value as the server should decode it (for reports and checks). */
  readonly value: string;
  /** The value as written in the URL, percent-encoded. */
  readonly wire: string;
  readonly offRoute?: boolean;
}

export interface FuzzBody extends Part {
  readonly contentType?: string;
  readonly bytes: Uint8Array;
  /** The JSON value sent, when the body is one. */
  readonly json?: unknown;
}

export interface FuzzRequest {
  readonly op: Operation;
  readonly method: string;
  /** Path and query, percent-encoded, as sent. */
  readonly target: string;
  readonly auth: Auth;
  readonly body?: FuzzBody;
  readonly cls: RequestClass;
  readonly why: readonly string[];
  readonly offRoute: boolean;
  /** Decoded parameter values by name (path and query). */
  readonly params: Readonly<Record<string, string>>;
}

/** What the fuzzer knows of the server's state, read when arbitraries draw (pools grow as requests succeed). */
export interface FuzzContext {
  readonly validator: DocumentValidator;
  readonly caseId: string;
  readonly evidenceIds: string[];
  readonly userNames: string[];
  readonly tokenIds: string[];
  readonly webhookIds: string[];
  readonly actors: readonly string[];
  readonly instruments: readonly string[];
  readonly benchmarks: readonly string[];
  /** The server's today (YYYY-MM-DD). */
  readonly today: string;
  /** The request body limit, in bytes. */
  readonly maxBodyBytes: number;
}

const ENCODER = new TextEncoder();

/** A member of a pool that grows while the fuzzer runs (read when the value is drawn). */
function fromPool(pool: () => readonly string[], fallback: string): fc.Arbitrary<string> {
  return fc.nat().map((i) => {
    const values = pool();
    return values.length === 0 ? fallback : (values[i % values.length] as string);
  });
}

/** `arb` one time in `oneIn`, else `undefined`. */
function rarely<T>(arb: fc.Arbitrary<T>, oneIn: number): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: oneIn - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
}

let fresh = 0;
/** A name no earlier request used (the fuzzer's own counter: ids must not collide by chance). */
const unique = (prefix: string) =>
  fc.stringMatching(/^[a-z0-9]{1,8}$/).map((s) => {
    fresh += 1;
    return `${prefix}-${s}-${fresh}`;
  });

const addDaysTo = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** A day of the reference case's span (the years its evidence covers, up to the server's today). */
function caseDay(ctx: FuzzContext): fc.Arbitrary<string> {
  const span = (Date.parse(`${ctx.today}T00:00:00Z`) - Date.parse('1998-01-01T00:00:00Z')) / 86_400_000;
  return fc.integer({ min: 0, max: span }).map((n) => addDaysTo('1998-01-01', n));
}

// ——— Hints: values the schema alone rarely gets right, so that requests reach the handlers ———

/** Query and path values that exist on the server, by operation and parameter name. */
function paramHint(op: Operation, param: ParameterObject, ctx: FuzzContext): fc.Arbitrary<string> | undefined {
  const id = op.operationId;
  switch (param.name) {
    case 'caseId':
      return fc.constant(ctx.caseId);
    case 'id':
      if (id === 'revokeToken') return fromPool(() => ctx.tokenIds, 'tok-none');
      if (id === 'removeWebhook') return fromPool(() => ctx.webhookIds, 'whk-none');
      return fromPool(() => ctx.evidenceIds, 'ev-none');
    case 'asOf':
    case 'since':
    case 'recordedBy':
    case 'from':
    case 'to':
      return caseDay(ctx);
    case 'action':
      return fc.constantFrom('evidence.append', 'evidence.correction', 'token.create', 'user.add', 'webhook.add');
    case 'actor1':
    case 'actor2':
      return fc.constantFrom('USA', 'PAK,PAKMIL', ' USA , USAGOV ,', 'IND,,CHN');
    case 'root':
      return fc.constantFrom('14', '1,18,19', '04, 20');
    case 'quad':
      return fc.constantFrom('1', '3,4', '1,2,3,4');
    case 'actor':
      return fc.constantFrom(...ctx.actors);
    case 'q':
      return fc.constantFrom('Pakistan', 'arrest', 'F-16 waiver', 'Lashkar');
    default:
      return undefined;
  }
}

/** A history request of a reasonable size: `to` within three years after `from`. */
function historyRange(ctx: FuzzContext): fc.Arbitrary<{ from: string; to: string }> {
  return fc.tuple(caseDay(ctx), fc.integer({ min: 0, max: 1100 })).map(([from, days]) => ({ from, to: addDaysTo(from, days) }));
}

/** An evidence item the reference case accepts, now and then with optional fields the schema draws. */
function goodEvidence(ctx: FuzzContext, a: SchemaArbitraries, item: Schema): fc.Arbitrary<Record<string, unknown>> {
  const props = (typeof item === 'object' ? (item.properties ?? {}) : {}) as Record<string, Schema>;
  const optional = (key: string) => rarely(a.valid(props[key] ?? true, [key]), 5);
  return fc
    .record({
      id: unique('fz-ev'),
      kind: fc.constantFrom('statement', 'arrest', 'conviction', 'designation', 'release', 'meeting'),
      actors: fc.subarray([...ctx.actors], { minLength: 1, maxLength: 3 }),
      description: a.valid(props.description ?? { type: 'string', minLength: 1 }, ['description']),
      occurred: caseDay(ctx),
      lag: fc.integer({ min: 0, max: 60 }),
      reliability: fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F'),
      credibility: fc.integer({ min: 1, max: 6 }),
      publisher: fc.constantFrom('Dawn', 'Reuters', 'The Hindu', 'Test Wire'),
      url: rarely(fc.oneof(fc.webUrl(), fc.constantFrom('https://example.org/é', 'mailto:desk@example.org', 'http://')), 3),
      tags: optional('tags'),
      note: optional('note'),
      quantity: optional('quantity'),
      claim: optional('claim'),
      money: rarely(fc.tuple(fc.integer({ min: 0, max: 10 ** 9 }), fc.constantFrom('USD', 'PKR', 'EUR')), 3),
      action: rarely(
        fc.record({
          instrument: fc.constantFrom(...ctx.instruments),
          kind: fc.constantFrom('notified', 'provided', 'suspended'),
        }),
        4,
      ),
      finding: rarely(
        fc.record({
          benchmark: fc.constantFrom(...ctx.benchmarks),
          grade: fc.constantFrom('fulfilled', 'not-fulfilled', 'partially-fulfilled', 'not-assessed'),
          assessor: fc.constantFrom('FATF plenary', 'the Commission'),
        }),
        8,
      ),
    })
    .map((r) => {
      const reported = [addDaysTo(r.occurred, r.lag), ctx.today].sort()[0] as string;
      const out: Record<string, unknown> = {
        id: r.id,
        kind: r.kind,
        actors: r.actors,
        description: r.description,
        occurred: r.occurred,
        reported,
        sources: [
          {
            publisher: r.publisher,
            title: `Report ${r.id}`,
            date: reported,
            reliability: r.reliability,
            credibility: r.credibility,
            ...(r.url === undefined ? {} : { url: r.url }),
          },
        ],
      };
      for (const key of ['tags', 'note', 'quantity', 'claim', 'action', 'finding'] as const)
        if (r[key] !== undefined) out[key] = r[key];
      if (r.money !== undefined) {
        out.amount = r.money[0];
        out.currency = r.money[1];
      }
      return out;
    });
}

/** Bodies that exist on the server's terms, by operation (`undefined`: the schema alone). */
function bodyHint(op: Operation, ctx: FuzzContext, a: SchemaArbitraries): fc.Arbitrary<unknown> | undefined {
  const item = ctx.validator.resolve('#/components/schemas/EvidenceItem');
  switch (op.operationId) {
    case 'appendEvidence':
      return fc.oneof(
        { weight: 3, arbitrary: goodEvidence(ctx, a, item) },
        {
          weight: 1,
          arbitrary: fc.array(goodEvidence(ctx, a, item), { minLength: 1, maxLength: 3 }).map((entries) => ({ entries })),
        },
      );
    case 'correctEvidence':
      return goodEvidence(ctx, a, item);
    case 'retractEvidence':
      // Reported today: a retraction is not reported before the withdrawn entry occurred.
      return goodEvidence(ctx, a, item).map(({ id, description, sources }) => ({
        id,
        description,
        reported: ctx.today,
        sources: (sources as Record<string, unknown>[]).map((source) => ({ ...source, date: ctx.today })),
      }));
    case 'createUser':
      return fc.record({
        name: unique('fz-user'),
        role: fc.constantFrom('viewer', 'analyst', 'admin'),
        password: fc.string({ unit: 'grapheme', minLength: 12, maxLength: 40 }),
      });
    case 'createToken':
      return fc.record(
        { name: fc.string({ minLength: 1, maxLength: 30 }), user: fromPool(() => ctx.userNames, 'nobody') },
        { requiredKeys: ['name'] },
      );
    case 'createWebhook':
      return fc.oneof(
        fc.webUrl({ validSchemes: ['https'] }).map((url) => ({ url })),
        fc.constantFrom(
          { url: 'https://hooks.example.org/proviso' },
          { url: 'http://127.0.0.1:9/hook' },
          { url: 'http://[::1]/hook' },
          { url: 'https://10.1.2.3/x' },
          { url: 'http://localhost./x' },
        ),
      );
    default:
      return undefined;
  }
}

// ——— Parameters ———

/** Integers as the document's clients write them (decimal, no sign for positives, no leading zeros). */
const CANONICAL_INTEGER = /^-?(?:0|[1-9][0-9]*)$/;

/** The class of a parameter value as written in a URL, against its schema. */
export function classifyParam(validator: DocumentValidator, param: ParameterObject, value: string | undefined): Part {
  if (value === undefined) return param.required === true ? { cls: 'invalid', why: `${param.name} missing` } : { cls: 'valid' };
  const schema = param.schema;
  const type = typeof schema === 'object' ? schema.type : undefined;
  let typed: unknown = value;
  if (type === 'integer' || type === 'number') {
    if (/^-?0[0-9]+$/.test(value)) return { cls: 'unspecified', why: `${param.name} has leading zeros` };
    if (!CANONICAL_INTEGER.test(value)) return { cls: 'invalid', why: `${param.name}=${value} is not an integer` };
    typed = Number(value);
  } else if (type === 'boolean') {
    if (value !== 'true' && value !== 'false') return { cls: 'invalid', why: `${param.name} is not a boolean` };
    typed = value === 'true';
  }
  const errors = validator.validate(schema, typed);
  return errors.length === 0 ? { cls: 'valid' } : { cls: 'invalid', why: `${param.name}: ${errors[0]}` };
}

/** Percent-escapes that do not decode to UTF-8, and malformed ones. */
const RAW_ESCAPES = ['%FF', '%C0%AF', '%ED%A0%80', '%E2%82', '%', '%zz', '%2', '%00'] as const;

function encodeParam(value: string): string | undefined {
  try {
    return encodeURIComponent(value);
  } catch {
    return undefined; // half a surrogate pair: not text a URL can carry
  }
}

/** Integers written as the document does not write them. */
const ODD_INTEGERS = [
  '0x10',
  '+5',
  '1e2',
  '1.0',
  ' 5',
  '5 ',
  '-1',
  '',
  'abc',
  '１２',
  'NaN',
  'Infinity',
  '9'.repeat(30),
  '1_000',
];

function paramArbitrary(
  op: Operation,
  param: ParameterObject,
  ctx: FuzzContext,
  a: SchemaArbitraries,
): fc.Arbitrary<ParamValue | undefined> {
  const schema = param.schema;
  const type = typeof schema === 'object' ? schema.type : undefined;
  const toText = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  const hint = paramHint(op, param, ctx);
  const valid = a.valid(schema).map(toText);
  const drawnValid = hint === undefined ? valid : fc.oneof({ weight: 3, arbitrary: hint }, { weight: 2, arbitrary: valid });
  const invalid =
    type === 'integer' || type === 'number'
      ? fc.oneof(fc.constantFrom(...ODD_INTEGERS), a.invalid(schema).map(toText))
      : a.invalid(schema).map(toText);
  const asParam = (value: string): ParamValue => {
    const wire = encodeParam(value);
    if (wire === undefined) return { value, wire: RAW_ESCAPES[0], cls: 'unspecified', why: `${param.name} is not text` };
    const offRoute = param.in === 'path' && (value === '' || value === '.' || value === '..');
    return { value, wire, ...classifyParam(ctx.validator, param, value), ...(offRoute ? { offRoute } : {}) };
  };
  const raw = fc.tuple(drawnValid, fc.constantFrom(...RAW_ESCAPES)).map(
    ([v, esc]): ParamValue => ({
      value: v,
      wire: `${encodeParam(v) ?? ''}${esc}`,
      cls: 'unspecified',
      why: `${param.name} holds ${esc}`,
    }),
  );
  const present = fc.oneof(
    { weight: 14, arbitrary: drawnValid.map(asParam) },
    { weight: 3, arbitrary: invalid.map(asParam) },
    { weight: 1, arbitrary: raw },
  );
  if (param.required === true) return present;
  return fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 3, arbitrary: present });
}

// ——— Bodies ———

const JSON_TYPES = [
  { type: 'application/json', cls: 'valid' },
  { type: 'application/json; charset=utf-8', cls: 'valid' },
  { type: 'application/json;charset=UTF-8', cls: 'valid' },
  { type: 'Application/JSON', cls: 'valid' },
] as const;

const OTHER_TYPES = [
  { type: undefined, cls: 'invalid' },
  { type: 'text/plain', cls: 'invalid' },
  { type: 'text/plain; charset=utf-8', cls: 'invalid' },
  { type: 'application/x-www-form-urlencoded', cls: 'invalid' },
  { type: 'multipart/form-data; boundary=x', cls: 'invalid' },
  { type: 'application/xml', cls: 'invalid' },
  { type: 'application/jsonl', cls: 'invalid' },
  { type: 'application/json-seq', cls: 'invalid' },
  { type: 'application/vnd.api+json', cls: 'unspecified' },
  { type: 'application/merge-patch+json', cls: 'unspecified' },
] as const;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether some string or key of a JSON value holds half a surrogate pair. */
function holdsLoneSurrogate(value: unknown): boolean {
  if (typeof value === 'string') return LONE_SURROGATE.test(value);
  if (Array.isArray(value)) return value.some(holdsLoneSurrogate);
  if (value !== null && typeof value === 'object')
    return Object.entries(value).some(([k, v]) => LONE_SURROGATE.test(k) || holdsLoneSurrogate(v));
  return false;
}

/** Byte sequences that are not UTF-8: a stray byte, an overlong slash, an encoded surrogate, a truncated sequence, a continuation byte alone. */
const INVALID_UTF8: readonly (readonly number[])[] = [
  [0xff],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xe2, 0x82],
  [0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
];

function jsonBody(
  ctx: FuzzContext,
  schema: Schema,
  json: unknown,
  contentType: string | undefined,
  typeCls: RequestClass,
): FuzzBody {
  const bytes = ENCODER.encode(JSON.stringify(json));
  const base = { bytes, json, ...(contentType === undefined ? {} : { contentType }) };
  if (typeCls !== 'valid') return { ...base, cls: typeCls, why: `content type ${contentType ?? '(none)'}` };
  if (bytes.byteLength > ctx.maxBodyBytes) return { ...base, cls: 'invalid', why: 'over the body limit' };
  if (holdsLoneSurrogate(json)) return { ...base, cls: 'invalid', why: 'half a surrogate pair' };
  const errors = ctx.validator.validate(schema, json);
  return errors.length === 0 ? { ...base, cls: 'valid' } : { ...base, cls: 'invalid', why: `body ${errors[0]}` };
}

function bodyArbitrary(op: Operation, ctx: FuzzContext, a: SchemaArbitraries): fc.Arbitrary<FuzzBody | undefined> {
  const declared = op.requestBody?.content['application/json']?.schema;
  if (declared === undefined) {
    // An operation that takes no body, sent one now and then: the document says nothing of it.
    const some = fc.constantFrom<FuzzBody>(
      {
        bytes: ENCODER.encode('{"x":1}'),
        contentType: 'application/json',
        cls: 'unspecified',
        why: 'a body on an operation that takes none',
      },
      {
        bytes: new Uint8Array(ctx.maxBodyBytes + 1).fill(0x20),
        contentType: 'application/json',
        cls: 'unspecified',
        why: 'a body over the limit on an operation that takes none',
      },
    );
    return fc.oneof({ weight: 11, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: some });
  }
  const schema = declared;
  const hint = bodyHint(op, ctx, a);
  const validValue =
    hint === undefined ? a.valid(schema) : fc.oneof({ weight: 3, arbitrary: hint }, { weight: 2, arbitrary: a.valid(schema) });
  const jsonType = fc.oneof(
    { weight: 12, arbitrary: fc.constant(JSON_TYPES[0]) },
    { weight: 3, arbitrary: fc.constantFrom(...JSON_TYPES.slice(1)) },
  );
  const asJson = (
    value: fc.Arbitrary<unknown>,
    types: fc.Arbitrary<{ readonly type: string | undefined; readonly cls: RequestClass }>,
  ) => fc.tuple(value, types).map(([json, t]) => jsonBody(ctx, schema, json, t.type, t.cls));
  const text = (s: string, why: string, cls: RequestClass = 'invalid'): FuzzBody => ({
    bytes: ENCODER.encode(s),
    contentType: 'application/json',
    cls,
    why,
  });
  const notJson = fc.constantFrom(
    text('', 'no body'),
    text('   ', 'blank body'),
    text('{', 'not JSON'),
    text("{'id': 1}", 'not JSON'),
    text('{"a":1,}', 'not JSON'),
    text('nul', 'not JSON'),
    text('{"a":"\\ud800"}', 'half a surrogate pair, escaped'),
    text('{"a":"\\udc00\\ud800"}', 'surrogates in the wrong order'),
  );
  const invalidUtf8 = fc.tuple(validValue, fc.constantFrom(...INVALID_UTF8), fc.nat()).map(([json, raw, pick]): FuzzBody => {
    const textOf = JSON.stringify(json);
    // Just after an opening or closing quote (in a key, in a value, or between them), or before the whole body.
    const quotes = [...textOf.matchAll(/"/g)].map((m) => m.index + 1);
    const at = [0, ...quotes][pick % (quotes.length + 1)] ?? 0;
    const head = ENCODER.encode(textOf.slice(0, at));
    const tail = ENCODER.encode(textOf.slice(at));
    return {
      bytes: new Uint8Array([...head, ...raw, ...tail]),
      contentType: 'application/json',
      cls: 'invalid',
      why: 'not UTF-8',
    };
  });
  const withBom = validValue.map(
    (json): FuzzBody => ({
      bytes: new Uint8Array([0xef, 0xbb, 0xbf, ...ENCODER.encode(JSON.stringify(json))]),
      contentType: 'application/json',
      cls: 'unspecified',
      why: 'a byte-order mark',
    }),
  );
  const overLimit = fc.integer({ min: 1, max: 4096 }).map(
    (over): FuzzBody => ({
      bytes: ENCODER.encode(`{"description":"${'x'.repeat(ctx.maxBodyBytes - 17 + over)}"}`),
      contentType: 'application/json',
      cls: 'invalid',
      why: 'over the body limit',
    }),
  );
  const none = fc.constant<FuzzBody | undefined>(undefined);
  return fc.oneof(
    { weight: 20, arbitrary: asJson(validValue, jsonType) },
    { weight: 6, arbitrary: asJson(a.invalid(schema), fc.constant(JSON_TYPES[0])) },
    // A body valid but for one thing, hints and all: it gets past the checks that come before.
    {
      weight: 10,
      arbitrary: asJson(
        validValue.chain((v) => a.breakOne(schema, v)),
        fc.constant(JSON_TYPES[0]),
      ),
    },
    { weight: 2, arbitrary: asJson(validValue, fc.constantFrom(...OTHER_TYPES)) },
    { weight: 2, arbitrary: notJson },
    { weight: 2, arbitrary: invalidUtf8 },
    { weight: 1, arbitrary: withBom },
    { weight: 1, arbitrary: overLimit },
    { weight: 1, arbitrary: none },
  );
}

// ——— Who sends it ———

const ROLES = ['viewer', 'analyst', 'admin'] as const;

export const authArbitrary: fc.Arbitrary<Auth> = fc.oneof(
  { weight: 2, arbitrary: fc.constant<Auth>({ kind: 'none' }) },
  { weight: 1, arbitrary: fc.constant<Auth>({ kind: 'bogus-token' }) },
  { weight: 1, arbitrary: fc.constant<Auth>({ kind: 'not-bearer' }) },
  { weight: 8, arbitrary: fc.constant<Auth>({ kind: 'token', role: 'admin' }) },
  { weight: 4, arbitrary: fc.constant<Auth>({ kind: 'token', role: 'analyst' }) },
  { weight: 3, arbitrary: fc.constant<Auth>({ kind: 'token', role: 'viewer' }) },
  {
    weight: 3,
    arbitrary: fc
      .record(
        {
          role: fc.constantFrom(...ROLES),
          csrf: fc.boolean(),
          site: fc.constantFrom('same-origin', 'cross-site', 'evil-origin'),
        },
        { requiredKeys: ['role', 'csrf'] },
      )
      .map((s): Auth => ({ kind: 'session', ...s })),
  },
);

// ——— The request ———

const UNKNOWN_QUERY = fc.tuple(
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 10 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);

/** Requests for `op` (see the module contract). */
export function requestArbitrary(op: Operation, ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const a = new SchemaArbitraries({ resolve: ctx.validator.resolve });
  // Parameters travel in the URL, which Node's HTTP parser cuts at 16 KiB (431, before the
  // app sees it): values far over their limit stay within a few KiB there.
  const inUrl = new SchemaArbitraries({ resolve: ctx.validator.resolve, farOver: 3_000 });
  const params = op.parameters.filter((p) => p.in === 'path' || p.in === 'query');
  const values = fc.tuple(...params.map((p) => paramArbitrary(op, p, ctx, inUrl)));
  const history = op.operationId === 'getHistory' ? rarely(historyRange(ctx), 2) : fc.constant(undefined);
  const unknown = rarely(UNKNOWN_QUERY, 8);
  return fc
    .record({ values, body: bodyArbitrary(op, ctx, a), auth: authArbitrary, unknown, history })
    .map(({ values, body, auth, unknown, history }) => {
      const byName = new Map<string, ParamValue>();
      params.forEach((p, i) => {
        const v = values[i];
        if (v !== undefined) byName.set(p.name, v);
      });
      // A history of a sensible size half the time (random ranges are mostly over the limit).
      if (history !== undefined)
        for (const key of ['from', 'to'] as const) {
          const param = params.find((p) => p.name === key);
          if (param !== undefined)
            byName.set(key, { value: history[key], wire: history[key], ...classifyParam(ctx.validator, param, history[key]) });
        }
      const missing = params.filter((p) => p.required === true && !byName.has(p.name));
      let path = op.path;
      for (const p of params.filter((q) => q.in === 'path')) path = path.replace(`{${p.name}}`, byName.get(p.name)?.wire ?? '');
      const query = params
        .filter((p) => p.in === 'query' && byName.has(p.name))
        .map((p) => `${encodeURIComponent(p.name)}=${byName.get(p.name)?.wire ?? ''}`);
      if (unknown !== undefined && !params.some((p) => p.name === unknown[0]))
        query.push(`${encodeURIComponent(unknown[0])}=${encodeURIComponent(unknown[1])}`);
      const parts: Part[] = [
        ...[...byName.values()],
        ...missing.map((p): Part => ({ cls: 'invalid', why: `${p.name} missing` })),
      ];
      if (op.requestBody?.required === true && body === undefined) parts.push({ cls: 'invalid', why: 'no body' });
      if (body !== undefined) parts.push(body);
      const whys = parts.filter((p) => p.cls !== 'valid').map((p) => `${p.cls}: ${p.why ?? '?'}`);
      const cls: RequestClass = parts.some((p) => p.cls === 'unspecified')
        ? 'unspecified'
        : parts.some((p) => p.cls === 'invalid')
          ? 'invalid'
          : 'valid';
      return {
        op,
        method: op.method,
        target: query.length === 0 ? path : `${path}?${query.join('&')}`,
        auth,
        ...(body === undefined ? {} : { body }),
        cls,
        why: whys,
        offRoute: [...byName.values()].some((v) => v.offRoute === true),
        params: Object.fromEntries([...byName].map(([k, v]) => [k, v.value])),
      };
    });
}
