/**
 * A large plain GDELT file is parsed by two threads (the second half in a worker). Forced on
 * a small file here, it must give exactly what one thread gives: the same stored events,
 * counts, duplicates, folds and rejected rows with the same line numbers, in order.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { type IngestResult, ingestEventFiles } from '../../src/adapters/duckdb/ingest-event-files.ts';
import { openStore, syntheticGdelt2Row, TABLES, tempDir } from './support.ts';

async function ingestWith(dir: string, file: string, splitMinBytes: number): Promise<{ result: IngestResult; dump: string[] }> {
  const store = await openStore(dir);
  try {
    const result = await ingestEventFiles(store, [file], {
      format: 'auto',
      tables: TABLES,
      rejectsPath: join(dir, 'rejects.jsonl'),
      splitMinBytes,
    });
    return { result, dump: await store.dumpEvents() };
  } finally {
    await store.close();
  }
}

function rejects(dir: string): { line: number; kind: string; field?: string }[] {
  return readFileSync(join(dir, 'rejects.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { line: number; kind: string; field?: string })
    .map(({ line, kind, field }) => ({ line, kind, ...(field === undefined ? {} : { field }) }));
}

describe('split read', () => {
  for (const [name, edit] of [
    ['increasing ids', (_rows: string[]) => undefined],
    [
      'a key repeated across the halves and a re-emitted event',
      (rows: string[]) => {
        // Line 2900 repeats line 10's id (a key duplicate); line 2950 re-emits line 20's event
        // under a new id (folded).
        rows[2899] = rows[9] as string;
        const c = (rows[19] as string).split('\t');
        c[0] = '900000001';
        rows[2949] = c.join('\t');
      },
    ],
  ] as const) {
    it(`gives what one thread gives (${name})`, async () => {
      const rows: string[] = [];
      for (let i = 0; i < 3000; i++) rows.push(syntheticGdelt2Row(i));
      edit(rows);
      const bad = (i: number, f: (c: string[]) => void) => {
        const c = (rows[i] as string).split('\t');
        f(c);
        rows[i] = c.join('\t');
      };
      bad(4, (c) => {
        c[1] = '20151340';
      });
      bad(2000, (c) => {
        c[29] = '7';
      });
      bad(2500, (c) => c.splice(10, 3));
      rows[2600] = '';
      const file = join(tempDir('split-data'), 'part.export.CSV');
      writeFileSync(file, Buffer.concat([Buffer.from(`${rows.join('\n')}\n`), Buffer.from([0xc3, 0x28, 0x0a])]));

      const one = tempDir('split-one');
      const two = tempDir('split-two');
      const a = await ingestWith(one, file, Number.MAX_SAFE_INTEGER);
      const b = await ingestWith(two, file, 1);
      assert.equal(a.result.kind, 'done');
      assert.equal(b.result.kind, 'done');
      const { fileReports: _a, rejectsFile: _ra, ...sa } = a.result.summary;
      const { fileReports: _b, rejectsFile: _rb, ...sb } = b.result.summary;
      assert.deepEqual(sb, sa);
      assert.equal(sa.rows, 3001);
      assert.equal(sa.rejected, 5);
      assert.deepEqual(b.dump, a.dump);
      assert.deepEqual(rejects(two), rejects(one));
      assert.deepEqual(
        rejects(one).map((r) => r.line),
        [5, 2001, 2501, 2601, 3001],
      );
      if (name !== 'increasing ids') {
        assert.equal(sa.duplicates, 1);
        assert.equal(sa.folded, 1);
      }
    });
  }
});
