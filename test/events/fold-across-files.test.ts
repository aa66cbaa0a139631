/**
 * Folding re-emitted GDELT events across files (the documented rule): a later file's copies
 * of an event an earlier file stored are folded, every copy, when added within the fold
 * window of it (30 days by default); among a file's own copies of a new event the earliest
 * DATEADDED (then the lowest id) stays; a row repeating a stored key is a duplicate, not a
 * fold. The expected counts and the surviving ids are worked out from the rows, and folding
 * gives the same store in one step or in many (small slices).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openDuckDbEventStore } from '../../src/adapters/duckdb/duckdb-event-store.ts';
import { ingestEventFiles } from '../../src/adapters/duckdb/ingest-event-files.ts';
import { syntheticGdelt2Row, TABLES, tempDir } from './support.ts';

/** Row `i` with another event id and, when given, another DATEADDED (YYYYMMDDHHMMSS). */
function copyOf(i: number, id: number, dateAdded?: string): string {
  const c = syntheticGdelt2Row(i).split('\t');
  c[0] = String(id);
  if (dateAdded !== undefined) c[59] = dateAdded;
  return c.join('\t');
}

/** Row `i`'s DATEADDED moved by `days`. */
function addedAfter(i: number, days: number): string {
  const a = syntheticGdelt2Row(i).split('\t')[59] as string;
  const t = new Date(Date.UTC(Number(a.slice(0, 4)), Number(a.slice(4, 6)) - 1, Number(a.slice(6, 8)) + days));
  return `${t.toISOString().slice(0, 10).replaceAll('-', '')}${a.slice(8)}`;
}
const later = (i: number) => addedAfter(i, 365);
const earlier = (i: number) => addedAfter(i, -365);

async function ingestBoth(dir: string, files: string[], opts: { foldSliceRows?: number; foldWindowDays?: number } = {}) {
  const store = await openDuckDbEventStore(dir, opts.foldSliceRows === undefined ? {} : { foldSliceRows: opts.foldSliceRows });
  try {
    const reports = [];
    for (const f of files) {
      const r = await ingestEventFiles(store, [f], {
        format: 'auto',
        tables: TABLES,
        rejectsPath: join(dir, 'rejects.jsonl'),
        ...(opts.foldWindowDays === undefined ? {} : { foldWindowDays: opts.foldWindowDays }),
      });
      assert.equal(r.kind, 'done');
      reports.push(r.summary);
    }
    return { reports, dump: await store.dumpEvents() };
  } finally {
    await store.close();
  }
}

describe('folding re-emitted events across files', () => {
  const data = tempDir('fold-data');
  // The first file: 600 events, each with its own URL.
  const first = join(data, 'first.export.CSV');
  writeFileSync(first, `${Array.from({ length: 600 }, (_, i) => syntheticGdelt2Row(i)).join('\n')}\n`);
  // The second file, in this order:
  const rows: string[] = [];
  // 100 re-emissions of stored events (rows 0–99) under new ids, added the same day to 30
  // days later: folded. 20 more (rows 150–169) added a year later: outside the window.
  for (let i = 0; i < 100; i++) rows.push(copyOf(i, 600_000_000 + i, addedAfter(i, i % 31)));
  for (let i = 150; i < 170; i++) rows.push(copyOf(i, 600_000_000 + i, later(i)));
  // 50 rows repeating stored keys (rows 100–149 as they were): duplicates.
  for (let i = 100; i < 150; i++) rows.push(syntheticGdelt2Row(i));
  // 200 new events (rows 1000–1199).
  for (let i = 1000; i < 1200; i++) rows.push(syntheticGdelt2Row(i));
  // Copies of new events: 40 added later (the originals stay), 10 added earlier (the copies stay).
  for (let i = 1000; i < 1040; i++) rows.push(copyOf(i, 700_000_000 + i, later(i)));
  for (let i = 1040; i < 1050; i++) rows.push(copyOf(i, 700_000_000 + i, earlier(i)));
  const second = join(data, 'second.export.CSV');
  writeFileSync(second, `${rows.join('\n')}\n`);

  it('folds every copy of a stored event and keeps the earliest copy of a new one', async () => {
    const { reports, dump } = await ingestBoth(tempDir('fold-one-step'), [first, second]);
    assert.deepEqual([reports[0]?.inserted, reports[0]?.folded], [600, 0]);
    const s = reports[1];
    assert.equal(s?.accepted, 420);
    assert.equal(s?.duplicates, 50);
    assert.equal(s?.folded, 100 + 40 + 10);
    assert.equal(s?.inserted, 220);
    const ids = new Set(dump.map((l) => Number(l.split('|')[1])));
    assert.equal(ids.size, 820);
    for (let i = 0; i < 100; i++) assert.ok(!ids.has(600_000_000 + i), 'a re-emission of a stored event is folded');
    for (let i = 150; i < 170; i++) assert.ok(ids.has(600_000_000 + i), 'a copy added a year later is kept');
    for (let i = 1000; i < 1040; i++) {
      assert.ok(ids.has(500_000_000 + i) && !ids.has(700_000_000 + i), 'the copy added first stays');
    }
    for (let i = 1040; i < 1050; i++) {
      assert.ok(!ids.has(500_000_000 + i) && ids.has(700_000_000 + i), 'the copy added first stays');
    }
  });

  it('folds copies added further apart with a wider window', async () => {
    const { reports, dump } = await ingestBoth(tempDir('fold-wide'), [first, second], { foldWindowDays: 400 });
    assert.equal(reports[1]?.folded, 100 + 20 + 40 + 10);
    assert.equal(reports[1]?.inserted, 200);
    const ids = new Set(dump.map((l) => Number(l.split('|')[1])));
    for (let i = 150; i < 170; i++) assert.ok(!ids.has(600_000_000 + i));
  });

  it('gives the same store when folding runs in many small steps', async () => {
    const whole = await ingestBoth(tempDir('fold-whole'), [first, second]);
    const sliced = await ingestBoth(tempDir('fold-sliced'), [first, second], { foldSliceRows: 7 });
    assert.deepEqual(
      sliced.reports.map(({ fileReports: _, rejectsFile: __, ...rest }) => rest),
      whole.reports.map(({ fileReports: _, rejectsFile: __, ...rest }) => rest),
    );
    assert.deepEqual(sliced.dump, whole.dump);
  });
});
