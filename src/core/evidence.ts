/**
 * Evidence: entries of the ledger, and the as-of view of them.
 *
 * Invariants:
 * - An entry is never edited or deleted. A correction is a new entry naming the entry it
 *   `supersedes`; a retraction is a correction with `retracted: true`.
 * - The view as of (`asOf`, `recordedBy`) holds the entries reported on or before `asOf`
 *   whose occurrence began on or before `asOf`, and recorded on or before `recordedBy`;
 *   of those, an entry superseded by another entry of the view is replaced by it
 *   (transitively), and retractions remove what they supersede.
 * - Source independence: sources sharing an `origin` (or, with none given, a publisher)
 *   are copies of one report and count once.
 */
import type { Credibility, FindingGrade, Reliability } from './case-model.ts';
import { type IsoDate, lastDayOf, maxDate } from './dates.ts';
import { byId } from './order.ts';

export interface EvidenceSource {
  readonly publisher: string;
  readonly title: string;
  readonly date: string;
  readonly url?: string;
  readonly reliability: Reliability;
  readonly credibility: Credibility;
  /** Shared by copies of one report (a wire story reprinted); defaults to the publisher. */
  readonly origin?: string;
}

export interface Quantity {
  readonly value: number;
  readonly of?: number;
  readonly unit?: string;
}

export interface Evidence {
  readonly id: string;
  readonly kind: string;
  readonly actors: readonly string[];
  readonly description: string;
  /** First day of the occurrence (a date, or the start of an interval). */
  readonly occurred: IsoDate;
  /** Last day of the occurrence; equal to `occurred` for a single day. */
  readonly occurredTo: IsoDate;
  readonly reported: IsoDate;
  readonly recorded: IsoDate;
  readonly sources: readonly EvidenceSource[];
  readonly amount?: number;
  readonly currency?: string;
  readonly quantity?: Quantity;
  readonly tags: readonly string[];
  readonly supersedes?: string;
  readonly retracted?: boolean;
  /** A caveat the analyst wants shown with the entry (e.g. "the essay's claim only"). */
  readonly note?: string;
  /** What the principal did with one of its instruments, when the entry records that. */
  readonly action?: PrincipalAction;
  /** The entry records an assertion, not an observed fact: the case author's, or the modelled analysis's (an essay, a report). */
  readonly claim?: ClaimKind;
  /** A movement of money the entry records, with its payer and direction declared (never guessed from the kind). */
  readonly flow?: MoneyFlow;
  /** An assessor's published finding about one benchmark (a Commission report's grade, an FATF plenary's). */
  readonly finding?: Finding;
}

/** What an assessor found about one benchmark (or group member), as of the entry's occurrence. */
export interface Finding {
  readonly benchmark: string;
  readonly grade: FindingGrade;
  /** Who assessed (the Commission, the FATF plenary, the MCC board). */
  readonly assessor: string;
}

/**
 * What the principal did with an instrument. `engaged` actions put the instrument in use
 * (notified, approved, provided, resumed, imposed); `halted` ones take it out of use
 * (suspended, withheld, cancelled, lifted); `proposed` is neither.
 */
export const ACTION_KINDS = [
  'proposed',
  'notified',
  'approved',
  'provided',
  'resumed',
  'imposed',
  'suspended',
  'withheld',
  'cancelled',
  'lifted',
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

export const ENGAGING_ACTIONS: ReadonlySet<ActionKind> = new Set(['notified', 'approved', 'provided', 'resumed', 'imposed']);
export const HALTING_ACTIONS: ReadonlySet<ActionKind> = new Set(['suspended', 'withheld', 'cancelled', 'lifted']);

export interface PrincipalAction {
  readonly instrument: string;
  readonly kind: ActionKind;
}

export const CLAIM_KINDS = ['author', 'analysis'] as const;
export type ClaimKind = (typeof CLAIM_KINDS)[number];

/**
 * Money flows, by what they are: aid the principal gives; a sale the counterpart pays for;
 * money withheld or cancelled; the counterpart's purchases from third parties.
 */
export const FLOW_KINDS = ['aid', 'sale', 'withheld', 'third-party-purchase'] as const;
export type FlowKind = (typeof FLOW_KINDS)[number];

export interface MoneyFlow {
  readonly kind: FlowKind;
  /** Actor id of who pays (or would have paid, for money withheld). */
  readonly payer: string;
  /** Actor id of who receives. */
  readonly payee: string;
}

export interface ViewOptions {
  readonly asOf: IsoDate;
  /** Ledger time: only entries recorded by then. Undefined means the whole ledger. */
  readonly recordedBy?: IsoDate;
}

export function isKnown(e: Evidence, opts: ViewOptions): boolean {
  return e.reported <= opts.asOf && e.occurred <= opts.asOf && (opts.recordedBy === undefined || e.recorded <= opts.recordedBy);
}

/**
 * Resolves supersession among a set of known entries: returns the entries that stand,
 * in id order. `supersededBy` maps each replaced id to the id that replaced it.
 */
export function resolveSupersession(known: readonly Evidence[]): {
  readonly standing: Evidence[];
  readonly supersededBy: ReadonlyMap<string, string>;
} {
  const supersededBy = new Map<string, string>();
  for (const e of known) if (e.supersedes !== undefined) supersededBy.set(e.supersedes, e.id);
  const standing = known.filter((e) => !supersededBy.has(e.id) && e.retracted !== true);
  standing.sort(byId);
  return { standing, supersededBy };
}

/**
 * Follows supersession from a cited id to the entry that stands for it now: the latest
 * correction, or undefined if the chain ends in a retraction or an unknown id.
 */
export function resolveCited(
  id: string,
  byId: ReadonlyMap<string, Evidence>,
  supersededBy: ReadonlyMap<string, string>,
): Evidence | undefined {
  let current = id;
  for (let hops = 0; hops <= byId.size; hops++) {
    const next = supersededBy.get(current);
    if (next === undefined) {
      const e = byId.get(current);
      return e === undefined || e.retracted === true ? undefined : e;
    }
    current = next;
  }
  return undefined;
}

/** The entries that stand as of a date, each with the sources out by then: known, then supersession resolved. */
export function viewAsOf(ledger: readonly Evidence[], opts: ViewOptions): Evidence[] {
  return resolveSupersession(ledger.filter((e) => isKnown(e, opts))).standing.map((e) => asKnownOn(e, opts.asOf));
}

/** The day a source was surely out: the last day of its (possibly partial) date. */
export function sourceDay(s: EvidenceSource): IsoDate {
  return lastDayOf(s.date);
}

/**
 * The days after an entry became known on which it gains sources, ascending; empty when
 * its sources do not change what is known of it over time.
 *
 * Sources are dated. When one of an entry's sources was out by the day the entry became
 * known (the later of its report and occurrence) and others came out later — a second
 * outlet confirming an arrest weeks on — the later ones are no part of what was known
 * before their date: an assessment as of an earlier day must not grade the entry on them.
 * When every source is dated after that day, the sources are later accounts of what the
 * entry says was reported then (an essay, a retrospective report): the entry stands as
 * written, on all of them, from the day it became known.
 */
export function laterSourceDays(e: Evidence): IsoDate[] {
  if (e.sources.length < 2) return [];
  const known = maxDate(e.reported, e.occurred);
  let outByThen = false;
  const later = new Set<IsoDate>();
  for (const s of e.sources) {
    const day = sourceDay(s);
    if (day <= known) outByThen = true;
    else later.add(day);
  }
  return outByThen && later.size > 0 ? [...later].sort() : [];
}

/**
 * An entry as known on `day` (on or after the day it became known; an earlier day gives it
 * as it was when it became known): with only the sources
 * out by then, when its sources come out over time (see `laterSourceDays`); the entry
 * itself, unchanged, otherwise. Applying it to an entry already taken to a later day gives
 * the same as applying it to the entry as written.
 */
export function asKnownOn(e: Evidence, day: IsoDate): Evidence {
  if (e.sources.length < 2) return e;
  let after = false;
  for (const s of e.sources) {
    if (sourceDay(s) > day) {
      after = true;
      break;
    }
  }
  if (!after || laterSourceDays(e).length === 0) return e;
  // Never fewer sources than it had when it became known (a day before that shows it as then).
  const by = maxDate(day, maxDate(e.reported, e.occurred));
  return { ...e, sources: e.sources.filter((s) => sourceDay(s) <= by) };
}

const RELIABILITY_ORDER: Record<Reliability, number> = { A: 0, B: 1, C: 2, D: 3, E: 4, F: 5 };
const CREDIBILITY_ORDER: Record<Credibility, number> = { 1: 0, 2: 1, 3: 2, 4: 3, 5: 4, 6: 5 };

/** `a` is at least as good as `b` on the A–F scale. */
export function reliabilityAtLeast(a: Reliability, b: Reliability): boolean {
  return RELIABILITY_ORDER[a] <= RELIABILITY_ORDER[b];
}

export function credibilityAtLeast(a: Credibility, b: Credibility): boolean {
  return CREDIBILITY_ORDER[a] <= CREDIBILITY_ORDER[b];
}

/**
 * Numeric weight of a graded source, for weighing evidence for and against a claim.
 * F ("cannot be judged") and 6 ("cannot be judged") sit below D and 4 respectively.
 */
const RELIABILITY_WEIGHT: Record<Reliability, number> = { A: 1, B: 0.8, C: 0.6, D: 0.4, E: 0.1, F: 0.3 };
const CREDIBILITY_WEIGHT: Record<Credibility, number> = { 1: 1, 2: 0.8, 3: 0.6, 4: 0.3, 5: 0.05, 6: 0.3 };

export function sourceWeight(s: EvidenceSource): number {
  return RELIABILITY_WEIGHT[s.reliability] * CREDIBILITY_WEIGHT[s.credibility];
}

/** Weight of an entry: its best independent source's weight (copies add nothing). */
export function evidenceWeight(e: Evidence): number {
  let best = 0;
  for (const s of e.sources) best = Math.max(best, sourceWeight(s));
  return best;
}

export function originKey(s: EvidenceSource): string {
  return (s.origin ?? s.publisher).trim().toLowerCase().replace(/\s+/g, ' ');
}

/** Independent sources of an entry that meet the grade bar. */
export function independentSourcesMeeting(e: Evidence, minReliability: Reliability, minCredibility: Credibility): number {
  const origins = new Set<string>();
  for (const s of e.sources) {
    if (reliabilityAtLeast(s.reliability, minReliability) && credibilityAtLeast(s.credibility, minCredibility)) {
      origins.add(originKey(s));
    }
  }
  return origins.size;
}

/** The best grade among an entry's sources, e.g. "B2". */
export function bestGrade(e: Evidence): string {
  let best: EvidenceSource | undefined;
  for (const s of e.sources) {
    if (
      best === undefined ||
      RELIABILITY_ORDER[s.reliability] < RELIABILITY_ORDER[best.reliability] ||
      (s.reliability === best.reliability && CREDIBILITY_ORDER[s.credibility] < CREDIBILITY_ORDER[best.credibility])
    ) {
      best = s;
    }
  }
  return best === undefined ? '—' : `${best.reliability}${best.credibility}`;
}
