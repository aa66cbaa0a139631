/**
 * Group members as benchmark items: a group lists its members compactly — inline rows under
 * `members`, or a table in `tables/` named by `table` (CSV with a header, or a YAML list) —
 * and each row becomes one benchmark item of the section `benchmarks`, as if written there:
 * the group's `benchmark` defaults, then the row's own keys over them, with `group` set.
 *
 * Contract:
 * - Pure: tables are given as texts. A member item is then checked like any benchmark
 *   (schema, CEL, durations, duplicate ids), and every problem points at the row or the
 *   default that is at fault: a key the row wrote at the row (its cell in a CSV), a default
 *   at the group's `benchmark` mapping.
 * - A table that does not exist, a CSV column that is not a member key, or a CSV syntax
 *   error is reported once at its place; the other rows are still read.
 */
import { type Document, LineCounter, parseDocument } from 'yaml';
import { scanCsv } from './csv-scan.ts';
import { createYamlLocator, type Locator, type Path, scopeLocator } from './locator.ts';
import { createProblem, type SectionEntry } from './parse-files.ts';
import type { Position, Problem } from './problem.ts';
import { formatSuggestion } from './suggest.ts';

/** The folder of member tables, beside the case files. */
export const TABLES_DIR = 'tables';

/** Columns a CSV member table may have; `condition` is one CEL clause. */
export const MEMBER_COLUMNS = ['id', 'title', 'block', 'description', 'condition', 'author', 'from', 'until', 'known'] as const;
type MemberColumn = (typeof MEMBER_COLUMNS)[number];
const REQUIRED_COLUMNS: readonly MemberColumn[] = ['id', 'title'];

export interface TableText {
  /** Path as shown in problems. */
  readonly file: string;
  /** Name relative to `tables/`: what a group's `table` names. */
  readonly name: string;
  readonly text: string;
}

export interface ExpandedMembers {
  readonly entries: SectionEntry[];
  readonly problems: Problem[];
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A locator for a member: keys the row wrote at the row, defaults at the group's `benchmark`, `group` at the group's id. */
function memberLocator(
  row: Locator,
  rowKeys: ReadonlySet<string>,
  group: Locator,
  defaults: ReadonlySet<string>,
  rowStart: Position,
): Locator {
  const pick = (path: Path): Locator | undefined => {
    const head = path[0];
    if (head === undefined) return undefined;
    if (rowKeys.has(String(head))) return row;
    if (head === 'group') return scopeLocator(group, ['id']);
    if (defaults.has(String(head))) return scopeLocator(group, ['benchmark']);
    return undefined;
  };
  return {
    valueAt: (path) => {
      const l = pick(path);
      if (l === undefined) return rowStart;
      return l === row ? row.valueAt(path) : l.valueAt(path[0] === 'group' ? [] : path);
    },
    keyAt: (path) => {
      const l = pick(path);
      if (l === undefined) return rowStart;
      return l === row ? row.keyAt(path) : l.keyAt(path[0] === 'group' ? [] : path);
    },
  };
}

/** Benchmark items for every member of every trusted group entry. */
export function expandGroupMembers(groups: readonly SectionEntry[], tables: readonly TableText[]): ExpandedMembers {
  const entries: SectionEntry[] = [];
  const problems: Problem[] = [];
  const parsedTables = new Map<string, ParsedTable>();
  for (const g of groups) {
    if (!g.trusted || !isMapping(g.value)) continue;
    const groupId = typeof g.value.id === 'string' ? g.value.id : undefined;
    if (groupId === undefined) continue;
    const defaults = isMapping(g.value.benchmark) ? g.value.benchmark : {};
    const defaultKeys = new Set(Object.keys(defaults).filter((k) => k !== 'id' && k !== 'title' && k !== 'group'));
    for (const k of ['id', 'title', 'group']) {
      if (Object.hasOwn(defaults, k)) {
        problems.push(
          createProblem(
            g.file,
            g.locator.keyAt(['benchmark', k]),
            'schema',
            `group "${groupId}" benchmark: "${k}" cannot be a default; each member has its own ${k === 'group' ? 'group (this one)' : k}`,
          ),
        );
      }
    }
    const add = (
      file: string,
      row: Record<string, unknown>,
      rowLocator: Locator,
      rowStart: Position,
      label: string,
      trusted: boolean,
    ) => {
      const value: Record<string, unknown> = {};
      for (const k of defaultKeys) value[k] = defaults[k];
      for (const [k, v] of Object.entries(row)) value[k] = v;
      value.group = groupId;
      entries.push({
        file,
        section: 'benchmarks',
        value,
        locator: memberLocator(rowLocator, new Set(Object.keys(row)), g.locator, defaultKeys, rowStart),
        trusted,
        fallbackLabel: label,
      });
    };
    const members = g.value.members;
    if (Array.isArray(members)) {
      members.forEach((row: unknown, i) => {
        const locator = scopeLocator(g.locator, ['members', i]);
        if (!isMapping(row)) return; // the group's schema reports it
        add(g.file, row, locator, locator.valueAt([]), `member #${i + 1} of group "${groupId}"`, true);
      });
    }
    const tableName = g.value.table;
    if (typeof tableName !== 'string' || tableName === '') continue;
    const table = tables.find((t) => t.name === tableName);
    if (table === undefined) {
      const names = tables.map((t) => t.name);
      problems.push(
        createProblem(
          g.file,
          g.locator.valueAt(['table']),
          'unreadable',
          `group "${groupId}" names table "${tableName}", but ${TABLES_DIR}/ has no such file${
            names.length === 0 ? ` (${TABLES_DIR}/ is empty or missing)` : ` (it has ${names.join(', ')})`
          }${formatSuggestion(tableName, names)}`,
        ),
      );
      continue;
    }
    let parsed = parsedTables.get(table.name);
    if (parsed === undefined) {
      parsed = parseTable(table);
      parsedTables.set(table.name, parsed);
      problems.push(...parsed.problems);
    }
    for (const r of parsed.rows) {
      add(
        table.file,
        r.value,
        r.locator,
        r.start,
        `member on line ${r.start.line} of ${TABLES_DIR}/${table.name}`,
        parsed.trusted,
      );
    }
  }
  return { entries, problems };
}

interface TableRow {
  readonly value: Record<string, unknown>;
  readonly locator: Locator;
  readonly start: Position;
}

interface ParsedTable {
  readonly rows: readonly TableRow[];
  readonly problems: readonly Problem[];
  /** False when the table has syntax errors: its rows then only define ids. */
  readonly trusted: boolean;
}

function parseTable(t: TableText): ParsedTable {
  const lower = t.name.toLowerCase();
  if (lower.endsWith('.csv')) return parseCsvTable(t);
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return parseYamlTable(t);
  return {
    rows: [],
    problems: [createProblem(t.file, { line: 1, col: 1 }, 'unreadable', `a member table is a .csv or .yaml file, not ${t.name}`)],
    trusted: false,
  };
}

function parseCsvTable(t: TableText): ParsedTable {
  const scan = scanCsv(t.text);
  const problems: Problem[] = scan.errors.map((e) => createProblem(t.file, e, 'syntax', `CSV syntax error: ${e.message}`));
  const [header, ...records] = scan.records;
  if (header === undefined) {
    problems.push(
      createProblem(
        t.file,
        { line: 1, col: 1 },
        'schema',
        `the table is empty; its first line names the columns (${MEMBER_COLUMNS.join(',')})`,
      ),
    );
    return { rows: [], problems, trusted: false };
  }
  const columns: (MemberColumn | undefined)[] = [];
  const seen = new Set<string>();
  for (const field of header.fields) {
    const name = field.value.trim();
    const column = MEMBER_COLUMNS.find((c) => c === name);
    if (column === undefined) {
      const hint = formatSuggestion(name, MEMBER_COLUMNS);
      problems.push(
        createProblem(
          t.file,
          field,
          'schema',
          `unknown column "${name}"${hint}${hint === '' ? `; member tables have the columns ${MEMBER_COLUMNS.join(', ')}` : ''}`,
        ),
      );
    } else if (seen.has(column)) {
      problems.push(createProblem(t.file, field, 'schema', `column "${column}" is given twice`));
    }
    if (column !== undefined) seen.add(column);
    columns.push(column);
  }
  for (const c of REQUIRED_COLUMNS) {
    if (!seen.has(c)) problems.push(createProblem(t.file, { line: header.line, col: 1 }, 'schema', `missing column "${c}"`));
  }
  const rows: TableRow[] = [];
  for (const record of records) {
    const value: Record<string, unknown> = {};
    const cells = new Map<string, Position>();
    record.fields.forEach((field, i) => {
      const column = columns[i];
      const text = field.value.trim();
      if (column === undefined || text === '') return;
      const key = column === 'condition' ? 'conditions' : column;
      value[key] = column === 'condition' ? [text] : text;
      cells.set(key, field);
    });
    const start = { line: record.line, col: 1 };
    const at = (path: Path): Position => cells.get(String(path[0])) ?? start;
    rows.push({ value, locator: { valueAt: at, keyAt: at }, start });
  }
  return { rows, problems, trusted: scan.errors.length === 0 };
}

function parseYamlTable(t: TableText): ParsedTable {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(t.text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const locator = createYamlLocator(doc, lineCounter);
  const problems: Problem[] = doc.errors.map((e) => {
    const pos = lineCounter.linePos(e.pos[0]);
    return createProblem(t.file, { line: pos.line, col: pos.col }, 'syntax', `YAML syntax error: ${e.message.split('\n')[0]}`);
  });
  const value: unknown = doc.toJS();
  const rows: TableRow[] = [];
  if (!Array.isArray(value)) {
    if (problems.length === 0) {
      problems.push(
        createProblem(t.file, locator.valueAt([]), 'schema', 'a YAML member table is a list of rows (items starting with "- ")'),
      );
    }
    return { rows, problems, trusted: false };
  }
  value.forEach((row: unknown, i) => {
    const rowLocator = scopeLocator(locator, [i]);
    if (!isMapping(row)) {
      problems.push(createProblem(t.file, rowLocator.valueAt([]), 'schema', `row #${i + 1} must be a mapping (id, title, …)`));
      return;
    }
    rows.push({ value: row, locator: rowLocator, start: rowLocator.valueAt([]) });
  });
  return { rows, problems, trusted: problems.length === 0 };
}
