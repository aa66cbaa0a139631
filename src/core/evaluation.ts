/**
 * Shared machinery of `assess` and `history`: which indicators read an item, and the
 * two streams (verified, all) of each benchmark. Pure; the case is compiled once per
 * Case object.
 */

import { BenchmarkStream, placeItem } from './benchmark-stream.ts';
import { isTrivialBar, meetsBar } from './benchmarks.ts';
import type { Case, Verification } from './case-model.ts';
import { type CompiledBenchmark, type CompiledCase, type CompiledIndicator, compileCase } from './compile-case.ts';
import { Coverage, monitoringCoverage } from './coverage.ts';
import type { IsoDate } from './dates.ts';
import { credibilityAtLeast, type Evidence, reliabilityAtLeast } from './evidence.ts';
import type { SharedStreamsPlan } from './indicator-tracks.ts';
import type { IndicatorInput, IndicatorInputs } from './indicators.ts';
import { byId } from './order.ts';

export const ENGINE_VERSION = 'proviso-engine/1';

const compiledCases = new WeakMap<Case, CompiledCase>();

export function compiledCaseOf(c: Case): CompiledCase {
  let compiled = compiledCases.get(c);
  if (compiled === undefined) {
    compiled = compileCase(c);
    compiledCases.set(c, compiled);
  }
  return compiled;
}

/** Finds, for an item, the indicators that read it — by kind first, then the full filter. */
export class IndicatorMatcher {
  private readonly byKind = new Map<string, CompiledIndicator[]>();
  private readonly anyKind: CompiledIndicator[] = [];
  /** Finding indicators by the benchmark they read: an item's finding names one, whatever its kind. */
  private readonly byFinding = new Map<string, CompiledIndicator[]>();

  constructor(compiled: CompiledCase) {
    for (const ci of compiled.indicators.values()) {
      if (ci.findingOf !== undefined) {
        const list = this.byFinding.get(ci.findingOf);
        if (list === undefined) this.byFinding.set(ci.findingOf, [ci]);
        else list.push(ci);
      } else if (ci.kinds === undefined) this.anyKind.push(ci);
      else
        for (const k of ci.kinds) {
          const list = this.byKind.get(k);
          if (list === undefined) this.byKind.set(k, [ci]);
          else list.push(ci);
        }
    }
  }

  /** One list per indicator for the items only it reads (most items): shared, never changed. */
  private readonly only = new Map<string, readonly string[]>();

  /**
   * The ids of the indicators that read the item, each once (an indicator is listed under a
   * kind at most once). The list may be shared between items and must not be changed.
   */
  matching(e: Evidence): readonly string[] {
    const out: string[] = [];
    const byKind = this.byKind.get(e.kind);
    if (byKind !== undefined) for (const ci of byKind) if (ci.matches(e)) out.push(ci.indicator.id);
    for (const ci of this.anyKind) if (ci.matches(e)) out.push(ci.indicator.id);
    if (e.finding !== undefined) {
      const byFinding = this.byFinding.get(e.finding.benchmark);
      if (byFinding !== undefined) for (const ci of byFinding) if (ci.matches(e)) out.push(ci.indicator.id);
    }
    if (out.length !== 1) return out;
    const id = out[0] as string;
    let only = this.only.get(id);
    if (only === undefined) {
      only = out;
      this.only.set(id, only);
    }
    return only;
  }
}

/** The verified stream (items meeting the bar) and, when the bar excludes anything, the all-items stream. */
export interface BenchmarkStreams {
  readonly compiled: CompiledBenchmark;
  readonly verified: BenchmarkStream;
  readonly all: BenchmarkStream | undefined;
  /** Items read by the benchmark that fall below its bar, as added (withdrawn ones included; see `belowBarOf`). */
  readonly belowBar: Evidence[];
  /** Ids of withdrawn items below the bar. */
  readonly withdrawn: Set<string>;
  /** What the streams read from shared tracks (see indicator-tracks.ts); undefined when nothing. */
  readonly shared?: SharedStreamsPlan;
}

/** The known, standing items read by the benchmark that fall below its bar, in id order. */
export function belowBarOf(s: BenchmarkStreams): Evidence[] {
  const items = s.withdrawn.size === 0 ? [...s.belowBar] : s.belowBar.filter((e) => !s.withdrawn.has(e.id));
  const shared = s.shared?.belowBar() ?? [];
  if (shared.length > 0) {
    const seen = new Set(items.map((e) => e.id));
    for (const e of shared) if (!seen.has(e.id)) items.push(e);
  }
  return items.sort(byId);
}

/**
 * Every indicator's input as of a date: the series' (missing or supplied, with the data's
 * coverage) and, for evidence indicators named by the case's monitoring, the coverage the
 * monitoring claims known by `asOf` give. Coverage objects are fresh: a history sweep may
 * replace their ranges as claims become known.
 */
export function indicatorInputs(
  c: Case,
  series: ReadonlyMap<string, IndicatorInput>,
  asOf: IsoDate,
): Map<string, IndicatorInput> {
  const out = new Map<string, IndicatorInput>(series);
  for (const [id, { ranges, basis }] of monitoringCoverage(c, asOf)) {
    if (!out.has(id)) out.set(id, { missing: false, coverage: new Coverage(ranges, basis) });
  }
  return out;
}

/**
 * The two streams of a benchmark. With `shared`, they read the indicators and clauses it
 * names from tracks (no boundaries then: they are evaluated once, on the tracks' day).
 */
export function createStreams(
  cb: CompiledBenchmark,
  boundaries: readonly IsoDate[] = [],
  inputs: IndicatorInputs = new Map(),
  shared?: SharedStreamsPlan,
): BenchmarkStreams {
  if (shared !== undefined && boundaries.length > 0) throw new Error('streams over shared tracks take no boundaries');
  return {
    compiled: cb,
    verified: new BenchmarkStream(cb, boundaries, inputs, shared?.verified),
    all: isTrivialBar(cb.benchmark.verification) ? undefined : new BenchmarkStream(cb, boundaries, inputs, shared?.all),
    belowBar: [],
    withdrawn: new Set(),
    ...(shared === undefined ? {} : { shared }),
  };
}

/**
 * Routes items to streams: for each indicator id, the benchmarks (streams) that read it
 * and the indicator's index within each.
 */
export class StreamRouter {
  private readonly byIndicator = new Map<string, { readonly s: BenchmarkStreams; readonly index: number }[]>();
  /** Routes by matched indicator id (one match) or by the JSON list of ids: most items match one of few combinations. */
  private readonly single = new Map<string, readonly Route[]>();
  private readonly several = new Map<string, readonly Route[]>();

  constructor(streams: readonly BenchmarkStreams[]) {
    for (const s of streams) {
      s.compiled.indicators.forEach((ci, index) => {
        // Items read only at shared positions are read from the tracks, not added to the stream.
        if (s.shared?.positions.has(index) === true) return;
        const list = this.byIndicator.get(ci.indicator.id);
        if (list === undefined) this.byIndicator.set(ci.indicator.id, [{ s, index }]);
        else list.push({ s, index });
      });
    }
  }

  /**
   * For the indicator ids an item matched (each once, in `IndicatorMatcher` order): each
   * stream that reads it, with the indicator indices. The result is shared between items
   * that match the same ids and must not be changed.
   */
  routes(matched: readonly string[]): readonly Route[] {
    if (matched.length === 0) return [];
    const cache = matched.length === 1 ? this.single : this.several;
    const key = matched.length === 1 ? (matched[0] as string) : JSON.stringify(matched);
    let routes = cache.get(key);
    if (routes === undefined) {
      const out = new Map<BenchmarkStreams, number[]>();
      for (const id of matched) {
        for (const { s, index } of this.byIndicator.get(id) ?? []) {
          const t = out.get(s);
          if (t === undefined) out.set(s, [index]);
          else t.push(index);
        }
      }
      routes = [...out].map(([s, targets]) => ({ s, targets: targets.sort((a, b) => a - b) }));
      cache.set(key, routes);
    }
    return routes;
  }
}

/** A stream an item goes to, and the indices of the stream's indicators that read it. */
export interface Route {
  readonly s: BenchmarkStreams;
  readonly targets: readonly number[];
}

/** `meetsBar`, without building a set of origins when the item has at most one source. */
export function meetsVerificationBar(e: Evidence, v: Verification): boolean {
  if (e.sources.length > 1) return meetsBar(e, v);
  const s = e.sources[0];
  const qualifying =
    s !== undefined && reliabilityAtLeast(s.reliability, v.minReliability) && credibilityAtLeast(s.credibility, v.minCredibility)
      ? 1
      : 0;
  return qualifying >= v.minSources;
}

/** Adds a known, standing item (at most once: ledger ids are unique) to the benchmark's streams. */
export function addToStreams(s: BenchmarkStreams, e: Evidence, targets: readonly number[]): void {
  const entry = placeItem(s.compiled, e, targets);
  if (meetsVerificationBar(e, s.compiled.benchmark.verification)) s.verified.addEntry(entry);
  else s.belowBar.push(e);
  s.all?.addEntry(entry);
}

/** Withdraws an item added with `addToStreams` (it was superseded or retracted). */
export function removeFromStreams(s: BenchmarkStreams, e: Evidence): void {
  s.verified.remove(e);
  s.all?.remove(e);
  s.withdrawn.add(e.id);
}

/**
 * Takes out an item added with `addToStreams` that a version of the same entry (with more
 * sources) is about to replace: unlike `removeFromStreams`, the id stays usable.
 */
export function replaceOutOfStreams(s: BenchmarkStreams, e: Evidence): void {
  s.verified.remove(e);
  s.all?.remove(e);
  const at = s.belowBar.indexOf(e);
  if (at >= 0) s.belowBar.splice(at, 1);
}

/** Lets both streams drop the snapshots that roll-backs to `day` or later do not need (all, when undefined). */
export function forgetSnapshotsBefore(s: BenchmarkStreams, day: IsoDate | undefined): void {
  s.verified.forgetSnapshotsBefore(day);
  s.all?.forgetSnapshotsBefore(day);
}

export function advanceStreams(s: BenchmarkStreams, t: IsoDate): void {
  s.verified.advance(t);
  s.all?.advance(t);
}
