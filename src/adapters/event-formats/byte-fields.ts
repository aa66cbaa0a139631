/**
 * Byte-level field checks for tab-separated event rows. Each takes a buffer and a
 * half-open range and never allocates; `latin1Of` is for error messages only.
 */
import { isUtf8 } from 'node:buffer';
import { daysInMonth } from '../../core/dates.ts';

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

export function readUint(b: Buffer, s: number, e: number): number {
  let v = 0;
  for (let i = s; i < e; i++) v = v * 10 + ((b[i] as number) - ZERO);
  return v;
}

/** `YYYYMMDD` naming a real day, year 1800–2199. */
export function isCompactDate(b: Buffer, s: number): boolean {
  if (!isDigits(b, s, s + 8)) return false;
  const y = readUint(b, s, s + 4);
  const m = readUint(b, s + 4, s + 6);
  const d = readUint(b, s + 6, s + 8);
  return y >= 1800 && y < 2200 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/** `YYYYMMDDHHMMSS` with a real day and time. */
export function isCompactTimestamp(b: Buffer, s: number): boolean {
  if (!isCompactDate(b, s) || !isDigits(b, s + 8, s + 14)) return false;
  return readUint(b, s + 8, s + 10) < 24 && readUint(b, s + 10, s + 12) < 60 && readUint(b, s + 12, s + 14) < 60;
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
