/**
 * Shared machinery of `assess` and `history`: which indicators read an item, and the
 * two streams (verified, all) of each benchmark. Pure; the case is compiled once per
 * Case object.
 */

import { BenchmarkStream } from './benchmark-stream.ts';
import { isTrivialBar, meetsBar } from './benchmarks.ts';
import type { Case } from './case-model.ts';
import { type CompiledBenchmark, type CompiledCase, type CompiledIndicator, compileCase } from './compile-case.ts';
import type { IsoDate } from './dates.ts';
import type { Evidence } from './evidence.ts';
import type { InputModes } from './series.ts';

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

  constructor(compiled: CompiledCase) {
    for (const ci of compiled.indicators.values()) {
      if (ci.kinds === undefined) this.anyKind.push(ci);
      else
        for (const k of ci.kinds) {
          const list = this.byKind.get(k);
          if (list === undefined) this.byKind.set(k, [ci]);
          else list.push(ci);
        }
    }
  }

  matching(e: Evidence): Set<string> {
    const out = new Set<string>();
    for (const ci of this.byKind.get(e.kind) ?? []) if (ci.matches(e)) out.add(ci.indicator.id);
    for (const ci of this.anyKind) if (ci.matches(e)) out.add(ci.indicator.id);
    return out;
  }
}

/** The verified stream (items meeting the bar) and, when the bar excludes anything, the all-items stream. */
export interface BenchmarkStreams {
  readonly compiled: CompiledBenchmark;
  readonly verified: BenchmarkStream;
  readonly all: BenchmarkStream | undefined;
  /** Known items read by the benchmark that fall below its bar. */
  readonly belowBar: Map<string, Evidence>;
}

export function createStreams(
  cb: CompiledBenchmark,
  boundaries: readonly IsoDate[] = [],
  inputModes: InputModes = new Map(),
): BenchmarkStreams {
  return {
    compiled: cb,
    verified: new BenchmarkStream(cb, boundaries, inputModes),
    all: isTrivialBar(cb.benchmark.verification) ? undefined : new BenchmarkStream(cb, boundaries, inputModes),
    belowBar: new Map(),
  };
}

/**
 * Routes items to streams: for each indicator id, the benchmarks (streams) that read it
 * and the indicator's index within each.
 */
export class StreamRouter {
  private readonly byIndicator = new Map<string, { readonly s: BenchmarkStreams; readonly index: number }[]>();

  constructor(streams: readonly BenchmarkStreams[]) {
    for (const s of streams) {
      s.compiled.indicators.forEach((ci, index) => {
        const list = this.byIndicator.get(ci.indicator.id);
        if (list === undefined) this.byIndicator.set(ci.indicator.id, [{ s, index }]);
        else list.push({ s, index });
      });
    }
  }

  /** For the indicator ids an item matched: each stream that reads it, with the indicator indices. */
  routes(matched: ReadonlySet<string>): { s: BenchmarkStreams; targets: number[] }[] {
    const out = new Map<BenchmarkStreams, number[]>();
    for (const id of matched) {
      for (const { s, index } of this.byIndicator.get(id) ?? []) {
        const t = out.get(s);
        if (t === undefined) out.set(s, [index]);
        else t.push(index);
      }
    }
    return [...out].map(([s, targets]) => ({ s, targets: targets.sort((a, b) => a - b) }));
  }
}

export function addToStreams(s: BenchmarkStreams, e: Evidence, targets: readonly number[]): void {
  if (meetsBar(e, s.compiled.benchmark.verification)) s.verified.add(e, targets);
  else s.belowBar.set(e.id, e);
  s.all?.add(e, targets);
}

export function removeFromStreams(s: BenchmarkStreams, id: string): void {
  s.verified.remove(id);
  s.all?.remove(id);
  s.belowBar.delete(id);
}

export function advanceStreams(s: BenchmarkStreams, t: IsoDate): void {
  s.verified.advance(t);
  s.all?.advance(t);
}
