/** An export is written beside --out under a temporary name and renamed at the end: a failure midway leaves nothing. */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeBeside } from '../../src/cli/export-command.ts';
import { makeTempDir } from '../support/cli-harness.ts';
import { listing } from './read-back.ts';

describe('writeBeside', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  before(() => {
    tmp = makeTempDir('proviso-export-beside-');
  });
  after(() => tmp.cleanup());

  it('renames the finished file over --out and reports its rows and bytes', async () => {
    const out = join(tmp.dir, 'done.csv');
    writeFileSync(out, 'old\n');
    const r = await writeBeside(out, async (path) => {
      assert.notEqual(path, out);
      assert.equal(join(path, '..'), tmp.dir, 'the temporary file is beside --out');
      writeFileSync(path, 'a\n1\n2\n');
      return 2;
    });
    assert.deepEqual(r, { rows: 2, bytes: 6 });
    assert.equal(readFileSync(out, 'utf8'), 'a\n1\n2\n');
    assert.deepEqual(listing(tmp.dir), ['done.csv']);
  });

  it('a failure after part of the file was written leaves the old file as it was and no temporary file', async () => {
    const out = join(tmp.dir, 'kept.parquet');
    writeFileSync(out, 'old');
    const before = listing(tmp.dir);
    await assert.rejects(
      writeBeside(out, async (path) => {
        writeFileSync(path, 'half a file');
        throw new Error('disk full');
      }),
      /disk full/,
    );
    assert.deepEqual(listing(tmp.dir), before);
    assert.equal(readFileSync(out, 'utf8'), 'old');
  });
});
