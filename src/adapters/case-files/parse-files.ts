/**
 * From file text to located raw items: the syntax layer of the case-files adapter.
 *
 * Contract:
 * - Pure: text in, entries and problems out.
 * - Every item comes with a locator, so later checks can point at any of its fields.
 * - A file with syntax errors still yields what could be read, marked `trusted: false`
 *   (load-case.ts reports only syntax problems while any file has them).
 * - A YAML syntax problem is reported once per cause, at the line to change, in words
 *   about the layout (a missing `- `, a line indented too deep or too shallow, a tab), not
 *   the parser's consequences; the parser prints nothing (no Node warnings).
 */
import { type Document, isScalar, LineCounter, parseDocument, visit, type YAMLError } from 'yaml';
import { SECTION_NAMES, type SectionName } from './case-schema.ts';
import { type CsvField, scanCsv } from './csv-scan.ts';
import { createYamlLocator, fixedLocator, type Locator, lazyLocator, type Path, scopeLocator } from './locator.ts';
import type { Position, Problem, ProblemCode } from './problem.ts';
import { formatSuggestion } from './suggest.ts';

export interface ItemEntry {
  /** File as shown in problems: `path.join(dir, name)`. */
  readonly file: string;
  readonly value: unknown;
  /** Positions of the item's fields; paths are relative to the item. */
  readonly locator: Locator;
  /** False when the file has syntax errors: the item only resolves references. */
  readonly trusted: boolean;
  /** Names the item in messages when it has no usable id (`actor #3`, `evidence item on line 5`). */
  readonly fallbackLabel: string;
}

export interface SectionEntry extends ItemEntry {
  readonly section: SectionName;
}

export interface ParsedFile<E extends ItemEntry> {
  readonly entries: readonly E[];
  readonly problems: readonly Problem[];
}

export function createProblem(file: string, at: Position, code: ProblemCode, message: string): Problem {
  return { file, line: at.line, col: at.col, code, message };
}

function parseYaml(text: string): { doc: Document; lineCounter: LineCounter; locator: Locator } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, logLevel: 'error' });
  return { doc, lineCounter, locator: createYamlLocator(doc, lineCounter) };
}

/**
 * The file's YAML syntax problems, one per cause: every mapping with a repeated key once
 * (a repeated first key is a list item missing its `- `); otherwise the parser's first
 * error, explained — what follows it is read from a wrong layout and would only repeat it.
 */
function describeYamlErrors(file: string, doc: Document, lineCounter: LineCounter, text: string): Problem[] {
  if (doc.errors.length === 0) return [];
  if (doc.errors.every((e) => e.code === 'DUPLICATE_KEY')) return repeatedKeyProblems(file, doc, lineCounter);
  const first = doc.errors[0] as YAMLError;
  const at = lineCounter.linePos(first.pos[0]);
  return [explainYamlError(file, first, at, text.split(/\r\n|\r|\n/))];
}

const indentOf = (line: string): number => /^ */.exec(line)?.[0].length ?? 0;
/** Where a line's key starts: its indentation, counting a leading `- ` as indentation. */
const keyIndentOf = (line: string): number => indentOf(line.replace(/^(\s*)- /, '$1  '));
const keyOf = (line: string): string | undefined => /^\s*(?:-\s+)?([^\s:#][^:#]*?)\s*:(?:\s|$)/.exec(line)?.[1];

function explainYamlError(file: string, e: YAMLError, at: Position, lines: readonly string[]): Problem {
  const text = (n: number): string => lines[n - 1] ?? '';
  const previousKeyLine = (n: number): number | undefined => {
    for (let i = n - 1; i >= 1; i--) if (text(i).trim() !== '' && !text(i).trimStart().startsWith('#')) return i;
    return undefined;
  };
  if (e.code === 'TAB_AS_INDENT') {
    let line = at.line;
    for (let i = Math.max(1, at.line - 1); i <= at.line + 1; i++) if (/^ *\t/.test(text(i))) line = i;
    const above = previousKeyLine(line);
    const like =
      above === undefined
        ? ''
        : ` (${keyIndentOf(text(above))} to align with the keys of line ${above}, more for a nested value)`;
    return createProblem(
      file,
      { line, col: 1 },
      'syntax',
      `line ${line} is indented with a tab: YAML indents with spaces only; replace the tab with spaces${like}`,
    );
  }
  if (e.code === 'MISSING_CHAR' && /Sequence item without - indicator/.test(e.message)) {
    const above = previousKeyLine(at.line);
    const want = above === undefined ? undefined : keyIndentOf(text(above));
    const key = keyOf(text(at.line));
    return createProblem(
      file,
      { line: at.line, col: 1 },
      'syntax',
      `line ${at.line}${key === undefined ? '' : ` (\`${key}\`)`} is indented ${indentOf(text(at.line))} spaces, less than the keys above it` +
        `${want === undefined ? '' : ` (${want})`}: indent it like them, or start a new list item with \`- \``,
    );
  }
  if (e.code === 'BLOCK_AS_IMPLICIT_KEY' || e.code === 'MULTILINE_IMPLICIT_KEY') {
    // A key line followed by a line indented deeper: YAML reads the deeper line as part of
    // the key's value, which cannot hold a mapping there. The line to change is the deeper one.
    const base = indentOf(text(at.line));
    for (let i = at.line + 1; i <= Math.min(lines.length, at.line + 3); i++) {
      if (text(i).trim() === '') continue;
      if (indentOf(text(i)) > base && keyOf(text(i)) !== undefined) {
        const key = keyOf(text(at.line));
        return createProblem(
          file,
          { line: i, col: indentOf(text(i)) + 1 },
          'syntax',
          `line ${i} (\`${keyOf(text(i))}\`) is indented ${indentOf(text(i))} spaces, deeper than ${key === undefined ? `line ${at.line}` : `\`${key}\` on line ${at.line}`} (${base}): ` +
            'keys of one mapping take the same indentation; a nested mapping needs its parent key with nothing after the colon',
        );
      }
      break;
    }
  }
  const firstLine = (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, '');
  return createProblem(file, at, 'syntax', `YAML syntax error: ${firstLine}`);
}

/** One problem per mapping that repeats a key: where it repeats, and what to write. */
function repeatedKeyProblems(file: string, doc: Document, lineCounter: LineCounter): Problem[] {
  const problems: Problem[] = [];
  visit(doc, {
    Map(_key, map) {
      const seen = new Map<string, number>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const name = String(pair.key.value);
        const offset = pair.key.range?.[0] ?? 0;
        const firstOffset = seen.get(name);
        if (firstOffset === undefined) {
          seen.set(name, offset);
          continue;
        }
        const at = lineCounter.linePos(offset);
        const firstLine = lineCounter.linePos(firstOffset).line;
        const startsItem = map.items[0] !== undefined && isScalar(map.items[0].key) && String(map.items[0].key.value) === name;
        problems.push(
          createProblem(
            file,
            at,
            'syntax',
            startsItem
              ? `\`${name}\` on line ${at.line} starts a new list item but has no \`- \`: write \`- ${name}: …\` like line ${firstLine} (without it, its keys repeat those of the item above)`
              : `key \`${name}\` appears twice in one mapping (first on line ${firstLine}): remove or rename one`,
          ),
        );
        return;
      }
    },
  });
  return problems;
}

function toJs(doc: Document): unknown {
  try {
    return doc.toJS({ maxAliasCount: 1000 });
  } catch {
    return null;
  }
}

function describeKind(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return JSON.stringify(value);
}

function singular(section: SectionName): string {
  if (section === 'issueAreas') return 'issue area';
  return section === 'case' ? 'case' : section.replace(/s$/, '');
}

/** A top-level case file: a mapping of sections, each a list of items (`case`: one mapping). */
export function parseCaseFile(file: string, text: string): ParsedFile<SectionEntry> {
  const { doc, lineCounter, locator } = parseYaml(text);
  const problems = describeYamlErrors(file, doc, lineCounter, text);
  const trusted = problems.length === 0;
  const entries: SectionEntry[] = [];
  const value = toJs(doc);
  if (value === null || value === undefined) return { entries, problems };
  if (typeof value !== 'object' || Array.isArray(value)) {
    if (trusted) {
      problems.push(
        createProblem(
          file,
          locator.valueAt([]),
          'schema',
          `a case file must be a mapping of sections (${SECTION_NAMES.join(', ')}), got ${describeKind(value)}`,
        ),
      );
    }
    return { entries, problems };
  }
  for (const [key, sectionValue] of Object.entries(value)) {
    const section = SECTION_NAMES.find((s) => s === key);
    if (section === undefined) {
      if (trusted) {
        const hint = formatSuggestion(key, SECTION_NAMES);
        problems.push(
          createProblem(
            file,
            locator.keyAt([key]),
            'schema',
            `unknown section "${key}"${hint}${hint === '' ? `; sections are ${SECTION_NAMES.join(', ')}` : ''}`,
          ),
        );
      }
      continue;
    }
    if (section === 'case') {
      entries.push({
        file,
        section,
        value: sectionValue,
        locator: scopeLocator(locator, ['case']),
        trusted,
        fallbackLabel: 'case',
      });
      continue;
    }
    if (!Array.isArray(sectionValue)) {
      if (trusted) {
        problems.push(
          createProblem(
            file,
            locator.valueAt([key]),
            'schema',
            `section "${key}" must be a list of ${key} (items starting with "- "), got ${describeKind(sectionValue)}`,
          ),
        );
      }
      continue;
    }
    sectionValue.forEach((item: unknown, index) => {
      entries.push({
        file,
        section,
        value: item,
        locator: scopeLocator(locator, [key, index]),
        trusted,
        fallbackLabel: `${singular(section)} #${index + 1}`,
      });
    });
  }
  return { entries, problems };
}

// ---- Evidence --------------------------------------------------------------------------

export const EVIDENCE_EXTENSIONS = ['.yaml', '.yml', '.jsonl', '.csv'] as const;

/** One evidence file; the format follows the extension of `name`. */
export function parseEvidenceFile(file: string, name: string, text: string): ParsedFile<ItemEntry> {
  const lower = name.toLowerCase();
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return parseEvidenceYaml(file, text);
  if (lower.endsWith('.jsonl')) return parseEvidenceJsonl(file, text);
  if (lower.endsWith('.csv')) return parseEvidenceCsv(file, text);
  return {
    entries: [],
    problems: [
      createProblem(
        file,
        { line: 1, col: 1 },
        'unreadable',
        `evidence/ holds only evidence files (${EVIDENCE_EXTENSIONS.join(', ')}); move or rename this file`,
      ),
    ],
  };
}

function parseEvidenceYaml(file: string, text: string): ParsedFile<ItemEntry> {
  const { doc, lineCounter, locator } = parseYaml(text);
  const problems = describeYamlErrors(file, doc, lineCounter, text);
  const trusted = problems.length === 0;
  const value = toJs(doc);
  const entries: ItemEntry[] = [];
  if (value === null || value === undefined) return { entries, problems };
  let items: unknown;
  let prefix: Path;
  if (Array.isArray(value)) {
    items = value;
    prefix = [];
  } else if (typeof value === 'object' && Object.hasOwn(value, 'evidence')) {
    items = (value as Record<string, unknown>).evidence;
    prefix = ['evidence'];
    for (const key of Object.keys(value)) {
      if (key !== 'evidence' && trusted) {
        problems.push(
          createProblem(
            file,
            locator.keyAt([key]),
            'schema',
            `unknown key "${key}": an evidence file is a list of items, or a mapping whose only key is "evidence"`,
          ),
        );
      }
    }
  } else {
    if (trusted) {
      problems.push(
        createProblem(
          file,
          locator.valueAt([]),
          'schema',
          `an evidence file must be a list of evidence items (or a mapping with the key "evidence"), got ${describeKind(value)}`,
        ),
      );
    }
    return { entries, problems };
  }
  if (!Array.isArray(items)) {
    if (trusted) {
      problems.push(
        createProblem(
          file,
          locator.valueAt(prefix),
          'schema',
          `"evidence" must be a list of evidence items, got ${describeKind(items)}`,
        ),
      );
    }
    return { entries, problems };
  }
  items.forEach((item: unknown, index) => {
    entries.push({
      file,
      value: item,
      locator: scopeLocator(locator, [...prefix, index]),
      trusted,
      fallbackLabel: `evidence item #${index + 1}`,
    });
  });
  return { entries, problems };
}

function parseEvidenceJsonl(file: string, text: string): ParsedFile<ItemEntry> {
  const problems: Problem[] = [];
  const entries: ItemEntry[] = [];
  const body = text.replace(/^\uFEFF/, '');
  // The same lines either way; splitting at one character is much the faster.
  const lines = body.includes('\r') ? body.split(/\r\n|\n|\r/) : body.split('\n');
  lines.forEach((lineText, index) => {
    const line = index + 1;
    if (lineText.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(lineText);
    } catch (err) {
      const message = (err as Error).message;
      const column = /column (\d+)/.exec(message)?.[1];
      const position = /position (\d+)/.exec(message)?.[1];
      const col = column !== undefined ? Number(column) : position !== undefined ? Number(position) + 1 : 1;
      problems.push(
        createProblem(
          file,
          { line, col },
          'syntax',
          `invalid JSON: ${message}; each line of a .jsonl file must be one JSON object`,
        ),
      );
      return;
    }
    entries.push({
      file,
      value,
      // Positions only when a problem is reported: most lines have none.
      locator: lazyLocator(() => locateJsonLine(lineText, line)),
      trusted: true,
      fallbackLabel: `evidence item on line ${line}`,
    });
  });
  return { entries, problems };
}

/** JSON is YAML: the YAML parser gives positions of keys and values within the line. */
function locateJsonLine(lineText: string, line: number): Locator {
  const lineCounter = new LineCounter();
  const doc = parseDocument(lineText, { lineCounter, prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length > 0) return fixedLocator({ line, col: 1 });
  return createYamlLocator(doc, lineCounter, line - 1);
}

// ---- CSV -------------------------------------------------------------------------------

export const CSV_COLUMNS = [
  'id',
  'kind',
  'actors',
  'description',
  'occurred',
  'occurred_to',
  'reported',
  'recorded',
  'amount',
  'currency',
  'value',
  'of',
  'unit',
  'tags',
  'supersedes',
  'retracted',
  'note',
  'action_instrument',
  'action_kind',
  'claim',
  'flow_kind',
  'flow_payer',
  'flow_payee',
  'finding_benchmark',
  'finding_grade',
  'finding_assessor',
  'source_publisher',
  'source_title',
  'source_date',
  'source_url',
  'source_reliability',
  'source_credibility',
  'source_origin',
] as const;
type CsvColumn = (typeof CSV_COLUMNS)[number];

/** Columns every CSV evidence file must have (the item's required fields). */
const REQUIRED_CSV_COLUMNS: readonly CsvColumn[] = ['id', 'kind', 'actors', 'description', 'occurred', 'reported', 'recorded'];
const ITEM_COLUMNS = CSV_COLUMNS.filter((c) => !c.startsWith('source_'));
const SOURCE_COLUMNS = CSV_COLUMNS.filter((c) => c.startsWith('source_'));

type CsvRow = { readonly line: number; readonly cells: ReadonlyMap<CsvColumn, CsvField> };

function readCell(row: CsvRow, column: CsvColumn): string | undefined {
  const v = row.cells.get(column)?.value.trim();
  return v === undefined || v === '' ? undefined : v;
}

const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A number when the cell is numeric; the text otherwise, so validation names it. */
function readNumber(text: string): number | string {
  return NUMBER_RE.test(text) ? Number(text) : text;
}

function readList(text: string | undefined): string[] {
  return text === undefined
    ? []
    : text
        .split(';')
        .map((s) => s.trim())
        .filter((s) => s !== '');
}

function parseEvidenceCsv(file: string, text: string): ParsedFile<ItemEntry> {
  const scan = scanCsv(text);
  const problems: Problem[] = scan.errors.map((e) => createProblem(file, e, 'syntax', `CSV syntax error: ${e.message}`));
  const entries: ItemEntry[] = [];
  const [header, ...records] = scan.records;
  if (header === undefined) return { entries, problems };

  const columns: (CsvColumn | undefined)[] = [];
  const seen = new Set<string>();
  for (const field of header.fields) {
    const name = field.value.trim();
    const column = CSV_COLUMNS.find((c) => c === name);
    if (column === undefined) {
      const hint = formatSuggestion(name, CSV_COLUMNS);
      problems.push(
        createProblem(
          file,
          field,
          'schema',
          `unknown column "${name}"${hint}${hint === '' ? `; columns are ${CSV_COLUMNS.join(',')}` : ''}`,
        ),
      );
    } else if (seen.has(column)) {
      problems.push(createProblem(file, field, 'schema', `column "${column}" appears twice in the header; keep one`));
    }
    seen.add(name);
    columns.push(column !== undefined && columns.includes(column) ? undefined : column);
  }
  const missing = REQUIRED_CSV_COLUMNS.filter((c) => !columns.includes(c));
  // Without the item's required columns every row would repeat the same problem: read the
  // rows for their ids only.
  const trusted = missing.length === 0;
  if (!trusted) {
    problems.push(
      createProblem(
        file,
        { line: header.line, col: 1 },
        'schema',
        `the header lacks the column(s) ${missing.map((c) => `"${c}"`).join(', ')}; the first row must name the columns (${CSV_COLUMNS.join(',')})`,
      ),
    );
  }

  // Rows with the same id are one item: the first row gives its fields, each row a source.
  const groups = new Map<string, CsvRow[]>();
  for (const record of records) {
    if (record.fields.length !== header.fields.length && trusted) {
      problems.push(
        createProblem(
          file,
          { line: record.line, col: 1 },
          'syntax',
          `this row has ${record.fields.length} fields but the header has ${header.fields.length}; ${
            record.fields.length > header.fields.length
              ? 'put fields that contain commas in double quotes'
              : 'give every column a field, leaving it empty between commas when there is no value'
          }`,
        ),
      );
      continue;
    }
    const cells = new Map<CsvColumn, CsvField>();
    record.fields.forEach((field, index) => {
      const column = columns[index];
      if (column !== undefined) cells.set(column, field);
    });
    const row: CsvRow = { line: record.line, cells };
    const key = readCell(row, 'id') ?? `\u0000line ${record.line}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [row]);
    else group.push(row);
  }

  for (const rows of groups.values()) {
    const [first, ...rest] = rows;
    if (first === undefined) continue;
    for (const row of trusted ? rest : []) {
      for (const column of ITEM_COLUMNS) {
        const mine = readCell(row, column);
        const theirs = readCell(first, column);
        if (mine !== undefined && mine !== theirs) {
          const cell = row.cells.get(column) ?? { line: row.line, col: 1 };
          problems.push(
            createProblem(
              file,
              cell,
              'inconsistent',
              `evidence "${readCell(first, 'id') ?? ''}" ${column}: this extra source row says ${JSON.stringify(mine)} but line ${first.line} says ${JSON.stringify(theirs ?? '')}; leave item columns empty on extra source rows`,
            ),
          );
        }
      }
    }
    entries.push({
      file,
      value: buildCsvItem(first, rows),
      locator: locateCsvItem(first, rows),
      trusted,
      fallbackLabel: `evidence item on line ${first.line}`,
    });
  }
  return { entries, problems };
}

function buildCsvItem(first: CsvRow, rows: readonly CsvRow[]): Record<string, unknown> {
  const item: Record<string, unknown> = {};
  const setText = (key: string, column: CsvColumn): void => {
    const v = readCell(first, column);
    if (v !== undefined) item[key] = v;
  };
  setText('id', 'id');
  setText('kind', 'kind');
  item.actors = readList(readCell(first, 'actors'));
  setText('description', 'description');
  const occurred = readCell(first, 'occurred');
  const occurredTo = readCell(first, 'occurred_to');
  if (occurredTo !== undefined) item.occurred = { ...(occurred === undefined ? {} : { from: occurred }), to: occurredTo };
  else if (occurred !== undefined) item.occurred = occurred;
  setText('reported', 'reported');
  setText('recorded', 'recorded');
  const amount = readCell(first, 'amount');
  if (amount !== undefined) item.amount = readNumber(amount);
  setText('currency', 'currency');
  const value = readCell(first, 'value');
  const of = readCell(first, 'of');
  const unit = readCell(first, 'unit');
  if (value !== undefined || of !== undefined || unit !== undefined) {
    item.quantity = {
      ...(value === undefined ? {} : { value: readNumber(value) }),
      ...(of === undefined ? {} : { of: readNumber(of) }),
      ...(unit === undefined ? {} : { unit }),
    };
  }
  const tags = readCell(first, 'tags');
  if (tags !== undefined) item.tags = readList(tags);
  setText('supersedes', 'supersedes');
  const retracted = readCell(first, 'retracted');
  if (retracted !== undefined) {
    const lower = retracted.toLowerCase();
    item.retracted = lower === 'true' ? true : lower === 'false' ? false : retracted;
  }
  setText('note', 'note');
  const actionInstrument = readCell(first, 'action_instrument');
  const actionKind = readCell(first, 'action_kind');
  if (actionInstrument !== undefined || actionKind !== undefined) {
    item.action = {
      ...(actionInstrument === undefined ? {} : { instrument: actionInstrument }),
      ...(actionKind === undefined ? {} : { kind: actionKind }),
    };
  }
  setText('claim', 'claim');
  const flowKind = readCell(first, 'flow_kind');
  const flowPayer = readCell(first, 'flow_payer');
  const flowPayee = readCell(first, 'flow_payee');
  if (flowKind !== undefined || flowPayer !== undefined || flowPayee !== undefined) {
    item.flow = {
      ...(flowKind === undefined ? {} : { kind: flowKind }),
      ...(flowPayer === undefined ? {} : { payer: flowPayer }),
      ...(flowPayee === undefined ? {} : { payee: flowPayee }),
    };
  }
  const findingBenchmark = readCell(first, 'finding_benchmark');
  const findingGrade = readCell(first, 'finding_grade');
  const findingAssessor = readCell(first, 'finding_assessor');
  if (findingBenchmark !== undefined || findingGrade !== undefined || findingAssessor !== undefined) {
    item.finding = {
      ...(findingBenchmark === undefined ? {} : { benchmark: findingBenchmark }),
      ...(findingGrade === undefined ? {} : { grade: findingGrade }),
      ...(findingAssessor === undefined ? {} : { assessor: findingAssessor }),
    };
  }
  item.sources = rows.filter((row) => SOURCE_COLUMNS.some((c) => readCell(row, c) !== undefined)).map(buildCsvSource);
  return item;
}

function buildCsvSource(row: CsvRow): Record<string, unknown> {
  const source: Record<string, unknown> = {};
  for (const column of SOURCE_COLUMNS) {
    const v = readCell(row, column);
    if (v === undefined) continue;
    const key = column.slice('source_'.length);
    source[key] = key === 'credibility' ? readNumber(v) : v;
  }
  return source;
}

/** Maps item paths to cells: `sources[k].x` to column `source_x` of the k-th source row. */
function locateCsvItem(first: CsvRow, rows: readonly CsvRow[]): Locator {
  const sourceRows = rows.filter((row) => SOURCE_COLUMNS.some((c) => readCell(row, c) !== undefined));
  const cellAt = (row: CsvRow, column: CsvColumn): Position => row.cells.get(column) ?? { line: row.line, col: 1 };
  const valueAt = (path: Path): Position => {
    const [head, second, third] = path;
    switch (head) {
      case undefined:
        return { line: first.line, col: 1 };
      case 'occurred':
        return cellAt(first, second === 'to' ? 'occurred_to' : 'occurred');
      case 'quantity':
        return cellAt(first, second === 'of' ? 'of' : second === 'unit' ? 'unit' : 'value');
      case 'action':
        return cellAt(first, second === 'kind' ? 'action_kind' : 'action_instrument');
      case 'flow':
        return cellAt(first, second === 'payer' ? 'flow_payer' : second === 'payee' ? 'flow_payee' : 'flow_kind');
      case 'finding':
        return cellAt(
          first,
          second === 'grade' ? 'finding_grade' : second === 'assessor' ? 'finding_assessor' : 'finding_benchmark',
        );
      case 'sources': {
        const row = typeof second === 'number' ? (sourceRows[second] ?? first) : first;
        const column = SOURCE_COLUMNS.find((c) => c === `source_${String(third)}`) ?? 'source_publisher';
        return cellAt(row, column);
      }
      default: {
        const column = CSV_COLUMNS.find((c) => c === head);
        return column === undefined ? { line: first.line, col: 1 } : cellAt(first, column);
      }
    }
  };
  return { valueAt, keyAt: valueAt };
}
