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
import type { Gate, GateRule, Instrument, Waiver } from './case-model.ts';
import type { IsoDate } from './dates.ts';
import type { ActualUse, Departure } from './principal-actions.ts';
import type { Sensitivity } from './sensitivity-types.ts';
import type { UnlockPath } from './unlock.ts';
import { type Applicability, applicabilityAt, describeInapplicability } from './validity.ts';

export const GATE_DECISIONS = ['unlocked', 'locked', 'waived', 'unknown', 'not-applicable'] as const;
export type GateDecision = (typeof GATE_DECISIONS)[number];

/** What the gate decides for an instrument; `InstrumentResult` adds what the principal did. */
export interface GateResult {
  readonly id: string;
  readonly title: string;
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

type Truth = 'yes' | 'no' | 'unknown';

function truthOf(status: BenchmarkStatusKind | undefined): Truth {
  if (status === 'met') return 'yes';
  if (status === undefined || status === 'unknown') return 'unknown';
  return 'no';
}

export function describeGateRule(rule: GateRule): string {
  switch (rule.kind) {
    case 'none':
      return 'no conditions';
    case 'all':
      return `all of ${rule.benchmarks.join(', ')} met`;
    case 'any':
      return `any of ${rule.benchmarks.join(', ')} met`;
    case 'at-least':
      return `at least ${rule.count} of ${rule.benchmarks.join(', ')} met`;
    case 'weighted':
      return `weights of met benchmarks (${rule.weights.map((w) => `${w.benchmark}: ${w.weight}`).join(', ')}) reach ${rule.threshold}`;
  }
}

export function ruleBenchmarks(rule: GateRule): readonly string[] {
  return rule.kind === 'none' ? [] : rule.kind === 'weighted' ? rule.weights.map((w) => w.benchmark) : rule.benchmarks;
}

function decideRule(rule: GateRule, statuses: ReadonlyMap<string, BenchmarkStatusKind>): { decision: Truth; missing: string[] } {
  const ids = ruleBenchmarks(rule);
  const truth = new Map(ids.map((id) => [id, truthOf(statuses.get(id))]));
  const notMet = ids.filter((id) => truth.get(id) !== 'yes');
  const count = (t: Truth) => ids.filter((id) => truth.get(id) === t).length;
  switch (rule.kind) {
    case 'none':
      return { decision: 'yes', missing: [] };
    case 'all':
      return { decision: count('no') > 0 ? 'no' : count('unknown') > 0 ? 'unknown' : 'yes', missing: notMet };
    case 'any':
      return { decision: count('yes') > 0 ? 'yes' : count('unknown') > 0 ? 'unknown' : 'no', missing: notMet };
    case 'at-least': {
      const yes = count('yes');
      const unk = count('unknown');
      return { decision: yes >= rule.count ? 'yes' : yes + unk < rule.count ? 'no' : 'unknown', missing: notMet };
    }
    case 'weighted': {
      let yes = 0;
      let unk = 0;
      for (const w of rule.weights) {
        const t = truth.get(w.benchmark);
        if (t === 'yes') yes += w.weight;
        if (t === 'unknown') unk += w.weight;
      }
      return {
        decision: yes >= rule.threshold ? 'yes' : yes + unk < rule.threshold ? 'no' : 'unknown',
        missing: notMet,
      };
    }
  }
}

/** The rule without the benchmarks that do not apply on the date. */
function withoutInapplicable(rule: GateRule, statuses: ReadonlyMap<string, BenchmarkStatusKind>): GateRule {
  const applies = (id: string) => statuses.get(id) !== 'not-applicable';
  switch (rule.kind) {
    case 'none':
      return rule;
    case 'all':
    case 'any':
      return { ...rule, benchmarks: rule.benchmarks.filter(applies) };
    case 'at-least':
      return { ...rule, benchmarks: rule.benchmarks.filter(applies) };
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
  readonly bare: 'unlocked' | 'locked' | 'unknown';
  readonly missing: readonly string[];
  readonly waiver: Waiver | undefined;
}

function outcomeOf(
  instrument: Instrument,
  gate: Gate | undefined,
  waivers: readonly Waiver[],
  statuses: ReadonlyMap<string, BenchmarkStatusKind>,
  asOf: IsoDate,
): GateOutcome {
  const applicability = applicabilityAt(instrument.validity, asOf);
  const gateApplies = gate === undefined ? 'in-force' : applicabilityAt(gate.validity, asOf);
  const written: GateRule = gate?.rule ?? { kind: 'none' };
  const inForce: GateRule = gateApplies === 'in-force' ? written : { kind: 'none' };
  const rule = withoutInapplicable(inForce, statuses);
  const left = ruleBenchmarks(inForce).filter((id) => statuses.get(id) === 'not-applicable');
  let { decision, missing } = decideRule(rule, statuses);
  if (rule.kind !== 'none' && ruleBenchmarks(rule).length === 0) {
    decision = 'unknown';
    missing = [];
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
): GateRule {
  return outcomeOf(instrument, gate, [], statuses, asOf).rule;
}

/** The decision alone (no reasons): what `decideGate` decides, for callers that only compare decisions. */
export function gateDecisionOn(
  instrument: Instrument,
  gate: Gate | undefined,
  waivers: readonly Waiver[],
  statuses: ReadonlyMap<string, BenchmarkStatusKind>,
  asOf: IsoDate,
): GateDecision {
  const o = outcomeOf(instrument, gate, waivers, statuses, asOf);
  if (o.applicability !== 'in-force') return 'not-applicable';
  return o.waiver !== undefined ? 'waived' : o.bare;
}

export function decideGate(
  instrument: Instrument,
  gate: Gate | undefined,
  waivers: readonly Waiver[],
  statuses: ReadonlyMap<string, BenchmarkStatusKind>,
  asOf: IsoDate,
  evidenceOf: (benchmark: string) => readonly string[] = () => [],
): GateResult {
  const base = {
    id: instrument.id,
    title: instrument.title,
    tier: instrument.tier,
    amount: instrument.amount ?? null,
    currency: instrument.currency ?? null,
  };
  const o = outcomeOf(instrument, gate, waivers, statuses, asOf);
  const { applicability, gateApplies, written, rule, left, bare, missing, waiver } = o;
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
  if (rule.kind !== 'none' && ruleBenchmarks(rule).length === 0) reasons.push(`no benchmark of the rule applies on ${asOf}`);
  if (gate?.rationale !== undefined) reasons.push(`rationale: ${gate.rationale}`);
  const statusText = (id: string) => `${id} is ${statuses.get(id) ?? 'unknown'}`;
  if (bare === 'unlocked') {
    reasons.push(rule.kind === 'none' ? 'unlocked: unconditional on this date' : `unlocked: the rule holds`);
  } else if (bare === 'locked') {
    reasons.push(`locked: ${missing.map(statusText).join('; ')}`);
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
  return {
    ...base,
    decision,
    missing: decision === 'unlocked' ? [] : [...missing],
    reasons,
    rule: describeGateRule(written),
    waiver: waiver?.id ?? null,
    evidence: [
      ...new Set((decision === 'unlocked' || decision === 'waived' ? ruleBenchmarks(rule) : missing).flatMap(evidenceOf)),
    ].sort(),
    applicability,
  };
}
