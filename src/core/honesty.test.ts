/**
 * "Say only what the evidence shows" (issue 12): each behaviour users rely on, on small
 * cases. Every test here failed on the engine before the change (as the issue measured it):
 * absence read as evidence, defaults read as refutations, weak evidence read as
 * counter-evidence, dates of the sampling step, items judged outside their time.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { benchmark, custodyIndicator, evidence, makeCase, parseDuration, source } from '../../test/support/builders.ts';
import { assess } from './assess.ts';
import type { Case, Indicator, Instrument, Interest, Justification } from './case-model.ts';
import { history } from './history.ts';

const law: Indicator = {
  id: 'law_in_force',
  title: 'Law in force',
  kind: 'state',
  filter: { kinds: [], actors: [] },
  subjects: ['counterpart'],
  on: ['enactment'],
  off: ['repeal'],
  initial: 'off',
};

describe('grade bars: evidence below the bar never makes a condition false', () => {
  const c = makeCase({
    indicators: [law],
    benchmarks: [
      benchmark({
        id: 'law',
        conditions: ['law_in_force == 1'],
        indicators: ['law_in_force'],
        duration: parseDuration('P0D'),
        reversals: ['repeal'],
        verification: { minReliability: 'A', minCredibility: 2, minSources: 1 },
      }),
    ],
  });
  const enacted = evidence('law-1', 'enactment', '2020-03-01', {
    actors: ['counterpart'],
    sources: [
      source({ reliability: 'B', credibility: 2 }),
      source({ publisher: 'Other Paper', reliability: 'B', credibility: 2 }),
    ],
  });

  it('a law reported by B2 sources under an A2 bar is unverified since it was reported, naming the items and the bar', () => {
    const b = assess(c, [enacted], '2021-01-01').benchmarks[0];
    assert.equal(b?.status, 'unverified');
    assert.equal(b?.since, '2020-03-01');
    assert.equal(b?.basis.kind, 'evidence');
    assert.match(
      b?.basis.summary ?? '',
      /^unverified — holds only on evidence below the bar of A2 with 1 independent source: law-1 \(B2\)/,
    );
    assert.deepEqual(b?.basis.evidence, ['law-1']);
  });

  it('also with an exists indicator and no monitoring: never not-met because the strong evidence is absent', () => {
    const exists = makeCase({
      indicators: [{ id: 'enacted', title: 'Enacted', kind: 'exists', filter: { kinds: ['enactment'], actors: [] } }],
      benchmarks: [
        benchmark({
          id: 'law',
          conditions: ['enacted'],
          indicators: ['enacted'],
          duration: parseDuration('P0D'),
          reversals: [],
          verification: { minReliability: 'A', minCredibility: 2, minSources: 1 },
        }),
      ],
    });
    assert.equal(assess(exists, [enacted], '2021-01-01').benchmarks[0]?.status, 'unverified');
    assert.equal(assess(exists, [], '2021-01-01').benchmarks[0]?.status, 'unknown', 'nothing recorded, nothing watched');
  });

  it('evidence that meets the bar decides; a weak report against it only raises contested', () => {
    const strong = { ...enacted, sources: [source({ reliability: 'A', credibility: 1 })] };
    const weakRepeal = evidence('rep', 'repeal', '2020-06-01', {
      actors: ['counterpart'],
      sources: [source({ reliability: 'D', credibility: 4 })],
    });
    const b = assess(c, [strong, weakRepeal], '2020-09-01').benchmarks[0];
    assert.equal(b?.status, 'met');
    assert.deepEqual(b?.flags, ['contested']);
  });
});

describe('state indicators with monitoring: a record stands only while someone watches', () => {
  const c = makeCase({
    monitoring: [
      {
        id: 'court-watch',
        title: 'Court records',
        indicators: ['in_custody'],
        from: '2018-01-01',
        until: '2020-12-31',
        source: { publisher: 'Court', title: 'Registers', date: '2021' },
      },
    ],
  });

  it('keeps the custody of an arrest within the watched span, and forgets it once nobody watches', () => {
    const ledger = [evidence('a', 'arrest', '2019-01-10')];
    assert.equal(assess(c, ledger, '2020-06-01').benchmarks[0]?.status, 'met');
    const after = assess(c, ledger, '2021-06-01').benchmarks[0];
    assert.equal(after?.status, 'unknown');
    assert.equal(after?.since, '2021-01-01');
    assert.match(after?.basis.summary ?? '', /leader: not monitored since 2021-01-01, after its last record/);
  });
});

describe('validity windows: outside them an item is not applicable, and left out', () => {
  const interests: Interest[] = [{ id: 'calm', title: 'Calm', rank: 1, weight: 1 }];
  const loan: Instrument = {
    id: 'loan',
    title: 'Loan',
    tier: 2,
    effects: [],
    validity: { from: '2020-01-01', until: '2021-12-31' },
  };
  const aid: Instrument = { id: 'aid', title: 'Aid', tier: 3, effects: [] };
  const j: Justification = {
    id: 'j',
    instrument: 'aid',
    title: 'J',
    claim: 'c',
    serves: ['calm'],
    evidenceFor: [],
    evidenceAgainst: [],
    validity: { from: '2022-02-24' },
  };
  const c: Case = makeCase({
    interests,
    instruments: [loan, aid],
    justifications: [j],
    benchmarks: [benchmark(), benchmark({ id: 'later', validity: { from: '2021-01-01' } })],
    gates: [
      { instrument: 'loan', rule: { kind: 'all', benchmarks: ['custody'] } },
      { instrument: 'aid', rule: { kind: 'all', benchmarks: ['custody', 'later'] }, validity: { from: '2019-01-01' } },
    ],
    waivers: [{ id: 'w', instrument: 'aid', authority: 'A', rationale: 'r', start: '2020-06-01', known: '2021-03-01' }],
  });
  const decision = (id: string, d: string) => assess(c, [], d).instruments.find((i) => i.id === id)?.decision;

  it('an instrument is not applicable before its window and after it: neither locked nor unlocked', () => {
    assert.equal(decision('loan', '2019-06-01'), 'not-applicable');
    assert.equal(decision('loan', '2020-06-01'), 'locked');
    const expired = assess(c, [], '2022-06-01').instruments.find((i) => i.id === 'loan');
    assert.equal(expired?.decision, 'not-applicable');
    assert.equal(expired?.applicability, 'expired');
  });

  it('a gate outside its window does not condition its instrument; a benchmark not yet applicable is left out of the rule', () => {
    assert.equal(decision('aid', '2018-06-01'), 'unlocked', 'before the gate existed, nothing conditioned the aid');
    const y2020 = assess(c, [], '2020-03-01').instruments.find((i) => i.id === 'aid');
    assert.equal(y2020?.decision, 'locked');
    assert.ok(y2020?.reasons.some((r) => r.includes('left out of the rule (not applicable on 2020-03-01): later')));
    assert.equal(assess(c, [], '2020-03-01').benchmarks.find((b) => b.id === 'later')?.status, 'not-applicable');
  });

  it('a waiver applies only once it is public', () => {
    const y2020 = assess(c, [], '2020-09-01').instruments.find((i) => i.id === 'aid');
    assert.equal(y2020?.decision, 'locked');
    assert.ok(y2020?.reasons.some((r) => r.includes('made public only on 2021-03-01')));
    assert.equal(decision('aid', '2021-03-01'), 'waived');
  });

  it('a justification is not judged before its window opens', () => {
    assert.equal(assess(c, [], '2021-06-01').justifications[0]?.verdict, 'not-applicable');
    assert.notEqual(assess(c, [], '2022-06-01').justifications[0]?.verdict, 'not-applicable');
  });
});

describe('exact dates: changes are dated on the day they took effect, whatever the step', () => {
  const c = makeCase({
    instruments: [
      {
        id: 'aid',
        title: 'Aid',
        tier: 3,
        effects: [{ interest: 'calm', direction: 'harms', rationale: 'r', evidence: ['harm'] }],
      },
    ],
    interests: [
      { id: 'calm', title: 'Calm', rank: 1, weight: 1 },
      { id: 'trade', title: 'Trade', rank: 2, weight: 0.5 },
    ],
    benchmarks: [benchmark({ duration: parseDuration('P0D') })],
    gates: [{ instrument: 'aid', rule: { kind: 'all', benchmarks: ['custody'] } }],
    justifications: [
      { id: 'j', instrument: 'aid', title: 'J', claim: 'c', serves: ['trade'], evidenceFor: [], evidenceAgainst: [] },
    ],
  });
  const ledger = [
    evidence('arrest', 'arrest', '2019-07-12'),
    evidence('harm', 'assessment', '2022-07-28', { sources: [source({ reliability: 'A', credibility: 1 })] }),
  ];

  it('a gate unlocked by an arrest on 2019-07-12 is dated 2019-07-12 at quarterly steps, naming the benchmark and its evidence', () => {
    const h = history(c, ledger, '2019-01-01', '2023-01-01', 'quarter');
    const gate = h.transitions.find((t) => t.kind === 'instrument' && t.id === 'aid');
    assert.equal(gate?.date, '2019-07-12');
    assert.equal(gate?.asOf, '2019-10-01');
    assert.deepEqual(gate?.evidence, ['arrest']);
    assert.match(gate?.rule ?? '', /custody met/);
  });

  it('a justification changed by an input known on 2022-07-28 is dated 2022-07-28, naming it', () => {
    const h = history(c, ledger, '2019-01-01', '2023-01-01', 'quarter');
    const verdict = h.transitions.find((t) => t.kind === 'justification');
    assert.equal(verdict?.date, '2022-07-28');
    assert.equal(verdict?.asOf, '2022-10-01');
    assert.deepEqual(verdict?.evidence, ['harm']);
  });
});

describe('freshness: each benchmark says how old its own evidence is', () => {
  it('flags stale once its newest counted evidence is older than the limit, whatever other evidence is fresh', () => {
    const c = makeCase({
      indicators: [custodyIndicator(), custodyIndicator({ id: 'other', subjects: ['counterpart'] })],
      benchmarks: [
        benchmark(),
        benchmark({ id: 'other', conditions: ['other == 1'], indicators: ['other'], stale: parseDuration('P36M') }),
      ],
    });
    const ledger = [evidence('a', 'arrest', '2018-01-01'), evidence('b', 'arrest', '2018-01-01', { actors: ['counterpart'] })];
    const a = assess(c, ledger, '2020-01-01');
    assert.deepEqual(a.benchmarks[0]?.flags, ['stale']);
    assert.equal(a.benchmarks[0]?.newest, '2018-01-01');
    assert.ok(a.benchmarks[0]?.reasons.some((r) => r.startsWith('stale: the newest counted evidence occurred on 2018-01-01')));
    assert.deepEqual(a.benchmarks[1]?.flags, [], 'its own limit is 36 months');
    // Fresh evidence on another benchmark does not make this one fresh.
    const withFresh = assess(c, [...ledger, evidence('c', 'arrest', '2019-12-01', { actors: ['counterpart'] })], '2020-01-01');
    assert.deepEqual(withFresh.benchmarks[0]?.flags, ['stale']);
  });

  it('takes the case default when a benchmark sets none, and is never stale where monitoring vouches for the time since', () => {
    const watched = makeCase({
      stale: parseDuration('P6M'),
      indicators: [
        {
          id: 'attacks',
          title: 'Attacks',
          kind: 'count',
          filter: { kinds: ['attack'], actors: [] },
          window: parseDuration('P12M'),
        },
      ],
      benchmarks: [
        benchmark({
          id: 'quiet',
          conditions: ['attacks == 0'],
          indicators: ['attacks'],
          duration: parseDuration('P0D'),
          reversals: [],
        }),
      ],
      monitoring: [
        {
          id: 'm',
          title: 'M',
          indicators: ['attacks'],
          from: '2015-01-01',
          source: { publisher: 'W', title: 'T', date: '2015' },
        },
      ],
    });
    const b = assess(watched, [evidence('x', 'attack', '2016-01-01')], '2020-01-01').benchmarks[0];
    assert.equal(b?.status, 'met');
    assert.deepEqual(b?.flags, []);
  });
});

describe('sources dated after the as-of date do not grade an entry', () => {
  // A law reported by one B2 outlet on the day, and confirmed by an A1 agency months later.
  const c = makeCase({
    indicators: [law],
    benchmarks: [
      benchmark({
        id: 'law',
        conditions: ['law_in_force == 1'],
        indicators: ['law_in_force'],
        duration: parseDuration('P0D'),
        reversals: ['repeal'],
        verification: { minReliability: 'A', minCredibility: 2, minSources: 1 },
      }),
    ],
  });
  const enacted = evidence('law-1', 'enactment', '2020-03-01', {
    actors: ['counterpart'],
    sources: [
      source({ publisher: 'Daily Paper', date: '2020-03-01', reliability: 'B', credibility: 2 }),
      source({ publisher: 'Agency', date: '2020-09-15', reliability: 'A', credibility: 1 }),
    ],
  });

  it('before the confirmation the entry is graded on the day’s source alone: unverified', () => {
    const b = assess(c, [enacted], '2020-06-01').benchmarks[0];
    assert.equal(b?.status, 'unverified');
    assert.match(b?.basis.summary ?? '', /law-1 \(B2\)/);
  });

  it('from the confirmation’s date on, it is met since the enactment', () => {
    const b = assess(c, [enacted], '2020-09-15').benchmarks[0];
    assert.equal(b?.status, 'met');
    assert.equal(b?.since, '2020-03-01');
  });

  it('history shows the change on the step after the confirmation, as a revision known then', () => {
    const h = history(c, [enacted], '2020-01-01', '2021-01-01', 'month');
    const status = (d: string) => h.points.find((p) => p.asOf === d)?.benchmarks.law;
    assert.equal(status('2020-09-01'), 'unverified');
    assert.equal(status('2020-10-01'), 'met');
    const change = h.transitions.find((t) => t.kind === 'benchmark' && t.to === 'met');
    assert.equal(change?.asOf, '2020-10-01');
  });

  it('an entry all of whose sources are later accounts (an essay) stands on them from its report', () => {
    const essay = {
      ...enacted,
      sources: [source({ publisher: 'Essayist', date: '2023-01-01', reliability: 'A', credibility: 2 })],
    };
    const twoLater = {
      ...essay,
      sources: [...essay.sources, source({ publisher: 'Review', date: '2024-01', reliability: 'A', credibility: 1 })],
    };
    assert.equal(assess(c, [essay], '2020-06-01').benchmarks[0]?.status, 'met');
    assert.equal(assess(c, [twoLater], '2020-06-01').benchmarks[0]?.status, 'met');
  });
});
