/**
 * Events are written to CSV by DuckDB's COPY (fast, bounded memory); the text cells go
 * through `csvTextSql` first. Every CSV of the program must read back the same: here the
 * COPY of awkward values and the CLI's own writer (src/cli/csv.ts) are parsed and compared
 * value by value (DuckDB quotes a little more, e.g. a value holding `#`; a reader sees no difference).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { csvTextSql } from '../../src/adapters/duckdb/export-events.ts';
import { toCsv } from '../../src/cli/csv.ts';
import { makeTempDir } from '../support/cli-harness.ts';

const AWKWARD = [
  'plain',
  'a,b',
  'say "hi"',
  'line\nbreak',
  'cr\rhere',
  '\r\n',
  '=HYPERLINK("http://x")',
  '=',
  '+1',
  '-3',
  '-3.5e2',
  '+.5e-3',
  '-1e',
  '+x',
  '-',
  '--',
  '@me',
  '\tTAB',
  ' lead',
  'trail ',
  '',
  "'quote",
  'ünïcödé',
  '1,000',
  '"',
  '#x',
  'http://example.org/a#b',
  'NULL',
];

describe('the CSV of an events export reads back as the CLI writer’s CSV', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let instance: DuckDBInstance;
  before(async () => {
    tmp = makeTempDir('proviso-export-dialect-');
    instance = await DuckDBInstance.create(':memory:');
  });
  after(() => {
    instance.closeSync();
    tmp.cleanup();
  });

  /** The values through csvTextSql and DuckDB's COPY, and through toCsv, each parsed back. */
  async function both(values: readonly (string | null)[]): Promise<{ duck: string[][]; cli: string[][] }> {
    const conn = await instance.connect();
    try {
      await conn.run('CREATE OR REPLACE TABLE t (i INTEGER, v VARCHAR)');
      const app = await conn.createAppender('t');
      values.forEach((v, i) => {
        app.appendInteger(i);
        if (v === null) app.appendNull();
        else app.appendVarchar(v);
        app.endRow();
      });
      app.flushSync();
      app.closeSync();
      const path = join(tmp.dir, 'dialect.csv');
      await conn.run(`COPY (SELECT i, ${csvTextSql('v')} AS v FROM t ORDER BY i) TO '${path}' (FORMAT csv, HEADER true)`);
      const duck = parse(readFileSync(path, 'utf8'), { relax_column_count: false }) as string[][];
      const cli = parse(
        toCsv(
          ['i', 'v'],
          values.map((v, i) => [i, v]),
        ),
      ) as string[][];
      return { duck, cli };
    } finally {
      conn.closeSync();
    }
  }

  it('awkward values: quotes, separators, line breaks, formulas, numbers, empty and absent', async () => {
    const { duck, cli } = await both([...AWKWARD, null]);
    assert.deepEqual(duck, cli);
    // The guard is there: a formula is not written as one.
    assert.equal(duck.find((r) => r[0] === String(AWKWARD.indexOf('=HYPERLINK("http://x")')))?.[1], '\'=HYPERLINK("http://x")');
  });

  it('any text (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom(...AWKWARD)), { maxLength: 30 }),
        async (values) => {
          // NUL is not text DuckDB stores.
          const clean = values.map((v) => v.replaceAll('\0', ''));
          const { duck, cli } = await both(clean);
          assert.deepEqual(duck, cli);
        },
      ),
      { numRuns: 60 },
    );
  });
});
