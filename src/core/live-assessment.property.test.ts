/**
 * The live assessment a server keeps (appends routed to the streams) against `assess` on
 * the same entries: statuses, decisions, departures and the whole record, digest included,
 * whatever the split of the ledger into appends and their order.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { benchmark, custodyIndicator, evidence, makeCase, parseDuration, source } from '../../test/support/builders.ts';
import { assess } from './assess.ts';
import type { Case, SourceRef } from './case-model.ts';
import { addDays, fromDayNumber, toDayNumber } from './dates.ts';
import type { Evidence } from './evidence.ts';
import { LiveAssessment } from './live-assessment.ts';

const START = toDayNumber('2015-01-01');
const SPAN = 6 * 365;
const dayArb = fc.integer({ min: START, max: START + SPAN }).map(fromDayNumber);

const kindArb = fc.constantFrom('arrest', 'detention', 'conviction', 'release', 'bail', 'attack', 'notify', 'suspend');

interface RawItem {
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
const LOAN_CLOSE = '2020-09-30';
/** Days around the loan's close: from three months before it to four months after. */
const closeDayArb = fc.integer({ min: -90, max: 120 }).map((k) => addDays(LOAN_CLOSE, k));
/** Acts on the loan around its close, some made public only after it. */
const closeActArb: fc.Arbitrary<RawItem> = fc.record({
  kind: fc.constantFrom('notify', 'suspend'),
  day: closeDayArb,
  lag: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 60 })),
  grade: fc.constant('A' as const),
  actor: fc.constant('leader' as const),
  later: fc.constant(undefined),
  instrument: fc.constant('loan' as const),
});

const rawItemArb: fc.Arbitrary<RawItem> = fc.record({
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
function sourcesOf(r: RawItem): Evidence['sources'] {
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

function toLedger(raw: readonly RawItem[], corrections: readonly number[]): Evidence[] {
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
    extra.push(
      evidence(`fix${k}`, t.kind === 'release' ? 'arrest' : 'release', t.occurred, {
        supersedes: t.id,
        reported: addDays(t.reported, 30 + k),
        actors: t.actors,
        retracted: k % 3 === 0,
      }),
    );
  });
  return [...items, ...extra];
}

const watchSource: SourceRef = { publisher: 'Watcher', title: 'Incident list', date: '2017-03' };

const reviews = [
  { id: 'r1', calendar: 'fatf', title: 'Review 1', date: '2016-02-16', written: '2016-02-16' },
  { id: 'r2', calendar: 'fatf', title: 'Review 2', date: '2018-06-29', written: '2018-06-29' },
  { id: 'r3', calendar: 'fatf', title: 'Review 3', date: '2019-10-31', written: '2019-10' },
];

function richCase(lateClaims = true): Case {
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

/** The ledger cut into appends at the given points, in a shuffled order of the pieces. */
function pieces(ledger: readonly Evidence[], cuts: readonly number[], order: readonly number[]): Evidence[][] {
  const at = [...new Set(cuts.map((c) => c % (ledger.length + 1)))].sort((a, b) => a - b);
  const out: Evidence[][] = [];
  let from = 0;
  for (const to of [...at, ledger.length]) {
    out.push(ledger.slice(from, to));
    from = to;
  }
  return out
    .map((p, i) => ({ p, k: order[i] ?? i }))
    .sort((a, b) => a.k - b.k)
    .map((x) => x.p);
}

describe('a live assessment fed by appends equals assess on the same entries', () => {
  it('after every append: outcome and full record', () => {
    const c = richCase();
    fc.assert(
      fc.property(
        fc.array(rawItemArb, { maxLength: 25 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.constantFrom(1, 0),
        // Any day, or one around the loan's close (judged at its close once it has passed).
        fc.oneof(dayArb, closeDayArb),
        fc.array(closeActArb, { maxLength: 4 }),
        (raw, fixes, cuts, order, startWith, asOf, acts) => {
          const ledger = toLedger([...raw, ...acts], fixes);
          const parts = pieces(ledger, cuts, order);
          const first = startWith === 1 ? (parts.shift() ?? []) : [];
          const live = new LiveAssessment(c, first, asOf);
          const given: Evidence[] = [...first];
          for (const part of parts) {
            live.append(part);
            given.push(...part);
            const expected = assess(c, given, asOf);
            assert.deepEqual(live.outcome(), {
              benchmarks: expected.benchmarks.map((b) => ({ id: b.id, status: b.status })),
              instruments: expected.instruments.map((i) => ({ id: i.id, decision: i.decision, departure: i.departure })),
            });
          }
          assert.deepEqual(live.assessment(), assess(c, given, asOf));
        },
      ),
      { numRuns: 80 },
    );
  });

  it('an entry appended again, and entries not yet known on the date, change nothing', () => {
    const c = richCase();
    const a = evidence('a', 'arrest', '2016-05-01', {
      sources: [source({ reliability: 'A', credibility: 1, date: '2016-05-01' })],
    });
    const later = evidence('b', 'release', '2016-06-01', { reported: '2017-02-01' });
    const live = new LiveAssessment(c, [a], '2016-12-31');
    const before = live.assessment();
    live.append([a, later]);
    assert.deepEqual(live.assessment(), before);
    assert.deepEqual(live.assessment(), assess(c, [a, later], '2016-12-31'));
  });
});
