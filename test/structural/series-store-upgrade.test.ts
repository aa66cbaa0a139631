/**
 * A series store of schema 1 (before roll calls had a body, and before issue topics) opens
 * as a store of the current schema, every vote as it was: its roll calls are the General
 * Assembly's. A reader upgrades it once (a short write), then reads it read-only.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { SERIES_SCHEMA_VERSION } from '../../src/adapters/structural/sqlite-series-store.ts';
import { makeTempDir, runCli } from '../support/cli-harness.ts';

/** Schema 1, exactly as that version created it. */
const SCHEMA_1 = `
  CREATE TABLE points (
    measure TEXT NOT NULL, a TEXT NOT NULL, b TEXT NOT NULL, date TEXT NOT NULL,
    known_at TEXT NOT NULL, value REAL NOT NULL, period TEXT NOT NULL, detail TEXT NOT NULL, source TEXT NOT NULL,
    PRIMARY KEY (measure, a, b, date)) STRICT;
  CREATE TABLE roll_calls (
    rcid TEXT PRIMARY KEY, year INTEGER NOT NULL, date TEXT, source TEXT NOT NULL) STRICT;
  CREATE TABLE votes (
    rcid TEXT NOT NULL REFERENCES roll_calls (rcid), country TEXT NOT NULL, vote INTEGER NOT NULL,
    PRIMARY KEY (rcid, country)) STRICT;
  CREATE INDEX votes_country ON votes (country, rcid);
  CREATE TABLE incidents (
    key TEXT PRIMARY KEY, a TEXT NOT NULL, b TEXT NOT NULL, date TEXT NOT NULL, count INTEGER NOT NULL,
    detail TEXT NOT NULL, source TEXT NOT NULL) STRICT;
  CREATE INDEX incidents_dyad ON incidents (a, b, date);
  PRAGMA user_version = 1;
`;

describe('series stores of schema 1', () => {
  it('open with their votes as the General Assembly’s, and take issue topics', async () => {
    const { dir: cwd } = makeTempDir('proviso-series-v1-');
    mkdirSync(join(cwd, '.proviso'));
    const file = join(cwd, '.proviso', 'series.sqlite');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec(SCHEMA_1);
    db.exec(`INSERT INTO roll_calls VALUES ('1', 2018, '2018-10-05', 'old.csv'), ('2', 2018, NULL, 'old.csv');
             INSERT INTO votes VALUES ('1', 'USA', 1), ('1', 'PAK', 1), ('2', 'USA', 3), ('2', 'PAK', 1);`);
    db.close();

    const r = await runCli(['series', '--measure', 'agreement', '--dyad', 'USA,PAK', '--format', 'json'], cwd);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      (JSON.parse(r.stdout) as { year: number; value: number; body: string; n: number }[]).map((x) => [
        x.year,
        x.n,
        x.value,
        x.body,
      ]),
      [[2018, 2, 0.5, 'ga']],
    );
    const sc = await runCli(['series', '--measure', 'agreement', '--dyad', 'USA,PAK', '--body', 'sc', '--format', 'json'], cwd);
    assert.deepEqual(JSON.parse(sc.stdout), []);

    const after = new Database(file, { readonly: true });
    try {
      assert.equal(after.pragma('user_version', { simple: true }), SERIES_SCHEMA_VERSION);
      assert.deepEqual(after.prepare('SELECT rcid, body FROM roll_calls ORDER BY rcid').all(), [
        { rcid: '1', body: 'ga' },
        { rcid: '2', body: 'ga' },
      ]);
    } finally {
      after.close();
    }
    // A roll-call table given later dates roll call 2 and gives both their detail.
    const table = join(cwd, 'roll-calls.csv');
    writeFileSync(table, 'rcid,session,date,unres\n1,73,2018-10-05,R/73/1\n2,73,2018-11-01,R/73/2\n');
    const imported = await runCli(['import', 'unga-votes', table], cwd);
    assert.match(imported.stdout, /2 records \(2 added, 0 already stored\), 0 rejected; roll-calls form/);
  });
});
