/**
 * HTML building blocks shared by the web pages: URLs that keep the as-of date, status
 * badges that carry text (colour is never the only signal), and labelled form controls
 * wired to their hints and errors.
 *
 * Contract: every function here takes plain text and returns `Markup` built with `html`
 * (src/report/markup.ts), which escapes the text; extra attributes are taken only as
 * `Markup`. Links to the outside are made only for http(s) URLs (`safeUrl`), with
 * `rel="noopener noreferrer"`.
 */
import type { BenchmarkFlag, BenchmarkStatusKind } from '../core/benchmark-stream.ts';
import type { Credibility, Reliability } from '../core/case-model.ts';
import type { GateDecision } from '../core/gates.ts';
import type { Convergence } from '../core/issue-areas.ts';
import type { Verdict } from '../core/justifications.ts';
import { safeUrl } from '../report/markdown-brief.ts';
import { html, joinMarkup, type Markup } from '../report/markup.ts';
import { WARRANT_WORDS } from '../report/principal-words.ts';
import { FLAG_MEANINGS, FLAG_NAMES } from '../report/status-words.ts';
import { fieldErrorId, fieldId } from './form-fields.ts';

export type { FieldError } from './form-fields.ts';
export { fieldId, html, joinMarkup, type Markup, safeUrl };

// ---- URLs ------------------------------------------------------------------------------

export type QueryParams = Readonly<Record<string, string | number | undefined>>;

/** A path with a query string; empty and undefined values are left out. Not yet HTML-escaped. */
export function urlOf(path: string, params: QueryParams = {}): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === '') continue;
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  }
  return parts.length === 0 ? path : `${path}?${parts.join('&')}`;
}

const seg = encodeURIComponent;

/** The server's routes (see the module comment of `pages.ts`). */
export const paths = {
  home: () => '/',
  login: () => '/login',
  logout: () => '/logout',
  alerts: () => '/alerts',
  dashboard: (caseId: string) => `/cases/${seg(caseId)}`,
  benchmark: (caseId: string, benchmarkId: string) => `/cases/${seg(caseId)}/benchmarks/${seg(benchmarkId)}`,
  justifications: (caseId: string) => `/cases/${seg(caseId)}/justifications`,
  evidence: (caseId: string) => `/cases/${seg(caseId)}/evidence`,
  newEvidence: (caseId: string) => `/cases/${seg(caseId)}/evidence/new`,
  script: () => '/static/app.js',
  stylesheet: () => '/static/app.css',
} as const;

/** `<a>` to a path inside the app (an already-built URL, escaped here); `attrs` such as html` class="x"`. */
export function link(url: string, text: string, attrs: Markup | '' = ''): Markup {
  return html`<a href="${url}"${attrs}>${text}</a>`;
}

/** A link for an http(s) URL, plain escaped text for anything else (javascript:, data:, junk). */
export function externalLink(url: string | undefined, text: string): Markup {
  const safe = safeUrl(url);
  return safe === undefined ? html`${text}` : html`<a href="${safe}" rel="noopener noreferrer" class="external">${text}</a>`;
}

// ---- Status words ----------------------------------------------------------------------

export type Tone = 'ok' | 'part' | 'warn' | 'bad' | 'rev' | 'unk' | 'na';

/** A status shown as text, with a tone for colour and a glyph for shape; both are extras. */
function badge(text: string, tone: Tone, glyph: string): Markup {
  return html`<span class="badge tone-${tone}"><span class="glyph" aria-hidden="true">${glyph}</span> ${text}</span>`;
}

const STATUS: Readonly<Record<BenchmarkStatusKind, readonly [string, Tone, string]>> = {
  met: ['met', 'ok', '✓'],
  partial: ['partial', 'part', '◑'],
  'not-met': ['not met', 'bad', '✗'],
  pending: ['pending', 'warn', '◔'],
  reversed: ['reversed', 'rev', '↺'],
  unverified: ['unverified', 'unk', '≈'],
  unknown: ['unknown', 'unk', '?'],
  'not-applicable': ['not applicable', 'na', '·'],
};

export function statusText(s: BenchmarkStatusKind): string {
  return STATUS[s][0];
}

export function statusBadge(s: BenchmarkStatusKind): Markup {
  const [text, tone, glyph] = STATUS[s];
  return badge(text, tone, glyph);
}

/** Parses the brief model's upper-case status cell ("NOT-MET") back to a status, if it is one. */
export function statusOfCell(cell: string): BenchmarkStatusKind | undefined {
  const s = cell.toLowerCase();
  return Object.hasOwn(STATUS, s) ? (s as BenchmarkStatusKind) : undefined;
}

/** A gate decision says what it means (see `WARRANT_WORDS`); the JSON value stays `locked`, `unlocked`, …. */
const DECISION: Readonly<Record<GateDecision, readonly [string, Tone, string]>> = {
  unlocked: [WARRANT_WORDS.unlocked.long, 'ok', '✓'],
  locked: [WARRANT_WORDS.locked.long, 'bad', '✗'],
  required: [WARRANT_WORDS.required.long, 'rev', '⚑'],
  'not-required': [WARRANT_WORDS['not-required'].long, 'ok', '○'],
  waived: [WARRANT_WORDS.waived.long, 'warn', '!'],
  unknown: [WARRANT_WORDS.unknown.long, 'unk', '?'],
  'not-applicable': ['not applicable (not in force on this date)', 'na', '·'],
};

export function decisionText(d: GateDecision): string {
  return DECISION[d][0];
}

export function decisionBadge(d: GateDecision): Markup {
  const [text, tone, glyph] = DECISION[d];
  return badge(text, tone, glyph);
}

const VERDICT: Readonly<Record<Verdict, readonly [string, Tone, string]>> = {
  convincing: ['convincing', 'ok', '✓'],
  weak: ['weak', 'warn', '~'],
  unconvincing: ['unconvincing', 'bad', '✗'],
  'not-applicable': ['not applicable', 'na', '·'],
};

export function verdictBadge(v: Verdict): Markup {
  const [text, tone, glyph] = VERDICT[v];
  return badge(text, tone, glyph);
}

const CONVERGENCE: Readonly<Record<Convergence, readonly [string, Tone, string]>> = {
  align: ['align', 'ok', '='],
  diverge: ['diverge', 'bad', '≠'],
  unknown: ['unknown', 'unk', '?'],
  'not-applicable': ['not applicable', 'na', '·'],
};

export function convergenceBadge(c: Convergence): Markup {
  const [text, tone, glyph] = CONVERGENCE[c];
  return badge(text, tone, glyph);
}

/** A flag with its meaning where no case is at hand (its review is "a scheduled review"; see `flagMeanings` for a case's own words). */
export const FLAG_TEXT: Readonly<Record<BenchmarkFlag, string>> = {
  'timed-to-review': `${FLAG_NAMES['timed-to-review']} (${FLAG_MEANINGS['timed-to-review']})`,
  contested: `${FLAG_NAMES.contested} (${FLAG_MEANINGS.contested})`,
  stale: `${FLAG_NAMES.stale} (${FLAG_MEANINGS.stale})`,
};

export function flagText(flag: string): string {
  return Object.hasOwn(FLAG_TEXT, flag) ? FLAG_TEXT[flag as BenchmarkFlag] : flag;
}

export const RELIABILITY_TEXT: Readonly<Record<Reliability, string>> = {
  A: 'completely reliable',
  B: 'usually reliable',
  C: 'fairly reliable',
  D: 'not usually reliable',
  E: 'unreliable',
  F: 'reliability cannot be judged',
};

export const CREDIBILITY_TEXT: Readonly<Record<Credibility, string>> = {
  1: 'confirmed by other sources',
  2: 'probably true',
  3: 'possibly true',
  4: 'doubtful',
  5: 'improbable',
  6: 'truth cannot be judged',
};

/** A source grade such as B2, with its meaning for screen readers and on hover. */
export function gradeMark(reliability: Reliability, credibility: Credibility): Markup {
  const words = `${reliability}: ${RELIABILITY_TEXT[reliability]}; ${credibility}: ${CREDIBILITY_TEXT[credibility]}`;
  return html`<abbr class="grade" title="${words}">${`${reliability}${credibility}`}</abbr><span class="visually-hidden"> (${words})</span>`;
}

// ---- Layout pieces ---------------------------------------------------------------------

/** A table that scrolls sideways on narrow screens; focusable so keyboards can scroll it. */
export function tableWrap(label: string, table: Markup): Markup {
  return html`<div class="table-wrap" role="region" aria-label="${label}" tabindex="0">${table}</div>`;
}

export function occurrenceText(occurred: string, occurredTo: string): string {
  return occurred === occurredTo ? occurred : `${occurred} to ${occurredTo}`;
}

// ---- Form controls ---------------------------------------------------------------------

export interface FieldOptions {
  readonly name: string;
  readonly label: string;
  readonly value?: string;
  readonly type?: string;
  readonly hint?: string;
  /** Messages for this field (all are shown). */
  readonly errors?: readonly string[];
  readonly required?: boolean;
  /** Extra attributes, as markup (e.g. html` inputmode="numeric"`). */
  readonly attrs?: Markup;
}

/** Hint and error elements plus the attributes that tie them to the control. */
function describedBy(o: FieldOptions): { ids: Markup | ''; after: Markup[]; invalid: Markup | '' } {
  const id = fieldId(o.name);
  const ids: string[] = [];
  const after: Markup[] = [];
  if (o.hint !== undefined) {
    ids.push(`${id}-hint`);
    after.push(html`<p class="hint" id="${id}-hint">${o.hint}</p>`);
  }
  const errors = o.errors ?? [];
  if (errors.length > 0) {
    ids.push(fieldErrorId(o.name));
    after.push(errorParagraph(o.name, errors));
  }
  return {
    ids: ids.length === 0 ? '' : html` aria-describedby="${ids.join(' ')}"`,
    after,
    invalid: errors.length > 0 ? html` aria-invalid="true"` : '',
  };
}

/** The messages for a control or a group of controls, one per line, tied to it by its error id. */
export function errorParagraph(name: string, errors: readonly string[]): Markup {
  return html`<p class="field-error" id="${fieldErrorId(name)}" data-field-error><span class="visually-hidden">Error: </span>${joinMarkup(errors, html`<br>`)}</p>`;
}

function labelFor(o: FieldOptions): Markup {
  const req = o.required === true ? html` <span class="req">(required)</span>` : html` <span class="opt">(optional)</span>`;
  return html`<label for="${fieldId(o.name)}">${o.label}${req}</label>`;
}

function fieldClass(o: FieldOptions): string {
  return (o.errors ?? []).length > 0 ? 'field has-error' : 'field';
}

export function inputField(o: FieldOptions): Markup {
  const d = describedBy(o);
  const required = o.required === true && html` required`;
  return html`<div class="${fieldClass(o)}" data-field="${o.name}">${labelFor(o)}<input type="${o.type ?? 'text'}" id="${fieldId(o.name)}" name="${o.name}" value="${o.value ?? ''}"${required}${d.ids}${d.invalid}${o.attrs}>${d.after}</div>`;
}

export function textareaField(o: FieldOptions): Markup {
  const d = describedBy(o);
  const required = o.required === true && html` required`;
  return html`<div class="${fieldClass(o)}" data-field="${o.name}">${labelFor(o)}<textarea id="${fieldId(o.name)}" name="${o.name}" rows="4"${required}${d.ids}${d.invalid}${o.attrs}>${o.value ?? ''}</textarea>${d.after}</div>`;
}

export interface SelectOption {
  readonly value: string;
  readonly label: string;
}

export function selectField(
  o: FieldOptions & {
    readonly options: readonly SelectOption[];
    readonly multiple?: boolean;
    readonly selected?: readonly string[];
  },
): Markup {
  const d = describedBy(o);
  const selected = new Set(o.selected ?? (o.value === undefined ? [] : [o.value]));
  const required = o.required === true && html` required`;
  const multiple = o.multiple === true && html` multiple size="${Math.min(8, Math.max(3, o.options.length))}"`;
  const options = o.options.map(
    (opt) => html`<option value="${opt.value}"${selected.has(opt.value) && html` selected`}>${opt.label}</option>`,
  );
  return html`<div class="${fieldClass(o)}" data-field="${o.name}">${labelFor(o)}<select id="${fieldId(o.name)}" name="${o.name}"${multiple}${required}${d.ids}${d.invalid}${o.attrs}>${options}</select>${d.after}</div>`;
}

export function checkboxField(o: FieldOptions & { readonly checked: boolean }): Markup {
  const d = describedBy(o);
  return html`<div class="${fieldClass(o)} checkbox" data-field="${o.name}"><input type="checkbox" id="${fieldId(o.name)}" name="${o.name}" value="true"${o.checked && html` checked`}${d.ids}${d.invalid}${o.attrs}><label for="${fieldId(o.name)}">${o.label}</label>${d.after}</div>`;
}

export function csrfField(token: string): Markup {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

/** Hidden inputs carrying query values through a GET form. */
export function hiddenFields(params: QueryParams): Markup {
  return html`${Object.entries(params)
    .filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== '')
    .map(([k, v]) => html`<input type="hidden" name="${k}" value="${String(v)}">`)}`;
}
