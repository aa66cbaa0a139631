/**
 * One benchmark as of a date: its status and since when, what the status rests on
 * (evidence, monitored absence, the case's default for subjects with no record, or what is
 * missing), the rule in words, each condition and indicator value (or the bounds known of
 * it), the missing inputs and why, flags, the reasons the engine gave, the gates that
 * depend on it, and the evidence trail — every cited entry with its dates and its graded
 * sources. A benchmark outside its validity window says so instead of a status.
 */
import { type BenchmarkResult, DEFAULT_STALE, staleAfter } from '../core/benchmarks.ts';
import type { Case } from '../core/case-model.ts';
import { indicatorInWords } from '../core/compile-case.ts';
import { asKnownOn, type Evidence } from '../core/evidence.ts';
import { describeGateRule, ruleBenchmarks } from '../core/gates.ts';
import { applicabilityAt } from '../core/validity.ts';
import {
  APPLICABILITY_LABEL,
  actorNames,
  basisLabel,
  defaultsText,
  flagMeanings,
  flagWords,
  laterSourcesText,
  reviewExample,
} from '../report/status-words.ts';
import {
  externalLink,
  gradeMark,
  html,
  joinMarkup,
  link,
  type Markup,
  occurrenceText,
  paths,
  statusBadge,
  tableWrap,
  urlOf,
} from './html.ts';
import { canWrite, keep, type PageContext, renderDocument } from './layout.ts';

export interface BenchmarkPageData {
  readonly case: Case;
  /** The benchmark's result from `assess(case, ledger, asOf).benchmarks`. */
  readonly result: BenchmarkResult;
  /** The as-of date of the assessment. */
  readonly asOf: string;
  /** Ledger entries to look the cited ids up in (the case's ledger; series points may be included). */
  readonly ledger: readonly Evidence[];
}

/** An indicator's value, or the bounds known of it ("at least 1", "between 1 and 3"), or "unknown". */
export function indicatorValueText(x: BenchmarkResult['indicators'][number]): string {
  if (x.value !== null) return String(x.value);
  if (x.atLeast !== undefined && x.atMost !== undefined) {
    return x.atLeast === x.atMost ? String(x.atLeast) : `between ${x.atLeast} and ${x.atMost}`;
  }
  if (x.atLeast !== undefined) return `at least ${x.atLeast}`;
  if (x.atMost !== undefined) return `at most ${x.atMost}`;
  return 'unknown';
}

function conditionText(v: boolean | null): string {
  return v === null ? 'unknown' : String(v);
}

/** One evidence entry with its sources, as shown in trails (also used by the evidence pages). */
export function evidenceArticle(
  ctx: PageContext,
  caseId: string,
  e: Evidence,
  headingLevel: 3 | 4 = 3,
  laterSources = 0,
): Markup {
  const h = headingLevel === 3 ? { open: html`<h3>`, close: html`</h3>` } : { open: html`<h4>`, close: html`</h4>` };
  const sources =
    e.sources.length === 0
      ? html`<p>No sources recorded.</p>`
      : html`<ul class="sources">${e.sources.map(
          (s) =>
            html`<li>${s.publisher}, “${externalLink(s.url, s.title)}”, ${s.date} — grade ${gradeMark(s.reliability, s.credibility)}${s.origin !== undefined && html` <span class="note">(origin: ${s.origin})</span>`}</li>`,
        )}</ul>${laterSources > 0 && html`<p class="note">${laterSourcesText(laterSources).trim()}</p>`}`;
  const facts: [string, string][] = [
    ['Kind', e.kind],
    ['Occurred', occurrenceText(e.occurred, e.occurredTo)],
    ['Reported', e.reported],
    ['Recorded', e.recorded],
  ];
  if (e.actors.length > 0) facts.push(['Actors', e.actors.join(', ')]);
  if (e.amount !== undefined) facts.push(['Amount', `${e.currency ?? ''} ${e.amount}`.trim()]);
  if (e.quantity !== undefined) {
    const q = e.quantity;
    facts.push(['Quantity', `${q.value}${q.of === undefined ? '' : ` of ${q.of}`}${q.unit === undefined ? '' : ` ${q.unit}`}`]);
  }
  if (e.tags.length > 0) facts.push(['Tags', e.tags.join(', ')]);
  if (e.supersedes !== undefined) {
    facts.push([e.retracted === true ? 'Retracts' : 'Corrects', e.supersedes]);
  }
  const correct =
    canWrite(ctx) &&
    html`<p>${link(urlOf(paths.newEvidence(caseId), keep(ctx, { supersedes: e.id })), `Correct or retract ${e.id}`, html` class="action"`)}</p>`;
  return html`<article class="evidence" id="ev-${e.id}">${h.open}<code>${e.id}</code>${h.close}<p class="description">${e.description}</p>${e.note !== undefined && html`<p class="note">Note: ${e.note}</p>`}<dl class="facts">${facts.map(([k, v]) => html`<div><dt>${k}</dt><dd>${v}</dd></div>`)}</dl><p class="sources-head">Sources</p>${sources}${correct}</article>`;
}

/** What the status rests on: the core's summary, the subjects a default decides, the monitoring and evidence relied on. */
function basisSection(c: Case, r: BenchmarkResult): Markup {
  const nameOf = actorNames(c);
  const parts: Markup[] = [html`<p class="basis-summary">${r.basis.summary}</p>`];
  const defaults = defaultsText(r.basis.defaults, nameOf);
  if (defaults.length > 0) {
    parts.push(
      html`<p>Subjects with no record, whose state comes from the case's default rather than from evidence:</p><ul>${defaults.map((d) => html`<li>${d}</li>`)}</ul>`,
    );
  }
  if (r.basis.monitoring.length > 0) {
    const title = new Map((c.monitoring ?? []).map((m) => [m.id, m.title]));
    parts.push(
      html`<p>Monitoring relied on: ${joinMarkup(
        r.basis.monitoring.map((id) => html`${title.get(id) ?? id} <code>${id}</code>`),
        '; ',
      )}.</p>`,
    );
  }
  if (r.basis.evidence.length > 0) {
    parts.push(
      html`<p>Evidence it rests on: ${joinMarkup(
        r.basis.evidence.map((id) =>
          r.evidence.includes(id) ? html`<a href="#ev-${id}"><code>${id}</code></a>` : html`<code>${id}</code>`,
        ),
        ', ',
      )}.</p>`,
    );
  }
  if (r.status !== 'not-applicable') {
    parts.push(html`<p>Newest evidence it counts: ${r.newest === null ? 'none' : html`<b>${r.newest}</b>`}.</p>`);
  }
  return html`<section aria-labelledby="h-basis"><h2 id="h-basis">What the status rests on</h2>${parts}</section>`;
}

export function renderBenchmarkPage(ctx: PageContext, data: BenchmarkPageData): string {
  const { case: c, result: r } = data;
  const bench = c.benchmarks.find((b) => b.id === r.id);
  // Each entry with the sources out by the date; those dated later are named as not counted.
  const byId = new Map(data.ledger.map((e) => [e.id, asKnownOn(e, data.asOf)]));
  const laterOf = new Map(data.ledger.map((e) => [e.id, e.sources.length - (byId.get(e.id)?.sources.length ?? 0)]));
  const indicatorTitle = new Map(c.indicators.map((i) => [i.id, i.title]));
  const body: Markup[] = [];
  const rests =
    r.status === 'not-applicable'
      ? html` — ${APPLICABILITY_LABEL[applicabilityAt(bench?.validity, data.asOf)]}`
      : html` — <span class="rests-inline">${basisLabel(r.status, r.basis)}</span>`;
  body.push(
    html`<h1>${r.title}</h1><p class="status-line">Status as of ${data.asOf}: ${statusBadge(r.status)}${r.since !== null && html` since <b>${r.since}</b>`}${rests}</p>`,
  );
  if (r.author !== null) body.push(html`<p class="author">Set by ${r.author}.</p>`);
  if (bench?.description !== undefined) body.push(html`<p>${bench.description}</p>`);
  body.push(basisSection(c, r));
  body.push(html`<section aria-labelledby="h-rule"><h2 id="h-rule">Rule</h2><p>${r.rule}.</p></section>`);

  const conditions = r.conditions.map((x) => html`<tr><td><code>${x.clause}</code></td><td>${conditionText(x.value)}</td></tr>`);
  const indicators = r.indicators.map(
    (x) => html`<tr><td>${indicatorTitle.get(x.id) ?? x.id} <code>${x.id}</code></td><td>${indicatorValueText(x)}</td></tr>`,
  );
  body.push(
    html`<section aria-labelledby="h-conditions"><h2 id="h-conditions">Conditions and indicators</h2>${tableWrap(
      'Conditions',
      html`<table class="board compact"><caption class="visually-hidden">Conditions</caption><thead><tr><th scope="col">Condition</th><th scope="col">Holds</th></tr></thead><tbody>${conditions}</tbody></table>`,
    )}${tableWrap(
      'Indicator values',
      html`<table class="board compact"><caption class="visually-hidden">Indicator values</caption><thead><tr><th scope="col">Indicator</th><th scope="col">Value</th></tr></thead><tbody>${indicators}</tbody></table>`,
    )}</section>`,
  );
  const why = new Map<string, string[]>();
  for (const g of r.basis.gaps) why.set(g.indicator, [...(why.get(g.indicator) ?? []), g.reason]);
  body.push(
    html`<section aria-labelledby="h-missing"><h2 id="h-missing">Missing inputs</h2>${
      r.missing.length === 0
        ? html`<p>None: every indicator has a value.</p>`
        : html`<p>These indicators are not pinned down, so the status is not assumed either way:</p><ul>${r.missing.map((id) => {
            const reasons = why.get(id) ?? [];
            const title = indicatorTitle.get(id);
            return html`<li>${title === undefined ? indicatorInWords(id) : html`${title} <code>${id}</code>`}${reasons.length > 0 && html`: ${reasons.join('; ')}`}</li>`;
          })}</ul>`
    }</section>`,
  );
  const limit = bench === undefined ? (c.stale ?? DEFAULT_STALE) : staleAfter(bench, c.stale);
  const meaning = flagMeanings(reviewExample(c));
  body.push(
    html`<section aria-labelledby="h-flags"><h2 id="h-flags">Flags</h2>${
      r.flags.length === 0
        ? html`<p>None.</p>`
        : html`<ul>${r.flags.map((f) => html`<li><b>${flagWords(f, r.newest, limit)}</b>: ${meaning[f]}</li>`)}</ul>`
    }</section>`,
  );
  body.push(
    html`<section aria-labelledby="h-reasons"><h2 id="h-reasons">Reasons</h2><ol class="reasons">${r.reasons.map((x) => html`<li>${x}</li>`)}</ol></section>`,
  );
  const gates = c.gates.filter((g) => ruleBenchmarks(g.rule).includes(r.id));
  if (gates.length > 0) {
    const title = new Map(c.instruments.map((i) => [i.id, i.title]));
    body.push(
      html`<section aria-labelledby="h-gates"><h2 id="h-gates">Gates that depend on it</h2><ul>${gates.map(
        (g) =>
          html`<li>${link(`${urlOf(paths.dashboard(c.id), keep(ctx))}#gate-${encodeURIComponent(g.instrument)}`, title.get(g.instrument) ?? g.instrument)}: ${describeGateRule(g.rule)}</li>`,
      )}</ul></section>`,
    );
  }
  const trail = r.evidence.map((id) => {
    const e = byId.get(id);
    return e === undefined
      ? html`<article class="evidence"><h3><code>${id}</code></h3><p>Not in the ledger (a point of a loaded data series, or an entry since withdrawn).</p></article>`
      : evidenceArticle(ctx, c.id, e, 3, laterOf.get(id) ?? 0);
  });
  body.push(
    html`<section aria-labelledby="h-trail"><h2 id="h-trail">Evidence trail (${r.evidence.length})</h2>${
      trail.length === 0 ? html`<p>No evidence bears on this benchmark yet.</p>` : trail
    }</section>`,
  );
  return renderDocument(ctx, {
    title: `${r.title} as of ${data.asOf}`,
    nav: 'cases',
    caseFrame: {
      caseId: c.id,
      caseTitle: c.title,
      section: 'benchmark',
      shownAsOf: data.asOf,
      asOfAction: paths.benchmark(c.id, r.id),
    },
    body: joinMarkup(body, '\n'),
  });
}
