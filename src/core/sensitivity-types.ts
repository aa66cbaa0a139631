/**
 * How firmly a verdict or gate decision stands: the smallest changes found that flip it.
 * Computed by `sensitivity.ts`; the types live here so results and reports can name them.
 */

/** The kinds of change tried, one at a time. */
export const CHANGE_KINDS = ['rank-swap', 'remove-item', 'drop-claims', 'downgrade'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** One change that flips the result. */
export interface Flip {
  readonly change: ChangeKind;
  /** The change in plain words: "if Pakistan's ... (ev-…) is removed", "if interests X and Y swap ranks". */
  readonly detail: string;
  /** The evidence ids (remove-item, drop-claims, downgrade) or interest ids (rank-swap) the change touches. */
  readonly subjects: readonly string[];
  /** The verdict or decision the change leads to. */
  readonly to: string;
}

export interface Sensitivity {
  /** `robust`: no change tried flips it; `fragile`: at least one does. */
  readonly label: 'robust' | 'fragile';
  /** The flipping changes found, in the order tried (rank swaps, removals, claims dropped, downgrades); at most MAX_FLIPS listed. */
  readonly flips: readonly Flip[];
  /** How many flipping changes were found in all. */
  readonly flipCount: number;
  /** How many changes were tried. */
  readonly tried: number;
  /** False when the search stopped at its bound before trying every change. */
  readonly complete: boolean;
  /** One sentence: "robust: none of 14 single changes flips it" / "fragile: becomes weak if … is removed". */
  readonly summary: string;
}
