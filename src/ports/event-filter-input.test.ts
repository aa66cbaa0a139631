import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEventFilterInput } from './event-filter-input.ts';

describe('parseEventFilterInput (the CLI and the API take the same filters)', () => {
  it('turns lists and dates into the port filter', () => {
    assert.deepEqual(
      parseEventFilterInput({
        actor1: 'USA, USAGOV',
        actor2: 'PAK',
        either: true,
        root: '4,18',
        quad: '3,4',
        from: '2019-01-01',
      }),
      {
        ok: true,
        filter: {
          actor1: ['USA', 'USAGOV'],
          actor2: ['PAK'],
          either: true,
          rootCodes: ['04', '18'],
          quadClasses: [3, 4],
          from: '2019-01-01',
        },
      },
    );
    assert.deepEqual(parseEventFilterInput({}), { ok: true, filter: {} });
  });

  it('reports every bad field at once, each named', () => {
    const r = parseEventFilterInput({ actor1: 'US', root: '123', quad: '5', from: '2018-02-31', to: '2017-13-01' });
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.deepEqual(
      r.problems.map((p) => [p.field, p.code]),
      [
        ['actor1', 'invalid'],
        ['root', 'invalid'],
        ['quad', 'invalid'],
        ['from', 'bad-date'],
        ['to', 'bad-date'],
      ],
    );
    assert.match(r.problems[3]?.message ?? '', /February 2018 has 28 days/);
  });

  it('refuses from after to, and an empty list', () => {
    const r = parseEventFilterInput({ from: '2020-01-02', to: '2020-01-01', actor2: ' , ' });
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.deepEqual(
      r.problems.map((p) => p.field),
      ['actor2', 'from'],
    );
  });
});
