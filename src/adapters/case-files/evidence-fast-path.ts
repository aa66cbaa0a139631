/**
 * A hand-written check of one evidence item that accepts exactly what `evidenceItemSchema`
 * accepts, for the loader's hot loop (a ledger of 100,000 items spent half a second in zod).
 *
 * Contract:
 * - `parseEvidenceFast(value)` returns what `evidenceItemSchema.safeParse(value)` returns
 *   as data (fresh objects and arrays, the same strings and numbers, only the keys given)
 *   when the item is valid, and `undefined` otherwise — also for valid items it does not
 *   handle (a key given as `undefined`). The caller then runs zod, which decides and words
 *   every problem, so messages never depend on this path.
 * - It never accepts an item zod rejects (a property test runs both on valid and broken
 *   items). It checks what the schema checks and nothing more: calendar dates, references
 *   and the rest are the loader's, after validation, on either path.
 */
import { z } from 'zod';
import { CREDIBILITIES, FINDING_GRADES, RELIABILITIES } from '../../core/case-model.ts';
import { ACTION_KINDS, CLAIM_KINDS, FLOW_KINDS } from '../../core/evidence.ts';
import { CURRENCY_PATTERN, EVIDENCE_ID_PATTERN, ID_PATTERN, type RawEvidence } from './case-schema.ts';

type Raw = Record<string, unknown>;

const ITEM_KEYS: ReadonlySet<string> = new Set([
  'id',
  'kind',
  'actors',
  'description',
  'occurred',
  'reported',
  'recorded',
  'amount',
  'currency',
  'quantity',
  'tags',
  'supersedes',
  'retracted',
  'note',
  'action',
  'claim',
  'flow',
  'finding',
  'sources',
]);
const SOURCE_KEYS: ReadonlySet<string> = new Set(['publisher', 'title', 'date', 'url', 'reliability', 'credibility', 'origin']);
const INTERVAL_KEYS: ReadonlySet<string> = new Set(['from', 'to']);
const QUANTITY_KEYS: ReadonlySet<string> = new Set(['value', 'of', 'unit']);
const ACTION_KEYS: ReadonlySet<string> = new Set(['instrument', 'kind']);
const FLOW_KEYS: ReadonlySet<string> = new Set(['kind', 'payer', 'payee']);
const FINDING_KEYS: ReadonlySet<string> = new Set(['benchmark', 'grade', 'assessor']);
const RELIABILITY: ReadonlySet<unknown> = new Set(RELIABILITIES);
const CREDIBILITY: ReadonlySet<unknown> = new Set(CREDIBILITIES);
const GRADE: ReadonlySet<unknown> = new Set(FINDING_GRADES);
const ACTION: ReadonlySet<unknown> = new Set(ACTION_KINDS);
const CLAIM: ReadonlySet<unknown> = new Set(CLAIM_KINDS);
const FLOW: ReadonlySet<unknown> = new Set(FLOW_KINDS);
/** The schema's URL check, whatever its message (a URL is rare enough to leave to zod's own rule). */
const URL_SCHEMA = z.url();

function isRecord(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Whether every key of `v` is one of `keys` and none is given as undefined. Keys are
 * enumerated as zod enumerates them (`for…in`: inherited enumerable keys too).
 */
function onlyKeys(v: Raw, keys: ReadonlySet<string>): boolean {
  for (const k in v) if (!keys.has(k) || v[k] === undefined) return false;
  return true;
}

const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const matches = (v: unknown, re: RegExp): v is string => typeof v === 'string' && re.test(v);
/** `partialDateSchema`: any text (the loader checks the calendar) or a year written as a number. */
const isPartialDate = (v: unknown): v is string | number =>
  typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v) && v >= 1000 && v <= 9999);

function textList(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  for (const x of v) if (!isText(x)) return undefined;
  return v.slice();
}

function source(v: unknown): Raw | undefined {
  if (!isRecord(v) || !onlyKeys(v, SOURCE_KEYS)) return undefined;
  const { publisher, title, date, url, reliability, credibility, origin } = v;
  if (!isText(publisher) || !isText(title) || !isPartialDate(date)) return undefined;
  if (!RELIABILITY.has(reliability) || !CREDIBILITY.has(credibility)) return undefined;
  if (url !== undefined && !URL_SCHEMA.safeParse(url).success) return undefined;
  if (origin !== undefined && !isText(origin)) return undefined;
  return {
    publisher,
    title,
    date,
    ...(url === undefined ? {} : { url }),
    reliability,
    credibility,
    ...(origin === undefined ? {} : { origin }),
  };
}

/** The item as `evidenceItemSchema` outputs it, or undefined (see the module contract). */
export function parseEvidenceFast(value: unknown): RawEvidence | undefined {
  if (!isRecord(value) || !onlyKeys(value, ITEM_KEYS)) return undefined;
  const v = value;
  const out: Raw = {};
  if (!matches(v.id, EVIDENCE_ID_PATTERN) || !isText(v.kind) || !isText(v.description)) return undefined;
  out.id = v.id;
  out.kind = v.kind;
  if (!Array.isArray(v.actors)) return undefined;
  for (const a of v.actors) if (!matches(a, ID_PATTERN)) return undefined;
  out.actors = v.actors.slice();
  out.description = v.description;
  const occurred = v.occurred;
  if (isPartialDate(occurred)) out.occurred = occurred;
  else if (isRecord(occurred) && onlyKeys(occurred, INTERVAL_KEYS) && isPartialDate(occurred.from) && isPartialDate(occurred.to))
    out.occurred = { from: occurred.from, to: occurred.to };
  else return undefined;
  if (!isPartialDate(v.reported) || typeof v.recorded !== 'string') return undefined;
  out.reported = v.reported;
  out.recorded = v.recorded;
  if (v.amount !== undefined) {
    if (!isNumber(v.amount)) return undefined;
    out.amount = v.amount;
  }
  if (v.currency !== undefined) {
    if (!matches(v.currency, CURRENCY_PATTERN)) return undefined;
    out.currency = v.currency;
  }
  if (v.quantity !== undefined) {
    const q = v.quantity;
    if (!isRecord(q) || !onlyKeys(q, QUANTITY_KEYS) || !isNumber(q.value)) return undefined;
    if (q.of !== undefined && !isNumber(q.of)) return undefined;
    if (q.unit !== undefined && !isText(q.unit)) return undefined;
    out.quantity = {
      value: q.value,
      ...(q.of === undefined ? {} : { of: q.of }),
      ...(q.unit === undefined ? {} : { unit: q.unit }),
    };
  }
  if (v.tags !== undefined) {
    const tags = textList(v.tags);
    if (tags === undefined) return undefined;
    out.tags = tags;
  }
  if (v.supersedes !== undefined) {
    if (!matches(v.supersedes, EVIDENCE_ID_PATTERN)) return undefined;
    out.supersedes = v.supersedes;
  }
  if (v.retracted !== undefined) {
    if (typeof v.retracted !== 'boolean') return undefined;
    out.retracted = v.retracted;
  }
  if (v.note !== undefined) {
    if (!isText(v.note)) return undefined;
    out.note = v.note;
  }
  if (v.action !== undefined) {
    const a = v.action;
    if (!isRecord(a) || !onlyKeys(a, ACTION_KEYS) || !matches(a.instrument, ID_PATTERN) || !ACTION.has(a.kind)) return undefined;
    out.action = { instrument: a.instrument, kind: a.kind };
  }
  if (v.claim !== undefined) {
    if (!CLAIM.has(v.claim)) return undefined;
    out.claim = v.claim;
  }
  if (v.flow !== undefined) {
    const f = v.flow;
    if (!isRecord(f) || !onlyKeys(f, FLOW_KEYS) || !FLOW.has(f.kind)) return undefined;
    if (!matches(f.payer, ID_PATTERN) || !matches(f.payee, ID_PATTERN)) return undefined;
    out.flow = { kind: f.kind, payer: f.payer, payee: f.payee };
  }
  if (v.finding !== undefined) {
    const f = v.finding;
    if (!isRecord(f) || !onlyKeys(f, FINDING_KEYS) || !matches(f.benchmark, ID_PATTERN) || !GRADE.has(f.grade)) return undefined;
    if (!isText(f.assessor)) return undefined;
    out.finding = { benchmark: f.benchmark, grade: f.grade, assessor: f.assessor };
  }
  if (!Array.isArray(v.sources) || v.sources.length === 0) return undefined;
  const sources: Raw[] = [];
  for (const s of v.sources) {
    const checked = source(s);
    if (checked === undefined) return undefined;
    sources.push(checked);
  }
  out.sources = sources;
  return out as RawEvidence;
}
