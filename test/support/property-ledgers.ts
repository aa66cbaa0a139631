/**
 * The random ledgers and the case the core's property tests share (history against
 * re-assessment, the live assessment against assess): items with late reports, second
 * sources, corrections and retractions, acts on instruments around a window's close, and a
 * case with custody, attacks, reviews, monitoring windows and gated instruments.
 */
import fc from 'fast-check';
import type { Case, SourceRef } from '../../src/core/case-model.ts';
import { addDays, fromDayNumber, toDayNumber } from '../../src/core/dates.ts';
import type { Evidence } from '../../src/core/evidence.ts';
import { benchmark, custodyIndicator, evidence, makeCase, parseDuration, source } from './builders.ts';
export const START = toDayNumber('2015-01-01');
export const SPAN = 6 * 365;
export const dayArb = fc.integer({ min: START, max: START + SPAN }).map(fromDayNumber);

export const kindArb = fc.constantFrom('arrest', 'detention', 'conviction', 'release', 'bail', 'attack', 'notify', 'suspend');

export interface RawItem {
  kind: string;
  day: string;
  lag: number;
  grade: 'A' | 'C' | 'E';
  actor: 'leader' | 'other';
  /** A second, independent source, dated `lag` days after the report (before it when negative). */
  later: { lag: number; grade: 'A' | 'E'; firstLate: boolean } | undefined;
  /** The instrument an act is on (by default, `aid` or `loan` by position). */
  instrument?: 'loan';
}

/** The day the loan's validity window closes (see `richCase`). */
export const LOAN_CLOSE = '2020-09-30';
/** Days around the loan's close: from three months before it to four months after. */
export const closeDayArb = fc.integer({ min: -90, max: 120 }).map((k) => addDays(LOAN_CLOSE, k));
/** Acts on the loan around its close, some made public only after it. */
export const closeActArb: fc.Arbitrary<RawItem> = fc.record({
  kind: fc.constantFrom('notify', 'suspend'),
  day: closeDayArb,
  lag: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 60 })),
  grade: fc.constant('A' as const),
  actor: fc.constant('leader' as const),
  later: fc.constant(undefined),
  instrument: fc.constant('loan' as const),
});

export const rawItemArb: fc.Arbitrary<RawItem> = fc.record({
  kind: kindArb,
  day: dayArb,
  lag: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 120 })),
  grade: fc.constantFrom('A', 'A', 'A', 'C', 'E'),
  actor: fc.constantFrom('leader', 'leader', 'leader', 'other'),
  later: fc.option(
    fc.record({
      lag: fc.integer({ min: -20, max: 400 }),
      grade: fc.constantFrom('A', 'E'),
      firstLate: fc.constantFrom(false, false, false, true),
    }),
    { nil: undefined, freq: 3 },
  ),
});

/** The item's sources: one out on the day it was reported (or later, `firstLate`), and maybe a second one. */
export function sourcesOf(r: RawItem): Evidence['sources'] {
  const reported = addDays(r.day, r.lag);
  const first = source({
    reliability: r.grade,
    credibility: r.grade === 'A' ? 1 : 4,
    date: r.later?.firstLate === true ? addDays(reported, 10) : reported,
  });
  if (r.later === undefined) return [first];
  const { lag, grade } = r.later;
  const day = addDays(reported, lag);
  const second = source({
    publisher: 'Second Desk',
    reliability: grade,
    credibility: grade === 'A' ? 1 : 4,
    date: lag % 3 === 0 ? day.slice(0, 7) : day,
  });
  return [first, second];
}

export function toLedger(raw: readonly RawItem[], corrections: readonly number[]): Evidence[] {
  const items = raw.map((r, i) =>
    evidence(`e${String(i).padStart(3, '0')}`, r.kind, r.day, {
      reported: addDays(r.day, r.lag),
      actors: [r.actor],
      sources: sourcesOf(r),
      // The principal's acts on its instruments: what it did, beside what the gates warrant.
      ...(r.kind === 'notify' || r.kind === 'suspend'
        ? {
            action: {
              instrument: r.instrument ?? (i % 2 === 0 ? 'aid' : 'loan'),
              kind: r.kind === 'notify' ? 'notified' : 'suspended',
            },
          }
        : {}),
    }),
  );
  const extra: Evidence[] = [];
  corrections.forEach((target, k) => {
    const t = items[target % Math.max(1, items.length)];
    if (t === undefined) return;
    if (extra.some((x) => x.supersedes === t.id)) return;
    // A correction of an act on an instrument either withdraws it (retracted, or recording no
    // act) or, every third one, records the other act on the same instrument instead.
    const reAct = t.action !== undefined && k % 3 === 1;
    const kind = reAct ? (t.kind === 'notify' ? 'suspend' : 'notify') : t.kind === 'release' ? 'arrest' : 'release';
    extra.push(
      evidence(`fix${k}`, kind, t.occurred, {
        supersedes: t.id,
        reported: addDays(t.reported, 30 + k),
        actors: t.actors,
        retracted: k % 3 === 0,
        ...(reAct && t.action !== undefined
          ? { action: { instrument: t.action.instrument, kind: kind === 'notify' ? 'notified' : 'suspended' } }
          : {}),
      }),
    );
  });
  return [...items, ...extra];
}

export const watchSource: SourceRef = { publisher: 'Watcher', title: 'Incident list', date: '2017-03' };

export const reviews = [
  { id: 'r1', calendar: 'fatf', title: 'Review 1', date: '2016-02-16', written: '2016-02-16' },
  { id: 'r2', calendar: 'fatf', title: 'Review 2', date: '2018-06-29', written: '2018-06-29' },
  { id: 'r3', calendar: 'fatf', title: 'Review 3', date: '2019-10-31', written: '2019-10' },
];

export function richCase(lateClaims = true): Case {
  return makeCase({
    reviews,
    indicators: [
      custodyIndicator(),
      {
        id: 'attacks',
        title: 'Attacks',
        kind: 'count',
        filter: { kinds: ['attack'], actors: [] },
        window: parseDuration('P12M'),
      },
      custodyIndicator({ id: 'custody_unknown', initial: 'unknown' }),
    ],
    benchmarks: [
      benchmark({ id: 'custody', review: { calendar: 'fatf', window: parseDuration('P60D'), countAfterReview: true } }),
      benchmark({
        id: 'quiet',
        conditions: ['attacks == 0'],
        indicators: ['attacks'],
        duration: parseDuration('P6M'),
        reversals: ['attack'],
        verification: { minReliability: 'F', minCredibility: 6, minSources: 1 },
      }),
      benchmark({
        id: 'custody-unknown',
        conditions: ['custody_unknown == 1'],
        indicators: ['custody_unknown'],
        duration: parseDuration('P3M'),
      }),
      benchmark({ id: 'late', duration: parseDuration('P1M'), validity: { from: '2018-01-01', known: '2018-04-01' } }),
      // Two independent sources needed: met only once a second outlet confirms.
      benchmark({
        id: 'confirmed',
        duration: parseDuration('P2M'),
        verification: { minReliability: 'B', minCredibility: 2, minSources: 2 },
      }),
    ],
    instruments: [
      { id: 'aid', title: 'Aid', tier: 3, effects: [] },
      {
        id: 'loan',
        title: 'Loan',
        tier: 2,
        effects: [{ interest: 'calm', direction: 'harms', rationale: 'r', evidence: ['e003', 'e007'] }],
        validity: { from: '2016-03-01', until: '2020-09-30' },
      },
    ],
    gates: [
      { instrument: 'aid', rule: { kind: 'at-least', count: 2, benchmarks: ['custody', 'quiet', 'custody-unknown'] } },
      { instrument: 'loan', rule: { kind: 'any', benchmarks: ['custody', 'late'] } },
    ],
    waivers: [
      {
        id: 'w',
        instrument: 'aid',
        authority: 'A',
        rationale: 'r',
        start: '2017-01-01',
        expiry: '2017-12-31',
        known: '2017-06-15',
      },
    ],
    interests: [
      { id: 'calm', title: 'Calm', rank: 1, weight: 1 },
      { id: 'trade', title: 'Trade', rank: 2, weight: 0.5 },
    ],
    justifications: [
      {
        id: 'j',
        instrument: 'loan',
        title: 'J',
        claim: 'c',
        serves: ['trade'],
        evidenceFor: ['e001', 'e004'],
        evidenceAgainst: ['e002', 'e005', 'fix0'],
        validity: { from: '2017-01-01' },
      },
    ],
    issueAreas: [
      {
        id: 'area',
        title: 'Area',
        principalInterest: 'calm',
        principalPosition: 'p',
        evidence: { aligned: ['e000', 'e006', 'fix1'], opposed: ['e002', 'e008'] },
        instruments: ['loan'],
        validity: { until: '2020-12-31' },
      },
    ],
    // Attacks are watched from 2015-06-01 on a claim made public only on 2017-03-01, and again in 2019–2020.
    monitoring: [
      {
        id: 'watch',
        title: 'W',
        indicators: ['attacks'],
        from: '2015-06-01',
        until: '2018-12-31',
        ...(lateClaims ? { known: '2017-03-01' } : {}),
        source: watchSource,
      },
      { id: 'watch2', title: 'W2', indicators: ['attacks'], from: '2019-03-01', until: '2020-06-30', source: watchSource },
    ],
  });
}
