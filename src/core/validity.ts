/**
 * Validity windows of dated case items, as of a date.
 *
 * An item with a validity applies on day t when it is known by t (`known <= t`) and t lies
 * in [from, until]; absent bounds are open. Outside, it is not applicable, for one of three
 * reasons: not yet in force (t < from), expired (t > until), or in force but not yet known
 * (known > t, e.g. a waiver used in secret and disclosed later). Pure.
 */
import type { Validity } from './case-model.ts';
import { addDays, type IsoDate, maxDate } from './dates.ts';

export const APPLICABILITIES = ['in-force', 'not-yet', 'expired', 'not-known'] as const;
export type Applicability = (typeof APPLICABILITIES)[number];

export function applicabilityAt(v: Validity | undefined, t: IsoDate): Applicability {
  if (v === undefined) return 'in-force';
  if (v.from !== undefined && t < v.from) return 'not-yet';
  if (v.until !== undefined && t > v.until) return 'expired';
  if (v.known !== undefined && t < v.known) return 'not-known';
  return 'in-force';
}

/** The first day the item applies in an assessment: the later of `from` and `known` (undefined: from the start). */
export function effectiveFrom(v: Validity | undefined): IsoDate | undefined {
  if (v === undefined) return undefined;
  if (v.from === undefined) return v.known;
  if (v.known === undefined) return v.from;
  return maxDate(v.known, v.from);
}

/** A phrase for an item that does not apply: "not yet in force (from 2022-09-07)", "expired on 2014-09-30", … */
export function describeInapplicability(v: Validity | undefined, a: Applicability): string {
  switch (a) {
    case 'in-force':
      return 'in force';
    case 'not-yet':
      return `not yet in force (from ${v?.from ?? '—'})`;
    case 'expired':
      return `expired (until ${v?.until ?? '—'})`;
    case 'not-known':
      return `not yet known (in force from ${v?.from ?? 'the start'}, made public only on ${v?.known ?? '—'})`;
  }
}

/** The days on which an item's applicability changes: its effective start and the day after `until`. */
export function validityChangeDays(v: Validity | undefined): IsoDate[] {
  if (v === undefined) return [];
  const out: IsoDate[] = [];
  const start = effectiveFrom(v);
  if (start !== undefined) out.push(start);
  if (v.until !== undefined) out.push(addDays(v.until, 1));
  return out;
}
