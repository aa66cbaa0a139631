/**
 * ICEWS event identity: an ICEWS Event ID is unique only together with its Event Date (the
 * data repeats ids on other days), so the store keys ICEWS rows by (Event ID, Event Date).
 * Two rows sharing an id on different days are two events; the same row twice is one, and
 * ingesting it again adds nothing. A store whose ICEWS files were loaded under the earlier
 * key, (source, Event ID), keeps every event it holds, and ingesting such a file again adds
 * the events the earlier key dropped.
 */
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { EVENT_STORE_FILE } from '../../src/adapters/duckdb/event-store-layout.ts';
import { openEventStoreIfPresent } from '../../src/adapters/duckdb/open-event-store-if-present.ts';
import { ingest, openStore, REPO, SHARED, tempDir } from './support.ts';

const SAMPLE = join(SHARED, 'icews', 'icews_events.2018.sample.tab');

/** The sample's header and its first row, and the same row moved to another day (Event Date is column 2). */
function rows(): { header: string; first: string; otherDay: string; id: string } {
  const [header, first] = readFileSync(SAMPLE, 'utf8').split('\n') as [string, string];
  const cells = first.split('\t');
  assert.equal(cells[1], '2018-06-01');
  const otherDay = [cells[0], '2018-06-02', ...cells.slice(2)].join('\t');
  return { header, first, otherDay, id: cells[0] as string };
}

async function storedEvents(dir: string): Promise<string[]> {
  const store = await openStore(dir);
  try {
    return await store.dumpEvents();
  } finally {
    await store.close();
  }
}

describe('ICEWS event identity (Event ID, Event Date)', () => {
  it('two rows sharing an id on different days are two events; the same row twice is one', async () => {
    const { header, first, otherDay, id } = rows();
    const data = tempDir('icews-id-data');
    const file = join(data, 'events.tab');
    writeFileSync(file, `${header}\n${first}\n${otherDay}\n${first}\n`);
    const dir = tempDir('icews-id-store');
    const r = await ingest(dir, [file]);
    assert.equal(r.kind, 'done');
    assert.deepEqual([r.summary.accepted, r.summary.duplicates, r.summary.inserted], [3, 1, 2]);
    const events = await storedEvents(dir);
    assert.deepEqual(
      events.map((l) => l.split('|').slice(0, 3).join('|')),
      [`icews|${id}|2018-06-01`, `icews|${id}|2018-06-02`],
    );

    // The same rows again, under another name (so the file is read, not skipped): nothing added.
    const copy = join(data, 'again.tab');
    copyFileSync(file, copy);
    const again = await ingest(dir, [copy]);
    assert.deepEqual([again.summary.accepted, again.summary.duplicates, again.summary.inserted], [3, 3, 0]);
    assert.deepEqual(await storedEvents(dir), events);
  });

  it('a store keyed the earlier way keeps its events, and a file it loaded is read again for the dropped ones', async () => {
    const { header, first, otherDay } = rows();
    const data = tempDir('icews-upgrade-data');
    const file = join(data, 'events.tab');
    writeFileSync(file, `${header}\n${first}\n${otherDay}\n`);

    // What the earlier version left after ingesting `file`: the first row only (the second was
    // taken for a duplicate of it), the file recorded as loaded, no key rule on the files.
    const old = tempDir('icews-upgrade-old');
    await ingest(old, [file]);
    {
      const db = await DuckDBInstance.create(join(old, EVENT_STORE_FILE));
      const c = await db.connect();
      await c.run("DELETE FROM event_rows WHERE event_date = DATE '2018-06-02'");
      await c.run('UPDATE ingested_files SET duplicates = 1, inserted = 1');
      await c.run('ALTER TABLE ingested_files DROP COLUMN key_version');
      c.closeSync();
      db.closeSync();
    }
    // A reader opens it first: the store is upgraded (a short write), then read read-only.
    const reader = await openEventStoreIfPresent(old, join(REPO, 'data', 'cameo'));
    assert.ok(reader !== undefined);
    try {
      assert.equal(
        (await reader.dailyAggregates({})).reduce((n, d) => n + d.count, 0),
        1,
      );
    } finally {
      await reader.close();
    }
    const before = await storedEvents(old);
    assert.equal(before.length, 1);

    // Opened by this version: the event is kept; the file is read again and adds the other day.
    const again = await ingest(old, [file]);
    assert.equal(again.summary.skippedFiles, 0);
    assert.deepEqual([again.summary.duplicates, again.summary.inserted], [1, 1]);
    const after = await storedEvents(old);
    assert.equal(after.length, 2);
    assert.ok(after.includes(before[0] as string), 'the stored event is kept as it was');
    // Now loaded under the current rule: a third ingest skips the file.
    const third = await ingest(old, [file]);
    assert.equal(third.summary.skippedFiles, 1);

    // A store made by this version holds the same.
    const fresh = tempDir('icews-upgrade-fresh');
    await ingest(fresh, [file]);
    assert.deepEqual(await storedEvents(fresh), after);
  });
});
