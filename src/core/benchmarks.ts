/**
 * Benchmark results: a status with the evidence and the rule that produced it, and what
 * the status rests on.
 *
 * Verification: a benchmark evaluates twice — over the items that meet its verification
 * bar (enough independent sources at or above the grades it asks), and over every known
 * item. The verified evaluation decides the status. Evidence below the bar never makes a
 * condition false (the verified evaluation does not see it at all); when only the full
 * evaluation finds the condition holding, the status is `unverified`, since the day it
 * began to hold on the weak evidence (or the verified evaluation stopped holding, if
 * later). When the verified evaluation holds and evidence below the bar says the condition
 * is false, the flag `contested` is raised; the status stands (weak evidence is not
 * counter-evidence).
 *
 * Basis: every status says what it rests on — recorded `evidence`, absence of records in
 * `monitoring`-covered time, the case's `default` (a `state` subject with no record takes
 * the indicator's `initial` state), or, when unknown, what is `missing`. It is the least
 * of these three levels at which the condition is already decided (see indicators.ts):
 * "not met — released 2017-11-23" rests on evidence; "not met — no record of custody for
 * masood-azhar" on the default.
 *
 * Flags: `timed-to-review` when the status holds and the run it rests on began with an
 * item timed to a review; `contested` as above; `stale` when the status is decided (not
 * unknown), the newest evidence it counts occurred longer ago than the benchmark's `stale`
 * duration (P12M unless set), monitoring does not vouch for the time since, and newer
 * records could change it (a count already refuted by a recorded item cannot be).
 */

import type { BenchmarkFlag, BenchmarkStatusKind, BenchmarkStream, StreamStatus } from './benchmark-stream.ts';
import { combineClauses } from './benchmark-stream.ts';
import { describeBound } from './bounds.ts';
import type { Benchmark, Verification } from './case-model.ts';
import { type CompiledBenchmark, gapInWords, indicatorInWords } from './compile-case.ts';
import { addDuration, type Duration, daysBetween, type IsoDate, parseDuration } from './dates.ts';
import { bestGrade, type Evidence, independentSourcesMeeting } from './evidence.ts';
import {
  EVIDENCE_LEVEL,
  FULL_LEVEL,
  type IndicatorState,
  type Level,
  MONITORED_LEVEL,
  type PlacedEvidence,
} from './indicators.ts';
import { SERIES_KIND_PREFIX } from './series.ts';
import { type Applicability, applicabilityAt, describeInapplicability, validityChangeDays } from './validity.ts';

export const BASIS_KINDS = ['evidence', 'monitoring', 'default', 'missing', 'not-applicable'] as const;
export type BasisKind = (typeof BASIS_KINDS)[number];

/** What a status rests on. */
export interface Basis {
  readonly kind: BasisKind;
  /** One line a reader can quote: "not met — release on 2017-11-23 (ev-…)". */
  readonly summary: string;
  /** The items the status rests on (for `evidence`), sorted. */
  readonly evidence: readonly string[];
  /** State subjects with no record, per indicator, and the default they take (whatever the basis). */
  readonly defaults: readonly { readonly indicator: string; readonly subjects: readonly string[]; readonly state: string }[];
  /** Indicators not pinned down, and why: unmonitored time, a lapsed record, data not loaded. */
  readonly gaps: readonly { readonly indicator: string; readonly reason: string }[];
  /** Monitoring the status relies on (for `monitoring`). */
  readonly monitoring: readonly string[];
}

export interface BenchmarkResult {
  readonly id: string;
  readonly title: string;
  /** Who set the benchmark when it is not its source (e.g. the case author); null when not said. */
  readonly author: string | null;
  /** The group (benchmark list) and block it is a member of; null when none. */
  readonly group: string | null;
  readonly block: string | null;
  readonly status: BenchmarkStatusKind;
  readonly since: IsoDate | null;
  readonly flags: readonly BenchmarkFlag[];
  readonly basis: Basis;
  /** The latest occurrence among the evidence the status counts (null: none). */
  readonly newest: IsoDate | null;
  readonly evidence: readonly string[];
  readonly reasons: readonly string[];
  readonly rule: string;
  readonly conditions: readonly { readonly clause: string; readonly value: boolean | null }[];
  /** Each indicator's value when exact; otherwise null, with the bounds known of it. */
  readonly indicators: readonly {
    readonly id: string;
    readonly value: number | boolean | null;
    readonly atLeast?: number;
    readonly atMost?: number;
  }[];
  /** Indicators whose value is not pinned down (the inputs that are missing). */
  readonly missing: readonly string[];
}

/** The light form used by history: status, since and flags only. */
export interface BenchmarkPoint {
  readonly status: BenchmarkStatusKind;
  readonly since: IsoDate | null;
  readonly flags: readonly BenchmarkFlag[];
  /** Items that began the run the status rests on. */
  readonly evidence: readonly string[];
  /** Items timed to a review that bear on the current status. */
  readonly timed: readonly string[];
  /** The latest occurrence among the evidence the status counts. */
  readonly newest: IsoDate | null;
}

export const DEFAULT_STALE: Duration = parseDuration('P12M');

export function isTrivialBar(v: Verification): boolean {
  return v.minReliability === 'F' && v.minCredibility === 6 && v.minSources <= 1;
}

export function meetsBar(e: Evidence, v: Verification): boolean {
  return independentSourcesMeeting(e, v.minReliability, v.minCredibility) >= v.minSources;
}

export function describeRule(cb: CompiledBenchmark): string {
  const b = cb.benchmark;
  const parts = [`${cb.conditions.map((c) => `(${c.source})`).join(' and ')} holds`];
  if (b.duration.text !== 'P0D') parts.push(`without a break for ${b.duration.text}`);
  if (b.reversals.length > 0) parts.push(`undone by ${b.reversals.join(', ')}`);
  const v = b.verification;
  parts.push(
    `on evidence graded at least ${v.minReliability}${v.minCredibility} with ${v.minSources} independent source${v.minSources === 1 ? '' : 's'}`,
  );
  if (b.review !== undefined) {
    parts.push(
      `progress within ${b.review.window.text} before a ${b.review.calendar} review is timed-to-review${
        b.review.countAfterReview ? ' and counts only once it survives the review' : ''
      }`,
    );
  }
  return parts.join('; ');
}

const holds = (s: StreamStatus) => s.status === 'met' || s.status === 'pending';

function later(a: IsoDate | undefined, b: IsoDate | undefined): IsoDate | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a > b ? a : b;
}

interface Combined {
  readonly status: Exclude<BenchmarkStatusKind, 'not-applicable'>;
  readonly since: IsoDate | undefined;
  readonly flags: BenchmarkFlag[];
  /** Which evaluation the status is explained from. */
  readonly shown: 'verified' | 'all';
}

function combine(verified: StreamStatus, all: StreamStatus | undefined): Combined {
  if (all !== undefined && !holds(verified) && holds(all)) {
    return {
      status: 'unverified',
      since: later(all.run.start, verified.run.start),
      flags: all.timed.length > 0 ? ['timed-to-review'] : [],
      shown: 'all',
    };
  }
  const flags: BenchmarkFlag[] = [];
  if (holds(verified) && verified.timed.length > 0) flags.push('timed-to-review');
  if (all !== undefined && holds(verified) && (all.status === 'not-met' || all.status === 'reversed')) flags.push('contested');
  return { status: verified.status, since: verified.since, flags, shown: 'verified' };
}

/** The stale duration of a benchmark: its own, else the case's, else P12M. */
export function staleAfter(b: Benchmark, caseStale: Duration | undefined): Duration {
  return b.stale ?? caseStale ?? DEFAULT_STALE;
}

/**
 * Whether the status rests on evidence older than the stale duration, with no monitoring
 * vouching for the time since — and newer records could change it. A status decided on
 * recorded items alone by counts, sums or exists (an attack in the window) cannot be undone
 * by more records, so it is never stale.
 */
function isStale(stream: BenchmarkStream, st: StreamStatus, stale: Duration, t: IsoDate): boolean {
  // An unknown status already says that nothing decides it; old evidence adds nothing to that.
  if (st.run.value === undefined) return false;
  const states = stream.indicatorStates();
  if (states.length > 0 && states.every((s) => s.watched())) return false;
  if (st.newest !== undefined && addDuration(st.newest, stale) >= t) return false;
  const value = st.run.value;
  if (value !== undefined && basisLevelFor(stream, value) === EVIDENCE_LEVEL) {
    const deciding = decidingIndicators(stream.compiled, stream, EVIDENCE_LEVEL, value);
    const monotone = states.filter((s) => deciding.has(s.indicator.id)).every((s) => LOWER_BOUND_KINDS.has(s.indicator.kind));
    if (monotone) return false;
  }
  return true;
}

/** Indicator kinds whose recorded value can only grow with more records. */
const LOWER_BOUND_KINDS: ReadonlySet<string> = new Set(['count', 'sum', 'exists']);

function withStale(flags: BenchmarkFlag[], stale: boolean): BenchmarkFlag[] {
  return stale ? [...flags, 'stale'] : flags;
}

/** What the light point of a benchmark needs besides its streams. */
export interface PointContext {
  readonly stale: Duration;
  readonly applicability: Applicability;
}

export function pointOf(
  verified: BenchmarkStream,
  all: BenchmarkStream | undefined,
  t: IsoDate,
  ctx: PointContext = { stale: DEFAULT_STALE, applicability: 'in-force' },
): BenchmarkPoint {
  if (ctx.applicability !== 'in-force') {
    return {
      status: 'not-applicable',
      since: null,
      flags: [],
      evidence: [],
      timed: [],
      newest: null,
    };
  }
  const v = verified.statusAt(t);
  const a = all?.statusAt(t);
  const c = combine(v, a);
  const shown = c.shown === 'all' && all !== undefined && a !== undefined ? { stream: all, st: a } : { stream: verified, st: v };
  return {
    status: c.status,
    since: c.since ?? null,
    flags: withStale(c.flags, isStale(shown.stream, shown.st, ctx.stale, t)),
    evidence: shown.st.run.startItems.map((p) => p.item.id),
    timed: [...new Set(shown.st.timed.map((p) => p.item.id))].sort(),
    newest: shown.st.newest ?? null,
  };
}

/** The rule behind a status's `since`: what made the change on that day. */
function causeOf(b: Benchmark, c: Combined, st: StreamStatus): string {
  const items = st.run.startItems.map((p) => p.item.id);
  if (c.status === 'met' && b.duration.text !== 'P0D' && st.run.start !== undefined) {
    return `the condition held without a break for ${b.duration.text} from ${st.run.start}`;
  }
  const deferred = st.run.startItems.filter((p) => p.timedTo !== undefined && p.date !== p.item.occurredTo);
  if (deferred.length > 0)
    return `review ${deferred[0]?.timedTo ?? ''} passed with ${deferred.map((p) => p.item.id).join(', ')} not undone`;
  if (items.length > 0) return `evidence: ${items.join(', ')}`;
  if (st.run.start !== undefined) return 'a trailing window moved, or monitoring began or ended';
  return 'before any recorded evidence';
}

/** The least level at which the condition is already what the full level says (2 when only the defaults decide it). */
function basisLevelFor(stream: BenchmarkStream, value: boolean | undefined): Level | undefined {
  if (value === undefined) return undefined;
  for (const level of [EVIDENCE_LEVEL, MONITORED_LEVEL] as const) {
    if (combineClauses(stream.clauseValues(level)) === value) return level;
  }
  return FULL_LEVEL;
}

function uniqueSortedIds(items: readonly PlacedEvidence[]): string[] {
  return [...new Set(items.map((p) => p.item.id))].sort();
}

const STATUS_WORDS: Record<Exclude<BenchmarkStatusKind, 'not-applicable'>, string> = {
  met: 'met',
  partial: 'partially fulfilled',
  pending: 'holding, not yet long enough',
  'not-met': 'not met',
  reversed: 'reversed',
  unverified: 'unverified',
  unknown: 'unknown',
};

function itemPhrase(p: PlacedEvidence): string {
  // A series point reads as its value ("Pakistan's UN voting coincidence with the US: 0.33 for 2021-12-31").
  if (p.item.kind.startsWith(SERIES_KIND_PREFIX)) return p.item.description;
  return `${p.item.kind} on ${p.item.occurredTo} (${p.item.id})`;
}

/** Up to `n` phrases, then "and k more". */
function listSome(phrases: readonly string[], n = 3): string {
  if (phrases.length <= n) return phrases.join(', ');
  return `${phrases.slice(0, n).join(', ')} and ${phrases.length - n} more`;
}

function defaultsOf(states: readonly IndicatorState[]): Basis['defaults'] {
  const out: { indicator: string; subjects: string[]; state: string }[] = [];
  for (const s of states) {
    const d = s.defaults();
    if (d.length === 0) continue;
    out.push({ indicator: s.indicator.id, subjects: d.map((x) => x.subject), state: d[0]?.state ?? 'unknown' });
  }
  return out;
}

function gapsOf(states: readonly IndicatorState[], t: IsoDate): Basis['gaps'] {
  const out: { indicator: string; reason: string }[] = [];
  for (const s of states) {
    if (s.value() !== undefined) continue;
    const gap = s.gap(t);
    if (gap !== undefined) out.push({ indicator: s.indicator.id, reason: gap });
    else {
      const d = s.defaults().filter((x) => x.state === 'unknown');
      out.push({
        indicator: s.indicator.id,
        reason:
          d.length > 0
            ? `no record for ${d.map((x) => x.subject).join(', ')} (the case sets no default)`
            : s.describe(t).replace(/^[^=]*= /, ''),
      });
    }
  }
  return out;
}

/** Indicators read by the clauses that decide the condition at `level` (false clauses for false, all for true). */
function decidingIndicators(cb: CompiledBenchmark, stream: BenchmarkStream, level: Level, value: boolean): Set<string> {
  const values = stream.clauseValues(level);
  const out = new Set<string>();
  cb.conditions.forEach((c, i) => {
    if (value === false ? values[i] === false : true) for (const id of c.uses) out.add(id);
  });
  return out;
}

function explainBasis(
  cb: CompiledBenchmark,
  stream: BenchmarkStream,
  st: StreamStatus,
  status: Exclude<BenchmarkStatusKind, 'not-applicable'>,
  belowBar: readonly Evidence[],
  t: IsoDate,
): Basis {
  const states = stream.indicatorStates();
  const defaults = defaultsOf(states);
  const gaps = gapsOf(states, t);
  const value = st.run.value;
  const word = STATUS_WORDS[status];
  const level = basisLevelFor(stream, value);
  if (value === undefined || level === undefined) {
    const why = gaps.map(gapInWords);
    return {
      kind: 'missing',
      summary: `unknown — ${why.length > 0 ? why.join('; ') : 'the condition cannot be decided from what is known'}`,
      evidence: [],
      defaults,
      gaps,
      monitoring: [],
    };
  }
  const deciding = decidingIndicators(cb, stream, level, value);
  const decidingStates = states.filter((s) => deciding.has(s.indicator.id));
  if (status === 'unverified') {
    const bar = cb.benchmark.verification;
    const weak = belowBar.map((e) => `${e.id} (${bestGrade(e)})`);
    return {
      kind: 'evidence',
      summary: `unverified — holds only on evidence below the bar of ${bar.minReliability}${bar.minCredibility} with ${bar.minSources} independent source${bar.minSources === 1 ? '' : 's'}: ${listSome(weak, 5)}`,
      evidence: belowBar.map((e) => e.id).sort(),
      defaults,
      gaps,
      monitoring: [],
    };
  }
  if (level === EVIDENCE_LEVEL) {
    const decisive = decisiveRecords(stream, value, deciding);
    const items = decisive.length > 0 ? decisive : st.run.startItems.slice();
    const phrases = [...new Set(items.map(itemPhrase))];
    return {
      kind: 'evidence',
      summary:
        phrases.length > 0
          ? `${word} — on evidence: ${listSome(phrases)}`
          : `${word} — on evidence: ${decidingStates.map((s) => s.describe(t)).join('; ')}`,
      evidence: uniqueSortedIds(items),
      defaults,
      gaps,
      monitoring: [],
    };
  }
  if (level === MONITORED_LEVEL) {
    const monitoring = [...new Set(decidingStates.flatMap((s) => s.monitoringBasis()))].sort();
    const counted = decidingStates.flatMap((s) => s.support());
    const what = decidingStates
      .map((s) => {
        const b = s.bound(MONITORED_LEVEL);
        return `${s.indicator.id} = ${describeBound(b, s.indicator.kind === 'exists' ? 'bool' : 'double')}`;
      })
      .join(', ');
    return {
      kind: 'monitoring',
      summary: `${word} — on monitored absence: ${what}${counted.length > 0 ? ` (${listSome([...new Set(counted.map(itemPhrase))])})` : ' (no recorded item)'} in time watched by ${monitoring.join(', ') || 'the loaded data'}`,
      evidence: uniqueSortedIds(counted),
      defaults,
      gaps,
      monitoring,
    };
  }
  const used = defaults.filter((d) => deciding.has(d.indicator));
  return {
    kind: 'default',
    summary: `${word} — on the case's default: ${used
      .map((d) => `no record for ${d.subjects.join(', ')} (${d.indicator} takes ${d.state})`)
      .join('; ')}`,
    evidence: uniqueSortedIds(decidingStates.flatMap((s) => s.support())),
    defaults,
    gaps,
    monitoring: [],
  };
}

/**
 * The records the condition's value rests on at the evidence level: for a `state`
 * indicator, only the records of the subjects without which the condition would no longer
 * be decided (the released leader, not the three in custody); for other kinds, every item
 * that makes the value.
 */
function decisiveRecords(stream: BenchmarkStream, value: boolean, deciding: ReadonlySet<string>): PlacedEvidence[] {
  const out: PlacedEvidence[] = [];
  stream.indicatorStates().forEach((s, i) => {
    if (!deciding.has(s.indicator.id)) return;
    if (s.recordsIn === undefined) {
      out.push(...s.support());
      return;
    }
    for (const state of [false, true]) {
      const group = s.recordsIn(state);
      if (group.support.length === 0) continue;
      const without = stream.conditionWith(EVIDENCE_LEVEL, new Map([[i, group.boundWithout(EVIDENCE_LEVEL)]]));
      if (without !== value) out.push(...group.support);
    }
  });
  return out.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : a.item.id < b.item.id ? -1 : 1));
}

/** The status kind alone (no explanation), as `explainBenchmark` decides it; both streams advanced to `t`. */
export function statusKindOf(
  cb: CompiledBenchmark,
  verified: BenchmarkStream,
  all: BenchmarkStream | undefined,
  t: IsoDate,
): BenchmarkStatusKind {
  if (applicabilityAt(cb.benchmark.validity, t) !== 'in-force') return 'not-applicable';
  return combine(verified.statusAt(t), all?.statusAt(t)).status;
}

/**
 * The status kind on a past day d (at most the day both streams were advanced to), as the
 * evidence they hold tells it: what `statusKindOf` would give on d over the same items.
 */
export function statusKindOn(
  cb: CompiledBenchmark,
  verified: BenchmarkStream,
  all: BenchmarkStream | undefined,
  d: IsoDate,
): BenchmarkStatusKind {
  return combinedOn(cb.benchmark, verified, all, d).status;
}

/** The full result with explanations; both streams must have been advanced to `t`. */
export function explainBenchmark(
  cb: CompiledBenchmark,
  verified: BenchmarkStream,
  all: BenchmarkStream | undefined,
  belowBar: readonly Evidence[],
  t: IsoDate,
  caseStale?: Duration,
): BenchmarkResult {
  const b = cb.benchmark;
  const applicability = applicabilityAt(b.validity, t);
  if (applicability !== 'in-force') {
    const phrase = describeInapplicability(b.validity, applicability);
    return {
      id: b.id,
      title: b.title,
      author: b.author ?? null,
      group: b.group ?? null,
      block: b.block ?? null,
      status: 'not-applicable',
      since: null,
      flags: [],
      basis: {
        kind: 'not-applicable',
        summary: `not applicable — ${phrase}`,
        evidence: [],
        defaults: [],
        gaps: [],
        monitoring: [],
      },
      newest: null,
      evidence: [],
      reasons: [`not applicable on ${t}: the benchmark is ${phrase}`],
      rule: describeRule(cb),
      conditions: cb.conditions.map(({ source: clause }) => ({ clause, value: null })),
      indicators: [],
      missing: [],
    };
  }
  const v = verified.statusAt(t);
  const a = all?.statusAt(t);
  const c = combine(v, a);
  const shown = c.shown === 'all' && all !== undefined && a !== undefined ? { stream: all, st: a } : { stream: verified, st: v };
  const states = shown.stream.indicatorStates();
  const clauseValues = shown.stream.clauseValues();
  const reasons: string[] = [];
  const basis = explainBasis(cb, shown.stream, shown.st, c.status, belowBar, t);
  const stale = isStale(shown.stream, shown.st, staleAfter(b, caseStale), t);
  const flags = withStale(c.flags, stale);

  reasons.push(basis.summary);
  cb.conditions.forEach(({ source: clause }, i) => {
    const value = clauseValues[i];
    reasons.push(`condition "${clause}" is ${value === undefined ? 'unknown' : String(value)}`);
  });
  for (const s of states) reasons.push(s.describe(t));
  for (const d of basis.defaults) {
    reasons.push(
      `no record for ${d.subjects.join(', ')} in ${d.indicator}: ${d.state === 'unknown' ? 'unknown (the case sets no default)' : `taken as ${d.state} by the case's default, not by evidence`}`,
    );
  }

  const run = shown.st.run;
  const startIds = run.startItems.map((p) => p.item.id);
  const startText =
    run.start === undefined
      ? 'since before any recorded evidence'
      : `since ${run.start}${startIds.length > 0 ? ` (${startIds.join(', ')})` : ''}`;
  switch (c.status) {
    case 'met':
      reasons.push(
        b.duration.text === 'P0D'
          ? `met: the condition holds ${startText}`
          : `met: the condition has held ${startText}, ${run.start === undefined ? '' : `${daysBetween(run.start, t)} days, `}at least ${b.duration.text} without a break`,
      );
      break;
    case 'pending':
      reasons.push(
        `pending: the condition holds ${startText}; it must hold for ${b.duration.text}, so it is met on ${
          run.start === undefined ? '—' : addDuration(run.start, b.duration)
        } if unbroken`,
      );
      break;
    case 'reversed':
      reasons.push(
        `reversed: the condition held until ${run.start ?? '—'}, when ${run.startItems
          .filter((p) => b.reversals.includes(p.item.kind))
          .map((p) => `${p.item.kind} (${p.item.id})`)
          .join(', ')} undid it`,
      );
      break;
    case 'not-met':
      reasons.push(`not met: the condition is false ${startText}`);
      break;
    case 'partial':
      reasons.push(
        `partial ${startText}: the latest finding grades the benchmark partially fulfilled${cb.conditions.length > 1 ? ' and its other conditions hold' : ''}; it is met only when fulfilled`,
      );
      break;
    case 'unknown':
      reasons.push(
        `unknown ${startText === 'since before any recorded evidence' ? 'from the start' : startText}: ${basis.gaps.map((g) => indicatorInWords(g.indicator)).join(', ') || 'the condition'} cannot be pinned down — the status is not assumed either way`,
      );
      break;
    case 'unverified': {
      const bar = b.verification;
      const weak = belowBar.map(
        (e) =>
          `${e.id} (${bestGrade(e)}, ${independentSourcesMeeting(e, bar.minReliability, bar.minCredibility)} qualifying source(s))`,
      );
      reasons.push(
        `unverified since ${c.since ?? '—'}: the condition holds only with evidence below the bar of ${bar.minReliability}${bar.minCredibility} and ${bar.minSources} independent source(s): ${weak.join(', ')}; on the evidence that meets the bar it is ${v.status}`,
      );
      break;
    }
  }
  if (c.flags.includes('contested') && a !== undefined) {
    reasons.push(
      `contested: evidence below the verification bar says otherwise (${a.status} since ${a.since ?? '—'}); the status stands on the evidence that meets the bar`,
    );
  }
  for (const p of shown.st.timed) {
    const review = cb.reviews.find((r) => r.id === p.timedTo);
    const days = review === undefined ? 0 : daysBetween(p.item.occurredTo, review.date);
    const counted =
      p.date !== p.item.occurredTo ? `counted only from ${p.date}, once it survived the review` : 'counted as it happened';
    reasons.push(
      `timed-to-review: the condition began to hold with ${p.item.id} (${p.item.kind}, ${p.item.occurredTo}), ${days} day${days === 1 ? '' : 's'} before review ${p.timedTo ?? ''} (${review?.date ?? '—'}); ${counted}`,
    );
  }
  for (const p of shown.st.dropped) {
    reasons.push(`${p.item.id} (${p.item.kind}) was undone before its review and is not counted`);
  }
  if (stale) {
    reasons.push(
      `stale: ${shown.st.newest === undefined ? 'no counted evidence at all' : `the newest counted evidence occurred on ${shown.st.newest}`}, more than ${staleAfter(b, caseStale).text} before ${t}, and no monitoring vouches for the time since`,
    );
  }

  const evidence = uniqueSortedIds([...states.flatMap((s) => s.support()), ...run.startItems, ...shown.st.timed]);
  const missing = states.filter((s) => s.value() === undefined).map((s) => s.indicator.id);
  return {
    id: b.id,
    title: b.title,
    author: b.author ?? null,
    group: b.group ?? null,
    block: b.block ?? null,
    status: c.status,
    since: c.since ?? null,
    flags,
    basis,
    newest: shown.st.newest ?? null,
    evidence,
    reasons,
    rule: describeRule(cb),
    conditions: cb.conditions.map(({ source: clause }, i) => ({ clause, value: clauseValues[i] ?? null })),
    indicators: states.map((s) => {
      const value = s.value();
      if (value !== undefined) return { id: s.indicator.id, value };
      const bound = s.bound(FULL_LEVEL);
      return {
        id: s.indicator.id,
        value: null,
        ...(Number.isFinite(bound.lo) ? { atLeast: bound.lo } : {}),
        ...(Number.isFinite(bound.hi) ? { atMost: bound.hi } : {}),
      };
    }),
    missing,
  };
}

/** A status a benchmark took on a day, and (computed when asked) the items that began it and why then. */
export interface StatusSegment {
  readonly date: IsoDate;
  readonly status: BenchmarkStatusKind;
  readonly since: IsoDate | null;
  readonly detail: () => { readonly evidence: readonly string[]; readonly cause: string };
}

/** A benchmark between two steps, as the evidence known at the later one tells it. */
export interface StepSegments {
  /** The status on the earlier step's day. */
  readonly atPrevious: StatusSegment;
  /** Every change after it, up to the later step, in date order. */
  readonly changes: readonly StatusSegment[];
}

/** The combined status (verified and all) on a past day d, with its applicability. */
function combinedOn(
  b: Benchmark,
  verified: BenchmarkStream,
  all: BenchmarkStream | undefined,
  d: IsoDate,
): Omit<StatusSegment, 'date'> {
  const applicability = applicabilityAt(b.validity, d);
  if (applicability !== 'in-force') {
    const cause = describeInapplicability(b.validity, applicability);
    return { status: 'not-applicable', since: null, detail: () => ({ evidence: [], cause }) };
  }
  const v = verified.statusOn(d);
  const a = all?.statusOn(d);
  const c = combine(v, a);
  const shown = c.shown === 'all' && a !== undefined ? a : v;
  return {
    status: c.status,
    since: c.since ?? null,
    detail: () => ({ evidence: shown.run.startItems.map((p) => p.item.id), cause: causeOf(b, c, shown) }),
  };
}

/**
 * The statuses a benchmark took between two steps, day by day: on `previous` and on every
 * day after it, up to `t`, on which it changed (a run of either evaluation beginning, a
 * duration ending, the validity window opening or closing). Both streams must have been
 * advanced to `t`.
 */
export function segmentsOf(
  verified: BenchmarkStream,
  all: BenchmarkStream | undefined,
  previous: IsoDate,
  t: IsoDate,
): StepSegments {
  const b = verified.compiled.benchmark;
  const days = [
    ...new Set([
      ...verified.changeDays(previous, t),
      ...(all?.changeDays(previous, t) ?? []),
      ...validityChangeDays(b.validity).filter((d) => d > previous && d <= t),
    ]),
  ].sort();
  const atPrevious: StatusSegment = { date: previous, ...combinedOn(b, verified, all, previous) };
  const changes: StatusSegment[] = [];
  let last = atPrevious;
  for (const d of days) {
    const seg: StatusSegment = { date: d, ...combinedOn(b, verified, all, d) };
    if (seg.status !== last.status) {
      changes.push(seg);
      last = seg;
    }
  }
  return { atPrevious, changes };
}
