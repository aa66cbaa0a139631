import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { scanCsv } from './csv-scan.ts';

/** Writes a field as CSV: quoted when it holds a comma, quote or line break (or at random). */
function writeField(value: string, forceQuotes: boolean): string {
  return forceQuotes || /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const fieldArb = fc.string({ unit: fc.constantFrom('a', 'b', ' ', ',', '"', '\n', '\r\n', 'é', ';', '-'), maxLength: 8 });

describe('scanCsv', () => {
  it('reads the same values as csv-parse from well-formed files', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((width) =>
          fc.array(fc.array(fc.tuple(fieldArb, fc.boolean()), { minLength: width, maxLength: width }), {
            minLength: 1,
            maxLength: 5,
          }),
        ),
        fc.constantFrom('\n', '\r\n'),
        (rows, eol) => {
          // A record of one empty unquoted field is a blank line, which both skip; avoid it.
          const text = rows
            .map((row) => row.map(([v, q]) => writeField(v, q || (row.length === 1 && v === ''))).join(','))
            .join(eol);
          const expected = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
          const scanned = scanCsv(text);
          assert.deepEqual(scanned.errors, []);
          assert.deepEqual(
            scanned.records.map((r) => r.fields.map((f) => f.value)),
            expected,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives the line and column of every field, across CRLF and quoted line breaks', () => {
    const text = '\uFEFFid,text\r\na,"two\r\nlines"\r\n\r\nb,c\n';
    const { records, errors } = scanCsv(text);
    assert.deepEqual(errors, []);
    assert.deepEqual(records, [
      {
        line: 1,
        fields: [
          { value: 'id', line: 1, col: 1 },
          { value: 'text', line: 1, col: 4 },
        ],
      },
      {
        line: 2,
        fields: [
          { value: 'a', line: 2, col: 1 },
          { value: 'two\r\nlines', line: 2, col: 3 },
        ],
      },
      {
        line: 5,
        fields: [
          { value: 'b', line: 5, col: 1 },
          { value: 'c', line: 5, col: 3 },
        ],
      },
    ]);
  });

  it('reports a malformed record and goes on with the next line', () => {
    const { records, errors } = scanCsv('a,"b"x,c\nd,"never closed\ne,f\n');
    assert.deepEqual(errors, [
      {
        line: 1,
        col: 6,
        message: 'unexpected "x" after a closing quote: quote the whole field, and write "" for a quote inside it',
      },
      {
        line: 2,
        col: 3,
        message: 'this quoted field is never closed: end it with a double quote (write "" for a quote inside it)',
      },
    ]);
    assert.deepEqual(
      records.map((r) => [r.line, r.fields.map((f) => f.value)]),
      [[3, ['e', 'f']]],
    );
  });
});
