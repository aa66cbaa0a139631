/**
 * Justification verdicts, computed — never written into a case.
 *
 * Rules, applied in order (the first that fires decides):
 * 1. Harm outranks service: if the instrument harms an interest ranked above every
 *    interest the justification claims to serve, and that harm has known evidence, the
 *    verdict is `unconvincing`.
 * 2. If the weight of evidence against the claim exceeds the weight for it: `unconvincing`.
 * 3. If the evidence for it reaches CONVINCING_WEIGHT and exceeds the evidence against it
 *    (a tie is contested, so weak), no higher-ranked harm is left
 *    unevidenced, and the weighted service exceeds the weighted harm to lower-ranked
 *    interests: `convincing`.
 * 4. Otherwise `weak`.
 * Evidence weight is the item's best source weight (reliability × credibility, see
 * evidence.ts); an item counts only if it is known as of the assessment date. A cited item
 * that was superseded counts as its correction; a retracted one not at all.
 *
 * A justification outside its validity window, or of an instrument outside its own, is
 * `not-applicable` on that date (a justification about a war is not judged before it).
 */
import type { Instrument, InstrumentEffect, Interest, Justification } from './case-model.ts';
import type { IsoDate } from './dates.ts';
import { type Evidence, evidenceWeight } from './evidence.ts';
import { describeGateRule, type Truth } from './gates.ts';
import type { Sensitivity } from './sensitivity-types.ts';
import { applicabilityAt, describeInapplicability } from './validity.ts';

export const VERDICTS = ['convincing', 'weak', 'unconvincing', 'not-applicable'] as const;
export type Verdict = (typeof VERDICTS)[number];

export const CONVINCING_WEIGHT = 1;

export const VERDICT_RULE =
  'unconvincing if the instrument has evidenced harm to an interest ranked above all it claims to serve, or if evidence against outweighs evidence for; convincing if evidence for reaches 1 (one A1 source, or more weaker ones), exceeds the evidence against, and weighted service exceeds weighted harm to lower-ranked interests; weak otherwise';

export interface JustificationResult {
  readonly id: string;
  readonly instrument: string;
  readonly title: string;
  readonly verdict: Verdict;
  readonly serves: readonly string[];
  readonly support: number;
  readonly opposition: number;
  readonly evidence: readonly string[];
  /** The one sentence that decided the verdict. */
  readonly decision: string;
  /** The rules the verdict comes from, in the order they are applied. */
  readonly rule: string;
  readonly reasons: readonly string[];
  /** How firmly the verdict stands: the smallest changes found that flip it (null when not applicable). */
  readonly sensitivity: Sensitivity | null;
}

/** Finds the standing version of a cited item, or undefined if it is unknown or withdrawn. */
export type EvidenceResolver = (id: string) => Evidence | undefined;

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function weigh(ids: readonly string[], resolve: EvidenceResolver): { weight: number; items: Evidence[]; unknown: string[] } {
  const items: Evidence[] = [];
  const unknown: string[] = [];
  for (const id of ids) {
    const e = resolve(id);
    if (e === undefined) unknown.push(id);
    else if (!items.includes(e)) items.push(e);
  }
  return { weight: round2(items.reduce((s, e) => s + evidenceWeight(e), 0)), items, unknown };
}

function label(i: Interest): string {
  return `${i.id} (rank ${i.rank})`;
}

export function judgeJustification(
  j: Justification,
  instrument: Instrument,
  interests: ReadonlyMap<string, Interest>,
  resolve: EvidenceResolver,
  asOf?: IsoDate,
  holds: (effect: InstrumentEffect) => Truth = (e) => (e.while === undefined && e.unless === undefined ? 'yes' : 'unknown'),
): JustificationResult {
  if (asOf !== undefined) {
    const own = applicabilityAt(j.validity, asOf);
    const ofInstrument = applicabilityAt(instrument.validity, asOf);
    if (own !== 'in-force' || ofInstrument !== 'in-force') {
      const decision =
        own !== 'in-force'
          ? `not applicable on ${asOf}: the justification is ${describeInapplicability(j.validity, own)}`
          : `not applicable on ${asOf}: its instrument ${instrument.id} is ${describeInapplicability(instrument.validity, ofInstrument)}`;
      return {
        id: j.id,
        instrument: j.instrument,
        title: j.title,
        verdict: 'not-applicable',
        serves: [...j.serves],
        support: 0,
        opposition: 0,
        evidence: [],
        decision,
        rule: VERDICT_RULE,
        reasons: [decision],
        sensitivity: null,
      };
    }
  }
  const reasons: string[] = [];
  const claimed = j.serves.map((id) => interests.get(id)).filter((i): i is Interest => i !== undefined);
  claimed.sort((a, b) => a.rank - b.rank);
  const best = claimed[0]?.rank ?? Number.POSITIVE_INFINITY;
  reasons.push(`claims to serve ${claimed.map(label).join(', ') || 'no interest of the principal'}`);

  const forEv = weigh(j.evidenceFor, resolve);
  const againstEv = weigh(j.evidenceAgainst, resolve);
  const cited = [...forEv.items, ...againstEv.items];

  const conditioned = (e: InstrumentEffect) =>
    [
      e.while === undefined ? '' : `while ${describeGateRule(e.while)}`,
      e.unless === undefined ? '' : `unless ${describeGateRule(e.unless)}`,
    ]
      .filter((x) => x !== '')
      .join(' and ');
  const allHarms = instrument.effects
    .filter((e) => e.direction === 'harms')
    .map((e) => ({ effect: e, interest: interests.get(e.interest), ev: weigh(e.evidence, resolve), holds: holds(e) }))
    .filter((h): h is typeof h & { interest: Interest } => h.interest !== undefined)
    .sort((a, b) => a.interest.rank - b.interest.rank);
  // A harm whose condition does not hold on the date is not weighed; one whose condition is unknown is weighed as unproven.
  for (const h of allHarms) {
    if (h.holds === 'no')
      reasons.push(
        `harm to ${label(h.interest)} not weighed on this date: it holds only ${conditioned(h.effect)}, which rules it out`,
      );
    if (h.holds === 'unknown')
      reasons.push(
        `harm to ${label(h.interest)} holds ${conditioned(h.effect)}, which is not known on this date: weighed as unproven`,
      );
  }
  const harms = allHarms.filter((h) => h.holds !== 'no');
  const higher = harms.filter((h) => h.interest.rank < best);
  const evidencedHigher = higher.filter((h) => h.ev.items.length > 0 && h.holds === 'yes');
  const unevidencedHigher = higher.filter((h) => h.ev.items.length === 0 || h.holds === 'unknown');
  const lower = harms.filter((h) => h.interest.rank >= best && h.ev.items.length > 0 && h.holds === 'yes');
  for (const h of harms) cited.push(...h.ev.items);

  reasons.push(
    `evidence for: ${forEv.weight} from ${forEv.items.length} item(s)${forEv.items.length > 0 ? ` (${forEv.items.map((e) => e.id).join(', ')})` : ''}`,
  );
  reasons.push(
    `evidence against: ${againstEv.weight} from ${againstEv.items.length} item(s)${againstEv.items.length > 0 ? ` (${againstEv.items.map((e) => e.id).join(', ')})` : ''}`,
  );
  const notYet = [...forEv.unknown, ...againstEv.unknown];
  if (notYet.length > 0) reasons.push(`not known as of this date (not counted): ${notYet.join(', ')}`);

  let verdict: Verdict;
  let decision: string;
  const serviceValue = round2(claimed.reduce((s, i) => s + i.weight * Math.min(1, forEv.weight), 0));
  const lowerHarmValue = round2(lower.reduce((s, h) => s + h.interest.weight * Math.min(1, h.ev.weight), 0));
  const claimedText = claimed.map(label).join(', ') || 'no interest of the principal';
  if (evidencedHigher.length > 0) {
    verdict = 'unconvincing';
    decision = `unconvincing: ${instrument.id} harms ${evidencedHigher.map((h) => label(h.interest)).join(' and ')}, ranked above everything the justification claims to serve (${claimedText})`;
    for (const h of evidencedHigher) {
      reasons.push(`harm to ${label(h.interest)}: ${h.effect.rationale} (${h.ev.items.map((e) => e.id).join(', ')})`);
    }
  } else if (againstEv.weight > forEv.weight) {
    verdict = 'unconvincing';
    decision = `unconvincing: the evidence against (${againstEv.weight}) outweighs the evidence for (${forEv.weight})`;
  } else if (
    forEv.weight >= CONVINCING_WEIGHT &&
    forEv.weight > againstEv.weight &&
    unevidencedHigher.length === 0 &&
    serviceValue > lowerHarmValue
  ) {
    verdict = 'convincing';
    decision = `convincing: evidence for (${forEv.weight}) reaches ${CONVINCING_WEIGHT} and outweighs the evidence against (${againstEv.weight}); weighted service ${serviceValue} exceeds weighted harm to lower-ranked interests ${lowerHarmValue}`;
  } else {
    verdict = 'weak';
    const why: string[] = [];
    if (forEv.weight < CONVINCING_WEIGHT) why.push(`the evidence for (${forEv.weight}) is below ${CONVINCING_WEIGHT}`);
    else if (forEv.weight === againstEv.weight)
      why.push(
        `the evidence for (${forEv.weight}) only matches the evidence against (${againstEv.weight}): contested, not convincing`,
      );
    for (const h of unevidencedHigher) why.push(`a harm to ${label(h.interest)} is claimed but has no known evidence`);
    if (serviceValue <= lowerHarmValue && forEv.weight >= CONVINCING_WEIGHT) {
      why.push(
        `weighted harm to lower-ranked interests (${lowerHarmValue}) matches or exceeds weighted service (${serviceValue})`,
      );
    }
    decision = `weak: ${why.join('; ')}`;
  }
  reasons.push(decision);
  return {
    id: j.id,
    instrument: j.instrument,
    title: j.title,
    verdict,
    serves: claimed.map((i) => i.id),
    support: forEv.weight,
    opposition: againstEv.weight,
    evidence: [...new Set(cited.map((e) => e.id))].sort(),
    decision,
    rule: VERDICT_RULE,
    reasons,
    sensitivity: null,
  };
}
