/**
 * Evidence that arrives one entry at a time (the HTTP API, the web form), checked by the
 * rules evidence in case files obeys, and converted to `Evidence` the same way.
 *
 * Contract:
 * - `validateEvidenceInput` runs the very code the case-file loader runs for an evidence
 *   item: `validateItem` with `evidenceItemSchema`, then `buildEvidence` and its
 *   `CaseChecker` checks (calendar dates, partial dates, reported ≥ occurred, currency with
 *   an amount, retracted needs supersedes, supersedes neither itself nor unknown, actors of
 *   the case). It adds and drops no rule; an entry valid here builds to the same `Evidence`
 *   (deeply frozen) the loader builds from the same item in a file.
 * - Ids are not checked for uniqueness: an entry may repeat a known id (storing it again is
 *   the ledger's business: identical is unchanged, different is a conflict).
 * - Every problem is returned, in the order the checks find them, each with the
 *   dot-separated path of the value at fault (`sources.0.date`, `actors.1`; `''` for the
 *   entry as a whole; a missing key at the key it should have: `kind`, `sources.0.title`)
 *   and the message `proviso validate` prints for the same mistake in a file. Messages that
 *   name where ids live say "the case" and "the ledger" instead of file names.
 * - Pure: no I/O, no clock. Values are data: nothing is interpreted or escaped.
 *
 * `evidenceFromForm` turns an HTML form submission into the raw item shape and decides
 * nothing: values it cannot convert stay as written, so validation names them.
 */
import type { Case } from '../../core/case-model.ts';
import type { Evidence } from '../../core/evidence.ts';
import type { Problem } from '../../core/problem.ts';
import { checkFindings } from './build-case.ts';
import { buildEvidence } from './build-evidence.ts';
import { CaseChecker, readString, type Valid } from './case-checker.ts';
import { evidenceItemSchema, type RawEvidence } from './case-schema.ts';
import { deepFreeze } from './deep-freeze.ts';
import { getAt, validateItem } from './issues.ts';
import { fixedLocator, type Locator, type Path } from './locator.ts';
import type { ItemEntry } from './parse-files.ts';
import type { Position, ProblemCode } from './problem.ts';

/** A problem with a submitted item: the project's one problem type, placed by `path`. */
export interface EvidenceInputProblem extends Problem {
  /** Dot-separated path into the submitted item: `sources.0.date`, `actors.1`; `''` for the item. */
  readonly path: string;
  /** One of the case-file problem codes (schema, bad-date, unknown-reference, …). */
  readonly code: ProblemCode;
}

export type EvidenceInputResult =
  | { readonly ok: true; readonly evidence: Evidence }
  | { readonly ok: false; readonly problems: EvidenceInputProblem[] };

export interface KnownEvidence {
  /** Ids an entry may supersede: the case's stored entries (and, for a batch, the batch's). */
  readonly ids: Iterable<string> & { has(id: string): boolean };
}

/** "Files" named in messages that say where ids live. */
const INPUT = 'the submitted entry';
const CASE = 'the case';
const LEDGER = 'the ledger';
/** Labels the entry in messages when it has no usable id (a file says `evidence item #3`). */
const FALLBACK_LABEL = 'evidence item';

/**
 * A locator whose positions stand for paths: each path asked for gets a line of its own.
 * Like every locator, it answers a path that does not exist in full with its deepest
 * existing part.
 */
function createPathLocator(value: unknown): { readonly locator: Locator; pathAt(p: Position): Path } {
  const paths: Path[] = [];
  const keys = new Map<string, number>();
  const positionOf = (path: Path): Position => {
    let n = path.length;
    while (n > 0 && getAt(value, path.slice(0, n)) === undefined) n--;
    const found = path.slice(0, n);
    const key = JSON.stringify(found);
    let line = keys.get(key);
    if (line === undefined) {
      paths.push(found);
      line = paths.length;
      keys.set(key, line);
    }
    return { line, col: 1 };
  };
  return {
    locator: { valueAt: positionOf, keyAt: positionOf },
    pathAt: (p) => paths[p.line - 1] ?? [],
  };
}

/** An id defined outside the checked entry: it only defines, never reports. */
function definition(file: string, id: string | undefined): ItemEntry {
  return {
    file,
    value: id === undefined ? {} : { id },
    locator: fixedLocator({ line: 0, col: 0 }),
    // Read from the case and the ledger, both valid: ids defined once each, so nothing to report.
    trusted: true,
    fallbackLabel: '',
  };
}

/** `missing required key "kind" (…)` is reported at the mapping; the path names the key. */
const MISSING_KEY_RE = /: missing required key "([^"]+)"(?: \(.*\))?$/s;

function problemPath(at: Path, message: string, value: unknown): string {
  const missing = MISSING_KEY_RE.exec(message)?.[1];
  const path = missing !== undefined && getAt(value, [...at, missing]) === undefined ? [...at, missing] : at;
  return path.map(String).join('.');
}

/** Checks one submitted evidence item against the case; see the module contract. */
export function validateEvidenceInput(c: Case, raw: unknown, known: KnownEvidence): EvidenceInputResult {
  const ck = new CaseChecker((file) => file);
  for (const actor of c.actors) ck.defineId('actor', definition(CASE, actor.id), 'id', '');
  for (const inst of c.instruments) ck.defineId('instrument', definition(CASE, inst.id), 'id', '');
  for (const b of c.benchmarks) ck.defineId('benchmark', definition(CASE, b.id), 'id', '');
  // The ledger is where evidence ids live, even when it holds none yet. The only reference
  // to evidence is `supersedes`: when it is absent nothing needs defining, when it is known
  // defining it alone is enough (both keep a check cheap against a large ledger); otherwise
  // every id is a candidate suggestion.
  ck.defineId('evidence', definition(LEDGER, undefined), 'id', '');
  const supersedes = readString(raw, 'supersedes');
  const defined = supersedes === undefined ? [] : known.ids.has(supersedes) ? [supersedes] : known.ids;
  for (const id of defined) ck.defineId('evidence', definition(LEDGER, id), 'id', '');

  const { locator, pathAt } = createPathLocator(raw);
  const entry: ItemEntry = { file: INPUT, value: raw, locator, trusted: true, fallbackLabel: FALLBACK_LABEL };
  const id = readString(raw, 'id');
  const label = id === undefined ? FALLBACK_LABEL : `evidence "${id}"`;

  // As the loader validates each trusted item (build-case.ts, validateAll).
  const validation = validateItem(evidenceItemSchema, raw, label, locator);
  for (const m of validation.messages) ck.report(entry, m.position, m.code, m.message);
  const data = validation.data ?? validation.salvaged;
  const item = data === undefined ? [] : [{ entry, data, label } satisfies Valid<RawEvidence>];
  const built = buildEvidence(ck, item);
  checkFindings(ck, item, c.benchmarks);

  const evidence = built[0];
  if (ck.problems.length === 0 && evidence !== undefined) return { ok: true, evidence: deepFreeze(evidence) };
  return {
    ok: false,
    problems: ck.problems.map((p) => ({ code: p.code, path: problemPath(pathAt(p), p.message, raw), message: p.message })),
  };
}

// ---- HTML forms ------------------------------------------------------------------------

const SOURCE_NUMBER_FIELDS: ReadonlySet<string> = new Set(['credibility']);
const QUANTITY_NUMBER_FIELDS: ReadonlySet<string> = new Set(['value', 'of']);
const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const SOURCE_FIELD_RE = /^sources\[(\d+)\]\[([^\]]*)\]$/;
const NESTED_FIELD_RE = /^(occurred|quantity|action|flow|finding)\[([^\]]*)\]$/;

type FormValue = string | readonly string[];
type Scalar = string | readonly string[];

/** A text with surrounding blanks removed; `undefined` when nothing is left. */
function textOf(value: string): string | undefined {
  const t = value.trim();
  return t === '' ? undefined : t;
}

/** The text (or, for a field sent more than once, the texts as a list); `undefined` when empty. */
function scalarOf(value: FormValue): Scalar | undefined {
  if (typeof value === 'string') return textOf(value);
  const texts = value.map(textOf).filter((v): v is string => v !== undefined);
  return texts.length === 0 ? undefined : texts.length === 1 ? texts[0] : texts;
}

/** A number when the text is one; the text otherwise, so validation names it. */
function numberOf(value: Scalar): number | Scalar {
  return typeof value === 'string' && NUMBER_RE.test(value) ? Number(value) : value;
}

/** Items of a repeated or comma-separated field, blanks dropped. */
function listOf(value: FormValue): string[] {
  return (typeof value === 'string' ? [value] : value)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

function checkboxOf(value: Scalar): boolean | Scalar {
  const lower = typeof value === 'string' ? value.toLowerCase() : undefined;
  return lower === 'on' || lower === 'true' ? true : lower === 'off' || lower === 'false' ? false : value;
}

/**
 * The raw evidence item an HTML form submitted, for `validateEvidenceInput`.
 *
 * Fields: `id`, `kind`, `description`, `reported`, `recorded`, `currency`, `supersedes`,
 * `note` (texts; dates too, as the loader checks them as written); `occurred` (a date) or
 * `occurred[from]` and `occurred[to]` (an interval); `amount`, `quantity[value]`,
 * `quantity[of]` (numbers) and `quantity[unit]`; `action[instrument]`, `action[kind]`;
 * `flow[kind]`, `flow[payer]`, `flow[payee]`; `finding[benchmark]`, `finding[grade]`,
 * `finding[assessor]`; `claim`; `actors` (repeated, or comma-separated);
 * `tags` (comma-separated); `retracted` (a checkbox: "on" or "true" is true, "off" or
 * "false" false); `sources[N][publisher|title|date|url|reliability|credibility|origin]`.
 *
 * - Blanks around values are trimmed; empty values are absent. `actors` is always a list
 *   (none chosen: empty).
 * - A number field that is not a number stays text, a field sent more than once stays a
 *   list, and `occurred` given both as a date and as an interval becomes a list of the
 *   two: validation then says what is wrong. Nothing is decided here.
 * - Sources come in the order of N; a source whose fields are all empty (a blank row of the
 *   form) is dropped and the rest are numbered from 0, so problem paths follow the form's
 *   numbering when blank rows come last.
 * - Names starting with `_` (a CSRF token, a submit button) are ignored; any other unknown
 *   name is kept, so validation reports it as an unknown key, as in a file.
 */
export function evidenceFromForm(fields: Readonly<Record<string, FormValue>>): unknown {
  const item = new Map<string, unknown>();
  const sources = new Map<number, Map<string, unknown>>();
  const interval = new Map<string, unknown>();
  const quantity = new Map<string, unknown>();
  const action = new Map<string, unknown>();
  const flow = new Map<string, unknown>();
  const finding = new Map<string, unknown>();
  let occurred: Scalar | undefined;

  for (const [name, value] of Object.entries(fields)) {
    if (name.startsWith('_')) continue;
    const v = scalarOf(value);
    const source = SOURCE_FIELD_RE.exec(name);
    if (source !== null) {
      const index = Number(source[1]);
      const key = source[2] ?? '';
      const target = sources.get(index) ?? new Map<string, unknown>();
      sources.set(index, target);
      if (v !== undefined) target.set(key, SOURCE_NUMBER_FIELDS.has(key) ? numberOf(v) : v);
      continue;
    }
    const nested = NESTED_FIELD_RE.exec(name);
    if (nested !== null) {
      const key = nested[2] ?? '';
      if (v === undefined) continue;
      if (nested[1] === 'occurred') interval.set(key, v);
      else if (nested[1] === 'action') action.set(key, v);
      else if (nested[1] === 'flow') flow.set(key, v);
      else if (nested[1] === 'finding') finding.set(key, v);
      else quantity.set(key, QUANTITY_NUMBER_FIELDS.has(key) ? numberOf(v) : v);
      continue;
    }
    if (name === 'actors') item.set('actors', listOf(value));
    else if (name === 'tags') {
      const tags = listOf(value);
      if (tags.length > 0) item.set('tags', tags);
    } else if (v === undefined) continue;
    else if (name === 'occurred') occurred = v;
    else if (name === 'amount') item.set('amount', numberOf(v));
    else if (name === 'retracted') item.set('retracted', checkboxOf(v));
    else item.set(name, v);
  }

  if (!item.has('actors')) item.set('actors', []);
  const range = interval.size > 0 ? Object.fromEntries(interval) : undefined;
  if (range !== undefined && occurred !== undefined) item.set('occurred', [occurred, range]);
  else if (range !== undefined || occurred !== undefined) item.set('occurred', range ?? occurred);
  if (quantity.size > 0) item.set('quantity', Object.fromEntries(quantity));
  if (action.size > 0) item.set('action', Object.fromEntries(action));
  if (flow.size > 0) item.set('flow', Object.fromEntries(flow));
  if (finding.size > 0) item.set('finding', Object.fromEntries(finding));
  item.set(
    'sources',
    [...sources.entries()]
      .sort(([a], [b]) => a - b)
      .filter(([, s]) => s.size > 0)
      .map(([, s]) => Object.fromEntries(s)),
  );
  // Keys in the schema's order (then any others), so problems come in a reader's order.
  const order = Object.keys(evidenceItemSchema.shape);
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  return Object.fromEntries([...item.entries()].sort(([a], [b]) => rank(a) - rank(b)));
}
