/**
 * Alert detection: what changed between two assessments of one case, as the server
 * reports it when new evidence arrives (the assessment before the append against the one
 * after, at the same as-of date).
 *
 * Contract:
 * - A change is reported for each benchmark whose status kind differs (`not-met` →
 *   `pending`, `met` → `unverified`, …), for each instrument whose gate decision differs
 *   (`locked` → `unlocked`, `locked` → `waived`, …), and for each instrument whose
 *   departure differs (`none` → `acted-while-locked` when the principal is recorded acting
 *   while the conditions are unmet, and back to `none` when that ends).
 * - Flags do NOT count: `contested` and `timed-to-review` qualify a status without changing
 *   what the case decides, and come and go as evidence is reweighed; they stay visible in
 *   the assessment itself. (`unverified` is a status kind, not a flag, so it counts.)
 *   Neither do changes of `since`, of the evidence cited, of reasons, or of justification
 *   verdicts and issue-area convergence (the alert kinds are benchmark status, gate
 *   decision and departure only).
 * - Subjects are matched by id. One present in only one of the assessments (the case
 *   itself was edited between them) is not reported: alerts are about evidence, not about
 *   case edits.
 * - Order is stable: benchmarks in the order of `after` (case order), then instruments' gate
 *   decisions, then their departures, each in the order of `after`. Identical assessments give `[]`.
 * - Pure: no clock, no I/O.
 */
import type { Assessment } from './assess.ts';

export const STATUS_CHANGE_KINDS = ['benchmark-status', 'gate-decision', 'departure'] as const;
export type StatusChangeKind = (typeof STATUS_CHANGE_KINDS)[number];

export interface StatusChange {
  readonly kind: StatusChangeKind;
  /** The benchmark id (`benchmark-status`) or the instrument id (`gate-decision`, `departure`). */
  readonly subject: string;
  /** The status kind, gate decision or departure before (`none` for no departure). */
  readonly from: string;
  /** The status kind, gate decision or departure after (`none` for no departure). */
  readonly to: string;
}

/** The `from`/`to` of a departure change when there is no departure on one side. */
export const NO_DEPARTURE = 'none';

/** What alerts compare of an assessment (an `Assessment` is one; so is a live assessment's outcome). */
export interface AlertSubjects {
  readonly benchmarks: readonly { readonly id: string; readonly status: Assessment['benchmarks'][number]['status'] }[];
  readonly instruments: readonly {
    readonly id: string;
    readonly decision: Assessment['instruments'][number]['decision'];
    readonly departure?: Assessment['instruments'][number]['departure'];
  }[];
}

export function diffAssessments(before: AlertSubjects, after: AlertSubjects): StatusChange[] {
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
  const departureBefore = new Map(before.instruments.map((i) => [i.id, i.departure ?? NO_DEPARTURE]));
  for (const i of after.instruments) {
    const from = departureBefore.get(i.id);
    const to = i.departure ?? NO_DEPARTURE;
    if (from !== undefined && from !== to) changes.push({ kind: 'departure', subject: i.id, from, to });
  }
  return changes;
}
