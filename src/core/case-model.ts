/**
 * The case: what an analyst states about a conditional-engagement policy.
 *
 * A `Case` is plain, frozen data produced at the edge (case files, API) after validation.
 * Every reference in it (interest, actor, benchmark, instrument, indicator, review
 * calendar) resolves; ids are unique within their kind. Verdicts and statuses are never
 * part of a case: they are computed by `assess`.
 */
import type { Duration, IsoDate } from './dates.ts';

/**
 * When a dated case item (an instrument, gate, benchmark, justification or issue area)
 * applies: from `from` through `until` (either open when absent), and in an assessment
 * only from the day it became `known`. Outside that span the item is `not-applicable`:
 * neither met nor unmet, locked nor unlocked. Partial dates are read conservatively, as
 * for waivers: a partial `from` starts on its last day, a partial `until` ends on its first.
 */
export interface Validity {
  /** First day the item applies. */
  readonly from?: IsoDate;
  /** Last day the item applies. */
  readonly until?: IsoDate;
  /** First day the item was publicly known (its source's date unless given); before it, as-of assessments do not apply it. */
  readonly known?: IsoDate;
}

export const ACTOR_KINDS = ['state', 'group', 'person', 'organization'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

export interface SourceRef {
  readonly publisher: string;
  readonly title: string;
  readonly date: string;
  readonly url?: string;
}

export interface Actor {
  readonly id: string;
  readonly name: string;
  readonly kind: ActorKind;
  readonly aliases: readonly string[];
  /** CAMEO actor codes (e.g. PAK, USAGOV, SASREB) where they exist. */
  readonly cameo: readonly string[];
  /** Ids of actors this one belongs to (a person to a group, a group to a state). */
  readonly memberOf: readonly string[];
  readonly notes?: string;
}

export interface Interest {
  readonly id: string;
  readonly title: string;
  /** 1 is the most important; ranks are unique within a case. */
  readonly rank: number;
  /** Relative weight in [0, 1]; used to weigh service against harm of equal standing. */
  readonly weight: number;
  readonly rationale?: string;
  readonly source?: SourceRef;
}

export const EFFECT_DIRECTIONS = ['serves', 'harms'] as const;
export type EffectDirection = (typeof EFFECT_DIRECTIONS)[number];

/**
 * A claimed effect of an instrument on an interest, with the evidence for it. With `while`,
 * the effect holds only while that rule (over benchmarks and groups) holds; with `unless`,
 * only while it does not ("visa-free travel harms internal security unless the security
 * block is met"). Decided three-valued on the day, like a gate rule.
 */
export interface InstrumentEffect {
  readonly interest: string;
  readonly direction: EffectDirection;
  readonly rationale: string;
  readonly evidence: readonly string[];
  readonly while?: GateRule;
  readonly unless?: GateRule;
}

/**
 * What an instrument does to the counterpart: `engagement` (dialogue, aid, sales: the gate
 * says when it may go ahead) or `sanction` (a negative instrument: the gate's rule says when
 * it is required — its trigger — and `lift` when it may be lifted).
 */
export const INSTRUMENT_KINDS = ['engagement', 'sanction'] as const;
export type InstrumentKind = (typeof INSTRUMENT_KINDS)[number];

export interface Instrument {
  readonly id: string;
  readonly title: string;
  /** Absent: an engagement. */
  readonly kind?: InstrumentKind;
  /** 1 is the least consequential (dialogue); higher tiers are broader engagement. */
  readonly tier: number;
  readonly amount?: number;
  readonly currency?: string;
  readonly description?: string;
  readonly effects: readonly InstrumentEffect[];
  readonly source?: SourceRef;
  readonly validity?: Validity;
}

export const INDICATOR_KINDS = ['count', 'sum', 'latest', 'state', 'exists', 'series'] as const;
export type IndicatorKind = (typeof INDICATOR_KINDS)[number];

/** Which evidence items an indicator looks at. All given parts must hold. */
export interface EvidenceFilter {
  /** Evidence kinds; empty means any kind. */
  readonly kinds: readonly string[];
  /** At least one of these actors (or an actor that is a member of one) is involved. */
  readonly actors: readonly string[];
  /** A CEL expression over the item (see docs/case-format.md), or undefined. */
  readonly where?: string;
}

interface IndicatorBase {
  readonly id: string;
  readonly title: string;
  readonly description?: string;
  readonly filter: EvidenceFilter;
}

/** Number of matching items whose occurrence falls in the trailing window. */
export interface CountIndicator extends IndicatorBase {
  readonly kind: 'count';
  readonly window?: Duration;
}

/** Sum of a numeric field of matching items in the trailing window (one currency). */
export interface SumIndicator extends IndicatorBase {
  readonly kind: 'sum';
  readonly field: 'amount' | 'value';
  readonly currency?: string;
  readonly window?: Duration;
}

/** Whether any matching item occurred in the trailing window. */
export interface ExistsIndicator extends IndicatorBase {
  readonly kind: 'exists';
  readonly window?: Duration;
}

/** The field of the most recent matching item (a series such as action items completed). */
export interface LatestIndicator extends IndicatorBase {
  readonly kind: 'latest';
  readonly field: 'amount' | 'value' | 'of';
}

/**
 * A boolean state per subject, switched on and off by evidence kinds (detention on,
 * release off). The value is the number of subjects in the `on` state. A subject with
 * no switching evidence has the `initial` state; with `initial: unknown` the whole
 * indicator is unknown until every subject has evidence.
 */
export interface StateIndicator extends IndicatorBase {
  readonly kind: 'state';
  readonly subjects: readonly string[];
  readonly on: readonly string[];
  readonly off: readonly string[];
  readonly initial: 'on' | 'off' | 'unknown';
}

export const SERIES_AGGREGATES = ['sum', 'mean', 'latest'] as const;
export type SeriesAggregate = (typeof SERIES_AGGREGATES)[number];

/**
 * What each matched event contributes to an event-data series: 1 (`count`), its article
 * count (`articles`, GDELT NumArticles), its source count (`sources`, GDELT NumSources) or
 * its Goldstein score (`goldstein-sum`; ICEWS Intensity).
 */
export const EVENT_MEASURES = ['count', 'articles', 'sources', 'goldstein-sum'] as const;
export type EventMeasure = (typeof EVENT_MEASURES)[number];

/** Where an adapter finds a series' points; the core does not interpret it. */
export type SeriesSource =
  | {
      readonly store: 'events';
      readonly actor1: readonly string[];
      readonly actor2: readonly string[];
      readonly either: boolean;
      readonly rootCodes: readonly string[];
      readonly quadClasses: readonly number[];
      /** What each day contributes: its events counted, or weighted (see `EVENT_MEASURES`). */
      readonly measure: EventMeasure;
    }
  | { readonly store: 'series'; readonly measure: string; readonly dyad: readonly string[] };

/**
 * A value over an external time series (event data, UN voting convergence, aid, …):
 * points `(date, knownAt, value)` supplied by an adapter. As of day t, only points known
 * by t count; `aggregate` combines the points dated inside the trailing window (all
 * time if none): their sum, their mean, or the latest. Unknown when the adapter supplied
 * no series (the input is missing) or, for mean/latest, when no point falls in range.
 */
export interface SeriesIndicator extends IndicatorBase {
  readonly kind: 'series';
  readonly source: SeriesSource;
  readonly aggregate: SeriesAggregate;
  readonly window?: Duration;
  /** The dataset, cited for every point. */
  readonly dataset: SourceRef;
  readonly reliability: Reliability;
  readonly credibility: Credibility;
}

/**
 * The grade of the latest finding an assessor published about one benchmark (see
 * `FINDING_GRADES`): 2 fulfilled, 1 partially fulfilled, 0 not fulfilled; unknown when
 * no finding is recorded or the latest says the benchmark was not assessed. Never written
 * in a case file: the engine creates one for each benchmark decided by findings.
 */
export interface FindingIndicator extends IndicatorBase {
  readonly kind: 'finding';
  /** The benchmark the findings are about. */
  readonly benchmark: string;
  /** Only findings by this assessor count; any assessor's when absent. */
  readonly assessor?: string;
}

/** The indicators a case file writes. */
export type CaseIndicator = CountIndicator | SumIndicator | ExistsIndicator | LatestIndicator | StateIndicator | SeriesIndicator;

/** Every indicator the engine evaluates: those of the case, and those it creates for findings. */
export type Indicator = CaseIndicator | FindingIndicator;

/**
 * The grades assessors give benchmarks (a Commission report, an FATF plenary, an MCC
 * scorecard, an IMF review), from best to worst, and `not-assessed`: the assessor looked
 * at the period but did not grade the benchmark (which proves nothing either way).
 */
export const FINDING_GRADES = ['fulfilled', 'partially-fulfilled', 'not-fulfilled', 'not-assessed'] as const;
export type FindingGrade = (typeof FINDING_GRADES)[number];

/** The value a finding's grade gives its indicator: 2, 1, 0, or undefined for `not-assessed`. */
export function findingGradeValue(grade: FindingGrade): number | undefined {
  return grade === 'fulfilled' ? 2 : grade === 'partially-fulfilled' ? 1 : grade === 'not-fulfilled' ? 0 : undefined;
}

/**
 * How findings decide a benchmark: the latest finding (by the named assessor, if any) must
 * reach `bar`. With bar `fulfilled`, a latest finding of partially fulfilled (the other
 * conditions holding) gives the status `partial`.
 */
export interface FindingRule {
  readonly assessor?: string;
  readonly bar: 'fulfilled' | 'partially-fulfilled';
}

export interface ReviewDate {
  readonly id: string;
  readonly calendar: string;
  readonly title: string;
  /** The day the review concludes (the last day of a partial date given in the file). */
  readonly date: IsoDate;
  /** The date as written (a year, month or day). */
  readonly written: string;
  readonly source?: SourceRef;
}

export interface Verification {
  /** Lowest acceptable source reliability (A best … F). */
  readonly minReliability: Reliability;
  /** Lowest acceptable information credibility (1 best … 6). */
  readonly minCredibility: Credibility;
  /** Independent sources (copies of one report count once) each item needs. */
  readonly minSources: number;
}

export interface ReviewRule {
  readonly calendar: string;
  /** An action this close before a review concludes is flagged `timed-to-review`. */
  readonly window: Duration;
  /** If true, a flagged action counts only from the review's date, and only if not undone by then. */
  readonly countAfterReview: boolean;
}

export interface Benchmark {
  readonly id: string;
  readonly title: string;
  readonly description?: string;
  /** CEL clauses over indicator ids; all must hold. Each is reported separately. */
  readonly conditions: readonly string[];
  /** Indicator ids the clauses refer to (derived at load time). */
  readonly indicators: readonly string[];
  /** How long the conditions must hold without a break before the benchmark is met. */
  readonly duration: Duration;
  /** Evidence kinds that undo progress (release, bail, acquittal, de-listing, restored accounts). */
  readonly reversals: readonly string[];
  readonly verification: Verification;
  readonly review?: ReviewRule;
  readonly source?: SourceRef;
  readonly validity?: Validity;
  /** How old its newest counted evidence may be before the benchmark is flagged `stale` (the case's `stale` if absent). */
  readonly stale?: Duration;
  /** Who set the benchmark, where that is not the source it cites (e.g. the case author). */
  readonly author?: string;
  /** When assessors' findings decide it (with its conditions, if any): which findings, and the grade they must reach. */
  readonly finding?: FindingRule;
  /** The group (a benchmark list, such as a roadmap) it is a member of, and the block within it. */
  readonly group?: string;
  readonly block?: string;
}

/**
 * A named list of benchmarks (a roadmap, a scorecard, a statute's conditions), each member
 * a full benchmark with its own status and evidence. A group with a `parent` is a block of
 * that group. Gate rules may name a group where they name benchmarks: `{all: roadmap}`,
 * `{atLeast: 65, of: roadmap}`, or a group inside a list, meaning all its members met.
 */
export interface BenchmarkGroup {
  readonly id: string;
  readonly title: string;
  readonly description?: string;
  /** The group this one is a block of. */
  readonly parent?: string;
  /** Member benchmark ids, in the order written (a block's members also count as its parent's). */
  readonly members: readonly string[];
  readonly source?: SourceRef;
}

/**
 * What a gate rule may ask of another instrument's decision: `unlocked`; `warranted`
 * (unlocked or waived); `locked`; for a sanction, `required` or `not-required`.
 */
export const INSTRUMENT_CONDITIONS = ['unlocked', 'warranted', 'locked', 'required', 'not-required'] as const;
export type InstrumentCondition = (typeof INSTRUMENT_CONDITIONS)[number];

/** A term of a gate rule on another instrument's decision on the same day. */
export interface InstrumentTerm {
  readonly instrument: string;
  readonly is: InstrumentCondition;
}

/** The terms of an all, any or at-least rule (see `GateRule`). */
export interface RuleTerms {
  readonly benchmarks: readonly string[];
  readonly rules?: readonly GateRule[];
  readonly instruments?: readonly InstrumentTerm[];
  readonly group?: string;
}

/**
 * A gate rule over benchmarks and, nested, other rules: each of `benchmarks`, `rules` and
 * `instruments` is one term (a nested rule holds or not as a whole; an instrument term holds
 * when that instrument's decision is as asked). `group` names the group a rule was written
 * over (`{all: roadmap}`), for its description.
 */
export type GateRule =
  | { readonly kind: 'none' }
  | (RuleTerms & { readonly kind: 'all' })
  | (RuleTerms & { readonly kind: 'any' })
  | (RuleTerms & { readonly kind: 'at-least'; readonly count: number })
  | {
      readonly kind: 'weighted';
      readonly weights: readonly { readonly benchmark: string; readonly weight: number }[];
      readonly threshold: number;
    };

export interface Gate {
  readonly instrument: string;
  /** For an engagement, what must hold for it to go ahead; for a sanction, its trigger: what makes it required. */
  readonly rule: GateRule;
  /** For a sanction only: once this holds, the sanction is no longer required and may be lifted. */
  readonly lift?: GateRule;
  readonly rationale?: string;
  readonly source?: SourceRef;
  /** Outside it the instrument is not conditioned by this gate. */
  readonly validity?: Validity;
}

export interface Waiver {
  readonly id: string;
  readonly instrument: string;
  readonly authority: string;
  readonly rationale: string;
  /** First day the waiver certainly applies (the last day of a partial start date). */
  readonly start: IsoDate;
  /** Last day the waiver applies (the first day of a partial expiry date); open-ended if absent. */
  readonly expiry?: IsoDate;
  /** First day the waiver was publicly known (its source's date unless given): as-of assessments before it do not apply it. */
  readonly known?: IsoDate;
  readonly source?: SourceRef;
}

export interface Justification {
  readonly id: string;
  readonly instrument: string;
  readonly title: string;
  readonly claim: string;
  readonly claimedBy?: string;
  /** Interests the justification says the instrument serves. */
  readonly serves: readonly string[];
  readonly evidenceFor: readonly string[];
  readonly evidenceAgainst: readonly string[];
  readonly source?: SourceRef;
  readonly validity?: Validity;
}

/**
 * An issue area (Afghanistan, terror financing, China, trade, …): what the principal wants
 * there and the evidence of where the counterpart actually stands. There is no stance or
 * verdict field: whether the two align, diverge or are unknown is computed from the graded
 * evidence as of a date (`issue-areas.ts`).
 */
export interface IssueArea {
  readonly id: string;
  readonly title: string;
  /** The principal's interest at stake in this area. */
  readonly principalInterest: string;
  /** What the principal wants in this area, in the analyst's words. */
  readonly principalPosition: string;
  readonly description?: string;
  /** Evidence of the counterpart's revealed position: acting with the principal's position, or against it. */
  readonly evidence: { readonly aligned: readonly string[]; readonly opposed: readonly string[] };
  /** Instruments that cooperation in this area could justify, should interests align. */
  readonly instruments: readonly string[];
  readonly source?: SourceRef;
  readonly validity?: Validity;
}

/**
 * What the case watched: the claim that, from `from` through `until`, every item of the
 * named indicators' kinds that `source` reported was recorded in the ledger. Within such a
 * span, no recorded item means none occurred; outside it, silence means nothing. A count,
 * sum or exists indicator whose trailing window is not wholly monitored gives only a lower
 * bound; a state indicator with monitoring is unknown once its subject's last record is
 * followed by unmonitored days. Partial dates are read conservatively (a partial `from`
 * from its last day, a partial `until` to its first).
 */
export interface Monitoring {
  readonly id: string;
  readonly title: string;
  readonly indicators: readonly string[];
  readonly from: IsoDate;
  readonly until?: IsoDate;
  /** First day the claim could be made (e.g. when an annual report was published); as you go if absent. */
  readonly known?: IsoDate;
  readonly source: SourceRef;
  readonly note?: string;
}

export interface Case {
  readonly id: string;
  readonly title: string;
  readonly principal: string;
  readonly counterpart: string;
  readonly description?: string;
  readonly actors: readonly Actor[];
  readonly interests: readonly Interest[];
  readonly instruments: readonly Instrument[];
  readonly indicators: readonly CaseIndicator[];
  readonly benchmarks: readonly Benchmark[];
  /** Benchmark lists and their blocks; absent means none. */
  readonly groups?: readonly BenchmarkGroup[];
  readonly gates: readonly Gate[];
  readonly waivers: readonly Waiver[];
  readonly justifications: readonly Justification[];
  readonly reviews: readonly ReviewDate[];
  /** Optional so cases built before issue areas existed stay valid; absent means none. */
  readonly issueAreas?: readonly IssueArea[];
  /** What was watched, from when, on whose reporting; absent means nothing was (absence of evidence then proves nothing). */
  readonly monitoring?: readonly Monitoring[];
  /** How old a benchmark's newest counted evidence may be before it is flagged `stale`; default P12M. */
  readonly stale?: Duration;
}

export const RELIABILITIES = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export type Reliability = (typeof RELIABILITIES)[number];
export const CREDIBILITIES = [1, 2, 3, 4, 5, 6] as const;
export type Credibility = (typeof CREDIBILITIES)[number];
