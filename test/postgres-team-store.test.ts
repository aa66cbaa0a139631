/**
 * The PostgreSQL team store: the shared team-store contract, then what only a networked,
 * multi-connection store must show — many concurrent audited appends to one case from
 * separate connections and pools (corrections of each other's entries, repeats, refused
 * batches) losing nothing and storing nothing twice; audit numbering that a poller can
 * follow; append-only history enforced by the database for any client; a refused batch
 * leaving no trace in any table.
 */
import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import pg from 'pg';
import { APPEND_ONLY_MESSAGES, CONFLICT_REASONS, openPostgresTeamStore } from '../src/adapters/postgres/postgres-team-store.ts';
import type { Evidence } from '../src/core/evidence.ts';
import type { AppendResult } from '../src/ports/ledger-store.ts';
import type { AuditInput, AuditRecord, TeamStore } from '../src/ports/team-store.ts';
import { makeEvidence, newCaseId, sortById } from './ledger-store.contract.ts';
import { postgresUrlForTests } from './support/postgres.ts';
import { runTeamStoreContract } from './team-store.contract.ts';

// One database for the whole contract run, a new pool per test, as servers would share it.
let contractUrl: Promise<string> | undefined;
runTeamStoreContract('PostgreSQL', async () => openPostgresTeamStore(await (contractUrl ??= postgresUrlForTests())));

const AT = '2026-11-28T12:00:00.000Z';

const auditOf = (caseId: string, entries: readonly Evidence[], label: string): AuditInput => ({
  actor: 'analyst-1',
  action: 'evidence.append',
  at: AT,
  caseId,
  ids: entries.map((e) => e.id),
  supersedes: entries.flatMap((e) => (e.supersedes === undefined ? [] : [e.supersedes])),
  detail: { call: label },
});

describe('PostgreSQL team store', () => {
  const opened: { close(): Promise<unknown> }[] = [];
  let url: Promise<string> | undefined;
  const sharedUrl = (): Promise<string> => (url ??= postgresUrlForTests());
  const openStore = async (maxConnections = 10): Promise<TeamStore> => {
    const store = await openPostgresTeamStore(await sharedUrl(), { maxConnections });
    opened.push(store);
    return store;
  };
  const openRaw = async (): Promise<pg.Client> => {
    const client = new pg.Client({ connectionString: await sharedUrl() });
    await client.connect();
    opened.push({ close: () => client.end() });
    return client;
  };
  afterEach(async () => {
    for (const handle of opened.splice(0).reverse()) await handle.close();
  });
  after(async () => {
    for (const handle of opened.splice(0).reverse()) await handle.close();
  });

  describe('concurrent appends to one case', () => {
    /**
     * A first batch `f-0…f-9`, then 20 calls at once, split over two stores (two pools, as
     * two server processes would be), each call on a connection of its own:
     * - calls 0–7 add `n-k` and a correction `c-k` of `f-k`;
     * - calls 8–11 repeat `f-(k-8)` and a shared entry `s` identically, and add `m-k`;
     * - calls 12–17 repeat `n-k` (which call k adds, concurrently) and correct it with `x-k`:
     *   whichever of the two runs first adds `n-k`, the other finds it unchanged;
     * - calls 18–19 rewrite `f-0` (a conflict) beside a new entry `bad-k`: refused whole.
     */
    function plan(): { first: Evidence[]; calls: Evidence[][]; refused: Set<number> } {
      const f = Array.from({ length: 10 }, (_, k) => makeEvidence(`f-${k}`));
      const n = (k: number) => makeEvidence(`n-${k}`, { description: `new in call ${k}` });
      const calls: Evidence[][] = [];
      for (let k = 0; k < 8; k++) {
        calls.push([n(k), makeEvidence(`c-${k}`, { supersedes: `f-${k}`, description: `corrects f-${k}` })]);
      }
      for (let k = 8; k < 12; k++) {
        calls.push([f[k - 8] ?? assert.fail(), makeEvidence('s', { note: 'shared' }), makeEvidence(`m-${k}`)]);
      }
      for (let k = 12; k < 18; k++) {
        const target = k - 12;
        calls.push([makeEvidence(`x-${target}`, { supersedes: `n-${target}` }), n(target)]);
      }
      for (let k = 18; k < 20; k++) {
        calls.push([makeEvidence(`bad-${k}`), makeEvidence('f-0', { description: 'rewritten' })]);
      }
      return { first: f, calls, refused: new Set([18, 19]) };
    }

    it('lose nothing, store nothing twice, and record one audit record per accepted call', { timeout: 60_000 }, async () => {
      const stores = [await openStore(12), await openStore(12)];
      const raw = await openRaw();
      for (let round = 0; round < 4; round++) {
        const caseId = newCaseId(`race-${round}`);
        const { first, calls, refused } = plan();
        const [one, two] = stores as [TeamStore, TeamStore];
        assert.deepEqual(await one.appendEvidence(caseId, first, auditOf(caseId, first, 'first')), {
          ok: true,
          added: 10,
          unchanged: 0,
        });

        const results: AppendResult[] = await Promise.all(
          calls.map((batch, k) => (k % 2 === 0 ? one : two).appendEvidence(caseId, batch, auditOf(caseId, batch, `call-${k}`))),
        );

        results.forEach((result, k) => {
          if (refused.has(k)) {
            assert.deepEqual(result, { ok: false, conflicts: [{ id: 'f-0', reason: CONFLICT_REASONS.storedDifferent }] });
          } else {
            assert.ok(result.ok, `call ${k} was refused: ${JSON.stringify(result)}`);
          }
        });

        // Every distinct entry of the accepted calls, once; nothing of the refused ones.
        const expected = new Map<string, Evidence>(first.map((e) => [e.id, e]));
        calls.forEach((batch, k) => {
          if (!refused.has(k)) for (const e of batch) expected.set(e.id, e);
        });
        const stored = await one.ledger.entries(caseId);
        assert.deepStrictEqual(stored, sortById([...expected.values()]));
        assert.equal(await two.ledger.count(caseId), expected.size);
        const rows = await raw.query(
          'SELECT id, count(*) AS n FROM evidence WHERE case_id = $1 GROUP BY id HAVING count(*) > 1',
          [caseId],
        );
        assert.deepEqual(rows.rows, []);

        // Each entry was added by exactly one call; all others saw it unchanged.
        const accepted = results.filter((r): r is Extract<AppendResult, { ok: true }> => r.ok);
        const submitted = calls.filter((_, k) => !refused.has(k)).reduce((n, batch) => n + batch.length, 0);
        const added = accepted.reduce((n, r) => n + r.added, 0);
        assert.equal(added, expected.size - first.length);
        assert.equal(
          accepted.reduce((n, r) => n + r.unchanged, 0),
          submitted - added,
        );

        // One audit record per accepted call (and the first batch), numbered in commit order.
        const records = await one.audit({ caseId });
        assert.equal(records.length, accepted.length + 1);
        assert.deepEqual(
          records.map((r) => r.detail.call).sort(),
          ['first', ...calls.flatMap((_, k) => (refused.has(k) ? [] : [`call-${k}`]))].sort(),
        );
        assert.equal(
          records.reduce((n, r) => n + Number(r.detail.added), 0),
          expected.size,
        );
        for (let i = 1; i < records.length; i++) assert.ok((records[i]?.seq ?? 0) > (records[i - 1]?.seq ?? 0));
      }
    });

    it('a reader following the audit log with afterSeq misses nothing while appends commit', { timeout: 60_000 }, async () => {
      const writers = [await openStore(8), await openStore(8)];
      const reader = await openStore(2);
      const caseIds = [newCaseId('p'), newCaseId('q'), newCaseId('r')];
      const seen: AuditRecord[] = [];
      let done = false;
      const poll = (async () => {
        let afterSeq = 0;
        for (;;) {
          const finished = done;
          for (const record of await reader.audit({ afterSeq })) {
            if (caseIds.includes(record.caseId ?? '')) seen.push(record);
            afterSeq = record.seq;
          }
          if (finished) return;
        }
      })();
      const writes = Array.from({ length: 30 }, (_, i) => {
        const store = writers[i % 2] as TeamStore;
        const caseId = caseIds[i % 3] as string;
        const entry = makeEvidence(`e-${i}`);
        return i % 5 === 4
          ? store.recordAudit({ actor: 'a', action: 'case.note', at: AT, caseId, ids: [`note-${i}`] })
          : store.appendEvidence(caseId, [entry], auditOf(caseId, [entry], `w-${i}`));
      });
      await Promise.all(writes);
      done = true;
      await poll;
      const all = (await reader.audit()).filter((r) => caseIds.includes(r.caseId ?? ''));
      assert.equal(all.length, 30);
      assert.deepStrictEqual(seen, all);
    });
  });

  describe('append-only, enforced by the database', () => {
    it('refuses UPDATE, DELETE, TRUNCATE and upserts on evidence, audit and alerts from a plain client', async () => {
      const store = await openStore();
      const caseId = newCaseId();
      const entries = [makeEvidence('a'), makeEvidence('b')];
      assert.ok((await store.appendEvidence(caseId, entries, auditOf(caseId, entries, 'setup'))).ok);
      await store.recordAlerts([
        {
          caseId,
          kind: 'benchmark-status',
          subject: 'b-1',
          from: 'unmet',
          to: 'met',
          asOf: '2024-01-15',
          evidenceIds: ['a'],
          actor: 'analyst-1',
          at: AT,
        },
      ]);

      const raw = await openRaw();
      const snapshot = async () => {
        const tables: unknown[][] = [];
        for (const table of ['evidence', 'audit', 'alerts', 'evidence_case_counts']) {
          tables.push((await raw.query(`SELECT * FROM ${table} ORDER BY 1, 2`)).rows);
        }
        return tables;
      };
      const before = await snapshot();
      const refused = async (sql: string, message: string | RegExp, values: unknown[] = []) => {
        await assert.rejects(raw.query(sql, values), { code: '23001', message });
      };
      const evidence = APPEND_ONLY_MESSAGES.evidence;
      await refused("UPDATE evidence SET content = '{}' WHERE id = 'a'", evidence);
      await refused('UPDATE evidence SET kind = kind', evidence);
      await refused("UPDATE evidence SET kind = kind WHERE id = 'no such id'", evidence);
      await refused("DELETE FROM evidence WHERE id = 'b'", evidence);
      await refused('DELETE FROM evidence', evidence);
      await refused('TRUNCATE evidence', evidence);
      await refused('TRUNCATE evidence, audit, alerts CASCADE', /is append-only/);
      await refused(
        `INSERT INTO evidence (case_id, id, recorded, reported, occurred, kind, content, content_hash)
         SELECT case_id, id, recorded, reported, occurred, kind, '{}', content_hash FROM evidence WHERE case_id = $1
         ON CONFLICT (case_id, id) DO UPDATE SET content = excluded.content`,
        evidence,
        [caseId],
      );
      await refused(
        `MERGE INTO evidence e USING (SELECT $1::text AS case_id) s ON e.case_id = s.case_id
         WHEN MATCHED THEN DELETE`,
        evidence,
        [caseId],
      );
      const audit = APPEND_ONLY_MESSAGES.audit;
      await refused("UPDATE audit SET actor = 'someone else'", audit);
      await refused('UPDATE audit SET detail = detail WHERE case_id = $1', audit, [caseId]);
      await refused('DELETE FROM audit WHERE case_id = $1', audit, [caseId]);
      await refused('DELETE FROM audit', audit);
      await refused('TRUNCATE audit', audit);
      const alerts = APPEND_ONLY_MESSAGES.alerts;
      await refused("UPDATE alerts SET to_status = 'unmet'", alerts);
      await refused('DELETE FROM alerts', alerts);
      await refused('TRUNCATE alerts', alerts);

      assert.deepEqual(await snapshot(), before);
      assert.deepStrictEqual(await store.ledger.entries(caseId), entries);
      assert.equal((await store.audit({ caseId })).length, 1);
    });

    it('a refused batch leaves no evidence row, no count and no audit record behind', async () => {
      const store = await openStore();
      const raw = await openRaw();
      const caseId = newCaseId();
      const rowsOf = async () => ({
        evidence: (await raw.query('SELECT id FROM evidence WHERE case_id = $1 ORDER BY id', [caseId])).rows,
        counts: (await raw.query('SELECT count FROM evidence_case_counts WHERE case_id = $1', [caseId])).rows,
        audit: (await raw.query('SELECT seq, detail FROM audit WHERE case_id = $1 ORDER BY seq', [caseId])).rows,
      });

      const cycle = [makeEvidence('p', { supersedes: 'q' }), makeEvidence('q', { supersedes: 'p' }), makeEvidence('ok')];
      const first = await store.appendEvidence(caseId, cycle, auditOf(caseId, cycle, 'cycle'));
      assert.equal(first.ok, false);
      assert.deepEqual(await rowsOf(), { evidence: [], counts: [], audit: [] });

      const base = [makeEvidence('a')];
      assert.ok((await store.appendEvidence(caseId, base, auditOf(caseId, base, 'base'))).ok);
      const before = await rowsOf();
      assert.equal(before.audit.length, 1);
      const bad = [makeEvidence('new-1'), makeEvidence('a', { note: 'changed' }), makeEvidence('fix', { supersedes: 'nowhere' })];
      const result = await store.appendEvidence(caseId, bad, auditOf(caseId, bad, 'bad'));
      assert.deepEqual(result, {
        ok: false,
        conflicts: [
          { id: 'a', reason: CONFLICT_REASONS.storedDifferent },
          { id: 'fix', reason: CONFLICT_REASONS.unknownSupersedes('nowhere') },
        ],
      });
      assert.deepEqual(await rowsOf(), before);
      assert.deepEqual(
        (await store.audit({ caseId })).map((r) => r.detail),
        [{ call: 'base', added: 1, unchanged: 0 }],
      );
    });
  });

  describe('checks on what callers pass', () => {
    it('refuses timestamps not written by Date#toISOString, unknown roles and kinds, negative pages', async () => {
      const store = await openStore();
      const caseId = newCaseId();
      await assert.rejects(
        store.appendEvidence(caseId, [makeEvidence('a')], { actor: 'a', action: 'evidence.append', at: '2026-11-28 12:00' }),
        RangeError,
      );
      assert.equal(await store.ledger.count(caseId), 0);
      await assert.rejects(store.findSession('h', '2026-11-28T12:00:00Z'), RangeError);
      await assert.rejects(
        store.createUser({ id: 'u', name: 'n', role: 'owner' as 'admin', passwordHash: 'x', created: AT }),
        /role "owner" is not one of viewer, analyst, admin/,
      );
      await assert.rejects(store.audit({ limit: -1 }), /limit -1 is not a whole number/);
      await assert.rejects(store.alerts({ afterSeq: 1.5 }), /afterSeq 1.5 is not a whole number/);
    });
  });
});
