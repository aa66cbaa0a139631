/**
 * An event filter as people type it — comma-separated lists and dates, from a command's
 * options or a request's query — checked once and turned into the port's `EventFilter`.
 * The CLI (`proviso events`) and the HTTP API (`GET /api/events`) both use it, so they
 * take and refuse the same things.
 *
 * Contract: every bad field gives one problem whose `field` names it (`actor1`, `root`,
 * `from`, …); all problems are reported, not only the first; dates are real days and
 * `from` is not after `to`.
 */
import { dateProblem } from '../core/dates.ts';
import type { Problem } from '../core/problem.ts';
import type { EventFilter } from './event-store.ts';

export interface EventFilterInput {
  readonly actor1?: string | undefined;
  readonly actor2?: string | undefined;
  readonly either?: boolean | undefined;
  /** CAMEO root codes, comma-separated: `14,18,19`. */
  readonly root?: string | undefined;
  /** QuadClasses, comma-separated: `3,4`. */
  readonly quad?: string | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

/** What each list field takes, item by item. */
export const EVENT_FILTER_ITEMS = {
  actor1: { re: /^[A-Za-z0-9]{3,}$/, example: 'USA,USAGOV' },
  actor2: { re: /^[A-Za-z0-9]{3,}$/, example: 'PAK,PAKMIL' },
  root: { re: /^\d{1,2}$/, example: '14,18,19' },
  quad: { re: /^[1-4]$/, example: '3,4' },
} as const;

export type EventFilterResult =
  | { readonly ok: true; readonly filter: EventFilter }
  | { readonly ok: false; readonly problems: readonly Problem[] };

export function parseEventFilterInput(input: EventFilterInput): EventFilterResult {
  const problems: Problem[] = [];
  const list = (field: keyof typeof EVENT_FILTER_ITEMS): string[] | undefined => {
    const v = input[field];
    if (v === undefined) return undefined;
    const items = v
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x !== '');
    const { re, example } = EVENT_FILTER_ITEMS[field];
    const bad = items.find((x) => !re.test(x));
    if (bad !== undefined || items.length === 0) {
      problems.push({
        code: 'invalid',
        field,
        message: `"${bad ?? v}" is not valid: give a comma-separated list such as ${example}`,
      });
      return undefined;
    }
    return items;
  };
  const date = (field: 'from' | 'to'): string | undefined => {
    const v = input[field];
    if (v === undefined) return undefined;
    const problem = dateProblem(v);
    if (problem === undefined) return v;
    problems.push({ code: 'bad-date', field, message: problem });
    return undefined;
  };
  const actor1 = list('actor1');
  const actor2 = list('actor2');
  const roots = list('root');
  const quads = list('quad');
  const from = date('from');
  const to = date('to');
  if (from !== undefined && to !== undefined && from > to) {
    problems.push({ code: 'bad-date', field: 'from', message: `${from} is after to (${to})` });
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    filter: {
      ...(actor1 ? { actor1 } : {}),
      ...(actor2 ? { actor2 } : {}),
      ...(input.either === true ? { either: true } : {}),
      ...(roots ? { rootCodes: roots.map((r) => r.padStart(2, '0')) } : {}),
      ...(quads ? { quadClasses: quads.map(Number) } : {}),
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
    },
  };
}
