/**
 * The words the brief and the web UI use for what a status rests on, its flags and an
 * item's validity — one place, so the printed brief, the Markdown and the pages say the
 * same thing. Pure.
 *
 * A basis label is short enough for a table cell ("on evidence", "on monitored absence",
 * "on the case's default (no record)", "unknown: x not pinned down"); the core's
 * `basis.summary` is the quotable line shown with it.
 */
import { BENCHMARK_FLAGS, type BenchmarkFlag, type BenchmarkStatusKind } from '../core/benchmark-stream.ts';
import { BASIS_KINDS, type Basis, type BasisKind, type BenchmarkResult } from '../core/benchmarks.ts';
import type { Case } from '../core/case-model.ts';
import { indicatorInWords } from '../core/compile-case.ts';
import { type Duration, durationWords } from '../core/dates.ts';
import type { Applicability } from '../core/validity.ts';

/** Benchmark statuses in words. */
export const STATUS_WORDS: Readonly<Record<BenchmarkStatusKind, string>> = {
  met: 'met',
  partial: 'partial',
  'not-met': 'not met',
  pending: 'pending',
  reversed: 'reversed',
  unverified: 'unverified',
  unknown: 'unknown',
  'not-applicable': 'not applicable',
};

/** What a status rests on, as a short label. */
export function basisLabel(status: BenchmarkStatusKind, basis: Pick<Basis, 'kind' | 'gaps'>): string {
  if (status === 'unverified') return 'on evidence below the bar';
  switch (basis.kind) {
    case 'evidence':
      return 'on evidence';
    case 'monitoring':
      return 'on monitored absence';
    case 'default':
      return "on the case's default (no record)";
    case 'missing': {
      const ids = [...new Set(basis.gaps.map((g) => indicatorInWords(g.indicator)))];
      return ids.length === 0 ? 'unknown: inputs missing' : `unknown: ${ids.join(', ')} not pinned down`;
    }
    case 'not-applicable':
      return 'not in force';
  }
}

/** A lookup of actor names by id (the id itself for an actor the case does not name). */
export function actorNames(c: Pick<Case, 'actors'>): (id: string) => string {
  const names = new Map(c.actors.map((a) => [a.id, a.name]));
  return (id) => names.get(id) ?? id;
}

/**
 * The state subjects with no record, one phrase per indicator: "no record for Masood Azhar
 * (leaders_in_custody taken as off by the case's default)".
 */
export function defaultsText(defaults: Basis['defaults'], nameOf: (id: string) => string = (id) => id): string[] {
  return defaults.map(
    (d) =>
      `no record for ${d.subjects.map(nameOf).join(', ')} (${d.indicator} ${
        d.state === 'unknown' ? 'unknown: the case sets no default' : `taken as ${d.state} by the case's default`
      })`,
  );
}

/** The review a `timed-to-review` flag speaks of when the case has no review calendar to name. */
export const NO_REVIEW_EXAMPLE = 'a scheduled review';

/**
 * What a calendar's reviews are called, from their own titles: the words the titles share
 * from the start ("FATF plenary" from "FATF plenary, June 2018 (…)" and "FATF plenary,
 * October 2019"; "Commission annual report" from "Commission annual report 2021" and
 * "… 2022"), or the first title without a trailing date, clause or parenthetical.
 */
function calendarName(titles: readonly string[]): string {
  const trim = (t: string) =>
    t
      .split(/\s*[,;:(–—]\s*|\s+-\s+/)[0]
      ?.replace(
        /(?:\s+(?:\d{4}(?:[-/]\d{1,2})*|january|february|march|april|may|june|july|august|september|october|november|december))+$/i,
        '',
      )
      .trim() ?? '';
  const words = titles.map((t) => t.trim().split(/\s+/));
  const first = words[0] ?? [];
  let shared = 0;
  while (shared < first.length && words.every((w) => w[shared] === first[shared])) shared++;
  const common = trim(first.slice(0, shared).join(' '));
  return common !== '' ? common : trim(titles[0] ?? '');
}

/**
 * The review a `timed-to-review` flag speaks of, in the case's own words: "a review such as
 * the Commission annual report" — the calendars the benchmarks' review rules name (all the
 * case's calendars when none does), each called by its reviews' titles (`calendarName`);
 * `NO_REVIEW_EXAMPLE` for a case without reviews. Nothing here names any one assessor.
 */
export function reviewExample(c: Pick<Case, 'reviews' | 'benchmarks'>): string {
  const named = [...new Set(c.benchmarks.flatMap((b) => (b.review === undefined ? [] : [b.review.calendar])))];
  const calendars = named.some((k) => c.reviews.some((r) => r.calendar === k))
    ? named
    : [...new Set(c.reviews.map((r) => r.calendar))];
  const names = [
    ...new Set(
      calendars.map((k) => calendarName(c.reviews.filter((r) => r.calendar === k).map((r) => r.title))).filter((n) => n !== ''),
    ),
  ].map((n) => (/^the\s/i.test(n) ? n.replace(/^The\b/, 'the') : `the ${n}`));
  if (names.length === 0) return NO_REVIEW_EXAMPLE;
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
  return `a review such as ${list}`;
}

/** What each flag means, for notes under a table; `review` is the case's `reviewExample`. */
export function flagMeanings(review: string = NO_REVIEW_EXAMPLE): Readonly<Record<BenchmarkFlag, string>> {
  return {
    'timed-to-review': `the status rests on an action taken just before ${review}`,
    contested: 'evidence below the verification bar says otherwise; the status stands on the evidence that meets it',
    stale:
      "the newest evidence the status counts is older than the benchmark's limit, and no monitoring vouches for the time since",
  };
}

/** What each flag means where no case is at hand (the review is `NO_REVIEW_EXAMPLE`). */
export const FLAG_MEANINGS: Readonly<Record<BenchmarkFlag, string>> = flagMeanings();

/** Flag names in words. */
export const FLAG_NAMES: Readonly<Record<BenchmarkFlag, string>> = {
  'timed-to-review': 'timed to review',
  contested: 'contested',
  stale: 'stale',
};

/** A flag in words for a table cell: "timed to review", "contested", "stale (newest evidence 2020-11-19, older than 12 months)". */
export function flagWords(flag: BenchmarkFlag, newest: string | null, staleAfter: Duration): string {
  if (flag !== 'stale') return FLAG_NAMES[flag];
  return newest === null
    ? 'stale (no counted evidence)'
    : `stale (newest evidence ${newest}, older than ${durationWords(staleAfter)})`;
}

/** The flags of a benchmark result in words, in the result's order. */
export function flagsInWords(
  r: Pick<BenchmarkResult, 'flags' | 'newest'>,
  staleAfter: Duration,
): { readonly flag: BenchmarkFlag; readonly text: string }[] {
  return r.flags.map((flag) => ({ flag, text: flagWords(flag, r.newest, staleAfter) }));
}

/** Why an item does not apply, in a word or two: "not yet in force", "expired", "not yet known". */
export const APPLICABILITY_LABEL: Readonly<Record<Applicability, string>> = {
  'in-force': 'in force',
  'not-yet': 'not yet in force',
  expired: 'expired',
  'not-known': 'not yet known',
};

/** A value of a status, decision, verdict or convergence in words ("not-met" → "not met"). */
export function stateWords(value: string | null): string {
  return value === null ? '—' : value.replace(/-/g, ' ');
}

/** What each basis means, for a note under a board. */
export const BASIS_MEANINGS: Readonly<Record<BasisKind, string>> = {
  evidence: '“on evidence”: recorded evidence decides the status',
  monitoring: '“on monitored absence”: no record in time a named source was watching',
  default:
    "“on the case's default (no record)”: a subject with no record takes the state the case sets for it; no evidence says so",
  missing: '“unknown”: an input is not pinned down (unmonitored time, no data loaded), and the status is not assumed either way',
  'not-applicable': '“not in force”: outside its validity window',
};

/** Sentences explaining the bases the rows use, in BASIS_KINDS order ("Rests on: …."). */
export function basisLegend(
  rows: readonly { readonly status: BenchmarkStatusKind; readonly basis: { readonly kind: BasisKind } }[],
): string[] {
  const used = BASIS_KINDS.filter((k) => rows.some((r) => r.basis.kind === k && r.status !== 'unverified'));
  const unverified = rows.some((r) => r.status === 'unverified');
  const parts = used.map((k) => BASIS_MEANINGS[k]);
  if (unverified)
    parts.push("“on evidence below the bar”: only evidence below the benchmark's grade or corroboration bar supports it");
  return parts.length === 0 ? [] : [`Rests on: ${parts.join('; ')}.`];
}

/** Sentences explaining the flags the rows carry ("Flags: …."); `review` is the case's `reviewExample`. */
export function flagLegend(
  rows: readonly { readonly flags: readonly { readonly flag: BenchmarkFlag }[] }[],
  review: string = NO_REVIEW_EXAMPLE,
): string[] {
  const used = BENCHMARK_FLAGS.filter((f) => rows.some((r) => r.flags.some((x) => x.flag === f)));
  const meaning = flagMeanings(review);
  return used.length === 0 ? [] : [`Flags: ${used.map((f) => `“${FLAG_NAMES[f]}”: ${meaning[f]}`).join('; ')}.`];
}

/** The kinds of case item that can be out of force, in words. */
export const NOT_IN_FORCE_KIND_WORDS: Readonly<Record<'instrument' | 'benchmark' | 'justification' | 'issue-area', string>> = {
  instrument: 'instrument',
  benchmark: 'benchmark',
  justification: 'justification',
  'issue-area': 'issue area',
};

/** The note on a citation whose entry has sources dated after the as-of date ("" when none). */
export function laterSourcesText(n: number): string {
  if (n <= 0) return '';
  return ` ${n === 1 ? 'One more source is' : `${n} more sources are`} dated after the as-of date, so not counted.`;
}
