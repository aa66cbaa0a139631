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

  it('applies a waiver only once it was public: the 2013 waiver, disclosed on 2015-01-05, never shows in an as-of assessment', () => {
    const before = find(assess(c, ledger, '2014-06-30').instruments, 'epp-security-assistance');
    assert.equal(before.decision, 'locked');
    assert.ok(
      before.reasons.some((r) => r.includes('was made public only on 2015-01-05, so it is not applied as of 2014-06-30')),
      before.reasons.join('\n'),
    );
    // Had it been public when used, it would have waived the lock.
    const disclosed: Case = { ...c, waivers: c.waivers.map((w) => ({ ...w, known: '2013-12-31' })) };
    assert.equal(find(assess(disclosed, ledger, '2014-06-30').instruments, 'epp-security-assistance').decision, 'waived');
    // After FY2014 the statute no longer applies at all: neither locked nor unlocked.
    const after = find(assess(c, ledger, '2015-06-30').instruments, 'epp-security-assistance');
    assert.equal(after.decision, 'not-applicable');
    assert.equal(after.applicability, 'expired');
  });
});

describe('validity windows', () => {
  it('the F-16 package does not exist before its notification (2022-09-07): not applicable, then locked', () => {
    assert.equal(find(assess(c, ledger, '2008-06-01').instruments, 'f16-sustainment').decision, 'not-applicable');
    assert.equal(find(assess(c, ledger, '2022-09-06').instruments, 'f16-sustainment').decision, 'not-applicable');
    assert.equal(find(assess(c, ledger, '2022-09-07').instruments, 'f16-sustainment').decision, 'locked');
  });

  it('the justifications of the F-16 package, the Ukraine one included, are judged only once the package exists', () => {
    const early = find(assess(c, ledger, '2019-06-01').justifications, 'f16-ukraine-compensation');
    assert.equal(early.verdict, 'not-applicable');
    assert.match(early.decision, /not yet in force \(from 2022-02-24\)/);
    const mid = find(assess(c, ledger, '2022-06-01').justifications, 'f16-ukraine-compensation');
    assert.equal(mid.verdict, 'not-applicable');
    assert.match(mid.decision, /its instrument f16-sustainment is not yet in force \(from 2022-09-07\)/);
    assert.equal(find(assess(c, ledger, '2023-03-03').justifications, 'f16-ukraine-compensation').verdict, 'unconvincing');
  });
});

describe('say only what the evidence shows', () => {
  it('never reports the no-attacks benchmark met: unknown before the attacks recorded (nobody was counting), not met once one falls in the window', () => {
    const at = (d: string) => find(assess(c, ledger, d).benchmarks, 'no-attacks-on-india');
    const y2008 = at('2008-06-01');
    assert.equal(y2008.status, 'unknown');
    assert.equal(y2008.basis.kind, 'missing');
    assert.match(y2008.basis.summary, /attacks_on_india: the P36M to 2008-06-01 is not monitored/);
    const y2017 = at('2017-06-01');
    assert.equal(y2017.status, 'not-met');
    assert.equal(y2017.basis.kind, 'evidence');
    assert.ok(y2017.basis.evidence.includes('ev-2016-01-02-pathankot-attack'));
    const today = at('2026-12-06');
    assert.equal(today.status, 'not-met');
    assert.ok(today.basis.evidence.includes('ev-2025-05-07-pahalgam-attributed-to-let'));
  });

  it('counts the Pahalgam attack for LeT only from the day India attributed it (2025-05-07)', () => {
    const before = find(find(assess(c, ledger, '2025-05-01').benchmarks, 'no-attacks-on-india').indicators, 'attacks_on_india');
    const after = find(find(assess(c, ledger, '2025-05-07').benchmarks, 'no-attacks-on-india').indicators, 'attacks_on_india');
    assert.equal((after.atLeast ?? 0) - (before.atLeast ?? 0), 1);
  });

  it('tells a missing custody record from a documented release', () => {
    const leaders = find(assess(c, ledger, '2023-03-03').benchmarks, 'let-jem-leaders-imprisoned');
    assert.equal(leaders.status, 'not-met');
    assert.equal(leaders.basis.kind, 'evidence');
    assert.ok(leaders.basis.evidence.includes('ev-2002-12-14-azhar-release'), leaders.basis.summary);
    // Before Sajid Mir's first record (2022), his custody is the case's default, and the status says so.
    const y2019 = find(assess(c, ledger, '2019-06-01').benchmarks, 'let-jem-leaders-imprisoned');
    assert.deepEqual(y2019.basis.defaults, [{ indicator: 'leaders_in_custody', subjects: ['sajid-mir'], state: 'off' }]);
  });

  it("rests the Haqqani benchmark on findings about Pakistan's conduct, not on US certification decisions", () => {
    const b = find(assess(c, ledger, '2021-01-01').benchmarks, 'decisive-action-haqqani-taliban');
    assert.equal(b.status, 'not-met');
    assert.ok(b.evidence.length > 0);
    for (const id of b.evidence) assert.ok(!/certification|suspension/.test(id), id);
    assert.ok(b.basis.evidence.includes('ev-2019-crt-haqqani-safe-haven'), b.basis.summary);
  });

  it('marks the benchmarks the case author added, with their own sources', () => {
    for (const id of ['no-attacks-on-india', 'un-voting-convergence', 'militant-violence-against-india-low']) {
      const b = find(c.benchmarks, id);
      assert.match(b.author ?? '', /case author/);
      assert.doesNotMatch(b.source?.title ?? '', /Rapprochement/);
      assert.match(find(assess(c, ledger, '2023-03-03').benchmarks, id).author ?? '', /case author/, 'said in the assessment');
    }
    assert.equal(find(assess(c, ledger, '2023-03-03').benchmarks, 'let-chief-in-custody').author, null);
  });

  it('flags a benchmark whose own newest evidence is older than its stale limit', () => {
    const haqqani = find(assess(c, ledger, '2023-03-03').benchmarks, 'decisive-action-haqqani-taliban');
    assert.ok(haqqani.flags.includes('stale'));
    assert.equal(haqqani.newest, '2020-12-31');
    const custody = find(assess(c, ledger, '2023-03-03').benchmarks, 'let-chief-in-custody');
    assert.ok(!custody.flags.includes('stale'), 'the April 2022 sentencing is recent enough');
  });
});

describe('what the principal did (issue 13)', () => {
  const at = (asOf: string, id: string) => find(assess(c, ledger, asOf).instruments, id);

  it('as of 2022-09-30 the F-16 package is locked, yet notified on 2022-09-07: acted while locked, citing the DSCA notification', () => {
    const f16 = at('2022-09-30', 'f16-sustainment');
    assert.equal(f16.decision, 'locked');
    assert.equal(f16.actual?.state, 'notified');
    assert.equal(f16.actual?.engaged, true);
    assert.equal(f16.actual?.since, '2022-09-07');
    assert.deepEqual(f16.actual?.evidence, ['ev-2022-09-07-dsca-f16-sustainment']);
    assert.equal(f16.departure, 'acted-while-locked');
    assert.ok(
      f16.reasons.some((r) => r.startsWith('departure:') && r.includes('ev-2022-09-07-dsca-f16-sustainment')),
      f16.reasons.join('\n'),
    );
  });

  it('shows the 2019 notification (US$125 million, Technical Security Team) as what was done, but claims no departure while the package is not in force', () => {
    const f16 = at('2019-08-01', 'f16-sustainment');
    assert.equal(f16.decision, 'not-applicable');
    assert.equal(f16.actual?.state, 'notified');
    assert.equal(f16.actual?.since, '2019-07-26');
    assert.deepEqual(f16.actual?.evidence, ['ev-2019-07-26-dsca-f16-technical-security-team']);
    assert.equal(f16.departure, null, 'no gate applies before 2022-09-07, so nothing to depart from');
    // Before it, nothing is recorded; after 2022-09-07 the 2022 notification is the latest act.
    assert.equal(at('2019-07-25', 'f16-sustainment').actual, null);
    assert.equal(at('2022-09-07', 'f16-sustainment').actual?.since, '2022-09-07');
  });

  it('as of the essay the F-16 package cannot unlock before 2024-03-03, and says why', () => {
    const unlock = at('2023-03-03', 'f16-sustainment').unlock;
    assert.ok(unlock, 'a locked instrument has a path to unlock');
    if (unlock.possible) {
      assert.ok(unlock.earliest !== null && unlock.earliest >= '2024-03-03', String(unlock.earliest));
    } else {
      assert.equal(unlock.earliest, null);
    }
    assert.ok(unlock.why.length > 0);
  });

  it('records IMET apart from broader security assistance: suspended in August 2018, approved 2019-12-19 (known the next day), resumed from 2020-01-04, while the rest stays suspended', () => {
    assert.equal(at('2018-08-09', 'imet-training').actual, null);
    assert.deepEqual(
      [at('2018-08-10', 'imet-training').actual?.state, at('2018-08-10', 'imet-training').actual?.engaged],
      ['suspended', false],
    );
    assert.equal(at('2019-12-19', 'imet-training').actual?.state, 'suspended', 'the approval was reported on 2019-12-20');
    const approved = at('2019-12-20', 'imet-training').actual;
    assert.deepEqual([approved?.state, approved?.since, approved?.engaged], ['approved', '2019-12-19', true]);
    const resumed = at('2020-01-04', 'imet-training').actual;
    assert.deepEqual(
      [resumed?.state, resumed?.since, resumed?.evidence],
      ['resumed', '2020-01-04', ['ev-2020-01-03-imet-resumption-authorised']],
    );
    // The exception did not resume the suspended security assistance.
    const broader = at('2020-01-10', 'broader-security-assistance');
    assert.equal(broader.actual?.engaged, false);
    assert.equal(broader.departure, null);
    assert.equal(at('2023-03-03', 'imet-training').actual?.state, 'resumed');
  });

  it("judges the IMET resumption against its gate: acted while locked until LeT's chief had been held for a year, then in line", () => {
    const early = at('2020-01-10', 'imet-training');
    assert.equal(early.decision, 'locked');
    assert.equal(early.departure, 'acted-while-locked');
    const later = at('2022-09-30', 'imet-training');
    assert.equal(later.decision, 'unlocked');
    assert.equal(later.departure, null);
  });

  it("marks every claim of the essay as analysis, the case author's own assertions as author, and nothing else", () => {
    const essay = ledger.filter((e) => e.sources.some((s) => s.title === 'A United States-Pakistan Rapprochement?'));
    assert.equal(essay.length, 20);
    for (const e of essay) assert.equal(e.claim, 'analysis', e.id);
    const own = ledger.filter((e) => e.sources.some((s) => s.publisher.startsWith('Proviso reference case')));
    assert.ok(own.length > 0);
    for (const e of own) assert.equal(e.claim, 'author', e.id);
    const marked = ledger.filter((e) => e.claim !== undefined).map((e) => e.id);
    assert.deepEqual(marked.sort(), [...essay, ...own].map((e) => e.id).sort());
  });

  it('declares who pays: aid and withheld money from the US to Pakistan, the F-16 sales from Pakistan to the US, always with an amount', () => {
    for (const e of ledger.filter((x) => x.flow !== undefined)) assert.ok(e.amount !== undefined, e.id);
    const flowOf = (id: string) => find(ledger, id).flow;
    assert.deepEqual(flowOf('ev-2022-09-07-dsca-f16-sustainment'), { kind: 'sale', payer: 'pakistan', payee: 'usa' });
    assert.deepEqual(flowOf('ev-2019-07-26-dsca-f16-technical-security-team'), { kind: 'sale', payer: 'pakistan', payee: 'usa' });
    assert.deepEqual(flowOf('ev-2018-01-04-us-security-assistance-suspension'), {
      kind: 'withheld',
      payer: 'usa',
      payee: 'pakistan',
    });
    assert.deepEqual(flowOf('ev-2018-09-csf-cancellation'), { kind: 'withheld', payer: 'usa', payee: 'pakistan' });
    const obligations = ledger.filter((e) => e.kind === 'aid-obligation');
    assert.equal(obligations.length, 8);
    for (const e of obligations) assert.deepEqual(e.flow, { kind: 'aid', payer: 'usa', payee: 'pakistan' }, e.id);
    // A conditioned amount is not money moved or held back, and SIPRI's TIV is not money at all.
    assert.equal(flowOf('ev-2017-07-21-csf-fy2016-certification-declined'), undefined);
    assert.equal(flowOf('ev-2017-11-ndaa-fy2018-conditions'), undefined);
    assert.equal(flowOf('ev-2012-2021-sipri-arms-transfers-pakistan'), undefined);
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

  it('does not flag the February 2020 conviction: Saeed was already in custody, so it moved nothing toward met', () => {
    const flags = transitionsOf('let-chief-in-custody').filter((x) => x.kind === 'flag' && x.to === 'timed-to-review');
    assert.deepEqual(flags, []);
  });

  it('dates every transition on the day it took effect, whatever the step', () => {
    const monthly = history(c, ledger, '2015-01-01', '2023-12-31', 'month').transitions.filter((t) => t.kind !== 'flag');
    const quarterly = history(c, ledger, '2015-01-01', '2023-12-31', 'quarter').transitions.filter((t) => t.kind !== 'flag');
    const key = (t: { date: string; kind: string; id: string; to: string | null }) => `${t.date} ${t.kind} ${t.id} ${t.to}`;
    // Every change a quarterly history reports is one the monthly history reports on the same day.
    const months = new Set(monthly.map(key));
    for (const t of quarterly) assert.ok(months.has(key(t)), key(t));
    for (const t of quarterly) assert.ok(t.date <= t.asOf && t.rule.length > 0);
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
