/**
 * Voting-convergence measures for one dyad over a set of roll calls.
 *
 * Contract:
 * - A roll call counts for a dyad only when both members cast `yes`, `abstain` or `no`;
 *   `absent` (absent, not a member, not voting) is left out, never read as disagreement.
 * - Every measure is a function of the integer {@link DyadCounts}, so any way of counting
 *   (the straightforward loop here, the bit-parallel one in all-dyads.ts) gives identical
 *   results.
 * - With no shared roll call every measure is `null` (unknown), never 0.
 *
 * Definitions (n = roll calls both voted on):
 * - `agreement` — identical votes / n (yes-yes, no-no, abstain-abstain). Range [0, 1].
 * - `agreementHalf` — as the State Department counts it: identical = 1, one abstains while
 *   the other votes yes or no = ½, yes against no = 0; divided by n. Range [0, 1].
 * - `kappa` — Cohen's kappa with the three choices as nominal categories:
 *   (pₒ − pₑ)/(1 − pₑ), pₒ = `agreement`, pₑ = Σ_c p_a(c)·p_b(c) over the same n roll calls.
 *   When pₑ = 1 (both always cast the same single choice) kappa is defined as 1. Range [−1, 1].
 * - `sScore` — Signorino & Ritter's S (Signorino, C. S. and Ritter, J. M. 1999, "Tau-b or
 *   not tau-b: measuring the similarity of foreign policy positions", International Studies
 *   Quarterly 43(1): 115–144): S = 1 − 2·d/d_max, votes placed on the ordinal scale
 *   yes = 1, abstain = 2, no = 3, d = Σ|x_a − x_b| (unweighted city-block distance over
 *   the n roll calls) and d_max = 2·n. Range [−1, 1]. With this metric S equals
 *   2·agreementHalf − 1 = (same − opposite)/n exactly.
 */

export const VOTE_CHOICES = ['yes', 'abstain', 'no', 'absent'] as const;
export type VoteChoice = (typeof VOTE_CHOICES)[number];

/** Vote codes as small integers for packed storage: 0 absent, 1 yes, 2 abstain, 3 no (Voeten's 1/2/3). */
export const VOTE_CODE = { absent: 0, yes: 1, abstain: 2, no: 3 } as const satisfies Record<VoteChoice, number>;
export type VoteCode = (typeof VOTE_CODE)[VoteChoice];

/** Integer tallies for a dyad (a, b) over the roll calls both voted on. */
export interface DyadCounts {
  /** roll calls both cast yes, abstain or no */
  readonly n: number;
  /** identical votes */
  readonly same: number;
  /** yes against no */
  readonly opposite: number;
  /** one abstained, the other voted yes or no */
  readonly partial: number;
  /** a's and b's yes / abstain / no counts over those n roll calls (kappa marginals) */
  readonly aYes: number;
  readonly aAbstain: number;
  readonly bYes: number;
  readonly bAbstain: number;
}

export interface DyadMeasures {
  readonly n: number;
  readonly agreement: number | null;
  readonly agreementHalf: number | null;
  readonly kappa: number | null;
  readonly sScore: number | null;
}

export const MEASURE_NAMES = ['agreement', 'agreement-half', 'kappa', 's-score'] as const;
export type ConvergenceMeasure = (typeof MEASURE_NAMES)[number];

/** Counts a dyad by a plain loop over two equally long vote-code arrays (the reference implementation). */
export function countDyad(a: ArrayLike<number>, b: ArrayLike<number>): DyadCounts {
  if (a.length !== b.length) throw new RangeError(`vote arrays differ in length: ${a.length} and ${b.length}`);
  let n = 0;
  let same = 0;
  let opposite = 0;
  let aYes = 0;
  let aAbstain = 0;
  let bYes = 0;
  let bAbstain = 0;
  for (let i = 0; i < a.length; i++) {
    const va = a[i] as number;
    const vb = b[i] as number;
    if (va === 0 || vb === 0) continue;
    n++;
    if (va === vb) same++;
    else if (va !== 2 && vb !== 2) opposite++;
    if (va === 1) aYes++;
    else if (va === 2) aAbstain++;
    if (vb === 1) bYes++;
    else if (vb === 2) bAbstain++;
  }
  return { n, same, opposite, partial: n - same - opposite, aYes, aAbstain, bYes, bAbstain };
}

/** Derives the four measures from the counts; `null` when the dyad shares no roll call. */
export function measureFromCounts(c: DyadCounts): DyadMeasures {
  if (c.n === 0) return { n: 0, agreement: null, agreementHalf: null, kappa: null, sScore: null };
  const n = c.n;
  const agreement = c.same / n;
  const agreementHalf = (c.same + c.partial / 2) / n;
  const aNo = n - c.aYes - c.aAbstain;
  const bNo = n - c.bYes - c.bAbstain;
  const expected = (c.aYes * c.bYes + c.aAbstain * c.bAbstain + aNo * bNo) / (n * n);
  const kappa = expected >= 1 ? 1 : (agreement - expected) / (1 - expected);
  const sScore = (c.same - c.opposite) / n;
  return { n, agreement, agreementHalf, kappa, sScore };
}

/** Picks one named measure from a result. */
export function pickMeasure(m: DyadMeasures, name: ConvergenceMeasure): number | null {
  switch (name) {
    case 'agreement':
      return m.agreement;
    case 'agreement-half':
      return m.agreementHalf;
    case 'kappa':
      return m.kappa;
    case 's-score':
      return m.sScore;
  }
}

/** Maps a vote as written in roll-call files to a choice: Voeten's 1/2/3/8/9 or words; undefined when unrecognised. */
export function parseVoteChoice(raw: string): VoteChoice | undefined {
  const v = raw.trim().toLowerCase();
  switch (v) {
    case '1':
    case 'y':
    case 'yes':
      return 'yes';
    case '2':
    case 'a':
    case 'abstain':
    case 'abstention':
      return 'abstain';
    case '3':
    case 'n':
    case 'no':
      return 'no';
    case '':
    case '8':
    case '9':
    case 'x':
    case 'absent':
    case 'non-member':
    case 'not a member':
    case 'na':
      return 'absent';
    default:
      return undefined;
  }
}
