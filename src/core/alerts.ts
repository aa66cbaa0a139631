/**
 * Alert detection: what changed between two assessments of one case, as the server
 * reports it when new evidence arrives (the assessment before the append against the one
 * after, at the same as-of date).
 *
 * Contract:
 * - A change is reported for each benchmark whose status kind differs (`not-met` →
 *   `pending`, `met` → `unverified`, …) and for each instrument whose gate decision differs
 *   (`locked` → `unlocked`, `locked` → `waived`, …).
 * - Flags do NOT count: `contested` and `timed-to-review` qualify a status without changing
 *   what the case decides, and come and go as evidence is reweighed; they stay visible in
 *   the assessment itself. (`unverified` is a status kind, not a flag, so it counts.)
 *   Neither do changes of `since`, of the evidence cited, of reasons, or of justification
 *   verdicts and issue-area convergence (the alert kinds are benchmark status and gate
 *   decision only).
 * - Subjects are matched by id. One present in only one of the assessments (the case
 *   itself was edited between them) is not reported: alerts are about evidence, not about
 *   case edits.
 * - Order is stable: benchmarks in the order of `after` (case order), then instruments in
 *   the order of `after`. Identical assessments give `[]`.
 * - Pure: no clock, no I/O.
 */
import type { Assessment } from './assess.ts';

export const STATUS_CHANGE_KINDS = ['benchmark-status', 'gate-decision'] as const;
export type StatusChangeKind = (typeof STATUS_CHANGE_KINDS)[number];

export interface StatusChange {
  readonly kind: StatusChangeKind;
  /** The benchmark id (`benchmark-status`) or the instrument id (`gate-decision`). */
  readonly subject: string;
  /** The status kind or gate decision before. */
  readonly from: string;
  /** The status kind or gate decision after. */
  readonly to: string;
}

export function diffAssessments(before: Assessment, after: Assessment): StatusChange[] {
  const changes: StatusChange[] = [];
  const statusBefore = new Map(before.benchmarks.map((b) => [b.id, b.status]));
  for (const b of after.benchmarks) {
    const from = statusBefore.get(b.id);
    if (from !== undefined && from !== b.status) changes.push({ kind: 'benchmark-status', subject: b.id, from, to: b.status });
  }
  const decisionBefore = new Map(before.instruments.map((i) => [i.id, i.decision]));
  for (const i of after.instruments) {
    const from = decisionBefore.get(i.id);
    if (from !== undefined && from !== i.decision) changes.push({ kind: 'gate-decision', subject: i.id, from, to: i.decision });
  }
  return changes;
}
