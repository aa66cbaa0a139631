/**
 * Transitions between two steps of a history, dated on the day each change took effect.
 *
 * Contract (shared by the sweep and the naive reference, so both give the same output):
 * - Every change is reported on the day it took effect, and every change between two steps
 *   is reported, not only the net one: for items reported as they happen, the transitions
 *   do not depend on the step (a quarterly history lists what a monthly one does).
 * - A benchmark changes on the days its status changes as the evidence known at the later
 *   step tells it (`StepSegments`: an evidence date, a duration's end, a review's day, its
 *   validity window opening or closing). When evidence known only now revises the status
 *   the earlier step reported, the revision is dated on the day the revised status began
 *   (or, when it has held since before any evidence, the day the correction became known).
 * - A gate is decided again on every day something it reads changed: a benchmark of its
 *   rule, a waiver starting, ending or becoming known, a validity window.
 * - A justification's verdict or an issue area's convergence is judged again on every day
 *   evidence it cites became known, and when its window opens or closes, with only the
 *   evidence known by that day.
 * - What the principal did is walked day by day as well; once an instrument's window has
 *   closed, its departure is the one at its close (see closed-windows.ts), and a change in
 *   it found after an earlier step already past the close is dated on the day what changed
 *   it became known (see `actionTransitions`). An act a correction retracts or supersedes
 *   stands until the day the correction became known; that day the action changes back (to
 *   the previous standing act, or to none) and the departure follows.
 * - Every transition names the evidence behind it and, in `rule`, why it happened then.
 * - Flags are compared between steps only (net), dated as well as the point allows.
 */
import type { BenchmarkStatusKind } from './benchmark-stream.ts';
import type { BenchmarkPoint, StatusSegment, StepSegments } from './benchmarks.ts';
import type { Case, Validity } from './case-model.ts';
import { addDays, addDuration, type Duration, type IsoDate, maxDate } from './dates.ts';
import { asKnownOn, type Evidence } from './evidence.ts';
import {
  decideAll,
  effectBenchmarks,
  effectHolds,
  type GateDecision,
  gateDecisionOn,
  ruleBenchmarks,
  withDependencies,
} from './gates.ts';
import { type Convergence, judgeIssueArea } from './issue-areas.ts';
import { type EvidenceResolver, judgeJustification, type Verdict } from './justifications.ts';
import { type ActualUse, actualUseOf, type Departure, departureOf } from './principal-actions.ts';
import { validityChangeDays } from './validity.ts';

export const TRANSITION_KINDS = [
  'benchmark',
  'instrument',
  'justification',
  'issue-area',
  'flag',
  'action',
  'departure',
] as const;
export type TransitionKind = (typeof TRANSITION_KINDS)[number];

export interface Transition {
  /** The day the change took effect. */
  readonly date: IsoDate;
  /** The step at which the change was first seen. */
  readonly asOf: IsoDate;
  readonly kind: TransitionKind;
  readonly id: string;
  readonly from: string | null;
  readonly to: string | null;
  readonly evidence: readonly string[];
  /** Why it happened on that day. */
  readonly rule: string;
}

export interface StepState {
  readonly benchmarks: ReadonlyMap<string, BenchmarkPoint>;
  /** Per benchmark, its statuses since the previous step, day by day (absent at the first step). */
  readonly segments?: ReadonlyMap<string, StepSegments>;
  readonly instruments: ReadonlyMap<string, GateDecision>;
  readonly justifications: ReadonlyMap<string, Verdict>;
  readonly issueAreas: ReadonlyMap<string, Convergence>;
  /** Per instrument: what the principal did, as known at the step. */
  readonly actual: ReadonlyMap<string, ActualUse | null>;
  /** Per instrument: the principal's standing actions known at the step, by (day, id). */
  readonly actionItems: ReadonlyMap<string, readonly Evidence[]>;
  /**
   * Per instrument whose window had closed by the step and that has an action by its close:
   * its gate's decision on the close day, as known at the step (see closed-windows.ts).
   */
  readonly closedDecisions: ReadonlyMap<string, GateDecision>;
  /** Per instrument: its departure (for a closed instrument, the departure at its close). */
  readonly departures: ReadonlyMap<string, Departure | null>;
}

/** What the diff needs of the evidence as known at the later step. */
export interface KnownEvidence {
  /** Every entry known at the later step (ids are unique). */
  readonly byId: ReadonlyMap<string, Evidence>;
  /** Replaced id → the id of the entry that replaces it, as known at the later step. */
  readonly supersededBy: ReadonlyMap<string, string>;
  /** Entries that became known after the earlier step and by the later one. */
  readonly newlyKnown: readonly Evidence[];
}

/** The day an entry becomes known: the later of its report and the start of its occurrence. */
export function knownOn(e: Evidence): IsoDate {
  return maxDate(e.reported, e.occurred);
}

/** Cited ids resolved with only the entries known by day d (corrections known later are not followed). */
export function resolverAsOf(known: KnownEvidence, d: IsoDate): EvidenceResolver {
  return (id) => {
    const first = known.byId.get(id);
    if (first === undefined || knownOn(first) > d) return undefined;
    let current = first;
    for (let hops = 0; hops <= known.byId.size; hops++) {
      const nextId = known.supersededBy.get(current.id);
      const next = nextId === undefined ? undefined : known.byId.get(nextId);
      if (next === undefined || knownOn(next) > d) break;
      current = next;
    }
    return current.retracted === true ? undefined : asKnownOn(current, d);
  };
}

function inStep(d: IsoDate, prevT: IsoDate, t: IsoDate): boolean {
  return d > prevT && d <= t;
}

function sortedUnique(days: readonly IsoDate[]): IsoDate[] {
  return [...new Set(days)].sort();
}

function validityDays(v: Validity | undefined, prevT: IsoDate, t: IsoDate): IsoDate[] {
  return validityChangeDays(v).filter((d) => inStep(d, prevT, t));
}

/** The ids an entry stands for: itself and, through `supersedes`, the entries it corrects. */
function rootsOf(e: Evidence, byId: ReadonlyMap<string, Evidence>): string[] {
  const out = [e.id];
  let current: Evidence | undefined = e;
  for (let hops = 0; current?.supersedes !== undefined && hops <= byId.size; hops++) {
    out.push(current.supersedes);
    current = byId.get(current.supersedes);
  }
  return out;
}

/** Newly known entries that bear on a set of cited ids (the ids themselves, or corrections of them). */
function newlyKnownCited(known: KnownEvidence, cited: ReadonlySet<string>): Evidence[] {
  return known.newlyKnown.filter((e) => rootsOf(e, known.byId).some((id) => cited.has(id)));
}

export function diffStates(
  c: Case,
  prev: StepState | undefined,
  next: StepState,
  prevT: IsoDate | undefined,
  t: IsoDate,
  known: KnownEvidence,
  staleOf: (benchmark: string) => Duration,
): Transition[] {
  if (prev === undefined || prevT === undefined) return [];
  const out: Transition[] = [];
  const { timelines, revised } = benchmarkTransitions(prev, next, prevT, t, known, out);
  flagTransitions(prev, next, prevT, t, staleOf, out);
  gateTransitions(c, prev, next, prevT, t, timelines, revised, out);
  judgementTransitions(c, prev, next, prevT, t, known, timelines, out);
  actionTransitions(c, prev, next, prevT, t, known, out);
  return out;
}

/**
 * What the principal did, between two steps, day by day as known at the later step: each
 * action that changes an instrument's latest action is dated on its own day; a departure
 * starts or ends on the first day both the gate's decision and the action stood as they
 * do, found by walking the days either changed on. An action known only now but dated
 * before the earlier step revises the earlier step's picture, dated on its own day.
 *
 * After an instrument's window closes (day C, its `until`), its action is the latest by
 * C and its departure the one at the close (see closed-windows.ts): a departure standing
 * on C goes on after it; acts after C change nothing. When the earlier step already fell
 * after C and what is known now changes the departure at the close (the act became public
 * late), the change is dated on the day it became known: the latest day an entry newly
 * known at this step that records an act on the instrument (or corrects one) became known,
 * failing such an entry the latest day any newly known entry did.
 *
 * An act that stood at the earlier step and that a correction known now retracts or
 * supersedes (`withdrawnActs`) stands until the day the correction became known: on that
 * day the instrument's use changes back — to the previous standing act, or to none — and
 * its departure follows, as a re-assessment as of each day shows it.
 */
function actionTransitions(
  c: Case,
  prev: StepState,
  next: StepState,
  prevT: IsoDate,
  t: IsoDate,
  known: KnownEvidence,
  out: Transition[],
): void {
  for (const inst of c.instruments) {
    const items = next.actionItems.get(inst.id) ?? [];
    const withdrawn = withdrawnActs(prev.actionItems.get(inst.id) ?? [], items, known, prevT, t);
    const close = inst.validity?.until;
    const closedOn = (d: IsoDate): boolean => close !== undefined && close < d;
    // A correction that replaces a withdrawn act with another counts from the day it became known.
    const replacing = replacingActs(items, withdrawn, known);
    // The latest act by day d (after the close, by the close): of the acts standing now (a
    // replacing one once known), and of those a correction withdrew, the ones whose
    // correction was not yet known on d.
    const actualOn = (d: IsoDate): ActualUse | null => {
      const upTo = close !== undefined && close < d ? close : d;
      let latest: Evidence | undefined;
      for (const e of items) if (e.occurredTo <= upTo && (replacing.get(e.id) ?? e.occurredTo) <= d) latest = e;
      for (const w of withdrawn)
        if (w.until > d && w.act.occurredTo <= upTo && (latest === undefined || laterAct(w.act, latest))) latest = w.act;
      return actualUseOf(latest);
    };
    /** The corrections that withdrew, on day d, the act that stood the day before. */
    const withdrawnOn = (d: IsoDate, from: ActualUse | null): Withdrawn | undefined =>
      withdrawn.find((w) => w.until === d && w.act.id === from?.evidence[0]);
    const gateMoves = out.filter((x) => x.kind === 'instrument' && x.id === inst.id && x.asOf === t);
    const startDecision = prev.instruments.get(inst.id) as GateDecision;
    const decisionOn = (d: IsoDate): GateDecision => {
      let decision = startDecision;
      for (const m of gateMoves) if (m.date <= d) decision = m.to as GateDecision;
      return decision;
    };
    const action = (d: IsoDate, from: ActualUse | null, to: ActualUse | null): void => {
      const undone = withdrawnOn(d, from);
      out.push({
        date: d,
        asOf: t,
        kind: 'action',
        id: inst.id,
        from: from?.state ?? null,
        to: to?.state ?? null,
        evidence: sortedUnique([...(to?.evidence ?? []), ...(undone?.by ?? [])]),
        rule:
          undone === undefined
            ? "the principal's latest recorded action on the instrument"
            : `${undone.by.length > 0 ? undone.by.join(', ') : 'a correction'} withdrew ${undone.act.id}: ${
                to === null ? 'nothing is recorded of what the principal did' : `the latest recorded action is again ${to.state}`
              }`,
      });
    };
    // The decision a departure is judged against on day d: after the close, the gate's on the close day, as known now.
    const judgedOn = (d: IsoDate): GateDecision =>
      closedOn(d) ? (next.closedDecisions.get(inst.id) ?? 'not-applicable') : decisionOn(d);
    const departure = (
      d: IsoDate,
      from: Departure | null,
      to: Departure | null,
      now: ActualUse | null,
      becameKnown = withdrawn.some((w) => w.until === d),
    ): void => {
      out.push({
        date: d,
        asOf: t,
        kind: 'departure',
        id: inst.id,
        from,
        to,
        // The action, and the evidence of a gate move that day (what changed the decision).
        evidence: sortedUnique([...(now?.evidence ?? []), ...gateMoves.filter((m) => m.date === d).flatMap((m) => m.evidence)]),
        rule: !closedOn(d)
          ? departureRule(to, now, judgedOn(d))
          : `${becameKnown ? `became known on ${d}: ` : ''}${closedDepartureRule(to, now, close as IsoDate)}`,
      });
    };
    // Actions known only now, dated on or before the earlier step, revise its picture.
    let lastAction = prev.actual.get(inst.id) ?? null;
    let lastDeparture = prev.departures.get(inst.id) ?? null;
    const revisedAction = actualOn(prevT);
    if (revisedAction !== null && !sameAction(lastAction, revisedAction)) {
      action(revisedAction.since, lastAction, revisedAction);
      lastAction = revisedAction;
    }
    const revisedDeparture = departureOf(judgedOn(prevT), revisedAction);
    if (revisedDeparture !== lastDeparture) {
      if (closedOn(prevT))
        departure(becameKnownOn(inst.id, known, prevT, t), lastDeparture, revisedDeparture, revisedAction, true);
      else departure(revisedAction?.since ?? prevT, lastDeparture, revisedDeparture, revisedAction);
      lastDeparture = revisedDeparture;
    }
    const days = sortedUnique([
      ...items.map((e) => e.occurredTo),
      ...withdrawn.flatMap((w) => [w.act.occurredTo, w.until]),
      ...replacing.values(),
      ...gateMoves.map((m) => m.date),
      ...(close === undefined ? [] : [addDays(close, 1)]),
    ]).filter((d) => inStep(d, prevT, t));
    for (const d of days) {
      const now = actualOn(d);
      if (!sameAction(lastAction, now)) {
        action(d, lastAction, now);
        lastAction = now;
      }
      const dep = departureOf(judgedOn(d), now);
      if (dep !== lastDeparture) {
        departure(d, lastDeparture, dep, now);
        lastDeparture = dep;
      }
    }
  }
}

/** An act that stood at the earlier step, withdrawn by corrections known by the later one. */
interface Withdrawn {
  readonly act: Evidence;
  /** The day the first correction withdrawing it became known: the act stands before it. */
  readonly until: IsoDate;
  /** The corrections that became known on that day and withdrew it. */
  readonly by: readonly string[];
}

/**
 * The acts on an instrument that stood at the earlier step (`before`) and no longer stand
 * at the later one (`after`): a correction known after the earlier step retracted or
 * superseded each (the day it became known lies in the step; failing one found, the later step).
 */
function withdrawnActs(
  before: readonly Evidence[],
  after: readonly Evidence[],
  known: KnownEvidence,
  prevT: IsoDate,
  t: IsoDate,
): Withdrawn[] {
  if (before.length === 0) return [];
  const standing = new Set(after.map((e) => e.id));
  const out: Withdrawn[] = [];
  for (const act of before) {
    if (standing.has(act.id)) continue;
    const fixes = known.newlyKnown.filter((e) => e.supersedes === act.id && inStep(knownOn(e), prevT, t));
    const until = fixes.map(knownOn).sort()[0] ?? t;
    out.push({
      act,
      until,
      by: fixes
        .filter((e) => knownOn(e) === until)
        .map((e) => e.id)
        .sort(),
    });
  }
  return out;
}

/** Standing acts newly known as corrections of a withdrawn act (directly or through a chain), by id: the day each became known. */
function replacingActs(items: readonly Evidence[], withdrawn: readonly Withdrawn[], known: KnownEvidence): Map<string, IsoDate> {
  const out = new Map<string, IsoDate>();
  if (withdrawn.length === 0) return out;
  const ids = new Set(withdrawn.map((w) => w.act.id));
  const newly = new Set(known.newlyKnown.map((e) => e.id));
  for (const e of items) {
    if (e.supersedes === undefined || !newly.has(e.id)) continue;
    if (rootsOf(e, known.byId).some((id) => ids.has(id))) out.set(e.id, knownOn(e));
  }
  return out;
}

/** Whether act a stands after act b: by the end of its occurrence, then id (as `latestActions` orders them). */
function laterAct(a: Evidence, b: Evidence): boolean {
  if (a.occurredTo !== b.occurredTo) return a.occurredTo > b.occurredTo;
  return a.id > b.id;
}

/**
 * The day what changed a closed instrument's departure between two steps became known:
 * the latest day a newly known entry recording an act on the instrument, or correcting
 * one, became known; failing one, the latest day any newly known entry did; failing any,
 * the later step.
 */
function becameKnownOn(instrument: string, known: KnownEvidence, prevT: IsoDate, t: IsoDate): IsoDate {
  let onInstrument: IsoDate | undefined;
  let any: IsoDate | undefined;
  for (const e of known.newlyKnown) {
    const day = knownOn(e);
    if (!inStep(day, prevT, t)) continue;
    if (any === undefined || day > any) any = day;
    const acts = rootsOf(e, known.byId).some((id) => known.byId.get(id)?.action?.instrument === instrument);
    if (acts && (onInstrument === undefined || day > onInstrument)) onInstrument = day;
  }
  return onInstrument ?? any ?? t;
}

/** Why a departure starts or ends on a day, in words. */
function departureRule(to: Departure | null, now: ActualUse | null, decision: GateDecision): string {
  const state = now?.state ?? '—';
  switch (to) {
    case null:
      // A departure ends because what was done now matches the decision — or because there is no decision to depart from,
      // or nothing recorded of what was done (a correction withdrew the act).
      if (now === null) return 'no departure is claimed: nothing is recorded of what the principal did';
      return decision === 'unknown' || decision === 'not-applicable' || decision === 'waived'
        ? `no departure is claimed: the gate is now ${decision === 'not-applicable' ? 'not in force' : decision}`
        : 'what the principal did is again what the gate warrants';
    case 'acted-while-locked':
      return `the instrument is in use (${state}) while its gate is locked`;
    case 'withheld-while-unlocked':
      return `the instrument is held back (${state}) while its gate is unlocked`;
    case 'not-imposed-while-required':
      return `the sanction is out of use (${state}) while it is required`;
    case 'imposed-while-not-required':
      return `the sanction is in use (${state}) while it is no longer required`;
  }
}

/** Why a closed instrument's departure (judged at its close) is what it is, in words. */
function closedDepartureRule(to: Departure | null, now: ActualUse | null, close: IsoDate): string {
  const state = now?.state ?? '—';
  const head = `the instrument closed on ${close}`;
  switch (to) {
    case null:
      return `${head} without a departure`;
    case 'acted-while-locked':
      return `${head} with a departure: it was in use (${state}) while its gate was locked`;
    case 'withheld-while-unlocked':
      return `${head} with a departure: it was held back (${state}) while its gate was unlocked`;
    case 'not-imposed-while-required':
      return `${head} with a departure: the sanction was out of use (${state}) while it was required`;
    case 'imposed-while-not-required':
      return `${head} with a departure: the sanction was in use (${state}) while it was no longer required`;
  }
}

function sameAction(a: ActualUse | null, b: ActualUse | null): boolean {
  return (a?.evidence[0] ?? null) === (b?.evidence[0] ?? null);
}

/** Per benchmark: its status on each day it changed (first: on the earlier step's day as known now). */
type Timelines = Map<string, StatusSegment[]>;

function benchmarkTransitions(
  prev: StepState,
  next: StepState,
  prevT: IsoDate,
  t: IsoDate,
  known: KnownEvidence,
  out: Transition[],
): { timelines: Timelines; revised: Map<string, IsoDate> } {
  const segments = next.segments ?? new Map<string, StepSegments>();
  const timelines: Timelines = new Map();
  /** Benchmarks whose status on the earlier step's day the evidence known now revises, and the day the revision took effect. */
  const revised = new Map<string, IsoDate>();
  for (const id of next.benchmarks.keys()) {
    const before = prev.benchmarks.get(id);
    const seg = segments.get(id);
    if (before === undefined || seg === undefined) continue;
    timelines.set(id, [seg.atPrevious, ...seg.changes]);
    let last = before.status;
    if (seg.atPrevious.status !== before.status) {
      let date = seg.atPrevious.since ?? prevT;
      const detail = seg.atPrevious.detail();
      let rule = `revised by what became known later: ${detail.cause}`;
      if (seg.atPrevious.since === null) {
        // The revised status has held since before any evidence: what changed is what is
        // known — a correction or retraction of the items the old status rested on.
        const withdrawn = known.newlyKnown.filter(
          (e) => e.supersedes !== undefined && rootsOf(e, known.byId).some((r) => before.evidence.includes(r)),
        );
        const when = withdrawn.map(knownOn).sort().pop();
        if (when !== undefined) {
          date = when;
          rule = `${withdrawn.map((e) => e.id).join(', ')} withdrew ${before.evidence.join(', ')}`;
        }
      }
      revised.set(id, date);
      out.push({
        date,
        asOf: t,
        kind: 'benchmark',
        id,
        from: before.status,
        to: seg.atPrevious.status,
        evidence: detail.evidence,
        rule,
      });
      last = seg.atPrevious.status;
    }
    for (const ch of seg.changes) {
      const { evidence, cause } = ch.detail();
      out.push({ date: ch.date, asOf: t, kind: 'benchmark', id, from: last, to: ch.status, evidence, rule: cause });
      last = ch.status;
    }
  }
  return { timelines, revised };
}

function flagTransitions(
  prev: StepState,
  next: StepState,
  prevT: IsoDate,
  t: IsoDate,
  staleOf: (benchmark: string) => Duration,
  out: Transition[],
): void {
  for (const [id, p] of next.benchmarks) {
    const before = prev.benchmarks.get(id);
    if (before === undefined) continue;
    const beforeFlags = new Set(before.flags);
    for (const f of p.flags) {
      if (beforeFlags.has(f)) continue;
      let date = t;
      let rule = `first seen at the step of ${t}`;
      if (f === 'timed-to-review' && p.since !== null) {
        date = p.since;
        rule = `the status rests on items timed to a review (${p.timed.join(', ')})`;
      } else if (f === 'stale') {
        const from = p.newest === null ? undefined : addDays(addDuration(p.newest, staleOf(id)), 1);
        if (from !== undefined && from > prevT && from <= t) date = from;
        rule =
          p.newest === null
            ? 'no counted evidence'
            : `the newest counted evidence (${p.newest}) became older than ${staleOf(id).text}`;
      }
      out.push({ date, asOf: t, kind: 'flag', id, from: null, to: f, evidence: f === 'timed-to-review' ? p.timed : [], rule });
    }
    for (const f of beforeFlags) {
      if (p.flags.includes(f)) continue;
      out.push({
        date: t,
        asOf: t,
        kind: 'flag',
        id,
        from: f,
        to: null,
        evidence: [],
        rule: f === 'stale' ? 'newer evidence, or monitoring, vouches for the status' : `no longer seen at the step of ${t}`,
      });
    }
  }
}

/** The status of each of `ids` on day d (on or after the earlier step's day), as known at the later step. */
function statusesOnFrom(
  next: StepState,
  timelines: Timelines,
): (ids: readonly string[], d: IsoDate) => Map<string, BenchmarkStatusKind> {
  return (ids, d) => {
    const m = new Map<string, BenchmarkStatusKind>();
    for (const id of ids) {
      const p = next.benchmarks.get(id);
      if (p === undefined) continue;
      const line = timelines.get(id);
      let status = p.status;
      if (line !== undefined) {
        status = (line[0] as StatusSegment).status;
        for (const seg of line) if (seg.date <= d) status = seg.status;
      }
      m.set(id, status);
    }
    return m;
  };
}

function gateTransitions(
  c: Case,
  prev: StepState,
  next: StepState,
  prevT: IsoDate,
  t: IsoDate,
  timelines: Timelines,
  revised: ReadonlyMap<string, IsoDate>,
  out: Transition[],
): void {
  const statusesOn = statusesOnFrom(next, timelines);
  const segmentOn = (b: string, d: IsoDate): StatusSegment | undefined => {
    let found: StatusSegment | undefined;
    for (const seg of timelines.get(b) ?? []) if (seg.date <= d) found = seg;
    return found;
  };
  for (const inst of c.instruments) {
    const before = prev.instruments.get(inst.id);
    if (before === undefined || !next.instruments.has(inst.id)) continue;
    const gate = c.gates.find((g) => g.instrument === inst.id);
    // Its gate's benchmarks and waivers, and those of the instruments its gate reads (transitively).
    const deps = withDependencies(c, inst.id);
    const ruleIds = [
      ...new Set(
        deps.flatMap((id) => {
          const g = c.gates.find((x) => x.instrument === id);
          return g === undefined ? [] : [...ruleBenchmarks(g.rule), ...(g.lift === undefined ? [] : ruleBenchmarks(g.lift))];
        }),
      ),
    ];
    const waivers = c.waivers.filter((w) => deps.includes(w.instrument));
    const days = sortedUnique([
      ...ruleIds.flatMap((b) => (timelines.get(b) ?? []).slice(1).map((seg) => seg.date)),
      ...waivers
        .flatMap((w) => [
          w.start,
          ...(w.expiry === undefined ? [] : [addDays(w.expiry, 1)]),
          ...(w.known === undefined ? [] : [w.known]),
        ])
        .filter((d) => inStep(d, prevT, t)),
      ...validityDays(inst.validity, prevT, t),
      ...validityDays(gate?.validity, prevT, t),
    ]);
    if (days.length === 0 && !ruleIds.some((b) => revised.has(b))) continue;
    const decide = (d: IsoDate) =>
      deps.length > 1
        ? (decideAll(c, statusesOn(ruleIds, d), d).get(inst.id) ?? 'unknown')
        : gateDecisionOn(inst, gate, c.waivers, statusesOn(ruleIds, d), d);
    const why = (d: IsoDate, moved: readonly string[]): { rule: string; evidence: string[] } => {
      const statuses = statusesOn(ruleIds, d);
      const phrases = moved.map((b) => `its gate reads ${b} ${statuses.get(b)}`);
      if (validityChangeDays(inst.validity).includes(d))
        phrases.push(
          inst.validity?.until !== undefined && d === addDays(inst.validity.until, 1)
            ? 'the instrument lapsed'
            : 'the instrument came into force',
        );
      if (validityChangeDays(gate?.validity).includes(d)) phrases.push('its gate came into or went out of force');
      for (const w of waivers) {
        if (w.start === d) phrases.push(`waiver ${w.id} took effect`);
        if (w.expiry !== undefined && addDays(w.expiry, 1) === d) phrases.push(`waiver ${w.id} expired`);
        if (w.known === d) phrases.push(`waiver ${w.id} became public`);
      }
      return {
        evidence: [...new Set(moved.flatMap((b) => segmentOn(b, d)?.detail().evidence ?? []))].sort(),
        rule: phrases.join('; ') || 'its rule was decided again',
      };
    };
    let last = before;
    // Evidence known only now may revise the decision of the earlier step.
    const revisedRule = ruleIds.filter((b) => revised.has(b));
    if (revisedRule.length > 0) {
      const now = decide(prevT);
      if (now !== last) {
        const date = revisedRule
          .map((b) => revised.get(b) as IsoDate)
          .sort()
          .pop() as IsoDate;
        out.push({ date, asOf: t, kind: 'instrument', id: inst.id, from: last, to: now, ...why(prevT, revisedRule) });
        last = now;
      }
    }
    for (const d of days) {
      const now = decide(d);
      if (now === last) continue;
      const moved = ruleIds.filter((b) => (timelines.get(b) ?? []).slice(1).some((seg) => seg.date === d));
      out.push({ date: d, asOf: t, kind: 'instrument', id: inst.id, from: last, to: now, ...why(d, moved) });
      last = now;
    }
  }
}

/**
 * The changes of one judged item (a justification's verdict, an issue area's convergence)
 * between two steps: judged again on every day cited evidence became known or its window
 * opened or closed, with only the evidence known by that day.
 */
function judgedTransitions<A extends string>(
  kind: 'justification' | 'issue-area',
  id: string,
  before: A,
  fresh: readonly Evidence[],
  windowDays: ReadonlySet<IsoDate>,
  prevT: IsoDate,
  t: IsoDate,
  judgeOn: (d: IsoDate) => A,
  words: { readonly window: string; readonly evidence: string; readonly condition?: string },
  out: Transition[],
  conditionDays: ReadonlySet<IsoDate> = new Set(),
): void {
  const days = sortedUnique([...fresh.map(knownOn), ...windowDays, ...conditionDays]).filter((d) => inStep(d, prevT, t));
  let last = before;
  for (const d of days) {
    const now = judgeOn(d);
    if (now === last) continue;
    const evidence = fresh
      .filter((e) => knownOn(e) === d)
      .map((e) => e.id)
      .sort();
    const rule = [
      ...(windowDays.has(d) ? [words.window] : []),
      ...(conditionDays.has(d) && words.condition !== undefined ? [words.condition] : []),
      ...(evidence.length > 0 ? [`${words.evidence}: ${evidence.join(', ')}`] : []),
    ].join('; ');
    out.push({ date: d, asOf: t, kind, id, from: last, to: now, evidence, rule });
    last = now;
  }
}

function judgementTransitions(
  c: Case,
  prev: StepState,
  next: StepState,
  prevT: IsoDate,
  t: IsoDate,
  known: KnownEvidence,
  timelines: Timelines,
  out: Transition[],
): void {
  const interests = new Map(c.interests.map((i) => [i.id, i]));
  const statusesOn = statusesOnFrom(next, timelines);
  for (const j of c.justifications) {
    const before = prev.justifications.get(j.id);
    const inst = c.instruments.find((i) => i.id === j.instrument);
    if (before === undefined || inst === undefined) continue;
    const cited = new Set([...j.evidenceFor, ...j.evidenceAgainst, ...inst.effects.flatMap((e) => e.evidence)]);
    // The benchmarks its instrument's effects are conditioned on, and the days they changed.
    const conditionIds = effectBenchmarks(inst);
    const conditionDays = new Set(conditionIds.flatMap((b) => (timelines.get(b) ?? []).slice(1).map((seg) => seg.date)));
    judgedTransitions(
      'justification',
      j.id,
      before,
      newlyKnownCited(known, cited),
      new Set([...validityDays(j.validity, prevT, t), ...validityDays(inst.validity, prevT, t)]),
      prevT,
      t,
      (d) => {
        const statuses = statusesOn(conditionIds, d);
        return judgeJustification(j, inst, interests, resolverAsOf(known, d), d, (e) => effectHolds(e, statuses)).verdict;
      },
      {
        window: "its validity window (or its instrument's) opened or closed",
        evidence: 'cited evidence became known',
        condition: "a benchmark its instrument's effects are conditioned on changed",
      },
      out,
      conditionDays,
    );
  }
  for (const area of c.issueAreas ?? []) {
    const before = prev.issueAreas.get(area.id);
    if (before === undefined) continue;
    judgedTransitions(
      'issue-area',
      area.id,
      before,
      newlyKnownCited(known, new Set([...area.evidence.aligned, ...area.evidence.opposed])),
      new Set(validityDays(area.validity, prevT, t)),
      prevT,
      t,
      (d) => judgeIssueArea(area, interests, resolverAsOf(known, d), d).convergence,
      { window: 'its validity window opened or closed', evidence: "evidence of the counterpart's position became known" },
      out,
    );
  }
}
