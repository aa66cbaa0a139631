/**
 * The orders the engine sorts and searches by, written once.
 *
 * Ids and dates compare by UTF-16 code units (JavaScript's `<`), never by locale, so that
 * every machine sorts a ledger the same way and a digest never depends on where it ran.
 */

/** Code-unit order of two strings (ISO dates sort by time under it). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Code-unit order of two things by id. */
export function byId(a: { readonly id: string }, b: { readonly id: string }): number {
  return compareText(a.id, b.id);
}

/**
 * The partition point of [lo, hi): the first index at which `before(i)` is false, where
 * `before` is true on a prefix of the range and false after it (a binary search, O(log n)
 * calls). Returns `hi` when it is true throughout.
 */
export function partitionPoint(hi: number, before: (i: number) => boolean, lo = 0): number {
  let at = lo;
  let end = hi;
  while (at < end) {
    const mid = (at + end) >>> 1;
    if (before(mid)) at = mid + 1;
    else end = mid;
  }
  return at;
}
