/**
 * A case prepared for evaluation: expressions compiled once, actor membership closed
 * transitively, lookups by id. Compiling a validated case never fails; an invalid
 * expression here is a bug in the caller's validation and throws.
 */
import type { Benchmark, Case, FindingIndicator, Indicator, Interest, ReviewDate } from './case-model.ts';
import type { Evidence } from './evidence.ts';
import {
  type CompiledCondition,
  compileCondition,
  compileEvidenceFilter,
  type EvidencePredicate,
  type IndicatorValueType,
} from './expressions.ts';
import { SERIES_KIND_PREFIX } from './series.ts';

export interface CompiledIndicator {
  readonly indicator: Indicator;
  readonly valueType: IndicatorValueType;
  /** True when the item is read by this indicator. */
  readonly matches: (e: Evidence) => boolean;
  /** Evidence kinds this indicator can read; undefined means any kind. */
  readonly kinds: ReadonlySet<string> | undefined;
  /** For a finding indicator: the benchmark whose findings it reads (it reads no other item, whatever its kind). */
  readonly findingOf?: string;
}

export interface CompiledBenchmark {
  readonly benchmark: Benchmark;
  readonly conditions: readonly CompiledCondition[];
  readonly indicators: readonly CompiledIndicator[];
  readonly reviews: readonly ReviewDate[];
  /**
   * For a benchmark decided by findings with the bar `fulfilled`: the position of the
   * finding clause among `conditions`, and that clause relaxed to "at least partially
   * fulfilled". The status is `partial` when only the finding clause fails and the relaxed
   * one holds.
   */
  readonly partial?: { readonly clause: number; readonly relaxed: CompiledCondition };
}

export interface CompiledCase {
  readonly case: Case;
  readonly indicators: ReadonlyMap<string, CompiledIndicator>;
  readonly benchmarks: ReadonlyMap<string, CompiledBenchmark>;
  readonly interests: ReadonlyMap<string, Interest>;
  /** Every actor with the groups and states it belongs to, transitively (itself included). */
  readonly actorClosure: ReadonlyMap<string, ReadonlySet<string>>;
}

export function indicatorValueType(ind: Indicator): IndicatorValueType {
  switch (ind.kind) {
    case 'count':
    case 'state':
      return 'int';
    case 'sum':
    case 'latest':
    case 'series':
      return 'double';
    case 'exists':
      return 'bool';
    case 'finding':
      return 'int';
  }
}

const FINDING_INDICATOR_PREFIX = 'finding:';

/** The id of the indicator the engine creates for a benchmark's findings. */
export function findingIndicatorId(benchmark: string): string {
  return `${FINDING_INDICATOR_PREFIX}${benchmark}`;
}

/** How an indicator is named in words: its id, or "the findings on <benchmark>" for the engine's finding indicator. */
export function indicatorInWords(id: string): string {
  return id.startsWith(FINDING_INDICATOR_PREFIX) ? `the findings on ${id.slice(FINDING_INDICATOR_PREFIX.length)}` : id;
}

/** An indicator's gap as a clause: "<id>: <reason>", or the reason alone for a finding indicator (it names the finding). */
export function gapInWords(g: { readonly indicator: string; readonly reason: string }): string {
  return g.indicator.startsWith(FINDING_INDICATOR_PREFIX) ? g.reason : `${g.indicator}: ${g.reason}`;
}

const GRADE_BAR = { fulfilled: 2, 'partially-fulfilled': 1 } as const;

/** "The latest finding … reaches the bar", as a condition clause over the finding indicator. */
function findingClause(indicator: FindingIndicator, bar: keyof typeof GRADE_BAR): CompiledCondition {
  const id = indicator.id;
  const need = GRADE_BAR[bar];
  const by = indicator.assessor === undefined ? '' : ` by ${indicator.assessor}`;
  const source = `the latest finding${by} is ${bar === 'fulfilled' ? 'fulfilled' : 'fulfilled or partially fulfilled'}`;
  return {
    source,
    uses: [id],
    evaluate: (values) => {
      const v = values.get(id);
      return typeof v === 'number' && v >= need;
    },
    decide: (bounds) => {
      const b = bounds[0];
      if (b === undefined) return undefined;
      if (b.lo >= need) return true;
      if (b.hi < need) return false;
      return undefined;
    },
  };
}

export function closeActorMembership(c: Case): Map<string, Set<string>> {
  const direct = new Map<string, readonly string[]>(c.actors.map((a) => [a.id, a.memberOf]));
  const closure = new Map<string, Set<string>>();
  for (const a of c.actors) {
    const seen = new Set<string>([a.id]);
    const stack = [...a.memberOf];
    while (stack.length > 0) {
      const next = stack.pop() as string;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(direct.get(next) ?? []));
    }
    closure.set(a.id, seen);
  }
  return closure;
}

export function compileCase(c: Case): CompiledCase {
  const actorClosure = closeActorMembership(c);
  const involves = (e: Evidence, actors: readonly string[]): boolean => {
    for (const a of e.actors) {
      const closed = actorClosure.get(a);
      for (const want of actors) if (a === want || closed?.has(want) === true) return true;
    }
    return false;
  };

  const indicators = new Map<string, CompiledIndicator>();
  for (const ind of c.indicators) {
    let where: EvidencePredicate | undefined;
    if (ind.filter.where !== undefined) {
      const compiled = compileEvidenceFilter(ind.filter.where);
      if (!compiled.ok) throw new Error(`indicator ${ind.id}: ${compiled.message}`);
      where = compiled.value;
    }
    const filterKinds = ind.filter.kinds.length > 0 ? new Set(ind.filter.kinds) : undefined;
    let kinds = filterKinds;
    if (ind.kind === 'state') {
      const switching = new Set([...ind.on, ...ind.off]);
      kinds = filterKinds === undefined ? switching : new Set([...switching].filter((k) => filterKinds.has(k)));
    }
    if (ind.kind === 'series') kinds = new Set([`${SERIES_KIND_PREFIX}${ind.id}`]);
    const subjects = ind.kind === 'state' ? ind.subjects : [];
    const matches = (e: Evidence): boolean => {
      if (kinds !== undefined && !kinds.has(e.kind)) return false;
      if (ind.filter.actors.length > 0 && !involves(e, ind.filter.actors)) return false;
      if (subjects.length > 0 && !e.actors.some((a) => subjects.includes(a))) return false;
      return where === undefined || where(e);
    };
    indicators.set(ind.id, { indicator: ind, valueType: indicatorValueType(ind), matches, kinds });
  }

  const types = new Map<string, IndicatorValueType>([...indicators].map(([id, ci]) => [id, ci.valueType]));
  const benchmarks = new Map<string, CompiledBenchmark>();
  for (const b of c.benchmarks) {
    const conditions = b.conditions.map((source) => {
      const compiled = compileCondition(source, types);
      if (!compiled.ok) throw new Error(`benchmark ${b.id}: ${compiled.message}`);
      return compiled.value;
    });
    let partial: CompiledBenchmark['partial'];
    if (b.finding !== undefined) {
      const ind: FindingIndicator = {
        id: findingIndicatorId(b.id),
        kind: 'finding',
        title: `Findings on ${b.id}`,
        filter: { kinds: [], actors: [] },
        benchmark: b.id,
        ...(b.finding.assessor === undefined ? {} : { assessor: b.finding.assessor }),
      };
      const assessor = b.finding.assessor;
      const matches = (e: Evidence): boolean =>
        e.finding !== undefined && e.finding.benchmark === b.id && (assessor === undefined || e.finding.assessor === assessor);
      indicators.set(ind.id, { indicator: ind, valueType: 'int', matches, kinds: undefined, findingOf: b.id });
      conditions.push(findingClause(ind, b.finding.bar));
      if (b.finding.bar === 'fulfilled')
        partial = { clause: conditions.length - 1, relaxed: findingClause(ind, 'partially-fulfilled') };
    }
    const used = [...new Set(conditions.flatMap((cc) => cc.uses))].sort();
    const reviews =
      b.review === undefined
        ? []
        : c.reviews.filter((r) => r.calendar === b.review?.calendar).sort((x, y) => (x.date < y.date ? -1 : 1));
    benchmarks.set(b.id, {
      benchmark: b,
      conditions,
      indicators: used.map((id) => indicators.get(id) as CompiledIndicator),
      reviews,
      ...(partial === undefined ? {} : { partial }),
    });
  }
  return {
    case: c,
    indicators,
    benchmarks,
    interests: new Map(c.interests.map((i) => [i.id, i])),
    actorClosure,
  };
}
