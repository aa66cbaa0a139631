/**
 * The brief as data: what a reader sees, independent of the output format. Pure.
 *
 * Every claim the brief makes is tied to citation numbers; citation n is an evidence
 * entry with its sources and grades. Citations are numbered in order of first use.
 *
 * Written for a principal with two minutes:
 * - The bottom line has one line per instrument in force, those where what the principal
 *   did departs from what the gate warrants first: what the gate warrants, in words ("not
 *   warranted — conditions unmet"), what was done and when (cited), and when it could be
 *   warranted; then one line on the justifications and, when the ledger has gone quiet, a
 *   caution. Plain titles, never ids; durations in words; no weights (the numbers stay in
 *   the detail tables). An instrument whose window has closed is not in force, but a
 *   departure at its close (see closed-windows.ts) is said in one more line after those of
 *   the instruments in force, labelled as closed ("1 closed instrument departed from what
 *   was warranted at its close: …"), and counted apart in the key figures.
 * - The confidence line counts the decisions and verdicts that rest, at least in part, on
 *   C-grade (or lower) evidence or on the case author's or the analysis's own claims.
 * - "What would change this": each instrument's path to unlock, and each fragile
 *   decision or verdict with the change that flips it. Sensitivity the engine did not
 *   compute (`null`) is counted as not assessed, never shown as robust.
 */
import type { Assessment } from '../core/assess.ts';
import type { BenchmarkFlag, BenchmarkStatusKind } from '../core/benchmark-stream.ts';
import { type BasisKind, type BenchmarkResult, DEFAULT_STALE, staleAfter } from '../core/benchmarks.ts';
import type { Case, GateRule, Validity } from '../core/case-model.ts';
import { daysBetween } from '../core/dates.ts';
import { type ActionKind, asKnownOn, bestGrade, type Evidence } from '../core/evidence.ts';
import { type GateDecision, type InstrumentResult, ruleBenchmarks } from '../core/gates.ts';
import { type History, TRANSITION_KINDS, type Transition } from '../core/history.ts';
import type { JustificationResult, Verdict } from '../core/justifications.ts';
import { byId, compareText } from '../core/order.ts';
import type { Departure } from '../core/principal-actions.ts';
import type { ChangeKind, Sensitivity } from '../core/sensitivity-types.ts';
import type { SeriesCoverage } from '../core/series.ts';
import type { UnlockPath } from '../core/unlock.ts';
import { type Applicability, applicabilityAt, describeInapplicability } from '../core/validity.ts';
import { listWords } from '../core/words.ts';
import {
  buildEventSeries,
  buildIndicatorSeries,
  buildIssueAreaMatrix,
  buildJustificationMatrix,
  buildMoneyFlows,
  buildStatusTimeline,
  buildStructuralCharts,
  type EventSeries,
  type IndicatorSeries,
  type IssueAreaMatrix,
  type JustificationMatrix,
  type MoneyFlows,
  type StatusTimeline,
  type StructuralChart,
  standingAsOf,
} from './brief-visuals.ts';
import {
  ACTION_WORDS,
  citeNamedEvidence,
  DEPARTURE_WORDS,
  durationsInWords,
  flipTargetWords,
  GROUND_WORDS,
  type GroundShare,
  groundShare,
  idsToTitles,
  shortTitle,
  WARRANT_WORDS,
} from './principal-words.ts';
import {
  APPLICABILITY_LABEL,
  actorNames,
  basisLabel,
  defaultsText,
  flagsInWords,
  reviewExample,
  STATUS_WORDS,
  stateWords,
} from './status-words.ts';

export interface Citation {
  readonly n: number;
  /** The entry with the sources out by the as-of date (see `asKnownOn`). */
  readonly evidence: Evidence;
  readonly grade: string;
  /** Its sources dated after the as-of date: written in the ledger, not counted on the date. */
  readonly laterSources: number;
}

export interface BriefRow {
  readonly id: string;
  readonly title: string;
  readonly cells: readonly string[];
  readonly cites: readonly number[];
}

/** What the principal did with an instrument: its latest recorded action. */
export interface DoneView {
  readonly state: ActionKind;
  /** In use (true), out of use (false), only proposed (null). */
  readonly engaged: boolean | null;
  readonly since: string;
  /** "notified 2022-09-07". */
  readonly text: string;
  readonly cites: readonly number[];
}

/** A benchmark an instrument waits for, with what it still needs and the earliest day it could be met. */
export interface BlockerView {
  readonly id: string;
  readonly title: string;
  readonly status: BenchmarkStatusKind;
  /** The benchmark with its status and what that rests on: "Leaders held (not met, on evidence)". */
  readonly heading: string;
  /** What it needs, in words (durations in words; the evidence it names is cited instead). */
  readonly needs: string;
  readonly earliest: string | null;
  readonly possible: boolean;
  /** What the earliest day rests on, or why it cannot be met. */
  readonly why: string;
  readonly cites: readonly number[];
}

/** The path to unlock an instrument, in words. */
export interface UnlockView {
  readonly earliest: string | null;
  readonly possible: boolean;
  /** "its conditions could be met from 2024-03-03 at the earliest" or "it cannot be warranted as written". */
  readonly headline: string;
  readonly why: string;
  /** The minimal sets of benchmarks (titles) whose meeting would unlock it, soonest first. */
  readonly sets: readonly (readonly string[])[];
  readonly setsTotal: number | null;
  readonly blockers: readonly BlockerView[];
  readonly cites: readonly number[];
}

/** How firmly a decision or verdict stands, in words. */
export interface SensitivityView {
  readonly label: 'robust' | 'fragile';
  /** "robust: none of 24 single changes tried flips it" / "fragile: becomes weak if …". */
  readonly text: string;
  readonly flips: readonly { readonly change: ChangeKind; readonly text: string; readonly cites: readonly number[] }[];
  readonly flipCount: number;
  readonly tried: number;
  readonly complete: boolean;
  readonly cites: readonly number[];
}

/**
 * An instrument in force: cells are tier, amount, what the gate WARRANTS (in words), what
 * was DONE, the missing benchmarks (titles) or the waiver, and the rule in words.
 */
export interface GateRow extends BriefRow {
  readonly decision: GateDecision;
  /** A sanction (a negative instrument: required or not, rather than warranted or not). */
  readonly sanction: boolean;
  /** What the decision means: "not warranted: conditions unmet". */
  readonly warranted: string;
  /** What the principal did; null when the case records nothing. */
  readonly done: DoneView | null;
  readonly departure: Departure | null;
  /** The departure in words ("done although not warranted"); null without one. */
  readonly departureText: string | null;
  /** The benchmarks the rule still needs, by title. */
  readonly missing: readonly { readonly id: string; readonly title: string }[];
  readonly unlock: UnlockView | null;
  /** Null when the engine did not assess it. */
  readonly sensitivity: SensitivityView | null;
  /** How much of the evidence behind the decision is C-grade (or lower) or a claim. */
  readonly ground: GroundShare;
}

/** What a benchmark's status rests on, in words. */
export interface BasisView {
  readonly kind: BasisKind;
  /** Short: "on evidence", "on monitored absence", "on the case's default (no record)", "unknown: x not pinned down". */
  readonly label: string;
  /** The core's quotable line: "not met — on evidence: release on 2017-11-24 (ev-…)". */
  readonly summary: string;
  /** The state subjects with no record, per indicator: "no record for Masood Azhar (leaders_in_custody taken as off by the case's default)". */
  readonly defaults: readonly string[];
}

/**
 * A benchmark in force: cells are STATUS, what it rests on (the basis label), since, flags
 * in words, the number of evidence items and the best grade among them.
 */
export interface BenchmarkRow extends BriefRow {
  readonly status: BenchmarkStatusKind;
  readonly since: string | null;
  readonly basis: BasisView;
  /** Each flag in words: "stale (newest evidence 2020-11-19, older than 12 months)". */
  readonly flags: readonly { readonly flag: BenchmarkFlag; readonly text: string }[];
  /** The group it is a member of (null: none). A member that is met is counted in its group's line, not shown as a row. */
  readonly group: string | null;
}

/** Whether a benchmark row is shown on the board (members of a group that are met are summarised in the group's line). */
export function onBoard(b: Pick<BenchmarkRow, 'group' | 'status'>): boolean {
  return b.group === null || b.status !== 'met';
}

/** A benchmark group or block in one line: "Document security: 3 of 4 met; partial: b1-4". */
export interface GroupRow {
  readonly id: string;
  readonly title: string;
  /** The group it is a block of; null for a top-level group. */
  readonly parent: string | null;
  readonly met: number;
  readonly total: number;
  readonly summary: string;
}

/**
 * A justification in force: cells are instrument, interests it claims to serve, VERDICT,
 * deciding reason (titles for ids), who states it, robustness and what it rests on.
 */
export interface JustificationRow extends BriefRow {
  readonly verdict: Verdict;
  /** Who states it; null when no one does (a justification the case only considers). */
  readonly claimedBy: string | null;
  readonly sensitivity: SensitivityView | null;
  readonly ground: GroundShare;
}

export const NOT_IN_FORCE_KINDS = ['instrument', 'benchmark', 'justification', 'issue-area'] as const;
export type NotInForceKind = (typeof NOT_IN_FORCE_KINDS)[number];

/**
 * A case item outside its validity window on the brief's date: neither counted in the key
 * figures and the bottom line nor shown on the boards, but listed apart.
 */
export interface NotInForceItem {
  readonly kind: NotInForceKind;
  readonly id: string;
  readonly title: string;
  /** Why it does not apply (of the item itself, or of a justification's instrument). */
  readonly applicability: Applicability;
  /** "not yet in force", "expired" or "not yet known". */
  readonly label: string;
  /** "expired (until 2014-09-30)"; for a justification of an instrument not in force, says so. */
  readonly detail: string;
}

/**
 * An instrument whose validity window had closed by the brief's date, with a departure at
 * its close: its latest action by the close against its gate's decision on the close day
 * (see closed-windows.ts). Not in force, so on no board, but said in the bottom line and
 * counted in the key figures, labelled as closed.
 */
export interface ClosedDepartureView {
  readonly id: string;
  readonly title: string;
  /** The day its window closed (its `until`). */
  readonly closed: string;
  readonly departure: Departure;
  /** The departure in words ("held back although warranted"), with the default-only caveat when so. */
  readonly departureText: string;
  /** What the principal did by the close. */
  readonly done: DoneView;
}

/**
 * The note under the not-in-force list: what is left out, and what of it is said all the
 * same. `withFigures`: the output shows the key figures (the HTML brief, the dashboard).
 */
export function notInForceNote(m: Pick<BriefModel, 'closedDepartures'>, withFigures: boolean): string {
  const base = withFigures
    ? 'Neither open nor closed, met nor unmet: left out of the key figures, the bottom line and the boards above'
    : 'Neither open nor closed, met nor unmet: left out of the bottom line and the boards';
  const n = m.closedDepartures?.length ?? 0;
  if (n === 0) return `${base}.`;
  return `${base}, except ${n === 1 ? 'the departure' : 'the departures'} at the close of ${plural(n, 'closed instrument')}, said in the bottom line${withFigures ? ' and counted in the key figures' : ''}.`;
}

/** How many of some decisions or verdicts rest, at least in part, on weak ground (see `GroundShare`). */
export interface GroundCount {
  readonly total: number;
  /** Partly or wholly on weak ground. */
  readonly weak: number;
  readonly wholly: number;
  /** Found fragile by the engine's sensitivity search. */
  readonly fragile: number;
}

export interface Confidence {
  readonly text: string;
  readonly decisions: GroundCount;
  readonly verdicts: GroundCount;
}

/** "What would change this": the paths to unlock, and the fragile decisions and verdicts. */
export interface WhatWouldChange {
  /**
   * What to say when no instrument has a path to unlock: that none is in force, that every
   * one in force is warranted, or that none in force waits for its conditions (sanctions).
   */
  readonly noPaths: string;
  readonly paths: readonly {
    readonly id: string;
    readonly title: string;
    readonly decision: GateDecision;
    readonly warranted: string;
    readonly unlock: UnlockView;
  }[];
  readonly fragile: readonly {
    readonly kind: 'instrument' | 'justification';
    readonly id: string;
    readonly title: string;
    /** The decision or verdict now, in words. */
    readonly now: string;
    readonly sensitivity: SensitivityView;
  }[];
  /** Decisions and verdicts in force found robust. */
  readonly robust: number;
  /** Decisions and verdicts in force whose sensitivity was not assessed. */
  readonly notAssessed: number;
}

export interface BriefModel {
  readonly title: string;
  /** The principal's name as the case gives it ("European Union"), for labels such as "European Union interest #2"; null when no actor names it. */
  readonly principal: string | null;
  /** The review a `timed-to-review` flag speaks of, in the case's words: "a review such as the Commission annual report". */
  readonly reviewExample: string;
  readonly asOf: string;
  readonly digest: string;
  /**
   * One line per instrument in force (departures first), then one on the departures at the
   * close of instruments since closed, then the justifications, then cautions.
   */
  readonly bottomLine: readonly { readonly text: string; readonly cites: readonly number[] }[];
  readonly confidence: Confidence;
  /** Instruments in force on the date. */
  readonly gates: readonly GateRow[];
  readonly whatWouldChange: WhatWouldChange;
  /** Benchmarks in force on the date. */
  readonly benchmarks: readonly BenchmarkRow[];
  /** Benchmark groups and their blocks, in case order (empty when the case has none). */
  readonly groups: readonly GroupRow[];
  /** Justifications in force on the date (and of instruments in force). */
  readonly justifications: readonly JustificationRow[];
  /** Changes in date order (then kind, id), each dated on the day it took effect, with its evidence and rule. */
  readonly changes: readonly { readonly text: string; readonly cites: readonly number[] }[] | undefined;
  readonly since: string | undefined;
  readonly citations: readonly Citation[];
  /** Items outside their validity window on the date, in case order by kind; absent when there is none. */
  readonly notInForce?: readonly NotInForceItem[];
  /** Instruments whose window had closed by the date with a departure at their close, in case order; absent when there is none. */
  readonly closedDepartures?: readonly ClosedDepartureView[];
  /** Benchmarks × steps, from the `timeline` history; absent without one. */
  readonly statusTimeline?: StatusTimeline;
  /** Money by declared flow (aid, sales, withheld, third-party purchases) as of the brief's date; absent when no entry has an amount. */
  readonly money?: MoneyFlows;
  readonly indicatorSeries?: readonly IndicatorSeries[];
  /**
   * The case's event-data indicators (GDELT through the event store) by month; one with
   * `loaded: false` when no event data is loaded. Absent when the case has none.
   */
  readonly eventSeries?: readonly EventSeries[];
  readonly matrix?: JustificationMatrix;
  /** Structural series (UN voting convergence, aid, …) as of the brief's date; absent when none is loaded. */
  readonly structural?: readonly StructuralChart[];
  /** Issue areas × instruments with computed convergence; absent when the case has no issue areas. */
  readonly issueAreas?: IssueAreaMatrix;
}

export interface BriefOptions {
  /** Transitions of a history over the brief's date range: the "what changed" section. */
  readonly changes?: Pick<History, 'transitions'>;
  readonly since?: string;
  /** History (usually monthly) whose points become the status timeline; its benchmark transitions are cited. */
  readonly timeline?: Pick<History, 'from' | 'to' | 'step' | 'points' | 'transitions'>;
  /** Ledger time of the assessment, so the visuals see the same entries. */
  readonly recordedBy?: string;
  /** Days each series is complete for (as `assess` takes it): tells months without event data from months without events. */
  readonly coverage?: SeriesCoverage;
}

/** Up to `n` items, then "and k more". */
function listSome(items: readonly string[], n = 5): string {
  return items.length <= n ? items.join(', ') : `${items.slice(0, n).join(', ')} and ${items.length - n} more`;
}

/** The subjects with no record whose default the case supplies: "no record for Masood Azhar". */
function noRecordPhrase(b: BenchmarkResult, nameOf: (id: string) => string): string {
  const subjects = [...new Set(b.basis.defaults.filter((d) => d.state !== 'unknown').flatMap((d) => d.subjects))];
  return subjects.length === 0 ? '' : `: no record for ${subjects.map(nameOf).join(', ')}`;
}

/**
 * A benchmark with its status and what it rests on: "Senior leaders imprisoned (not met,
 * on the case's default: no record for Masood Azhar)".
 */
function describeBenchmark(b: BenchmarkResult, nameOf: (id: string) => string): string {
  const since = b.since === null ? '' : ` since ${b.since}`;
  const label = basisLabel(b.status, b.basis);
  const basis =
    b.basis.kind === 'missing'
      ? `: ${label.replace(/^unknown: /, '')}`
      : b.basis.kind === 'default'
        ? `, on the case's default${noRecordPhrase(b, nameOf)}`
        : `, ${label}`;
  const stale = b.flags.includes('stale')
    ? b.newest === null
      ? '; stale: no counted evidence'
      : `; stale: newest evidence ${b.newest}`
    : '';
  return `${b.title} (${STATUS_WORDS[b.status]}${since}${basis}${stale})`;
}

/** The instruments whose window closed before the date with a departure at the close, in case order. */
function closedDeparturesOf(c: Case, a: Assessment, views: Views): ClosedDepartureView[] {
  const out: ClosedDepartureView[] = [];
  for (const i of a.instruments) {
    if (i.decision !== 'not-applicable' || i.departure === null || i.actual === null) continue;
    const until = c.instruments.find((x) => x.id === i.id)?.validity?.until;
    const done = views.done(i);
    if (until === undefined || until >= a.asOf || done === null) continue;
    out.push({
      id: i.id,
      title: i.title,
      closed: until,
      departure: i.departure,
      departureText: `${DEPARTURE_WORDS[i.departure]}${i.departureBasis === 'default' ? " (on the case's default only: no record)" : ''}`,
      done,
    });
  }
  return out;
}

function notInForceOf(c: Case, a: Assessment): NotInForceItem[] {
  const out: NotInForceItem[] = [];
  const add = (kind: NotInForceKind, id: string, title: string, applicability: Applicability, detail: string) => {
    out.push({ kind, id, title, applicability, label: APPLICABILITY_LABEL[applicability], detail });
  };
  const validityOf = (items: readonly { id: string; validity?: Validity }[], id: string) =>
    items.find((x) => x.id === id)?.validity;
  for (const i of a.instruments) {
    if (i.decision !== 'not-applicable') continue;
    const phrase = describeInapplicability(validityOf(c.instruments, i.id), i.applicability);
    // An instrument whose window closed is judged at its close: a departure then is said (see closed-windows.ts).
    const closedDeparture =
      i.departure === null || i.actual === null
        ? ''
        : `; closed with a departure: ${DEPARTURE_WORDS[i.departure]} (${ACTION_WORDS[i.actual.state]} ${i.actual.since})${i.departureBasis === 'default' ? " (on the case's default only: no record)" : ''}`;
    add('instrument', i.id, i.title, i.applicability, `${phrase}${closedDeparture}`);
  }
  for (const b of a.benchmarks) {
    if (b.status !== 'not-applicable') continue;
    const v = validityOf(c.benchmarks, b.id);
    const ap = applicabilityAt(v, a.asOf);
    add('benchmark', b.id, b.title, ap, ap === 'in-force' ? b.basis.summary : describeInapplicability(v, ap));
  }
  for (const j of a.justifications) {
    if (j.verdict !== 'not-applicable') continue;
    const v = validityOf(c.justifications, j.id);
    const own = applicabilityAt(v, a.asOf);
    const inst = c.instruments.find((x) => x.id === j.instrument);
    const ofInstrument = applicabilityAt(inst?.validity, a.asOf);
    if (own !== 'in-force' || ofInstrument === 'in-force')
      add('justification', j.id, j.title, own, describeInapplicability(v, own));
    else {
      add(
        'justification',
        j.id,
        j.title,
        ofInstrument,
        `its instrument, ${inst?.title ?? j.instrument}, is ${describeInapplicability(inst?.validity, ofInstrument)}`,
      );
    }
  }
  for (const r of a.issueAreas) {
    if (r.convergence !== 'not-applicable') continue;
    const v = validityOf(c.issueAreas ?? [], r.id);
    const ap = applicabilityAt(v, a.asOf);
    add('issue-area', r.id, r.title, ap, describeInapplicability(v, ap));
  }
  return out;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The terms of a rule over a group or nesting rules, in words: "at least 10 of the 12 of Roadmap", "all of: 2 benchmarks; …". */
function termWords(rule: GateRule, groupTitle: (id: string) => string): string {
  if (rule.kind === 'none') return 'no conditions';
  if (rule.kind === 'weighted') return `weights of the met benchmarks (of ${rule.weights.length}) reach ${rule.threshold}`;
  const nested = rule.rules ?? [];
  if (rule.group !== undefined && nested.length === 0) {
    const n = rule.benchmarks.length;
    const of = `${groupTitle(rule.group)} (${plural(n, 'benchmark')})`;
    return rule.kind === 'all' ? `all of ${of}` : rule.kind === 'any' ? `any 1 of ${of}` : `at least ${rule.count} of ${of}`;
  }
  const parts = [
    ...(rule.benchmarks.length === 0 ? [] : [plural(rule.benchmarks.length, 'listed benchmark')]),
    ...nested.map((r) => termWords(r, groupTitle)),
  ];
  const head = rule.kind === 'all' ? 'all of' : rule.kind === 'any' ? 'any 1 of' : `at least ${rule.count} of`;
  return `${head}: ${parts.join('; ')}`;
}

/** A gate rule in words, for a table cell: "all 3 benchmarks", "any 1 of 2 benchmarks", "no conditions". */
export function ruleWords(rule: GateRule | undefined, inForce: boolean, groupTitle: (id: string) => string = (id) => id): string {
  if (rule === undefined || rule.kind === 'none') return 'no conditions';
  if (!inForce) return 'no conditions on this date (its gate is not in force)';
  if (rule.kind !== 'weighted' && (rule.group !== undefined || (rule.rules ?? []).length > 0)) {
    return `${termWords(rule, groupTitle)} met`;
  }
  const n = ruleBenchmarks(rule).length;
  switch (rule.kind) {
    case 'all':
      return n === 1 ? 'its 1 benchmark met' : `all ${n} benchmarks met`;
    case 'any':
      return `any 1 of ${plural(n, 'benchmark')} met`;
    case 'at-least':
      return `at least ${rule.count} of ${plural(n, 'benchmark')} met`;
    case 'weighted':
      return `weights of the met benchmarks (of ${n}) reach ${rule.threshold}`;
  }
}

/**
 * The words of a decision for the bottom line: "not warranted — conditions unmet (3 of 4
 * benchmarks unmet, 1 unknown)": a benchmark of unknown status is never counted as unmet.
 * `inRule` counts the benchmarks of the rule in force.
 */
function warrantPhrase(
  i: InstrumentResult,
  statusOf: (id: string) => BenchmarkStatusKind | undefined,
  inRule: number,
  unconditional: boolean,
  waiverBy: string | undefined,
): string {
  // A benchmark of unknown status is not counted as unmet: it is said apart.
  const unknownCount = i.missing.filter((id) => statusOf(id) === 'unknown').length;
  const unmet = i.missing.length - unknownCount;
  const of = inRule > 0 ? ` of ${inRule}` : '';
  const andUnknown = unknownCount > 0 ? `, ${unknownCount} unknown` : '';
  switch (i.decision) {
    case 'unlocked':
      return unconditional ? 'warranted — no conditions' : 'warranted — conditions met';
    case 'locked':
      return `not warranted — conditions unmet (${unmet}${of} ${inRule === 1 || (inRule === 0 && unmet === 1) ? 'benchmark' : 'benchmarks'} unmet${andUnknown})`;
    case 'waived':
      if (i.kind === 'sanction') return `required, but waived${waiverBy === undefined ? '' : ` by ${waiverBy}`}`;
      return `warranted only under a waiver${waiverBy === undefined ? '' : ` by ${waiverBy}`} — conditions unmet (${unmet}${of} unmet${andUnknown})`;
    case 'unknown': {
      const unknown = i.missing.filter((id) => statusOf(id) === 'unknown').length;
      if (unknown > 0)
        return `undecided — conditions not known (${unknown}${of} ${inRule === 1 ? 'benchmark' : 'benchmarks'} of unknown status)`;
      // Undecided with no benchmark of unknown status: none of the rule's benchmarks applies on the date.
      return inRule === 0 ? 'undecided — no benchmark of its rule applies on this date' : 'undecided — conditions not known';
    }
    case 'required':
      return `required — the sanction's trigger holds and the conditions to lift it do not${i.missing.length > 0 ? ` (lifting needs ${i.missing.length} more ${i.missing.length === 1 ? 'benchmark' : 'benchmarks'} met)` : ''}`;
    case 'not-required':
      return 'not required — no trigger, or the conditions to lift it hold';
    case 'not-applicable':
      return WARRANT_WORDS['not-applicable'].long;
  }
}

/**
 * Builds the views the brief shows from what the engine computed, citing the evidence ids
 * its explanations name. `known` tells an evidence id from any other bracketed text.
 */
class Views {
  constructor(
    private readonly cite: (ids: readonly string[]) => number[],
    private readonly known: (id: string) => boolean,
    private readonly benchById: ReadonlyMap<string, BenchmarkResult>,
    private readonly nameOf: (id: string) => string,
  ) {}

  /** A core sentence for people: durations in words, named evidence cited instead. */
  words(text: string): { text: string; cites: number[] } {
    const named = citeNamedEvidence(durationsInWords(text), this.known);
    return { text: named.text, cites: this.cite(named.ids) };
  }

  done(i: InstrumentResult): DoneView | null {
    const a = i.actual;
    if (a === null) return null;
    return {
      state: a.state,
      engaged: a.engaged,
      since: a.since,
      text: `${ACTION_WORDS[a.state]} ${a.since}`,
      cites: this.cite(a.evidence),
    };
  }

  unlock(u: UnlockPath): UnlockView {
    const all: number[] = [];
    const blockers = u.blockers.map((b): BlockerView => {
      const needs = this.words(b.needs);
      const why = this.words(b.why);
      const result = this.benchById.get(b.benchmark);
      const cites = [...new Set([...needs.cites, ...why.cites])].sort((x, y) => x - y);
      all.push(...cites);
      return {
        id: b.benchmark,
        title: b.title,
        status: b.status,
        heading: durationsInWords(
          result === undefined ? `${b.title} (${STATUS_WORDS[b.status]})` : describeBenchmark(result, this.nameOf),
        ),
        needs: needs.text,
        earliest: b.earliest,
        possible: b.possible,
        why: why.text,
        cites,
      };
    });
    const why = this.words(u.why);
    all.push(...why.cites);
    const titleOf = new Map(u.blockers.map((b) => [b.benchmark, b.title]));
    return {
      earliest: u.earliest,
      possible: u.possible,
      headline: !u.possible
        ? 'it cannot be warranted as written'
        : u.earliest === null
          ? 'its conditions could be met, but no earliest day was found'
          : `its conditions could be met from ${u.earliest} at the earliest`,
      why: why.text,
      sets: u.sets.map((s) => s.map((id) => titleOf.get(id) ?? this.benchById.get(id)?.title ?? id)),
      setsTotal: u.setsTotal,
      blockers,
      cites: [...new Set(all)].sort((x, y) => x - y),
    };
  }

  sensitivity(s: Sensitivity | null, kind: 'instrument' | 'justification'): SensitivityView | null {
    if (s === null) return null;
    const flips = s.flips.map((f) => {
      const detail = this.words(f.detail);
      return { change: f.change, text: `${flipTargetWords(kind, f.to)} if ${detail.text}`, cites: detail.cites };
    });
    const cut = s.complete ? '' : ' (the search stopped at its bound)';
    const text =
      s.label === 'robust' || flips.length === 0
        ? `robust: none of ${plural(s.tried, 'single change')} tried flips it${cut}`
        : `fragile: ${flips[0]?.text ?? ''}${
            s.flipCount > 1 ? `; ${plural(s.flipCount - 1, 'other change')} of ${s.tried} tried also flip it` : ''
          }${cut}`;
    return {
      label: s.label,
      text,
      flips,
      flipCount: s.flipCount,
      tried: s.tried,
      complete: s.complete,
      cites: [...new Set(flips.flatMap((f) => f.cites))].sort((x, y) => x - y),
    };
  }
}

export function buildBriefModel(
  c: Case,
  assessment: Assessment,
  ledger: readonly Evidence[],
  options: BriefOptions = {},
): BriefModel {
  // Each entry as known on the date: sources that came out later are not cited as if known.
  const written = new Map(ledger.map((e) => [e.id, e]));
  const byId = new Map(ledger.map((e) => [e.id, asKnownOn(e, assessment.asOf)]));
  const citations: Citation[] = [];
  const numberOf = new Map<string, number>();
  const cite = (ids: readonly string[]): number[] => {
    const out: number[] = [];
    for (const id of ids) {
      const e = byId.get(id);
      if (e === undefined) continue;
      let n = numberOf.get(id);
      if (n === undefined) {
        n = citations.length + 1;
        numberOf.set(id, n);
        const laterSources = (written.get(id)?.sources.length ?? 0) - e.sources.length;
        citations.push({ n, evidence: e, grade: bestGrade(e), laterSources });
      }
      if (!out.includes(n)) out.push(n);
    }
    return out.sort((a, b) => a - b);
  };
  const nameOf = actorNames(c);

  // Items outside their validity window are left out of every count and board below.
  const instruments = assessment.instruments.filter((i) => i.decision !== 'not-applicable');
  const benchmarksInForce = assessment.benchmarks.filter((b) => b.status !== 'not-applicable');
  const justificationsInForce = assessment.justifications.filter((j) => j.verdict !== 'not-applicable');
  const notInForce = notInForceOf(c, assessment);

  const benchById = new Map(assessment.benchmarks.map((b) => [b.id, b]));
  const views = new Views(cite, (id) => byId.has(id), benchById, nameOf);
  const gateOf = new Map(c.gates.map((g) => [g.instrument, g]));
  const unconditional = (id: string) => {
    const g = gateOf.get(id);
    return g === undefined || g.rule.kind === 'none' || applicabilityAt(g.validity, assessment.asOf) !== 'in-force';
  };
  // The benchmarks of an instrument's rule that apply on the date.
  const inRule = (id: string) => {
    const g = gateOf.get(id);
    if (g === undefined || unconditional(id)) return 0;
    return ruleBenchmarks(g.rule).filter((b) => benchById.get(b)?.status !== 'not-applicable').length;
  };
  const waiverBy = (id: string | null) => (id === null ? undefined : c.waivers.find((w) => w.id === id)?.authority);
  const itemsOf = (ids: readonly string[]) => ids.map((id) => byId.get(id)).filter((e): e is Evidence => e !== undefined);

  // The bottom line: departures first, then the other instruments in case order.
  const bottomLine: { text: string; cites: number[] }[] = [];
  const ordered = [...instruments.filter((i) => i.departure !== null), ...instruments.filter((i) => i.departure === null)];
  for (const i of ordered) {
    const parts = [
      `${shortTitle(i.title)}: ${warrantPhrase(i, (id) => benchById.get(id)?.status, inRule(i.id), unconditional(i.id), waiverBy(i.waiver))}`,
    ];
    const done = views.done(i);
    if (done !== null) {
      parts.push(
        (i.departure === 'acted-while-locked'
          ? `done anyway: ${done.text}`
          : i.departure === 'withheld-while-unlocked'
            ? `held back anyway: ${done.text}`
            : done.text) + (i.departureBasis === 'default' ? " (on the case's default only: no record)" : ''),
      );
    }
    if (i.decision !== 'unlocked' && i.unlock !== null) {
      parts.push(
        !i.unlock.possible
          ? 'cannot be warranted as written'
          : i.unlock.earliest === null
            ? 'no earliest day found'
            : i.decision === 'waived'
              ? `conditions could be met from ${i.unlock.earliest}`
              : `could be warranted from ${i.unlock.earliest}`,
      );
    }
    if (i.sensitivity?.label === 'fragile') parts.push('a fragile call');
    bottomLine.push({ text: `${parts.join('; ')}.`, cites: done?.cites ? [...done.cites] : [] });
  }
  // Instruments since closed: a departure at the close is said, labelled as closed.
  const closedDepartures = closedDeparturesOf(c, assessment, views);
  if (closedDepartures.length > 0) {
    const n = closedDepartures.length;
    const each = closedDepartures.map((x) => `${shortTitle(x.title)}, closed ${x.closed}: ${x.departureText} — ${x.done.text}`);
    bottomLine.push({
      text: `${plural(n, 'closed instrument')} departed from what was warranted at ${n === 1 ? 'its' : 'their'} close: ${each.join('; ')}.`,
      cites: [...new Set(closedDepartures.flatMap((x) => x.done.cites))].sort((a, b) => a - b),
    });
  }
  const byInstrument = new Map<string, JustificationResult[]>();
  for (const j of justificationsInForce) byInstrument.set(j.instrument, [...(byInstrument.get(j.instrument) ?? []), j]);
  const stated = new Map(c.justifications.map((j) => [j.id, j.claimedBy]));
  const justificationParts: string[] = [];
  for (const [inst, js] of byInstrument) {
    const title = shortTitle(c.instruments.find((i) => i.id === inst)?.title ?? inst);
    const statedCount = js.filter((j) => stated.get(j.id) !== undefined).length;
    const counts = (['unconvincing', 'weak', 'convincing'] as const)
      .map((v) => [v, js.filter((j) => j.verdict === v).length] as const)
      .filter(([, n]) => n > 0);
    const verdicts =
      counts.length === 1
        ? `${js.length === 1 ? '' : js.length === 2 ? 'both ' : 'all '}${counts[0]?.[0]}`
        : counts.map(([v, n]) => `${n} ${v}`).join(', ');
    // "Stated" only for what someone states; the others the case only considers.
    const which =
      statedCount === js.length
        ? plural(js.length, 'stated justification')
        : statedCount === 0
          ? plural(js.length, 'justification considered', 'justifications considered')
          : `${plural(statedCount, 'stated justification')} and ${js.length - statedCount} considered`;
    justificationParts.push(`${which} for ${title}: ${verdicts}`);
  }
  if (justificationParts.length > 0) bottomLine.push({ text: `${justificationParts.join('; ')}.`, cites: [] });
  const latest = assessment.ledger.latestReported;
  if (latest !== null && daysBetween(latest, assessment.asOf) > 180) {
    bottomLine.push({
      text: `Caution: the newest evidence was reported on ${latest}, ${daysBetween(latest, assessment.asOf)} days before this brief's date; what holds after that rests on the absence of later reports.`,
      cites: [],
    });
  }

  const gates: GateRow[] = instruments.map((i) => {
    const done = views.done(i);
    const missing = i.missing.map((id) => ({ id, title: benchById.get(id)?.title ?? id }));
    const g = gateOf.get(i.id);
    const warranted = WARRANT_WORDS[i.decision].long;
    const departureText =
      i.departure === null
        ? null
        : `${DEPARTURE_WORDS[i.departure]}${i.departureBasis === 'default' ? " (on the case's default only: no record)" : ''}`;
    return {
      id: i.id,
      title: i.title,
      decision: i.decision,
      sanction: i.kind === 'sanction',
      warranted,
      done,
      departure: i.departure,
      departureText,
      missing,
      unlock: i.unlock === null ? null : views.unlock(i.unlock),
      sensitivity: views.sensitivity(i.sensitivity, 'instrument'),
      ground: groundShare(itemsOf(i.evidence)),
      cells: [
        String(i.tier),
        i.amount === null ? '—' : formatAmount(i.amount, i.currency),
        warranted,
        done === null ? 'nothing recorded' : `${done.text}${departureText === null ? '' : ` — ${departureText}`}`,
        missing.length > 0
          ? missing.map((m) => m.title).join('; ')
          : i.waiver !== null
            ? `waiver ${i.waiver}${waiverBy(i.waiver) === undefined ? '' : ` (${waiverBy(i.waiver)})`}`
            : '—',
        ruleWords(
          g?.rule,
          g === undefined || applicabilityAt(g.validity, assessment.asOf) === 'in-force',
          (id) => c.groups?.find((x) => x.id === id)?.title ?? id,
        ),
      ],
      cites: [...new Set([...(done?.cites ?? []), ...cite(i.missing.flatMap((id) => benchById.get(id)?.evidence ?? []))])].sort(
        (x, y) => x - y,
      ),
    };
  });
  const benchmarks: BenchmarkRow[] = benchmarksInForce.map((b) => {
    const items = b.evidence.map((id) => byId.get(id)).filter((e): e is Evidence => e !== undefined);
    const grades = items.map(bestGrade).sort();
    const bench = c.benchmarks.find((x) => x.id === b.id);
    const flags = flagsInWords(b, bench === undefined ? (c.stale ?? DEFAULT_STALE) : staleAfter(bench, c.stale));
    const basis: BasisView = {
      kind: b.basis.kind,
      label: basisLabel(b.status, b.basis),
      summary: durationsInWords(b.basis.summary),
      defaults: defaultsText(b.basis.defaults, nameOf),
    };
    return {
      id: b.id,
      // Who set a benchmark, when it is not its source, is said with its title.
      title: b.author === null ? b.title : `${b.title} (set by ${b.author})`,
      status: b.status,
      since: b.since,
      basis,
      flags,
      group: b.group,
      cells: [
        b.status.toUpperCase(),
        basis.label,
        b.since ?? '—',
        flags.map((f) => f.text).join('; ') || '—',
        String(b.evidence.length),
        grades[0] ?? '—',
      ],
      cites: cite(b.evidence),
    };
  });
  // Ids in the engine's deciding sentences are shown as titles.
  const plainTitles = new Map<string, string>([
    ...c.interests.map((x) => [x.id, `“${x.title}”`] as const),
    ...c.instruments.map((x) => [x.id, `“${x.title}”`] as const),
  ]);
  const interestTitle = new Map(c.interests.map((x) => [x.id, x.title]));
  const justifications: JustificationRow[] = justificationsInForce.map((j) => {
    const claimedBy = stated.get(j.id) ?? null;
    const sensitivity = views.sensitivity(j.sensitivity, 'justification');
    const ground = groundShare(itemsOf(j.evidence));
    return {
      id: j.id,
      title: j.title,
      verdict: j.verdict,
      claimedBy,
      sensitivity,
      ground,
      cells: [
        c.instruments.find((i) => i.id === j.instrument)?.title ?? j.instrument,
        j.serves.map((id) => interestTitle.get(id) ?? id).join('; '),
        j.verdict.toUpperCase(),
        idsToTitles(j.decision, plainTitles),
        claimedBy ?? 'no one (considered by the case)',
        sensitivity === null ? 'not assessed' : sensitivity.text,
        GROUND_WORDS[ground],
      ],
      cites: cite(j.evidence),
    };
  });

  const countGround = (rows: readonly { ground: GroundShare; sensitivity: SensitivityView | null }[]): GroundCount => ({
    total: rows.length,
    weak: rows.filter((r) => r.ground !== 'none').length,
    wholly: rows.filter((r) => r.ground === 'wholly').length,
    fragile: rows.filter((r) => r.sensitivity?.label === 'fragile').length,
  });
  const confidence = confidenceOf(countGround(gates), countGround(justifications));

  const paths = gates.flatMap((g) =>
    g.unlock === null || g.decision === 'unlocked'
      ? []
      : [{ id: g.id, title: g.title, decision: g.decision, warranted: g.warranted, unlock: g.unlock }],
  );
  const judged = [
    ...gates.map((g) => ({ kind: 'instrument' as const, id: g.id, title: g.title, now: g.warranted, s: g.sensitivity })),
    ...justifications.map((j) => ({
      kind: 'justification' as const,
      id: j.id,
      title: j.title,
      now: stateWords(j.verdict),
      s: j.sensitivity,
    })),
  ];
  const whatWouldChange: WhatWouldChange = {
    noPaths:
      gates.length === 0
        ? 'No instrument is in force on this date: there is nothing to unlock.'
        : gates.every((g) => g.decision === 'unlocked')
          ? 'Every instrument in force is warranted: no path to unlock is needed.'
          : 'No instrument in force waits for its conditions to be met: no path to unlock is needed.',
    paths,
    fragile: judged.flatMap((x) =>
      x.s?.label === 'fragile' ? [{ kind: x.kind, id: x.id, title: x.title, now: x.now, sensitivity: x.s }] : [],
    ),
    robust: judged.filter((x) => x.s?.label === 'robust').length,
    notAssessed: judged.filter((x) => x.s === null).length,
  };

  let changes: { text: string; cites: number[] }[] | undefined;
  if (options.changes !== undefined) {
    const titleOf = titlesOf(c);
    changes = sortTransitions(options.changes.transitions).map((t) => ({
      text: durationsInWords(describeTransition(t, titleOf)),
      cites: cite(t.evidence),
    }));
  }
  const standing = standingAsOf(ledger, assessment.asOf, options.recordedBy);
  const money = buildMoneyFlows(standing, cite, nameOf);
  const built = buildJustificationMatrix(c, assessment, cite);
  const matrix =
    built === undefined
      ? undefined
      : { ...built, rows: built.rows.map((r) => ({ ...r, decision: idsToTitles(r.decision, plainTitles) })) };
  const structural = buildStructuralCharts(c, standing, cite);
  const issueAreas = buildIssueAreaMatrix(c, assessment, cite);
  const indicatorSeries = buildIndicatorSeries(c, standing, cite);
  // Cited last, so adding them left the numbers of everything else as they were.
  const eventSeries = buildEventSeries(c, standing, cite, assessment.asOf, options.coverage);
  const statusTimeline = options.timeline === undefined ? undefined : buildStatusTimeline(c, options.timeline, cite);
  return {
    title: c.title,
    principal: c.actors.find((x) => x.id === c.principal)?.name ?? null,
    reviewExample: reviewExample(c),
    asOf: assessment.asOf,
    digest: assessment.digest,
    bottomLine,
    confidence,
    gates,
    whatWouldChange,
    benchmarks,
    groups: assessment.groups.map((g) => ({
      id: g.id,
      title: g.title,
      parent: g.parent,
      met: g.met,
      total: g.total,
      summary: g.summary,
    })),
    justifications,
    changes,
    since: options.since,
    citations,
    ...(notInForce.length === 0 ? {} : { notInForce }),
    ...(closedDepartures.length === 0 ? {} : { closedDepartures }),
    ...(statusTimeline === undefined ? {} : { statusTimeline }),
    ...(money === undefined ? {} : { money }),
    indicatorSeries,
    ...(eventSeries.length === 0 ? {} : { eventSeries }),
    ...(matrix === undefined ? {} : { matrix }),
    ...(structural.length === 0 ? {} : { structural }),
    ...(issueAreas === undefined ? {} : { issueAreas }),
  };
}

/**
 * The confidence line: "Confidence: 1 of 6 decisions and 4 of 5 verdicts rest at least
 * partly on C-grade (or lower) evidence or on claims of the case author or the analysis
 * (2 wholly); 1 verdict is fragile (see what would change this)."
 */
export function confidenceOf(decisions: GroundCount, verdicts: GroundCount): Confidence {
  const parts: string[] = [];
  if (decisions.total > 0) parts.push(`${decisions.weak} of ${plural(decisions.total, 'decision')}`);
  if (verdicts.total > 0) parts.push(`${verdicts.weak} of ${plural(verdicts.total, 'verdict')}`);
  const weak = decisions.weak + verdicts.weak;
  const wholly = decisions.wholly + verdicts.wholly;
  const ground = 'C-grade (or lower) evidence or on claims of the case author or the analysis';
  let text: string;
  if (parts.length === 0) text = 'Confidence: no decision or verdict is in force.';
  else if (weak === 0) text = `Confidence: no decision or verdict rests on ${ground}.`;
  else text = `Confidence: ${listWords(parts)} rest at least partly on ${ground}${wholly > 0 ? ` (${wholly} wholly)` : ''}.`;
  const fragile: string[] = [];
  if (decisions.fragile > 0) fragile.push(plural(decisions.fragile, 'decision'));
  if (verdicts.fragile > 0) fragile.push(plural(verdicts.fragile, 'verdict'));
  if (fragile.length > 0) {
    text = `${text.slice(0, -1)}; ${listWords(fragile)} ${decisions.fragile + verdicts.fragile === 1 ? 'is' : 'are'} fragile (see what would change this).`;
  }
  return { text, decisions, verdicts };
}

/** Transitions in the order a reader follows them: by the day they took effect, then kind (as in TRANSITION_KINDS), then id. */
export function sortTransitions(transitions: readonly Transition[]): Transition[] {
  const rank = (t: Transition) => TRANSITION_KINDS.indexOf(t.kind);
  return [...transitions].sort((a, b) => compareText(a.date, b.date) || rank(a) - rank(b) || byId(a, b));
}

type TitleOf = (t: Transition) => string;

function titlesOf(c: Case): TitleOf {
  const maps = {
    benchmark: new Map(c.benchmarks.map((x) => [x.id, x.title])),
    instrument: new Map(c.instruments.map((x) => [x.id, x.title])),
    justification: new Map(c.justifications.map((x) => [x.id, x.title])),
    'issue-area': new Map((c.issueAreas ?? []).map((x) => [x.id, x.title])),
  } as const;
  return (t) => {
    const kind = t.kind === 'flag' ? 'benchmark' : t.kind === 'action' || t.kind === 'departure' ? 'instrument' : t.kind;
    const title = maps[kind].get(t.id);
    const what =
      t.kind === 'action'
        ? 'what was done with instrument'
        : t.kind === 'departure'
          ? 'departure for instrument'
          : kind === 'issue-area'
            ? 'issue area'
            : kind;
    return `${what} ${title === undefined ? t.id : `“${title}” (${t.id})`}`;
  };
}

/** A value a transition moves between, in words: a decision says what it warrants (with its JSON value), a departure what it is. */
function transitionWords(kind: Transition['kind'], value: string | null): string {
  if (kind === 'instrument' && value !== null && Object.hasOwn(WARRANT_WORDS, value)) {
    return value === 'not-applicable' ? 'not in force' : `${WARRANT_WORDS[value as GateDecision].short} (${value})`;
  }
  if (kind === 'departure') {
    return value === null
      ? 'no departure'
      : Object.hasOwn(DEPARTURE_WORDS, value)
        ? DEPARTURE_WORDS[value as Departure]
        : stateWords(value);
  }
  if (kind === 'action' && value === null) return 'nothing recorded';
  return stateWords(value);
}

/**
 * One change in words: the day it took effect, what changed, why then (the rule), the
 * evidence the rule does not already name, and, when it was seen only well after that
 * day (a late report, a correction), the step that first saw it.
 */
export function describeTransition(t: Transition, titleOf: TitleOf = (x) => `${x.kind} ${x.id}`): string {
  const change =
    t.kind === 'flag'
      ? t.to !== null
        ? `flagged ${t.to}`
        : `no longer flagged ${t.from ?? ''}`
      : `${transitionWords(t.kind, t.from)} → ${transitionWords(t.kind, t.to)}`;
  const unnamed = t.evidence.filter((id) => !t.rule.includes(id));
  const evidence = unnamed.length === 0 ? '' : ` Evidence: ${listSome(unnamed)}.`;
  const seen = daysBetween(t.date, t.asOf) > 31 ? ` First seen as of ${t.asOf}.` : '';
  return `${t.date}: ${titleOf(t)} ${change} — ${t.rule}.${evidence}${seen}`;
}

export function formatAmount(amount: number, currency: string | null): string {
  const units: [number, string][] = [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [size, suffix] of units) {
    if (Math.abs(amount) >= size) {
      const v = amount / size;
      return `${currency ?? ''}${currency ? ' ' : ''}${Number.isInteger(v) ? v : v.toFixed(1)}${suffix}`;
    }
  }
  return `${currency ?? ''}${currency ? ' ' : ''}${amount}`;
}
