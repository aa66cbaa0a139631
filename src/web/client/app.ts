/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The web UI's enhancement script (/static/app.js). Every page works without it; it only
 * adds conveniences, each starting from markup the server rendered:
 * - the as-of date control (`[data-asof-form]`) submits itself once a full date is chosen;
 * - the evidence form (`[data-evidence-form]`) gets "Add another source" / "Remove" buttons
 *   instead of the spare blank source block, is checked before it is sent with the
 *   server's own rules and words (`checkEvidenceForm`), shows problems next to the fields
 *   and in a focused summary, and asks before sending a retraction;
 * - an error summary the server rendered (after a 400) gets focus, and its links move focus
 *   to the field they name.
 *
 * It never builds markup from strings: text goes in with `textContent`, so nothing the user
 * typed can become markup. No inline handlers are needed, so the CSP stays `script-src 'self'`.
 */
import {
  checkEvidenceForm,
  fieldForErrorPath,
  fieldLabel,
  readEvidenceForm,
  SOURCE_FIELDS,
  SOURCES_GROUP,
  sourceFieldName,
} from '../evidence-form.ts';
import { type FieldError, fieldErrorId, fieldId, type SubmittedForm } from '../form-fields.ts';

const FULL_DATE = /^(\d{4})-\d{2}-\d{2}$/;
/** Wait this long after the last change before submitting, so typing a date digit by digit does not reload the page. */
const ASOF_DELAY_MS = 700;

function enhanceAsOfForms(): void {
  for (const form of document.querySelectorAll<HTMLFormElement>('form[data-asof-form]')) {
    const input = form.querySelector<HTMLInputElement>('input[name="asOf"]');
    if (input === null) continue;
    const initial = input.value;
    let timer: number | undefined;
    const cancel = () => {
      if (timer !== undefined) window.clearTimeout(timer);
      timer = undefined;
    };
    input.addEventListener('keydown', cancel);
    input.addEventListener('change', () => {
      cancel();
      const m = FULL_DATE.exec(input.value);
      if (m === null || Number(m[1]) < 1900 || input.value === initial) return;
      timer = window.setTimeout(() => form.submit(), ASOF_DELAY_MS);
    });
  }
}

// ---- Error display ---------------------------------------------------------------------

function removeFromDescribedBy(el: Element, id: string): void {
  const ids = (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter((x) => x !== '' && x !== id);
  if (ids.length === 0) el.removeAttribute('aria-describedby');
  else el.setAttribute('aria-describedby', ids.join(' '));
}

function addToDescribedBy(el: Element, id: string): void {
  const ids = (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter((x) => x !== '');
  if (!ids.includes(id)) ids.push(id);
  el.setAttribute('aria-describedby', ids.join(' '));
}

function clearErrors(form: HTMLFormElement): void {
  document.getElementById('error-summary')?.remove();
  for (const p of form.querySelectorAll('[data-field-error]')) {
    for (const el of form.querySelectorAll(`[aria-describedby~="${p.id}"]`)) removeFromDescribedBy(el, p.id);
    p.remove();
  }
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  for (const el of form.querySelectorAll('.has-error')) el.classList.remove('has-error');
}

function fieldWrapper(form: HTMLFormElement, name: string): Element | undefined {
  for (const el of form.querySelectorAll('[data-field]')) if (el.getAttribute('data-field') === name) return el;
  return undefined;
}

function showFieldError(form: HTMLFormElement, name: string, messages: readonly string[]): void {
  const wrapper = fieldWrapper(form, name);
  if (wrapper === undefined) return;
  const p = document.createElement('p');
  p.className = 'field-error';
  p.id = fieldErrorId(name);
  p.setAttribute('data-field-error', '');
  const hidden = document.createElement('span');
  hidden.className = 'visually-hidden';
  hidden.textContent = 'Error: ';
  p.append(hidden, messages.join(' '));
  if (wrapper.tagName === 'FIELDSET') {
    // After the legend and the hint, before the controls.
    const hint = wrapper.querySelector(':scope > .hint');
    (hint ?? wrapper.querySelector(':scope > legend'))?.after(p);
  } else {
    wrapper.append(p);
  }
  wrapper.classList.add('has-error');
  const control = document.getElementById(fieldId(name));
  if (control !== null) {
    if (wrapper.tagName !== 'FIELDSET') control.setAttribute('aria-invalid', 'true');
    addToDescribedBy(control, p.id);
  }
}

interface SummaryItem {
  readonly target: string | undefined;
  readonly text: string;
}

/** The same summary the server renders (evidence-form-page.ts `errorSummary`), built with DOM calls. */
function showSummary(before: Element, items: readonly SummaryItem[]): HTMLElement {
  const box = document.createElement('div');
  box.className = 'error-summary';
  box.id = 'error-summary';
  box.setAttribute('role', 'alert');
  box.setAttribute('tabindex', '-1');
  box.setAttribute('aria-labelledby', 'error-summary-title');
  box.setAttribute('data-error-summary', '');
  const h = document.createElement('h2');
  h.id = 'error-summary-title';
  h.textContent = items.length === 1 ? 'There is a problem' : `There are ${items.length} problems`;
  const ul = document.createElement('ul');
  for (const item of items) {
    const li = document.createElement('li');
    if (item.target === undefined) {
      li.textContent = item.text;
    } else {
      const a = document.createElement('a');
      a.href = `#${item.target}`;
      a.textContent = item.text;
      li.append(a);
    }
    ul.append(li);
  }
  box.append(h, ul);
  before.before(box);
  linkSummaryToFields(box);
  return box;
}

/** Summary links focus the control they name (a fragment alone only scrolls to it). */
function linkSummaryToFields(summary: Element): void {
  summary.addEventListener('click', (event) => {
    const a = (event.target as Element | null)?.closest('a');
    const id = a?.getAttribute('href')?.slice(1);
    if (a === null || a === undefined || id === undefined) return;
    const target = document.getElementById(id);
    if (target === null) return;
    event.preventDefault();
    target.scrollIntoView({ block: 'center' });
    target.focus();
  });
}

// ---- The evidence form -----------------------------------------------------------------

/** The form's fields as the server parses them: one text per name, or the texts of a repeated name. */
function submittedForm(form: HTMLFormElement): SubmittedForm {
  const data = new FormData(form);
  const out: Record<string, string | string[]> = {};
  for (const name of new Set(data.keys())) {
    const texts = data.getAll(name).filter((v): v is string => typeof v === 'string');
    out[name] = texts.length === 1 ? (texts[0] as string) : texts;
  }
  return out;
}

/** The DOM index of each source block the server would keep, in order (blank blocks are dropped). */
function keptSourceIndices(fields: SubmittedForm): number[] {
  const used = new Set<number>();
  for (const [name, value] of Object.entries(fields)) {
    const m = /^sources\[(\d+)\]\[[^\]]*\]$/.exec(name);
    const texts = typeof value === 'string' ? [value] : value;
    if (m !== null && texts.some((t) => t.trim() !== '')) used.add(Number(m[1]));
  }
  return [...used].sort((a, b) => a - b);
}

/** Maps an error path to the control's name in the page, whose source blocks may include blank ones. */
function controlFor(path: string, kept: readonly number[]): string | undefined {
  const field = fieldForErrorPath(path, kept.length);
  const m = field === undefined ? null : /^sources\[(\d+)\]\[([^\]]*)\]$/.exec(field);
  if (m === null) return field;
  const dom = kept[Number(m[1])];
  return dom === undefined ? SOURCES_GROUP : `sources[${dom}][${m[2] ?? ''}]`;
}

function showErrors(form: HTMLFormElement, errors: readonly FieldError[], kept: readonly number[]): void {
  clearErrors(form);
  const byField = new Map<string, string[]>();
  const items: SummaryItem[] = [];
  for (const e of errors) {
    const name = controlFor(e.path, kept);
    if (name !== undefined) byField.set(name, [...(byField.get(name) ?? []), e.message]);
    // Labels name sources by their number in the list the server keeps, as its messages do.
    const field = fieldForErrorPath(e.path, kept.length);
    items.push({
      target: name === undefined ? undefined : fieldId(name),
      text: `${field === undefined ? e.path || 'The entry' : fieldLabel(field)}: ${e.message}`,
    });
  }
  for (const [name, messages] of byField) showFieldError(form, name, messages);
  const heading = document.querySelector('main h1');
  const summary = showSummary(heading?.nextElementSibling ?? form, items);
  summary.focus();
}

function sourceBlocks(form: HTMLFormElement): HTMLFieldSetElement[] {
  return [...form.querySelectorAll<HTMLFieldSetElement>('fieldset[data-source-block]')];
}

function isBlankBlock(block: Element): boolean {
  for (const el of block.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select, textarea')) {
    if (el.value.trim() !== '') return false;
  }
  return true;
}

/** Gives each block index i: names `sources[i][…]`, ids, labels, descriptions and its legend. */
function renumberSources(form: HTMLFormElement): void {
  const blocks = sourceBlocks(form);
  blocks.forEach((block, i) => {
    const legend = block.querySelector(':scope > legend');
    if (legend !== null) legend.textContent = `Source ${i + 1}`;
    block.removeAttribute('data-spare');
    for (const f of SOURCE_FIELDS) {
      const control = block.querySelector<HTMLInputElement | HTMLSelectElement>(`[name$="[${f}]"]`);
      const wrapper = control?.closest('[data-field]');
      if (control === null || control === undefined) continue;
      const oldName = control.name;
      const name = sourceFieldName(i, f);
      const [oldId, id] = [fieldId(oldName), fieldId(name)];
      control.name = name;
      control.id = id;
      wrapper?.setAttribute('data-field', name);
      block.querySelector(`label[for="${oldId}"]`)?.setAttribute('for', id);
      for (const el of block.querySelectorAll(`[id^="${oldId}-"]`)) el.id = id + el.id.slice(oldId.length);
      const described = control.getAttribute('aria-describedby');
      if (described !== null) {
        control.setAttribute(
          'aria-describedby',
          described
            .split(/\s+/)
            .map((x) => (x.startsWith(`${oldId}-`) ? id + x.slice(oldId.length) : x))
            .join(' '),
        );
      }
      const required = f === 'publisher' || f === 'title' || f === 'date' || f === 'reliability' || f === 'credibility';
      if (required) control.required = true;
    }
    const remove = block.querySelector<HTMLButtonElement>('button[data-remove-source]');
    if (remove !== null) {
      remove.textContent = `Remove source ${i + 1}`;
      remove.hidden = blocks.length === 1;
    }
  });
}

function addRemoveButton(form: HTMLFormElement, block: HTMLFieldSetElement, addButton: HTMLButtonElement): void {
  const remove = document.createElement('button');
  remove.type = 'button';
  remove.className = 'secondary';
  remove.setAttribute('data-remove-source', '');
  remove.addEventListener('click', () => {
    const blocks = sourceBlocks(form);
    if (blocks.length <= 1) return;
    const index = blocks.indexOf(block);
    block.remove();
    renumberSources(form);
    const next = sourceBlocks(form)[Math.max(0, index - 1)];
    next?.querySelector<HTMLElement>('input, select')?.focus();
    if (next === undefined) addButton.focus();
  });
  block.append(remove);
}

function enhanceSources(form: HTMLFormElement): void {
  const group = form.querySelector<HTMLFieldSetElement>('fieldset[data-sources]');
  if (group === null) return;
  for (const spare of group.querySelectorAll('fieldset[data-source-block][data-spare]')) {
    if (isBlankBlock(spare)) spare.remove();
  }
  const template = sourceBlocks(form)[0]?.cloneNode(true) as HTMLFieldSetElement | undefined;
  if (template === undefined) return;
  const add = document.createElement('button');
  add.type = 'button';
  add.className = 'secondary';
  add.textContent = 'Add another source';
  add.addEventListener('click', () => {
    const block = template.cloneNode(true) as HTMLFieldSetElement;
    for (const el of block.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(
      'input, select, textarea',
    )) {
      el.value = '';
      el.removeAttribute('aria-invalid');
    }
    for (const p of block.querySelectorAll('[data-field-error]')) {
      for (const el of block.querySelectorAll(`[aria-describedby~="${p.id}"]`)) removeFromDescribedBy(el, p.id);
      p.remove();
    }
    for (const el of block.querySelectorAll('.has-error')) el.classList.remove('has-error');
    block.querySelector('button[data-remove-source]')?.remove();
    const blocks = sourceBlocks(form);
    (blocks[blocks.length - 1] ?? add).after(block);
    addRemoveButton(form, block, add);
    renumberSources(form);
    block.querySelector<HTMLElement>('input, select')?.focus();
  });
  for (const block of sourceBlocks(form)) addRemoveButton(form, block, add);
  group.append(add);
  renumberSources(form);
}

function enhanceEvidenceForm(form: HTMLFormElement): void {
  enhanceSources(form);
  form.addEventListener('submit', (event) => {
    const fields = submittedForm(form);
    const errors = checkEvidenceForm(readEvidenceForm(fields));
    if (errors.length > 0) {
      event.preventDefault();
      showErrors(form, errors, keptSourceIndices(fields));
      return;
    }
    const retract = form.querySelector<HTMLInputElement>('input[data-confirm-retract]');
    if (retract?.checked === true) {
      const target = form.querySelector<HTMLInputElement>('input[name="supersedes"]')?.value.trim() ?? '';
      const ok = window.confirm(
        `Retract ${target}? The retraction withdraws that entry: it will stop counting in every assessment from this entry's dates on. The ledger keeps both entries.`,
      );
      if (!ok) event.preventDefault();
    }
  });
}

function focusServerErrors(): void {
  const summary = document.getElementById('error-summary');
  if (summary === null) return;
  linkSummaryToFields(summary);
  summary.focus();
}

function start(): void {
  enhanceAsOfForms();
  for (const form of document.querySelectorAll<HTMLFormElement>('form[data-evidence-form]')) enhanceEvidenceForm(form);
  focusServerErrors();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
