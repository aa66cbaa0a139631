import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { csvCell, toCsv } from './csv.ts';

describe('toCsv', () => {
  it('round-trips quotes, commas and line breaks through a CSV parser', () => {
    const rows = [['a,b', 'say "no"', 'two\nlines', 'plain', '']];
    const text = toCsv(['x', 'y', 'z', 'w', 'v'], rows);
    assert.deepEqual(parse(text), [['x', 'y', 'z', 'w', 'v'], ...rows]);
  });

  it('writes nothing for null and undefined, and numbers and booleans as they print', () => {
    assert.equal(toCsv(['n', 'b', 'u', 'z'], [[-1.5, true, undefined, null]]), 'n,b,u,z\n-1.5,true,,\n');
  });

  it('defuses text a spreadsheet would run as a formula, and leaves numbers alone', () => {
    assert.equal(csvCell('=HYPERLINK("http://evil.example")'), `"'=HYPERLINK(""http://evil.example"")"`);
    assert.equal(csvCell('+1 (555)'), "'+1 (555)");
    assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvCell('-2.5'), '-2.5');
    assert.equal(csvCell('+3'), '+3');
  });
});
