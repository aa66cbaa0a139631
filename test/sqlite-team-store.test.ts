/**
 * The SQLite team store: the shared team-store contract and, through `ledger`, the ledger
 * contract on a file; then what only SQLite promises — one file shared with the CLI's
 * ledger, the upgrade of a version-1 ledger file in place, append-only audit log and alerts
 * enforced by the database for any connection, the busy timeout, timestamp checks.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import {
  ALERTS_APPEND_ONLY_MESSAGE,
  AUDIT_APPEND_ONLY_MESSAGE,
  BUSY_TIMEOUT_MS,
  SQLITE_SCHEMA_VERSION,
} from '../src/adapters/sqlite/sqlite-database.ts';
import { APPEND_ONLY_MESSAGE, openSqliteLedgerStore } from '../src/adapters/sqlite/sqlite-ledger-store.ts';
import { openSqliteTeamStore } from '../src/adapters/sqlite/sqlite-team-store.ts';
import { canonicalJson } from '../src/core/canonical-json.ts';
import { digestOf } from '../src/core/digest.ts';
import type { Evidence } from '../src/core/evidence.ts';
import type { AuditInput } from '../src/ports/team-store.ts';
import { makeEvidence, newCaseId, runLedgerStoreContract } from './ledger-store.contract.ts';
import { openLedgerOf, runTeamStoreContract } from './team-store.contract.ts';

const root = mkdtempSync(join(tmpdir(), 'proviso-team-'));
after(() => rmSync(root, { recursive: true, force: true }));

let fileCount = 0;
/** A path in a directory that does not exist yet. */
const newPath = (): string => join(root, `db-${++fileCount}`, 'ledger.sqlite');

// One file per contract run, a new connection per test, as a server and the CLI would use it.
const contractPath = newPath();
runTeamStoreContract('SQLite', async () => openSqliteTeamStore(contractPath));
const ledgerContractPath = newPath();
runLedgerStoreContract(
  'SQLite team store ledger',
  openLedgerOf(async () => openSqliteTeamStore(ledgerContractPath)),
);

/** The schema of a version-1 file, as Proviso 0.1 wrote it (migration 1, verbatim). */
const V1_SCHEMA = `
      CREATE TABLE evidence (
        case_id      TEXT    NOT NULL,
        id           TEXT    NOT NULL,
        seq          INTEGER NOT NULL UNIQUE,
        recorded     TEXT    NOT NULL,
        reported     TEXT    NOT NULL,
        occurred     TEXT    NOT NULL,
        kind         TEXT    NOT NULL,
        supersedes   TEXT,
        content      TEXT    NOT NULL,
        content_hash TEXT    NOT NULL,
        PRIMARY KEY (case_id, id),
        -- Deferred: a batch may list a correction before the entry it corrects.
        FOREIGN KEY (case_id, supersedes) REFERENCES evidence (case_id, id) DEFERRABLE INITIALLY DEFERRED
      ) STRICT;
      CREATE INDEX evidence_case_recorded ON evidence (case_id, recorded);
      CREATE INDEX evidence_case_supersedes ON evidence (case_id, supersedes);
      CREATE TRIGGER evidence_no_update BEFORE UPDATE ON evidence
      BEGIN SELECT RAISE(ABORT, '${APPEND_ONLY_MESSAGE}'); END;
      CREATE TRIGGER evidence_no_delete BEFORE DELETE ON evidence
      BEGIN SELECT RAISE(ABORT, '${APPEND_ONLY_MESSAGE}'); END;
      -- REPLACE deletes the old row without firing delete triggers (unless recursive
      -- triggers are on), so refuse any insert over a stored key before it happens.
      CREATE TRIGGER evidence_no_replace BEFORE INSERT ON evidence
      WHEN EXISTS (SELECT 1 FROM evidence WHERE case_id = NEW.case_id AND id = NEW.id)
      BEGIN SELECT RAISE(ABORT, '${APPEND_ONLY_MESSAGE}'); END;
    `;

/** Writes a version-1 ledger file holding `entries` of `caseId`, the way version 1 stored them. */
function writeV1Ledger(path: string, caseId: string, entries: readonly Evidence[]): void {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.exec(V1_SCHEMA);
    const insert = db.prepare(
      `INSERT INTO evidence (case_id, id, seq, recorded, reported, occurred, kind, supersedes, content, content_hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    entries.forEach((e, i) => {
      insert.run(
        caseId,
        e.id,
        i + 1,
        e.recorded,
        e.reported,
        e.occurred,
        e.kind,
        e.supersedes ?? null,
        canonicalJson(e),
        digestOf(e),
      );
    });
    db.pragma('user_version = 1');
  } finally {
    db.close();
  }
}

const TEAM_TABLES = [
  'alerts',
  'api_tokens',
  'audit_log',
  'evidence_case_counts',
  'sessions',
  'users',
  'webhook_deliveries',
  'webhooks',
];

describe('SQLite team store', () => {
  const opened: { close(): unknown }[] = [];
  const track = <T extends { close(): unknown }>(handle: T): T => {
    opened.push(handle);
    return handle;
  };
  /** A second, raw connection, as another program (or a careless script) would use. */
  const openRaw = (path: string): Database.Database => track(new Database(path));
  afterEach(async () => {
    for (const handle of opened.splice(0).reverse()) await handle.close();
  });

  const tablesOf = (raw: Database.Database): string[] =>
    (raw.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all() as string[]).filter(
      (name) => !name.startsWith('sqlite_'),
    );

  const audit = (caseId: string, fields: Partial<AuditInput> = {}): AuditInput => ({
    actor: 'analyst',
    action: 'evidence.append',
    at: '2026-11-28T12:00:00.000Z',
    caseId,
    ...fields,
  });

  it('the version-1 schema reproduced here is what migration 1 still creates', () => {
    const fresh = newPath();
    track(openSqliteLedgerStore(fresh));
    const v1 = newPath();
    writeV1Ledger(v1, newCaseId(), []);
    // Less the counting trigger, which migration 3 adds.
    const evidenceSchema = (path: string) =>
      openRaw(path)
        .prepare(
          "SELECT type, name, sql FROM sqlite_schema WHERE tbl_name = 'evidence' AND name <> 'evidence_count' ORDER BY name",
        )
        .all();
    assert.deepEqual(evidenceSchema(fresh), evidenceSchema(v1));
  });

  for (const [label, openStore] of [
    ['openSqliteTeamStore', (path: string) => openSqliteTeamStore(path)],
    ['openSqliteLedgerStore', (path: string) => openSqliteLedgerStore(path)],
  ] as const) {
    it(`${label} upgrades a version-1 ledger file in place, keeping every entry`, async () => {
      const path = newPath();
      const caseId = newCaseId();
      const entries = [
        makeEvidence('a'),
        makeEvidence('b', { amount: 3, currency: 'USD' }),
        makeEvidence('c', { supersedes: 'a', recorded: '2024-02-01' }),
      ];
      writeV1Ledger(path, caseId, entries);
      const rowsBefore = openRaw(path).prepare('SELECT * FROM evidence ORDER BY seq').all();

      track(openStore(path));
      const raw = openRaw(path);
      assert.equal(raw.pragma('user_version', { simple: true }), SQLITE_SCHEMA_VERSION);
      assert.deepEqual(tablesOf(raw), ['evidence', ...TEAM_TABLES].sort());
      assert.deepEqual(raw.prepare('SELECT * FROM evidence ORDER BY seq').all(), rowsBefore);

      const team = track(openSqliteTeamStore(path));
      assert.deepStrictEqual(await team.ledger.entries(caseId), entries);
      const more = await team.appendEvidence(caseId, [makeEvidence('d'), ...entries], audit(caseId, { ids: ['d'] }));
      assert.deepEqual(more, { ok: true, added: 1, unchanged: 3 });
      assert.deepEqual(raw.prepare('SELECT id, seq FROM evidence ORDER BY seq').all(), [
        { id: 'a', seq: 1 },
        { id: 'b', seq: 2 },
        { id: 'c', seq: 3 },
        { id: 'd', seq: 4 },
      ]);
      // Migration 3 counted the stored entries; its trigger counts the new one.
      assert.equal(raw.prepare('SELECT count FROM evidence_case_counts WHERE case_id = ?').pluck().get(caseId), 4);
      assert.equal(await team.ledger.count(caseId), 4);
      // The version-1 triggers are still there.
      assert.throws(() => raw.prepare('DELETE FROM evidence').run(), { message: APPEND_ONLY_MESSAGE });
    });
  }

  it('a file newer than this code is refused by both stores, and left as it was', () => {
    const path = newPath();
    track(openSqliteTeamStore(path));
    const raw = openRaw(path);
    raw.pragma(`user_version = ${SQLITE_SCHEMA_VERSION + 1}`);
    const newer = new RegExp(`schema version ${SQLITE_SCHEMA_VERSION + 1}, newer than`);
    assert.throws(() => openSqliteTeamStore(path), newer);
    assert.throws(() => openSqliteLedgerStore(path), newer);
    assert.equal(raw.pragma('user_version', { simple: true }), SQLITE_SCHEMA_VERSION + 1);
  });

  it('the CLI ledger and the team store on one file see one ledger', async () => {
    const path = newPath();
    const caseId = newCaseId();
    const cli = track(openSqliteLedgerStore(path));
    const team = track(openSqliteTeamStore(path));
    assert.equal((await cli.append(caseId, [makeEvidence('from-cli')])).ok, true);
    assert.equal((await team.appendEvidence(caseId, [makeEvidence('from-server')], audit(caseId))).ok, true);
    assert.deepEqual(
      (await cli.entries(caseId)).map((e) => e.id),
      ['from-cli', 'from-server'],
    );
    assert.deepEqual(
      (await team.ledger.entries(caseId)).map((e) => e.id),
      ['from-cli', 'from-server'],
    );
    assert.deepEqual(await team.ledger.ledgerHighWater(caseId), { count: 2, lastRecorded: '2024-01-15' });
    assert.equal((await team.audit({ caseId })).length, 1);
    assert.equal(team.location, path);
  });

  it('the database refuses UPDATE, DELETE and INSERT OR REPLACE on the audit log and alerts, from any connection', async () => {
    const path = newPath();
    const team = track(openSqliteTeamStore(path));
    const caseId = newCaseId();
    const record = await team.recordAudit(audit(caseId, { action: 'user.add', ids: ['u1'] }));
    const [alert] = await team.recordAlerts([
      {
        caseId,
        kind: 'gate-decision',
        subject: 'aid',
        from: 'hold',
        to: 'release',
        asOf: '2024-01-01',
        evidenceIds: ['e'],
        actor: 'a',
        at: '2026-11-28T12:00:00.000Z',
      },
    ]);
    assert.ok(alert !== undefined, 'recordAlerts returned nothing');

    const raw = openRaw(path);
    const snapshot = () => [
      raw.prepare('SELECT * FROM audit_log ORDER BY seq').all(),
      raw.prepare('SELECT * FROM alerts ORDER BY seq').all(),
    ];
    const before = snapshot();
    const refused = (sql: string, message: string) => assert.throws(() => raw.prepare(sql).run(), { message });
    refused("UPDATE audit_log SET actor = 'someone else'", AUDIT_APPEND_ONLY_MESSAGE);
    refused('UPDATE audit_log SET seq = seq + 100', AUDIT_APPEND_ONLY_MESSAGE);
    refused(`DELETE FROM audit_log WHERE seq = ${record.seq}`, AUDIT_APPEND_ONLY_MESSAGE);
    refused('DELETE FROM audit_log', AUDIT_APPEND_ONLY_MESSAGE);
    refused(
      `INSERT OR REPLACE INTO audit_log (seq, actor, action, at, case_id, ids, supersedes, detail)
       SELECT seq, 'x', action, at, case_id, ids, supersedes, '{}' FROM audit_log`,
      AUDIT_APPEND_ONLY_MESSAGE,
    );
    refused("UPDATE alerts SET to_state = 'suspend'", ALERTS_APPEND_ONLY_MESSAGE);
    refused('DELETE FROM alerts', ALERTS_APPEND_ONLY_MESSAGE);
    refused(
      `INSERT OR REPLACE INTO alerts (seq, case_id, kind, subject, from_state, to_state, as_of, evidence_ids, actor, at)
       SELECT seq, case_id, kind, subject, from_state, 'x', as_of, evidence_ids, actor, at FROM alerts`,
      ALERTS_APPEND_ONLY_MESSAGE,
    );
    assert.deepEqual(snapshot(), before);
    assert.deepStrictEqual(await team.audit({ caseId }), [record]);
    assert.deepStrictEqual(await team.alerts({ caseId }), [alert]);
  });

  it('an audit record that cannot be written takes the evidence of its append with it', async () => {
    const team = track(openSqliteTeamStore(newPath()));
    const caseId = newCaseId();
    await assert.rejects(team.appendEvidence(caseId, [makeEvidence('a')], audit(caseId, { detail: { big: 10n } })), /BigInt/);
    assert.equal(await team.ledger.count(caseId), 0);
    assert.deepEqual(await team.audit({ caseId }), []);
    // The connection is usable afterwards: the transaction was rolled back, not left open.
    assert.equal((await team.appendEvidence(caseId, [makeEvidence('a')], audit(caseId))).ok, true);
    assert.equal(await team.ledger.count(caseId), 1);
  });

  it('refuses timestamps not of the form 2026-11-28T12:00:00.000Z, writing nothing', async () => {
    const team = track(openSqliteTeamStore(newPath()));
    const caseId = newCaseId();
    for (const at of [
      '2026-11-28 12:00:00',
      '2026-11-28T12:00:00Z',
      '2026-11-28T12:00:00.000+01:00',
      '2026-13-40T12:00:00.000Z',
    ]) {
      await assert.rejects(team.appendEvidence(caseId, [makeEvidence('a')], audit(caseId, { at })), RangeError);
      await assert.rejects(team.recordAudit(audit(caseId, { at })), RangeError);
      await assert.rejects(team.findSession('h', at), RangeError);
    }
    assert.equal(await team.ledger.count(caseId), 0);
    assert.deepEqual(await team.audit({ caseId }), []);
    await assert.rejects(
      team.createUser({ id: 'u', name: 'n', role: 'owner' as 'admin', passwordHash: 'h', created: '2026-11-28T12:00:00.000Z' }),
      RangeError,
    );
    assert.deepEqual(await team.listUsers(), []);
  });

  it(`waits for another process's write lock (busy timeout ${BUSY_TIMEOUT_MS} ms) instead of failing`, async () => {
    const path = newPath();
    const team = track(openSqliteTeamStore(path));
    const caseId = newCaseId();
    // A worker thread is another connection: it takes the write lock, says so, holds it a
    // while, then commits and raises a shared flag. The main thread, blocked in SQLite's
    // busy handler meanwhile, must get the lock once it is released.
    const released = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const Database = require(workerData.driver);
       const db = new Database(workerData.path);
       db.exec('BEGIN IMMEDIATE');
       db.prepare("INSERT INTO webhooks (id, url, secret, created) VALUES ('held', 'u', 's', 'c')").run();
       parentPort.postMessage('locked');
       Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.holdMs);
       db.exec('COMMIT');
       Atomics.store(workerData.released, 0, 1);
       db.close();`,
      {
        eval: true,
        workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), path, holdMs: 1000, released },
      },
    );
    const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    assert.equal(Atomics.load(released, 0), 0, 'the worker released the lock before the append began');
    const result = await team.appendEvidence(caseId, [makeEvidence('a')], audit(caseId));
    assert.equal(Atomics.load(released, 0), 1, 'the append finished while the worker held the lock');
    assert.deepEqual(result, { ok: true, added: 1, unchanged: 0 });
    assert.equal(await exited, 0);
    assert.deepEqual(
      (await team.webhooks()).map((w) => w.id),
      ['held'],
    );
  });

  it('a store used after close rejects rather than answering', async () => {
    const team = openSqliteTeamStore(':memory:');
    assert.equal(team.location, ':memory:');
    await team.close();
    await assert.rejects(team.audit());
    await assert.rejects(team.ledger.count('c'));
  });
});
