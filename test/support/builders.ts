/**
 * Builders for small cases and evidence in tests: plain data with sensible defaults,
 * so a test states only what it is about.
 */
import type {
  Actor,
  Benchmark,
  BenchmarkGroup,
  Case,
  CaseIndicator,
  Gate,
  Indicator,
  Instrument,
  Interest,
  IssueArea,
  Justification,
  Monitoring,
  ReviewDate,
  Waiver,
} from '../../src/core/case-model.ts';
import { type Duration, parseDuration, ZERO_DURATION } from '../../src/core/dates.ts';
import type { Evidence, EvidenceSource } from '../../src/core/evidence.ts';

export function source(overrides: Partial<EvidenceSource> = {}): EvidenceSource {
  return { publisher: 'Example Wire', title: 'Report', date: '2020-01-01', reliability: 'B', credibility: 2, ...overrides };
}

export function evidence(id: string, kind: string, date: string, overrides: Partial<Evidence> = {}): Evidence {
  return {
    id,
    kind,
    actors: ['leader'],
    description: `${kind} on ${date}`,
    occurred: date,
    occurredTo: date,
    reported: date,
    recorded: '2026-01-01',
    sources: [source({ date })],
    tags: [],
    ...overrides,
  };
}

export function actor(id: string, overrides: Partial<Actor> = {}): Actor {
  return { id, name: id, kind: 'person', aliases: [], cameo: [], memberOf: [], ...overrides };
}

export function custodyIndicator(overrides: Partial<Extract<Indicator, { kind: 'state' }>> = {}): CaseIndicator {
  return {
    id: 'in_custody',
    title: 'In custody',
    kind: 'state',
    filter: { kinds: [], actors: [] },
    subjects: ['leader'],
    on: ['arrest', 'detention', 'conviction'],
    off: ['release', 'bail', 'acquittal'],
    initial: 'off',
    ...overrides,
  };
}

export function benchmark(overrides: Partial<Benchmark> = {}): Benchmark {
  return {
    id: 'custody',
    title: 'Leader held in custody, durably',
    conditions: ['in_custody == 1'],
    indicators: ['in_custody'],
    duration: parseDuration('P12M'),
    reversals: ['release', 'bail', 'acquittal'],
    verification: { minReliability: 'B', minCredibility: 3, minSources: 1 },
    ...overrides,
  };
}

export interface CaseParts {
  actors?: Actor[];
  interests?: Interest[];
  instruments?: Instrument[];
  indicators?: CaseIndicator[];
  benchmarks?: Benchmark[];
  groups?: BenchmarkGroup[];
  gates?: Gate[];
  waivers?: Waiver[];
  justifications?: Justification[];
  reviews?: ReviewDate[];
  issueAreas?: IssueArea[];
  monitoring?: readonly Monitoring[];
  stale?: Duration;
}

export function makeCase(parts: CaseParts = {}): Case {
  return {
    id: 'test-case',
    title: 'Test case',
    principal: 'principal',
    counterpart: 'counterpart',
    actors: parts.actors ?? [actor('principal', { kind: 'state' }), actor('counterpart', { kind: 'state' }), actor('leader')],
    interests: parts.interests ?? [],
    instruments: parts.instruments ?? [],
    indicators: parts.indicators ?? [custodyIndicator()],
    benchmarks: parts.benchmarks ?? [benchmark()],
    ...(parts.groups === undefined ? {} : { groups: parts.groups }),
    gates: parts.gates ?? [],
    waivers: parts.waivers ?? [],
    justifications: parts.justifications ?? [],
    reviews: parts.reviews ?? [],
    ...(parts.issueAreas === undefined ? {} : { issueAreas: parts.issueAreas }),
    ...(parts.monitoring === undefined ? {} : { monitoring: parts.monitoring }),
    ...(parts.stale === undefined ? {} : { stale: parts.stale }),
  };
}

export { parseDuration, ZERO_DURATION };

/** A benchmark met when an indicator is zero ("no attacks"): no duration, nothing undoes it. */
export function absenceBenchmark(id: string, title: string, indicator: string, overrides: Partial<Benchmark> = {}): Benchmark {
  return benchmark({
    id,
    title,
    conditions: [`${indicator} == 0`],
    indicators: [indicator],
    duration: ZERO_DURATION,
    reversals: [],
    ...overrides,
  });
}
