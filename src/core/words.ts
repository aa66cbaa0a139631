/** Small pieces of prose the core's explanations and the reports share. Pure. */

/** A list in prose: "a", "a and b", "a, b and c" (`conj` instead of "and" when given). */
export function listWords(items: readonly string[], conj = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conj} ${items[items.length - 1]}`;
}
