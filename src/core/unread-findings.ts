/**
 * Findings the ledger holds that no benchmark reads: an entry with a finding about a
 * benchmark decided by one assessor's findings, from another assessor. It may be
 * intended (a second assessor recorded for reference) or a slip (the Commission written
 * two ways): either way the analyst should know that it does not count.
 *
 * Pure: no I/O.
 */
import type { Case } from './case-model.ts';
import type { Evidence } from './evidence.ts';

export interface UnreadFinding {
  /** The evidence entry. */
  readonly id: string;
  readonly benchmark: string;
  /** The assessor the entry names. */
  readonly assessor: string;
  /** The assessor whose findings the benchmark reads. */
  readonly reads: string;
}

/** The standing entries whose finding the benchmark it names does not read, in id order. */
export function unreadFindings(c: Pick<Case, 'benchmarks'>, entries: readonly Evidence[]): UnreadFinding[] {
  const reads = new Map<string, string>();
  for (const b of c.benchmarks) if (b.finding?.assessor !== undefined) reads.set(b.id, b.finding.assessor);
  const superseded = new Set(entries.flatMap((e) => (e.supersedes === undefined ? [] : [e.supersedes])));
  const out: UnreadFinding[] = [];
  for (const e of entries) {
    const f = e.finding;
    if (f === undefined || e.retracted === true || superseded.has(e.id)) continue;
    const wanted = reads.get(f.benchmark);
    if (wanted !== undefined && wanted !== f.assessor)
      out.push({ id: e.id, benchmark: f.benchmark, assessor: f.assessor, reads: wanted });
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
