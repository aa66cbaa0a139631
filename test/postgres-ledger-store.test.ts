/**
 * The PostgreSQL ledger: the shared ledger contract, then what only this adapter promises
 * — the same conflict wording as SQLite, ids PostgreSQL text cannot hold as is, the stored
 * columns, a cheap count kept by the database, the schema version.
 */
import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import pg from 'pg';
import { CONFLICT_REASONS, checkBatch } from '../src/adapters/ledger-rules.ts';
import { fromStoredKey, storedKey, TEAM_SCHEMA_VERSION } from '../src/adapters/postgres/postgres-schema.ts';
import {
  describePostgresUrl,
  NewerSchemaError,
  openPostgresLedgerStore,
  openPostgresTeamStore,
} from '../src/adapters/postgres/postgres-team-store.ts';
import { CONFLICT_REASONS as SQLITE_CONFLICT_REASONS } from '../src/adapters/sqlite/sqlite-ledger-store.ts';
import { canonicalJson } from '../src/core/canonical-json.ts';
import { digestOf } from '../src/core/digest.ts';
import type { LedgerStore } from '../src/ports/ledger-store.ts';
import { makeEvidence, newCaseId, runLedgerStoreContract, sortById } from './ledger-store.contract.ts';
import { postgresUrlForTests } from './support/postgres.ts';

// One database for the whole contract run, a new pool per test, as servers would share it.
let contractUrl: Promise<string> | undefined;
runLedgerStoreContract('PostgreSQL', async () => openPostgresLedgerStore(await (contractUrl ??= postgresUrlForTests())));

describe('PostgreSQL ledger store', () => {
  const opened: { close(): Promise<unknown> }[] = [];
  let url: Promise<string> | undefined;
  const sharedUrl = (): Promise<string> => (url ??= postgresUrlForTests());
  const openStore = async (at?: string): Promise<LedgerStore> => {
    const store = await openPostgresLedgerStore(at ?? (await sharedUrl()));
    opened.push(store);
    return store;
  };
  const openRaw = async (at?: string): Promise<pg.Client> => {
    const client = new pg.Client({ connectionString: at ?? (await sharedUrl()) });
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

  it('words conflicts exactly as the SQLite ledger does', () => {
    assert.equal(CONFLICT_REASONS.storedDifferent, SQLITE_CONFLICT_REASONS.storedDifferent);
    assert.equal(CONFLICT_REASONS.batchDifferent, SQLITE_CONFLICT_REASONS.batchDifferent);
    assert.equal(CONFLICT_REASONS.unknownSupersedes('x'), SQLITE_CONFLICT_REASONS.unknownSupersedes('x'));
    assert.equal(CONFLICT_REASONS.supersessionCycle(['p', 'q', 'p']), SQLITE_CONFLICT_REASONS.supersessionCycle(['p', 'q', 'p']));
    const result = checkBatch([makeEvidence('p', { supersedes: 'q' }), makeEvidence('q', { supersedes: 'p' })], new Map());
    assert.deepEqual(result, {
      ok: false,
      conflicts: [
        { id: 'p', reason: 'supersessions form a cycle: p → q → p' },
        { id: 'q', reason: 'supersessions form a cycle: p → q → p' },
      ],
    });
  });

  it('reports conflicts with their reasons, in the order SQLite does', async () => {
    const store = await openStore();
    const caseId = newCaseId();
    assert.ok((await store.append(caseId, [makeEvidence('a'), makeEvidence('b')])).ok);
    const result = await store.append(caseId, [
      makeEvidence('c'),
      makeEvidence('a', { description: 'changed' }),
      makeEvidence('d', { supersedes: 'zzz' }),
      makeEvidence('e'),
      makeEvidence('e', { kind: 'other' }),
    ]);
    assert.deepEqual(result, {
      ok: false,
      conflicts: [
        { id: 'a', reason: CONFLICT_REASONS.storedDifferent },
        { id: 'e', reason: CONFLICT_REASONS.batchDifferent },
        { id: 'd', reason: CONFLICT_REASONS.unknownSupersedes('zzz') },
      ],
    });
    assert.equal(await store.count(caseId), 2);
  });

  it('stores ids and case ids holding U+0000 and backslashes, and orders ids past U+FFFF as the core does', async () => {
    for (const s of ['', 'a', '\\', '\0', '\\0', '\\\\0\0', 'x\0y\\z']) assert.equal(fromStoredKey(storedKey(s)), s);
    assert.notEqual(storedKey('\0'), storedKey('\\0'));
    assert.equal(storedKey('ev-1'), 'ev-1');

    const store = await openStore();
    const caseId = newCaseId('nul\0and\\slash');
    const entries = [
      makeEvidence('a\0b', { note: 'nul \0 inside' }),
      makeEvidence('a\\0b'),
      makeEvidence('a\\\0', { supersedes: 'a\0b' }),
      makeEvidence('\u{1F600}'),
      makeEvidence('\uFF5E'),
    ];
    assert.deepEqual(await store.append(caseId, entries), { ok: true, added: 5, unchanged: 0 });
    assert.deepEqual(await store.append(caseId, entries), { ok: true, added: 0, unchanged: 5 });
    const read = await store.entries(caseId);
    assert.deepStrictEqual(read, sortById(entries));
    // UTF-16 order: U+1F600 is a surrogate pair (D83D …), before U+FF5E.
    assert.deepEqual(
      read.slice(-2).map((e) => e.id),
      ['\u{1F600}', '\uFF5E'],
    );
    assert.equal(await store.count(caseId), 5);
    assert.equal(await store.count(newCaseId('nul\0and\\slash')), 0);
    const conflict = await store.append(caseId, [makeEvidence('a\\0b', { description: 'changed' })]);
    assert.deepEqual(conflict, { ok: false, conflicts: [{ id: 'a\\0b', reason: CONFLICT_REASONS.storedDifferent }] });
  });

  it('stores the canonical JSON and its digest, numbering rows in insertion order', async () => {
    const at = await postgresUrlForTests();
    const store = await openStore(at);
    const caseA = newCaseId('a');
    const caseB = newCaseId('b');
    const first = [makeEvidence('z'), makeEvidence('m', { supersedes: 'z', recorded: '2024-02-01' })];
    const second = [makeEvidence('a', { amount: 5, currency: 'EUR' })];
    const third = [makeEvidence('b')];
    assert.ok((await store.append(caseA, first)).ok);
    assert.ok((await store.append(caseB, second)).ok);
    assert.ok((await store.append(caseA, third)).ok);

    const raw = await openRaw(at);
    const rows = (
      await raw.query('SELECT case_id, id, seq, recorded, kind, supersedes, content, content_hash FROM evidence ORDER BY seq')
    ).rows;
    assert.deepEqual(
      rows.map((r) => [r.case_id, r.id, Number(r.seq)]),
      [
        [caseA, 'z', 1],
        [caseA, 'm', 2],
        [caseB, 'a', 3],
        [caseA, 'b', 4],
      ],
    );
    const all = [...first, ...second, ...third];
    rows.forEach((row, i) => {
      const entry = all[i];
      assert.ok(entry !== undefined);
      assert.equal(row.content, canonicalJson(entry));
      assert.equal(row.content_hash, digestOf(entry));
      assert.equal(row.recorded, entry.recorded);
      assert.equal(row.supersedes, entry.supersedes ?? null);
    });
    const counts = (await raw.query('SELECT case_id, count FROM evidence_case_counts ORDER BY case_id')).rows;
    assert.deepEqual(
      counts.map((r) => [r.case_id, Number(r.count)]),
      [
        [caseA, 3],
        [caseB, 1],
      ],
    );
  });

  it('counts what any connection inserts (the database keeps the count)', async () => {
    const at = await postgresUrlForTests();
    const store = await openStore(at);
    const caseId = newCaseId();
    assert.ok((await store.append(caseId, [makeEvidence('a')])).ok);
    const raw = await openRaw(at);
    const b = makeEvidence('b');
    await raw.query(
      `INSERT INTO evidence (case_id, id, recorded, reported, occurred, kind, content, content_hash)
       VALUES ($1, 'b', $2, $3, $4, $5, $6, $7)`,
      [caseId, b.recorded, b.reported, b.occurred, b.kind, canonicalJson(b), digestOf(b)],
    );
    assert.equal(await store.count(caseId), 2);
    assert.deepStrictEqual(await store.entries(caseId), [makeEvidence('a'), b]);
  });

  it('the database refuses a supersedes naming no entry of the case (deferred foreign key)', async () => {
    const at = await postgresUrlForTests();
    await openStore(at);
    const raw = await openRaw(at);
    await assert.rejects(
      raw.query(
        `INSERT INTO evidence (case_id, id, recorded, reported, occurred, kind, supersedes, content, content_hash)
         VALUES ('c', 'fix', '2024-01-01', '2024-01-01', '2024-01-01', 'k', 'missing', '{}', 'h')`,
      ),
      { code: '23503' },
    );
  });

  it('records the schema version; opening again does not migrate again; a newer schema is refused', async () => {
    const at = await postgresUrlForTests();
    await openStore(at);
    await openStore(at);
    const raw = await openRaw(at);
    const versions = (await raw.query('SELECT version FROM proviso_schema ORDER BY version')).rows.map((r) => r.version);
    assert.deepEqual(versions, [TEAM_SCHEMA_VERSION]);
    await raw.query("INSERT INTO proviso_schema (version, description) VALUES ($1, 'from the future')", [
      TEAM_SCHEMA_VERSION + 1,
    ]);
    await assert.rejects(openPostgresTeamStore(at), (error: unknown) => {
      assert.ok(error instanceof NewerSchemaError);
      const expected = `schema version ${TEAM_SCHEMA_VERSION + 1}, newer than this version of Proviso supports (${TEAM_SCHEMA_VERSION}); upgrade Proviso`;
      assert.ok(error.message.includes(expected), error.message);
      assert.ok(!error.message.includes(new URL(at).password));
      return true;
    });
  });

  it('stores opened at once on a new database migrate it once', async () => {
    const at = await postgresUrlForTests();
    const stores = await Promise.all(Array.from({ length: 4 }, () => openPostgresTeamStore(at)));
    for (const store of stores) opened.push(store);
    const raw = await openRaw(at);
    assert.equal((await raw.query('SELECT count(*) AS n FROM proviso_schema')).rows[0]?.n, '1');
  });

  it('says where it is without the password, and refuses what is not a PostgreSQL URL', async () => {
    assert.equal(describePostgresUrl('postgres://ann:s3cret@db.example:5433/proviso'), 'postgres://ann@db.example:5433/proviso');
    assert.equal(
      describePostgresUrl('postgresql://db.example/proviso?user=ann&password=s3cret&sslmode=require'),
      'postgresql://db.example/proviso?user=ann&sslmode=require',
    );
    assert.throws(() => describePostgresUrl('not a url'), /not a URL/);
    assert.throws(() => describePostgresUrl('mysql://h/db'), /starts with "mysql:"/);
    const at = await sharedUrl();
    const store = await openPostgresTeamStore(at);
    opened.push(store);
    assert.equal(store.location, describePostgresUrl(at));
    assert.ok(!store.location.includes(new URL(at).password));
  });

  it('says which server it could not reach, without the password', async () => {
    await assert.rejects(
      openPostgresTeamStore('postgres://ann:s3cret@localhost:1/none', { connectTimeoutMs: 2000 }),
      (e: unknown) => {
        assert.ok(e instanceof Error);
        assert.match(e.message, /^cannot open the PostgreSQL store at postgres:\/\/ann@localhost:1\/none: \S/);
        assert.ok(!e.message.includes('s3cret'));
        return true;
      },
    );
    await assert.rejects(
      openPostgresTeamStore('postgres://ann:s3cret@127.0.0.1:1/none', { connectTimeoutMs: 2000 }),
      (e: unknown) => {
        assert.ok(e instanceof Error);
        assert.match(e.message, /^cannot open the PostgreSQL store at postgres:\/\/ann@127\.0\.0\.1:1\/none: /);
        assert.ok(!e.message.includes('s3cret'));
        return true;
      },
    );
  });

  it('refuses a recordedBy that is not a YYYY-MM-DD date', async () => {
    const store = await openStore();
    await assert.rejects(store.entries('c', { recordedBy: '2024-2-1' }), RangeError);
  });

  it('a store used after close rejects rather than answering; closing twice is harmless', async () => {
    const store = await openPostgresLedgerStore(await sharedUrl());
    await store.close();
    await store.close();
    await assert.rejects(store.count('c'));
    await assert.rejects(store.append('c', [makeEvidence('a')]));
  });
});
