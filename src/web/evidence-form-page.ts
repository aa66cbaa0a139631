/**
 * The evidence form: a new entry, or (with `supersedes`) a correction or retraction of one.
 * A plain POST form that works without JavaScript; field names and checks are those of
 * `evidence-form.ts`. After a 400 the server re-renders it with the submitted values and
 * the field errors: each message sits under its control (tied by `aria-describedby`,
 * the control marked `aria-invalid`) and all are listed, as links to the controls, in a
 * summary at the top that the script focuses.
 *
 * Sources: the form shows the submitted sources plus one spare blank block, so a second
 * source can be added without JavaScript (blank blocks are ignored); the script replaces
 * the spare block with "Add another source" and "Remove" buttons.
 */
import type { Case } from '../core/case-model.ts';
import type { Evidence } from '../core/evidence.ts';
import { evidenceArticle } from './benchmark-page.ts';
import {
  blankEvidenceForm,
  blankSource,
  CREDIBILITY_GRADES,
  correctionOf,
  EVIDENCE_FIELDS,
  type EvidenceFormValues,
  type EvidenceSourceFormValues,
  FIELD_LABELS,
  fieldForErrorPath,
  fieldLabel,
  RELIABILITY_GRADES,
  readEvidenceForm,
  SOURCE_LABELS,
  SOURCES_GROUP,
  sourceFieldName,
} from './evidence-form.ts';
import { type FieldError, fieldErrorId, type SubmittedForm } from './form-fields.ts';
import {
  CREDIBILITY_TEXT,
  checkboxField,
  csrfField,
  errorParagraph,
  type FieldOptions,
  fieldId,
  html,
  inputField,
  link,
  type Markup,
  paths,
  RELIABILITY_TEXT,
  selectField,
  textareaField,
  urlOf,
} from './html.ts';
import { canWrite, keep, type PageContext, renderDocument } from './layout.ts';

export interface EvidenceFormPageData {
  readonly case: Case;
  /** The server's today: the `recorded` date the entry will get (shown, not editable). */
  readonly today: string;
  /** After a 400: the form as submitted (the parsed body, `_csrf` and all); its values are shown again. */
  readonly submitted?: SubmittedForm;
  /** Problems to show next to the fields and in the summary (after a 400). */
  readonly errors?: readonly FieldError[];
  /** The entry being corrected or retracted (from `?supersedes=ID`), shown above the form. */
  readonly supersedes?: Evidence;
  /** Evidence kinds already in the ledger, offered as suggestions. */
  readonly kinds?: readonly string[];
}

interface Placed {
  readonly byField: ReadonlyMap<string, string[]>;
  readonly summary: readonly { readonly target: string | undefined; readonly text: string }[];
}

function placeErrors(errors: readonly FieldError[], sourceCount: number): Placed {
  const byField = new Map<string, string[]>();
  const summary: { target: string | undefined; text: string }[] = [];
  for (const e of errors) {
    const field = fieldForErrorPath(e.path, sourceCount);
    if (field !== undefined) byField.set(field, [...(byField.get(field) ?? []), e.message]);
    const target = field === undefined ? undefined : fieldId(field);
    const label = field === undefined ? (e.path === '' ? 'The entry' : e.path) : fieldLabel(field);
    summary.push({ target, text: `${label}: ${e.message}` });
  }
  return { byField, summary };
}

/** The error summary (also rebuilt by the script after a failed client-side check). */
export function errorSummary(items: Placed['summary']): Markup | '' {
  if (items.length === 0) return '';
  const title = items.length === 1 ? 'There is a problem' : `There are ${items.length} problems`;
  return html`<div class="error-summary" id="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title" data-error-summary><h2 id="error-summary-title">${title}</h2><ul>${items.map(
    (i) => html`<li>${i.target === undefined ? i.text : html`<a href="#${i.target}">${i.text}</a>`}</li>`,
  )}</ul></div>`;
}

const RELIABILITY_OPTIONS = [
  { value: '', label: 'Choose…' },
  ...RELIABILITY_GRADES.map((g) => ({ value: g, label: `${g} — ${RELIABILITY_TEXT[g]}` })),
];
const CREDIBILITY_OPTIONS = [
  { value: '', label: 'Choose…' },
  ...CREDIBILITY_GRADES.map((g) => ({
    value: g,
    label: `${g} — ${CREDIBILITY_TEXT[Number(g) as keyof typeof CREDIBILITY_TEXT]}`,
  })),
];

const DATE_ATTRS = html` inputmode="numeric" autocomplete="off" data-date="partial"`;

function sourceBlock(i: number, s: EvidenceSourceFormValues, byField: Placed['byField'], spare: boolean): Markup {
  const name = (f: keyof typeof SOURCE_LABELS) => sourceFieldName(i, f);
  const errs = (f: keyof typeof SOURCE_LABELS) => byField.get(name(f)) ?? [];
  const required = !spare;
  const legend = spare ? 'Another source (optional: leave blank if none)' : `Source ${i + 1}`;
  return html`<fieldset class="source-block" data-source-block${spare && html` data-spare`}><legend>${legend}</legend>${inputField(
    {
      name: name('publisher'),
      label: SOURCE_LABELS.publisher,
      value: s.publisher,
      required,
      errors: errs('publisher'),
    },
  )}${inputField({ name: name('title'), label: SOURCE_LABELS.title, value: s.title, required, errors: errs('title') })}${inputField(
    {
      name: name('date'),
      label: SOURCE_LABELS.date,
      value: s.date,
      required,
      hint: 'YYYY, YYYY-MM or YYYY-MM-DD',
      errors: errs('date'),
      attrs: DATE_ATTRS,
    },
  )}${inputField({
    name: name('url'),
    label: SOURCE_LABELS.url,
    value: s.url,
    type: 'url',
    errors: errs('url'),
    attrs: html` inputmode="url" spellcheck="false"`,
  })}<div class="grade-pair">${selectField({
    name: name('reliability'),
    label: SOURCE_LABELS.reliability,
    value: s.reliability,
    required,
    options: RELIABILITY_OPTIONS,
    errors: errs('reliability'),
  })}${selectField({
    name: name('credibility'),
    label: SOURCE_LABELS.credibility,
    value: s.credibility,
    required,
    options: CREDIBILITY_OPTIONS,
    errors: errs('credibility'),
  })}</div>${inputField({
    name: name('origin'),
    label: SOURCE_LABELS.origin,
    value: s.origin,
    hint: 'For example a wire service: copies of one report count as one source.',
    errors: errs('origin'),
  })}</fieldset>`;
}

/** An error paragraph for a group (fieldset) of controls. */
function groupError(name: string, errors: readonly string[]): Markup | '' {
  return errors.length === 0 ? '' : errorParagraph(name, errors);
}

function actorsGroup(c: Case, selected: readonly string[], errors: readonly string[]): Markup {
  const name = EVIDENCE_FIELDS.actors;
  const chosen = new Set(selected);
  const known = new Set(c.actors.map((a) => a.id));
  const boxes = [
    ...c.actors.map((a) => ({ id: a.id, label: `${a.name} (${a.id})` })),
    ...[...chosen].filter((a) => !known.has(a)).map((a) => ({ id: a, label: `${a} (not an actor of this case)` })),
  ].map(
    (a, i) =>
      html`<div class="checkbox"><input type="checkbox" id="${fieldId(name)}-${i}" name="${name}" value="${a.id}"${chosen.has(a.id) && html` checked`}><label for="${fieldId(name)}-${i}">${a.label}</label></div>`,
  );
  const described = [`${fieldId(name)}-hint`, ...(errors.length > 0 ? [fieldErrorId(name)] : [])].join(' ');
  return html`<fieldset class="field checkbox-group${errors.length > 0 && ' has-error'}" id="${fieldId(name)}" tabindex="-1" data-field="${name}" aria-describedby="${described}"><legend>${FIELD_LABELS.actors ?? 'Actors'} <span class="opt">(optional)</span></legend><p class="hint" id="${fieldId(name)}-hint">The actors involved; choose none if no actor of the case is.</p>${groupError(name, errors)}<div class="checkbox-columns">${boxes}</div></fieldset>`;
}

function valuesToShow(data: EvidenceFormPageData): EvidenceFormValues {
  if (data.submitted !== undefined) return readEvidenceForm(data.submitted);
  if (data.supersedes !== undefined) return correctionOf(data.supersedes);
  return blankEvidenceForm();
}

export function renderEvidenceFormPage(ctx: PageContext, data: EvidenceFormPageData): string {
  const c = data.case;
  const v = valuesToShow(data);
  const correcting = data.supersedes?.id ?? (v.supersedes === '' ? undefined : v.supersedes);
  const title = correcting === undefined ? 'Add evidence' : `Correct or retract ${correcting}`;
  const frame = { caseId: c.id, caseTitle: c.title, section: 'new-evidence' as const };
  if (!canWrite(ctx)) {
    return renderDocument(ctx, {
      title,
      nav: 'cases',
      caseFrame: frame,
      body: html`<h1>${title}</h1><p>Your role can read the case but not add evidence. Ask an admin for the analyst role.</p><p>${link(urlOf(paths.evidence(c.id), keep(ctx)), 'Browse the evidence')}</p>`,
    });
  }
  const sources = v.sources.length === 0 ? [blankSource()] : v.sources;
  const placed = placeErrors(data.errors ?? [], v.sources.length);
  const errs = (name: string) => placed.byField.get(name) ?? [];
  const f = EVIDENCE_FIELDS;
  const field = (name: string, extra: Partial<FieldOptions> = {}) =>
    inputField({ name, label: FIELD_LABELS[name] ?? name, errors: errs(name), ...extra });
  const partialDate = DATE_ATTRS;
  const numeric = html` inputmode="decimal" autocomplete="off"`;
  const noAutocorrect = html` autocomplete="off" spellcheck="false" autocapitalize="none"`;

  const kinds = data.kinds ?? [];
  const datalist =
    kinds.length > 0 && html`<datalist id="kinds-list">${kinds.map((k) => html`<option value="${k}"></option>`)}</datalist>`;
  const intro =
    data.supersedes === undefined
      ? html`<p class="lede">A new entry in the ledger. Entries are never edited: to change one later, add a correction that supersedes it.</p>`
      : html`<p class="lede">A correction is a new entry, with its own id, that supersedes the entry below; a retraction withdraws it.</p><section aria-labelledby="h-old" class="superseded"><h2 id="h-old">The entry being corrected</h2>${evidenceArticle({ ...ctx, user: undefined }, c.id, data.supersedes)}</section>`;

  const entry = html`<fieldset><legend>The entry</legend>${field(f.id, {
    value: v.id,
    required: true,
    hint: 'Letters, digits and . _ : - such as ev-2019-07-17-arrest; unique in the ledger.',
    attrs: noAutocorrect,
  })}${field(f.kind, {
    value: v.kind,
    required: true,
    hint: 'What happened: arrest, release, designation, …',
    attrs: kinds.length === 0 ? html` autocomplete="off"` : html` list="kinds-list" autocomplete="off"`,
  })}${datalist}${textareaField({
    name: f.description,
    label: FIELD_LABELS.description ?? 'Description',
    value: v.description,
    required: true,
    hint: 'In your own words.',
    errors: errs(f.description),
  })}${actorsGroup(c, v.actors, errs(f.actors))}${field(f.tags, {
    value: v.tags,
    hint: 'Separated by commas, e.g. review, court.',
  })}${textareaField({
    name: f.note,
    label: FIELD_LABELS.note ?? 'Note',
    value: v.note,
    hint: 'A caveat shown with the entry, e.g. “the essay’s claim only”.',
    errors: errs(f.note),
  })}</fieldset>`;

  const dates = html`<fieldset><legend>Dates</legend><fieldset class="subgroup"><legend>When it happened <span class="req">(required)</span></legend><p class="hint" id="occurrence-hint">One date, or the first and last day of an interval (not both). Dates are YYYY, YYYY-MM or YYYY-MM-DD.</p>${field(
    f.occurred,
    { value: v.occurred, attrs: partialDate },
  )}<div class="pair">${field(f.occurredFrom, { value: v.occurredFrom, attrs: partialDate })}${field(f.occurredTo, {
    value: v.occurredTo,
    attrs: partialDate,
  })}</div></fieldset>${field(f.reported, {
    value: v.reported,
    required: true,
    hint: 'When it was first reported: YYYY, YYYY-MM or YYYY-MM-DD (a month or year means by its end).',
    attrs: partialDate,
  })}<p class="recorded">Recorded: <b>${data.today}</b> — the ledger date, set by the server when the entry is stored.</p></fieldset>`;

  const amounts = html`<fieldset><legend>Amount and quantity</legend><div class="pair">${field(f.amount, {
    value: v.amount,
    hint: 'A number, e.g. 450000000.',
    attrs: numeric,
  })}${field(f.currency, {
    value: v.currency,
    hint: 'ISO 4217, e.g. EUR or USD; required with an amount.',
    attrs: html` autocomplete="off" maxlength="3" autocapitalize="characters"`,
  })}</div><div class="triple">${field(f.quantityValue, { value: v.quantityValue, hint: 'e.g. 26', attrs: numeric })}${field(
    f.quantityOf,
    { value: v.quantityOf, hint: 'e.g. 27', attrs: numeric },
  )}${field(f.quantityUnit, { value: v.quantityUnit, hint: 'e.g. action items' })}</div></fieldset>`;

  const correction = html`<fieldset><legend>Correction</legend>${field(f.supersedes, {
    value: v.supersedes,
    hint: 'The id of the entry this one corrects; leave blank for a new report.',
    attrs: noAutocorrect,
  })}${checkboxField({
    name: f.retracted,
    label: FIELD_LABELS.retracted ?? 'Retract',
    checked: v.retracted,
    hint: 'Withdraws the superseded entry: from this entry’s dates on it counts nowhere.',
    errors: errs(f.retracted),
    attrs: html` data-confirm-retract`,
  })}</fieldset>`;

  const groupErrors = errs(SOURCES_GROUP);
  const sourcesDescribed = ['sources-hint', ...(groupErrors.length > 0 ? [fieldErrorId(SOURCES_GROUP)] : [])].join(' ');
  const sourceBlocks = html`<fieldset id="${fieldId(SOURCES_GROUP)}" tabindex="-1" data-field="${SOURCES_GROUP}" data-sources aria-describedby="${sourcesDescribed}"><legend>Sources</legend><p class="hint" id="sources-hint">At least one. Grade each on the Admiralty scale: how reliable the source is (A–F) and how credible the information (1–6).</p>${groupError(
    SOURCES_GROUP,
    groupErrors,
  )}${sources.map((s, i) => sourceBlock(i, s, placed.byField, false))}${sourceBlock(sources.length, blankSource(), placed.byField, true)}</fieldset>`;

  const submit = correcting === undefined ? 'Add to the ledger' : 'Record the correction';
  const form = html`<form method="post" action="${urlOf(paths.newEvidence(c.id), keep(ctx))}" class="stack-form evidence-form" novalidate data-evidence-form>${csrfField(ctx.csrfToken)}
${entry}
${dates}
${amounts}
${correction}
${sourceBlocks}
<div class="form-actions"><button type="submit">${submit}</button> ${link(urlOf(paths.evidence(c.id), keep(ctx)), 'Cancel')}</div>
</form>`;
  return renderDocument(ctx, {
    title: placed.summary.length > 0 ? `Error: ${title}` : title,
    nav: 'cases',
    caseFrame: frame,
    body: html`<h1>${title}</h1>${errorSummary(placed.summary)}${intro}${form}`,
  });
}
