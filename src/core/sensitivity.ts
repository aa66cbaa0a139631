/**
 * Sensitivity: the smallest change that flips a justification verdict or a gate decision.
 *
 * Contract:
 * - Changes are tried one at a time, each against the same inputs, in this order:
 *   1. `rank-swap` (justifications only; ranks do not enter gate decisions): two interests
 *      adjacent in rank swap ranks;
 *   2. `remove-item`: one cited evidence item is taken out (for a gate: an item the
 *      benchmarks of its rule rest on; the benchmarks are re-evaluated without it);
 *   3. `drop-claims`: every cited item marked as an assertion (`claim: author | analysis`)
 *      is taken out at once — one change, tried when there is such an item;
 *   4. `downgrade`: the sources of one cited item are each graded one step lower in
 *      reliability (A→B … E→F; F stays F); for a gate, the item then leaves the verified
 *      evidence of a benchmark whose bar it no longer meets.
 * - A change flips the result when the verdict (or decision) it gives differs from the one
 *   reported. The result is `fragile` when some change flips it, `robust` otherwise;
 *   `robust` means no single change of these kinds flips it, not that nothing could.
 * - Bounded: at most `MAX_ITEM_TRIALS` items are tried per kind (in id order); `complete`
 *   says whether every candidate was tried, `tried` how many changes were.
 * - Pure: no clock, no I/O. The time a search takes is measured by the callers that print it.
 */

import type { BenchmarkStatusKind } from './benchmark-stream.ts';
import { statusKindOf } from './benchmarks.ts';
import type { Case, Gate, Instrument, InstrumentEffect, Interest, Justification, Reliability, Waiver } from './case-model.ts';
import type { IsoDate } from './dates.ts';
import { type BenchmarkStreams, meetsVerificationBar } from './evaluation.ts';
import type { Evidence } from './evidence.ts';
import { decideAll, type GateDecision, gateDecisionOn, ruleBenchmarks, type Truth, withDependencies } from './gates.ts';
import { type EvidenceResolver, type JustificationResult, judgeJustification } from './justifications.ts';
import { byId } from './order.ts';
import type { Flip, Sensitivity } from './sensitivity-types.ts';

export const MAX_ITEM_TRIALS = 40;
export const MAX_FLIPS = 10;

const LOWER: Record<Reliability, Reliability> = { A: 'B', B: 'C', C: 'D', D: 'E', E: 'F', F: 'F' };

/** The item with every source graded one step lower in reliability (undefined when nothing can be lowered). */
export function downgraded(e: Evidence): Evidence | undefined {
  if (e.sources.every((s) => s.reliability === 'F')) return undefined;
  return { ...e, sources: e.sources.map((s) => ({ ...s, reliability: LOWER[s.reliability] })) };
}

function itemWords(e: Evidence): string {
  return `${e.kind} of ${e.occurredTo} (${e.id})`;
}

function claimsWords(ids: readonly string[]): string {
  return `the ${ids.length} item${ids.length === 1 ? '' : 's'} that only assert (the case author's or the analysis's claims) are dropped (${ids.join(', ')})`;
}

function gradeWords(e: Evidence): string {
  return e.sources.map((s) => `${s.reliability}${s.credibility}`).join(', ');
}

class Search {
  readonly flips: Flip[] = [];
  flipCount = 0;
  tried = 0;
  complete = true;
  constructor(private readonly base: string) {}
  try(to: string, flip: Omit<Flip, 'to'>): void {
    this.tried += 1;
    if (to === this.base) return;
    this.flipCount += 1;
    if (this.flips.length < MAX_FLIPS) this.flips.push({ ...flip, to });
  }
  result(words: (to: string) => string): Sensitivity {
    const label = this.flipCount > 0 ? 'fragile' : 'robust';
    const bound = this.complete ? '' : ` (the search stopped at its bound of ${MAX_ITEM_TRIALS} items per kind)`;
    let summary: string;
    if (this.flips.length === 0) {
      summary = `robust: none of ${this.tried} single change${this.tried === 1 ? '' : 's'} tried flips it${bound}`;
    } else {
      const first = this.flips[0] as Flip;
      const others = this.flipCount - 1;
      summary = `fragile: ${words(first.to)} if ${first.detail}${others > 0 ? `; ${others} other change${others === 1 ? '' : 's'} of ${this.tried} tried also flip it` : ''}${bound}`;
    }
    return { label, flips: this.flips, flipCount: this.flipCount, tried: this.tried, complete: this.complete, summary };
  }
}

/** Candidate items, in id order, capped; marks the search incomplete when capped. */
function capped(search: Search, items: readonly Evidence[]): Evidence[] {
  const sorted = [...items].sort(byId);
  if (sorted.length > MAX_ITEM_TRIALS) search.complete = false;
  return sorted.slice(0, MAX_ITEM_TRIALS);
}

/** The resolver with some standing items removed, or replaced. */
function resolverWith(resolve: EvidenceResolver, without: ReadonlySet<string>, replace?: Evidence): EvidenceResolver {
  return (id) => {
    const e = resolve(id);
    if (e === undefined || without.has(e.id)) return undefined;
    return replace !== undefined && replace.id === e.id ? replace : e;
  };
}

/** Sensitivity of a justification verdict (null when it is not applicable). */
export function justificationSensitivity(
  j: Justification,
  instrument: Instrument,
  interests: ReadonlyMap<string, Interest>,
  resolve: EvidenceResolver,
  asOf: IsoDate,
  base: JustificationResult,
  holds?: (effect: InstrumentEffect) => Truth,
): Sensitivity | null {
  if (base.verdict === 'not-applicable') return null;
  const search = new Search(base.verdict);
  const judge = (ints: ReadonlyMap<string, Interest>, r: EvidenceResolver) =>
    judgeJustification(j, instrument, ints, r, asOf, holds).verdict;
  const ranked = [...interests.values()].sort((a, b) => a.rank - b.rank);
  for (let i = 0; i + 1 < ranked.length; i++) {
    const a = ranked[i] as Interest;
    const b = ranked[i + 1] as Interest;
    const swapped = new Map(interests);
    swapped.set(a.id, { ...a, rank: b.rank });
    swapped.set(b.id, { ...b, rank: a.rank });
    search.try(judge(swapped, resolve), {
      change: 'rank-swap',
      detail: `the interests “${a.title}” (rank ${a.rank}) and “${b.title}” (rank ${b.rank}) swapped ranks`,
      subjects: [a.id, b.id],
    });
  }
  const citedIds = [...j.evidenceFor, ...j.evidenceAgainst, ...instrument.effects.flatMap((e) => e.evidence)];
  const cited = [...new Map(citedIds.flatMap((id) => resolve(id) ?? []).map((e) => [e.id, e])).values()];
  const candidates = capped(search, cited);
  for (const e of candidates) {
    search.try(judge(interests, resolverWith(resolve, new Set([e.id]))), {
      change: 'remove-item',
      detail: `${itemWords(e)} is removed`,
      subjects: [e.id],
    });
  }
  const claims = cited.filter((e) => e.claim !== undefined);
  if (claims.length > 0) {
    const ids = claims.map((e) => e.id).sort();
    search.try(judge(interests, resolverWith(resolve, new Set(ids))), {
      change: 'drop-claims',
      detail: claimsWords(ids),
      subjects: ids,
    });
  }
  for (const e of candidates) {
    const lower = downgraded(e);
    if (lower === undefined) continue;
    search.try(judge(interests, resolverWith(resolve, new Set(), lower)), {
      change: 'downgrade',
      detail: `the sources of ${itemWords(e)} are graded one step lower (${gradeWords(e)} → ${gradeWords(lower)})`,
      subjects: [e.id],
    });
  }
  return search.result((to) => `becomes ${to.replace(/-/g, ' ')}`);
}

/** What a gate's sensitivity search needs of the evaluation. */
export interface GateTrialContext {
  readonly case: Case;
  readonly statuses: ReadonlyMap<string, BenchmarkStatusKind>;
  /** The benchmark's streams, advanced to the as-of date. */
  readonly streamsOf: (benchmark: string) => BenchmarkStreams | undefined;
  readonly resolve: EvidenceResolver;
  readonly asOf: IsoDate;
  /** Statuses of trials already run in this evaluation (shared by the gates that read one benchmark). */
  readonly trials?: Map<string, BenchmarkStatusKind>;
  /**
   * The benchmarks with an indicator that reads the item (whether or not their streams
   * hold it): when given, only those are asked whether they hold it.
   */
  readonly readersOf?: (e: Evidence) => ReadonlySet<string>;
}

/**
 * Statuses with some of them changed, read without copying the others (the gates read
 * statuses with `get`; iterating gives the changed map as a copy would).
 */
class ChangedStatuses implements ReadonlyMap<string, BenchmarkStatusKind> {
  #whole: Map<string, BenchmarkStatusKind> | undefined;
  constructor(
    private readonly base: ReadonlyMap<string, BenchmarkStatusKind>,
    private readonly changed: ReadonlyMap<string, BenchmarkStatusKind>,
  ) {}
  get(key: string): BenchmarkStatusKind | undefined {
    return this.changed.has(key) ? this.changed.get(key) : this.base.get(key);
  }
  has(key: string): boolean {
    return this.changed.has(key) || this.base.has(key);
  }
  private whole(): Map<string, BenchmarkStatusKind> {
    if (this.#whole === undefined) {
      this.#whole = new Map(this.base);
      for (const [k, v] of this.changed) this.#whole.set(k, v);
    }
    return this.#whole;
  }
  get size(): number {
    return this.whole().size;
  }
  forEach(f: (value: BenchmarkStatusKind, key: string, map: ReadonlyMap<string, BenchmarkStatusKind>) => void): void {
    for (const [k, v] of this.whole()) f(v, k, this);
  }
  entries(): MapIterator<[string, BenchmarkStatusKind]> {
    return this.whole().entries();
  }
  keys(): MapIterator<string> {
    return this.whole().keys();
  }
  values(): MapIterator<BenchmarkStatusKind> {
    return this.whole().values();
  }
  [Symbol.iterator](): MapIterator<[string, BenchmarkStatusKind]> {
    return this.whole()[Symbol.iterator]();
  }
}

/** A benchmark's status with items taken out of its verified evidence, or of all of it. */
function statusWithout(s: BenchmarkStreams, ids: ReadonlySet<string>, fromAll: boolean, asOf: IsoDate): BenchmarkStatusKind {
  const verified = s.verified.trialWithout(ids);
  verified.advance(asOf);
  let all = s.all;
  // One stream serves as both when no item falls below the bar (see `streamsOver`): so does its trial.
  if (all === s.verified) {
    if (fromAll) all = verified;
  } else if (all !== undefined && fromAll) {
    all = all.trialWithout(ids);
    all.advance(asOf);
  }
  return statusKindOf(s.compiled, verified, all, asOf);
}

/** Sensitivity of a gate decision (null when the instrument does not apply or its rule reads no benchmark). */
export function gateSensitivity(
  instrument: Instrument,
  gate: Gate | undefined,
  waivers: readonly Waiver[],
  decision: GateDecision,
  evidence: readonly string[],
  ctx: GateTrialContext,
): Sensitivity | null {
  if (decision === 'not-applicable' || gate === undefined) return null;
  // The benchmarks of its gate, and of the gates of the instruments its gate reads (transitively).
  const deps = withDependencies(ctx.case, instrument.id);
  const ids = [
    ...new Set(
      deps.flatMap((id) => {
        const g = ctx.case.gates.find((x) => x.instrument === id);
        return g === undefined ? [] : [...ruleBenchmarks(g.rule), ...(g.lift === undefined ? [] : ruleBenchmarks(g.lift))];
      }),
    ),
  ];
  if (ids.length === 0) return null;
  const search = new Search(decision);
  const decideWith = (changed: ReadonlyMap<string, BenchmarkStatusKind>) => {
    if (changed.size === 0) return decision;
    const statuses = new ChangedStatuses(ctx.statuses, changed);
    if (deps.length > 1) return decideAll(ctx.case, statuses, ctx.asOf).get(instrument.id) ?? 'unknown';
    return gateDecisionOn(instrument, gate, waivers, statuses, ctx.asOf);
  };
  const streamsOfIds = ids.map((b) => ({ id: b, s: ctx.streamsOf(b) }));
  const indexOf = new Map(ids.map((b, i) => [b, i]));
  /** The rule's benchmarks that hold an item, with their streams, in rule order. */
  const holders = (e: Evidence) => {
    const readers = ctx.readersOf?.(e);
    // Only the benchmarks that read the item can hold it: when they are known, only they are asked.
    const asked =
      readers === undefined || readers.size >= ids.length
        ? streamsOfIds
        : [...readers]
            .flatMap((b) => {
              const i = indexOf.get(b);
              return i === undefined ? [] : [i];
            })
            .sort((a, b) => a - b)
            .map((i) => streamsOfIds[i] as { id: string; s: BenchmarkStreams | undefined });
    const out: { id: string; s: BenchmarkStreams }[] = [];
    for (const { id, s } of asked) {
      if (s === undefined || (readers !== undefined && !readers.has(id))) continue;
      if (s.verified.holds(e) || s.all?.holds(e) === true) out.push({ id, s });
    }
    return out;
  };
  /**
   * Whether any change of these benchmarks' truth (met, unknown, or known not met) could
   * change the decision: when none can, a trial on them cannot flip it and the streams need
   * not be re-evaluated (an exact shortcut: gates read only that truth).
   */
  // An engagement's gate reads only benchmarks, through rules monotone in their truth (not met <
  // unknown < met): a change of many benchmarks at once can flip it only if setting them all
  // met, or all not met, does. A sanction (required while its lift does not hold) and a gate that
  // reads other instruments are not monotone: they are tried in full.
  const monotone = instrument.kind !== 'sanction' && deps.length === 1;
  const pivotal = (bs: readonly string[]): boolean => {
    if (bs.length === 0) return false;
    if (monotone) {
      // Every other assignment lies between the two uniform ones, and so does its decision.
      const all = (status: BenchmarkStatusKind) => new Map(bs.map((b) => [b, status]));
      return decideWith(all('met')) !== decision || decideWith(all('not-met')) !== decision;
    }
    if (bs.length > 3) return true;
    const values: BenchmarkStatusKind[] = ['met', 'unknown', 'not-met'];
    const combos = values.length ** bs.length;
    for (let k = 0; k < combos; k++) {
      const changed = new Map<string, BenchmarkStatusKind>();
      let rest = k;
      for (const b of bs) {
        changed.set(b, values[rest % values.length] as BenchmarkStatusKind);
        rest = Math.floor(rest / values.length);
      }
      if (decideWith(changed) !== decision) return true;
    }
    return false;
  };
  const trialStatus = (b: string, s: BenchmarkStreams, removed: ReadonlySet<string>, fromAll: boolean): BenchmarkStatusKind => {
    const key = `${b}\u0000${fromAll ? 'all' : 'verified'}\u0000${[...removed].sort().join('\u0000')}`;
    let status = ctx.trials?.get(key);
    if (status === undefined) {
      status = statusWithout(s, removed, fromAll, ctx.asOf);
      ctx.trials?.set(key, status);
    }
    return status;
  };
  const cited = evidence.flatMap((id) => ctx.resolve(id) ?? []);
  const candidates = capped(search, cited);
  for (const e of candidates) {
    const hs = holders(e);
    const changed = pivotal(hs.map((h) => h.id))
      ? new Map(hs.map((h) => [h.id, trialStatus(h.id, h.s, new Set([e.id]), true)]))
      : new Map<string, BenchmarkStatusKind>();
    search.try(decideWith(changed), { change: 'remove-item', detail: `${itemWords(e)} is removed`, subjects: [e.id] });
  }
  const claimIds = new Set<string>();
  const claimItems = new Map<string, Evidence>();
  for (const b of ids) {
    const s = ctx.streamsOf(b);
    if (s === undefined) continue;
    for (const p of (s.all ?? s.verified).claimedItems()) {
      claimIds.add(p.item.id);
      if (!claimItems.has(p.item.id)) claimItems.set(p.item.id, p.item);
    }
  }
  if (claimIds.size > 0) {
    const dropped = [...claimIds].sort();
    const droppedItems = [...claimItems.values()];
    const touched = ids.flatMap((b) => {
      const s = ctx.streamsOf(b);
      return s === undefined || !droppedItems.some((e) => s.verified.holds(e) || s.all?.holds(e) === true) ? [] : [{ b, s }];
    });
    const changed = pivotal(touched.map((t) => t.b))
      ? new Map(touched.map((t) => [t.b, trialStatus(t.b, t.s, claimIds, true)] as const))
      : new Map<string, BenchmarkStatusKind>();
    search.try(decideWith(changed), {
      change: 'drop-claims',
      detail: claimsWords(dropped),
      subjects: dropped,
    });
  }
  for (const e of candidates) {
    const lower = downgraded(e);
    if (lower === undefined) continue;
    // Only benchmarks whose bar the item meets now and would no longer meet see a difference.
    const affected = holders(e).filter(
      (h) => h.s.verified.holds(e) && !meetsVerificationBar(lower, h.s.compiled.benchmark.verification),
    );
    const changed = pivotal(affected.map((h) => h.id))
      ? new Map(affected.map((h) => [h.id, trialStatus(h.id, h.s, new Set([e.id]), false)] as const))
      : new Map<string, BenchmarkStatusKind>();
    search.try(decideWith(changed), {
      change: 'downgrade',
      detail: `the sources of ${itemWords(e)} are graded one step lower (${gradeWords(e)} → ${gradeWords(lower)})`,
      subjects: [e.id],
    });
  }
  return search.result((to) => `becomes ${to.replace(/-/g, ' ')}`);
}
