/**
 * Gate decisions: whether an instrument is unlocked, from its rule over benchmark statuses.
 *
 * Three-valued: a benchmark counts as satisfied only when `met`, as unsatisfied when it is
 * known not to be met (not-met, pending, reversed, unverified), and as unknown when
 * `unknown`. A rule is decided only when the unknowns cannot change the outcome;
 * otherwise the decision is `unknown`. A waiver in force (start <= asOf <= expiry) and
 * publicly known by asOf turns `locked` or `unknown` into `waived`; an expired waiver, or
 * one not yet disclosed, is reported but not applied.
 *
 * Validity: an instrument outside its validity window is `not-applicable` (neither locked
 * nor unlocked). A gate outside its own window does not condition its instrument (the
 * instrument is then decided as ungated). A benchmark that is not applicable on the date
 * is left out of the rule; a rule left with no benchmark is `unknown`.
 */

import type { BenchmarkStatusKind } from './benchmark-stream.ts';
import type { Case, Gate, GateRule, Instrument, InstrumentEffect, InstrumentKind, InstrumentTerm, Waiver } from './case-model.ts';
import type { IsoDate } from './dates.ts';
import type { ActualUse, Departure } from './principal-actions.ts';
import type { Sensitivity } from './sensitivity-types.ts';
import type { UnlockPath } from './unlock.ts';
import { type Applicability, applicabilityAt, describeInapplicability } from './validity.ts';

/**
 * `unlocked` / `locked` decide an engagement; `required` / `not-required` a sanction (its
 * trigger holds and its lift conditions do not / the trigger does not hold, or the lift
 * conditions do); `waived`, `unknown` and `not-applicable` either.
 */
export const GATE_DECISIONS = ['unlocked', 'locked', 'required', 'not-required', 'waived', 'unknown', 'not-applicable'] as const;
export type GateDecision = (typeof GATE_DECISIONS)[number];

/** What the gate decides for an instrument; `InstrumentResult` adds what the principal did. */
export interface GateResult {
  readonly id: string;
  readonly title: string;
  /** An engagement (decided unlocked / locked) or a sanction (decided required / not-required). */
  readonly kind: InstrumentKind;
  readonly tier: number;
  readonly amount: number | null;
  readonly currency: string | null;
  readonly decision: GateDecision;
  /** Benchmarks not met that the rule needs (all of them for `all`; those that could help otherwise). */
  readonly missing: readonly string[];
  readonly reasons: readonly string[];
  readonly rule: string;
  readonly waiver: string | null;
  /** Evidence behind the benchmarks the decision rests on (the missing ones when locked). */
  readonly evidence: readonly string[];
  /** Whether the instrument applies on the date (`in-force`), or why not. */
  readonly applicability: Applicability;
}

export interface InstrumentResult extends GateResult {
  /** What the principal did with the instrument, as recorded (its latest action), or null when nothing is recorded. */
  readonly actual: ActualUse | null;
  /** Whether what the principal did departs from what the gate warrants. */
  readonly departure: Departure | null;
  /**
   * What the warranted side of a departure rests on: `evidence` when a benchmark that
   * decides the gate rests on recorded evidence, else `monitoring` (monitored absence), else
   * `default` (only the case's defaults: no record says the conditions are unmet, or met).
   * Null without a departure.
   */
  readonly departureBasis: DepartureBasis | null;
  /** What would unlock it (locked, unknown or waived instruments); null when unlocked or not applicable. */
  readonly unlock: UnlockPath | null;
  /** How firmly the decision stands: the smallest changes found that flip it (null when not applicable). */
  readonly sensitivity: Sensitivity | null;
}

export const DEPARTURE_BASES = ['evidence', 'monitoring', 'default'] as const;
export type DepartureBasis = (typeof DEPARTURE_BASES)[number];

export type Truth = 'yes' | 'no' | 'unknown';

function truthOf(status: BenchmarkStatusKind | undefined): Truth {
  if (status === 'met') return 'yes';
  if (status === undefined || status === 'unknown') return 'unknown';
  return 'no';
}

/** How a list of terms reads: a group's name when the rule was written over one, else the terms. */
function termsText(rule: Extract<GateRule, { benchmarks: readonly string[] }>): string {
  if (rule.group !== undefined && (rule.rules ?? []).length === 0) return `${rule.group} (${rule.benchmarks.length})`;
  return [
    ...rule.benchmarks,
    ...(rule.rules ?? []).map((r) => `(${describeGateRule(r)})`),
    ...(rule.instruments ?? []).map((t) => `instrument ${t.instrument} ${t.is}`),
  ].join(', ');
}

export function describeGateRule(rule: GateRule): string {
  switch (rule.kind) {
    case 'none':
      return 'no conditions';
    case 'all':
      return `all of ${termsText(rule)} met`;
    case 'any':
      return `any of ${termsText(rule)} met`;
    case 'at-least':
      return `at least ${rule.count} of ${termsText(rule)} met`;
    case 'weighted':
      return `weights of met benchmarks (${rule.weights.map((w) => `${w.benchmark}: ${w.weight}`).join(', ')}) reach ${rule.threshold}`;
  }
}

/** Every benchmark the rule reads, nested rules included, each once, in the order written. */
export function ruleBenchmarks(rule: GateRule): readonly string[] {
  if (rule.kind === 'none') return [];
  if (rule.kind === 'weighted') return rule.weights.map((w) => w.benchmark);
  const nested = rule.rules ?? [];
  if (nested.length === 0) return rule.benchmarks;
  return [...new Set([...rule.benchmarks, ...nested.flatMap(ruleBenchmarks)])];
}

/** Whether the rule nests other rules (the unlock path then reasons term by term). */
export function isNested(rule: GateRule): boolean {
  return rule.kind !== 'none' && rule.kind !== 'weighted' && (rule.rules ?? []).length > 0;
}

/** Every instrument the rule reads (nested rules included), each once. */
export function ruleInstruments(rule: GateRule): readonly string[] {
  if (rule.kind === 'none' || rule.kind === 'weighted') return [];
  return [...new Set([...(rule.instruments ?? []).map((t) => t.instrument), ...(rule.rules ?? []).flatMap(ruleInstruments)])];
}

/** How many terms the rule has at its top level and below (0: a rule with nothing to decide). */
function termCount(rule: GateRule): number {
  return ruleBenchmarks(rule).length + ruleInstruments(rule).length;
}

/** Other instruments' decisions on the day, for rules that read them. */
export type Decisions = ReadonlyMap<string, GateDecision>;
const NO_DECISIONS: Decisions = new Map();

/** Whether an instrument's decision is as a term asks; unknown while it is unknown or not decided. */
function instrumentTruth(t: InstrumentTerm, decisions: Decisions): Truth {
  const d = decisions.get(t.instrument);
  if (d === undefined || d === 'unknown' || d === 'not-applicable') return 'unknown';
  switch (t.is) {
    case 'warranted':
      return d === 'unlocked' || d === 'waived' ? 'yes' : 'no';
    default:
      return d === t.is ? 'yes' : 'no';
  }
}

/** Terms of a rule: its benchmarks, its nested rules and its instrument terms, each with its truth. */
function termTruths(
  rule: Extract<GateRule, { benchmarks: readonly string[] }>,
  statuses: ReadonlyMap<string, BenchmarkStatusKind>,
  decisions: Decisions,
): Truth[] {
  return [
    ...rule.benchmarks.map((id) => truthOf(statuses.get(id))),
    ...(rule.rules ?? []).map((r) => ruleTruth(r, statuses, decisions)),
    ...(rule.instruments ?? []).map((t) => instrumentTruth(t, decisions)),
  ];
}

/** A rule's truth from its terms' truths, counted: `yes` true, `no` false, `unk` unknown. */
function countedTruth(
  rule: GateRule & { readonly kind: 'all' | 'any' | 'at-least' },
  yes: number,
  no: number,
  unk: number,
): Truth {
  switch (rule.kind) {
    case 'all':
      return no > 0 ? 'no' : unk > 0 ? 'unknown' : 'yes';
    case 'any':
      return yes > 0 ? 'yes' : unk > 0 ? 'unknown' : 'no';
    case 'at-least':
      return yes >= rule.count ? 'yes' : yes + unk < rule.count ? 'no' : 'unknown';
  }
}

/** A weighted rule's truth: the weight known met (`yes`) and unknown (`unk`) against the threshold. */
function thresholdTruth(yes: number, unk: number, threshold: number): Truth {
  return yes >= threshold ? 'yes' : yes + unk < threshold ? 'no' : 'unknown';
}

/**
 * The truth of a rule (nested rules included) over benchmark statuses and, for instrument
 * terms, the other instruments' decisions; a rule with no term is unknown.
 */
export function ruleTruth(
  rule: GateRule,
  statuses: ReadonlyMap<string, BenchmarkStatusKind>,
  decisions: Decisions = NO_DECISIONS,
): Truth {
  if (rule.kind === 'none') return 'yes';
  if (rule.kind === 'weighted') {
    let yes = 0;
    let unk = 0;
    for (const w of rule.weights) {
      const t = truthOf(statuses.get(w.benchmark));
      if (t === 'yes') yes += w.weight;
      if (t === 'unknown') unk += w.weight;
    }
    return thresholdTruth(yes, unk, rule.threshold);
  }
  const truths = termTruths(rule, statuses, decisions);
  if (truths.length === 0) return 'unknown';
  let yes = 0;
  let no = 0;
  for (const t of truths) {
    if (t === 'yes') yes += 1;
    else if (t === 'no') no += 1;
  }
  return countedTruth(rule, yes, no, truths.length - yes - no);
}

/** The benchmarks not met among the terms of the rule that do not hold (recursively): what the rule still needs. */
function missingOf(rule: GateRule, statuses: ReadonlyMap<string, BenchmarkStatusKind>, decisions: Decisions): string[] {
  if (rule.kind === 'none') return [];
  const notMet = (id: string) => truthOf(statuses.get(id)) !== 'yes';
  if (rule.kind === 'weighted') return rule.weights.map((w) => w.benchmark).filter(notMet);
  const out = rule.benchmarks.filter(notMet);
  for (const r of rule.rules ?? [])
    if (ruleTruth(r, statuses, decisions) !== 'yes') out.push(...missingOf(r, statuses, decisions));
  return [...new Set(out)];
}

/** The instrument terms of a rule that do not hold (recursively), in words: "instrument visa-dialogue unlocked (it is locked)". */
function instrumentsMissing(rule: GateRule, statuses: ReadonlyMap<string, BenchmarkStatusKind>, decisions: Decisions): string[] {
  if (rule.kind === 'none' || rule.kind === 'weighted') return [];
  const out = (rule.instruments ?? [])
    .filter((t) => instrumentTruth(t, decisions) !== 'yes')
    .map((t) => `instrument ${t.instrument} ${t.is} (it is ${decisions.get(t.instrument) ?? 'not decided'})`);
  for (const r of rule.rules ?? [])
    if (ruleTruth(r, statuses, decisions) !== 'yes') out.push(...instrumentsMissing(r, statuses, decisions));
  return out;
}

function decideRule(
  rule: GateRule,
  statuses: ReadonlyMap<string, BenchmarkStatusKind>,
  decisions: Decisions,
): { decision: Truth; missing: string[] } {
  return { decision: ruleTruth(rule, statuses, decisions), missing: missingOf(rule, statuses, decisions) };
}

/** The rule without the benchmarks (and instruments) that do not apply on the date (nested rules too). */
function withoutInapplicable(
  rule: GateRule,
  statuses: ReadonlyMap<string, BenchmarkStatusKind>,
  decisions: Decisions = NO_DECISIONS,
): GateRule {
  const applies = (id: string) => statuses.get(id) !== 'not-applicable';
  switch (rule.kind) {
    case 'none':
      return rule;
    case 'all':
    case 'any':
    case 'at-least': {
      const nested = rule.rules ?? [];
      const instruments = rule.instruments ?? [];
      return {
        ...rule,
        benchmarks: rule.benchmarks.filter(applies),
        ...(nested.length === 0 ? {} : { rules: nested.map((r) => withoutInapplicable(r, statuses, decisions)) }),
        ...(instruments.length === 0
          ? {}
          : { instruments: instruments.filter((t) => decisions.get(t.instrument) !== 'not-applicable') }),
      };
    }
    case 'weighted':
      return { ...rule, weights: rule.weights.filter((w) => applies(w.benchmark)) };
  }
}

/** Whether a waiver applies on a day: in force, and public by then. */
function waiverApplies(w: Waiver, asOf: IsoDate): boolean {
  return w.start <= asOf && (w.expiry === undefined || asOf <= w.expiry) && (w.known === undefined || w.known <= asOf);
}

/** What the decision rests on: the rule in force (without benchmarks that do not apply), and the decision. */
interface GateOutcome {
  readonly applicability: Applicability;
  readonly gateApplies: Applicability;
  readonly written: GateRule;
  readonly rule: GateRule;
  /** Benchmarks of the rule left out because they do not apply on the date. */
  readonly left: readonly string[];
  /** The decision before waivers. */
  readonly bare: 'unlocked' | 'locked' | 'required' | 'not-required' | 'unknown';
  readonly missing: readonly string[];
  readonly waiver: Waiver | undefined;
  /** For a sanction: the trigger's truth, and the lift rule in force with its truth (none: the sanction has no lift rule). */
  readonly sanction?: {
    readonly trigger: Truth;
    readonly lift: { readonly written: GateRule; readonly rule: GateRule; readonly truth: Truth } | undefined;
  };
}

/** A rule's truth, unknown when none of its terms applies. */
function truthInForce(rule: GateRule, statuses: ReadonlyMap<string, BenchmarkStatusKind>, decisions: Decisions): Truth {
  if (rule.kind !== 'none' && termCount(rule) === 0) return 'unknown';
  return ruleTruth(rule, statuses, decisions);
}

function outcomeOf(
  instrument: Instrument,
  gate: Gate | undefined,
  waivers: readonly Waiver[],
  statuses: ReadonlyMap<string, BenchmarkStatusKind>,
  asOf: IsoDate,
  decisions: Decisions = NO_DECISIONS,
): GateOutcome {
  const applicability = applicabilityAt(instrument.validity, asOf);
  const gateApplies = gate === undefined ? 'in-force' : applicabilityAt(gate.validity, asOf);
  const written: GateRule = gate?.rule ?? { kind: 'none' };
  const inForce: GateRule = gateApplies === 'in-force' ? written : { kind: 'none' };
  const rule = withoutInapplicable(inForce, statuses, decisions);
  const left = [
    ...ruleBenchmarks(inForce).filter((id) => statuses.get(id) === 'not-applicable'),
    ...ruleInstruments(inForce).filter((id) => decisions.get(id) === 'not-applicable'),
  ];
  let { decision, missing } = decideRule(rule, statuses, decisions);
  if (rule.kind !== 'none' && termCount(rule) === 0) {
    decision = 'unknown';
    missing = [];
  }
  if (instrument.kind === 'sanction') {
    const liftWritten = gateApplies === 'in-force' ? gate?.lift : undefined;
    const liftRule = liftWritten === undefined ? undefined : withoutInapplicable(liftWritten, statuses, decisions);
    const lift =
      liftWritten === undefined || liftRule === undefined
        ? undefined
        : { written: liftWritten, rule: liftRule, truth: truthInForce(liftRule, statuses, decisions) };
    const liftTruth = lift?.truth ?? 'no';
    const bare =
      liftTruth === 'yes' || decision === 'no'
        ? 'not-required'
        : decision === 'yes' && liftTruth === 'no'
          ? 'required'
          : 'unknown';
    // What would change it: for a required sanction, what lifting needs; for an unknown one, every benchmark not met.
    const liftMissing = liftRule === undefined ? [] : missingOf(liftRule, statuses, decisions);
    const sanctionMissing =
      bare === 'required' ? liftMissing : bare === 'unknown' ? [...new Set([...missing, ...liftMissing])] : [];
    const waiver =
      bare === 'required' || bare === 'unknown'
        ? waivers.find((w) => w.instrument === instrument.id && waiverApplies(w, asOf))
        : undefined;
    return {
      applicability,
      gateApplies,
      written,
      rule,
      left,
      bare,
      missing: sanctionMissing,
      waiver,
      sanction: { trigger: decision, lift },
    };
  }
  const bare = decision === 'yes' ? 'unlocked' : decision === 'no' ? 'locked' : 'unknown';
  const waiver = bare === 'unlocked' ? undefined : waivers.find((w) => w.instrument === instrument.id && waiverApplies(w, asOf));
  return { applicability, gateApplies, written, rule, left, bare, missing, waiver };
}

/** The rule that conditions the instrument on the date (none when its gate is not in force), without the benchmarks that do not apply. */
export function ruleInForce(
  instrument: Instrument,
  gate: Gate | undefined,
  statuses: ReadonlyMap<string, BenchmarkStatusKind>,
  asOf: IsoDate,
  decisions: Decisions = NO_DECISIONS,
): GateRule {
  return outcomeOf(instrument, gate, [], statuses, asOf, decisions).rule;
}

/**
 * `ruleTruth` of the rule without its terms that do not apply (`withoutInapplicable`),
 * computed without building that rule.
 */
function applyingTruth(rule: GateRule, statuses: ReadonlyMap<string, BenchmarkStatusKind>, decisions: Decisions): Truth {
  if (rule.kind === 'none') return 'yes';
  if (rule.kind === 'weighted') {
    let yes = 0;
    let unk = 0;
    for (const w of rule.weights) {
      const status = statuses.get(w.benchmark);
      if (status === 'not-applicable') continue;
      const t = truthOf(status);
      if (t === 'yes') yes += w.weight;
      if (t === 'unknown') unk += w.weight;
    }
    return thresholdTruth(yes, unk, rule.threshold);
  }
  let terms = 0;
  let yes = 0;
  let no = 0;
  const count = (t: Truth) => {
    terms += 1;
    if (t === 'yes') yes += 1;
    else if (t === 'no') no += 1;
  };
  for (const id of rule.benchmarks) {
    const status = statuses.get(id);
    if (status !== 'not-applicable') count(truthOf(status));
  }
  for (const r of rule.rules ?? []) count(applyingTruth(r, statuses, decisions));
  for (const t of rule.instruments ?? [])
    if (decisions.get(t.instrument) !== 'not-applicable') count(instrumentTruth(t, decisions));
  if (terms === 0) return 'unknown';
  return countedTruth(rule, yes, no, terms - yes - no);
}

/** Whether the rule keeps a benchmark or an instrument term, at any depth, once the terms that do not apply are left out. */
function hasApplyingTerm(rule: GateRule, statuses: ReadonlyMap<string, BenchmarkStatusKind>, decisions: Decisions): boolean {
  if (rule.kind === 'none') return false;
  if (rule.kind === 'weighted') return rule.weights.some((w) => statuses.get(w.benchmark) !== 'not-applicable');
  return (
    rule.benchmarks.some((id) => statuses.get(id) !== 'not-applicable') ||
    (rule.instruments ?? []).some((t) => decisions.get(t.instrument) !== 'not-applicable') ||
    (rule.rules ?? []).some((r) => hasApplyingTerm(r, statuses, decisions))
  );
}

/** `truthInForce(withoutInapplicable(rule))`: unknown when no term of the rule applies. */
function applyingTruthInForce(rule: GateRule, statuses: ReadonlyMap<string, BenchmarkStatusKind>, decisions: Decisions): Truth {
  if (rule.kind !== 'none' && !hasApplyingTerm(rule, statuses, decisions)) return 'unknown';
  return applyingTruth(rule, statuses, decisions);
}

/**
 * The decision alone (no reasons): what `decideGate` decides, for callers that only
 * compare decisions (many times over, in the sensitivity searches): the same steps as
 * `outcomeOf`, without the rule in force, the missing benchmarks or the words.
 */
export function gateDecisionOn(
  instrument: Instrument,
  gate: Gate | undefined,
  waivers: readonly Waiver[],
  statuses: ReadonlyMap<string, BenchmarkStatusKind>,
  asOf: IsoDate,
  decisions: Decisions = NO_DECISIONS,
): GateDecision {
  if (applicabilityAt(instrument.validity, asOf) !== 'in-force') return 'not-applicable';
  const gateApplies = gate === undefined ? 'in-force' : applicabilityAt(gate.validity, asOf);
  const rule: GateRule = gateApplies === 'in-force' && gate !== undefined ? gate.rule : { kind: 'none' };
  const decision = applyingTruthInForce(rule, statuses, decisions);
  const waiverFor = () => waivers.find((w) => w.instrument === instrument.id && waiverApplies(w, asOf));
  if (instrument.kind === 'sanction') {
    const lift = gateApplies === 'in-force' ? gate?.lift : undefined;
    const liftTruth = lift === undefined ? 'no' : applyingTruthInForce(lift, statuses, decisions);
    const bare =
      liftTruth === 'yes' || decision === 'no'
        ? 'not-required'
        : decision === 'yes' && liftTruth === 'no'
          ? 'required'
          : 'unknown';
    if (bare === 'not-required') return bare;
    return waiverFor() !== undefined ? 'waived' : bare;
  }
  const bare = decision === 'yes' ? 'unlocked' : decision === 'no' ? 'locked' : 'unknown';
  if (bare === 'unlocked') return bare;
  return waiverFor() !== undefined ? 'waived' : bare;
}

export function decideGate(
  instrument: Instrument,
  gate: Gate | undefined,
  waivers: readonly Waiver[],
  statuses: ReadonlyMap<string, BenchmarkStatusKind>,
  asOf: IsoDate,
  evidenceOf: (benchmark: string) => readonly string[] = () => [],
  decisions: Decisions = NO_DECISIONS,
): GateResult {
  const base = {
    id: instrument.id,
    title: instrument.title,
    kind: instrument.kind ?? 'engagement',
    tier: instrument.tier,
    amount: instrument.amount ?? null,
    currency: instrument.currency ?? null,
  };
  const o = outcomeOf(instrument, gate, waivers, statuses, asOf, decisions);
  const { applicability, gateApplies, written, rule, left, bare, missing, waiver } = o;
  const otherInstruments = instrumentsMissing(rule, statuses, decisions);
  if (applicability !== 'in-force') {
    const phrase = describeInapplicability(instrument.validity, applicability);
    return {
      ...base,
      decision: 'not-applicable',
      missing: [],
      reasons: [`not applicable on ${asOf}: the instrument is ${phrase}`],
      rule: describeGateRule(written),
      waiver: null,
      evidence: [],
      applicability,
    };
  }
  const reasons: string[] = [];
  if (gate !== undefined && gateApplies !== 'in-force') {
    reasons.push(
      `rule: ${describeGateRule(written)} — but the gate is ${describeInapplicability(gate.validity, gateApplies)}, so it does not condition the instrument on ${asOf}`,
    );
  } else {
    reasons.push(`rule: ${describeGateRule(written)}${gate === undefined ? ' (the case sets no gate for this instrument)' : ''}`);
  }
  if (left.length > 0) reasons.push(`left out of the rule (not applicable on ${asOf}): ${left.join(', ')}`);
  if (rule.kind !== 'none' && termCount(rule) === 0) reasons.push(`no benchmark of the rule applies on ${asOf}`);
  if (otherInstruments.length > 0) reasons.push(`other instruments the rule reads: ${otherInstruments.join('; ')}`);
  if (gate?.rationale !== undefined) reasons.push(`rationale: ${gate.rationale}`);
  const statusText = (id: string) => `${id} is ${statuses.get(id) ?? 'unknown'}`;
  if (o.sanction !== undefined) {
    const { trigger, lift } = o.sanction;
    const truthWords = (t: Truth) => (t === 'yes' ? 'holds' : t === 'no' ? 'does not hold' : 'is not known to hold or not');
    reasons.push(`a sanction: the rule above is its trigger, which ${truthWords(trigger)}`);
    reasons.push(
      lift === undefined
        ? 'no conditions to lift it are set'
        : `lift: ${describeGateRule(lift.written)}, which ${truthWords(lift.truth)}`,
    );
    if (bare === 'required')
      reasons.push(
        `required: the trigger holds and the conditions to lift it do not${missing.length > 0 ? ` (lifting needs: ${missing.map(statusText).join('; ')})` : ''}`,
      );
    else if (bare === 'not-required')
      reasons.push(
        lift?.truth === 'yes' ? 'not required: the conditions to lift it hold' : 'not required: the trigger does not hold',
      );
    else reasons.push(`unknown: it depends on benchmarks of unknown status: ${missing.map(statusText).join('; ')}`);
  } else if (bare === 'unlocked') {
    reasons.push(rule.kind === 'none' ? 'unlocked: unconditional on this date' : `unlocked: the rule holds`);
  } else if (bare === 'locked') {
    reasons.push(`locked: ${[...missing.map(statusText), ...otherInstruments].join('; ')}`);
  } else if (missing.length > 0) {
    reasons.push(`unknown: the rule depends on benchmarks of unknown status: ${missing.map(statusText).join('; ')}`);
  }
  for (const w of waivers.filter((x) => x.instrument === instrument.id)) {
    const inEffect = w.start <= asOf && (w.expiry === undefined || asOf <= w.expiry);
    const known = w.known === undefined || w.known <= asOf;
    if (w === waiver) {
      reasons.push(
        `waived: ${w.id} by ${w.authority}, in force from ${w.start}${w.expiry === undefined ? '' : ` to ${w.expiry}`}: ${w.rationale} (without it: ${bare})`,
      );
    } else if (inEffect && !known) {
      reasons.push(
        `waiver ${w.id} (${w.authority}) was in force from ${w.start} but was made public only on ${w.known ?? '—'}, so it is not applied as of ${asOf}`,
      );
    } else if (inEffect) {
      reasons.push(`waiver ${w.id} is in force but not needed`);
    } else if (w.expiry !== undefined && w.expiry < asOf) {
      reasons.push(`waiver ${w.id} (${w.authority}) expired on ${w.expiry} and no longer applies`);
    } else if (w.start > asOf) {
      reasons.push(`waiver ${w.id} takes effect only on ${w.start}`);
    }
  }
  const decision: GateDecision = waiver !== undefined ? 'waived' : bare;
  const liftBenchmarks = o.sanction?.lift === undefined ? [] : ruleBenchmarks(o.sanction.lift.rule);
  const decidingBenchmarks =
    o.sanction === undefined
      ? decision === 'unlocked' || decision === 'waived'
        ? ruleBenchmarks(rule)
        : missing
      : [...new Set([...ruleBenchmarks(rule), ...liftBenchmarks])];
  return {
    ...base,
    decision,
    missing: decision === 'unlocked' || decision === 'not-required' ? [] : [...missing],
    reasons,
    rule: describeGateRule(written),
    waiver: waiver?.id ?? null,
    evidence: [...new Set(decidingBenchmarks.flatMap(evidenceOf))].sort(),
    applicability,
  };
}

/**
 * The instruments in an order in which every instrument comes after those its gate reads
 * (case order otherwise). A loop is a validation error, so none is expected; should one
 * remain, its instruments keep case order and read each other as not yet decided (unknown).
 */
export function decisionOrder(c: Pick<Case, 'instruments' | 'gates'>): readonly Instrument[] {
  let order = decisionOrders.get(c);
  if (order === undefined) {
    order = orderByDependencies(c);
    decisionOrders.set(c, order);
  }
  return order;
}

/** Per case: its instruments in decision order (cases are frozen, so each is ordered once). */
const decisionOrders = new WeakMap<object, readonly Instrument[]>();

function orderByDependencies(c: Pick<Case, 'instruments' | 'gates'>): readonly Instrument[] {
  const deps = new Map(
    c.instruments.map((i) => {
      const g = c.gates.find((x) => x.instrument === i.id);
      const ids = g === undefined ? [] : [...ruleInstruments(g.rule), ...(g.lift === undefined ? [] : ruleInstruments(g.lift))];
      return [i.id, ids] as const;
    }),
  );
  if ([...deps.values()].every((d) => d.length === 0)) return c.instruments;
  const out: Instrument[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const byId = new Map(c.instruments.map((i) => [i.id, i]));
  const visit = (id: string) => {
    if (state.has(id)) return;
    state.set(id, 'visiting');
    for (const d of deps.get(id) ?? []) visit(d);
    state.set(id, 'done');
    const inst = byId.get(id);
    if (inst !== undefined) out.push(inst);
  };
  for (const i of c.instruments) visit(i.id);
  return out;
}

/** Every instrument's decision on the day, each decided after the instruments its gate reads. */
export function decideAll(
  c: Pick<Case, 'instruments' | 'gates' | 'waivers'>,
  statuses: ReadonlyMap<string, BenchmarkStatusKind>,
  asOf: IsoDate,
): Map<string, GateDecision> {
  const decisions = new Map<string, GateDecision>();
  for (const inst of decisionOrder(c)) {
    const gate = c.gates.find((g) => g.instrument === inst.id);
    decisions.set(inst.id, gateDecisionOn(inst, gate, c.waivers, statuses, asOf, decisions));
  }
  return decisions;
}

/** The loops among gates that read other instruments, each as the ids around it (first id repeated last). */
export function instrumentLoops(c: Pick<Case, 'instruments' | 'gates'>): string[][] {
  const deps = new Map(
    c.gates.map(
      (g) => [g.instrument, [...ruleInstruments(g.rule), ...(g.lift === undefined ? [] : ruleInstruments(g.lift))]] as const,
    ),
  );
  const loops: string[][] = [];
  const seen = new Set<string>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const visit = (id: string) => {
    if (onStack.has(id)) {
      const loop = [...stack.slice(stack.indexOf(id)), id];
      const key = [...loop.slice(0, -1)].sort().join(' ');
      if (!loops.some((l) => [...l.slice(0, -1)].sort().join(' ') === key)) loops.push(loop);
      return;
    }
    if (seen.has(id)) return;
    seen.add(id);
    stack.push(id);
    onStack.add(id);
    for (const d of deps.get(id) ?? []) visit(d);
    stack.pop();
    onStack.delete(id);
  };
  for (const i of c.instruments) visit(i.id);
  return loops;
}

/** The instrument and those its gate reads, transitively (itself first). */
export function withDependencies(c: Pick<Case, 'instruments' | 'gates'>, id: string): string[] {
  const out: string[] = [];
  const visit = (x: string) => {
    if (out.includes(x)) return;
    out.push(x);
    const g = c.gates.find((y) => y.instrument === x);
    if (g === undefined) return;
    for (const d of [...ruleInstruments(g.rule), ...(g.lift === undefined ? [] : ruleInstruments(g.lift))]) visit(d);
  };
  visit(id);
  return out;
}

/**
 * Whether an instrument's effect holds on the day: yes without conditions; with `while`, the
 * rule's truth; with `unless`, its negation (both: both must allow it). A condition none of
 * whose benchmarks applies is unknown.
 */
export function effectHolds(effect: InstrumentEffect, statuses: ReadonlyMap<string, BenchmarkStatusKind>): Truth {
  const truthOfRule = (rule: GateRule) => truthInForce(withoutInapplicable(rule, statuses), statuses, NO_DECISIONS);
  const parts: Truth[] = [];
  if (effect.while !== undefined) parts.push(truthOfRule(effect.while));
  if (effect.unless !== undefined) {
    const t = truthOfRule(effect.unless);
    parts.push(t === 'yes' ? 'no' : t === 'no' ? 'yes' : 'unknown');
  }
  if (parts.includes('no')) return 'no';
  return parts.includes('unknown') ? 'unknown' : 'yes';
}

/** The benchmarks an instrument's effects are conditioned on. */
export function effectBenchmarks(instrument: Instrument): string[] {
  return [
    ...new Set(
      instrument.effects.flatMap((e) => [
        ...(e.while === undefined ? [] : ruleBenchmarks(e.while)),
        ...(e.unless === undefined ? [] : ruleBenchmarks(e.unless)),
      ]),
    ),
  ];
}
