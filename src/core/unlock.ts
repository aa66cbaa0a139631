/**
 * The path to unlock: for an instrument its gate does not unlock, which benchmarks would
 * have to be met, what each still needs in plain words, and the earliest day it could be.
 *
 * Contract:
 * - A blocker is a benchmark of the rule in force that is not `met`. Its `earliest` is the
 *   first day it could be met were the evidence it needs to appear on the as-of date and
 *   nothing to undo it afterwards:
 *   - `pending`: its conditions already hold, so the day its duration completes;
 *   - otherwise: the first day, from the as-of date on, on which new evidence could make
 *     every clause hold — each indicator's bound widened by what new items can do to it
 *     (counts and sums of amounts only grow, states can switch either way, latest values
 *     and external series can take any value) while the items known now leave their
 *     windows — then deferred to the next review when the benchmark counts actions timed to
 *     a review only from it (`countAfterReview`), plus the duration.
 *   The widening is generous, so `earliest` is a lower bound: no day before it is possible.
 * - `possible: false` only when no evidence the case could record moves the blocker: no
 *   values of its indicators satisfy its conditions, now or as the windows move on, or the
 *   benchmark's validity ends before it could be met. The instrument cannot unlock when
 *   every set needs such a blocker, or when its own validity ends first.
 * - `sets` are the minimal sets of blockers whose meeting would unlock the instrument under
 *   its rule (benchmarks met now are assumed to stay met): one set for `all`, one per
 *   benchmark for `any`, the combinations for `at-least`, the inclusion-minimal sets that
 *   reach the threshold for `weighted`. At most `MAX_SETS` are listed, those that could be
 *   met first first; `setsTotal` counts them all (null when the weighted search was cut).
 * - `earliest` for the instrument is the earliest day some set could be met (the latest
 *   blocker of the best set), or the day its gate lapses if that is sooner.
 * - Pure: no clock, no I/O.
 */

import type { BenchmarkStatusKind, BenchmarkStream } from './benchmark-stream.ts';
import { decideClauseAt } from './benchmark-stream.ts';
import { type BenchmarkResult, isTrivialBar } from './benchmarks.ts';
import { type Bound, UNBOUNDED } from './bounds.ts';
import type { Case, Gate, GateRule, Indicator, Instrument, Verification, Waiver } from './case-model.ts';
import {
  addDays,
  addDuration,
  durationWords,
  type IsoDate,
  isZeroDuration,
  maxDate,
  minDate,
  subtractDuration,
} from './dates.ts';
import { describeGateRule, type GateDecision, isNested, ruleBenchmarks, ruleInstruments, ruleTruth } from './gates.ts';
import { FULL_LEVEL, type IndicatorState, type SubjectNow } from './indicators.ts';
import { listWords } from './words.ts';

export const MAX_SETS = 20;
/** How many times the windows may move on before the search for a feasible day stops. */
export const MAX_LOOKAHEAD_STEPS = 2000;
/** How many nodes the search for weighted sets may visit. */
const MAX_WEIGHTED_NODES = 20000;

export interface Blocker {
  readonly benchmark: string;
  readonly title: string;
  readonly status: BenchmarkStatusKind;
  /** What the benchmark still needs, in plain words: what the evidence says now, and what would satisfy it. */
  readonly needs: string;
  /** The earliest day it could be met were the needed evidence to appear on the as-of date; null when it cannot be. */
  readonly earliest: IsoDate | null;
  readonly possible: boolean;
  /** What the date rests on, or why the benchmark cannot be met. */
  readonly why: string;
}

export interface UnlockPath {
  /** Minimal sets of blocker ids whose meeting would unlock the instrument, soonest first (at most `MAX_SETS`). */
  readonly sets: readonly (readonly string[])[];
  /** How many such sets there are (null when the search for weighted sets was cut short). */
  readonly setsTotal: number | null;
  /** The earliest day the instrument could unlock; null when it cannot (or no day was found). */
  readonly earliest: IsoDate | null;
  readonly possible: boolean;
  readonly why: string;
  /** The benchmarks of the rule not met now, in rule order. */
  readonly blockers: readonly Blocker[];
}

/** What new items can do to an indicator's bound: counts and sums of amounts grow; states switch; the rest may take any value. */
export function widenFor(indicator: Indicator, b: Bound): Bound {
  switch (indicator.kind) {
    case 'count':
      return { lo: b.lo, hi: Number.POSITIVE_INFINITY };
    case 'exists':
      return { lo: b.lo, hi: 1 };
    case 'sum':
      return indicator.field === 'amount' ? { lo: b.lo, hi: Number.POSITIVE_INFINITY } : UNBOUNDED;
    case 'state':
      return { lo: 0, hi: new Set(indicator.subjects).size };
    case 'finding':
      return { lo: 0, hi: 2 };
    default:
      return UNBOUNDED;
  }
}

export function describeBar(v: Verification): string {
  return `on evidence graded ${v.minReliability}${v.minCredibility} or better from ${v.minSources} independent source${v.minSources === 1 ? '' : 's'}`;
}

function subjectNow(s: SubjectNow, name: (id: string) => string): string {
  const r = s.record;
  if (r === undefined) return `${name(s.subject)}: no record`;
  const last = `${r.item.kind} ${r.item.occurredTo} [${r.item.id}]`;
  return s.state === 'unknown'
    ? `${name(s.subject)}: unknown (last record ${last}, unwatched since)`
    : `${name(s.subject)}: ${last}`;
}

/** A clause with indicator ids replaced by their titles. */
function clauseWords(clause: string, indicators: readonly Indicator[]): string {
  let out = clause;
  for (const ind of [...indicators].sort((a, b) => b.id.length - a.id.length)) {
    out = out.replace(new RegExp(`\\b${ind.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'g'), `“${ind.title}”`);
  }
  return out;
}

/**
 * What one clause that does not hold needs: for a state indicator the subjects to switch
 * and how, for a count that must fall the items to leave its window (and the monitoring to
 * vouch for it); otherwise the clause in words with what the indicators are now.
 */
function clauseNeeds(stream: BenchmarkStream, clauseAt: number, asOf: IsoDate, name: (id: string) => string): string {
  const cb = stream.compiled;
  const uses = stream.clauseUses()[clauseAt] as readonly number[];
  const states = stream.indicatorStates();
  const condition = cb.conditions[clauseAt];
  const clause = condition?.source ?? '';
  if (condition !== undefined && uses.length === 1) {
    const pos = uses[0] as number;
    const st = states[pos] as IndicatorState;
    const ind = st.indicator;
    const base = states.map((s) => s.bound(FULL_LEVEL));
    const holdsWith = (b: Bound) => {
      const bounds = [...base];
      bounds[pos] = b;
      return decideClauseAt(condition, uses, bounds) === true;
    };
    if (ind.kind === 'state' && st.subjectStates !== undefined) {
      const n = new Set(ind.subjects).size;
      const subjects = st.subjectStates();
      const allOn = holdsWith({ lo: n, hi: n });
      const allOff = holdsWith({ lo: 0, hi: 0 });
      if (allOn && !allOff) {
        const todo = subjects.filter((s) => s.state !== 'on');
        return `${todo.map((s) => subjectNow(s, name)).join('; ')}; needed: ${todo.length === 1 ? '' : 'each '}${listWords(ind.on, 'or')}`;
      }
      if (allOff && !allOn) {
        const todo = subjects.filter((s) => s.state !== 'off');
        return `${todo.map((s) => subjectNow(s, name)).join('; ')}; needed: ${todo.length === 1 ? '' : 'each '}${listWords(ind.off, 'or')}`;
      }
    }
    if ((ind.kind === 'count' || ind.kind === 'exists' || ind.kind === 'sum') && holdsWith({ lo: 0, hi: 0 })) {
      const b = st.bound(FULL_LEVEL);
      const window = ind.window === undefined ? '' : ` in the trailing ${durationWords(ind.window)}`;
      const support = st.support();
      const latest = support[support.length - 1];
      const recorded =
        b.lo > 0
          ? `${ind.title}: ${support.length} recorded${window}${latest === undefined ? '' : ` (latest ${latest.item.occurredTo} [${latest.item.id}])`}`
          : `${ind.title}: none recorded${window}`;
      const watch = 'monitoring that vouches for the whole window (no record proves nothing unwatched)';
      const needed: string[] = [];
      if (b.lo > 0)
        needed.push(
          ind.window !== undefined ? `the recorded ones to leave the ${durationWords(ind.window)} window with none new` : 'none',
        );
      if (!st.watched()) needed.push(watch);
      if (needed.length === 0) needed.push('none new');
      return `${recorded}; needed: ${needed.join(', and ')}`;
    }
  }
  const now = uses.map((p) => (states[p] as IndicatorState).describe(asOf)).join('; ');
  if (uses.length === 1 && (states[uses[0] as number] as IndicatorState).indicator.kind === 'finding') {
    const ind = (states[uses[0] as number] as IndicatorState).indicator;
    const by = ind.kind === 'finding' && ind.assessor !== undefined ? ` by ${ind.assessor}` : '';
    const grade = clause.endsWith('partially fulfilled') ? 'fulfilled or partially fulfilled' : 'fulfilled';
    return `${now}; needed: a finding${by} grading it ${grade}`;
  }
  return `${now}; needed: ${clauseWords(
    clause,
    uses.map((p) => (states[p] as IndicatorState).indicator),
  )}`;
}

/** The review day an action on `start` would count from under the benchmark's review rule, if it is timed to one. */
function deferredTo(stream: BenchmarkStream, start: IsoDate): { day: IsoDate; title: string } | undefined {
  const rule = stream.compiled.benchmark.review;
  if (rule?.countAfterReview !== true) return undefined;
  const next = stream.compiled.reviews.find((r) => r.date > start);
  if (next === undefined || subtractDuration(next.date, rule.window) > start) return undefined;
  return { day: next.date, title: next.title };
}

/**
 * The blocker for a benchmark not met as of `asOf`, from its verified stream advanced to
 * `asOf` and its explained result.
 */
export function blockerOf(stream: BenchmarkStream, result: BenchmarkResult, c: Case, asOf: IsoDate): Blocker {
  const b = stream.compiled.benchmark;
  const actors = new Map(c.actors.map((a) => [a.id, a.name]));
  const name = (id: string) => actors.get(id) ?? id;
  const held = isZeroDuration(b.duration) ? '' : `, held for ${durationWords(b.duration)}`;
  const bar = isTrivialBar(b.verification) ? '' : ` (${describeBar(b.verification)})`;
  const base = { benchmark: b.id, title: b.title, status: result.status };
  const until = b.validity?.until;
  const lapses = (earliest: IsoDate) =>
    until !== undefined && until < earliest
      ? {
          earliest: null,
          possible: false,
          lapse: `the benchmark lapses on ${until}, before it could be met (${earliest} at the earliest)`,
        }
      : undefined;
  if (result.status === 'pending' && result.since !== null) {
    const earliest = addDuration(result.since, b.duration);
    const reversals = b.reversals.length === 0 ? 'nothing undoing it' : `no ${listWords(b.reversals, 'or')}`;
    const needs = `its conditions hold since ${result.since}; needed: ${reversals} before ${earliest}`;
    const lapse = lapses(earliest);
    if (lapse !== undefined) return { ...base, needs, earliest: null, possible: false, why: lapse.lapse };
    return {
      ...base,
      needs,
      earliest,
      possible: true,
      why: `met on ${earliest} if it holds ${durationWords(b.duration)} from ${result.since}`,
    };
  }
  const clauses = stream.clauseValues();
  const open = clauses.flatMap((v, i) => (v === true ? [] : [i]));
  const needs = `${open.map((i) => clauseNeeds(stream, i, asOf, name)).join('; ')}${held}${bar}`;
  const compiled = stream.compiled.indicators;
  const search = stream.firstFeasibleDay(
    (i, bound) => widenFor((compiled[i] as { indicator: Indicator }).indicator, bound),
    MAX_LOOKAHEAD_STEPS,
  );
  if (search.day === undefined) {
    if (search.exhausted) {
      return {
        ...base,
        needs,
        earliest: null,
        possible: true,
        why: `no day found within ${MAX_LOOKAHEAD_STEPS} changes of its windows: it may become possible later`,
      };
    }
    return {
      ...base,
      needs,
      earliest: null,
      possible: false,
      why: 'no evidence the case could record satisfies its conditions, now or as its windows move on',
    };
  }
  const feasible = maxDate(search.day, asOf);
  let start = feasible;
  const from = b.validity?.from;
  const applies = from !== undefined && from > start ? from : undefined;
  if (applies !== undefined) start = applies;
  const review = deferredTo(stream, start);
  if (review !== undefined) start = review.day;
  const earliest = addDuration(start, b.duration);
  const lapse = lapses(earliest);
  if (lapse !== undefined) return { ...base, needs, earliest: null, possible: false, why: lapse.lapse };
  const parts: string[] = [
    feasible > asOf
      ? `evidence could satisfy it no sooner than ${feasible}, when the recorded items leave their window`
      : `were the needed evidence to appear on ${asOf}`,
  ];
  if (applies !== undefined) parts.push(`counted from ${applies}, when the benchmark applies`);
  if (review !== undefined) parts.push(`counted only from ${review.title} (${review.day})`);
  if (!isZeroDuration(b.duration)) parts.push(`then held for ${durationWords(b.duration)}`);
  return { ...base, needs, earliest, possible: true, why: parts.join(', ') };
}

function byEarliest(a: Blocker, b: Blocker): number {
  const x = a.earliest ?? '9999-12-31';
  const y = b.earliest ?? '9999-12-31';
  return x < y ? -1 : x > y ? 1 : a.benchmark < b.benchmark ? -1 : a.benchmark > b.benchmark ? 1 : 0;
}

function latestOf(set: readonly Blocker[]): IsoDate | null {
  let out: IsoDate | null = null;
  for (const b of set) {
    if (!b.possible || b.earliest === null) return null;
    if (out === null || b.earliest > out) out = b.earliest;
  }
  return out;
}

function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/** The first `limit` k-combinations of `items` in lexicographic order of position. */
function combinations<T>(items: readonly T[], k: number, limit: number): T[][] {
  const out: T[][] = [];
  if (k <= 0 || k > items.length) return k === 0 ? [[]] : out;
  const idx = Array.from({ length: k }, (_, i) => i);
  while (out.length < limit) {
    out.push(idx.map((i) => items[i] as T));
    let i = k - 1;
    while (i >= 0 && idx[i] === items.length - k + i) i--;
    if (i < 0) break;
    idx[i] = (idx[i] as number) + 1;
    for (let j = i + 1; j < k; j++) idx[j] = (idx[j - 1] as number) + 1;
  }
  return out;
}

/** Inclusion-minimal sets of blockers whose weights reach `need` (depth-first, soonest first, bounded). */
function weightedSets(
  blockers: readonly Blocker[],
  weight: (id: string) => number,
  need: number,
): { sets: Blocker[][]; total: number | null } {
  const sets: Blocker[][] = [];
  let total = 0;
  let nodes = 0;
  let cut = false;
  const chosen: Blocker[] = [];
  const minimal = (set: readonly Blocker[], sum: number) => set.every((b) => sum - weight(b.benchmark) < need);
  const walk = (from: number, sum: number) => {
    if (cut) return;
    if (++nodes > MAX_WEIGHTED_NODES) {
      cut = true;
      return;
    }
    if (sum >= need) {
      if (minimal(chosen, sum)) {
        total += 1;
        if (sets.length < MAX_SETS) sets.push([...chosen]);
      }
      return;
    }
    for (let i = from; i < blockers.length; i++) {
      const b = blockers[i] as Blocker;
      if (weight(b.benchmark) <= 0) continue;
      chosen.push(b);
      walk(i + 1, sum + weight(b.benchmark));
      chosen.pop();
    }
  };
  walk(0, 0);
  return { sets, total: cut ? null : total };
}

/**
 * The path to unlock an instrument whose decision is `locked`, `unknown` or `waived`
 * (null for others), under the rule in force, given a blocker for each benchmark of it
 * that is not met.
 */
export function unlockPathOf(
  instrument: Instrument,
  gate: Gate | undefined,
  rule: GateRule,
  decision: GateDecision,
  waivers: readonly Waiver[],
  statuses: ReadonlyMap<string, BenchmarkStatusKind>,
  blockerFor: (benchmark: string) => Blocker,
  asOf: IsoDate,
): UnlockPath | null {
  if (decision === 'unlocked' || decision === 'not-applicable') return null;
  const others = ruleInstruments(rule);
  if (others.length > 0) {
    const blockers = ruleBenchmarks(rule)
      .filter((id) => statuses.get(id) !== 'met')
      .map(blockerFor);
    return finishPath(instrument, gate, waivers, asOf, decision, {
      sets: [],
      setsTotal: null,
      earliest: null,
      possible: true,
      ruleWhy: `its rule reads the decisions of ${others.join(', ')}: see what would unlock ${others.length === 1 ? 'it' : 'them'}; no earliest day is computed across instruments`,
      blockers,
    });
  }
  if (isNested(rule)) return finishPath(instrument, gate, waivers, asOf, decision, nestedPath(rule, statuses, blockerFor, asOf));
  const ids = ruleBenchmarks(rule);
  // Every benchmark of the rule is out of force on this date, as under a rule of none.
  if (ids.length === 0 && rule.kind !== 'none')
    return finishPath(instrument, gate, waivers, asOf, decision, {
      sets: [],
      setsTotal: 0,
      earliest: null,
      possible: false,
      ruleWhy: 'no benchmark of its rule applies on this date',
      blockers: [],
    });
  const met = ids.filter((id) => statuses.get(id) === 'met');
  const blockers = ids.filter((id) => statuses.get(id) !== 'met').map(blockerFor);
  const ordered = [...blockers].sort(byEarliest);
  const possibleOnes = ordered.filter((b) => b.possible && b.earliest !== null);
  let sets: Blocker[][] = [];
  let setsTotal: number | null = 0;
  let earliest: IsoDate | null = null;
  let possible = false;
  let ruleWhy = '';
  switch (rule.kind) {
    case 'none':
      // The rule in force is none but the decision is not unlocked: no benchmark of the rule applies.
      ruleWhy = 'no benchmark of its rule applies on this date';
      setsTotal = 0;
      break;
    case 'all':
      sets = blockers.length === 0 ? [] : [blockers];
      setsTotal = sets.length;
      earliest = latestOf(blockers);
      possible = blockers.every((b) => b.possible);
      ruleWhy = `needs all ${blockers.length} of its unmet benchmarks`;
      break;
    case 'any':
      sets = ordered.slice(0, MAX_SETS).map((b) => [b]);
      setsTotal = ordered.length;
      earliest = possibleOnes[0]?.earliest ?? null;
      possible = ordered.some((b) => b.possible);
      ruleWhy = `needs any one of ${blockers.length} benchmarks`;
      break;
    case 'at-least': {
      const more = Math.max(0, rule.count - met.length);
      sets = combinations(ordered, more, MAX_SETS);
      setsTotal = binomial(ordered.length, more);
      earliest = more === 0 ? asOf : (possibleOnes[more - 1]?.earliest ?? null);
      possible = ordered.filter((b) => b.possible).length >= more;
      ruleWhy = `needs ${more} more of ${blockers.length} unmet benchmarks (${met.length} of ${rule.count} met)`;
      break;
    }
    case 'weighted': {
      const weights = new Map(rule.weights.map((w) => [w.benchmark, w.weight]));
      const weight = (id: string) => weights.get(id) ?? 0;
      const have = met.reduce((s, id) => s + weight(id), 0);
      const need = rule.threshold - have;
      const found = weightedSets(ordered, weight, need);
      sets = found.sets;
      setsTotal = found.total;
      let acc = 0;
      for (const b of possibleOnes) {
        acc += weight(b.benchmark);
        if (acc >= need) {
          earliest = b.earliest;
          break;
        }
      }
      possible = ordered.filter((b) => b.possible).reduce((s, b) => s + weight(b.benchmark), 0) >= need;
      ruleWhy = `needs further weight ${need} of its unmet benchmarks to reach ${rule.threshold}`;
      break;
    }
  }
  return finishPath(instrument, gate, waivers, asOf, decision, { sets, setsTotal, earliest, possible, ruleWhy, blockers });
}

/** The path under a rule, before the gate's and instrument's own dates and future waivers are weighed. */
interface RulePath {
  readonly sets: Blocker[][];
  readonly setsTotal: number | null;
  readonly earliest: IsoDate | null;
  readonly possible: boolean;
  readonly ruleWhy: string;
  readonly blockers: readonly Blocker[];
}

/** One cheapest way to make a nested rule hold: per term, the blockers it needs (undefined: it cannot hold). */
function needOf(
  rule: GateRule,
  statuses: ReadonlyMap<string, BenchmarkStatusKind>,
  blockerFor: (benchmark: string) => Blocker,
): Blocker[] | undefined {
  if (rule.kind === 'none') return [];
  const leaf = (id: string): Blocker[] | undefined => {
    if (statuses.get(id) === 'met') return [];
    const b = blockerFor(id);
    return b.possible ? [b] : undefined;
  };
  if (rule.kind === 'weighted') {
    const all = rule.weights.map((w) => leaf(w.benchmark));
    return all.some((x) => x === undefined) ? undefined : [...new Set(all.flat() as Blocker[])];
  }
  const needs = [...rule.benchmarks.map(leaf), ...(rule.rules ?? []).map((r) => needOf(r, statuses, blockerFor))];
  const cost = (n: Blocker[]) => [n.length, latestOf(n) ?? '9999-12-31'] as const;
  const cheapest = needs
    .filter((n): n is Blocker[] => n !== undefined)
    .sort((a, b) => {
      const [x, dx] = cost(a);
      const [y, dy] = cost(b);
      return x - y || (dx < dy ? -1 : dx > dy ? 1 : 0);
    });
  const union = (ns: readonly Blocker[][]) => [...new Set(ns.flat())];
  switch (rule.kind) {
    case 'all':
      return needs.some((n) => n === undefined) || needs.length === 0 ? undefined : union(needs as Blocker[][]);
    case 'any':
      return cheapest[0];
    case 'at-least':
      return cheapest.length < rule.count ? undefined : union(cheapest.slice(0, rule.count));
  }
}

/** The path under a rule that nests rules: one cheapest set of blockers, term by term. */
function nestedPath(
  rule: GateRule,
  statuses: ReadonlyMap<string, BenchmarkStatusKind>,
  blockerFor: (benchmark: string) => Blocker,
  asOf: IsoDate,
): RulePath {
  const blockers = ruleBenchmarks(rule)
    .filter((id) => statuses.get(id) !== 'met')
    .map(blockerFor);
  const need = needOf(rule, statuses, blockerFor);
  if (need === undefined) {
    return {
      sets: [],
      setsTotal: 0,
      earliest: null,
      possible: false,
      ruleWhy: `needs its nested rule to hold: ${describeGateRule(rule)}`,
      blockers,
    };
  }
  // The greedy set may hold more than needed (a member counted for a list and needed for its block too):
  // drop each blocker, latest first, that the rule can do without.
  const kept = [...need].sort((a, b) => byEarliest(b, a));
  // The statuses with every blocker still kept assumed met: each is tried at its own status in turn.
  const assumed = new Map(statuses);
  for (const x of kept) assumed.set(x.benchmark, 'met');
  for (const b of [...kept]) {
    const own = statuses.get(b.benchmark);
    if (own === undefined) assumed.delete(b.benchmark);
    else assumed.set(b.benchmark, own);
    if (ruleTruth(rule, assumed) === 'yes') kept.splice(kept.indexOf(b), 1);
    else assumed.set(b.benchmark, 'met');
  }
  const set = kept.sort(byEarliest);
  return {
    sets: set.length === 0 ? [] : [set],
    // Only one cheapest set is searched for under nested rules; how many others exist is not counted.
    setsTotal: null,
    earliest: set.length === 0 ? asOf : latestOf(set),
    possible: true,
    ruleWhy: `needs ${set.length} more benchmark${set.length === 1 ? '' : 's'} met to make its nested rule hold (one cheapest way: ${set.map((b) => b.benchmark).join(', ') || 'none'})`,
    blockers,
  };
}

function finishPath(
  instrument: Instrument,
  gate: Gate | undefined,
  waivers: readonly Waiver[],
  asOf: IsoDate,
  decision: GateDecision,
  path: RulePath,
): UnlockPath {
  const { sets, setsTotal, ruleWhy, blockers } = path;
  let { earliest, possible } = path;
  if (!possible) earliest = null;
  const why: string[] = [];
  if (decision === 'waived') why.push('waived now; without the waiver');
  why.push(ruleWhy);
  if (!possible) {
    const stuck = blockers.filter((b) => !b.possible);
    why.push(
      stuck.length === 0
        ? 'cannot unlock as written'
        : `cannot unlock as written: ${stuck.map((b) => `${b.title} — ${b.why}`).join('; ')}`,
    );
  } else if (earliest !== null) {
    const best = sets[0];
    const last = best === undefined ? undefined : [...best].sort(byEarliest)[best.length - 1];
    why.push(`no earlier than ${earliest}${last === undefined ? '' : ` (${last.title}: ${last.why})`}`);
  } else {
    why.push('no earliest day could be found');
  }
  const gateUntil = gate?.validity?.until;
  if (gateUntil !== undefined && gateUntil >= asOf) {
    const free = addDays(gateUntil, 1);
    why.push(`the gate itself lapses on ${gateUntil}, leaving the instrument unconditioned from ${free}`);
    earliest = earliest === null ? free : minDate(earliest, free);
    possible = true;
  }
  const instUntil = instrument.validity?.until;
  if (instUntil !== undefined && (earliest === null || earliest > instUntil)) {
    if (possible) why.push(`but the instrument itself ends on ${instUntil}, first`);
    possible = false;
    earliest = null;
  }
  const futureWaiver = waivers.find(
    (w) => w.instrument === instrument.id && w.start > asOf && (w.known === undefined || w.known <= asOf),
  );
  if (futureWaiver !== undefined)
    why.push(
      `a waiver (${futureWaiver.id}) takes effect on ${futureWaiver.start}; it waives the conditions, it does not meet them`,
    );
  return {
    sets: sets.map((s) => s.map((b) => b.benchmark)),
    setsTotal,
    earliest,
    possible,
    why: why.join('; '),
    blockers,
  };
}
