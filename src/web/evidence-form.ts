/**
 * The evidence form as data, shared by the server-rendered page and the browser script:
 * field names, reading a submission back into values (to re-render what the user typed),
 * the checks the script runs before submitting, and which control an error path belongs to.
 *
 * Contracts:
 * - Field names are those `evidenceFromForm` (src/adapters/case-files/validate-evidence-input.ts)
 *   reads: `id`, `kind`, `actors` (repeated), `description`, `occurred` (one date) or
 *   `occurred[from]` + `occurred[to]` (an interval), `reported`, `amount`, `currency`,
 *   `quantity[value|of|unit]`, `tags` (comma-separated), `supersedes`, `retracted` (a
 *   checkbox), `note`, `sources[N][publisher|title|date|url|reliability|credibility|origin]`.
 *   `recorded` is not a field: the server sets it to its today.
 * - `readEvidenceForm` reads sources as `evidenceFromForm` does: in the order of N, blank
 *   ones dropped, the rest numbered from 0, so the server's error paths (`sources.1.date`)
 *   index the values read here.
 * - `checkEvidenceForm` mirrors `validateEvidenceInput`: the same paths and the same words
 *   for the mistakes it can see without the ledger (missing fields, malformed or impossible
 *   dates, an interval or a report out of order, numbers, currency, grades, URLs, retraction
 *   without supersedes). The server stays the authority; it also checks what needs the case
 *   and the ledger (unknown actors, unknown `supersedes`). Where the server's schema check
 *   stops it before its date checks, this may report more at once, never different words.
 * - Pure, with no dependency but the core's date rules, so the browser bundle can import it.
 */
import { firstDayOf, lastDayOf, partialDateProblem } from '../core/dates.ts';
import type { FieldError, SubmittedForm } from './form-fields.ts';

export interface EvidenceSourceFormValues {
  readonly publisher: string;
  readonly title: string;
  readonly date: string;
  readonly url: string;
  /** "A"…"F" when chosen; otherwise what was sent ("" for none). */
  readonly reliability: string;
  /** "1"…"6" when chosen; otherwise what was sent ("" for none). */
  readonly credibility: string;
  readonly origin: string;
}

/** Every value as text (trimmed), as the user gave it. */
export interface EvidenceFormValues {
  readonly id: string;
  readonly kind: string;
  readonly actors: readonly string[];
  readonly description: string;
  /** A single date (year, month or day). */
  readonly occurred: string;
  /** The first and last day of an interval (used instead of `occurred`). */
  readonly occurredFrom: string;
  readonly occurredTo: string;
  readonly reported: string;
  readonly amount: string;
  readonly currency: string;
  readonly quantityValue: string;
  readonly quantityOf: string;
  readonly quantityUnit: string;
  /** Comma-separated. */
  readonly tags: string;
  readonly supersedes: string;
  readonly retracted: boolean;
  readonly note: string;
  readonly sources: readonly EvidenceSourceFormValues[];
}

/** The control name of each value. */
export const EVIDENCE_FIELDS = {
  id: 'id',
  kind: 'kind',
  actors: 'actors',
  description: 'description',
  occurred: 'occurred',
  occurredFrom: 'occurred[from]',
  occurredTo: 'occurred[to]',
  reported: 'reported',
  amount: 'amount',
  currency: 'currency',
  quantityValue: 'quantity[value]',
  quantityOf: 'quantity[of]',
  quantityUnit: 'quantity[unit]',
  tags: 'tags',
  supersedes: 'supersedes',
  retracted: 'retracted',
  note: 'note',
} as const satisfies Record<Exclude<keyof EvidenceFormValues, 'sources'>, string>;

export const SOURCE_FIELDS = ['publisher', 'title', 'date', 'url', 'reliability', 'credibility', 'origin'] as const;
export type SourceField = (typeof SOURCE_FIELDS)[number];

/** The name under which problems with the list of sources as a whole are shown. */
export const SOURCES_GROUP = 'sources';

export const RELIABILITY_GRADES = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export const CREDIBILITY_GRADES = ['1', '2', '3', '4', '5', '6'] as const;

/** As `EVIDENCE_ID_PATTERN` and `CURRENCY_PATTERN` in case-schema.ts (a test keeps them equal). */
export const FORM_EVIDENCE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
export const FORM_CURRENCY_PATTERN = /^[A-Z]{3}$/;
/** As `NUMBER_RE` in validate-evidence-input.ts: what the server turns into a number. */
const NUMBER_PATTERN = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export function sourceFieldName(index: number, field: SourceField): string {
  return `sources[${index}][${field}]`;
}

export const FIELD_LABELS: Readonly<Record<string, string>> = {
  id: 'Id',
  kind: 'Kind',
  actors: 'Actors',
  description: 'Description',
  occurred: 'On (a single date)',
  'occurred[from]': 'From (first day of an interval)',
  'occurred[to]': 'To (last day of an interval)',
  reported: 'Reported',
  amount: 'Amount',
  currency: 'Currency',
  'quantity[value]': 'Quantity',
  'quantity[of]': 'Out of',
  'quantity[unit]': 'Unit',
  tags: 'Tags',
  supersedes: 'Supersedes (the entry this one corrects)',
  retracted: 'Retract the superseded entry',
  note: 'Note',
  sources: 'Sources',
};

export const SOURCE_LABELS: Readonly<Record<SourceField, string>> = {
  publisher: 'Publisher',
  title: 'Title',
  date: 'Date',
  url: 'Link',
  reliability: 'Source reliability',
  credibility: 'Information credibility',
  origin: 'Origin (shared by copies of one report)',
};

/** `Object.hasOwn`, spelled so that older browsers (the bundle targets ES2020) have it. */
function hasOwn(o: object, key: string): boolean {
  return Object.hasOwn(o, key);
}

const SOURCE_NAME_RE = /^sources\[(\d+)\]\[([^\]]*)\]$/;

/** A control's label for the error summary ("Source 2: Date"). */
export function fieldLabel(name: string): string {
  const m = SOURCE_NAME_RE.exec(name);
  if (m !== null) {
    const field = m[2] ?? '';
    const label = hasOwn(SOURCE_LABELS, field) ? SOURCE_LABELS[field as SourceField] : field;
    return `Source ${Number(m[1]) + 1}: ${label}`;
  }
  return hasOwn(FIELD_LABELS, name) ? (FIELD_LABELS[name] as string) : name;
}

// ---- Reading ---------------------------------------------------------------------------

function textsOf(form: SubmittedForm, name: string): string[] {
  if (!hasOwn(form, name)) return [];
  const v = form[name];
  return (typeof v === 'string' ? [v] : (v ?? [])).map((t) => t.trim()).filter((t) => t !== '');
}

/** The first non-blank text sent under a name ("" for none). */
function textOf(form: SubmittedForm, name: string): string {
  return textsOf(form, name)[0] ?? '';
}

export function readEvidenceForm(form: SubmittedForm): EvidenceFormValues {
  const used = new Set<number>();
  for (const name of Object.keys(form)) {
    const m = SOURCE_NAME_RE.exec(name);
    if (m !== null && textsOf(form, name).length > 0) used.add(Number(m[1]));
  }
  const sources = [...used]
    .sort((a, b) => a - b)
    .map((i) => {
      const get = (f: SourceField) => textOf(form, sourceFieldName(i, f));
      return {
        publisher: get('publisher'),
        title: get('title'),
        date: get('date'),
        url: get('url'),
        reliability: get('reliability'),
        credibility: get('credibility'),
        origin: get('origin'),
      };
    });
  const f = EVIDENCE_FIELDS;
  return {
    id: textOf(form, f.id),
    kind: textOf(form, f.kind),
    actors: textsOf(form, f.actors)
      .flatMap((a) => a.split(','))
      .map((a) => a.trim())
      .filter((a) => a !== ''),
    description: textOf(form, f.description),
    occurred: textOf(form, f.occurred),
    occurredFrom: textOf(form, f.occurredFrom),
    occurredTo: textOf(form, f.occurredTo),
    reported: textOf(form, f.reported),
    amount: textOf(form, f.amount),
    currency: textOf(form, f.currency),
    quantityValue: textOf(form, f.quantityValue),
    quantityOf: textOf(form, f.quantityOf),
    quantityUnit: textOf(form, f.quantityUnit),
    tags: textsOf(form, f.tags).join(', '),
    supersedes: textOf(form, f.supersedes),
    retracted: textsOf(form, f.retracted).some((v) => v.toLowerCase() === 'on' || v.toLowerCase() === 'true'),
    note: textOf(form, f.note),
    sources,
  };
}

export function blankSource(): EvidenceSourceFormValues {
  return { publisher: '', title: '', date: '', url: '', reliability: '', credibility: '', origin: '' };
}

export function blankEvidenceForm(): EvidenceFormValues {
  return {
    id: '',
    kind: '',
    actors: [],
    description: '',
    occurred: '',
    occurredFrom: '',
    occurredTo: '',
    reported: '',
    amount: '',
    currency: '',
    quantityValue: '',
    quantityOf: '',
    quantityUnit: '',
    tags: '',
    supersedes: '',
    retracted: false,
    note: '',
    sources: [blankSource()],
  };
}

/** What the form needs of an entry to prefill its correction (an `Evidence` fits). */
export interface EvidenceLike {
  readonly id: string;
  readonly kind: string;
  readonly actors: readonly string[];
  readonly description: string;
  readonly occurred: string;
  readonly occurredTo: string;
  readonly reported: string;
  readonly amount?: number;
  readonly currency?: string;
  readonly quantity?: { readonly value: number; readonly of?: number; readonly unit?: string };
  readonly tags: readonly string[];
  readonly note?: string;
  readonly sources: readonly {
    readonly publisher: string;
    readonly title: string;
    readonly date: string;
    readonly url?: string;
    readonly reliability: string;
    readonly credibility: number;
    readonly origin?: string;
  }[];
}

/** A correction of `e`: its fields prefilled, `supersedes` set to it, the new id left to fill in. */
export function correctionOf(e: EvidenceLike): EvidenceFormValues {
  const single = e.occurred === e.occurredTo;
  return {
    id: '',
    kind: e.kind,
    actors: e.actors,
    description: e.description,
    occurred: single ? e.occurred : '',
    occurredFrom: single ? '' : e.occurred,
    occurredTo: single ? '' : e.occurredTo,
    reported: e.reported,
    amount: e.amount === undefined ? '' : String(e.amount),
    currency: e.currency ?? '',
    quantityValue: e.quantity === undefined ? '' : String(e.quantity.value),
    quantityOf: e.quantity?.of === undefined ? '' : String(e.quantity.of),
    quantityUnit: e.quantity?.unit ?? '',
    tags: e.tags.join(', '),
    supersedes: e.id,
    retracted: false,
    note: e.note ?? '',
    sources:
      e.sources.length === 0
        ? [blankSource()]
        : e.sources.map((s) => ({
            publisher: s.publisher,
            title: s.title,
            date: s.date,
            url: s.url ?? '',
            reliability: s.reliability,
            credibility: String(s.credibility),
            origin: s.origin ?? '',
          })),
  };
}

// ---- Checking --------------------------------------------------------------------------

/** A value in a message, as the server's `describeValue` shows it. */
function shown(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}

function isNumber(text: string): boolean {
  return NUMBER_PATTERN.test(text);
}

function isUrl(text: string): boolean {
  try {
    new URL(text);
    return true;
  } catch {
    return false;
  }
}

const PARTIAL_DATE = 'a date YYYY, YYYY-MM or YYYY-MM-DD';
const ID_EXPECTED = 'expected an evidence id of letters, digits and . _ : - (starting with a letter or digit)';
const SOURCE_EXPECTED: Readonly<Record<'publisher' | 'title' | 'date' | 'reliability' | 'credibility', string>> = {
  publisher: 'a text',
  title: 'a text',
  date: PARTIAL_DATE,
  reliability: 'a source reliability from A (best) to F',
  credibility: 'an information credibility from 1 (best) to 6',
};

/** What the script checks before submitting; see the module contract. In form order. */
export function checkEvidenceForm(v: EvidenceFormValues): FieldError[] {
  const out: FieldError[] = [];
  const label = v.id === '' ? 'evidence item' : `evidence "${v.id}"`;
  const add = (path: string, message: string) => out.push({ path, message });
  const missing = (path: string, at: string, key: string, expected: string) =>
    add(path, `${label}${at === '' ? '' : ` ${at}`}: missing required key "${key}" (${expected})`);
  const date = (path: string, at: string, text: string) => {
    const problem = partialDateProblem(text);
    if (problem !== undefined) add(path, `${label} ${at}: ${problem}`);
    return problem === undefined;
  };

  if (v.id === '') missing('id', '', 'id', 'a text');
  else if (!FORM_EVIDENCE_ID_PATTERN.test(v.id)) add('id', `${label} id: ${ID_EXPECTED}, got ${shown(v.id)}`);
  if (v.kind === '') missing('kind', '', 'kind', 'a text');
  if (v.description === '') missing('description', '', 'description', 'a text');

  // When it happened: one date, or an interval; the first day, when known, for the report check.
  let start: string | undefined;
  const interval = v.occurredFrom !== '' || v.occurredTo !== '';
  if (v.occurred !== '' && interval) {
    add('occurred', `${label} occurred: expected a date (YYYY, YYYY-MM or YYYY-MM-DD) or {from, to}, got a list of 2`);
  } else if (v.occurred !== '') {
    if (date('occurred', 'occurred', v.occurred)) start = firstDayOf(v.occurred);
  } else if (interval) {
    if (v.occurredFrom === '') missing('occurred.from', 'occurred', 'from', PARTIAL_DATE);
    if (v.occurredTo === '') missing('occurred.to', 'occurred', 'to', PARTIAL_DATE);
    const fromOk = v.occurredFrom !== '' && date('occurred.from', 'occurred.from', v.occurredFrom);
    const toOk = v.occurredTo !== '' && date('occurred.to', 'occurred.to', v.occurredTo);
    if (fromOk) start = firstDayOf(v.occurredFrom);
    if (fromOk && toOk && lastDayOf(v.occurredTo) < firstDayOf(v.occurredFrom)) {
      add(
        'occurred.to',
        `${label} occurred: the interval ends (${v.occurredTo}) before it begins (${v.occurredFrom}); swap or correct the dates`,
      );
    }
  } else {
    missing('occurred', '', 'occurred', 'a date (YYYY, YYYY-MM or YYYY-MM-DD) or {from, to}');
  }

  if (v.reported === '') missing('reported', '', 'reported', PARTIAL_DATE);
  else if (date('reported', 'reported', v.reported) && start !== undefined && lastDayOf(v.reported) < start) {
    add(
      'reported',
      `${label}: reported ${v.reported} is before it occurred (${start}); an event cannot be reported before it happens: correct one of the dates`,
    );
  }

  if (v.amount !== '') {
    if (!isNumber(v.amount)) add('amount', `${label} amount: expected a number, got ${shown(v.amount)}`);
    else if (v.currency === '') {
      add('amount', `${label}: amount ${Number(v.amount)} has no currency; add "currency:" with an ISO 4217 code such as USD`);
    }
  }
  if (v.currency !== '' && !FORM_CURRENCY_PATTERN.test(v.currency)) {
    add('currency', `${label} currency: expected an ISO 4217 currency code such as "USD", got ${shown(v.currency)}`);
  }
  if (v.quantityValue === '' && (v.quantityOf !== '' || v.quantityUnit !== '')) {
    missing('quantity.value', 'quantity', 'value', 'a number');
  }
  if (v.quantityValue !== '' && !isNumber(v.quantityValue)) {
    add('quantity.value', `${label} quantity.value: expected a number, got ${shown(v.quantityValue)}`);
  }
  if (v.quantityOf !== '' && !isNumber(v.quantityOf)) {
    add('quantity.of', `${label} quantity.of: expected a number, got ${shown(v.quantityOf)}`);
  }

  if (v.supersedes !== '') {
    if (!FORM_EVIDENCE_ID_PATTERN.test(v.supersedes)) {
      add('supersedes', `${label} supersedes: ${ID_EXPECTED}, got ${shown(v.supersedes)}`);
    } else if (v.supersedes === v.id) {
      add('supersedes', `${label} supersedes itself; name the entry this one corrects`);
    }
  }
  if (v.retracted && v.supersedes === '') {
    add(
      'retracted',
      `${label}: retracted: true withdraws the entry named by "supersedes"; add supersedes: <the id of the entry it withdraws>`,
    );
  }

  if (v.sources.length === 0) {
    add(
      SOURCES_GROUP,
      `${label} sources: an evidence entry needs at least one source (publisher, title, date, reliability, credibility)`,
    );
  }
  v.sources.forEach((s, i) => {
    const at = `sources[${i}]`;
    const path = (f: SourceField) => `sources.${i}.${f}`;
    for (const f of ['publisher', 'title', 'date', 'reliability', 'credibility'] as const) {
      if (s[f] === '') missing(path(f), at, f, SOURCE_EXPECTED[f]);
    }
    if (s.date !== '') date(path('date'), `${at}.date`, s.date);
    if (s.url !== '' && !isUrl(s.url))
      add(path('url'), `${label} ${at}.url: expected a URL such as "https://…", got ${shown(s.url)}`);
    if (s.reliability !== '' && !(RELIABILITY_GRADES as readonly string[]).includes(s.reliability)) {
      add(
        path('reliability'),
        `${label} ${at}.reliability: expected ${SOURCE_EXPECTED.reliability}, got ${shown(s.reliability)}`,
      );
    }
    if (s.credibility !== '') {
      const n = isNumber(s.credibility) ? Number(s.credibility) : undefined;
      if (n === undefined || !(CREDIBILITY_GRADES as readonly string[]).includes(String(n))) {
        add(
          path('credibility'),
          `${label} ${at}.credibility: expected ${SOURCE_EXPECTED.credibility}, got ${n === undefined ? shown(s.credibility) : String(n)}`,
        );
      }
    }
  });
  return out;
}

// ---- Showing errors --------------------------------------------------------------------

const SCALAR_PATHS: Readonly<Record<string, string>> = {
  id: 'id',
  kind: 'kind',
  description: 'description',
  occurred: 'occurred',
  'occurred.from': 'occurred[from]',
  'occurred.to': 'occurred[to]',
  reported: 'reported',
  amount: 'amount',
  currency: 'currency',
  quantity: 'quantity[value]',
  'quantity.value': 'quantity[value]',
  'quantity.of': 'quantity[of]',
  'quantity.unit': 'quantity[unit]',
  supersedes: 'supersedes',
  retracted: 'retracted',
  note: 'note',
};

/**
 * The control an error path (`sources.0.date`, `actors.1`, `occurred.to`) is shown next
 * to: a field name, `SOURCES_GROUP` for the sources as a whole, or undefined when no
 * control fits (`recorded`, the entry as a whole, an unknown key): the summary only.
 */
export function fieldForErrorPath(path: string, sourceCount: number): string | undefined {
  if (hasOwn(SCALAR_PATHS, path)) return SCALAR_PATHS[path];
  if (/^occurred\.\d+$/.test(path)) return EVIDENCE_FIELDS.occurred;
  if (/^actors(?:\.\d+)?$/.test(path)) return EVIDENCE_FIELDS.actors;
  if (/^tags(?:\.\d+)?$/.test(path)) return EVIDENCE_FIELDS.tags;
  if (path === SOURCES_GROUP) return SOURCES_GROUP;
  const m = /^sources\.(\d+)(?:\.([^.]+))?/.exec(path);
  if (m !== null) {
    const i = Number(m[1]);
    if (i >= sourceCount) return SOURCES_GROUP;
    const field = (SOURCE_FIELDS as readonly string[]).includes(m[2] ?? '') ? (m[2] as SourceField) : 'publisher';
    return sourceFieldName(i, field);
  }
  return undefined;
}
