/**
 * Benchmark results: a status with the evidence and the rule that produced it.
 *
 * Verification: a benchmark evaluates twice — over the items that meet its verification
 * bar (enough independent sources at or above the grades it asks), and over every known
 * item. The verified evaluation decides the status; when only the full evaluation finds
 * the condition holding, the status is `unverified`; when the full evaluation finds it
 * broken while the verified one holds, the flag `contested` is raised.
 */

import type { BenchmarkFlag, BenchmarkStatusKind, BenchmarkStream, StreamStatus } from './benchmark-stream.ts';
import type { Verification } from './case-model.ts';
import type { CompiledBenchmark } from './compile-case.ts';
import { addDuration, daysBetween, type IsoDate } from './dates.ts';
import { bestGrade, type Evidence, independentSourcesMeeting } from './evidence.ts';
import type { PlacedEvidence } from './indicators.ts';

export interface BenchmarkResult {
  readonly id: string;
  readonly title: string;
  readonly status: BenchmarkStatusKind;
  readonly since: IsoDate | null;
  readonly flags: readonly BenchmarkFlag[];
  readonly evidence: readonly string[];
  readonly reasons: readonly string[];
  readonly rule: string;
  readonly conditions: readonly { readonly clause: string; readonly value: boolean | null }[];
  readonly indicators: readonly { readonly id: string; readonly value: number | boolean | null }[];
  /** Indicators whose value is unknown (the inputs that are missing). */
  readonly missing: readonly string[];
}

/** The light form used by history: status, since and flags only. */
export interface BenchmarkPoint {
  readonly status: BenchmarkStatusKind;
  readonly since: IsoDate | null;
  readonly flags: readonly BenchmarkFlag[];
  readonly evidence: readonly string[];
  /** Items timed to a review that bear on the current status. */
  readonly timed: readonly string[];
}

export function isTrivialBar(v: Verification): boolean {
  return v.minReliability === 'F' && v.minCredibility === 6 && v.minSources <= 1;
}

export function meetsBar(e: Evidence, v: Verification): boolean {
  return independentSourcesMeeting(e, v.minReliability, v.minCredibility) >= v.minSources;
}

export function describeRule(cb: CompiledBenchmark): string {
  const b = cb.benchmark;
  const parts = [`${b.conditions.map((c) => `(${c})`).join(' and ')} holds`];
  if (b.duration.text !== 'P0D') parts.push(`without a break for ${b.duration.text}`);
  if (b.reversals.length > 0) parts.push(`undone by ${b.reversals.join(', ')}`);
  const v = b.verification;
  parts.push(
    `on evidence graded at least ${v.minReliability}${v.minCredibility} with ${v.minSources} independent source${v.minSources === 1 ? '' : 's'}`,
  );
  if (b.review !== undefined) {
    parts.push(
      `actions within ${b.review.window.text} before a ${b.review.calendar} review are timed-to-review${
        b.review.countAfterReview ? ' and count only once they survive it' : ''
      }`,
    );
  }
  return parts.join('; ');
}

function combine(
  verified: StreamStatus,
  all: StreamStatus | undefined,
): {
  status: BenchmarkStatusKind;
  since: IsoDate | undefined;
  flags: BenchmarkFlag[];
} {
  const flags: BenchmarkFlag[] = [];
  if (verified.timed.length > 0 || (all?.timed.length ?? 0) > 0) flags.push('timed-to-review');
  const holds = (s: StreamStatus) => s.status === 'met' || s.status === 'pending';
  if (all !== undefined && !holds(verified) && holds(all)) {
    return { status: 'unverified', since: all.since, flags };
  }
  if (all !== undefined && holds(verified) && (all.status === 'not-met' || all.status === 'reversed')) {
    flags.push('contested');
  }
  return { status: verified.status, since: verified.since, flags };
}

export function pointOf(verified: BenchmarkStream, all: BenchmarkStream | undefined, t: IsoDate): BenchmarkPoint {
  const v = verified.statusAt(t);
  const a = all?.statusAt(t);
  const c = combine(v, a);
  const source = c.status === 'unverified' && a !== undefined ? a : v;
  return {
    status: c.status,
    since: c.since ?? null,
    flags: c.flags,
    evidence: source.run.startItems.map((p) => p.item.id),
    timed: [...new Set([...v.timed, ...(a?.timed ?? [])].map((p) => p.item.id))].sort(),
  };
}

function uniqueSortedIds(items: readonly PlacedEvidence[]): string[] {
  return [...new Set(items.map((p) => p.item.id))].sort();
}

/** The full result with explanations; both streams must have been advanced to `t`. */
export function explainBenchmark(
  cb: CompiledBenchmark,
  verified: BenchmarkStream,
  all: BenchmarkStream | undefined,
  belowBar: readonly Evidence[],
  t: IsoDate,
): BenchmarkResult {
  const b = cb.benchmark;
  const v = verified.statusAt(t);
  const a = all?.statusAt(t);
  const c = combine(v, a);
  const shown =
    c.status === 'unverified' && all !== undefined && a !== undefined ? { stream: all, st: a } : { stream: verified, st: v };
  const states = shown.stream.indicatorStates();
  const clauseValues = shown.stream.clauseValues();
  const reasons: string[] = [];

  b.conditions.forEach((clause, i) => {
    const value = clauseValues[i];
    reasons.push(`condition "${clause}" is ${value === undefined ? 'unknown' : String(value)}`);
  });
  for (const s of states) reasons.push(s.describe(t));

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
    case 'unknown': {
      const missing = states.filter((s) => s.value() === undefined).map((s) => s.indicator.id);
      reasons.push(`unknown: no evidence yet for ${missing.join(', ')} — the status is not assumed false`);
      break;
    }
    case 'unverified': {
      const bar = b.verification;
      const weak = belowBar.map(
        (e) =>
          `${e.id} (${bestGrade(e)}, ${independentSourcesMeeting(e, bar.minReliability, bar.minCredibility)} qualifying source(s))`,
      );
      reasons.push(
        `unverified: the condition holds only with evidence below the bar of ${bar.minReliability}${bar.minCredibility} and ${bar.minSources} independent source(s): ${weak.join(', ')}`,
      );
      break;
    }
  }
  if (c.flags.includes('contested') && a !== undefined) {
    reasons.push(`contested: evidence below the verification bar says otherwise (${a.status} since ${a.since ?? '—'})`);
  }
  const timed = [...v.timed, ...(a?.timed ?? [])];
  const seenTimed = new Set<string>();
  for (const p of timed) {
    if (seenTimed.has(p.item.id)) continue;
    seenTimed.add(p.item.id);
    const review = cb.reviews.find((r) => r.id === p.timedTo);
    const days = review === undefined ? 0 : daysBetween(p.item.occurredTo, review.date);
    const counted =
      b.review?.countAfterReview === true
        ? p.date > t
          ? `it will count from ${p.date} if it survives the review`
          : `counted only from ${p.date}, after the review`
        : 'counted as it happened';
    reasons.push(
      `timed-to-review: ${p.item.id} (${p.item.kind}, ${p.item.occurredTo}) came ${days} day${days === 1 ? '' : 's'} before review ${p.timedTo ?? ''} (${review?.date ?? '—'}); ${counted}`,
    );
  }
  for (const p of [...v.dropped]) {
    reasons.push(`${p.item.id} (${p.item.kind}) was undone before its review and is not counted`);
  }

  const evidence = uniqueSortedIds([...states.flatMap((s) => s.support()), ...run.startItems, ...timed]);
  const missing = states.filter((s) => s.value() === undefined).map((s) => s.indicator.id);
  return {
    id: b.id,
    title: b.title,
    status: c.status,
    since: c.since ?? null,
    flags: c.flags,
    evidence,
    reasons,
    rule: describeRule(cb),
    conditions: b.conditions.map((clause, i) => ({ clause, value: clauseValues[i] ?? null })),
    indicators: states.map((s) => ({ id: s.indicator.id, value: s.value() ?? null })),
    missing,
  };
}
