/**
 * The copy of the public data samples in test/fixtures/shared-data is byte for byte the
 * project's originals (../shared/data), file for file, when the originals are beside the
 * checkout; a clone elsewhere reads the copy (see test/support/shared-data.ts).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { SHARED_BESIDE, SHARED_COPY } from './support/shared-data.ts';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(dir, join(d.parentPath, d.name)))
    .sort();
}

describe('the copy of the public data samples', () => {
  it('holds exactly the files beside the checkout, byte for byte', {
    skip: !existsSync(SHARED_BESIDE) && 'no ../shared/data beside this checkout',
  }, () => {
    const files = filesUnder(SHARED_BESIDE);
    assert.ok(files.length > 10);
    assert.deepEqual(filesUnder(SHARED_COPY), files);
    for (const f of files) assert.ok(readFileSync(join(SHARED_COPY, f)).equals(readFileSync(join(SHARED_BESIDE, f))), f);
  });
});
