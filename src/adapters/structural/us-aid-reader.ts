/**
 * us-aid: ForeignAssistance.gov country summaries (country_code, country_name,
 * transaction_type_name, fiscal_year, current_amount, constant_amount, …).
 *
 * Each row gives two points: the constant-dollar amount under `aid…` and the current
 * (nominal) amount under `aid…-current`. Constant dollars are as ForeignAssistance.gov
 * computes them; the file does not name the base year. Measures by transaction type:
 *   Obligations → aid, aid-current · Disbursements → aid-disbursements[-current] ·
 *   Appropriated and Planned → aid-appropriated[-current] · President's Budget Requests →
 *   aid-budget-request[-current] · Initial Allocations → aid-initial-allocation[-current].
 * Dyad (USA, recipient code). Amounts are USD; deobligations are negative and kept.
 *
 * Fiscal years: up to FY1976 the US fiscal year ended on 30 June; `1976tq` is the
 * transition quarter (1 July – 30 September 1976); from FY1977 it ends on 30 September.
 * `date` is that last day; `period` is FY1976, FY1976TQ, FY2022. knownAt = the day after
 * the fiscal year ends (the port's rule for undated annual figures): ForeignAssistance.gov
 * does not date its figures, and revises them later, so this is the earliest, not a
 * guaranteed, publication day.
 *
 * Rejected: rows with country_code NULL (former states and regions such as "Berlin",
 * "Vietnam (former South)": there is no code to file them under), unreadable years or amounts,
 * unknown transaction types.
 */

import {
  countSkip,
  dayAfter,
  FileImportError,
  lineReject,
  type ParsedFile,
  type PointRecord,
  type Reject,
} from './structural-records.ts';
import { cell, readCsvTable } from './table-reader.ts';

const MEASURE_BY_TRANSACTION: Readonly<Record<string, string>> = {
  obligations: 'aid',
  disbursements: 'aid-disbursements',
  'appropriated and planned': 'aid-appropriated',
  "president's budget requests": 'aid-budget-request',
  'initial allocations': 'aid-initial-allocation',
};

/** Last day and label of a fiscal year as the file writes it (`2022`, `1976tq`); undefined when unreadable. */
export function fiscalPeriod(raw: string): { date: string; period: string; year: number } | undefined {
  const m = /^(\d{4})(tq)?$/i.exec(raw.trim());
  if (m === null) return undefined;
  const year = Number(m[1]);
  if (m[2] !== undefined) return year === 1976 ? { date: '1976-09-30', period: 'FY1976TQ', year } : undefined;
  return { date: year <= 1976 ? `${year}-06-30` : `${year}-09-30`, period: `FY${year}`, year };
}

const REQUIRED = ['country_code', 'country_name', 'transaction_type_name', 'fiscal_year', 'current_amount', 'constant_amount'];

export function parseUsAid(text: string, file: string): ParsedFile {
  const table = readCsvTable(text, file);
  const names = table.columns.map((c) => c.toLowerCase());
  const missing = REQUIRED.filter((c) => !names.includes(c));
  if (missing.length > 0)
    throw new FileImportError(file, table.headerLine, 'missing-column', `missing column(s) ${missing.join(', ')} in the header`);
  const col = (name: string) => names.indexOf(name);
  const records: PointRecord[] = [];
  const rejects: Reject[] = [...table.rejects];
  const skipped: Record<string, number> = {};
  for (const row of table.rows) {
    if (row.cells.every((c) => c.trim() === '')) {
      countSkip(skipped, 'blank line');
      continue;
    }
    const reject = (reason: string) => rejects.push(lineReject(file, row.line, row.raw, reason));
    const code = cell(row, col('country_code')).trim();
    const name = cell(row, col('country_name')).trim();
    if (code === 'NULL' || code === '') {
      reject(`country_code: ${code || 'empty'} for "${name}" (a former state or region): no code to file it under`);
      continue;
    }
    if (!/^[A-Z]{2,3}(-[A-Z]{2})?$/.test(code)) {
      reject(`country_code: "${code}" is not a country code`);
      continue;
    }
    const fy = fiscalPeriod(cell(row, col('fiscal_year')));
    if (fy === undefined) {
      reject(`fiscal_year: "${cell(row, col('fiscal_year'))}" is not a fiscal year (YYYY, or 1976tq)`);
      continue;
    }
    const type = cell(row, col('transaction_type_name')).trim();
    const measure = MEASURE_BY_TRANSACTION[type.toLowerCase()];
    if (measure === undefined) {
      reject(`transaction_type_name: "${type}" is not one of ${Object.keys(MEASURE_BY_TRANSACTION).join(', ')}`);
      continue;
    }
    const amounts: number[] = [];
    for (const field of ['constant_amount', 'current_amount']) {
      const raw = cell(row, col(field)).trim();
      if (!/^-?\d+(\.\d+)?$/.test(raw)) break;
      amounts.push(Number(raw));
    }
    const [constant, current] = amounts;
    if (constant === undefined || current === undefined) {
      const field = constant === undefined ? 'constant_amount' : 'current_amount';
      reject(`${field}: "${cell(row, col(field))}" is not an amount in dollars`);
      continue;
    }
    const base = {
      kind: 'point',
      line: row.line,
      a: 'USA',
      b: code,
      date: fy.date,
      knownAt: dayAfter(fy.date),
      period: fy.period,
    } as const;
    const detail = { country: name, transaction: type };
    records.push({ ...base, measure, value: constant, detail: { ...detail, dollars: 'constant' } });
    records.push({ ...base, measure: `${measure}-current`, value: current, detail: { ...detail, dollars: 'current' } });
  }
  return { file, records, rejects, skipped };
}
