/**
 * Reading a SQLite ledger without writing (src/adapters/sqlite/sqlite-ledger-reader.ts):
 * the same entries as the store reads, and the folder left as it was — whether the ledger
 * is closed (no -wal beside it) or open in another connection (a -wal beside it).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { openSqliteLedgerReaderIfPresent } from '../src/adapters/sqlite/sqlite-ledger-reader.ts';
import { LEDGER_SCHEMA_VERSION, openSqliteLedgerStore } from '../src/adapters/sqlite/sqlite-ledger-store.ts';
import { makeEvidence } from './ledger-store.contract.ts';
import { makeTempDir } from './support/cli-harness.ts';
import { snapshotFolder } from './support/store-snapshot.ts';

const tmp = makeTempDir('proviso-reader-');
after(() => tmp.cleanup());

const entries = [
  makeEvidence('b', { recorded: '2024-02-01' }),
  makeEvidence('a'),
  makeEvidence('a-fix', { supersedes: 'a', recorded: '2024-03-01' }),
];

async function filledStore(name: string) {
  const dir = join(tmp.dir, name);
  const store = openSqliteLedgerStore(join(dir, 'ledger.sqlite'));
  assert.equal((await store.append('case', entries)).ok, true);
  return { dir, path: join(dir, 'ledger.sqlite'), store };
}

describe('openSqliteLedgerReaderIfPresent', () => {
  it('reads what the store reads from a closed ledger, and writes nothing', async () => {
    const { dir, path, store } = await filledStore('closed');
    const expected = await store.entries('case');
    const expectedBy = await store.entries('case', { recordedBy: '2024-02-01' });
    await store.close();
    const before = snapshotFolder(dir);
    assert.equal(existsSync(`${path}-wal`), false);

    const reader = await openSqliteLedgerReaderIfPresent(path);
    assert.ok(reader !== undefined);
    assert.deepStrictEqual(await reader.entries('case'), expected);
    assert.deepStrictEqual(await reader.entries('case', { recordedBy: '2024-02-01' }), expectedBy);
    assert.deepStrictEqual(await reader.entries('other'), []);
    assert.ok(Object.isFrozen((await reader.entries('case'))[0]));
    await reader.close();
    assert.deepEqual(snapshotFolder(dir), before);
  });

  it('reads a ledger another connection holds open, committed entries included, creating no file', async () => {
    const { dir, path, store } = await filledStore('open');
    try {
      assert.ok(existsSync(`${path}-wal`), 'an open WAL ledger has a -wal beside it');
      const names = () => snapshotFolder(dir)?.map((f) => f.path);
      const before = names();
      const reader = await openSqliteLedgerReaderIfPresent(path);
      assert.ok(reader !== undefined);
      assert.deepStrictEqual(await reader.entries('case'), await store.entries('case'));
      await reader.close();
      assert.deepEqual(names(), before);
    } finally {
      await store.close();
    }
  });

  it('is undefined when there is no ledger, and creates none', async () => {
    const dir = join(tmp.dir, 'none');
    assert.equal(await openSqliteLedgerReaderIfPresent(join(dir, 'ledger.sqlite')), undefined);
    assert.equal(existsSync(dir), false);
  });

  it('refuses a ledger of a newer schema, and reads an empty database as an empty ledger', async () => {
    const dir = join(tmp.dir, 'versions');
    mkdirSync(dir);
    const newer = join(dir, 'newer.sqlite');
    const db = new Database(newer);
    db.pragma(`user_version = ${LEDGER_SCHEMA_VERSION + 1}`);
    db.close();
    await assert.rejects(openSqliteLedgerReaderIfPresent(newer), /newer than this version of Proviso supports/);

    const empty = join(dir, 'empty.sqlite');
    writeFileSync(empty, '');
    const reader = await openSqliteLedgerReaderIfPresent(empty);
    assert.deepStrictEqual(await reader?.entries('case'), []);
    await reader?.close();
  });
});
