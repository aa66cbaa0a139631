/**
 * The words a principal reads: what a gate decision warrants, what was done, what departs
 * from it, how firm the ground is — one place, so the HTML, PDF and Markdown briefs and the
 * dashboard say the same thing. Pure.
 *
 * Contracts:
 * - Decision words say what the JSON value means ("not warranted: conditions unmet" for
 *   `locked`); the JSON values themselves are never changed.
 * - Durations in text meant for people are in words ("12 months"), never ISO (P12M):
 *   `durationsInWords` rewrites the ones the core's explanations carry.
 * - Evidence ids named inside the core's explanations become citation numbers
 *   (`citeNamedEvidence`), so a reader follows a number instead of reading an id.
 * - Nothing here guesses from names: weak ground is a source grade of C or lower, or an
 *   entry marked as the case author's or the analysis's own claim (`claim`).
 */
import { type Duration, durationWords, parseDuration } from '../core/dates.ts';
import type { ActionKind, Evidence } from '../core/evidence.ts';
import type { GateDecision } from '../core/gates.ts';
import type { Departure } from '../core/principal-actions.ts';

/** What each gate decision warrants, short (a badge, a table cell) and with its reason. */
export const WARRANT_WORDS: Readonly<Record<GateDecision, { readonly short: string; readonly long: string }>> = {
  unlocked: { short: 'warranted', long: 'warranted: conditions met' },
  locked: { short: 'not warranted', long: 'not warranted: conditions unmet' },
  required: { short: 'required', long: 'required: the trigger holds and the conditions to lift it do not' },
  'not-required': { short: 'not required', long: 'not required: no trigger, or the conditions to lift it hold' },
  waived: { short: 'warranted under a waiver', long: 'warranted under a waiver: conditions unmet, waived' },
  unknown: { short: 'undecided', long: 'undecided: conditions not known to be met or unmet' },
  'not-applicable': { short: 'not in force', long: 'not in force on this date' },
};

/** A departure in words: what the principal did against what the gate warrants. */
export const DEPARTURE_WORDS: Readonly<Record<Departure, string>> = {
  'acted-while-locked': 'done although not warranted',
  'withheld-while-unlocked': 'held back although warranted',
  'not-imposed-while-required': 'not imposed although required',
  'imposed-while-not-required': 'kept although no longer required',
};

/** The principal's actions, as a reader says them ("notified", "suspended"). */
export const ACTION_WORDS: Readonly<Record<ActionKind, string>> = {
  proposed: 'proposed',
  notified: 'notified',
  approved: 'approved',
  provided: 'provided',
  resumed: 'resumed',
  imposed: 'imposed',
  suspended: 'suspended',
  withheld: 'withheld',
  cancelled: 'cancelled',
  lifted: 'lifted',
};

/**
 * What labels an interest of the principal, from the case's own name for it: "European
 * Union interest"; "Principal's interest" when the case gives no name. Never a fixed
 * principal.
 */
export function principalInterestLabel(principal: string | null): string {
  return principal === null || principal.trim() === '' ? "Principal's interest" : `${principal} interest`;
}

/** A verdict or decision value a sensitivity flip leads to, in words. */
export function flipTargetWords(kind: 'instrument' | 'justification', to: string): string {
  if (kind === 'instrument' && Object.hasOwn(WARRANT_WORDS, to)) return `becomes ${WARRANT_WORDS[to as GateDecision].short}`;
  return `becomes ${to.replace(/-/g, ' ')}`;
}

const ISO_DURATION = /\bP(?=\d)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?\b/g;

/** Rewrites ISO 8601 durations (P12M, P1Y6M, P36M) in a sentence into words ("12 months"). */
export function durationsInWords(text: string): string {
  return text.replace(ISO_DURATION, (whole: string) => {
    if (whole === 'P') return whole;
    let d: Duration;
    try {
      d = parseDuration(whole);
    } catch {
      return whole;
    }
    return durationWords(d);
  });
}

/**
 * An instrument's title without a trailing parenthetical of several words ("Broader
 * security assistance (e.g. resuming …)" → "Broader security assistance"); a short one,
 * such as an acronym ("(IMET)"), stays.
 */
export function shortTitle(title: string): string {
  const m = /^(.{8,}?)\s*\(([^()]*)\)\s*$/.exec(title);
  if (m === null || countWords(m[2] ?? '') < 4) return title;
  return m[1] ?? title;
}

/** Words in a sentence (citation markers are not part of the text). */
export function countWords(text: string): number {
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

/** A source grade of C or lower (reliability C–F), or no graded source at all. */
export function isLowGrade(e: Evidence): boolean {
  if (e.sources.length === 0) return true;
  return e.sources.every((s) => s.reliability >= 'C');
}

/** Weak ground for a verdict: a low grade (see `isLowGrade`), or an assertion of the case author or the analysis. */
export function isWeakGround(e: Evidence): boolean {
  return e.claim !== undefined || isLowGrade(e);
}

/** How much of what a decision or verdict rests on is weak ground: none of it, part of it, or all of it. */
export type GroundShare = 'none' | 'partly' | 'wholly';

export function groundShare(items: readonly Evidence[]): GroundShare {
  const weak = items.filter(isWeakGround).length;
  return weak === 0 ? 'none' : weak === items.length ? 'wholly' : 'partly';
}

/** The share in words, for a table cell. */
export const GROUND_WORDS: Readonly<Record<GroundShare, string>> = {
  none: 'B-grade or better records',
  partly: 'partly on C-grade (or lower) evidence or claims',
  wholly: 'only on C-grade (or lower) evidence or claims',
};

/** The graded weight of evidence in words: the numbers stay in the detail tables. */
export function strengthWords(weight: number): string {
  if (weight <= 0) return 'no evidence';
  if (weight >= 1) return 'strong evidence';
  if (weight >= 0.5) return 'moderate evidence';
  return 'weak evidence';
}

const NAMED_IDS = /\s?[[(]([^[\]()]+)[\])]/g;

/**
 * Evidence ids the core names in an explanation — "at-large 2019-02-28 [ev-…]", "removed
 * (ev-…)", "dropped (ev-a, ev-b)" — taken out of the text and returned for citing. Only a
 * bracket or parenthesis holding nothing but known ids is taken out; anything else stays.
 */
export function citeNamedEvidence(text: string, known: (id: string) => boolean): { text: string; ids: string[] } {
  const ids: string[] = [];
  const out = text.replace(NAMED_IDS, (whole: string, inner: string) => {
    const parts = inner.split(',').map((p) => p.trim());
    if (parts.length === 0 || !parts.every((p) => p !== '' && known(p))) return whole;
    for (const p of parts) if (!ids.includes(p)) ids.push(p);
    return '';
  });
  return { text: out, ids };
}

/** Replaces whole-word ids in a sentence by what `titleOf` gives (ids it does not know stay). */
export function idsToTitles(text: string, titleOf: ReadonlyMap<string, string>): string {
  if (titleOf.size === 0) return text;
  return text.replace(/[A-Za-z0-9][A-Za-z0-9_.-]*[A-Za-z0-9]|[A-Za-z0-9]/g, (w) => titleOf.get(w) ?? w);
}
