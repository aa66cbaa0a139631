/**
 * The list of cases the user can open, each linking to its dashboard (as of the date in use).
 */
import type { Case } from '../core/case-model.ts';
import { actorNames } from '../report/status-words.ts';
import { html, link, paths, urlOf } from './html.ts';
import { keep, type PageContext, renderDocument } from './layout.ts';

/**
 * What the list shows of a case; a `Case` fits. The principal and counterpart are shown by
 * the names the case gives its actors (`actors`), by id where it names none.
 */
export type CaseSummary = Pick<Case, 'id' | 'title' | 'principal' | 'counterpart'> & {
  readonly actors?: Case['actors'];
  readonly description?: string;
};

export interface CaseListPageData {
  readonly cases: readonly CaseSummary[];
}

export function renderCaseListPage(ctx: PageContext, data: CaseListPageData): string {
  const items = data.cases.map((c) => {
    const nameOf = actorNames({ actors: c.actors ?? [] });
    return html`<li class="case-item"><h2>${link(urlOf(paths.dashboard(c.id), keep(ctx)), c.title)}</h2><p class="meta">${nameOf(c.principal)} and ${nameOf(c.counterpart)} · <code>${c.id}</code></p>${c.description !== undefined && html`<p>${c.description}</p>`}</li>`;
  });
  const body =
    data.cases.length === 0
      ? html`<p>No cases yet. Load one with <code>proviso serve &lt;case folder&gt;</code>.</p>`
      : html`<ul class="case-list">${items}</ul>`;
  return renderDocument(ctx, { title: 'Cases', nav: 'cases', body: html`<h1>Cases</h1>${body}` });
}
