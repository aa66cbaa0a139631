/**
 * The fuzzer's own parts, checked so that a green fuzz run means something: the validator
 * compiles every schema of the served document strictly and refuses what it should; the
 * schema arbitraries draw mostly valid values on their valid side and mostly invalid ones
 * on their invalid side; and the answer checks (`checkAnswer`) flag each kind of
 * disagreement on answers made up to have it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { characterLength, SchemaArbitraries } from '../support/json-schema-arbitrary.ts';
import { DocumentValidator, type OpenApiDocument, type Operation, operationsOf } from '../support/openapi-validator.ts';
import { type FuzzRequest, type RequestClass, requestArbitrary } from './openapi-fuzz-requests.ts';
import { checkAnswer } from './openapi-fuzz-suite.ts';
import { sqliteOpener, startTestServer, type TestServer } from './support.ts';

const sqlite = sqliteOpener();
let s: TestServer;
let doc: OpenApiDocument;
let validator: DocumentValidator;
let ops: Operation[];

before(async () => {
  s = await startTestServer(sqlite.open);
  doc = (await (await s.request('/openapi.json', { as: 'viewer' })).json()) as OpenApiDocument;
  validator = new DocumentValidator(doc);
  ops = operationsOf(doc);
});
after(async () => {
  await s.close();
  sqlite.cleanup();
});

const op = (id: string): Operation => {
  const found = ops.find((o) => o.operationId === id);
  assert.ok(found, id);
  return found;
};

describe('DocumentValidator', () => {
  it('compiles every parameter, body and response schema of the served document in strict mode', () => {
    let schemas = 0;
    for (const o of ops) {
      for (const p of o.parameters) {
        validator.validate(p.schema, '');
        schemas += 1;
      }
      for (const media of Object.values(o.requestBody?.content ?? {})) {
        if (media.schema !== undefined) validator.validate(media.schema, {});
        schemas += 1;
      }
      for (const response of Object.values(o.responses))
        for (const media of Object.values(response.content ?? {})) {
          if (media.schema !== undefined) validator.validate(media.schema, null);
          schemas += 1;
        }
    }
    assert.ok(ops.length >= 20 && schemas > 100, `${ops.length} operations, ${schemas} schemas`);
  });

  it('refuses what the schemas rule out, and names where', () => {
    const user = op('createUser').requestBody?.content['application/json']?.schema ?? false;
    assert.deepEqual(validator.validate(user, { name: 'ok.name', role: 'viewer', password: 'x'.repeat(12) }), []);
    assert.deepEqual(validator.validate(user, { name: 'no spaces', role: 'boss', password: 'short' }), [
      '/name: must match pattern "^[A-Za-z0-9._@-]{1,64}$"',
      '/role: must be equal to one of the allowed values',
      '/password: must NOT have fewer than 10 characters',
    ]);
    const date = op('getAssessment').parameters.find((p) => p.name === 'asOf')?.schema ?? false;
    assert.deepEqual(validator.validate(date, '2024-02-29'), []);
    assert.equal(validator.validate(date, '2023-02-29').length, 1, 'not a calendar day');
    const ok = validator.validate(validator.resolve('#/components/schemas/Error'), {
      error: { code: 'not-found', message: 'x' },
    });
    assert.deepEqual(ok, []);
    assert.equal(
      validator.validate(validator.resolve('#/components/schemas/Error'), { error: { code: 'nope', message: 'x' } }).length,
      1,
    );
  });

  it('closes answers to the fields their schemas name, an allOf as a whole', () => {
    const hook = { id: 'whk_1', url: 'https://hooks.example.org/x', created: '2026-11-28T12:00:00.000Z' };
    const listed = validator.resolve('#/components/schemas/Webhook');
    const created = validator.resolve('#/components/schemas/NewWebhook');
    assert.deepEqual(validator.validate(listed, { ...hook, secret: 's' }), [], 'open, as JSON Schema reads it');
    assert.deepEqual(validator.validateClosed(listed, { ...hook, secret: 's' }), [
      '/: must NOT have unevaluated properties (secret)',
    ]);
    assert.deepEqual(validator.validateClosed(created, { ...hook, secret: 's' }), [], 'allOf: Webhook and the secret');
    assert.deepEqual(validator.validateClosed(created, { ...hook, secret: 's', extra: 1 }), [
      '/: must NOT have unevaluated properties (extra)',
    ]);
    const page = validator.resolve('#/components/schemas/EvidencePage');
    assert.deepEqual(validator.validateClosed(page, { total: 0, offset: 0, limit: 1, items: [], next: 'x' }), [
      '/: must NOT have unevaluated properties (next)',
    ]);
  });

  it('counts lengths in characters, as JSON Schema does', () => {
    assert.equal(characterLength('a😀é'), 3);
    assert.deepEqual(validator.validate({ type: 'string', maxLength: 2 }, '😀😀'), []);
    assert.equal(validator.validate({ type: 'string', maxLength: 2 }, '😀😀😀').length, 1);
  });
});

describe('SchemaArbitraries', () => {
  it('draws mostly valid values on the valid side and mostly invalid ones on the invalid side, for every request schema', () => {
    const a = new SchemaArbitraries({ resolve: validator.resolve, farOver: 2_000 });
    for (const o of ops) {
      const schemas = [
        ...o.parameters.map((p) => [p.name, p.schema] as const),
        ...Object.values(o.requestBody?.content ?? {}).flatMap((m) =>
          m.schema === undefined ? [] : [['body', m.schema] as const],
        ),
      ];
      for (const [name, schema] of schemas) {
        const valid = fc.sample(a.valid(schema), 60).filter((v) => validator.validate(schema, v).length === 0).length;
        const invalid = fc.sample(a.invalid(schema), 60).filter((v) => validator.validate(schema, v).length > 0).length;
        assert.ok(valid >= 45, `${o.operationId} ${name}: ${valid}/60 drawn valid are valid`);
        assert.ok(invalid >= 30, `${o.operationId} ${name}: ${invalid}/60 drawn invalid are invalid`);
      }
    }
  });
});

describe('checkAnswer', () => {
  const request = (id: string, cls: RequestClass): FuzzRequest => {
    const ctx = {
      validator,
      caseId: 'us-pakistan',
      evidenceIds: [],
      userNames: [],
      tokenIds: [],
      webhookIds: [],
      actors: ['pakistan'],
      instruments: ['x'],
      benchmarks: ['y'],
      today: '2026-11-28',
      maxBodyBytes: 1024,
    };
    const drawn = fc.sample(requestArbitrary(op(id), ctx), { numRuns: 1, seed: 7 })[0];
    assert.ok(drawn);
    return { ...drawn, cls, offRoute: false };
  };
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: Buffer.from(JSON.stringify(body)),
  });
  const error = (code: string, problems?: unknown[]) => ({ error: { code, message: 'm', ...(problems ? { problems } : {}) } });

  it('passes an answer that is as documented', () => {
    const token = { id: 't', userId: 'u', name: 'n', created: '2026-11-28T12:00:00.000Z' };
    assert.deepEqual(checkAnswer(validator, op('listTokens'), request('listTokens', 'valid'), json(200, [token])), []);
    assert.deepEqual(
      checkAnswer(
        validator,
        op('listTokens'),
        request('listTokens', 'valid'),
        json(401, error('unauthenticated'), { 'www-authenticate': 'Bearer' }),
      ),
      [],
    );
  });

  it('flags a 500, an undocumented status, a body off its schema, a wrong media type and a 401 without its challenge', () => {
    const req = request('listTokens', 'valid');
    const check = (answer: ReturnType<typeof json>) => checkAnswer(validator, op('listTokens'), req, answer);
    assert.deepEqual(check(json(500, error('internal'))), ['500 server error', '500 is not documented for listTokens']);
    assert.deepEqual(check(json(404, error('not-found'))), ['404 is not documented for listTokens']);
    assert.match(
      check(json(200, [{ id: 't', name: 'n' }])).join(),
      /200 body does not match its schema: \/0: must have required property 'userId'/,
    );
    assert.match(
      check({ ...json(200, []), headers: { 'content-type': 'text/html' } }).join(),
      /200 as text\/html, not a media type declared/,
    );
    assert.deepEqual(check(json(401, error('unauthenticated'))), ['401 without WWW-Authenticate: Bearer']);
    assert.match(check({ ...json(200, []), body: Buffer.from('{"x":"\\ud800"}') }).join(), /escaped half of a surrogate pair/);
  });

  it('flags a 2xx for a request the document rules out, and a 400, 413 or 415 for one it allows', () => {
    const created = json(201, { token: 'x', id: 'i', user: 'u', name: 'n' });
    assert.deepEqual(checkAnswer(validator, op('createToken'), request('createToken', 'invalid'), created), [
      '201: accepted a request the document rules out',
    ]);
    assert.deepEqual(checkAnswer(validator, op('createToken'), request('createToken', 'unspecified'), created), []);
    const valid = request('createToken', 'valid');
    assert.match(
      checkAnswer(
        validator,
        op('createToken'),
        valid,
        json(400, error('invalid-request', [{ code: 'too-big', path: 'name', message: 'x' }])),
      ).join(),
      /400 for a request the document allows: too-big at "name"/,
    );
    assert.deepEqual(checkAnswer(validator, op('createToken'), valid, json(415, error('unsupported-media-type'))), [
      '415 for a request the document allows',
    ]);
    // A rule the document states in words: a history of from after to.
    const history = request('getHistory', 'valid');
    assert.deepEqual(
      checkAnswer(
        validator,
        op('getHistory'),
        history,
        json(400, error('invalid-request', [{ code: 'bad-date', path: 'from', message: 'x' }])),
      ),
      [],
    );
  });
});
