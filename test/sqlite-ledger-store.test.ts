/**
 * The SQLite ledger: the shared contract on a file and in memory, then what only SQLite
 * promises — append-only enforced by the database for any connection, persistence across
 * reopening, the schema version, the stored columns.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import {
  APPEND_ONLY_MESSAGE,
  CONFLICT_REASONS,
  LEDGER_SCHEMA_VERSION,
  openSqliteLedgerStore,
  type SqliteLedgerStore,
} from '../src/adapters/sqlite/sqlite-ledger-store.ts';
import { canonicalJson } from '../src/core/canonical-json.ts';
import { digestOf } from '../src/core/digest.ts';
import { makeEvidence, newCaseId, runLedgerStoreContract } from './ledger-store.contract.ts';

const root = mkdtempSync(join(tmpdir(), 'proviso-ledger-'));
after(() => rmSync(root, { recursive: true, force: true }));

let fileCount = 0;
/** A path in a directory that does not exist yet. */
const newPath = (): string => join(root, `db-${++fileCount}`, 'nested', 'ledger.db');

// One file for the whole contract run: a new connection per test, as a shared server
// database would be used.
const contractPath = newPath();
runLedgerStoreContract('SQLite file', () => openSqliteLedgerStore(contractPath));
runLedgerStoreContract('SQLite :memory:', () => openSqliteLedgerStore(':memory:'));

interface StoredRow {
  readonly case_id: string;
  readonly id: string;
  readonly seq: number;
  readonly recorded: string;
  readonly supersedes: string | null;
  readonly content: string;
  readonly content_hash: string;
}

describe('SQLite ledger store', () => {
  const opened: { close(): unknown }[] = [];
  const openStore = (path: string): SqliteLedgerStore => {
    const store = openSqliteLedgerStore(path);
    opened.push(store);
    return store;
  };
  /** A second, raw connection, as another program (or a careless script) would use. */
  const openRaw = (path: string): Database.Database => {
    const db = new Database(path);
    opened.push(db);
    return db;
  };
  afterEach(async () => {
    for (const handle of opened.splice(0).reverse()) await handle.close();
  });

  const rowsOf = (db: Database.Database): unknown[] => db.prepare('SELECT * FROM evidence ORDER BY seq').all();

  it('creates missing parent directories and sets the schema version, WAL and the tables', () => {
    const path = newPath();
    openStore(path);
    assert.ok(existsSync(path));
    const raw = openRaw(path);
    assert.equal(raw.pragma('user_version', { simple: true }), LEDGER_SCHEMA_VERSION);
    assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
    const objects = raw.prepare("SELECT type, name FROM sqlite_schema WHERE tbl_name = 'evidence' ORDER BY name").all();
    assert.deepEqual(objects, [
      { type: 'table', name: 'evidence' },
      { type: 'index', name: 'evidence_case_recorded' },
      { type: 'index', name: 'evidence_case_supersedes' },
      { type: 'trigger', name: 'evidence_count' },
      { type: 'trigger', name: 'evidence_no_delete' },
      { type: 'trigger', name: 'evidence_no_replace' },
      { type: 'trigger', name: 'evidence_no_update' },
      { type: 'index', name: 'sqlite_autoindex_evidence_1' },
      { type: 'index', name: 'sqlite_autoindex_evidence_2' },
    ]);
  });

  it('opening again does not migrate again; a newer schema is refused', () => {
    const path = newPath();
    openStore(path);
    openStore(path);
    const raw = openRaw(path);
    assert.equal(raw.pragma('user_version', { simple: true }), LEDGER_SCHEMA_VERSION);
    raw.pragma(`user_version = ${LEDGER_SCHEMA_VERSION + 1}`);
    assert.throws(() => openSqliteLedgerStore(path), new RegExp(`schema version ${LEDGER_SCHEMA_VERSION + 1}, newer than`));
  });

  it('the triggers refuse UPDATE, DELETE and INSERT OR REPLACE from another connection', async () => {
    const path = newPath();
    const store = openStore(path);
    const caseId = newCaseId();
    const entries = [makeEvidence('a'), makeEvidence('b')];
    assert.ok((await store.append(caseId, entries)).ok);

    const raw = openRaw(path);
    const before = rowsOf(raw);
    const refused = (sql: string, ...params: unknown[]) =>
      assert.throws(() => raw.prepare(sql).run(...params), { message: APPEND_ONLY_MESSAGE });
    refused("UPDATE evidence SET content = '{}' WHERE id = 'a'");
    refused('UPDATE evidence SET kind = kind');
    refused("DELETE FROM evidence WHERE id = 'b'");
    refused('DELETE FROM evidence');
    refused(
      `INSERT OR REPLACE INTO evidence
       SELECT case_id, id, seq, recorded, reported, occurred, kind, supersedes, '{}', content_hash FROM evidence`,
    );
    assert.deepEqual(rowsOf(raw), before);
    assert.deepStrictEqual(await store.entries(caseId), entries);
  });

  it('the database refuses a supersedes naming no entry of the case (foreign key)', () => {
    const path = newPath();
    openStore(path);
    const raw = openRaw(path);
    raw.pragma('foreign_keys = ON');
    assert.throws(
      () =>
        raw
          .prepare(
            `INSERT INTO evidence
               (case_id, id, seq, recorded, reported, occurred, kind, supersedes, content, content_hash)
             VALUES ('c', 'fix', 1, '2024-01-01', '2024-01-01', '2024-01-01', 'k', 'missing', '{}', 'h')`,
          )
          .run(),
      /FOREIGN KEY constraint failed/,
    );
  });

  it('reopening the file keeps the data', async () => {
    const path = newPath();
    const caseId = newCaseId();
    const entries = [makeEvidence('a'), makeEvidence('b', { supersedes: 'a' })];
    const first = openSqliteLedgerStore(path);
    assert.ok((await first.append(caseId, entries)).ok);
    await first.close();
    await first.close(); // closing twice is harmless

    const second = openStore(path);
    assert.deepStrictEqual(await second.entries(caseId), entries);
    assert.equal(await second.count(caseId), 2);
    const again = await second.append(caseId, entries);
    assert.deepEqual(again, { ok: true, added: 0, unchanged: 2 });
  });

  it('a refused append after a successful one leaves the file unchanged, to the byte', async () => {
    const path = newPath();
    const store = openStore(path);
    const caseId = newCaseId();
    assert.ok((await store.append(caseId, [makeEvidence('a'), makeEvidence('b')])).ok);
    const raw = openRaw(path);
    const rowsBefore = rowsOf(raw);
    const bytes = () => [path, `${path}-wal`].map((p) => (existsSync(p) ? readFileSync(p) : Buffer.alloc(0)));
    const bytesBefore = bytes();

    const result = await store.append(caseId, [
      makeEvidence('c'),
      makeEvidence('a', { description: 'changed' }),
      makeEvidence('d', { supersedes: 'zzz' }),
    ]);
    assert.deepEqual(result, {
      ok: false,
      conflicts: [
        { id: 'a', reason: CONFLICT_REASONS.storedDifferent },
        { id: 'd', reason: CONFLICT_REASONS.unknownSupersedes('zzz') },
      ],
    });
    assert.equal(
      CONFLICT_REASONS.storedDifferent,
      'stored with different content; record a correction as a new entry that supersedes it',
    );
    assert.deepEqual(rowsOf(raw), rowsBefore);
    assert.deepEqual(bytes(), bytesBefore);
  });

  it('stores the canonical JSON and its digest, numbering rows in insertion order across cases', async () => {
    const path = newPath();
    const store = openStore(path);
    const caseA = newCaseId('a');
    const caseB = newCaseId('b');
    const first = [makeEvidence('z'), makeEvidence('m', { supersedes: 'z', recorded: '2024-02-01' })];
    const second = [makeEvidence('a', { amount: 5, currency: 'EUR' })];
    const third = [makeEvidence('b')];
    assert.ok((await store.append(caseA, first)).ok);
    assert.ok((await store.append(caseB, second)).ok);
    assert.ok((await store.append(caseA, third)).ok);

    const raw = openRaw(path);
    const rows = raw
      .prepare('SELECT case_id, id, seq, recorded, kind, supersedes, content, content_hash FROM evidence ORDER BY seq')
      .all() as StoredRow[];
    assert.deepEqual(
      rows.map((r) => [r.case_id, r.id, r.seq]),
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
  });

  it('ledgerHighWater gives the count and last recording date of the ledger or of a view', async () => {
    const store = openStore(':memory:');
    const caseId = newCaseId();
    assert.deepStrictEqual(await store.ledgerHighWater(caseId), { count: 0 });
    assert.ok(
      (
        await store.append(caseId, [
          makeEvidence('a', { recorded: '2024-01-05' }),
          makeEvidence('b', { recorded: '2024-03-01' }),
          makeEvidence('c', { recorded: '2024-02-10' }),
        ])
      ).ok,
    );
    assert.deepStrictEqual(await store.ledgerHighWater(caseId), { count: 3, lastRecorded: '2024-03-01' });
    assert.deepStrictEqual(await store.ledgerHighWater(caseId, { recordedBy: '2024-02-28' }), {
      count: 2,
      lastRecorded: '2024-02-10',
    });
    assert.deepStrictEqual(await store.ledgerHighWater(caseId, { recordedBy: '2023-12-31' }), { count: 0 });
  });

  it('refuses a recordedBy that is not a YYYY-MM-DD date', async () => {
    const store = openStore(':memory:');
    await assert.rejects(store.entries('c', { recordedBy: '2024-2-1' }), RangeError);
    await assert.rejects(store.ledgerHighWater('c', { recordedBy: '2024-02-30' }), RangeError);
  });

  it('a store used after close rejects rather than answering', async () => {
    const store = openSqliteLedgerStore(':memory:');
    await store.close();
    await assert.rejects(store.count('c'));
  });
});
