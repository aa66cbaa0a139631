/**
 * Writes update the server's cached ledger and its live assessment in place (issue 18,
 * point 2): what the server then reports is what a fresh assessment of the stored ledger
 * gives, after its own writes, corrections, retractions, and a write by another process.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { nativeSha256 } from '../../src/adapters/native-sha256.ts';
import { assess } from '../../src/core/assess.ts';
import type { Evidence } from '../../src/core/evidence.ts';
import { strongEtag } from '../../src/http/representation.ts';
import { jsonInit, newEvidence, sqliteOpener, startTestServer, TEST_NOW, type TestServer } from './support.ts';

const CASE = 'us-pakistan';
const TODAY = TEST_NOW.toISOString().slice(0, 10);

describe('incremental writes give what a fresh assessment gives', () => {
  const opener = sqliteOpener();
  let s: TestServer;
  before(async () => {
    s = await startTestServer(opener.open);
  });
  after(async () => {
    await s.close();
    opener.cleanup();
  });

  /**
   * The assessment as of today as the API serves it (computed in a worker), after checking
   * that the case service's own — the live one, kept up to date by the writes — serialises
   * to the very same bytes, so that either could answer the route.
   */
  async function served(): Promise<unknown> {
    const liveText = await s.deps.cases.assessmentJson(CASE, TODAY);
    const live = JSON.parse(liveText);
    const outcome = await s.deps.cases.outcome(CASE, TODAY);
    assert.deepEqual(
      outcome.benchmarks.map((b) => b.status),
      live.benchmarks.map((b: { status: string }) => b.status),
    );
    const res = await s.request(`/api/cases/${CASE}/assessment?asOf=${TODAY}`, { as: 'viewer' });
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.equal(text, liveText, 'the worker answers the live assessment byte for byte');
    assert.equal(res.headers.get('etag'), strongEtag(Buffer.from(liveText)), 'and so with its ETag');
    return live;
  }

  async function fresh(): Promise<unknown> {
    const c = s.deps.cases.get(CASE);
    assert.ok(c);
    const ledger = await s.store.ledger.entries(CASE);
    const a = assess(c.case, ledger, TODAY, { series: c.series, coverage: c.coverage, sha256: nativeSha256 });
    return JSON.parse(JSON.stringify(a));
  }

  it('after writes, a correction and a retraction through the server', async () => {
    // The first write builds the live assessment; the later ones update it.
    const attack = newEvidence('ev-inc-attack', {
      kind: 'terrorist-attack',
      actors: ['let', 'india'],
      occurred: '2026-11-02',
      reported: '2026-11-03',
    });
    for (const body of [
      attack,
      newEvidence('ev-inc-1'),
      newEvidence('ev-inc-2', { occurred: '2019-05-01', reported: '2019-05-02' }),
    ]) {
      const res = await s.request(`/api/cases/${CASE}/evidence`, jsonInit('POST', body, 'analyst'));
      assert.equal(res.status, 201, await res.text());
    }
    assert.deepEqual(await served(), await fresh());
    const corrected = await s.request(
      `/api/cases/${CASE}/evidence/ev-inc-attack/corrections`,
      jsonInit('POST', { ...attack, id: 'ev-inc-attack-fix', actors: ['jem', 'india'] }, 'analyst'),
    );
    assert.equal(corrected.status, 201, await corrected.text());
    const retracted = await s.request(
      `/api/cases/${CASE}/evidence/ev-inc-1/retractions`,
      jsonInit(
        'POST',
        { id: 'ev-inc-1-retracted', description: 'Withdrawn', reported: TODAY, sources: newEvidence('x').sources as unknown[] },
        'analyst',
      ),
    );
    assert.equal(retracted.status, 201, await retracted.text());
    assert.deepEqual(await served(), await fresh());
  });

  it('concurrent writes are stored in groups, each answered and audited as if alone', async () => {
    const groups: number[] = [];
    const store = s.deps.store;
    const original = store.appendEvidenceGroup.bind(store);
    store.appendEvidenceGroup = async (caseId, writes) => {
      groups.push(writes.length);
      return original(caseId, writes);
    };
    try {
      const bodies = Array.from({ length: 20 }, (_, i) => newEvidence(`ev-group-${String(i).padStart(2, '0')}`));
      // One invalid (an unknown actor), one rewriting a stored entry with other content.
      bodies[5] = newEvidence('ev-group-05', { actors: ['nobody'] });
      bodies[9] = newEvidence('ev-inc-2', { description: 'rewritten' });
      const answers = await Promise.all(
        bodies.map((b) => s.request(`/api/cases/${CASE}/evidence`, jsonInit('POST', b, 'analyst'))),
      );
      assert.deepEqual(
        answers.map((a) => a.status),
        bodies.map((_, i) => (i === 5 ? 400 : i === 9 ? 409 : 201)),
      );
      assert.ok(groups.length < 18, `18 writes took ${groups.length} transactions`);
      const audited = (await s.store.audit({ caseId: CASE, action: 'evidence.append' })).flatMap((a) => a.ids);
      for (const [i, b] of bodies.entries()) {
        const id = b.id as string;
        if (i === 5 || i === 9) continue;
        assert.equal(audited.filter((x) => x === id).length, 1, `one audit record for ${id}`);
      }
      assert.ok(!audited.includes('ev-group-05'));
    } finally {
      store.appendEvidenceGroup = original;
    }
    assert.deepEqual(await served(), await fresh());
  });

  it('after another process appended to the store directly', async () => {
    await served();
    const other: Evidence = {
      id: 'ev-inc-other-process',
      kind: 'terrorist-attack',
      actors: ['jem', 'india'],
      description: 'Written by another process',
      occurred: '2026-11-10',
      occurredTo: '2026-11-10',
      reported: '2026-11-11',
      recorded: TODAY,
      sources: [{ publisher: 'Other Wire', title: 'Report', date: '2026-11-11', reliability: 'A', credibility: 1 }],
      tags: [],
    };
    const r = await s.store.appendEvidence(CASE, [other], {
      actor: 'other',
      action: 'evidence.append',
      at: TEST_NOW.toISOString(),
      caseId: CASE,
    });
    assert.ok(r.ok);
    assert.deepEqual(await served(), await fresh());
    const listed = (await s.deps.cases.entries(CASE)).map((e) => e.id);
    assert.deepEqual(listed, [...listed].sort());
    assert.ok(listed.includes('ev-inc-other-process'));
  });
});
