/**
 * `proviso import` and `proviso series` through registerSeriesCommands, against a temporary
 * store: idempotent re-import, rejects files, series rows with hand-computed convergence.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import { openSqliteSeriesStore } from '../../src/adapters/structural/sqlite-series-store.ts';
import type { CliError, Effects } from '../../src/cli/effects.ts';
import { registerSeriesCommands } from '../../src/cli/series-commands.ts';
import { SHARED_DATA } from '../support/shared-data.ts';

const DATA = SHARED_DATA;
const FIXTURES = join(import.meta.dirname, 'fixtures');

async function run(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  let code = 0;
  const effects = {
    stdout: (t: string) => {
      out += t;
    },
    stderr: (t: string) => {
      err += t;
    },
    today: () => '2024-01-01',
    cwd,
    writeFile: async () => {},
    packageRoot: cwd,
  } as unknown as Effects;
  const program = new Command('proviso').exitOverride().configureOutput({ writeOut: effects.stdout, writeErr: effects.stderr });
  registerSeriesCommands(program, effects, (c) => {
    code = c;
  });
  await program.parseAsync(args, { from: 'user' });
  return { code, out, err };
}

const json = <T>(s: string) => JSON.parse(s) as T;
type Row = { year: number; value: number; period: string; knownAt: string };

describe('import and series commands', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'proviso-series-'));
  const coincidenceFiles = [2018, 2019, 2020, 2021, 2022, 2023].map((y) =>
    join(DATA, 'unga', `state-dept_un-coincidence-${y}.csv`),
  );

  it('imports the State Department tables; a second import adds nothing', async () => {
    const first = await run(['import', 'unga-coincidence', ...coincidenceFiles, '--format', 'json'], cwd);
    assert.equal(first.code, 0);
    const files = json<{ files: { added: number; unchanged: number }[] }>(first.out).files;
    assert.deepEqual(
      files.map((f) => f.added),
      [192, 192, 192, 192, 192, 192],
    );
    const again = json<{ files: { added: number; unchanged: number }[] }>(
      (await run(['import', 'unga-coincidence', ...coincidenceFiles, '--format', 'json'], cwd)).out,
    ).files;
    assert.deepEqual(
      again.map((f) => [f.added, f.unchanged]),
      files.map(() => [0, 192]),
    );
  });

  it('series --measure coincidence --format json: a list of {year, value, …}', async () => {
    const r = await run(['series', '--measure', 'coincidence', '--dyad', 'USA,PAK', '--format', 'json'], cwd);
    const rows = json<Row[]>(r.out);
    assert.deepEqual(
      rows.map((x) => [x.year, x.value]),
      [
        [2018, 0.21],
        [2019, 0.26],
        [2020, 0.26],
        [2021, 0.33],
        [2022, 0.35],
        [2023, 0.36],
      ],
    );
    // symmetric: the dyad in either order; --from/--to by year
    const reversed = json<Row[]>(
      (
        await run(
          ['series', '--measure', 'coincidence', '--dyad', 'PAK,USA', '--from', '2021', '--to', '2022', '--format', 'json'],
          cwd,
        )
      ).out,
    );
    assert.deepEqual(
      reversed.map((x) => x.value),
      [0.33, 0.35],
    );
  });

  it('roll calls → agreement, half-agreement, kappa, S by year (hand-computed); rejects file with lines', async () => {
    const r = await run(['import', 'unga-votes', join(FIXTURES, 'votes-long.csv'), join(FIXTURES, 'votes-wide.csv')], cwd);
    assert.equal(r.code, 0);
    assert.match(r.out, /votes-long\.csv: 15 records \(15 added, 0 already stored\), 2 rejected; long form → rejects in/);
    const rejects = readFileSync(join(cwd, '.proviso', 'rejects', 'votes-long.csv.rejects.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    // Each line is the project's problem (code, message, file, line, field) plus the line as read.
    const file = join(FIXTURES, 'votes-long.csv');
    assert.deepEqual(rejects, [
      {
        code: 'bad-value',
        message: '"7" is not a vote (1 yes, 2 abstain, 3 no, 8 absent, 9 not a member)',
        file,
        line: 17,
        field: 'vote',
        details: { raw: '6,74,2,1,7,USA,2019-10-02' },
      },
      {
        code: 'bad-value',
        message: '"999" is not a known COW state code',
        file,
        line: 18,
        field: 'ccode',
        details: { raw: '7,74,999,1,1,,2019-10-03' },
      },
    ]);
    const measure = async (m: string, dyad: string) =>
      json<Row[]>((await run(['series', '--measure', m, '--dyad', dyad, '--format', 'json'], cwd)).out).map((x) => [
        x.year,
        Number(x.value.toFixed(6)),
      ]);
    // 2018 USA–PAK: same 1, opposite 1, partial 1 (USA absent on rc 4) · 2019: one opposite · 2020: same 1, opposite 2
    assert.deepEqual(await measure('agreement', 'USA,PAK'), [
      [2018, 0.333333],
      [2019, 0],
      [2020, 0.333333],
    ]);
    assert.deepEqual(await measure('agreement-half', 'USA,PAK'), [
      [2018, 0.5],
      [2019, 0],
      [2020, 0.333333],
    ]);
    assert.deepEqual(await measure('s-score', 'USA,PAK'), [
      [2018, 0],
      [2019, -1],
      [2020, -0.333333],
    ]);
    // 2018: pₒ = 1/3, pₑ = (2·2 + 0·1 + 1·0)/9 = 4/9 → −0.2 · 2020 USA–IND: pₒ ½, pₑ ¼ → ⅓
    assert.deepEqual((await measure('kappa', 'USA,PAK'))[0], [2018, -0.2]);
    assert.deepEqual(await measure('kappa', 'USA,IND'), [
      [2018, 0.5],
      [2019, 1],
      [2020, 0.333333],
    ]);
  });

  it('aid, arms and strikes from the real files; the port returns {date, knownAt, value}', async () => {
    const aid = await run(['import', 'us-aid', join(DATA, 'foreign-aid', 'DERIVED_us_foreign_aid_country_PAK_only.csv')], cwd);
    assert.equal(aid.code, 0);
    await run(['import', 'sipri-tiv', join(DATA, 'sipri', 'TIV-Export-CHI-1950-2021.csv')], cwd);
    const strikes = await run(
      ['import', 'strikes', join(DATA, 'drone-strikes', 'newamerica_pakistan_drone_attacks.csv'), '--dyad', 'USA,PAK'],
      cwd,
    );
    assert.match(strikes.out, /414 records \(414 added/);
    const store = openSqliteSeriesStore(join(cwd, '.proviso', 'series.sqlite'));
    try {
      const tq = (await store.series({ measure: 'aid', dyad: ['USA', 'PAK'] })).find((p) => p.date === '1976-09-30');
      assert.deepEqual(tq, { date: '1976-09-30', knownAt: '1976-10-01', value: 230934479 });
      const arms = await store.series({ measure: 'arms', dyad: ['CHN', 'PAK'] });
      assert.deepEqual(arms.at(-1), { date: '2021-12-31', knownAt: '2022-07-28', value: 753 });
      const s = await store.series({ measure: 'strikes', dyad: ['USA', 'PAK'] });
      assert.equal(s.length, 15);
      assert.equal(
        s.reduce((n, p) => n + p.value, 0),
        414,
      );
      assert.deepEqual(
        s.find((p) => p.date === '2010-12-31'),
        { date: '2010-12-31', knownAt: '2011-01-01', value: 122 },
      );
    } finally {
      await store.close();
    }
  });

  it('a file that cannot be read as its kind stores nothing and exits 1; bad usage throws', async () => {
    // The commands throw; main() maps the error once (exit 1, the problems on stderr).
    await assert.rejects(
      run(['import', 'strikes', join(DATA, 'drone-strikes', 'newamerica_pakistan_drone_attacks.csv'), '--store', 'other'], cwd),
      (err: CliError) =>
        err.exitCode === 1 &&
        err.code === 'import-failed' &&
        /pass --dyad ACTOR,LOCATION/.test(err.problems?.[0]?.message ?? '') &&
        /newamerica_pakistan_drone_attacks\.csv$/.test(err.problems?.[0]?.file ?? ''),
    );
    assert.ok(!existsSync(join(cwd, 'other', 'rejects')));
    await assert.rejects(run(['import', 'gdelt', 'x.csv'], cwd), /unknown kind "gdelt"/);
  });

  it('series --format csv and table', async () => {
    const csv = (await run(['series', '--measure', 'strikes', '--dyad', 'USA,PAK', '--from', '2017', '--format', 'csv'], cwd))
      .out;
    assert.equal(csv.split('\n')[0], 'year,value,measure,dyad,period,date,knownAt,records');
    assert.match(csv, /^2018,5,strikes,"USA,PAK",2018,2018-12-31,2019-01-01,5$/m);
    const table = (await run(['series', '--measure', 'aid', '--dyad', 'USA,PAK', '--to', '1976'], cwd)).out;
    assert.match(table, /FY1976TQ\s+230,934,479/);
  });
});
