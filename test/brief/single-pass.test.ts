/**
 * The brief evaluates the ledger once: `history` with `withAssessment` gives, at its last
 * step, exactly what `assess` gives (byte for byte, digest included) and leaves the history
 * itself unchanged; the "what changed" transitions read off the timeline equal those of a
 * separate history from --since; and the brief built this way equals the brief built the
 * previous way (assess, then separate histories).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { loadCase } from '../../src/adapters/case-files/load-case.ts';
import { assess } from '../../src/core/assess.ts';
import type { Case } from '../../src/core/case-model.ts';
import { addDays, fromDayNumber, minDate, stepDates, subtractDuration, toDayNumber } from '../../src/core/dates.ts';
import type { Evidence } from '../../src/core/evidence.ts';
import { type HistoryOptions, history } from '../../src/core/history.ts';
import type { SeriesPoint } from '../../src/core/series.ts';
import { buildBriefModel } from '../../src/report/brief-model.ts';
import { buildFullBrief, caseStart, TIMELINE_SPAN, timelineStart, timelineStep } from '../../src/report/full-brief.ts';
import { renderHtmlBrief } from '../../src/report/html-brief.ts';
import { benchmark, custodyIndicator, evidence, makeCase, parseDuration, source } from '../support/builders.ts';
import { REFERENCE_CASE } from '../support/cli-harness.ts';

const START = toDayNumber('2015-01-01');
const dayArb = fc.integer({ min: START, max: START + 6 * 365 }).map(fromDayNumber);

const itemArb = fc.record({
  kind: fc.constantFrom('arrest', 'conviction', 'release', 'bail', 'attack'),
  day: dayArb,
  lag: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 200 })),
  grade: fc.constantFrom('A', 'A', 'C', 'E'),
  actor: fc.constantFrom('leader', 'leader', 'other'),
});

interface RawItem {
  readonly kind: string;
  readonly day: string;
  readonly lag: number;
  readonly grade: string;
  readonly actor: string;
}

function ledgerOf(raw: readonly RawItem[], fixes: readonly number[]): Evidence[] {
  const items = raw.map((r, i) =>
    evidence(`e${String(i).padStart(3, '0')}`, r.kind, r.day, {
      reported: addDays(r.day, r.lag),
      actors: [r.actor],
      sources: [source({ reliability: r.grade as 'A' | 'C' | 'E', credibility: r.grade === 'A' ? 1 : 4 })],
    }),
  );
  const extra: Evidence[] = [];
  fixes.forEach((target, k) => {
    const t = items[target % Math.max(1, items.length)];
    if (t === undefined || extra.some((x) => x.supersedes === t.id)) return;
    extra.push(
      evidence(`fix${k}`, 'release', t.occurred, {
        supersedes: t.id,
        reported: addDays(t.reported, 20 + k),
        actors: t.actors,
        retracted: k % 2 === 0,
      }),
    );
  });
  return [...items, ...extra];
}

/** Custody with a review rule and a bar that leaves weak items unverified, attacks in a window, a gate and a justification. */
function caseUnderTest(): Case {
  return makeCase({
    reviews: [
      { id: 'r1', calendar: 'fatf', title: 'Review 1', date: '2016-02-16', written: '2016-02-16' },
      { id: 'r2', calendar: 'fatf', title: 'Review 2', date: '2018-06-29', written: '2018-06-29' },
    ],
    indicators: [
      custodyIndicator(),
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
        id: 'custody',
        verification: { minReliability: 'B', minCredibility: 2, minSources: 1 },
        review: { calendar: 'fatf', window: parseDuration('P60D'), countAfterReview: true },
      }),
      benchmark({
        id: 'quiet',
        conditions: ['attacks == 0'],
        indicators: ['attacks'],
        duration: parseDuration('P6M'),
        reversals: ['attack'],
        verification: { minReliability: 'F', minCredibility: 6, minSources: 1 },
      }),
    ],
    instruments: [{ id: 'aid', title: 'Aid', tier: 3, effects: [] }],
    gates: [{ instrument: 'aid', rule: { kind: 'all', benchmarks: ['custody', 'quiet'] } }],
  });
}

/**
 * The brief as it was built before one sweep served it: assess, then separate histories
 * (the timeline from the same start as now: a later --since moves it onto its grid).
 */
function briefTheOldWay(c: Case, ledger: readonly Evidence[], asOf: string, since: string | undefined) {
  const a = assess(c, ledger, asOf);
  const changes = since === undefined ? undefined : history(c, ledger, since, asOf, 'month');
  const from = timelineStart(asOf, since, caseStart(c, ledger, asOf));
  const timeline = history(c, ledger, from, asOf, timelineStep(from, asOf, ledger.length), {
    ...(since === undefined ? {} : { monthlyFrom: since }),
  });
  return buildBriefModel(c, a, ledger, {
    timeline,
    ...(changes === undefined ? {} : { changes }),
    ...(since === undefined ? {} : { since }),
  });
}

describe('one sweep for the brief', () => {
  it('history withAssessment ends with exactly the assessment assess gives, and the same history', () => {
    const c = caseUnderTest();
    fc.assert(
      fc.property(
        fc.array(itemArb, { maxLength: 50 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        dayArb,
        fc.constantFrom('month', 'quarter'),
        (raw, fixes, to, step) => {
          const ledger = ledgerOf(raw, fixes);
          const swept = history(c, ledger, '2015-01-01', to, step, { withAssessment: true });
          const { assessment, ...rest } = swept;
          assert.equal(JSON.stringify(assessment), JSON.stringify(assess(c, ledger, to)));
          assert.equal(JSON.stringify(rest), JSON.stringify(history(c, ledger, '2015-01-01', to, step)));
        },
      ),
      { numRuns: 120 },
    );
  });

  it('holds with series inputs and ledger time (recordedBy) too', async () => {
    const loaded = await loadCase(REFERENCE_CASE);
    if (!loaded.ok) throw new Error('the reference case is invalid');
    const { case: ref, evidence: refLedger } = loaded;
    const points: SeriesPoint[] = [
      { date: '2018-12-31', knownAt: '2019-03-31', value: 0.2 },
      { date: '2019-12-31', knownAt: '2020-03-31', value: 0.26 },
      { date: '2020-12-31', knownAt: '2021-03-31', value: 0.3 },
    ];
    const series = new Map([['un_coincidence_usa_pak', points]]);
    const coverage = new Map([['militant_conflict_vs_india', [{ from: '2019-01-01', to: '2022-06-30' }]]]);
    const variants: HistoryOptions[] = [
      { series, coverage },
      { series, coverage, recordedBy: '2021-01-01' },
    ];
    for (const options of variants) {
      const swept = history(ref, refLedger, '2015-03-03', '2023-03-03', 'month', { ...options, withAssessment: true });
      assert.equal(JSON.stringify(swept.assessment), JSON.stringify(assess(ref, refLedger, '2023-03-03', options)));
    }
  });

  it('reads the changes since --since off the timeline when the grids meet, and they equal a separate history', () => {
    const c = caseUnderTest();
    fc.assert(
      fc.property(fc.array(itemArb, { maxLength: 40 }), dayArb, dayArb, (raw, d1, d2) => {
        const [since, asOf] = d1 <= d2 ? [d1, d2] : [d2, d1];
        const ledger = ledgerOf(raw, [1]);
        const start = caseStart(c, ledger, asOf);
        const from = timelineStart(asOf, since, start);
        const reach = start === undefined ? subtractDuration(asOf, TIMELINE_SPAN) : start;
        assert.ok(
          from <= minDate(since, reach),
          'the timeline reaches back to the case start (eight years without one), and to --since',
        );
        // The case start is first moved onto the date's monthly grid, then onto --since's: at most a month each.
        const slack = parseDuration(start === undefined ? 'P1M' : 'P2M');
        assert.ok(from === since || from > subtractDuration(reach, slack), 'at most a month more for each grid');
        const timeline = history(c, ledger, from, asOf, 'month');
        const separate = history(c, ledger, since, asOf, 'month');
        const wanted = stepDates(since, asOf, 'month');
        const onGrid = timeline.points.map((p) => p.asOf).filter((d) => d >= since);
        if (since.slice(8) <= '28') assert.deepEqual(onGrid, wanted, 'days 1–28 always share the grid');
        if (JSON.stringify(onGrid) === JSON.stringify(wanted)) {
          assert.deepEqual(
            timeline.transitions.filter((t) => t.asOf > since),
            separate.transitions,
          );
        }
        assert.deepEqual(buildFullBrief(c, ledger, asOf, since), briefTheOldWay(c, ledger, asOf, since));
      }),
      { numRuns: 60 },
    );
  });

  it('builds the reference brief exactly as the previous path did', async () => {
    const loaded = await loadCase(REFERENCE_CASE);
    assert.ok(loaded.ok);
    for (const since of [undefined, '2014-06-30']) {
      assert.equal(
        renderHtmlBrief(buildFullBrief(loaded.case, loaded.evidence, '2023-03-03', since)),
        renderHtmlBrief(briefTheOldWay(loaded.case, loaded.evidence, '2023-03-03', since)),
      );
    }
  });
});
