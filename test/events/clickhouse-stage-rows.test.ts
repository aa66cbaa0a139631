/**
 * Staged rows as the ClickHouse stage takes them (`staged-to-tsv.ts`), without a server:
 * what each field becomes, the errors that stop a file, following a part while it is being
 * written, and the proof that no fold key repeats. Expected values are worked out here from
 * the staged lines (plain string splitting), never taken from the converter.
 */
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  FoldKeyRepeats,
  partHasData,
  STAGE_INSERT_COLUMNS,
  StagedRowError,
  stagedPartAsTsv,
} from '../../src/adapters/clickhouse/staged-to-tsv.ts';
import { readEventFile } from '../../src/adapters/event-formats/read-event-file.ts';
import { STAGED_COLUMNS, StagedWriter } from '../../src/adapters/event-formats/staged-events.ts';
import { SHARED, TABLES, tempDir } from './support.ts';

const NAMES = STAGED_COLUMNS.map(([n]) => n);
const at = (name: string) => NAMES.indexOf(name as (typeof NAMES)[number]);
const NULLABLE = new Set([
  'added_at',
  'is_root',
  'quad_class',
  'goldstein',
  'num_mentions',
  'num_sources',
  'num_articles',
  'avg_tone',
]);

/** A staged line from its fields by name (the others empty; a valid GDELT 2.0 row by default). */
function stagedLine(fields: Partial<Record<(typeof NAMES)[number], string>>): string {
  const base: Record<string, string> = {
    source: '2',
    event_id: '1',
    event_date: '2019-02-14',
    added_at: '2019-02-14 10:15:00',
    actor1_code: 'USA',
    actor2_code: 'PAK',
    event_code: '042',
    event_root: '04',
    source_url: 'https://example.org/a',
  };
  return NAMES.map((n) => fields[n] ?? (n in fields ? '' : (base[n] ?? ''))).join('\t');
}

/**
 * The value a TabSeparated field stands for, as ClickHouse reads it: `\N` alone is NULL, `\\`
 * a backslash; any other escape stands for another character (`\t` a tab, `\b` a backspace…),
 * so that a backslash left unescaped shows.
 */
function tsvValue(f: string): string | null {
  if (f === '\\N') return null;
  let out = '';
  for (let i = 0; i < f.length; i++) {
    if (f[i] !== '\\') out += f[i];
    else {
      const next = f[++i];
      out += next === '\\' ? '\\' : `<escape ${next}>`;
    }
  }
  return out;
}

/** The real number whose IEEE 754 bits a field gives as hex, little-endian (NULL as NULL). */
function realOf(field: string): number | null {
  if (field === '\\N') return null;
  assert.match(field, /^[0-9a-f]{16}$/);
  return Buffer.from(field, 'hex').readDoubleLE(0);
}

async function convert(path: string, firstSeq = 0, repeats?: FoldKeyRepeats) {
  const part = stagedPartAsTsv(path, firstSeq, undefined, repeats);
  const out = await text(part.stream);
  return {
    rows: out
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.split('\t')),
    stats: part.stats(),
  };
}

describe('staged rows as ClickHouse stage rows', () => {
  it('keeps every staged field of the real samples, with the source named and the day known restated', async () => {
    const dir = tempDir('ch-stage');
    for (const file of [
      join(SHARED, 'gdelt', 'spark-gdelt_events_v2_export_20150218230000+20200318104500.tsv'),
      join(SHARED, 'gdelt', 'spark-gdelt_events_v1_mixed_57_58col.tsv'),
      join(SHARED, 'icews', 'icews_events.2018.sample.tab'),
    ]) {
      const staged = join(dir, 'part.tsv');
      const out = new StagedWriter(staged);
      await readEventFile(file, { format: 'auto', tables: TABLES, out, onReject: () => undefined });
      out.close();
      const lines = readFileSync(staged, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => l.split('\t'));
      const { rows, stats } = await convert(staged, 7);
      assert.equal(rows.length, lines.length, file);
      assert.equal(stats.rows, lines.length);
      for (const [i, row] of rows.entries()) {
        const line = lines[i] as string[];
        assert.equal(row.length, STAGE_INSERT_COLUMNS.length);
        assert.equal(row[0], String(7 + i), 'positions from firstSeq on');
        for (const [k, name] of NAMES.entries()) {
          if (k === 0) continue; // the line number is left out
          const got = tsvValue(row[k] as string);
          const want = line[k] as string;
          if (name === 'source') assert.equal(got, { 1: 'gdelt1', 2: 'gdelt2', i: 'icews' }[want]);
          else if (name === 'goldstein' || name === 'avg_tone')
            assert.equal(realOf(row[k] as string), want === '' ? null : Number(want), name);
          else if (name === 'known_at') {
            const added = line[at('added_at')] as string;
            assert.equal(got, want !== '' ? want : added !== '' ? added.slice(0, 10) : line[at('event_date')]);
          } else if (want === '' && NULLABLE.has(name)) assert.equal(got, null, name);
          else assert.equal(got, want, name);
        }
      }
    }
  });

  it('writes any text back exactly (backslashes escaped), real numbers as their exact bits, NULL only for empty numbers', async () => {
    const dir = tempDir('ch-stage-prop');
    // Any text but tabs and line breaks (which staged fields never hold), backslashes often.
    const textValue = fc
      .array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 3 }), fc.constantFrom('\\', '\\N', 'N', '\\t', '\\\\')), {
        maxLength: 5,
      })
      .map((parts) => parts.join('').replace(/[\t\n\r]/g, ' '));
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            actor1_code: textValue,
            source_url: textValue,
            packed: textValue,
            extra: textValue,
            goldstein: fc.oneof(
              fc.constant(''),
              fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
              // Decimals as GDELT writes them (up to 15 significant digits, any places).
              fc
                .tuple(fc.double({ min: -1000, max: 1000, noNaN: true }), fc.integer({ min: 0, max: 14 }))
                .map(([x, places]) => x.toFixed(places)),
              fc.constantFrom('-2.5', '10', '2.26244343891403', '-0.0', '1e-7'),
            ),
            num_articles: fc.constantFrom('', '0', '17'),
          }),
          { minLength: 1, maxLength: 20 },
        ),
        async (records) => {
          const path = join(dir, 'p.tsv');
          writeFileSync(path, `${records.map((r) => stagedLine(r)).join('\n')}\n`);
          const { rows } = await convert(path);
          assert.equal(rows.length, records.length);
          for (const [i, r] of records.entries()) {
            const row = rows[i] as string[];
            for (const name of ['actor1_code', 'source_url', 'packed', 'extra'] as const)
              assert.equal(tsvValue(row[at(name)] as string), r[name]);
            assert.equal(tsvValue(row[at('num_articles')] as string), r.num_articles === '' ? null : r.num_articles);
            // The real number's bits: exactly the double the text reads as.
            assert.ok(Object.is(realOf(row[at('goldstein')] as string), r.goldstein === '' ? null : Number(r.goldstein)));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('stops at a row it cannot store, naming the part and the line', async () => {
    const dir = tempDir('ch-stage-bad');
    const cases: [string, RegExp][] = [
      [stagedLine({ event_date: '1969-12-31' }), /staged row 2: day "1969-12-31" is outside ClickHouse's Date range/],
      [stagedLine({ known_at: '2106-01-01' }), /staged row 2: day "2106-01-01" is outside/],
      [stagedLine({ source: 'x' }), /staged row 2: source "x" is not 1, 2 or i/],
      [stagedLine({ avg_tone: '1.5x' }), /staged row 2: "1.5x" is not a number/],
      [`${stagedLine({})}\textra`, /staged row 2: 21 fields, the staged layout has 20/],
    ];
    for (const [bad, message] of cases) {
      const path = join(dir, 'bad.tsv');
      writeFileSync(path, `${stagedLine({})}\n${bad}\n`);
      await assert.rejects(convert(path), (err: unknown) => {
        assert.ok(err instanceof StagedRowError);
        assert.match(err.message, message);
        assert.ok(err.message.startsWith(path));
        return true;
      });
    }
  });

  it('bounds the days known of the rows that can be folded (GDELT with a SOURCEURL)', async () => {
    const dir = tempDir('ch-stage-known');
    const path = join(dir, 'k.tsv');
    writeFileSync(
      path,
      `${[
        stagedLine({ added_at: '2019-03-01 00:00:00' }),
        stagedLine({ added_at: '2019-01-05 00:00:00' }),
        stagedLine({ added_at: '2018-01-01 00:00:00', source_url: '' }), // no URL: not foldable
        stagedLine({ source: 'i', added_at: '', event_date: '2017-06-01' }), // ICEWS: not foldable
      ].join('\n')}\n`,
    );
    const { stats } = await convert(path);
    assert.deepEqual(stats, { rows: 4, foldableKnown: { lo: 20190105, hi: 20190301 } });
    writeFileSync(path, `${stagedLine({ source_url: '' })}\n`);
    assert.equal((await convert(path)).stats.foldableKnown, undefined);
  });

  it('proves that no fold key repeats, and says when one may', async () => {
    const dir = tempDir('ch-stage-repeats');
    const path = join(dir, 'r.tsv');
    const distinct = Array.from({ length: 3000 }, (_, i) => stagedLine({ event_id: String(i), source_url: `u${i}` }));
    writeFileSync(path, `${distinct.join('\n')}\n`);
    const none = new FoldKeyRepeats();
    await convert(path, 0, none);
    assert.equal(none.mayRepeat, false);
    // The same event re-emitted under another id and DATEADDED: the same fold key.
    const again = stagedLine({ event_id: '99999', source_url: 'u17', added_at: '2019-02-20 00:00:00' });
    writeFileSync(path, `${[...distinct, again].join('\n')}\n`);
    const some = new FoldKeyRepeats();
    await convert(path, 0, some);
    assert.equal(some.mayRepeat, true);
    // Rows that differ only in a field outside the fold key repeat; those that differ in one of its fields do not.
    for (const [changed, repeats] of [
      [{ goldstein: '3' }, true],
      [{ actor2_code: 'IND' }, false],
      [{ event_date: '2019-02-15' }, false],
      [{ source: '1' }, false],
    ] as const) {
      writeFileSync(path, `${stagedLine({})}\n${stagedLine({ event_id: '2', ...changed })}\n`);
      const r = new FoldKeyRepeats();
      await convert(path, 0, r);
      assert.equal(r.mayRepeat, repeats, JSON.stringify(changed));
    }
    // Past its size it gives up, and then says keys may repeat.
    writeFileSync(path, `${distinct.join('\n')}\n`);
    const small = new FoldKeyRepeats(1000);
    await convert(path, 0, small);
    assert.equal(small.mayRepeat, true);
  });

  it('follows a part while it is written, a row cut between writes included', async () => {
    const dir = tempDir('ch-stage-follow');
    const path = join(dir, 'f.tsv');
    const lines = Array.from({ length: 50 }, (_, i) => stagedLine({ event_id: String(i) }));
    const whole = `${lines.join('\n')}\n`;
    writeFileSync(path, whole.slice(0, 100));
    let done: (written: boolean) => void = () => undefined;
    const complete = new Promise<boolean>((r) => {
      done = r;
    });
    const part = stagedPartAsTsv(path, 0, complete);
    const reading = text(part.stream);
    for (let at = 100; at < whole.length; at += 333) {
      await new Promise((r) => setTimeout(r, 15));
      appendFileSync(path, whole.slice(at, at + 333));
    }
    done(true);
    const rows = (await reading).split('\n').filter((l) => l !== '');
    assert.equal(rows.length, 50);
    assert.deepEqual(
      rows.map((r) => r.split('\t')[at('event_id')]),
      lines.map((_, i) => String(i)),
    );
  });

  it('stops following a part abandoned while written (no cut row) or never written', async () => {
    const dir = tempDir('ch-stage-abandon');
    const path = join(dir, 'a.tsv');
    const two = `${stagedLine({ event_id: '1' })}\n${stagedLine({ event_id: '2' })}\n`;
    writeFileSync(path, two.slice(0, two.length - 20));
    let abandon: (written: boolean) => void = () => undefined;
    const complete = new Promise<boolean>((r) => {
      abandon = r;
    });
    const part = stagedPartAsTsv(path, 0, complete);
    const reading = text(part.stream);
    await new Promise((r) => setTimeout(r, 30));
    abandon(false);
    assert.equal((await reading).split('\n').filter((l) => l !== '').length, 1);

    const never = join(dir, 'never.tsv');
    const gone = stagedPartAsTsv(never, 0, Promise.resolve(false));
    assert.equal(await text(gone.stream), '');
    assert.equal(await partHasData(never, Promise.resolve(false)), false);
    assert.equal(await partHasData(path, new Promise<boolean>(() => undefined)), true);
  });
});
