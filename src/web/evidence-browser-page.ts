/**
 * The evidence browser: a GET filter form (dates, actor, kind, minimum reliability, words)
 * over the ledger and one page of matching entries, newest first (`queryEvidence`). Every
 * query value is echoed back escaped, invalid ones with a message instead of being
 * silently dropped; paging links keep the filters and the as-of date. Superseded and
 * retracted entries stay listed, marked in words, since the ledger never forgets.
 */
import type { Case } from '../core/case-model.ts';
import { RELIABILITIES, type Reliability } from '../core/case-model.ts';
import { dateProblem } from '../core/dates.ts';
import { bestGrade, type Evidence } from '../core/evidence.ts';
import { type EvidenceFilter, queryEvidence } from '../core/evidence-query.ts';
import type { FieldError } from './form-fields.ts';
import {
  externalLink,
  hiddenFields,
  html,
  link,
  occurrenceText,
  paths,
  type QueryParams,
  RELIABILITY_TEXT,
  tableWrap,
  urlOf,
} from './html.ts';
import { canWrite, keep, type PageContext, renderDocument } from './layout.ts';

export const EVIDENCE_PAGE_SIZE = 25;
const MAX_QUERY_LENGTH = 200;

/** The browser's query string as received (`from`, `to`, `actor`, `kind`, `reliability`, `q`, `page`). */
export type EvidenceBrowserParams = Readonly<Record<string, string | undefined>>;

export interface ParsedEvidenceQuery {
  readonly filter: EvidenceFilter;
  /** 1-based. */
  readonly page: number;
  /** Values that could not be used (each left out of the query). */
  readonly problems: readonly FieldError[];
}

/** Reads the browser's (or the API's) query parameters into a query; never throws. */
export function parseEvidenceQuery(params: EvidenceBrowserParams): ParsedEvidenceQuery {
  const problems: FieldError[] = [];
  const value = (k: string) => (params[k] ?? '').trim();
  const query: { -readonly [K in keyof EvidenceFilter]: EvidenceFilter[K] } = {};
  for (const k of ['from', 'to'] as const) {
    const v = value(k);
    if (v === '') continue;
    const problem = dateProblem(v);
    if (problem === undefined) query[k] = v;
    else problems.push({ path: k, message: problem });
  }
  if (query.from !== undefined && query.to !== undefined && query.to < query.from) {
    problems.push({
      path: 'to',
      message: `"to" (${query.to}) is before "from" (${query.from}); no entry can match: swap the dates`,
    });
  }
  const actor = value('actor');
  if (actor !== '') query.actor = actor;
  const kind = value('kind');
  if (kind !== '') query.kind = kind;
  const reliability = value('reliability').toUpperCase();
  if (reliability !== '') {
    if ((RELIABILITIES as readonly string[]).includes(reliability)) query.reliability = reliability as Reliability;
    else
      problems.push({
        path: 'reliability',
        message: `"${value('reliability')}" is not a reliability grade: choose A (best) to F`,
      });
  }
  const q = value('q');
  if (q !== '') {
    if (q.length > MAX_QUERY_LENGTH)
      problems.push({ path: 'q', message: `the search text is longer than ${MAX_QUERY_LENGTH} characters: shorten it` });
    else query.q = q;
  }
  const pageText = value('page');
  let page = 1;
  if (pageText !== '') {
    if (/^\d{1,9}$/.test(pageText) && Number(pageText) >= 1) page = Number(pageText);
    else problems.push({ path: 'page', message: `"${pageText}" is not a page number` });
  }
  return { filter: query, page, problems };
}

export interface EvidenceBrowserPageData {
  readonly case: Case;
  /** The entries to search: the case's ledger as known on the page's date (superseded and retracted entries included; they are marked). */
  readonly entries: readonly Evidence[];
  /** The query string as received. */
  readonly params: EvidenceBrowserParams;
  readonly pageSize?: number;
}

/** The filter values to keep in links, exactly as the user gave them. */
function filterParams(params: EvidenceBrowserParams): QueryParams {
  const out: Record<string, string | undefined> = {};
  for (const k of ['from', 'to', 'actor', 'kind', 'reliability', 'q']) out[k] = params[k]?.trim();
  return out;
}

function statusOf(e: Evidence, supersededBy: ReadonlyMap<string, Evidence>): string {
  const parts: string[] = [];
  const later = supersededBy.get(e.id);
  if (later !== undefined) parts.push(`${later.retracted === true ? 'retracted by' : 'superseded by'} ${later.id}`);
  if (e.supersedes !== undefined) parts.push(`${e.retracted === true ? 'retracts' : 'corrects'} ${e.supersedes}`);
  return parts.length === 0 ? 'standing' : parts.join('; ');
}

export function renderEvidenceBrowserPage(ctx: PageContext, data: EvidenceBrowserPageData): string {
  const c = data.case;
  const size = data.pageSize ?? EVIDENCE_PAGE_SIZE;
  const parsed = parseEvidenceQuery(data.params);
  const result = queryEvidence(data.entries, parsed.filter, { offset: (parsed.page - 1) * size, limit: size });
  const supersededBy = new Map<string, Evidence>();
  for (const e of data.entries) if (e.supersedes !== undefined) supersededBy.set(e.supersedes, e);
  const actorName = new Map(c.actors.map((a) => [a.id, a.name]));
  const raw = filterParams(data.params);
  const rawText = (k: string) => String(raw[k] ?? '');
  const problemFor = new Map(parsed.problems.map((p) => [p.path, p.message]));
  const invalid = (k: string) => problemFor.has(k) && html` aria-invalid="true" aria-describedby="filter-${k}-error"`;
  const fieldError = (k: string) =>
    problemFor.has(k) &&
    html`<p class="field-error" id="filter-${k}-error"><span class="visually-hidden">Error: </span>${problemFor.get(k) ?? ''}</p>`;

  const option = (value: string, label: string, selected: string) =>
    html`<option value="${value}"${value === selected && html` selected`}>${label}</option>`;
  // A value given in the URL but absent from the ledger is still offered, so the form shows what was asked.
  const withGiven = (values: readonly string[], given: string) =>
    given === '' || values.includes(given) ? values : [given, ...values];
  const actorOptions = withGiven(result.facets.actors, rawText('actor')).map((a) =>
    option(a, actorName.has(a) ? `${actorName.get(a)} (${a})` : a, rawText('actor')),
  );
  const kindOptions = withGiven(result.facets.kinds, rawText('kind')).map((k) => option(k, k, rawText('kind')));
  const givenReliability = rawText('reliability').toUpperCase();
  const reliabilityOptions = RELIABILITIES.map((r) =>
    option(r, r === 'A' ? `A only (${RELIABILITY_TEXT.A})` : `${r} or better`, givenReliability),
  );

  const form = html`<form method="get" action="${paths.evidence(c.id)}" class="filter-form" role="search" aria-label="Filter evidence">
${hiddenFields({ asOf: ctx.asOf })}
<div class="field"><label for="filter-from">Occurred from</label><input type="date" id="filter-from" name="from" value="${rawText('from')}"${invalid('from')}>${fieldError('from')}</div>
<div class="field"><label for="filter-to">Occurred to</label><input type="date" id="filter-to" name="to" value="${rawText('to')}"${invalid('to')}>${fieldError('to')}</div>
<div class="field"><label for="filter-actor">Actor</label><select id="filter-actor" name="actor">${option('', 'Any actor', rawText('actor'))}${actorOptions}</select></div>
<div class="field"><label for="filter-kind">Kind</label><select id="filter-kind" name="kind">${option('', 'Any kind', rawText('kind'))}${kindOptions}</select></div>
<div class="field"><label for="filter-reliability">Best source reliability</label><select id="filter-reliability" name="reliability"${invalid('reliability')}>${option('', 'Any', givenReliability)}${reliabilityOptions}</select>${fieldError('reliability')}</div>
<div class="field wide"><label for="filter-q">Words</label><input type="search" id="filter-q" name="q" value="${rawText('q')}" aria-describedby="filter-q-hint${problemFor.has('q') && ' filter-q-error'}"${problemFor.has('q') && html` aria-invalid="true"`}><p class="hint" id="filter-q-hint">Every word must appear in the id, kind, description, actors, tags or a source's publisher or title.</p>${fieldError('q')}</div>
<div class="form-actions"><button type="submit">Filter</button> ${link(urlOf(paths.evidence(c.id), keep(ctx)), 'Clear filters')}</div>
</form>`;

  const write = canWrite(ctx);
  const rows = result.items.map((e) => {
    const sources =
      e.sources.length === 0
        ? 'none'
        : html`<ul class="plain">${e.sources.map((s) => html`<li>${s.publisher}: ${externalLink(s.url, s.title)} <span class="grade">${`${s.reliability}${s.credibility}`}</span></li>`)}</ul>`;
    const actors = e.actors.map((a) => actorName.get(a) ?? a).join(', ') || '—';
    const action =
      write &&
      html`<td>${link(urlOf(paths.newEvidence(c.id), keep(ctx, { supersedes: e.id })), 'Correct', html` aria-label="${`Correct or retract ${e.id}`}"`)}</td>`;
    return html`<tr id="ev-${e.id}"><td class="date">${occurrenceText(e.occurred, e.occurredTo)}</td><th scope="row"><code>${e.id}</code></th><td>${e.kind}</td><td>${e.description}${e.note !== undefined && html`<span class="rule">Note: ${e.note}</span>`}</td><td>${actors}</td><td class="num"><span class="grade">${bestGrade(e)}</span></td><td>${sources}</td><td>${statusOf(e, supersededBy)}</td>${action}</tr>`;
  });
  const first = result.total === 0 ? 0 : (parsed.page - 1) * size + 1;
  const last = Math.min(result.total, parsed.page * size);
  const pages = Math.max(1, Math.ceil(result.total / size));
  const pageLink = (p: number, text: string, rel: 'prev' | 'next') =>
    link(urlOf(paths.evidence(c.id), keep(ctx, { ...raw, page: p === 1 ? undefined : p })), text, html` rel="${rel}"`);
  const pager =
    (pages > 1 || parsed.page !== 1) &&
    html`<nav class="pager" aria-label="Pages"><ul>${parsed.page > 1 && html`<li>${pageLink(Math.min(parsed.page - 1, pages), 'Previous page', 'prev')}</li>`}<li>Page ${parsed.page} of ${pages}</li>${parsed.page < pages && html`<li>${pageLink(parsed.page + 1, 'Next page', 'next')}</li>`}</ul></nav>`;
  const table =
    result.items.length === 0
      ? html`<p>${result.total === 0 ? 'No entries match these filters.' : 'No entries on this page.'}</p>`
      : tableWrap(
          'Evidence entries',
          html`<table class="board evidence-table"><caption class="visually-hidden">Evidence entries ${first} to ${last} of ${result.total}, newest first</caption><thead><tr><th scope="col">Occurred</th><th scope="col">Id</th><th scope="col">Kind</th><th scope="col">Description</th><th scope="col">Actors</th><th scope="col">Best grade</th><th scope="col">Sources</th><th scope="col">Status</th>${write && html`<th scope="col">Action</th>`}</tr></thead><tbody>${rows}</tbody></table>`,
        );
  const add = write && html`<p>${link(urlOf(paths.newEvidence(c.id), keep(ctx)), 'Add evidence', html` class="action"`)}</p>`;
  const summary = html`<p class="result-count">${result.total === 0 ? 'No entries' : `Entries ${first}–${last} of ${result.total}`}, newest first.</p>`;
  return renderDocument(ctx, {
    title: 'Evidence',
    nav: 'cases',
    caseFrame: {
      caseId: c.id,
      caseTitle: c.title,
      section: 'evidence',
      asOfAction: paths.evidence(c.id),
      asOfKeep: raw,
    },
    body: html`<h1>Evidence</h1>${add}${form}${summary}${table}${pager}`,
  });
}
