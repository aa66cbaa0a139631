/**
 * Group summaries: how a benchmark list (a roadmap, a scorecard) and each of its blocks
 * stand, counted from the members' statuses — "Block 3: 14 of 16 met" — so that reports
 * show a list of 72 benchmarks as a few lines, naming only the members that are not met.
 *
 * Counting: members not applicable on the date are left out of the total (as in the key
 * figures); every other member counts once under its status. Pure.
 */
import { BENCHMARK_STATUSES, type BenchmarkStatusKind } from './benchmark-stream.ts';
import type { Case } from './case-model.ts';

export interface GroupSummary {
  readonly id: string;
  readonly title: string;
  /** The group this one is a block of; null for a top-level group. */
  readonly parent: string | null;
  /** Members applicable on the date. */
  readonly total: number;
  readonly met: number;
  /** Members per status (every status, zero included), applicable or not. */
  readonly counts: Readonly<Record<BenchmarkStatusKind, number>>;
  /** The members not met (applicable ones), with their status, in the group's order. */
  readonly open: readonly { readonly id: string; readonly status: BenchmarkStatusKind }[];
  /** One line: "Document security: 3 of 4 met; partial: b1-4". */
  readonly summary: string;
}

/** Statuses in the order a summary lists them (the met ones are counted, not listed). */
const LISTED: readonly BenchmarkStatusKind[] = ['partial', 'pending', 'unverified', 'not-met', 'reversed', 'unknown'];

function zeroCounts(): Record<BenchmarkStatusKind, number> {
  const out = {} as Record<BenchmarkStatusKind, number>;
  for (const s of BENCHMARK_STATUSES) out[s] = 0;
  return out;
}

/** Up to `n` ids, then "and k more". */
function someIds(ids: readonly string[], n = 6): string {
  return ids.length <= n ? ids.join(', ') : `${ids.slice(0, n).join(', ')} and ${ids.length - n} more`;
}

export function summarizeGroups(
  c: Pick<Case, 'groups'>,
  statusOf: (benchmark: string) => BenchmarkStatusKind | undefined,
): GroupSummary[] {
  return (c.groups ?? []).map((g) => {
    const counts = zeroCounts();
    const open: { id: string; status: BenchmarkStatusKind }[] = [];
    for (const id of g.members) {
      const status = statusOf(id) ?? 'unknown';
      counts[status] += 1;
      if (status !== 'met' && status !== 'not-applicable') open.push({ id, status });
    }
    const total = g.members.length - counts['not-applicable'];
    const met = counts.met;
    const parts = [`${met} of ${total} met`];
    for (const s of LISTED) {
      const ids = open.filter((o) => o.status === s).map((o) => o.id);
      if (ids.length > 0) parts.push(`${s.replace('-', ' ')}: ${someIds(ids)}`);
    }
    if (counts['not-applicable'] > 0) parts.push(`${counts['not-applicable']} not applicable`);
    const n = g.members.length;
    const said = total === 0 ? `not applicable on this date (${n} member${n === 1 ? '' : 's'})` : parts.join('; ');
    return { id: g.id, title: g.title, parent: g.parent ?? null, total, met, counts, open, summary: `${g.title}: ${said}` };
  });
}
