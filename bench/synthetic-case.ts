/**
 * A synthetic case and ledger for benchmarks: many benchmarks of every indicator kind,
 * evidence spread over many years with late reports, mixed grades and corrections.
 * Deterministic for a given seed (mulberry32).
 */
import type { Actor, Benchmark, Case, CaseIndicator, Instrument, ReviewDate } from '../src/core/case-model.ts';
import { addDays, fromDayNumber, parseDuration, toDayNumber } from '../src/core/dates.ts';
import type { Evidence } from '../src/core/evidence.ts';

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticOptions {
  readonly benchmarks: number;
  readonly evidence: number;
  readonly from: string;
  readonly years: number;
  readonly seed: number;
}

export function syntheticCase(o: SyntheticOptions): { case: Case; ledger: Evidence[] } {
  const rand = mulberry32(o.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const actors: Actor[] = [
    { id: 'principal', name: 'Principal', kind: 'state', aliases: [], cameo: [], memberOf: [] },
    { id: 'counterpart', name: 'Counterpart', kind: 'state', aliases: [], cameo: [], memberOf: [] },
  ];
  const indicators: CaseIndicator[] = [];
  const benchmarks: Benchmark[] = [];
  const reviews: ReviewDate[] = [];
  const start = toDayNumber(o.from);
  const span = o.years * 365;
  for (let d = start + 40; d < start + span; d += 120) {
    const date = fromDayNumber(d);
    reviews.push({ id: `rev-${date}`, calendar: 'plenary', title: `Review ${date}`, date, written: date });
  }
  const kindsOf: string[][] = [];
  for (let i = 0; i < o.benchmarks; i++) {
    const subjA = `p${i}a`;
    const subjB = `p${i}b`;
    actors.push({ id: subjA, name: subjA, kind: 'person', aliases: [], cameo: [], memberOf: ['counterpart'] });
    actors.push({ id: subjB, name: subjB, kind: 'person', aliases: [], cameo: [], memberOf: ['counterpart'] });
    const mode = i % 4;
    const bar = { minReliability: pick(['B', 'C'] as const), minCredibility: 3 as const, minSources: 1 };
    if (mode <= 1) {
      indicators.push({
        id: `custody_${i}`,
        title: `Custody ${i}`,
        kind: 'state',
        filter: { kinds: [], actors: [] },
        subjects: [subjA, subjB],
        on: [`arrest${i}`, `conviction${i}`],
        off: [`release${i}`, `bail${i}`],
        initial: mode === 0 ? 'off' : 'unknown',
      });
      kindsOf.push([`arrest${i}`, `conviction${i}`, `release${i}`, `bail${i}`]);
      benchmarks.push({
        id: `b${i}`,
        title: `Both leaders of set ${i} in custody`,
        conditions: [`custody_${i} == 2`],
        indicators: [`custody_${i}`],
        duration: parseDuration('P12M'),
        reversals: [`release${i}`, `bail${i}`],
        verification: bar,
        ...(i % 8 === 0 ? { review: { calendar: 'plenary', window: parseDuration('P30D'), countAfterReview: true } } : {}),
      });
    } else if (mode === 2) {
      indicators.push({
        id: `attacks_${i}`,
        title: `Attacks ${i}`,
        kind: 'count',
        filter: { kinds: [`attack${i}`], actors: [] },
        window: parseDuration('P12M'),
      });
      kindsOf.push([`attack${i}`]);
      benchmarks.push({
        id: `b${i}`,
        title: `Few attacks ${i}`,
        conditions: [`attacks_${i} <= 2`],
        indicators: [`attacks_${i}`],
        duration: parseDuration('P6M'),
        reversals: [`attack${i}`],
        verification: bar,
      });
    } else {
      indicators.push({
        id: `progress_${i}`,
        title: `Progress ${i}`,
        kind: 'latest',
        filter: { kinds: [`progress${i}`], actors: [] },
        field: 'value',
      });
      indicators.push({
        id: `funds_${i}`,
        title: `Funds ${i}`,
        kind: 'sum',
        filter: { kinds: [`aid${i}`], actors: [] },
        field: 'amount',
        currency: 'USD',
        window: parseDuration('P24M'),
      });
      kindsOf.push([`progress${i}`, `aid${i}`]);
      benchmarks.push({
        id: `b${i}`,
        title: `Plan ${i} complete and funds flowing`,
        conditions: [`progress_${i} >= 20.0`, `funds_${i} < 5000000.0`],
        indicators: [`funds_${i}`, `progress_${i}`],
        duration: parseDuration('P12M'),
        reversals: [],
        verification: bar,
      });
    }
  }
  const instruments: Instrument[] = [];
  const gates: Case['gates'][number][] = [];
  for (let k = 0; k < 20; k++) {
    instruments.push({ id: `inst-${k}`, title: `Instrument ${k}`, tier: 1 + (k % 4), effects: [] });
    const members = Array.from({ length: 5 }, (_, j) => `b${(k * 7 + j * 13) % o.benchmarks}`);
    gates.push({
      instrument: `inst-${k}`,
      rule:
        k % 2 === 0
          ? { kind: 'all', benchmarks: [...new Set(members)] }
          : { kind: 'at-least', count: 3, benchmarks: [...new Set(members)] },
    });
  }

  const ledger: Evidence[] = [];
  for (let n = 0; n < o.evidence; n++) {
    const i = Math.floor(rand() * o.benchmarks);
    const kind = pick(kindsOf[i] as string[]);
    const day = fromDayNumber(start + Math.floor(rand() * span));
    const r = rand();
    const lag = r < 0.7 ? 0 : r < 0.95 ? 1 + Math.floor(rand() * 30) : 30 + Math.floor(rand() * 335);
    const grade = pick(['A', 'B', 'C', 'D'] as const);
    const e: Evidence = {
      id: `ev-${String(n).padStart(6, '0')}`,
      kind,
      actors: [pick([`p${i}a`, `p${i}b`])],
      description: `Synthetic ${kind}`,
      occurred: day,
      occurredTo: day,
      reported: addDays(day, lag),
      recorded: '2026-01-01',
      sources: [
        {
          publisher: pick(['Wire A', 'Wire B', 'Paper C']),
          title: 'Synthetic report',
          date: day,
          reliability: grade,
          credibility: pick([1, 2, 3, 4] as const),
        },
      ],
      tags: [],
      ...(kind.startsWith('progress') ? { quantity: { value: Math.floor(rand() * 30), of: 30 } } : {}),
      ...(kind.startsWith('aid') ? { amount: Math.floor(rand() * 2_000_000), currency: 'USD' } : {}),
    };
    ledger.push(e);
    if (rand() < 0.01 && n > 0) {
      const target = ledger[Math.floor(rand() * (ledger.length - 1))] as Evidence;
      if (!ledger.some((x) => x.supersedes === target.id)) {
        ledger.push({
          ...target,
          id: `${target.id}-fix`,
          supersedes: target.id,
          reported: addDays(target.reported, 60),
          retracted: rand() < 0.3,
        });
      }
    }
  }
  return {
    case: {
      id: 'synthetic',
      title: 'Synthetic case',
      principal: 'principal',
      counterpart: 'counterpart',
      actors,
      interests: [],
      instruments,
      indicators,
      benchmarks,
      gates,
      waivers: [],
      justifications: [],
      reviews,
    },
    ledger,
  };
}
