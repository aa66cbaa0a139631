/**
 * UN General Assembly votes as the `unvotes` R package publishes them (870,109 votes,
 * gzipped; votes without dates joined by rcid to the roll calls; ISO 3166-1 alpha-2 codes),
 * imported by `proviso import unga-votes` and read by `proviso series`.
 *
 * The expected values are computed here, independently of the importer: the two gzipped
 * files are read with node:zlib and a plain loop, using the definition of agreement that
 * src/core/convergence/dyad-measures.ts documents — identical votes divided by the roll
 * calls both countries voted yes, no or abstain on (in unvotes an absence is no row).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { makeTempDir, runCli } from '../support/cli-harness.ts';
import { SHARED_DATA } from '../support/shared-data.ts';

const UNVOTES = join(SHARED_DATA, 'unga', 'unvotes');
const VOTES = join(UNVOTES, 'un_votes.csv.gz');
const ROLL_CALLS = join(UNVOTES, 'un_roll_calls.csv.gz');
const ISSUES = join(UNVOTES, 'un_roll_call_issues.csv');

const lines = (file: string) =>
  (file.endsWith('.gz') ? gunzipSync(readFileSync(file)) : readFileSync(file)).toString('utf8').split('\n');

/**
 * Per year: roll calls both the US and Pakistan voted on, and those on which they voted
 * alike; `issue` limits them to roll calls with that issue topic.
 */
function usPakistanByYear(issue?: string): Map<number, { n: number; same: number }> {
  // un_roll_calls.csv: rcid,session,importantvote,date,… — the first four fields are never quoted.
  const year = new Map<string, number>();
  for (const line of lines(ROLL_CALLS).slice(1)) {
    const f = line.split(',');
    if (f.length >= 4) year.set(f[0] as string, Number((f[3] as string).slice(0, 4)));
  }
  let topics: Set<string> | undefined;
  if (issue !== undefined) {
    topics = new Set();
    for (const line of lines(ISSUES).slice(1)) {
      const [rcid, short] = line.split(',');
      if (short === issue) topics.add(rcid as string);
    }
  }
  // un_votes.csv: rcid,country,country_code,vote (US and PK are the alpha-2 codes).
  const us = new Map<string, string>();
  const pk = new Map<string, string>();
  for (const line of lines(VOTES).slice(1)) {
    const [rcid, , code, vote] = line.split(',');
    if (code === 'US') us.set(rcid as string, vote as string);
    else if (code === 'PK') pk.set(rcid as string, vote as string);
  }
  const out = new Map<number, { n: number; same: number }>();
  for (const [rcid, v] of us) {
    const w = pk.get(rcid);
    if (w === undefined || (topics !== undefined && !topics.has(rcid))) continue;
    const y = year.get(rcid) as number;
    const c = out.get(y) ?? { n: 0, same: 0 };
    c.n++;
    if (v === w) c.same++;
    out.set(y, c);
  }
  return out;
}

type Row = { year: number; value: number; body: string; n: number; same: number; issue?: string };

describe('unvotes: the real UN General Assembly votes', () => {
  const { dir } = makeTempDir('proviso-unvotes-');
  let imported: { code: number; stdout: string; stderr: string };

  before(async () => {
    imported = await runCli(['import', 'unga-votes', VOTES, ROLL_CALLS, ISSUES, '--format', 'json'], dir);
  });

  it('imports the votes (gzip) with their roll calls and issues in one call, every line accounted for', () => {
    assert.equal(imported.code, 0, imported.stderr);
    const files = (
      JSON.parse(imported.stdout) as { files: { file: string; records: number; rejected: number; layout: string }[] }
    ).files;
    assert.deepEqual(
      files.map((f) => [f.file.split('/').pop(), f.records, f.rejected, f.layout]),
      [
        ['un_votes.csv.gz', 870_109, 0, 'long'],
        ['un_roll_calls.csv.gz', 6203, 0, 'roll-calls'],
        ['un_roll_call_issues.csv', 5745, 0, 'issues'],
      ],
    );
  });

  it('series --measure agreement --dyad USA,PAK gives, for every year, the agreement computed from the files', async () => {
    const expected = usPakistanByYear();
    const r = await runCli(['series', '--measure', 'agreement', '--dyad', 'USA,PAK', '--format', 'json'], dir);
    assert.equal(r.code, 0, r.stderr);
    const rows = JSON.parse(r.stdout) as Row[];
    assert.deepEqual(
      rows.map((x) => [x.year, x.n, x.same, x.value, x.body]),
      [...expected.entries()].sort(([a], [b]) => a - b).map(([y, c]) => [y, c.n, c.same, c.same / c.n, 'ga']),
    );
    // The acceptance figure: 2016.
    const y2016 = expected.get(2016) as { n: number; same: number };
    assert.equal(rows.find((x) => x.year === 2016)?.value, y2016.same / y2016.n);
    assert.ok(y2016.n > 100);
  });

  it('--issue me: the roll calls on the Palestinian conflict only; the output names the topic', async () => {
    const expected = usPakistanByYear('me');
    const r = await runCli(
      ['series', '--measure', 'agreement', '--dyad', 'PAK,USA', '--issue', 'me', '--from', '2010', '--format', 'json'],
      dir,
    );
    const rows = JSON.parse(r.stdout) as Row[];
    assert.deepEqual(
      rows.map((x) => [x.year, x.n, x.same, x.issue]),
      [...expected.entries()]
        .filter(([y]) => y >= 2010)
        .sort(([a], [b]) => a - b)
        .map(([y, c]) => [y, c.n, c.same, 'me']),
    );
    const text = await runCli(
      [
        'series',
        '--measure',
        'agreement',
        '--dyad',
        'USA,PAK',
        '--issue',
        'Palestinian conflict',
        '--from',
        '2016',
        '--to',
        '2016',
      ],
      dir,
    );
    assert.match(text.stdout, /^agreement USA–PAK, General Assembly roll calls on Palestinian conflict\n/);
  });

  it('maps alpha-2 codes through GeoNames, withdrawn codes to the states that held them, states without one by name', async () => {
    // CS is Czechoslovakia in UN voting data (GeoNames has since given CS to Serbia and Montenegro).
    const cz = JSON.parse(
      (await runCli(['series', '--measure', 'agreement', '--dyad', 'USA,CSK', '--to', '1950', '--format', 'json'], dir)).stdout,
    ) as Row[];
    assert.equal(cz[0]?.year, 1946);
    // West Germany has no code in unvotes: kept under its name.
    const frg = JSON.parse(
      (
        await runCli(
          ['series', '--measure', 'agreement', '--dyad', 'USA,name:Federal Republic of Germany', '--format', 'json'],
          dir,
        )
      ).stdout,
    ) as Row[];
    assert.ok(frg.length > 10);
  });
});
