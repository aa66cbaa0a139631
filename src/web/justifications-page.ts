/**
 * The justification matrix (justifications × the principal's interests by rank) with each
 * verdict, then every justification in full: the claim, who made it, the weights of the
 * evidence for and against, the deciding sentence and the reasons, with the cited entries
 * linked to the evidence browser. Justifications not in force on the date (their own
 * validity window, or their instrument's) are listed apart, unjudged.
 */
import type { Assessment } from '../core/assess.ts';
import type { Case } from '../core/case-model.ts';
import { VERDICT_RULE } from '../core/justifications.ts';
import type { Sensitivity } from '../core/sensitivity-types.ts';
import { buildJustificationMatrix } from '../report/brief-visuals.ts';
import { durationsInWords, strengthWords } from '../report/principal-words.ts';
import { evidenceLinks } from './alerts-page.ts';
import { justificationMatrixTable } from './dashboard-page.ts';
import { html, joinMarkup, type Markup, paths, verdictBadge } from './html.ts';
import { type PageContext, renderDocument } from './layout.ts';

export interface JustificationsPageData {
  readonly case: Case;
  /** `assess(case, ledger, asOf)` for the page's date. */
  readonly assessment: Assessment;
}

/** How firmly a verdict stands: the engine's summary, with the evidence its flips name linked; "not assessed" without one. */
function firmness(ctx: PageContext, caseId: string, s: Sensitivity | null): Markup {
  if (s === null) return html`<span class="muted">not assessed</span>`;
  const ids = [...new Set(s.flips.filter((f) => f.change !== 'rank-swap').flatMap((f) => f.subjects))];
  return html`<span class="robust-${s.label}">${durationsInWords(s.summary)}</span>${ids.length > 0 && html` ${evidenceLinks(ctx, caseId, ids)}`}`;
}

export function renderJustificationsPage(ctx: PageContext, data: JustificationsPageData): string {
  const { case: c, assessment: a } = data;
  const matrix = buildJustificationMatrix(c, a, () => []);
  const interestTitle = new Map(c.interests.map((i) => [i.id, `${i.title} (rank ${i.rank})`]));
  const instrumentTitle = new Map(c.instruments.map((i) => [i.id, i.title]));
  const body: Markup[] = [];
  body.push(
    html`<h1>Justifications</h1><p class="lede">Verdicts as of <b>${a.asOf}</b>, computed from the evidence; never written into the case.</p>`,
  );
  if (a.justifications.length === 0) {
    body.push(html`<p>This case states no justifications.</p>`);
  } else {
    if (matrix !== undefined) {
      body.push(
        html`<section aria-labelledby="h-matrix"><h2 id="h-matrix">Matrix</h2>${justificationMatrixTable(matrix, false)}</section>`,
      );
    }
    const article = (j: Assessment['justifications'][number]) => {
      const stated = c.justifications.find((x) => x.id === j.id);
      const claim =
        stated !== undefined &&
        html`<blockquote class="claim"><p>${stated.claim}</p><footer>${stated.claimedBy === undefined ? 'No one states it: a justification the case considers.' : `— ${stated.claimedBy}`}</footer></blockquote>`;
      if (j.verdict === 'not-applicable') {
        return html`<article class="justification inapplicable" id="j-${j.id}"><h3>${j.title}</h3><p>For <b>${instrumentTitle.get(j.instrument) ?? j.instrument}</b>. Verdict: ${verdictBadge(j.verdict)}</p>${claim}<p class="decision">${j.decision}</p></article>`;
      }
      return html`<article class="justification" id="j-${j.id}"><h3>${j.title}</h3><p>For <b>${instrumentTitle.get(j.instrument) ?? j.instrument}</b>. Verdict: ${verdictBadge(j.verdict)}</p>${claim}<p class="decision">${j.decision}</p><dl class="facts"><div><dt>Claims to serve</dt><dd>${j.serves.map((id) => interestTitle.get(id) ?? id).join('; ') || 'no interest of the principal'}</dd></div><div><dt>Evidence for</dt><dd>${`${strengthWords(j.support)} (${j.support})`}</dd></div><div><dt>Evidence against</dt><dd>${`${strengthWords(j.opposition)} (${j.opposition})`}</dd></div><div><dt>Cited evidence</dt><dd>${evidenceLinks(ctx, c.id, j.evidence)}</dd></div><div><dt>How firm</dt><dd>${firmness(ctx, c.id, j.sensitivity)}</dd></div></dl><details><summary>Reasons</summary><ol class="reasons">${j.reasons.map((r) => html`<li>${r}</li>`)}</ol></details></article>`;
    };
    const inForce = a.justifications.filter((j) => j.verdict !== 'not-applicable');
    const apart = a.justifications.filter((j) => j.verdict === 'not-applicable');
    if (inForce.length > 0) {
      body.push(html`<section aria-labelledby="h-each"><h2 id="h-each">Each justification</h2>${inForce.map(article)}</section>`);
    }
    if (apart.length > 0) {
      body.push(
        html`<section aria-labelledby="h-not-in-force"><h2 id="h-not-in-force">Not in force on ${a.asOf}</h2><p class="note">Not judged on this date: the justification, or its instrument, is outside its validity window.</p>${apart.map(article)}</section>`,
      );
    }
  }
  body.push(
    html`<section aria-labelledby="h-rule"><h2 id="h-rule">How verdicts are decided</h2><p>${VERDICT_RULE}.</p></section>`,
  );
  return renderDocument(ctx, {
    title: `Justifications as of ${a.asOf}`,
    nav: 'cases',
    caseFrame: {
      caseId: c.id,
      caseTitle: c.title,
      section: 'justifications',
      shownAsOf: a.asOf,
      asOfAction: paths.justifications(c.id),
    },
    body: joinMarkup(body, '\n'),
  });
}
