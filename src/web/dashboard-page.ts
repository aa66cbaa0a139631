/**
 * The case dashboard: the brief, made navigable. It renders the rows of the brief model
 * (`buildFullBrief`) and the brief's SVG charts (`renderBriefCharts`), so the dashboard and
 * the printed brief always say the same thing; it adds links (benchmark details, evidence
 * search, the case as of an alert's date), the as-of control and the case's recent alerts.
 *
 * Order of reading, as in the brief: key figures, the bottom line (departures first) and
 * the confidence line, the gate board (warranted beside done), what would change this
 * (each instrument's section, `#instrument-<id>`, with its path to unlock and how firm its
 * decision is; fragile verdicts), the benchmark board (each status with what it rests
 * on), items not in force on the date, what changed, charts (money by declared flow),
 * issue areas, the justification matrix, alerts, sources.
 */
import type { Case } from '../core/case-model.ts';
import type { AlertRecord } from '../ports/team-store.ts';
import type { BriefModel, Citation, GateRow } from '../report/brief-model.ts';
import { formatAmount, notInForceNote, onBoard } from '../report/brief-model.ts';
import { moneyLeftOut } from '../report/brief-visuals.ts';
import type { ChartFigure } from '../report/charts/chart-figure.ts';
import { FLOW_SHORT } from '../report/charts/relationship-chart.ts';
import {
  chartSvg,
  citeRefs,
  citeRefsOrDash,
  doneCell,
  eventDataFigures,
  groupLines,
  renderBriefCharts,
  sensitivityText,
  unlockBlock,
} from '../report/html-brief.ts';
import { keyFigureAmount, keyFigures } from '../report/key-figures.ts';
import { basisLegend, flagLegend, laterSourcesText, NOT_IN_FORCE_KIND_WORDS } from '../report/status-words.ts';
import { describeAlert, evidenceLinks, newestFirst } from './alerts-page.ts';
import {
  convergenceBadge,
  decisionBadge,
  externalLink,
  html,
  joinMarkup,
  link,
  type Markup,
  occurrenceText,
  paths,
  statusBadge,
  tableWrap,
  urlOf,
  verdictBadge,
} from './html.ts';
import { keep, type PageContext, renderDocument } from './layout.ts';

export interface DashboardPageData {
  readonly case: Case;
  /** `buildFullBrief(case, ledger, asOf, since, inputs)` for the page's date. */
  readonly brief: BriefModel;
  /** Recent alerts of this case (any order; the newest 10 are shown). */
  readonly alerts: readonly AlertRecord[];
}

export const DASHBOARD_ALERT_LIMIT = 10;

/** The brief's key figures (counted in report/key-figures.ts), in the dashboard's markup. */
function keyFiguresList(m: BriefModel): Markup {
  return html`<ul class="figures">${keyFigures(m).map((f) => html`<li><b>${keyFigureAmount(f)}</b> ${f.label}</li>`)}</ul>`;
}

const NAME_CLASS = html` class="name"`;

function gateBoard(ctx: PageContext, c: Case, m: BriefModel): Markup {
  const rows = m.gates.map((g) => {
    const [tier = '', amount = '', , , waiver = '', rule = ''] = g.cells;
    const needs =
      g.missing.length > 0
        ? html`<ul class="needs">${g.missing.map((b) => html`<li>${link(urlOf(paths.benchmark(c.id, b.id), keep(ctx)), b.title)}</li>`)}</ul>`
        : waiver;
    const more = html`<a class="more" href="#instrument-${g.id}">${g.unlock === null ? 'How firm' : 'Path to unlock and how firm'}</a>`;
    return html`<tr id="gate-${g.id}"><th scope="row"><span class="name">${g.title}</span><span class="rule">Rule: ${rule}</span>${more}</th><td>${decisionBadge(g.decision)}</td><td>${doneCell(g)}</td><td>${needs}</td><td class="num">${tier}</td><td class="num">${amount}</td><td class="src">${citeRefsOrDash(g.cites)}</td></tr>`;
  });
  return html`${tableWrap(
    'Gate board',
    html`<table class="board"><thead><tr><th scope="col">Instrument</th><th scope="col">Warranted</th><th scope="col">Done</th><th scope="col">Still needs / waiver</th><th scope="col">Tier</th><th scope="col">Amount</th><th scope="col">Sources</th></tr></thead><tbody>${rows}</tbody></table>`,
  )}<p class="note">“Warranted”: what the gate decides from the benchmarks; “Done”: what the principal did with the instrument, as the evidence records it. A red flag marks a departure from what is warranted.</p>`;
}

/** One instrument: warranted beside done, its path to unlock (when it is not warranted) and how firm the decision is. */
function instrumentSection(g: GateRow): Markup {
  const unlock =
    g.unlock === null
      ? g.decision === 'unlocked' && html`<p>Warranted now: no path to unlock is needed.</p>`
      : html`<h4>Path to unlock</h4>${unlockBlock(g.unlock)}`;
  return html`<article class="instrument" id="instrument-${g.id}"><h3>${g.title}</h3><dl class="facts"><div><dt>Warranted</dt><dd>${decisionBadge(g.decision)}</dd></div><div><dt>Done</dt><dd>${doneCell(g)}</dd></div><div><dt>How firm</dt><dd>${sensitivityText(g.sensitivity)}</dd></div></dl>${unlock}</article>`;
}

/** "What would change this": every instrument in force with its path to unlock and sensitivity, then fragile verdicts. */
function whatWouldChange(m: BriefModel): Markup {
  const w = m.whatWouldChange;
  const verdicts = w.fragile.filter((f) => f.kind === 'justification');
  const fragile =
    verdicts.length > 0 &&
    html`<h3>Fragile verdicts</h3><ul class="fragile">${verdicts.map(
      (f) =>
        html`<li><span class="name">${f.title}</span> <span class="rule">verdict now: ${f.now}</span>${sensitivityText(f.sensitivity)}</li>`,
    )}</ul>`;
  const note =
    w.robust + w.fragile.length === 0
      ? w.notAssessed > 0 && html`<p class="note">The robustness of the decisions and verdicts was not assessed.</p>`
      : html`<p class="note">${`${w.fragile.length} fragile, ${w.robust} robust${w.notAssessed > 0 ? `, ${w.notAssessed} not assessed` : ''}. Changes tried one at a time: two adjacent interests swapping ranks, one cited item removed, the author's and the analysis's claims dropped, a source graded one step lower.`}</p>`;
  return html`<section aria-labelledby="h-change"><h2 id="h-change">What would change this</h2>${m.gates.map(instrumentSection)}${fragile}${note}</section>`;
}

/** Money by declared flow: who paid whom, and what was left out. */
function moneyTable(m: BriefModel): Markup | '' {
  const r = m.money;
  if (r === undefined) return '';
  const rows = r.entries.map(
    (e) =>
      html`<tr><td class="date">${e.date}</td><td>${FLOW_SHORT[e.flow]}</td><td>${e.payer} → ${e.payee}</td><td class="num">${formatAmount(e.amount, r.currency || null)}</td><td>${e.description}</td><td class="src">${citeRefs(e.cites)}</td></tr>`,
  );
  const left = moneyLeftOut(r);
  return html`${
    rows.length === 0
      ? html`<p>No entry declares a flow of money (payer and direction), so nothing is charted.</p>`
      : tableWrap(
          'Money by flow',
          html`<table class="board"><thead><tr><th scope="col">Date</th><th scope="col">Flow</th><th scope="col">Payer → payee</th><th scope="col">Amount</th><th scope="col">What</th><th scope="col">Sources</th></tr></thead><tbody>${rows}</tbody></table>`,
        )
  }${left.length > 0 && html`<p class="note">${left.join('; ')}: only money with a declared payer and direction is counted.</p>`}`;
}

function benchmarkBoard(ctx: PageContext, c: Case, m: BriefModel): Markup {
  const rows = m.benchmarks.filter(onBoard).map((b) => {
    const [, , since = '', , count = '', grade = ''] = b.cells;
    const flagList = b.flags.length === 0 ? '—' : html`<ul class="plain">${b.flags.map((f) => html`<li>${f.text}</li>`)}</ul>`;
    // The core's summary names the subjects a default decides; otherwise they are named here.
    const defaults =
      b.basis.kind === 'default' || b.basis.defaults.length === 0
        ? ''
        : html`<span class="rule">${b.basis.defaults.join('; ')}</span>`;
    return html`<tr id="benchmark-${b.id}"><th scope="row">${link(urlOf(paths.benchmark(c.id, b.id), keep(ctx)), b.title, NAME_CLASS)}<span class="rule basis">${b.basis.summary}</span>${defaults}</th><td>${statusBadge(b.status)}<span class="rests">${b.basis.label}</span></td><td class="date">${since}</td><td>${flagList}</td><td class="num">${count}</td><td class="num"><span class="grade">${grade}</span></td><td class="src">${citeRefsOrDash(b.cites)}</td></tr>`;
  });
  const notes = [...basisLegend(m.benchmarks), ...flagLegend(m.benchmarks, m.reviewExample)];
  return html`${groupLines(m)}${tableWrap(
    'Benchmark board',
    html`<table class="board"><thead><tr><th scope="col">Benchmark and what its status rests on</th><th scope="col">Status</th><th scope="col">Since</th><th scope="col">Flags</th><th scope="col">Evidence items</th><th scope="col">Best grade</th><th scope="col">Sources</th></tr></thead><tbody>${rows}</tbody></table>`,
  )}${notes.length > 0 && html`<p class="note">${notes.join(' ')}</p>`}`;
}

/** Items outside their validity window on the date, apart from the boards; benchmarks link to their detail. */
function notInForce(ctx: PageContext, c: Case, m: BriefModel): Markup | '' {
  const items = m.notInForce ?? [];
  if (items.length === 0) return '';
  const rows = items.map((x) => {
    const name =
      x.kind === 'benchmark'
        ? link(urlOf(paths.benchmark(c.id, x.id), keep(ctx)), x.title, NAME_CLASS)
        : html`<span class="name">${x.title}</span>`;
    return html`<tr class="inapplicable" id="${`${x.kind}-${x.id}`}"><th scope="row">${name}</th><td>${NOT_IN_FORCE_KIND_WORDS[x.kind]}</td><td><span class="badge tone-na">${x.label}</span></td><td>${x.detail}</td></tr>`;
  });
  return html`<section aria-labelledby="h-not-in-force"><h2 id="h-not-in-force">Not in force on ${m.asOf}</h2><p class="note">${notInForceNote(m, true)}</p>${tableWrap(
    'Not in force',
    html`<table class="board"><thead><tr><th scope="col">Item</th><th scope="col">Kind</th><th scope="col">On this date</th><th scope="col">Why</th></tr></thead><tbody>${rows}</tbody></table>`,
  )}</section>`;
}

/** A chart with its title, caption and a text version (the summary) for readers without the picture. */
export function chartFigure(f: ChartFigure, n: number): Markup {
  const svg = chartSvg(f, html`role="img" aria-label="${f.title}. ${f.caption}" focusable="false" `);
  return html`<figure class="chart" id="${f.id}"><div class="chart-scroll">${svg}</div><figcaption><b>Figure ${n}. ${f.title}.</b> ${f.caption}<details><summary>The chart in words</summary><ul>${f.summary.map((s) => html`<li>${s}</li>`)}</ul></details></figcaption></figure>`;
}

const MARK_TEXT: Readonly<Record<string, string>> = {
  claimed: 'serves',
  harmed: 'HARMS',
  'claimed-harmed': 'serves? HARMS',
  none: '·',
};

/** Justifications × interests, with the verdict in words (shared with the justifications page). */
export function justificationMatrixTable(matrix: NonNullable<BriefModel['matrix']>, withCites: boolean): Markup {
  const head = matrix.interests.map(
    (i) => html`<th scope="col" class="interest"><abbr title="${i.title}">#${i.rank}</abbr></th>`,
  );
  const rows = matrix.rows.map((r) => {
    const marks = r.marks.map((mk, i) => {
      const interest = matrix.interests[i];
      const words = mk === 'none' ? 'not named' : MARK_TEXT[mk];
      return html`<td class="mark ${mk}"><span aria-hidden="true">${MARK_TEXT[mk] ?? mk}</span><span class="visually-hidden">${`${interest?.title ?? ''}: ${words ?? mk}`}</span></td>`;
    });
    const cites = withCites && html`<td class="src">${citeRefsOrDash(r.cites)}</td>`;
    return html`<tr id="matrix-${r.id}"><th scope="row"><span class="name">${r.title}</span><span class="rule">For ${r.instrument}.</span></th>${marks}<td>${verdictBadge(r.verdict)}<span class="rule">${r.decision}</span></td>${cites}</tr>`;
  });
  const legend = matrix.interests.map((i) => html`<li><b>#${i.rank}</b> ${i.title}</li>`);
  return html`${tableWrap(
    'Justification matrix',
    html`<table class="board matrix"><thead><tr><th scope="col">Justification</th>${head}<th scope="col">Verdict</th>${withCites && html`<th scope="col">Sources</th>`}</tr></thead><tbody>${rows}</tbody></table>`,
  )}<p class="note">Interests by rank (1 matters most). “serves”: the justification claims the instrument serves this interest; “HARMS”: the case records that the instrument harms it (“serves? HARMS”: both).</p><ol class="interests">${legend}</ol>`;
}

function issueAreas(m: BriefModel): Markup | '' {
  const x = m.issueAreas;
  if (x === undefined) return '';
  const rows = x.rows.map(
    (r) =>
      html`<tr><th scope="row"><span class="name">${r.title}</span><span class="rule">${r.position}</span></th><td>${convergenceBadge(r.convergence)}${r.qualifier !== undefined && html`<span class="rule">(${r.qualifier})</span>`}</td><td class="num">${String(r.aligned.weight)} ${citeRefs(r.aligned.cites)}</td><td class="num">${String(r.opposed.weight)} ${citeRefs(r.opposed.cites)}</td><td>${r.decision}</td></tr>`,
  );
  return html`<section aria-labelledby="h-issues"><h2 id="h-issues">Issue areas: where interests converge</h2>${tableWrap(
    'Issue areas',
    html`<table class="board"><thead><tr><th scope="col">Issue area</th><th scope="col">Convergence</th><th scope="col">With</th><th scope="col">Against</th><th scope="col">Deciding reason</th></tr></thead><tbody>${rows}</tbody></table>`,
  )}</section>`;
}

function citation(ctx: PageContext, caseId: string, c: Citation): Markup {
  const e = c.evidence;
  const sources = e.sources.map(
    (s) =>
      html`${s.publisher}, “${externalLink(s.url, s.title)}”, ${s.date} <span class="grade">${`${s.reliability}${s.credibility}`}</span>`,
  );
  const note = e.note !== undefined && html` <span class="note">${e.note}</span>`;
  return html`<li id="c${c.n}">${evidenceLinks(ctx, caseId, [e.id])} ${e.description} <span class="kind">(${e.kind}, ${occurrenceText(e.occurred, e.occurredTo)}; reported ${e.reported})</span>. Sources: ${sources.length === 0 ? 'none' : joinMarkup(sources, '; ')}.${laterSourcesText(c.laterSources)}${note}</li>`;
}

export function renderDashboardPage(ctx: PageContext, data: DashboardPageData): string {
  const { case: c, brief: m } = data;
  const charts = renderBriefCharts(m);
  let n = 0;
  const fig = (f: ChartFigure) => chartFigure(f, ++n);
  const body: (Markup | '')[] = [];
  body.push(html`<h1>${m.title}</h1><p class="lede">Assessment as of <b>${m.asOf}</b>.</p>${keyFiguresList(m)}`);
  body.push(
    html`<section class="bottom-line" aria-labelledby="h-bottom"><h2 id="h-bottom">Bottom line</h2><ul class="lines">${m.bottomLine.map((s) => html`<li>${s.text}${citeRefs(s.cites)}</li>`)}</ul><p class="confidence">${m.confidence.text}</p></section>`,
  );
  body.push(
    html`<section aria-labelledby="h-gates"><h2 id="h-gates">Gate board: what is warranted, and what was done</h2>${gateBoard(ctx, c, m)}</section>`,
  );
  body.push(whatWouldChange(m));
  body.push(
    html`<section aria-labelledby="h-benchmarks"><h2 id="h-benchmarks">Benchmark board</h2><p class="note">Select a benchmark for its rule, reasons and evidence trail.</p>${benchmarkBoard(ctx, c, m)}</section>`,
  );
  body.push(notInForce(ctx, c, m));
  if (m.changes !== undefined) {
    const items =
      m.changes.length === 0
        ? html`<li>Nothing changed.</li>`
        : m.changes.map((ch) => html`<li>${ch.text}${citeRefs(ch.cites)}</li>`);
    body.push(
      html`<section aria-labelledby="h-changes"><h2 id="h-changes">What changed since ${m.since ?? ''}</h2><ul class="changes">${items}</ul></section>`,
    );
  }
  const status = charts.filter((f) => f.id === 'fig-status');
  const money = charts.filter((f) => f.id === 'fig-money');
  const indicators = charts.filter((f) => f.id.startsWith('fig-ind'));
  const structural = charts.filter((f) => f.id.startsWith('fig-series'));
  const events = charts.filter((f) => f.id.startsWith('fig-events'));
  if (status.length > 0) {
    body.push(html`<section aria-labelledby="h-timeline"><h2 id="h-timeline">Status timeline</h2>${status.map(fig)}</section>`);
  }
  if (m.money !== undefined) {
    body.push(
      html`<section aria-labelledby="h-money"><h2 id="h-money">The relationship in money</h2>${money.map(fig)}${moneyTable(m)}</section>`,
    );
  }
  if (indicators.length > 0) {
    body.push(
      html`<section aria-labelledby="h-indicators"><h2 id="h-indicators">Indicators</h2>${indicators.map(fig)}</section>`,
    );
  }
  if (structural.length > 0) {
    body.push(
      html`<section aria-labelledby="h-structural"><h2 id="h-structural">Convergence and structural series</h2>${structural.map(fig)}</section>`,
    );
  }
  if (m.eventSeries !== undefined && m.eventSeries.length > 0) {
    body.push(
      html`<section aria-labelledby="h-events"><h2 id="h-events">Event data</h2>${eventDataFigures(m.eventSeries, events, fig)}</section>`,
    );
  }
  body.push(issueAreas(m));
  if (m.matrix !== undefined) {
    body.push(
      html`<section aria-labelledby="h-matrix"><h2 id="h-matrix">Justifications against interests</h2><p>${link(urlOf(paths.justifications(c.id), keep(ctx)), 'All justifications with their reasons')}</p>${justificationMatrixTable(m.matrix, true)}</section>`,
    );
  }
  const alerts = newestFirst(data.alerts).slice(0, DASHBOARD_ALERT_LIMIT);
  body.push(
    html`<section aria-labelledby="h-alerts"><h2 id="h-alerts">Recent alerts</h2>${
      alerts.length === 0
        ? html`<p>No alerts for this case.</p>`
        : html`<ul class="alerts">${alerts.map((a) => html`<li><span class="when">${a.at}</span> ${describeAlert(ctx, a, c)}. Evidence: ${evidenceLinks(ctx, c.id, a.evidenceIds)}</li>`)}</ul><p>${link(urlOf(paths.alerts(), keep(ctx)), 'All alerts')}</p>`
    }</section>`,
  );
  body.push(
    html`<section class="citations" aria-labelledby="h-sources"><h2 id="h-sources">Sources cited</h2><p class="note">Grades: source reliability A (reliable) to F (cannot be judged); information credibility 1 (confirmed) to 6 (cannot be judged).</p><ol>${m.citations.map((ci) => citation(ctx, c.id, ci))}</ol></section>`,
  );
  body.push(html`<p class="digest">Inputs digest <code>${m.digest}</code></p>`);
  return renderDocument(ctx, {
    title: `${m.title} as of ${m.asOf}`,
    nav: 'cases',
    caseFrame: {
      caseId: c.id,
      caseTitle: c.title,
      section: 'dashboard',
      shownAsOf: m.asOf,
      asOfAction: paths.dashboard(c.id),
    },
    body: joinMarkup(body, '\n'),
  });
}
