/**
 * Calendar dates and durations without a clock.
 *
 * Invariants:
 * - A `IsoDate` is a string `YYYY-MM-DD` naming a real day of the proleptic Gregorian
 *   calendar; ISO strings order the same way the days do, so `<` on strings is `<` on days.
 * - Day numbers count days since 1970-01-01 (negative before); conversion is exact.
 * - Nothing here reads the time of day, a time zone or the system clock.
 */

export type IsoDate = string;

/** Partial dates as written in case files: a year, a month or a day. */
export type DatePrecision = 'year' | 'month' | 'day';

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_RE = /^(\d{4})-(\d{2})$/;
const YEAR_RE = /^(\d{4})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Why a string is not a valid calendar date, or `undefined` when it is one. */
export function dateProblem(text: string): string | undefined {
  const m = DAY_RE.exec(text);
  if (!m) return `"${text}" is not a date of the form YYYY-MM-DD`;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12) return `"${text}" has no month ${mo}`;
  const dim = daysInMonth(y, mo);
  if (d < 1 || d > dim) return `"${text}" is impossible: ${monthName(mo)} ${y} has ${dim} days`;
  return undefined;
}

export function isIsoDate(text: string): boolean {
  return dateProblem(text) === undefined;
}

/** Why a string is not a year, month or day, or `undefined`. */
export function partialDateProblem(text: string): string | undefined {
  if (YEAR_RE.test(text)) return undefined;
  const m = MONTH_RE.exec(text);
  if (m) {
    const mo = Number(m[2]);
    return mo >= 1 && mo <= 12 ? undefined : `"${text}" has no month ${mo}`;
  }
  if (DAY_RE.test(text)) return dateProblem(text);
  return `"${text}" is not a date (YYYY, YYYY-MM or YYYY-MM-DD)`;
}

export function precisionOf(text: string): DatePrecision {
  if (YEAR_RE.test(text)) return 'year';
  if (MONTH_RE.test(text)) return 'month';
  return 'day';
}

/** First day covered by a partial date. */
export function firstDayOf(text: string): IsoDate {
  if (YEAR_RE.test(text)) return `${text}-01-01`;
  if (MONTH_RE.test(text)) return `${text}-01`;
  return text;
}

/** Last day covered by a partial date. */
export function lastDayOf(text: string): IsoDate {
  if (YEAR_RE.test(text)) return `${text}-12-31`;
  const m = MONTH_RE.exec(text);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    return `${text}-${pad2(daysInMonth(y, mo))}`;
  }
  return text;
}

function monthName(mo: number): string {
  return (
    ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'][
      mo - 1
    ] ?? `month ${mo}`
  );
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function pad4(n: number): string {
  return String(n).padStart(4, '0');
}

/** Days since 1970-01-01 (Howard Hinnant's days_from_civil). */
export function toDayNumber(date: IsoDate): number {
  const y0 = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function fromDayNumber(days: number): IsoDate {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const y = yoe + era * 400;
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return `${pad4(m <= 2 ? y + 1 : y)}-${pad2(m)}-${pad2(d)}`;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + days);
}

export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

/** A duration as written in case files: ISO 8601 `P…Y…M…W…D` (no time part). */
export interface Duration {
  readonly years: number;
  readonly months: number;
  readonly days: number;
  readonly text: string;
}

const DURATION_RE = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/;

export function durationProblem(text: string): string | undefined {
  const m = DURATION_RE.exec(text);
  if (!m || text === 'P') return `"${text}" is not a duration such as P12M, P1Y, P90D or P2W`;
  return undefined;
}

export function parseDuration(text: string): Duration {
  const m = DURATION_RE.exec(text);
  if (!m || text === 'P') throw new Error(`invalid duration ${text}`);
  return {
    years: Number(m[1] ?? 0),
    months: Number(m[2] ?? 0),
    days: Number(m[3] ?? 0) * 7 + Number(m[4] ?? 0),
    text,
  };
}

export const ZERO_DURATION: Duration = { years: 0, months: 0, days: 0, text: 'P0D' };

export function isZeroDuration(d: Duration): boolean {
  return d.years === 0 && d.months === 0 && d.days === 0;
}

/**
 * Adds a duration to a date. Months are calendar months; a day past the end of the
 * target month is clamped to its last day (2020-01-31 + P1M = 2020-02-29).
 */
export function addDuration(date: IsoDate, d: Duration): IsoDate {
  let y = Number(date.slice(0, 4));
  let m = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  const totalMonths = m - 1 + d.months + d.years * 12;
  y += Math.floor(totalMonths / 12);
  m = (totalMonths % 12) + 1;
  const clamped = Math.min(day, daysInMonth(y, m));
  const base = `${pad4(y)}-${pad2(m)}-${pad2(clamped)}`;
  return d.days === 0 ? base : addDays(base, d.days);
}

/** Subtracts a duration (the start of a trailing window ending on `date`). */
export function subtractDuration(date: IsoDate, d: Duration): IsoDate {
  let y = Number(date.slice(0, 4));
  let m = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  const base0 = addDays(`${pad4(y)}-${pad2(m)}-${pad2(day)}`, -d.days);
  y = Number(base0.slice(0, 4));
  m = Number(base0.slice(5, 7));
  const day2 = Number(base0.slice(8, 10));
  const totalMonths = m - 1 - d.months - d.years * 12;
  y += Math.floor(totalMonths / 12);
  m = (((totalMonths % 12) + 12) % 12) + 1;
  return `${pad4(y)}-${pad2(m)}-${pad2(Math.min(day2, daysInMonth(y, m)))}`;
}

export type Step = 'month' | 'quarter' | 'year';
export const STEPS = ['month', 'quarter', 'year'] as const satisfies readonly Step[];

/** The dates from `from` to `to` inclusive, `from` first, then every step after it. */
export function stepDates(from: IsoDate, to: IsoDate, step: Step): IsoDate[] {
  const d: Duration =
    step === 'month'
      ? { years: 0, months: 1, days: 0, text: 'P1M' }
      : step === 'quarter'
        ? { years: 0, months: 3, days: 0, text: 'P3M' }
        : { years: 1, months: 0, days: 0, text: 'P1Y' };
  const out: IsoDate[] = [];
  let i = 0;
  for (;;) {
    const next = addDuration(from, { ...d, years: d.years * i, months: d.months * i });
    if (next > to) break;
    out.push(next);
    i += 1;
  }
  if (out.length === 0 || out[out.length - 1] !== to) out.push(to);
  return out;
}

export function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return a > b ? a : b;
}

export function minDate(a: IsoDate, b: IsoDate): IsoDate {
  return a < b ? a : b;
}

/** A duration in words, for people: "12 months", "3 years", "1 year and 6 months", "60 days", "no time". */
export function durationWords(d: Duration): string {
  const parts: string[] = [];
  const unit = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
  if (d.years > 0) parts.push(unit(d.years, 'year'));
  if (d.months > 0) parts.push(unit(d.months, 'month'));
  if (d.days > 0) parts.push(d.days % 7 === 0 && d.days >= 14 ? unit(d.days / 7, 'week') : unit(d.days, 'day'));
  if (parts.length === 0) return 'no time';
  return parts.length === 1 ? (parts[0] as string) : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}
