/**
 * The UN Digital Library's voting data as downloaded: one row per roll call, the columns
 * `Link, token, Scrape_Year, Title, Council, Resolution, country, subregion, continent, Date,
 * YES COUNT, NO COUNT, ABSTAIN COUNT, NO-VOTE COUNT, TOTAL VOTES, tags`, then one column
 * per ISO3 country holding YES, NO, ABSTAIN or nothing (did not vote), General Assembly and
 * Security Council votes mixed. The fixture (fixtures/undl-votes-wide.csv) is written from
 * that description; the expected figures are counted by hand below.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { rejectReason, type VoteRecord } from '../../src/adapters/structural/structural-records.ts';
import { parseUngaVotes } from '../../src/adapters/structural/unga-votes-reader.ts';
import { makeTempDir, runCli } from '../support/cli-harness.ts';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'undl-votes-wide.csv');

type Row = { year: number; value: number; body: string; n: number; same: number; opposite: number; partial: number };

describe('unga-votes: the UN Digital Library wide layout', () => {
  it('reads votes cast by body, days in either form, and rejects impossible days, other councils and non-votes by line', () => {
    const p = parseUngaVotes(readFileSync(FIXTURE, 'utf8'), FIXTURE);
    assert.equal(p.layout, 'un-digital-library');
    const votes = p.records as VoteRecord[];
    // Rows 2–7: 6 + 6 + 4 (PAK and RUS did not vote) + 4 + 4 (SC: PAK, IND not members) + 6.
    assert.equal(votes.length, 30);
    assert.deepEqual(
      [...new Set(votes.map((v) => `${v.rcid} ${v.body} ${v.date}`))],
      [
        'undl:3000001 ga 2019-12-18',
        'undl:3000002 ga 2019-12-19',
        'undl:3000003 ga 2019-12-20',
        'undl:3000004 sc 2019-06-10',
        'undl:3000005 sc 2019-07-01',
        'undl:3000006 ga 2020-01-15',
      ],
    );
    assert.equal(
      votes.find((v) => v.rcid === 'undl:3000003' && v.country === 'PAK'),
      undefined,
      'an empty cell is no vote',
    );
    assert.deepEqual(
      p.rejects.map((r) => [r.line, rejectReason(r)]),
      [
        [8, 'Date: "2019-02-30" is impossible: February 2019 has 28 days'],
        [9, 'Council: "Economic and Social Council" is neither the General Assembly nor the Security Council'],
        [10, 'PAK: "MAYBE" is not a vote (YES, NO, ABSTAIN, or empty for did not vote)'],
        [11, 'token: roll call 3000001 appears again (first on line 2)'],
      ],
    );
    assert.match(p.rejects[0]?.details.raw ?? '', /^https:\/\/digitallibrary\.un\.org\/record\/3000007,/);
  });

  it('series --body ga|sc|all: each body apart or both, and the output says which', async () => {
    const { dir } = makeTempDir('proviso-undl-');
    const imported = await runCli(['import', 'unga-votes', FIXTURE], dir);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(
      imported.stdout,
      /undl-votes-wide\.csv: 30 records \(30 added, 0 already stored\), 4 rejected; un-digital-library form/,
    );

    const series = async (...args: string[]) => {
      const r = await runCli(['series', '--measure', 'agreement', '--dyad', 'USA,CHN', '--format', 'json', ...args], dir);
      assert.equal(r.code, 0, r.stderr);
      return (JSON.parse(r.stdout) as Row[]).map((x) => [x.year, x.body, x.n, x.same, x.opposite, x.partial, x.value]);
    };
    // USA–CHN. General Assembly 2019: YES/NO, NO/YES, YES/YES → 1 same of 3; 2020: ABSTAIN/NO → partial.
    // Security Council 2019: YES/ABSTAIN (partial), NO/NO (same) → 1 of 2. Both: 2 of 5.
    assert.deepEqual(await series(), [
      [2019, 'ga', 3, 1, 2, 0, 1 / 3],
      [2020, 'ga', 1, 0, 0, 1, 0],
    ]);
    assert.deepEqual(await series('--body', 'sc'), [[2019, 'sc', 2, 1, 0, 1, 1 / 2]]);
    assert.deepEqual(await series('--body', 'all'), [
      [2019, 'all', 5, 2, 2, 1, 2 / 5],
      [2020, 'all', 1, 0, 0, 1, 0],
    ]);
    const text = await runCli(['series', '--measure', 'agreement', '--dyad', 'USA,CHN', '--body', 'sc'], dir);
    assert.match(text.stdout, /^agreement USA–CHN, Security Council roll calls\n/);
    const none = await runCli(['series', '--measure', 'agreement', '--dyad', 'USA,PAK', '--body', 'sc'], dir);
    assert.equal(none.stdout, 'no agreement points for USA–PAK, Security Council roll calls\n');
    // --body belongs to the vote measures.
    const wrong = await runCli(['series', '--measure', 'aid', '--dyad', 'USA,PAK', '--body', 'sc'], dir);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /--body applies to the vote measures/);

    // Importing again adds nothing.
    const again = await runCli(['import', 'unga-votes', FIXTURE], dir);
    assert.match(again.stdout, /30 records \(0 added, 30 already stored\)/);
  });
});
