/**
 * `proviso export assessment|history|evidence <case>` on the reference case (--scratch):
 * every format read back with DuckDB and compared with `assess`/`history --format json`
 * (row counts, md5 of the ordered rows) and, for CSV, with their `--format csv` byte for
 * byte; evidence with the case folder's entries as the case loader reads them.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadCase } from '../../src/adapters/case-files/load-case.ts';
import type { Evidence } from '../../src/core/evidence.ts';
import { makeTempDir, REFERENCE_CASE, REPO_ROOT } from '../support/cli-harness.ts';
import { cli, FORMATS, listing, md5OfSorted, readBack } from './read-back.ts';

interface AssessJson {
  benchmarks: { id: string; status: string }[];
  instruments: { id: string; decision: string }[];
  justifications: { id: string; verdict: string }[];
  issueAreas: { id: string; convergence: string }[];
}

type HistoryPointJson = { asOf: string } & Record<
  'benchmarks' | 'instruments' | 'justifications' | 'issueAreas' | 'actions',
  Record<string, string>
>;

interface HistoryJson {
  points: HistoryPointJson[];
}

const ROW_MD5 = (cols: string[]) =>
  `md5(string_agg(${cols.map((c) => `coalesce(CAST(${c} AS VARCHAR), '')`).join(` || '|' || `)}, chr(10) ORDER BY ${cols
    .map((c) => `coalesce(CAST(${c} AS VARCHAR), '')`)
    .join(` || '|' || `)}))`;

describe('proviso export assessment, history and evidence', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let evidence: Evidence[];
  before(async () => {
    tmp = makeTempDir('proviso-export-case-');
    const loaded = await loadCase(REFERENCE_CASE);
    assert.ok(loaded.ok);
    evidence = loaded.evidence;
  });
  after(() => tmp.cleanup());

  for (const format of FORMATS) {
    it(`assessment, ${format}: the rows of \`assess\` as of 2023-03-03`, async () => {
      const out = join(tmp.dir, `assessment.${format}`);
      const args = [REFERENCE_CASE, '--scratch', '--as-of', '2023-03-03'];
      const r = await cli(['export', 'assessment', ...args, '--out', out], tmp.dir);
      assert.equal(r.stdout, '');
      const a = JSON.parse((await cli(['assess', ...args, '--format', 'json'], tmp.dir)).stdout) as AssessJson;
      const expected = [
        ...a.benchmarks.map((b) => `benchmark|${b.id}|${b.status}`),
        ...a.instruments.map((i) => `instrument|${i.id}|${i.decision}`),
        ...a.justifications.map((j) => `justification|${j.id}|${j.verdict}`),
        ...a.issueAreas.map((x) => `issue-area|${x.id}|${x.convergence}`),
      ];
      assert.match(r.stderr, new RegExp(`wrote ${expected.length} rows \\(assessment\\)`));
      const back = await readBack(out, format);
      try {
        assert.deepEqual(
          await back.one(`SELECT count(*)::INTEGER AS n, ${ROW_MD5(['kind', 'id', 'status'])} AS rows FROM {src}`),
          {
            n: expected.length,
            rows: md5OfSorted(expected),
          },
        );
        const columns = await back.describe();
        assert.deepEqual(
          columns.map((c) => c.name),
          ['kind', 'id', 'title', 'status', 'since', 'basis', 'actual', 'departure', 'evidence', 'reason'],
        );
        if (format === 'parquet') assert.equal(columns.find((c) => c.name === 'since')?.type, 'DATE');
      } finally {
        back.close();
      }
      if (format === 'csv') {
        assert.equal(readFileSync(out, 'utf8'), (await cli(['assess', ...args, '--format', 'csv'], tmp.dir)).stdout);
      }
    });

    it(`history, ${format}: the long rows of \`history\`, 2015–2023 by quarter`, async () => {
      const out = join(tmp.dir, `history.${format}`);
      const args = [REFERENCE_CASE, '--scratch', '--from', '2015-01-01', '--to', '2023-12-31', '--step', 'quarter'];
      await cli(['export', 'history', ...args, '--out', out], tmp.dir);
      const h = JSON.parse((await cli(['history', ...args, '--format', 'json'], tmp.dir)).stdout) as HistoryJson;
      const kinds = [
        ['benchmarks', 'benchmark'],
        ['instruments', 'instrument'],
        ['justifications', 'justification'],
        ['issueAreas', 'issue-area'],
        ['actions', 'action'],
      ] as const;
      const expected = h.points.flatMap((p) =>
        kinds.flatMap(([key, kind]) => Object.entries(p[key]).map(([id, s]) => `${p.asOf}|${kind}|${id}|${s}`)),
      );
      const back = await readBack(out, format);
      try {
        assert.deepEqual(
          await back.one(
            `SELECT count(*)::INTEGER AS n, count(DISTINCT as_of)::INTEGER AS points, ${ROW_MD5(['as_of', 'kind', 'id', 'status'])} AS rows FROM {src}`,
          ),
          { n: expected.length, points: h.points.length, rows: md5OfSorted(expected) },
        );
        if (format === 'parquet') assert.equal((await back.describe()).find((c) => c.name === 'as_of')?.type, 'DATE');
      } finally {
        back.close();
      }
      if (format === 'csv') {
        assert.equal(readFileSync(out, 'utf8'), (await cli(['history', ...args, '--format', 'csv'], tmp.dir)).stdout);
      }
    });

    it(`evidence, ${format}: one row per entry of the case's ledger`, async () => {
      const out = join(tmp.dir, `evidence.${format}`);
      await cli(['export', 'evidence', REFERENCE_CASE, '--scratch', '--out', out], tmp.dir);
      const back = await readBack(out, format);
      try {
        const got = await back.one(
          `SELECT count(*)::INTEGER AS n, md5(string_agg(id, chr(10) ORDER BY id)) AS ids,
                  round(coalesce(sum(amount), 0), 2)::DOUBLE AS amount, sum(sources)::INTEGER AS sources,
                  count(*) FILTER (WHERE CAST(retracted AS BOOLEAN))::INTEGER AS retracted,
                  count(*) FILTER (WHERE supersedes IS NOT NULL AND CAST(supersedes AS VARCHAR) <> '')::INTEGER AS corrections,
                  md5(string_agg(id || '|' || CAST(occurred AS VARCHAR) || '|' || CAST(recorded AS VARCHAR), chr(10)
                    ORDER BY id || '|' || CAST(occurred AS VARCHAR) || '|' || CAST(recorded AS VARCHAR))) AS dates
           FROM {src}`,
        );
        assert.deepEqual(got, {
          n: evidence.length,
          ids: md5OfSorted(evidence.map((e) => e.id)),
          amount: Math.round(evidence.reduce((t, e) => t + (e.amount ?? 0), 0) * 100) / 100,
          sources: evidence.reduce((t, e) => t + e.sources.length, 0),
          retracted: evidence.filter((e) => e.retracted === true).length,
          corrections: evidence.filter((e) => e.supersedes !== undefined).length,
          dates: md5OfSorted(evidence.map((e) => `${e.id}|${e.occurred}|${e.recorded}`)),
        });
        const types = Object.fromEntries((await back.describe()).map((c) => [c.name, c.type]));
        assert.ok('description' in types && 'source_publisher' in types && 'actors' in types);
        if (format === 'parquet') {
          assert.equal(types.occurred, 'DATE');
          assert.equal(types.amount, 'DOUBLE');
          assert.equal(types.retracted, 'BOOLEAN');
          assert.equal(types.sources, 'BIGINT');
        }
      } finally {
        back.close();
      }
    });
  }

  it('evidence --as-of and --recorded-by keep the entries known and recorded by then', async () => {
    const out = join(tmp.dir, 'evidence-2016.jsonl');
    await cli(
      ['export', 'evidence', REFERENCE_CASE, '--scratch', '--as-of', '2016-06-30', '--recorded-by', '2026-11-30', '--out', out],
      tmp.dir,
    );
    const ids = readFileSync(out, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => (JSON.parse(l) as { id: string }).id);
    const expected = evidence
      .filter((e) => e.reported <= '2016-06-30' && e.occurred <= '2016-06-30' && e.recorded <= '2026-11-30')
      .map((e) => e.id);
    assert.ok(expected.length > 0 && expected.length < evidence.length);
    assert.deepEqual(md5OfSorted(ids), md5OfSorted(expected));
    assert.equal(ids.length, expected.length);
  });

  it('no entries known by --as-of: a header-only CSV, an empty JSON Lines file, a zero-row Parquet file with the types', async () => {
    for (const format of FORMATS) {
      const out = join(tmp.dir, `evidence-none.${format}`);
      const r = await cli(['export', 'evidence', REFERENCE_CASE, '--scratch', '--as-of', '1900-01-01', '--out', out], tmp.dir);
      assert.match(r.stderr, /wrote 0 rows \(evidence\)/);
      if (format === 'csv') {
        const text = readFileSync(out, 'utf8');
        assert.ok(text.startsWith('id,kind,actors,occurred,occurred_to,reported,recorded,'));
        assert.equal(text.split('\n').length, 2);
      }
      if (format === 'jsonl') assert.equal(statSync(out).size, 0);
      if (format === 'parquet') {
        const back = await readBack(out, format);
        try {
          assert.deepEqual(await back.one('SELECT count(*)::INTEGER AS n FROM {src}'), { n: 0 });
          const types = Object.fromEntries((await back.describe()).map((c) => [c.name, c.type]));
          assert.equal(types.occurred, 'DATE');
          assert.equal(types.amount, 'DOUBLE');
        } finally {
          back.close();
        }
      }
    }
  });

  it('a failed export leaves no file and keeps the one it would have replaced', async () => {
    const dir = join(tmp.dir, 'failing');
    mkdirSync(dir);
    const out = join(dir, 'assessment.parquet');
    writeFileSync(out, 'old');
    const bad = join(REPO_ROOT, 'test', 'fixtures', 'cases', 'invalid-impossible-date');
    const r = await cli(['export', 'assessment', bad, '--scratch', '--out', out], dir, 1);
    assert.match(r.stderr, /problems? in/);
    assert.deepEqual(listing(dir), ['assessment.parquet']);
    assert.equal(readFileSync(out, 'utf8'), 'old');
    const missing = join(dir, 'nope', 'assessment.csv');
    const m = await cli(['export', 'assessment', REFERENCE_CASE, '--scratch', '--out', missing], dir, 1);
    assert.match(m.stderr, /no folder .*nope; create it first/);
    assert.equal(existsSync(join(dir, 'nope')), false);
    assert.deepEqual(listing(dir), ['assessment.parquet']);
  });

  it('needs a case folder for the case kinds, takes none for events and series, and refuses other kinds’ options', async () => {
    const out = join(tmp.dir, 'x.csv');
    let r = await cli(['export', 'history', '--scratch', '--out', out], tmp.dir, 2);
    assert.match(r.stderr, /export history needs a case folder/);
    r = await cli(['export', 'series', REFERENCE_CASE, '--out', out, '--measure', 'aid', '--dyad', 'USA,PAK'], tmp.dir, 2);
    assert.match(r.stderr, /export series takes no case folder/);
    r = await cli(['export', 'assessment', REFERENCE_CASE, '--scratch', '--step', 'year', '--out', out], tmp.dir, 2);
    assert.match(r.stderr, /--step: not an option of export assessment; it takes --store, --scratch, --as-of, --recorded-by/);
    r = await cli(
      ['export', 'history', REFERENCE_CASE, '--scratch', '--from', '2020-01-01', '--to', '2019-01-01', '--out', out],
      tmp.dir,
      2,
    );
    assert.match(r.stderr, /--from 2020-01-01 is after --to 2019-01-01/);
    r = await cli(['export', 'nothing', '--out', out], tmp.dir, 2);
    assert.match(r.stderr, /unknown kind "nothing": expected one of events, assessment, history, series, evidence/);
    assert.equal(existsSync(out), false);
  });

  it('with a store, loads the case into its ledger as assess does', async () => {
    const store = join(tmp.dir, 'case-store');
    const out = join(tmp.dir, 'stored-evidence.parquet');
    await cli(['export', 'evidence', REFERENCE_CASE, '--store', store, '--out', out], tmp.dir);
    assert.ok(statSync(join(store, 'ledger.sqlite')).size > 0);
    const back = await readBack(out, 'parquet');
    try {
      assert.deepEqual(await back.one('SELECT count(*)::INTEGER AS n FROM {src}'), { n: evidence.length });
    } finally {
      back.close();
    }
  });
});
