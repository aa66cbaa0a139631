/**
 * What the principal actually did with each instrument, beside what the benchmarks
 * warranted.
 *
 * Evidence entries with an `action` (notified, provided, suspended, …) record the
 * principal's acts on an instrument; like all evidence they count as of the day they
 * became known. An instrument's actual use as of a date is its latest standing action
 * (by the end of its occurrence, then id): `engaged` when that action put the instrument
 * in use, `false` when it took it out of use, `null` for a proposal. Computed, never
 * written.
 *
 * A departure is the principal acting against what the gate warrants:
 * - `acted-while-locked`: the instrument is in use while its gate is locked (conditions not
 *   met) — the F-16 package notified while the benchmarks it waits for are unmet;
 * - `withheld-while-unlocked`: the instrument is halted while its gate is unlocked;
 * - for a sanction, `not-imposed-while-required`: it is recorded out of use (lifted,
 *   suspended, …) while required; `imposed-while-not-required`: it is in use while its
 *   trigger does not hold or its conditions to lift it do.
 * No departure is claimed while the decision is unknown, waived or not applicable, or when
 * nothing is recorded of what the principal did. An instrument whose validity window has
 * closed is judged at its close: its latest action by the close against its gate's decision
 * on that day (see closed-windows.ts).
 */

import type { BasisKind } from './benchmarks.ts';
import type { IsoDate } from './dates.ts';
import { type ActionKind, ENGAGING_ACTIONS, type Evidence, HALTING_ACTIONS } from './evidence.ts';
import type { DepartureBasis, GateDecision } from './gates.ts';

export const DEPARTURES = [
  'acted-while-locked',
  'withheld-while-unlocked',
  'not-imposed-while-required',
  'imposed-while-not-required',
] as const;
export type Departure = (typeof DEPARTURES)[number];

export interface ActualUse {
  /** The latest action on the instrument. */
  readonly state: ActionKind;
  /** In use (true), out of use (false), or only proposed (null). */
  readonly engaged: boolean | null;
  /** The day that action took effect (the end of its occurrence). */
  readonly since: IsoDate;
  /** The action entry the state rests on. */
  readonly evidence: readonly string[];
}

function later(a: Evidence, b: Evidence): boolean {
  if (a.occurredTo !== b.occurredTo) return a.occurredTo > b.occurredTo;
  return a.id > b.id;
}

/**
 * Per instrument id: its latest standing action among the given entries (standing, known
 * as of the date); with `cutoff`, for an instrument it gives a day for, only actions that
 * took effect by that day count (see closed-windows.ts).
 */
export function latestActions(
  standing: readonly Evidence[],
  cutoff?: (instrument: string) => IsoDate | undefined,
): Map<string, Evidence> {
  const out = new Map<string, Evidence>();
  for (const e of standing) {
    if (e.action === undefined) continue;
    if (cutoff !== undefined) {
      const until = cutoff(e.action.instrument);
      if (until !== undefined && e.occurredTo > until) continue;
    }
    const current = out.get(e.action.instrument);
    if (current === undefined || later(e, current)) out.set(e.action.instrument, e);
  }
  return out;
}

export function actualUseOf(latest: Evidence | undefined): ActualUse | null {
  if (latest?.action === undefined) return null;
  const state = latest.action.kind;
  return {
    state,
    engaged: ENGAGING_ACTIONS.has(state) ? true : HALTING_ACTIONS.has(state) ? false : null,
    since: latest.occurredTo,
    evidence: [latest.id],
  };
}

export function departureOf(decision: GateDecision, actual: ActualUse | null): Departure | null {
  if (actual === null) return null;
  if (decision === 'locked' && actual.engaged === true) return 'acted-while-locked';
  if (decision === 'unlocked' && actual.engaged === false) return 'withheld-while-unlocked';
  if (decision === 'required' && actual.engaged === false) return 'not-imposed-while-required';
  if (decision === 'not-required' && actual.engaged === true) return 'imposed-while-not-required';
  return null;
}

/** A sentence for a departure, naming the decision and what was done. */
export function describeDeparture(d: Departure, actual: ActualUse): string {
  const what = `${actual.state} on ${actual.since} (${actual.evidence.join(', ')})`;
  switch (d) {
    case 'acted-while-locked':
      return `the principal acted while the conditions were not met: ${what}`;
    case 'withheld-while-unlocked':
      return `the principal held the instrument back although its conditions were met: ${what}`;
    case 'not-imposed-while-required':
      return `the principal left the sanction out of use although it is required: ${what}`;
    case 'imposed-while-not-required':
      return `the principal kept the sanction although it is no longer required: ${what}`;
  }
}

/** A sentence for a departure at the close of an instrument's validity window. */
export function describeClosedDeparture(d: Departure, actual: ActualUse, closed: IsoDate): string {
  return `closed on ${closed} with a departure: ${describeDeparture(d, actual)}`;
}

/**
 * What a departure's warranted side rests on, from the bases of the benchmarks that decide
 * the gate (for a lock, the missing ones known not met; for an unlock, the rule's met
 * ones): the strongest among them — evidence, then monitored absence, then the case's
 * default. Null when there is no departure or no such benchmark.
 */
export function departureBasisOf(
  departure: Departure | null,
  deciding: readonly string[],
  basisOf: (benchmark: string) => BasisKind | undefined,
): DepartureBasis | null {
  if (departure === null) return null;
  const kinds = new Set(deciding.map(basisOf));
  if (kinds.has('evidence')) return 'evidence';
  if (kinds.has('monitoring')) return 'monitoring';
  return kinds.has('default') ? 'default' : null;
}
