/**
 * Keys repeated within a file whose ids do not increase (a file sorted by another column,
 * or an ICEWS export): the first line of each key is stored, later lines count as
 * duplicates, whatever their content.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ingestEventFiles } from '../../src/adapters/duckdb/ingest-event-files.ts';
import { ingest, openStore, syntheticGdelt2Row, TABLES, tempDir } from './support.ts';

/** Row `i` under event id `id`, with another Goldstein score and URL when `changed`. */
function rowWithId(i: number, id: number, changed = false): string {
  const c = syntheticGdelt2Row(i).split('\t');
  c[0] = String(id);
  if (changed) {
    c[30] = '9.9';
    c[60] = `https://example.org/changed/${i}`;
  }
  return c.join('\t');
}

async function dumpOf(dir: string): Promise<string[]> {
  const store = await openStore(dir);
  try {
    return await store.dumpEvents();
  } finally {
    await store.close();
  }
}

describe('keys repeated within a file', () => {
  it('stores the first line of each key when ids do not increase', async () => {
    const data = tempDir('repeats-data');
    // 500 events, ids decreasing.
    const rows = Array.from({ length: 500 }, (_, i) => rowWithId(i, 500_000_499 - i));
    const clean = join(data, 'clean.export.CSV');
    writeFileSync(clean, `${rows.join('\n')}\n`);
    // The same, with 20 later lines repeating keys of earlier ones, their content changed.
    const repeated = [...rows];
    for (let k = 0; k < 20; k++) repeated.splice(100 + 20 * k, 0, rowWithId(k * 3, 500_000_499 - k * 3, true));
    const withRepeats = join(data, 'repeats.export.CSV');
    writeFileSync(withRepeats, `${repeated.join('\n')}\n`);

    const a = tempDir('repeats-clean');
    const b = tempDir('repeats-dup');
    const ra = await ingest(a, [clean]);
    const rb = await ingest(b, [withRepeats]);
    assert.equal(ra.kind, 'done');
    assert.equal(rb.kind, 'done');
    assert.deepEqual([rb.summary.accepted, rb.summary.duplicates, rb.summary.inserted], [520, 20, 500]);
    const dump = await dumpOf(b);
    assert.deepEqual(dump, await dumpOf(a));
    assert.ok(!dump.some((l) => l.includes('/changed/')), 'no later line replaces the first');
  });

  it('stores the first line of each key when ids increase and then restart, read by one thread or two', async () => {
    // Staged files leave out the numbers of lines whose keys still increase: such a line
    // must still come before any later line with its key, in either half of a split read.
    const data = tempDir('restart-data');
    const first = Array.from({ length: 1300 }, (_, i) => rowWithId(i, 500_000_000 + i));
    // Lines 1301–2500 repeat the ids of lines 101–1300 (increasing again), their content
    // changed; then new ids.
    const again = Array.from({ length: 1200 }, (_, k) => rowWithId(3000 + k, 500_000_100 + k, true));
    const after = Array.from({ length: 500 }, (_, k) => rowWithId(5000 + k, 500_010_000 + k));
    const file = join(data, 'restart.export.CSV');
    writeFileSync(file, `${[...first, ...again, ...after].join('\n')}\n`);
    const clean = join(data, 'clean.export.CSV');
    writeFileSync(clean, `${[...first, ...after].join('\n')}\n`);
    const expected = await (async () => {
      const d = tempDir('restart-clean');
      await ingest(d, [clean], false);
      return dumpOf(d);
    })();
    for (const splitMinBytes of [Number.MAX_SAFE_INTEGER, 1]) {
      const dir = tempDir('restart');
      const store = await openStore(dir);
      try {
        const r = await ingestEventFiles(store, [file], {
          format: 'auto',
          tables: TABLES,
          rejectsPath: join(dir, 'rejects.jsonl'),
          splitMinBytes,
          fold: false,
        });
        assert.equal(r.kind, 'done');
        assert.deepEqual([r.summary.accepted, r.summary.duplicates, r.summary.inserted], [3000, 1200, 1800]);
        const dump = await store.dumpEvents();
        assert.deepEqual(dump, expected, `split at ${splitMinBytes}`);
        assert.ok(!dump.some((l) => l.includes('/changed/')));
      } finally {
        await store.close();
      }
    }
  });
});
