/**
 * The pure checks behind the server's input limits, against their references: the history
 * point count against the core's `stepDates`, the invalid-UTF-8 finder against the WHATWG
 * decoder, the webhook host check and the cross-site check against tables of cases.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { addDays, STEPS, stepDates } from '../../src/core/dates.ts';
import { historyPointCount, LIMITS } from '../../src/http/input-limits.ts';
import { decodeMarkingInvalid } from '../../src/http/json-body.ts';
import { crossSiteRefusal } from '../../src/http/same-origin.ts';
import { privateHostReason, webhookUrlProblem } from '../../src/http/webhook-url.ts';

const day = fc.integer({ min: 0, max: 73_000 }).map((n) => addDays('1900-01-01', n));

describe('historyPointCount', () => {
  it('counts the points stepDates lists, for any range and step', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 20_000 }), fc.constantFrom(...STEPS), (from, span, step) => {
        const to = addDays(from, span);
        assert.equal(historyPointCount(from, to, step), stepDates(from, to, step).length, `${from} ${to} ${step}`);
      }),
    );
  });

  it('counts month ends and leap days as stepDates clamps them', () => {
    for (const [from, to] of [
      ['2020-01-31', '2020-02-29'],
      ['2020-01-31', '2020-03-30'],
      ['2020-02-29', '2024-02-28'],
      ['2020-02-29', '2024-02-29'],
      ['2021-05-31', '2021-05-31'],
    ] as const)
      for (const step of STEPS) assert.equal(historyPointCount(from, to, step), stepDates(from, to, step).length);
    assert.equal(historyPointCount('1990-01-01', '2039-12-01', 'month'), LIMITS.historyPoints);
  });
});

describe('decodeMarkingInvalid', () => {
  it('marks exactly what the WHATWG decoder replaces, one mark per U+FFFD', () => {
    const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const { text, offsets } = decodeMarkingInvalid(bytes);
        assert.equal(text.replaceAll('\uDBFF', '\uFFFD'), decoder.decode(bytes));
        assert.equal(offsets.length, [...text].filter((c) => c === '\uDBFF').length);
      }),
    );
  });

  it('finds nothing in valid UTF-8', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        const { text, offsets } = decodeMarkingInvalid(new TextEncoder().encode(s));
        assert.deepEqual([text, offsets], [s, []]);
      }),
    );
  });
});

describe('webhook hosts', () => {
  it('tells private and loopback hosts from public ones', () => {
    const cases: [string, boolean][] = [
      ['localhost', true],
      ['foo.localhost', true],
      ['127.0.0.1', true],
      ['10.255.255.255', true],
      ['11.0.0.1', false],
      ['172.15.255.255', false],
      ['172.16.0.0', true],
      ['172.31.255.255', true],
      ['172.32.0.0', false],
      ['192.168.0.1', true],
      ['169.254.1.1', true],
      ['0.0.0.0', true],
      ['8.8.8.8', false],
      ['[::]', true],
      ['[::1]', true],
      ['[::2]', false],
      ['[::ffff:7f00:1]', true],
      ['[::ffff:808:808]', false],
      ['[64:ff9b::a00:1]', true],
      ['[fc00::1]', true],
      ['[fdff:ffff::1]', true],
      ['[fe80::1]', true],
      ['[febf::1]', true],
      ['[fec0::1]', true],
      ['[ff02::1]', true],
      ['[2001:db8::1]', false],
      ['[2606:4700::1111]', false],
      ['example.org', false],
      ['localhost.example.org', false],
    ];
    for (const [host, isPrivate] of cases) assert.equal(privateHostReason(host) !== undefined, isPrivate, host);
  });

  it('lets the flag through private hosts, but never other schemes or control characters', () => {
    assert.equal(webhookUrlProblem('http://127.0.0.1:9/h', true), undefined);
    assert.match(webhookUrlProblem('http://127.0.0.1:9/h', false) ?? '', /a loopback address/);
    assert.match(webhookUrlProblem('gopher://127.0.0.1/', true) ?? '', /not gopher/);
    assert.match(webhookUrlProblem('http://127.0.0.1/\r\nX: y', true) ?? '', /U\+000D/);
    assert.match(webhookUrlProblem('https:\\\\example.org/', true) ?? '', /http\(s\):\/\/host/);
  });
});

describe('crossSiteRefusal', () => {
  const url = new URL('http://proviso.example:8080/api/tokens');
  const headers = (h: Record<string, string>) => new Headers(h);
  it('decides by Sec-Fetch-Site when sent, by Origin otherwise, and lets clients that send neither through', () => {
    const cases: [Record<string, string>, boolean, boolean?][] = [
      [{}, true],
      [{ 'Sec-Fetch-Site': 'same-origin' }, true],
      [{ 'Sec-Fetch-Site': 'none' }, true],
      [{ 'Sec-Fetch-Site': 'same-site' }, false],
      [{ 'Sec-Fetch-Site': 'cross-site', Origin: 'http://proviso.example:8080' }, false],
      [{ 'Sec-Fetch-Site': 'same-origin', Origin: 'https://proxy.example' }, true],
      [{ Origin: 'http://proviso.example:8080' }, true],
      [{ Origin: 'https://proviso.example:8080' }, true],
      [{ Origin: 'http://proviso.example' }, false],
      [{ Origin: 'https://evil.example' }, false],
      [{ Origin: 'null' }, false],
      [{ Origin: 'not a url' }, false],
      [{ Origin: 'https://proviso.example', 'X-Forwarded-Host': 'proviso.example' }, false],
      [{ Origin: 'https://proviso.example', 'X-Forwarded-Host': 'proviso.example' }, true, true],
    ];
    for (const [h, passes, trustProxy] of cases)
      assert.equal(crossSiteRefusal(headers(h), url, trustProxy === true) === undefined, passes, JSON.stringify(h));
  });
});
