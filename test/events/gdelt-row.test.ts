/**
 * The GDELT row parser finds tabs four bytes at a time in a 4-byte-aligned buffer and byte
 * by byte otherwise: both ways must give the same verdict and the same staged bytes, for
 * any line at any position, with tabs, carriage returns, unit separators, other control
 * bytes and non-ASCII bytes anywhere.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { GdeltRowParser } from '../../src/adapters/event-formats/gdelt-row.ts';
import { StagedWriter } from '../../src/adapters/event-formats/staged-events.ts';
import { syntheticGdelt2Row, tempDir } from './support.ts';

/** Parses `line` placed at `offset` in a buffer whose own byte offset is `shift`; returns the verdict and the staged text. */
function parseAt(line: Buffer, offset: number, shift: number, dir: string, tag: string): string {
  const backing = Buffer.alloc(shift + offset + line.length + 8, 0x20);
  const b = backing.subarray(shift);
  line.copy(b, offset);
  const path = join(dir, `${tag}.tsv`);
  const out = new StagedWriter(path);
  const p = new GdeltRowParser(2).parse(b, offset, offset + line.length, 7, out);
  out.close();
  return `${p === undefined ? 'ok' : `${p.code}: ${p.message}`}\n${readFileSync(path, 'latin1')}`;
}

const edit = fc.oneof(
  fc.constant('\t'),
  fc.constant('\r'),
  fc.constant('\x1f'),
  fc.constantFrom('\x01', '\x0e', '\x1e'),
  fc.constant('é'),
  fc.constant('\t\t\t\t'),
  fc.constantFrom('x', '9', '-', ' '),
);

describe('GDELT row parser', () => {
  it('gives the same result whether the line is scanned four bytes at a time or byte by byte', () => {
    const dir = tempDir('gdelt-row');
    fc.assert(
      fc.property(fc.nat(5000), fc.array(fc.tuple(fc.nat(400), edit), { maxLength: 4 }), fc.nat(7), (row, edits, offset) => {
        let text = syntheticGdelt2Row(row);
        for (const [at, what] of edits) {
          const i = at % (text.length + 1);
          text = `${text.slice(0, i)}${what}${text.slice(i)}`;
        }
        const line = Buffer.from(text, 'utf8');
        const aligned = parseAt(line, offset, 0, dir, 'a');
        for (const shift of [1, 2, 3]) assert.equal(parseAt(line, offset, shift, dir, 'b'), aligned);
        // A carriage return inside a field is staged as a space, never as a line break.
        const staged = aligned.split('\n')[1] ?? '';
        assert.ok(!staged.includes('\r'));
        // A unit separator inside a value is staged as a space: the packed fields hold their
        // fixed number of values at most.
        if (staged !== '') {
          const fields = staged.split('\t');
          assert.equal(fields.length, 20);
          assert.ok((fields[18] as string).split('\x1f').length === 10);
          assert.ok((fields[19] as string).split('\x1f').length <= 34);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('refuses more than 65 columns wherever the extra tabs fall', () => {
    const dir = tempDir('gdelt-row-tabs');
    for (let extra = 1; extra <= 8; extra++) {
      for (let offset = 0; offset < 4; offset++) {
        const line = Buffer.from(`${syntheticGdelt2Row(1)}${'\t'.repeat(4 + extra)}`);
        for (const shift of [0, 1]) {
          assert.match(parseAt(line, offset, shift, dir, 'c'), /^column-count: more than 65 tab-separated columns\n$/);
        }
      }
    }
  });
});
