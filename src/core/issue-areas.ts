/**
 * Issue-area convergence, computed — never written into a case.
 *
 * For each issue area the evidence of the counterpart's revealed position is weighed on
 * both sides: items showing it acting with the principal's position (`aligned`) and items
 * showing it acting against it (`opposed`). Rules, applied in order:
 * 1. No known item on either side: `unknown`.
 * 2. The heavier side weighs less than DECISIVE_WEIGHT (about one C3 source): `unknown`
 *    (too thin to say).
 * 3. The heavier side is less than DECISIVE_RATIO times the lighter: `unknown`, contested.
 * 4. Otherwise `align` when the aligned side is heavier, `diverge` when the opposed one is.
 * `contested` is defined once, here: known evidence on both sides that neither side
 * outweighs DECISIVE_RATIO times (rule 3). It implies `unknown`. An area that aligns or
 * diverges with some evidence on the other side is not contested; its reasons name the
 * minority side.
 *
 * An area outside its validity window is `not-applicable` on that date and justifies nothing.
 *
 * Evidence weight is as for justifications: the item's best source weight (reliability ×
 * credibility, see evidence.ts); an item counts only if known as of the assessment date; a
 * cited item that was superseded counts as its correction, a retracted one not at all; an
 * item cited on both sides (or twice) counts once per side.
 *
 * An area's instruments are those cooperation in it could justify; only an area that
 * aligns justifies them (`justifies`), so a diverging or unknown area justifies none.
 */
import type { Interest, IssueArea } from './case-model.ts';
import type { IsoDate } from './dates.ts';
import { type Evidence, evidenceWeight } from './evidence.ts';
import type { EvidenceResolver } from './justifications.ts';
import { applicabilityAt, describeInapplicability } from './validity.ts';

export const CONVERGENCES = ['align', 'diverge', 'unknown', 'not-applicable'] as const;
export type Convergence = (typeof CONVERGENCES)[number];

/** The weight the heavier side needs before anything is decided (one C3 source weighs 0.36). */
export const DECISIVE_WEIGHT = 0.3;
/** How many times the lighter side the heavier side must weigh. */
export const DECISIVE_RATIO = 1.5;

export const CONVERGENCE_RULE = `unknown if no evidence is known, if the heavier side weighs less than ${DECISIVE_WEIGHT}, or if it is less than ${DECISIVE_RATIO} times the other side (contested); otherwise align when the evidence of the counterpart acting with the principal's position is heavier, diverge when the evidence of it acting against is`;

export interface IssueAreaSide {
  /** Summed weight of the known items, rounded to 2 decimals. */
  readonly weight: number;
  /** Ids of the known items that count (corrections in place of what they superseded), in citation order. */
  readonly evidence: readonly string[];
}

export interface IssueAreaResult {
  readonly id: string;
  readonly title: string;
  readonly principalInterest: string;
  readonly convergence: Convergence;
  /** Known evidence on both sides, neither outweighing the other by the decisive ratio (so `unknown`). */
  readonly contested: boolean;
  readonly aligned: IssueAreaSide;
  readonly opposed: IssueAreaSide;
  /** The instruments the area could justify, as listed in the case. */
  readonly instruments: readonly string[];
  /** Those it justifies as of the date: all of them if the area aligns, none otherwise. */
  readonly justifies: readonly string[];
  /** Every counted item of both sides, sorted. */
  readonly evidence: readonly string[];
  /** The one sentence that decided the convergence. */
  readonly decision: string;
  readonly rule: string;
  readonly reasons: readonly string[];
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function weighSide(ids: readonly string[], resolve: EvidenceResolver): { side: IssueAreaSide; unknown: string[] } {
  const items: Evidence[] = [];
  const unknown: string[] = [];
  for (const id of ids) {
    const e = resolve(id);
    if (e === undefined) {
      if (!unknown.includes(id)) unknown.push(id);
    } else if (!items.includes(e)) {
      items.push(e);
    }
  }
  return {
    side: { weight: round2(items.reduce((s, e) => s + evidenceWeight(e), 0)), evidence: items.map((e) => e.id) },
    unknown,
  };
}

function describeSide(name: string, s: IssueAreaSide): string {
  return `${name}: ${s.weight} from ${s.evidence.length} item(s)${s.evidence.length > 0 ? ` (${s.evidence.join(', ')})` : ''}`;
}

/** The convergence of one area as of the view `resolve` gives (see the module rules). */
export function judgeIssueArea(
  area: IssueArea,
  interests: ReadonlyMap<string, Interest>,
  resolve: EvidenceResolver,
  asOf?: IsoDate,
): IssueAreaResult {
  const applies = asOf === undefined ? 'in-force' : applicabilityAt(area.validity, asOf);
  if (applies !== 'in-force') {
    const decision = `not applicable on ${asOf}: the issue area is ${describeInapplicability(area.validity, applies)}`;
    return {
      id: area.id,
      title: area.title,
      principalInterest: area.principalInterest,
      convergence: 'not-applicable',
      contested: false,
      aligned: { weight: 0, evidence: [] },
      opposed: { weight: 0, evidence: [] },
      instruments: area.instruments,
      justifies: [],
      evidence: [],
      decision,
      rule: CONVERGENCE_RULE,
      reasons: [decision],
    };
  }
  const interest = interests.get(area.principalInterest);
  const reasons: string[] = [
    `the principal's interest: ${interest === undefined ? area.principalInterest : `${interest.id} (rank ${interest.rank})`}; its position: ${area.principalPosition}`,
  ];
  const aligned = weighSide(area.evidence.aligned, resolve);
  const opposed = weighSide(area.evidence.opposed, resolve);
  reasons.push(describeSide('counterpart acting with that position', aligned.side));
  reasons.push(describeSide('counterpart acting against it', opposed.side));
  const notYet = [...new Set([...aligned.unknown, ...opposed.unknown])];
  if (notYet.length > 0) reasons.push(`not known as of this date (not counted): ${notYet.join(', ')}`);

  const a = aligned.side.weight;
  const o = opposed.side.weight;
  const heavier = Math.max(a, o);
  const lighter = Math.min(a, o);
  const bothSides = aligned.side.evidence.length > 0 && opposed.side.evidence.length > 0;
  let contested = false;
  let convergence: Convergence;
  let decision: string;
  if (aligned.side.evidence.length === 0 && opposed.side.evidence.length === 0) {
    convergence = 'unknown';
    decision = "unknown: no evidence of the counterpart's position in this area is known as of this date";
  } else if (heavier < DECISIVE_WEIGHT) {
    convergence = 'unknown';
    decision = `unknown: the evidence is too thin (aligned ${a}, opposed ${o}; the heavier side needs ${DECISIVE_WEIGHT})`;
  } else if (heavier < DECISIVE_RATIO * lighter) {
    convergence = 'unknown';
    contested = true;
    decision = `unknown: contested, aligned ${a} against opposed ${o}, and neither side weighs ${DECISIVE_RATIO} times the other`;
  } else if (a > o) {
    convergence = 'align';
    decision = `align: the evidence of the counterpart acting with the principal's position (${a}) reaches ${DECISIVE_WEIGHT} and ${DECISIVE_RATIO} times the evidence against it (${o})`;
  } else {
    convergence = 'diverge';
    decision = `diverge: the evidence of the counterpart acting against the principal's position (${o}) reaches ${DECISIVE_WEIGHT} and ${DECISIVE_RATIO} times the evidence with it (${a})`;
  }
  reasons.push(decision);
  if (bothSides && !contested) {
    reasons.push(
      convergence === 'align'
        ? `some evidence runs the other way (${opposed.side.evidence.join(', ')}), too light to contest the alignment`
        : convergence === 'diverge'
          ? `some evidence runs the other way (${aligned.side.evidence.join(', ')}), too light to contest the divergence`
          : 'evidence on both sides, too thin to decide',
    );
  }
  const justifies = convergence === 'align' ? area.instruments : [];
  if (area.instruments.length > 0) {
    reasons.push(
      convergence === 'align'
        ? `could justify: ${area.instruments.join(', ')}`
        : convergence === 'diverge'
          ? `justifies none of ${area.instruments.join(', ')} while interests diverge`
          : `${area.instruments.join(', ')} wait for clearer evidence`,
    );
  }
  return {
    id: area.id,
    title: area.title,
    principalInterest: area.principalInterest,
    convergence,
    contested,
    aligned: aligned.side,
    opposed: opposed.side,
    instruments: area.instruments,
    justifies,
    evidence: [...new Set([...aligned.side.evidence, ...opposed.side.evidence])].sort(),
    decision,
    rule: CONVERGENCE_RULE,
    reasons,
  };
}
