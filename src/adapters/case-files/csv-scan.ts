/**
 * CSV (RFC 4180) records with the position of every field.
 *
 * Why not only csv-parse: its `info.lines` counts a CRLF inside a quoted field as two
 * lines, and with `skip_records_with_error` one stray quote loses every later row; a case
 * file needs exact positions and every problem at once. csv-parse remains the reference:
 * the tests check that both read the same values from well-formed files.
 *
 * Contract:
 * - Fields are separated by `,`, records by LF, CRLF or CR; a field in double quotes may
 *   hold commas, line breaks and doubled quotes (`""`). A leading BOM is ignored.
 * - Blank lines are skipped. Values are returned exactly as written (not trimmed).
 * - A malformed record (text after a closing quote, a quote never closed) is reported and
 *   skipped; scanning resumes on the next line, so later records are still read.
 */
import type { Position } from './problem.ts';

export interface CsvField extends Position {
  readonly value: string;
}

export interface CsvRecord {
  /** Line on which the record starts (1-based). */
  readonly line: number;
  readonly fields: readonly CsvField[];
}

export interface CsvSyntaxError extends Position {
  readonly message: string;
}

export interface CsvScan {
  readonly records: readonly CsvRecord[];
  readonly errors: readonly CsvSyntaxError[];
}

export function scanCsv(input: string): CsvScan {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const records: CsvRecord[] = [];
  const errors: CsvSyntaxError[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;

  const isBreak = (c: string | undefined): boolean => c === '\n' || c === '\r';
  /** Consumes one line break at `i` (CRLF counts as one). */
  const consumeBreak = (): void => {
    if (text[i] === '\r' && text[i + 1] === '\n') i += 2;
    else i += 1;
    line += 1;
    lineStart = i;
  };
  const skipRestOfLine = (): void => {
    while (i < text.length && !isBreak(text[i])) i += 1;
    if (i < text.length) consumeBreak();
  };

  while (i < text.length) {
    const recordLine = line;
    const fields: CsvField[] = [];
    let failed = false;
    let quoted = false;
    for (;;) {
      const fieldLine = line;
      const fieldCol = i - lineStart + 1;
      if (text[i] === '"') {
        quoted = true;
        const open = { line, col: fieldCol, index: i, lineStart };
        i += 1;
        let value = '';
        let closed = false;
        while (i < text.length) {
          const c = text[i] as string;
          if (c === '"') {
            if (text[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i += 1;
            closed = true;
            break;
          }
          if (isBreak(c)) {
            value += c === '\r' && text[i + 1] === '\n' ? '\r\n' : c;
            consumeBreak();
            continue;
          }
          value += c;
          i += 1;
        }
        if (!closed) {
          errors.push({
            line: open.line,
            col: open.col,
            message: 'this quoted field is never closed: end it with a double quote (write "" for a quote inside it)',
          });
          // Resume on the line after the opening quote.
          i = open.index;
          line = open.line;
          lineStart = open.lineStart;
          skipRestOfLine();
          failed = true;
          break;
        }
        fields.push({ value, line: fieldLine, col: fieldCol });
        if (i < text.length && text[i] !== ',' && !isBreak(text[i])) {
          errors.push({
            line,
            col: i - lineStart + 1,
            message: `unexpected ${JSON.stringify(text[i])} after a closing quote: quote the whole field, and write "" for a quote inside it`,
          });
          skipRestOfLine();
          failed = true;
          break;
        }
      } else {
        const start = i;
        while (i < text.length && text[i] !== ',' && !isBreak(text[i])) i += 1;
        fields.push({ value: text.slice(start, i), line: fieldLine, col: fieldCol });
      }
      if (text[i] === ',') {
        i += 1;
        continue;
      }
      if (i < text.length) consumeBreak();
      break;
    }
    if (failed) continue;
    const blank = fields.length === 1 && fields[0]?.value === '' && !quoted;
    if (!blank) records.push({ line: recordLine, fields });
  }
  return { records, errors };
}
