/**
 * Instruments whose validity window has closed: what the principal did with them by the
 * close, beside what their gates warranted on the day they closed.
 *
 * An instrument whose window closed on day C (its `until`) before the as-of date is not
 * applicable, but the principal's conduct while it was in force still counts:
 * - its actual use (`actual`) is its latest standing action, as known as of the date, that
 *   took effect by the close (occurredTo <= C; ordered as `latestActions` orders them):
 *   acts recorded after the close are on an instrument no longer in force and change
 *   neither its actual use nor any departure. This holds whether or not a departure is
 *   claimed, so `actual` has one meaning for every closed instrument;
 * - its departure is the departure at the close: that action against the gate's decision
 *   on C, decided (`decideAll`) over the benchmark statuses on C as known as of the date
 *   (the streams answer past days) and the waivers in force and public on C.
 * So a departure that became public only after the close (a hold reported a fortnight
 * later) is shown from the day it became known, and one that stood while the window was
 * open does not vanish with the window. The decision reported stays `not-applicable`.
 *
 * The statuses on a close day are asked for once per distinct close day, and only for the
 * benchmarks the gates of closed instruments with a recorded action read (with the
 * instruments those gates read); none when no closed instrument has one. Pure.
 */
import type { BenchmarkStatusKind } from './benchmark-stream.ts';
import type { Case, Instrument } from './case-model.ts';
import type { IsoDate } from './dates.ts';
import type { Evidence } from './evidence.ts';
import { decideAll, type GateDecision, ruleBenchmarks, withDependencies } from './gates.ts';
import { latestActions } from './principal-actions.ts';

/** The day an instrument's window closed when that was before `asOf` (its `until`); undefined while open or unbounded. */
export function closeOf(inst: Pick<Instrument, 'validity'>, asOf: IsoDate): IsoDate | undefined {
  const until = inst.validity?.until;
  return until !== undefined && until < asOf ? until : undefined;
}

/**
 * Per instrument: the principal's action that stands as of `asOf` among the standing
 * entries — the latest one, or, for an instrument whose window closed before `asOf`, the
 * latest that took effect by the close.
 */
export function standingActions(
  c: Pick<Case, 'instruments'>,
  standing: readonly Evidence[],
  asOf: IsoDate,
): Map<string, Evidence> {
  const closes = new Map<string, IsoDate>();
  for (const inst of c.instruments) {
    const day = closeOf(inst, asOf);
    if (day !== undefined) closes.set(inst.id, day);
  }
  if (closes.size === 0) return latestActions(standing);
  return latestActions(standing, (instrument) => closes.get(instrument));
}

/** A closed instrument's gate on the day its window closed. */
export interface AtClose {
  /** The close day (the instrument's `until`). */
  readonly day: IsoDate;
  /** The gate's decision on that day. */
  readonly decision: GateDecision;
  /** The statuses on that day of the benchmarks the decision reads. */
  readonly statuses: ReadonlyMap<string, BenchmarkStatusKind>;
  /** Every decision on that day (those of the instruments its gate reads are exact). */
  readonly decisions: ReadonlyMap<string, GateDecision>;
}

/**
 * The benchmark statuses on a past day, for the benchmarks given (at most the day the
 * evaluation was advanced to), as the evidence known as of the assessment's date tells them.
 */
export type StatusesOn = (day: IsoDate, benchmarks: readonly string[]) => ReadonlyMap<string, BenchmarkStatusKind>;

/**
 * Per closed instrument with an action by its close (`actions`, as `standingActions`
 * gives them): its gate on the close day. Statuses are asked for once per close day.
 */
export function decisionsAtClose(
  c: Pick<Case, 'instruments' | 'gates' | 'waivers'>,
  asOf: IsoDate,
  actions: ReadonlyMap<string, Evidence>,
  statusesOn: StatusesOn,
): Map<string, AtClose> {
  const out = new Map<string, AtClose>();
  if (actions.size === 0) return out;
  const byDay = new Map<IsoDate, string[]>();
  for (const inst of c.instruments) {
    const day = closeOf(inst, asOf);
    if (day === undefined || !actions.has(inst.id)) continue;
    const list = byDay.get(day);
    if (list === undefined) byDay.set(day, [inst.id]);
    else list.push(inst.id);
  }
  for (const [day, ids] of byDay) {
    const benchmarks = new Set<string>();
    for (const id of ids) {
      for (const dep of withDependencies(c, id)) {
        const g = c.gates.find((x) => x.instrument === dep);
        if (g === undefined) continue;
        for (const b of ruleBenchmarks(g.rule)) benchmarks.add(b);
        if (g.lift !== undefined) for (const b of ruleBenchmarks(g.lift)) benchmarks.add(b);
      }
    }
    const statuses = statusesOn(day, [...benchmarks]);
    const decisions = decideAll(c, statuses, day);
    for (const id of ids) out.set(id, { day, decision: decisions.get(id) ?? 'unknown', statuses, decisions });
  }
  return out;
}
