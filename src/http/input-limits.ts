/**
 * The limits on what a client may send, in one table: lengths of every string, sizes of
 * lists, the range of dates, the bounds of integers in query parameters and the number of
 * points of a history. docs/server.md lists them; `/openapi.json` shows them (`maxLength`,
 * `maxItems`, `maximum`, …) through the route schemas built from this table and the
 * evidence item overlay (openapi-document.ts).
 *
 * Contracts:
 * - Lengths count characters as JSON Schema's `maxLength` does (Unicode code points): a
 *   character outside the Basic Multilingual Plane (an emoji) counts once, as a client
 *   validating against `/openapi.json` counts it.
 * - A value over a limit is a 400 `invalid-request` whose problem has code `too-big` (or
 *   `too-small` for a date before the range), the field's `path`, a message naming the
 *   limit and the value's size, and `details.limit`.
 * - These are limits of the server's edge, not rules of the case format: a case file may
 *   hold an entry the API would refuse (an event of 1850), and the server still serves it.
 */
import { addDuration, type IsoDate, type Step } from '../core/dates.ts';
import { joinPath, type RequestProblem } from './problems.ts';

/** Longest strings, in characters; most numerous lists, in items; bounds of query integers. */
export const LIMITS = {
  /** Evidence ids: `id`, `supersedes`, the `{id}` of an evidence path. */
  evidenceId: 200,
  /** Case, actor and instrument ids (`actors[]`, `action.instrument`, `flow.payer`/`payee`, `{caseId}`), token and webhook ids. */
  id: 100,
  /** An evidence `kind`, a tag, a quantity's `unit`. */
  word: 100,
  /** An evidence `description` or `note`. */
  text: 10_000,
  /** A source's `title`. */
  title: 1_000,
  /** A source's `publisher` or `origin`. */
  name: 200,
  /** A source URL or a webhook URL. */
  url: 2_048,
  /** Actors, tags and sources of one evidence item. */
  listItems: 50,
  /** A user name (letters, digits, `. _ @ -`). */
  userName: 64,
  /** A password (scrypt hashes it; more adds nothing but work). */
  password: 200,
  /** An API token's label. */
  tokenName: 100,
  /** The full-text search `q`. */
  search: 500,
  /** A filter of a listing (`actor`, `kind`, `caseId`, `action`). */
  filter: 200,
  /** A comma-separated event filter (`actor1`, `actor2`, `root`, `quad`). */
  eventFilter: 1_000,
  /** `offset` of the evidence listing. */
  offset: 1_000_000,
  /** `afterSeq` of the alert and audit listings: any safe integer. */
  seq: Number.MAX_SAFE_INTEGER,
  /** Points of one history (`from`/`to`/`step`): 50 years by month. */
  historyPoints: 600,
} as const;

/** The earliest and latest date any parameter or body date may name. */
export const DATE_RANGE = { min: '1900-01-01', max: '2100-12-31' } as const;
export const YEAR_RANGE = { min: 1900, max: 2100 } as const;

/** The length of `s` in characters (code points), as JSON Schema's `maxLength` counts it. */
export function characterCount(s: string): number {
  let surrogatePairs = 0;
  for (let i = 0; i < s.length - 1; i += 1) {
    const unit = s.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        surrogatePairs += 1;
        i += 1;
      }
    }
  }
  return s.length - surrogatePairs;
}

/** A problem with the size of a value: `too-big` at `path`, the limit in `details`. */
export function tooBig(path: string, message: string, limit: number | string, size?: number): RequestProblem {
  return {
    code: 'too-big',
    path,
    message,
    details: size === undefined ? { limit } : { limit, size },
  };
}

/** Why a full date (already known to be one) is outside `DATE_RANGE`, or `undefined`. */
export function dateRangeProblem(date: IsoDate, path: string): RequestProblem | undefined {
  if (date < DATE_RANGE.min)
    return {
      code: 'too-small',
      path,
      message: `${date} is before ${DATE_RANGE.min}, the earliest date this server accepts`,
      details: { limit: DATE_RANGE.min },
    };
  if (date > DATE_RANGE.max)
    return tooBig(path, `${date} is after ${DATE_RANGE.max}, the latest date this server accepts`, DATE_RANGE.max);
  return undefined;
}

const STEP_MONTHS: Readonly<Record<Step, number>> = { month: 1, quarter: 3, year: 12 };

/**
 * How many points `stepDates(from, to, step)` (core/dates.ts) gives — `from`, every step
 * after it up to `to`, and `to` itself — computed without listing them. `from <= to`.
 */
export function historyPointCount(from: IsoDate, to: IsoDate, step: Step): number {
  const months = STEP_MONTHS[step];
  const span = (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + (Number(to.slice(5, 7)) - Number(from.slice(5, 7)));
  const at = (k: number) => addDuration(from, { years: 0, months: k * months, days: 0, text: '' });
  let k = Math.floor(span / months);
  if (k > 0 && at(k) > to) k -= 1;
  return k + 1 + (at(k) === to ? 0 : 1);
}

/** Why a history of that many points is refused (at `path`), or `undefined`. */
export function historyProblem(from: IsoDate, to: IsoDate, step: Step, path: string): RequestProblem | undefined {
  const points = historyPointCount(from, to, step);
  if (points <= LIMITS.historyPoints) return undefined;
  return {
    code: 'too-big',
    path,
    message: `from ${from} to ${to} by ${step} is ${points} points; at most ${LIMITS.historyPoints}: narrow the range or take a longer step`,
    details: { limit: LIMITS.historyPoints, points },
  };
}

// ——— Evidence items ———

const PARTIAL_DATE_RE = /^(\d{4})(?:-\d{2}(?:-\d{2})?)?$/;

/** A text field of an evidence item and its longest length. */
interface TextRule {
  readonly field: string;
  readonly max: number;
}

/** The text fields of an evidence item and of its sources, with their limits (also shown in /openapi.json). */
export const EVIDENCE_TEXT_RULES: readonly TextRule[] = [
  { field: 'id', max: LIMITS.evidenceId },
  { field: 'supersedes', max: LIMITS.evidenceId },
  { field: 'kind', max: LIMITS.word },
  { field: 'description', max: LIMITS.text },
  { field: 'note', max: LIMITS.text },
];
export const SOURCE_TEXT_RULES: readonly TextRule[] = [
  { field: 'publisher', max: LIMITS.name },
  { field: 'title', max: LIMITS.title },
  { field: 'url', max: LIMITS.url },
  { field: 'origin', max: LIMITS.name },
];
/** Lists of an evidence item: their most items, and the longest length of each (string) item. */
export const EVIDENCE_LIST_RULES: readonly (TextRule & { readonly itemMax?: number })[] = [
  { field: 'actors', max: LIMITS.listItems, itemMax: LIMITS.id },
  { field: 'tags', max: LIMITS.listItems, itemMax: LIMITS.word },
  { field: 'sources', max: LIMITS.listItems },
];

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function textProblem(value: unknown, max: number, path: string): RequestProblem | undefined {
  if (typeof value !== 'string' || value.length <= max) return undefined; // never more characters than code units
  const length = characterCount(value);
  if (length <= max) return undefined;
  return tooBig(path, `at most ${max} characters (got ${length})`, max, length);
}

/** A partial date (YYYY, YYYY-MM, YYYY-MM-DD, or a year as a number) outside the year range. */
function partialDateRangeProblem(value: unknown, path: string): RequestProblem | undefined {
  const year =
    typeof value === 'number' && Number.isInteger(value)
      ? value
      : typeof value === 'string'
        ? Number(PARTIAL_DATE_RE.exec(value)?.[1] ?? Number.NaN)
        : Number.NaN;
  if (Number.isNaN(year)) return undefined;
  if (year < YEAR_RANGE.min)
    return {
      code: 'too-small',
      path,
      message: `${String(value)} is before ${DATE_RANGE.min}, the earliest date this server accepts`,
      details: { limit: DATE_RANGE.min },
    };
  if (year > YEAR_RANGE.max)
    return tooBig(path, `${String(value)} is after ${DATE_RANGE.max}, the latest date this server accepts`, DATE_RANGE.max);
  return undefined;
}

/**
 * The limits an evidence item as sent (before the case-file validation) breaks: long
 * texts, long lists, dates outside the range. Paths are under `base` (`entries.3` in a
 * batch). Values of the wrong type are left to the case-file validation.
 */
export function evidenceLimitProblems(raw: unknown, base: string): RequestProblem[] {
  if (!isRecord(raw)) return [];
  const at = (path: string) => joinPath(base, path);
  const problems: (RequestProblem | undefined)[] = [];
  for (const rule of EVIDENCE_TEXT_RULES) problems.push(textProblem(raw[rule.field], rule.max, at(rule.field)));
  for (const rule of EVIDENCE_LIST_RULES) {
    const list = raw[rule.field];
    if (!Array.isArray(list)) continue;
    if (list.length > rule.max)
      problems.push(tooBig(at(rule.field), `at most ${rule.max} ${rule.field} (got ${list.length})`, rule.max, list.length));
    const itemMax = rule.itemMax;
    if (itemMax !== undefined)
      for (const [i, v] of list.entries()) problems.push(textProblem(v, itemMax, at(`${rule.field}.${i}`)));
  }
  for (const [key, sub] of [
    ['action', ['instrument']],
    ['flow', ['payer', 'payee']],
  ] as const) {
    const value = raw[key];
    if (isRecord(value)) for (const f of sub) problems.push(textProblem(value[f], LIMITS.id, at(`${key}.${f}`)));
  }
  if (isRecord(raw.quantity)) problems.push(textProblem(raw.quantity.unit, LIMITS.word, at('quantity.unit')));
  const sources = raw.sources;
  if (Array.isArray(sources))
    for (const [i, s] of sources.entries()) {
      if (!isRecord(s)) continue;
      for (const rule of SOURCE_TEXT_RULES) problems.push(textProblem(s[rule.field], rule.max, at(`sources.${i}.${rule.field}`)));
      problems.push(partialDateRangeProblem(s.date, at(`sources.${i}.date`)));
    }
  const occurred = raw.occurred;
  if (isRecord(occurred)) {
    problems.push(partialDateRangeProblem(occurred.from, at('occurred.from')));
    problems.push(partialDateRangeProblem(occurred.to, at('occurred.to')));
  } else problems.push(partialDateRangeProblem(occurred, at('occurred')));
  problems.push(partialDateRangeProblem(raw.reported, at('reported')));
  return problems.filter((p): p is RequestProblem => p !== undefined);
}
