/**
 * The byte-level date checks the GDELT reader uses, against the calendar (Date.UTC): every
 * day of every month of the years at and around the accepted range (1800–2199), with days
 * 00–32 and months 00–13, and bytes that are not digits.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCompactDate, isCompactTimestamp } from '../../src/adapters/event-formats/byte-fields.ts';

const pad = (n: number, w: number) => String(n).padStart(w, '0');

function isRealDay(y: number, m: number, d: number): boolean {
  if (y < 1800 || y > 2199 || m < 1 || m > 12 || d < 1) return false;
  const t = new Date(Date.UTC(2000, m - 1, d));
  t.setUTCFullYear(y, m - 1, d);
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

describe('compact dates', () => {
  it('accept exactly the real days of 1800–2199', () => {
    for (const y of [
      1700, 1799, 1800, 1801, 1899, 1900, 1904, 1999, 2000, 2001, 2004, 2023, 2024, 2100, 2199, 2200, 2400, 9999,
    ]) {
      for (let m = 0; m <= 13; m++) {
        for (let d = 0; d <= 32; d++) {
          const text = `${pad(y, 4)}${pad(m, 2)}${pad(d, 2)}`;
          assert.equal(isCompactDate(Buffer.from(`x${text}`), 1), isRealDay(y, m, d), text);
        }
      }
    }
  });

  it('refuse bytes that are not digits anywhere in the field', () => {
    const good = '20240229';
    assert.ok(isCompactDate(Buffer.from(good), 0));
    for (let i = 0; i < good.length; i++) {
      for (const c of ['/', ':', ' ', '-', 'a']) {
        const bad = `${good.slice(0, i)}${c}${good.slice(i + 1)}`;
        assert.equal(isCompactDate(Buffer.from(bad), 0), false, bad);
      }
    }
  });

  it('check the time of a compact timestamp', () => {
    assert.ok(isCompactTimestamp(Buffer.from('20150218230000'), 0));
    assert.ok(isCompactTimestamp(Buffer.from('20150218235959'), 0));
    for (const bad of ['20150218240000', '20150218236000', '20150218230060', '2015021823000a', '20150230230000']) {
      assert.equal(isCompactTimestamp(Buffer.from(bad), 0), false, bad);
    }
  });
});
