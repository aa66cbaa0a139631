/**
 * Property-based tests of the subtle semantics: trailing windows, durability, reversals,
 * as-of visibility, and the incremental history against the naive reference.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { benchmark, evidence, makeCase, parseDuration } from '../../test/support/builders.ts';
import {
  closeActArb,
  dayArb,
  LOAN_CLOSE,
  rawItemArb,
  richCase,
  START,
  toLedger,
  watchSource,
} from '../../test/support/property-ledgers.ts';
import { assess } from './assess.ts';
import type { Case } from './case-model.ts';
import { addDays, addDuration, fromDayNumber, lastDayOf, toDayNumber } from './dates.ts';
import type { Evidence } from './evidence.ts';
import { type HistoryPoint, history, historyByReassessment, type Transition } from './history.ts';

describe('history equals re-assessment at every step', () => {
  it('for random ledgers with late reports, corrections and retractions', () => {
    const c = richCase();
    fc.assert(
      fc.property(
        fc.array(rawItemArb, { maxLength: 60 }),
        fc.array(closeActArb, { maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        fc.constantFrom('month', 'quarter'),
        (raw, acts, fixes, step) => {
          const ledger = toLedger([...raw, ...acts], fixes);
          const fast = history(c, ledger, '2015-01-01', '2021-06-30', step);
          const naive = historyByReassessment(c, ledger, '2015-01-01', '2021-06-30', step);
          assert.deepEqual(fast.points, naive.points);
          assert.deepEqual(fast.transitions, naive.transitions);
          assert.equal(fast.digest, naive.digest);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('each history point matches assess on that date', () => {
    const c = richCase();
    fc.assert(
      fc.property(fc.array(rawItemArb, { maxLength: 25 }), fc.array(closeActArb, { maxLength: 4 }), (raw, acts) => {
        const ledger = toLedger([...raw, ...acts], []);
        const h = history(c, ledger, '2015-01-01', '2021-01-01', 'quarter');
        // Every fourth point, and every point after the loan's window closed (judged at its close).
        for (const p of h.points.filter((x, i) => i % 4 === 0 || x.asOf > LOAN_CLOSE)) {
          const a = assess(c, ledger, p.asOf);
          assert.deepEqual(
            p.benchmarks,
            Object.fromEntries(a.benchmarks.map((b) => [b.id, b.status])),
            `benchmarks at ${p.asOf}`,
          );
          assert.deepEqual(p.instruments, Object.fromEntries(a.instruments.map((i) => [i.id, i.decision])));
          assert.deepEqual(p.justifications, Object.fromEntries(a.justifications.map((j) => [j.id, j.verdict])));
          assert.deepEqual(p.issueAreas, Object.fromEntries(a.issueAreas.map((x) => [x.id, x.convergence])));
          assert.deepEqual(
            p.flags,
            Object.fromEntries(a.benchmarks.filter((b) => b.flags.length > 0).map((b) => [b.id, b.flags])),
          );
          assert.deepEqual(
            p.actions,
            Object.fromEntries(a.instruments.flatMap((i) => (i.actual === null ? [] : [[i.id, i.actual.state]]))),
            `actions at ${p.asOf}`,
          );
          assert.deepEqual(
            p.departures,
            Object.fromEntries(a.instruments.flatMap((i) => (i.departure === null ? [] : [[i.id, i.departure]]))),
            `departures at ${p.asOf}`,
          );
        }
      }),
      { numRuns: 30 },
    );
  });
});

describe('departure and action transitions chain from point to point', () => {
  // Replaying each step's transitions of a kind from the first point gives every later
  // point, each transition starting where the last left off: what the transitions say
  // agrees with what the points (and so `assess`) say, closed windows included.
  const replays = (h: ReturnType<typeof history>, kind: 'departure' | 'action') => {
    const at = (p: HistoryPoint) => (kind === 'departure' ? p.departures : p.actions);
    const state = new Map<string, string | null>(Object.entries(at(h.points[0] as HistoryPoint)));
    for (const p of h.points.slice(1)) {
      for (const x of h.transitions.filter((y) => y.kind === kind && y.asOf === p.asOf)) {
        assert.equal(
          x.from,
          state.get(x.id) ?? null,
          `${kind} ${x.id} on ${x.date} (step ${p.asOf}) starts where the last left off`,
        );
        assert.ok(x.date <= p.asOf, `${kind} ${x.id} dated ${x.date} after its step ${p.asOf}`);
        state.set(x.id, x.to);
      }
      const got = Object.fromEntries([...state].filter(([, v]) => v !== null));
      assert.deepEqual(got, { ...at(p) }, `${kind}s at ${p.asOf}`);
    }
  };
  const acts = fc.array(closeActArb, { minLength: 1, maxLength: 4 });

  it('departures, for random ledgers with acts around a window’s close (some made public after it) and corrections', () => {
    const c = richCase();
    fc.assert(
      fc.property(
        fc.array(rawItemArb, { maxLength: 40 }),
        acts,
        fc.array(fc.nat(), { maxLength: 3 }),
        fc.constantFrom('month', 'quarter'),
        (raw, close, fixes, step) => {
          replays(history(c, toLedger([...raw, ...close], fixes), '2015-01-01', '2021-06-30', step), 'departure');
        },
      ),
      { numRuns: 80 },
    );
  });

  // Corrections aimed at the acts too: a withdrawn act changes the action back (to the
  // previous standing act, or to none) on the day the correction became known.
  it('actions, for random ledgers with acts around a window’s close (some made public after it) and corrections', () => {
    const c = richCase();
    fc.assert(
      fc.property(
        fc.array(rawItemArb, { maxLength: 40 }),
        acts,
        fc.array(fc.nat(), { maxLength: 3 }),
        fc.array(fc.nat(), { maxLength: 3 }),
        fc.constantFrom('month', 'quarter'),
        (raw, close, fixes, actFixes, step) => {
          const items = [...raw, ...close];
          // Half the corrections are aimed at acts (notify, suspend), whose share of a random ledger is small.
          const actAt = items.flatMap((r, i) => (r.kind === 'notify' || r.kind === 'suspend' ? [i] : []));
          const aimed = actAt.length === 0 ? [] : actFixes.map((n) => actAt[n % actAt.length] as number);
          const h = history(c, toLedger(items, [...fixes, ...aimed]), '2015-01-01', '2021-06-30', step);
          replays(h, 'action');
          replays(h, 'departure');
        },
      ),
      { numRuns: 80 },
    );
  });
});

describe('transitions are dated on the day the change took effect, whatever the step', () => {
  // Items reported as they happen, never corrected, and monitoring claimed as it happens:
  // what is known is what happened, so the
  // transitions — every change, on the day it took effect — cannot depend on the step.
  it('a monthly and a quarterly history list the same changes on the same days', () => {
    const c = richCase(false);
    const strip = (ts: readonly Transition[]) => ts.filter((x) => x.kind !== 'flag').map(({ asOf: _, ...rest }) => rest);
    fc.assert(
      fc.property(fc.array(rawItemArb, { maxLength: 40 }), fc.array(closeActArb, { maxLength: 4 }), (raw, acts) => {
        // Second sources come out later (each a change in what is known): none here.
        const ledger = toLedger(
          [...raw, ...acts].map((r) => ({ ...r, lag: 0, later: undefined })),
          [],
        );
        const monthly = history(c, ledger, '2015-01-01', '2021-01-01', 'month');
        const quarterly = history(c, ledger, '2015-01-01', '2021-01-01', 'quarter');
        for (const t of quarterly.transitions) {
          assert.ok(t.date <= t.asOf, `${t.kind} ${t.id} dated ${t.date} after its step ${t.asOf}`);
          assert.ok(t.rule.length > 0);
        }
        const byDate = (xs: ReturnType<typeof strip>) =>
          [...xs].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : `${a.kind}${a.id}` < `${b.kind}${b.id}` ? -1 : 1));
        assert.deepEqual(byDate(strip(quarterly.transitions)), byDate(strip(monthly.transitions)));
      }),
      { numRuns: 60 },
    );
  });
});

describe('as-of visibility', () => {
  it('entries reported after the as-of date change nothing, digest included', () => {
    const c = richCase();
    fc.assert(
      fc.property(fc.array(rawItemArb, { maxLength: 30 }), dayArb, (raw, asOf) => {
        const ledger = toLedger(raw, [1, 2]);
        const visible = ledger.filter((e) => e.reported <= asOf && e.occurred <= asOf);
        assert.deepEqual(assess(c, ledger, asOf), assess(c, visible, asOf));
      }),
      { numRuns: 80 },
    );
  });

  it('sources dated after the as-of date change nothing but the digest', () => {
    const c = richCase();
    fc.assert(
      fc.property(fc.array(rawItemArb, { maxLength: 30 }), dayArb, (raw, asOf) => {
        const ledger = toLedger(raw, [1, 2]);
        // What an analyst writing on `asOf` had: each entry with the sources out by then,
        // unless every source of it came out after it was reported (a later account of it).
        const written = ledger.map((e) => {
          // biome-ignore lint/complexity/useMathMinMax: ISO date strings, which Math.max cannot compare
          const known = e.reported > e.occurred ? e.reported : e.occurred;
          const outByReport = e.sources.some((x) => lastDayOf(x.date) <= known);
          return outByReport ? { ...e, sources: e.sources.filter((x) => lastDayOf(x.date) <= asOf) } : e;
        });
        const { digest: _a, ...full } = assess(c, ledger, asOf);
        const { digest: _b, ...then } = assess(c, written, asOf);
        assert.deepEqual(full, then);
      }),
      { numRuns: 80 },
    );
  });

  it('the same inputs give byte-identical output, whatever the ledger order', () => {
    const c = richCase();
    fc.assert(
      fc.property(fc.array(rawItemArb, { maxLength: 30 }), dayArb, (raw, asOf) => {
        const ledger = toLedger(raw, [0]);
        const shuffled = [...ledger].reverse();
        assert.equal(JSON.stringify(assess(c, ledger, asOf)), JSON.stringify(assess(c, shuffled, asOf)));
      }),
      { numRuns: 50 },
    );
  });
});

/** Brute force: the custody state of `leader` on each day, from grade-A items only. */
function custodyByDay(ledger: readonly Evidence[], asOf: string): Map<string, boolean> {
  const known = ledger.filter((e) => e.reported <= asOf && e.actors.includes('leader') && e.sources[0]?.reliability === 'A');
  const sorted = [...known].sort((a, b) =>
    a.occurred !== b.occurred ? (a.occurred < b.occurred ? -1 : 1) : a.id < b.id ? -1 : 1,
  );
  const out = new Map<string, boolean>();
  let state = false;
  let i = 0;
  for (let d = START - 1; d <= toDayNumber(asOf); d++) {
    const day = fromDayNumber(d);
    while (i < sorted.length && (sorted[i] as Evidence).occurred <= day) {
      const k = (sorted[i] as Evidence).kind;
      if (['arrest', 'detention', 'conviction'].includes(k)) state = true;
      if (['release', 'bail', 'acquittal'].includes(k)) state = false;
      i++;
    }
    out.set(day, state);
  }
  return out;
}

describe('durability and reversal', () => {
  const c = makeCase({
    benchmarks: [benchmark({ verification: { minReliability: 'A', minCredibility: 1, minSources: 1 } })],
  });
  it('met exactly when custody held without a break for the duration; reversed exactly when a release ended it', () => {
    fc.assert(
      fc.property(fc.array(rawItemArb, { maxLength: 30 }), dayArb, (raw, asOf) => {
        const ledger = toLedger(
          raw.filter((r) => r.kind !== 'attack').map((r) => ({ ...r, lag: 0, grade: 'A' as const })),
          [],
        );
        const byDay = custodyByDay(ledger, asOf);
        let runStart: string | undefined;
        for (let d = toDayNumber(asOf); d >= START - 1; d--) {
          const day = fromDayNumber(d);
          if (byDay.get(day) !== byDay.get(asOf)) break;
          runStart = day;
        }
        const b = assess(c, ledger, asOf).benchmarks[0];
        assert.ok(b);
        if (byDay.get(asOf) === true) {
          const metOn = addDuration(runStart as string, parseDuration('P12M'));
          assert.equal(b.status, asOf >= metOn ? 'met' : 'pending');
        } else {
          const prevDay = fromDayNumber(toDayNumber(runStart as string) - 1);
          const endedHeldRun = runStart !== fromDayNumber(START - 1) && byDay.get(prevDay) === true;
          assert.equal(b.status, endedHeldRun ? 'reversed' : 'not-met');
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('trailing windows', () => {
  const windowCase = (monitoring: Case['monitoring']) =>
    makeCase({
      indicators: [
        { id: 'n', title: 'Attacks', kind: 'count', filter: { kinds: ['attack'], actors: [] }, window: parseDuration('P90D') },
      ],
      benchmarks: [
        benchmark({
          id: 'b',
          conditions: ['n <= 1'],
          indicators: ['n'],
          duration: parseDuration('P0D'),
          reversals: [],
          verification: { minReliability: 'F', minCredibility: 6, minSources: 1 },
        }),
      ],
      ...(monitoring === undefined ? {} : { monitoring }),
    });
  const inWindow = (days: readonly string[], asOf: string) =>
    days.filter((d) => d <= asOf && asOf < addDuration(d, parseDuration('P90D'))).length;

  it('counts exactly the items with d <= t < d + window where the window is monitored', () => {
    const c = windowCase([{ id: 'm', title: 'M', indicators: ['n'], from: '2014-01-01', source: watchSource }]);
    fc.assert(
      fc.property(fc.array(dayArb, { maxLength: 20 }), dayArb, (days, asOf) => {
        const ledger = days.map((d, i) => evidence(`a${i}`, 'attack', d));
        const expected = inWindow(days, asOf);
        const b = assess(c, ledger, asOf).benchmarks[0];
        assert.equal(b?.indicators[0]?.value, expected);
        assert.equal(b?.status, expected <= 1 ? 'met' : 'not-met');
        assert.equal(b?.basis.kind, expected <= 1 ? 'monitoring' : 'evidence');
      }),
      { numRuns: 150 },
    );
  });

  it('without monitoring, reads recorded items as a lower bound: refuted by evidence, never confirmed by silence', () => {
    const c = windowCase(undefined);
    fc.assert(
      fc.property(fc.array(dayArb, { maxLength: 20 }), dayArb, (days, asOf) => {
        const ledger = days.map((d, i) => evidence(`a${i}`, 'attack', d));
        const seen = inWindow(days, asOf);
        const b = assess(c, ledger, asOf).benchmarks[0];
        assert.equal(b?.indicators[0]?.value, null);
        assert.equal(b?.indicators[0]?.atLeast, seen);
        assert.equal(b?.status, seen >= 2 ? 'not-met' : 'unknown');
        assert.equal(b?.basis.kind, seen >= 2 ? 'evidence' : 'missing');
      }),
      { numRuns: 150 },
    );
  });

  it('is exact only on days whose whole window lies inside a monitored span', () => {
    fc.assert(
      fc.property(
        fc.array(dayArb, { maxLength: 10 }),
        dayArb,
        dayArb,
        fc.integer({ min: 0, max: 400 }),
        (days, asOf, from, length) => {
          const until = addDays(from, length);
          const c = windowCase([{ id: 'm', title: 'M', indicators: ['n'], from, until, source: watchSource }]);
          const ledger = days.map((d, i) => evidence(`a${i}`, 'attack', d));
          const b = assess(c, ledger, asOf).benchmarks[0];
          // The window of asOf: the days d with d <= asOf < d + P90D.
          let covered = asOf <= until;
          for (let k = 0; k < 100 && covered; k++) {
            const d = addDays(asOf, -k);
            if (addDuration(d, parseDuration('P90D')) > asOf && d < from) covered = false;
          }
          assert.equal(b?.indicators[0]?.value !== null, covered, `asOf ${asOf}, monitored ${from}..${until}`);
        },
      ),
      { numRuns: 200 },
    );
  });
});
