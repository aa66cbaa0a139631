/**
 * Byte-level field checks for tab-separated event rows. Each takes a buffer and a
 * half-open range and never allocates; `latin1Of` is for error messages only.
 */
import { isUtf8 } from 'node:buffer';
import { isLeapYear } from '../../core/dates.ts';

const ZERO = 48;
const NINE = 57;

export function isDigits(b: Buffer, s: number, e: number): boolean {
  if (e <= s) return false;
  for (let i = s; i < e; i++) {
    const c = b[i] as number;
    if (c < ZERO || c > NINE) return false;
  }
  return true;
}

/** Days in each month of a common year (index 1–12). */
const MONTH_DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** The digit at `b[i]` (0–9), or -1 when the byte is not a digit. */
function digitAt(b: Buffer, i: number): number {
  const d = (b[i] as number) - ZERO;
  return d >= 0 && d <= 9 ? d : -1;
}

/** The two digits at `b[i]` as a number, or -1 when either is not a digit. */
function twoDigits(b: Buffer, i: number): number {
  const hi = digitAt(b, i);
  const lo = digitAt(b, i + 1);
  return hi < 0 || lo < 0 ? -1 : hi * 10 + lo;
}

/** `YYYYMMDD` naming a real day, year 1800–2199. */
export function isCompactDate(b: Buffer, s: number): boolean {
  const century = twoDigits(b, s);
  const yy = twoDigits(b, s + 2);
  const m = twoDigits(b, s + 4);
  const d = twoDigits(b, s + 6);
  if (century < 18 || century > 21 || yy < 0 || m < 1 || m > 12 || d < 1) return false;
  if (d <= (MONTH_DAYS[m] as number)) return true;
  const y = century * 100 + yy;
  return m === 2 && d === 29 && isLeapYear(y);
}

/** `YYYYMMDDHHMMSS` with a real day and time. */
export function isCompactTimestamp(b: Buffer, s: number): boolean {
  if (!isCompactDate(b, s)) return false;
  const h = twoDigits(b, s + 8);
  const mi = twoDigits(b, s + 10);
  const se = twoDigits(b, s + 12);
  return h >= 0 && h < 24 && mi >= 0 && mi < 60 && se >= 0 && se < 60;
}

/** A decimal number: `-?digits(.digits)?([eE][+-]?digits)?`, or `-?.digits`. */
export function isDecimal(b: Buffer, s: number, e: number): boolean {
  let i = s;
  if (i < e && (b[i] === 45 || b[i] === 43)) i++;
  let digits = 0;
  while (i < e && (b[i] as number) >= ZERO && (b[i] as number) <= NINE) {
    i++;
    digits++;
  }
  if (i < e && b[i] === 46) {
    i++;
    while (i < e && (b[i] as number) >= ZERO && (b[i] as number) <= NINE) {
      i++;
      digits++;
    }
  }
  if (digits === 0) return false;
  if (i < e && (b[i] === 101 || b[i] === 69)) {
    i++;
    if (i < e && (b[i] === 45 || b[i] === 43)) i++;
    if (!isDigits(b, i, e)) return false;
    return true;
  }
  return i === e;
}

export function latin1Of(b: Buffer, s: number, e: number, max = 80): string {
  const text = b.toString('latin1', s, Math.min(e, s + max));
  return e - s > max ? `${text}…` : text;
}

/** True when the range holds a byte ≥ 0x80 (then it must be checked as UTF-8). */
export function hasHighByte(b: Buffer, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if ((b[i] as number) >= 128) return true;
  return false;
}

export function isValidUtf8(b: Buffer, s: number, e: number): boolean {
  return isUtf8(b.subarray(s, e));
}

/** The line as text for a rejects file: strict UTF-8 when valid, else Latin-1 (byte per char). */
export function rawLineText(b: Buffer, s: number, e: number): { raw: string; encoding: 'utf-8' | 'latin1' } {
  return isValidUtf8(b, s, e)
    ? { raw: b.toString('utf8', s, e), encoding: 'utf-8' }
    : { raw: b.toString('latin1', s, e), encoding: 'latin1' };
}
