/**
 * The served description passes Redocly's `recommended` ruleset with no error and no
 * warning (summaries, operation ids, servers, a licence, a 4xx response per operation, …),
 * no rule turned off.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { sqliteOpener, startTestServer, type TestServer } from './support.ts';

const sqlite = sqliteOpener();
let s: TestServer;

before(async () => {
  s = await startTestServer(sqlite.open);
});
after(async () => {
  await s.close();
  sqlite.cleanup();
});

describe('/openapi.json', () => {
  it('passes the recommended lint rules with no error and no warning', async () => {
    const res = await s.request('/openapi.json', { as: 'viewer' });
    assert.equal(res.status, 200);
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: await res.text(), absoluteRef: 'openapi.json', config });
    assert.deepEqual(
      problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} (${p.location[0]?.pointer ?? ''})`),
      [],
    );
  });
});
