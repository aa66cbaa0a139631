/**
 * Searching the ledger: the evidence browser's filters and paging, shared by the web UI and
 * the HTTP API. Pure: no I/O, no clock.
 *
 * Invariants:
 * - Filters are conjunctive: an entry is listed only if it passes every filter given; an
 *   absent filter passes everything.
 * - `from`/`to` select entries whose occurrence span [occurred, occurredTo] overlaps the
 *   closed range [from, to] (either end may be open).
 * - `actor` is an exact actor id among the entry's `actors` (no membership expansion: the
 *   browser answers "entries naming this actor").
 * - `reliability` (a minimum) keeps entries with at least one source graded that well or better
 *   (A best); an entry without sources never passes it.
 * - `q` is split on white space; every word must occur, case-insensitively, in the entry's
 *   id, kind, description, actors, tags, or a source's publisher or title.
 * - Order is stable and total: newest `occurred` first, then id ascending; so paging
 *   through the result with any page size yields the unpaged list, each entry once.
 * - Facets list the kinds and actors of all the entries searched (not only the matches),
 *   sorted, so a filter form can offer every value whatever is currently selected.
 */
import type { Reliability } from './case-model.ts';
import type { IsoDate } from './dates.ts';
import { type Evidence, reliabilityAtLeast } from './evidence.ts';
import { compareText } from './order.ts';

/**
 * What to search for. (Not to be confused with `EvidenceFilter` in `case-model.ts`, an
 * indicator's selection of evidence: import this one from here.)
 */
export interface EvidenceFilter {
  /** Entries whose occurrence ends on or after this day. */
  readonly from?: IsoDate;
  /** Entries whose occurrence begins on or before this day. */
  readonly to?: IsoDate;
  readonly actor?: string;
  readonly kind?: string;
  /** Minimum: the best source's reliability is this grade or better (A best … F). */
  readonly reliability?: Reliability;
  /** Free text; every word must appear. */
  readonly q?: string;
}

export interface EvidencePageRequest {
  /** Entries to skip (negative counts as 0). */
  readonly offset: number;
  /** Entries to return at most (0 or less returns none). */
  readonly limit: number;
}

export interface EvidenceFacets {
  readonly kinds: readonly string[];
  readonly actors: readonly string[];
}

export interface EvidenceQueryResult {
  /** Matching entries in all (before paging). */
  readonly total: number;
  /** The requested page of matches, in result order. */
  readonly items: readonly Evidence[];
  readonly facets: EvidenceFacets;
}

/** Newest occurrence first, then id ascending. */
export function compareEvidenceNewestFirst(a: Evidence, b: Evidence): number {
  return compareText(b.occurred, a.occurred) || compareText(a.id, b.id);
}

/** The words of a free-text query, lower-cased; empty for a blank query. */
export function queryWords(q: string | undefined): string[] {
  if (q === undefined) return [];
  return q
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '');
}

function haystackOf(e: Evidence): string {
  const parts = [e.id, e.kind, e.description, ...e.actors, ...e.tags];
  for (const s of e.sources) parts.push(s.publisher, s.title);
  // A separator no query word can contain keeps words from matching across fields.
  return parts.join('\n').toLowerCase();
}

/** Whether one entry passes every part of the filter. */
export function matchesEvidenceFilter(
  e: Evidence,
  filter: EvidenceFilter,
  words: readonly string[] = queryWords(filter.q),
): boolean {
  if (filter.from !== undefined && e.occurredTo < filter.from) return false;
  if (filter.to !== undefined && e.occurred > filter.to) return false;
  if (filter.actor !== undefined && !e.actors.includes(filter.actor)) return false;
  if (filter.kind !== undefined && e.kind !== filter.kind) return false;
  const min = filter.reliability;
  if (min !== undefined && !e.sources.some((s) => reliabilityAtLeast(s.reliability, min))) return false;
  if (words.length > 0) {
    const hay = haystackOf(e);
    if (!words.every((w) => hay.includes(w))) return false;
  }
  return true;
}

export function evidenceFacets(entries: readonly Evidence[]): EvidenceFacets {
  const kinds = new Set<string>();
  const actors = new Set<string>();
  for (const e of entries) {
    kinds.add(e.kind);
    for (const a of e.actors) actors.add(a);
  }
  return { kinds: [...kinds].sort(compareText), actors: [...actors].sort(compareText) };
}

function wholeOrZero(n: number): number {
  return Number.isNaN(n) ? 0 : Math.max(0, Math.floor(n));
}

export function queryEvidence(
  entries: readonly Evidence[],
  filter: EvidenceFilter,
  page: EvidencePageRequest,
): EvidenceQueryResult {
  const words = queryWords(filter.q);
  const matches = entries.filter((e) => matchesEvidenceFilter(e, filter, words));
  matches.sort(compareEvidenceNewestFirst);
  const offset = wholeOrZero(page.offset);
  const limit = wholeOrZero(page.limit);
  return {
    total: matches.length,
    items: limit === 0 ? [] : matches.slice(offset, offset + limit),
    facets: evidenceFacets(entries),
  };
}
