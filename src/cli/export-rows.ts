/**
 * The rows `proviso export` writes for the kinds built in memory (assessment, history,
 * evidence, series), with each column's type, and their CSV and JSON Lines encodings. Pure.
 *
 * Invariants:
 * - assessment and history are the rows of `assess --format csv` and `history --format csv`
 *   (render-csv.ts), series the rows of `series --format csv`: an export's CSV is that
 *   command's CSV, byte for byte.
 * - evidence is one row per ledger entry (corrections and retractions are rows of their
 *   own, naming what they supersede); lists are joined with `;`.
 * - A column's type holds for every row: dates are `YYYY-MM-DD` text (DATE in Parquet),
 *   counts BIGINT, amounts DOUBLE; an absent value is empty in CSV and null elsewhere.
 */
import type { ExportColumn, ExportColumnType, ExportTable, ExportValue } from '../adapters/duckdb/export-table.ts';
import type { Evidence } from '../core/evidence.ts';
import { toCsv } from './csv.ts';
import type { CsvTable } from './render-csv.ts';
import type { SeriesOutRow } from './series-commands.ts';

/** A CSV form's rows with their columns' types (VARCHAR unless named). */
export function typedTable(t: CsvTable, types: Readonly<Record<string, ExportColumnType>> = {}): ExportTable {
  return {
    columns: t.header.map((name) => ({ name, type: types[name] ?? 'VARCHAR' })),
    rows: t.rows.map((r) => t.header.map((_, i) => r[i] ?? null)),
  };
}

/** The typed columns of the assessment rows (`assessmentTable`). */
export const ASSESSMENT_TYPES: Readonly<Record<string, ExportColumnType>> = { since: 'DATE' };
/** The typed columns of the history rows (`historyTable`). */
export const HISTORY_TYPES: Readonly<Record<string, ExportColumnType>> = { as_of: 'DATE' };

const col = (name: string, type: ExportColumnType = 'VARCHAR'): ExportColumn => ({ name, type });

/** The columns of an evidence export, in order. */
export const EVIDENCE_COLUMNS: readonly ExportColumn[] = [
  col('id'),
  col('kind'),
  col('actors'),
  col('occurred', 'DATE'),
  col('occurred_to', 'DATE'),
  col('reported', 'DATE'),
  col('recorded', 'DATE'),
  col('supersedes'),
  col('retracted', 'BOOLEAN'),
  col('amount', 'DOUBLE'),
  col('currency'),
  col('quantity_value', 'DOUBLE'),
  col('quantity_of', 'DOUBLE'),
  col('quantity_unit'),
  col('tags'),
  col('sources', 'BIGINT'),
  col('source_publisher'),
  col('source_title'),
  col('source_date'),
  col('source_url'),
  col('source_reliability'),
  col('source_credibility', 'BIGINT'),
  col('action_instrument'),
  col('action_kind'),
  col('claim'),
  col('flow_kind'),
  col('flow_payer'),
  col('flow_payee'),
  col('finding_benchmark'),
  col('finding_grade'),
  col('finding_assessor'),
  col('note'),
  col('description'),
];

/** One row per ledger entry, in the order given (see the invariants); `source_*` describe the entry's first source. */
export function evidenceTable(entries: readonly Evidence[]): ExportTable {
  const rows = entries.map((e): ExportValue[] => {
    const s = e.sources[0];
    return [
      e.id,
      e.kind,
      e.actors.join(';'),
      e.occurred,
      e.occurredTo,
      e.reported,
      e.recorded,
      e.supersedes ?? null,
      e.retracted === true,
      e.amount ?? null,
      e.currency ?? null,
      e.quantity?.value ?? null,
      e.quantity?.of ?? null,
      e.quantity?.unit ?? null,
      e.tags.join(';'),
      e.sources.length,
      s?.publisher ?? null,
      s?.title ?? null,
      s?.date ?? null,
      s?.url ?? null,
      s?.reliability ?? null,
      s?.credibility ?? null,
      e.action?.instrument ?? null,
      e.action?.kind ?? null,
      e.claim ?? null,
      e.flow?.kind ?? null,
      e.flow?.payer ?? null,
      e.flow?.payee ?? null,
      e.finding?.benchmark ?? null,
      e.finding?.grade ?? null,
      e.finding?.assessor ?? null,
      e.note ?? null,
      e.description,
    ];
  });
  return { columns: EVIDENCE_COLUMNS, rows };
}

/** The columns every series point has, in the order `series` prints them; a measure's detail columns follow. */
const SERIES_BASE: readonly ExportColumn[] = [
  col('year', 'BIGINT'),
  col('value', 'DOUBLE'),
  col('measure'),
  col('dyad'),
  col('period'),
  col('date', 'DATE'),
  col('knownAt', 'DATE'),
];

/**
 * The points of a series as `series --format csv` gives them: the base columns, then every
 * detail key in the order first met; a detail column is BIGINT when all its values are
 * integers, DOUBLE when numbers, BOOLEAN when booleans, else text (objects as JSON).
 */
export function seriesTable(points: readonly SeriesOutRow[]): ExportTable {
  const names = [...new Set([...SERIES_BASE.map((c) => c.name), ...points.flatMap((p) => Object.keys(p))])];
  const base = new Map(SERIES_BASE.map((c) => [c.name, c.type]));
  const cell = (v: unknown): ExportValue =>
    v === undefined || v === null ? null : typeof v === 'object' ? JSON.stringify(v) : (v as ExportValue);
  const rows = points.map((p) => names.map((n) => cell((p as Record<string, unknown>)[n])));
  const columns = names.map((name, i): ExportColumn => {
    const known = base.get(name);
    if (known !== undefined) return { name, type: known };
    const values = rows.map((r) => r[i]).filter((v) => v !== null);
    const type: ExportColumnType =
      values.length === 0
        ? 'VARCHAR'
        : values.every((v) => typeof v === 'number')
          ? values.every((v) => Number.isSafeInteger(v))
            ? 'BIGINT'
            : 'DOUBLE'
          : values.every((v) => typeof v === 'boolean')
            ? 'BOOLEAN'
            : 'VARCHAR';
    return { name, type };
  });
  // A text column holds text: a stray number in it is written as its digits.
  const rowsTyped = rows.map((r) => r.map((v, i) => (columns[i]?.type === 'VARCHAR' && v !== null ? String(v) : v)));
  return { columns, rows: rowsTyped };
}

/** The table as CSV (the program's one CSV writer): a header, then a line per row. */
export function tableCsv(t: ExportTable): string {
  return toCsv(
    t.columns.map((c) => c.name),
    t.rows,
  );
}

/** The table as JSON Lines: one object per row, its keys the columns, absent values null. */
export function tableJsonl(t: ExportTable): string {
  const names = t.columns.map((c) => c.name);
  return t.rows.map((r) => `${JSON.stringify(Object.fromEntries(names.map((n, i) => [n, r[i] ?? null])))}\n`).join('');
}
