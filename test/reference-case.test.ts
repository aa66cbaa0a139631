/**
 * The US–Pakistan reference case: golden output, and the findings the essay argues —
 * each shown to be derived from the data by changing the inputs.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadCase } from '../src/adapters/case-files/load-case.ts';
import { type Assessment, assess } from '../src/core/assess.ts';
import type { Case } from '../src/core/case-model.ts';
import type { Evidence } from '../src/core/evidence.ts';
import { history } from '../src/core/history.ts';
import { makeTempDir, REFERENCE_CASE, REPO_ROOT, runCli } from './support/cli-harness.ts';
import { SHARED_DATA } from './support/shared-data.ts';

const GOLDEN = join(REPO_ROOT, 'test', 'golden');

let c: Case;
let ledger: Evidence[];

before(async () => {
  const loaded = await loadCase(REFERENCE_CASE);
  assert.ok(loaded.ok, 'the reference case is valid');
  c = loaded.case;
  ledger = loaded.evidence;
});

function find<T extends { id: string }>(xs: readonly T[], id: string): T {
  const x = xs.find((y) => y.id === id);
  assert.ok(x, `${id} present`);
  return x;
}

describe('reference case as of the essay (2023-03-03)', () => {
  let a: Assessment;
  before(() => {
    a = assess(c, ledger, '2023-03-03');
  });

  it('keeps F-16 sustainment locked and names the unmet benchmarks', () => {
    const f16 = find(a.instruments, 'f16-sustainment');
    assert.equal(f16.decision, 'locked');
    assert.deepEqual([...f16.missing].sort(), [
      'decisive-action-haqqani-taliban',
      'fatf-action-plans-completed',
      'let-jem-leaders-imprisoned',
    ]);
    assert.ok(f16.reasons.some((r) => r.includes('let-jem-leaders-imprisoned is not-met')));
  });

  it('leaves senior dialogue and tariff-free zones unlocked', () => {
    assert.equal(find(a.instruments, 'senior-dialogue').decision, 'unlocked');
    assert.equal(find(a.instruments, 'tariff-free-zones').decision, 'unlocked');
  });

  it('finds each of the four F-16 justifications unconvincing, with reasons', () => {
    const f16 = a.justifications.filter((j) => j.instrument === 'f16-sustainment');
    assert.equal(f16.length, 4);
    for (const j of f16) {
      assert.equal(j.verdict, 'unconvincing', j.id);
      assert.ok(j.decision.startsWith('unconvincing:'));
      assert.ok(j.reasons.length >= 3);
    }
  });

  it('traces every status to evidence ids that exist in the ledger', () => {
    const ids = new Set(ledger.map((e) => e.id));
    for (const b of a.benchmarks) {
      for (const id of b.evidence) assert.ok(ids.has(id) || id.startsWith('series:'), `${b.id} cites ${id}`);
    }
    for (const j of a.justifications) for (const id of j.evidence) assert.ok(ids.has(id), `${j.id} cites ${id}`);
  });
});

describe('verdicts and statuses are derived, not written in', () => {
  it('ranking Eastern Europe above the Indo-Pacific changes the Ukraine justification', () => {
    const before = find(assess(c, ledger, '2023-03-03').justifications, 'f16-ukraine-compensation');
    const reranked: Case = {
      ...c,
      interests: c.interests.map((i) =>
        i.id === 'eastern-europe'
          ? { ...i, rank: 1 }
          : i.rank < find(c.interests, 'eastern-europe').rank
            ? { ...i, rank: i.rank + 1 }
            : i,
      ),
    };
    const after = find(assess(reranked, ledger, '2023-03-03').justifications, 'f16-ukraine-compensation');
    assert.equal(before.verdict, 'unconvincing');
    assert.notEqual(after.verdict, before.verdict);
  });

  it('durable imprisonment records for the leaders still at large move the leadership benchmark toward met', () => {
    const base = find(assess(c, ledger, '2023-03-03').benchmarks, 'let-jem-leaders-imprisoned');
    assert.equal(base.status, 'not-met');
    assert.equal(find(base.indicators, 'leaders_in_custody').value, 3);
    const azhar: Evidence = {
      id: 'ev-test-azhar-imprisoned',
      kind: 'conviction',
      actors: ['masood-azhar', 'pakistan'],
      description: 'Hypothetical test entry: Masood Azhar convicted and imprisoned.',
      occurred: '2022-01-10',
      occurredTo: '2022-01-10',
      reported: '2022-01-10',
      recorded: '2026-11-28',
      sources: [{ publisher: 'Test Wire', title: 'Hypothetical', date: '2022-01-10', reliability: 'A', credibility: 1 }],
      tags: [],
    };
    const moved = find(assess(c, [...ledger, azhar], '2023-03-03').benchmarks, 'let-jem-leaders-imprisoned');
    assert.equal(find(moved.indicators, 'leaders_in_custody').value, 4);
    assert.ok(moved.status === 'pending' || moved.status === 'met', moved.status);
    const later = find(assess(c, [...ledger, azhar], '2023-08-01').benchmarks, 'let-jem-leaders-imprisoned');
    assert.equal(later.status, 'met');
  });

  it('an expired waiver no longer applies; in force it waives the lock', () => {
    assert.equal(find(assess(c, ledger, '2014-06-30').instruments, 'epp-security-assistance').decision, 'waived');
    const expired = find(assess(c, ledger, '2015-06-30').instruments, 'epp-security-assistance');
    assert.notEqual(expired.decision, 'waived');
    assert.ok(expired.reasons.some((r) => r.includes('expired on 2014-09-30')));
  });
});

describe('history 2015–2023', () => {
  const transitionsOf = (id: string) =>
    history(c, ledger, '2015-01-01', '2023-12-31', 'month').transitions.filter((t) => t.id === id);

  it('counts the 2017 detention of Hafiz Saeed, then shows it reversed after his release', () => {
    const t = transitionsOf('let-chief-in-custody');
    const detention = t.find((x) => x.kind === 'benchmark' && x.to === 'pending' && x.date.startsWith('2017-01'));
    assert.ok(detention, 'pending from the January 2017 detention');
    assert.ok(detention.evidence.some((id) => id.includes('saeed-house-arrest')));
    const release = t.find((x) => x.kind === 'benchmark' && x.from === 'pending' && x.to === 'reversed');
    assert.ok(release?.date.startsWith('2017-11'), 'reversed by the November 2017 release');
  });

  it('flags the February 2020 conviction as timed-to-review', () => {
    const flag = transitionsOf('let-chief-in-custody').find((x) => x.kind === 'flag' && x.to === 'timed-to-review');
    assert.ok(flag);
    assert.equal(flag.asOf, '2020-03-01');
    assert.ok(flag.evidence.includes('ev-2020-02-12-saeed-conviction'));
  });

  it('shows the FATF benchmark on its path to met after October 2022', () => {
    const t = transitionsOf('fatf-action-plans-completed').filter((x) => x.kind === 'benchmark');
    const last2 = t.slice(-2).map((x) => [x.date, x.to]);
    assert.deepEqual(last2, [
      ['2022-10-21', 'pending'],
      ['2023-10-21', 'met'],
    ]);
  });
});

describe('golden output', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  before(() => {
    tmp = makeTempDir();
  });
  after(() => tmp.cleanup());

  it('assess --as-of 2023-03-03 --format json matches the reviewed golden file byte for byte', async () => {
    const r = await runCli(['assess', REFERENCE_CASE, '--as-of', '2023-03-03', '--format', 'json'], tmp.dir);
    assert.equal(r.code, 0, r.stderr);
    const golden = readFileSync(join(GOLDEN, 'us-pakistan-assess-2023-03-03.json'), 'utf8');
    assert.equal(r.stdout, golden, 'run `npm run golden:update` and review the diff if the change is intended');
    const again = await runCli(['assess', REFERENCE_CASE, '--as-of', '2023-03-03', '--format', 'json'], tmp.dir);
    assert.equal(again.stdout, r.stdout, 'reproducible');
  });

  it('history 2015–2023 matches the golden file', async () => {
    const r = await runCli(
      ['history', REFERENCE_CASE, '--from', '2015-01-01', '--to', '2023-12-31', '--step', 'month', '--format', 'json'],
      tmp.dir,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, readFileSync(join(GOLDEN, 'us-pakistan-history-2015-2023.json'), 'utf8'));
  });
});

describe('structural series in the reference case', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  before(() => {
    tmp = makeTempDir();
  });
  after(() => tmp.cleanup());

  it('imports the case data and tests UN voting convergence as known on each date', async () => {
    const r = await runCli(['assess', REFERENCE_CASE, '--as-of', '2023-03-03', '--format', 'json'], tmp.dir);
    assert.equal(r.code, 0, r.stderr);
    const a = JSON.parse(r.stdout) as Assessment;
    const b = find(a.benchmarks, 'un-voting-convergence');
    assert.equal(b.status, 'not-met');
    assert.deepEqual(
      b.indicators.map((i) => [i.id, i.value]),
      [
        ['un_coincidence_usa_ind', 0.34],
        ['un_coincidence_usa_pak', 0.33],
      ],
      'the 2021 report is the latest one published by 2023-03-03',
    );
    const without = assess(c, ledger, '2023-03-03');
    assert.equal(
      find(without.benchmarks, 'un-voting-convergence').status,
      'unknown',
      'without the data the input is missing, not zero',
    );
  });
});

describe('event data in the reference case', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  before(() => {
    tmp = makeTempDir();
  });
  after(() => tmp.cleanup());

  it('is a missing input before any ingest, and stays unknown when the ingested files do not cover the window', async () => {
    const store = join(tmp.dir, 'store');
    const status = async (asOf: string) => {
      const r = await runCli(['assess', REFERENCE_CASE, '--as-of', asOf, '--store', store, '--format', 'json'], tmp.dir);
      assert.equal(r.code, 0, r.stderr);
      return find((JSON.parse(r.stdout) as Assessment).benchmarks, 'militant-violence-against-india-low');
    };
    const before = await status('2020-03-20');
    assert.equal(before.status, 'unknown');
    assert.ok(before.reasons.some((r) => r.includes('was not supplied')));
    const gdelt = join(SHARED_DATA, 'gdelt', 'spark-gdelt_events_v2_export_20150218230000+20200318104500.tsv');
    const ingest = await runCli(['ingest', gdelt, '--store', store], tmp.dir);
    assert.equal(ingest.code, 0, ingest.stderr);
    const after = await status('2020-03-20');
    assert.equal(after.status, 'unknown', 'two days of GDELT say nothing about a 12-month window');
    assert.ok(after.reasons.some((r) => r.includes('does not cover all of the P12M')));
  });
});
