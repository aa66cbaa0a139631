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
import { formatAmount } from '../report/brief-model.ts';
import { moneyLeftOut } from '../report/brief-visuals.ts';
import type { ChartFigure } from '../report/charts/chart-figure.ts';
import { FLOW_SHORT } from '../report/charts/relationship-chart.ts';
import { citeRefs, doneCell, eventDataFigures, renderBriefCharts, sensitivityText, unlockBlock } from '../report/html-brief.ts';
import { keyFigureAmount, keyFigures } from '../report/key-figures.ts';
import { basisLegend, flagLegend, NOT_IN_FORCE_KIND_WORDS } from '../report/status-words.ts';
import { describeAlert, evidenceLinks, newestFirst } from './alerts-page.ts';
import {
  convergenceBadge,
  decisionBadge,
  escapeHtml,
  externalLink,
  link,
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
function keyFiguresList(m: BriefModel): string {
  return `<ul class="figures">${keyFigures(m)
    .map((f) => `<li><b>${escapeHtml(keyFigureAmount(f))}</b> ${escapeHtml(f.label)}</li>`)
    .join('')}</ul>`;
}

function gateBoard(ctx: PageContext, c: Case, m: BriefModel): string {
  const rows = m.gates.map((g) => {
    const [tier = '', amount = '', , , waiver = '', rule = ''] = g.cells;
    const needs =
      g.missing.length > 0
        ? `<ul class="needs">${g.missing
            .map((b) => `<li>${link(urlOf(paths.benchmark(c.id, b.id), keep(ctx)), b.title)}</li>`)
            .join('')}</ul>`
        : escapeHtml(waiver);
    const more = `<a class="more" href="#instrument-${escapeHtml(g.id)}">${g.unlock === null ? 'How firm' : 'Path to unlock and how firm'}</a>`;
    return `<tr id="gate-${escapeHtml(g.id)}"><th scope="row"><span class="name">${escapeHtml(g.title)}</span><span class="rule">Rule: ${escapeHtml(rule)}</span>${more}</th><td>${decisionBadge(g.decision)}</td><td>${doneCell(g)}</td><td>${needs}</td><td class="num">${escapeHtml(tier)}</td><td class="num">${escapeHtml(amount)}</td><td class="src">${citeRefs(g.cites) || '—'}</td></tr>`;
  });
  return `${tableWrap(
    'Gate board',
    `<table class="board"><thead><tr><th scope="col">Instrument</th><th scope="col">Warranted</th><th scope="col">Done</th><th scope="col">Still needs / waiver</th><th scope="col">Tier</th><th scope="col">Amount</th><th scope="col">Sources</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
  )}<p class="note">“Warranted”: what the gate decides from the benchmarks; “Done”: what the principal did with the instrument, as the evidence records it. A red flag marks a departure from what is warranted.</p>`;
}

/** One instrument: warranted beside done, its path to unlock (when it is not warranted) and how firm the decision is. */
function instrumentSection(g: GateRow): string {
  const unlock =
    g.unlock === null
      ? g.decision === 'unlocked'
        ? '<p>Warranted now: no path to unlock is needed.</p>'
        : ''
      : `<h4>Path to unlock</h4>${unlockBlock(g.unlock)}`;
  return `<article class="instrument" id="instrument-${escapeHtml(g.id)}"><h3>${escapeHtml(g.title)}</h3><dl class="facts"><div><dt>Warranted</dt><dd>${decisionBadge(g.decision)}</dd></div><div><dt>Done</dt><dd>${doneCell(g)}</dd></div><div><dt>How firm</dt><dd>${sensitivityText(g.sensitivity)}</dd></div></dl>${unlock}</article>`;
}

/** "What would change this": every instrument in force with its path to unlock and sensitivity, then fragile verdicts. */
function whatWouldChange(m: BriefModel): string {
  const w = m.whatWouldChange;
  const verdicts = w.fragile.filter((f) => f.kind === 'justification');
  const fragile =
    verdicts.length === 0
      ? ''
      : `<h3>Fragile verdicts</h3><ul class="fragile">${verdicts
          .map(
            (f) =>
              `<li><span class="name">${escapeHtml(f.title)}</span> <span class="rule">verdict now: ${escapeHtml(f.now)}</span>${sensitivityText(f.sensitivity)}</li>`,
          )
          .join('')}</ul>`;
  const note =
    w.robust + w.fragile.length === 0
      ? w.notAssessed > 0
        ? '<p class="note">The robustness of the decisions and verdicts was not assessed.</p>'
        : ''
      : `<p class="note">${escapeHtml(
          `${w.fragile.length} fragile, ${w.robust} robust${w.notAssessed > 0 ? `, ${w.notAssessed} not assessed` : ''}. Changes tried one at a time: two adjacent interests swapping ranks, one cited item removed, the author's and the analysis's claims dropped, a source graded one step lower.`,
        )}</p>`;
  return `<section aria-labelledby="h-change"><h2 id="h-change">What would change this</h2>${m.gates.map(instrumentSection).join('')}${fragile}${note}</section>`;
}

/** Money by declared flow: who paid whom, and what was left out. */
function moneyTable(m: BriefModel): string {
  const r = m.money;
  if (r === undefined) return '';
  const rows = r.entries.map(
    (e) =>
      `<tr><td class="date">${escapeHtml(e.date)}</td><td>${escapeHtml(FLOW_SHORT[e.flow])}</td><td>${escapeHtml(e.payer)} → ${escapeHtml(e.payee)}</td><td class="num">${escapeHtml(formatAmount(e.amount, r.currency || null))}</td><td>${escapeHtml(e.description)}</td><td class="src">${citeRefs(e.cites)}</td></tr>`,
  );
  const left = moneyLeftOut(r);
  return `${
    rows.length === 0
      ? '<p>No entry declares a flow of money (payer and direction), so nothing is charted.</p>'
      : tableWrap(
          'Money by flow',
          `<table class="board"><thead><tr><th scope="col">Date</th><th scope="col">Flow</th><th scope="col">Payer → payee</th><th scope="col">Amount</th><th scope="col">What</th><th scope="col">Sources</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
        )
  }${left.length === 0 ? '' : `<p class="note">${escapeHtml(left.join('; '))}: only money with a declared payer and direction is counted.</p>`}`;
}

function benchmarkBoard(ctx: PageContext, c: Case, m: BriefModel): string {
  const rows = m.benchmarks.map((b) => {
    const [, , since = '', , count = '', grade = ''] = b.cells;
    const flagList =
      b.flags.length === 0 ? '—' : `<ul class="plain">${b.flags.map((f) => `<li>${escapeHtml(f.text)}</li>`).join('')}</ul>`;
    // The core's summary names the subjects a default decides; otherwise they are named here.
    const defaults =
      b.basis.kind === 'default' || b.basis.defaults.length === 0
        ? ''
        : `<span class="rule">${escapeHtml(b.basis.defaults.join('; '))}</span>`;
    return `<tr id="benchmark-${escapeHtml(b.id)}"><th scope="row">${link(urlOf(paths.benchmark(c.id, b.id), keep(ctx)), b.title, ' class="name"')}<span class="rule basis">${escapeHtml(b.basis.summary)}</span>${defaults}</th><td>${statusBadge(b.status)}<span class="rests">${escapeHtml(b.basis.label)}</span></td><td class="date">${escapeHtml(since)}</td><td>${flagList}</td><td class="num">${escapeHtml(count)}</td><td class="num"><span class="grade">${escapeHtml(grade)}</span></td><td class="src">${citeRefs(b.cites) || '—'}</td></tr>`;
  });
  const notes = [...basisLegend(m.benchmarks), ...flagLegend(m.benchmarks)];
  return `${tableWrap(
    'Benchmark board',
    `<table class="board"><thead><tr><th scope="col">Benchmark and what its status rests on</th><th scope="col">Status</th><th scope="col">Since</th><th scope="col">Flags</th><th scope="col">Evidence items</th><th scope="col">Best grade</th><th scope="col">Sources</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
  )}${notes.length === 0 ? '' : `<p class="note">${notes.map(escapeHtml).join(' ')}</p>`}`;
}

/** Items outside their validity window on the date, apart from the boards; benchmarks link to their detail. */
function notInForce(ctx: PageContext, c: Case, m: BriefModel): string {
  const items = m.notInForce ?? [];
  if (items.length === 0) return '';
  const rows = items.map((x) => {
    const name =
      x.kind === 'benchmark'
        ? link(urlOf(paths.benchmark(c.id, x.id), keep(ctx)), x.title, ' class="name"')
        : `<span class="name">${escapeHtml(x.title)}</span>`;
    return `<tr class="inapplicable" id="${escapeHtml(`${x.kind}-${x.id}`)}"><th scope="row">${name}</th><td>${escapeHtml(NOT_IN_FORCE_KIND_WORDS[x.kind])}</td><td><span class="badge tone-na">${escapeHtml(x.label)}</span></td><td>${escapeHtml(x.detail)}</td></tr>`;
  });
  return `<section aria-labelledby="h-not-in-force"><h2 id="h-not-in-force">Not in force on ${escapeHtml(m.asOf)}</h2><p class="note">Neither open nor closed, met nor unmet: left out of the key figures, the bottom line and the boards above.</p>${tableWrap(
    'Not in force',
    `<table class="board"><thead><tr><th scope="col">Item</th><th scope="col">Kind</th><th scope="col">On this date</th><th scope="col">Why</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
  )}</section>`;
}

/** A chart with its title, caption and a text version (the summary) for readers without the picture. */
export function chartFigure(f: ChartFigure, n: number): string {
  const label = `${f.title}. ${f.caption}`;
  // The SVG comes from ECharts, which escapes the text it draws (see chart-figure.ts).
  const svg = f.svg.replace('<svg ', `<svg role="img" aria-label="${escapeHtml(label)}" focusable="false" `);
  return `<figure class="chart" id="${escapeHtml(f.id)}"><div class="chart-scroll">${svg}</div><figcaption><b>Figure ${n}. ${escapeHtml(f.title)}.</b> ${escapeHtml(f.caption)}<details><summary>The chart in words</summary><ul>${f.summary.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul></details></figcaption></figure>`;
}

const MARK_TEXT: Readonly<Record<string, string>> = {
  claimed: 'serves',
  harmed: 'HARMS',
  'claimed-harmed': 'serves? HARMS',
  none: '·',
};

/** Justifications × interests, with the verdict in words (shared with the justifications page). */
export function justificationMatrixTable(matrix: NonNullable<BriefModel['matrix']>, withCites: boolean): string {
  const head = matrix.interests
    .map((i) => `<th scope="col" class="interest"><abbr title="${escapeHtml(i.title)}">#${i.rank}</abbr></th>`)
    .join('');
  const rows = matrix.rows.map((r) => {
    const marks = r.marks
      .map((mk, i) => {
        const interest = matrix.interests[i];
        const words = mk === 'none' ? 'not named' : MARK_TEXT[mk];
        return `<td class="mark ${mk}"><span aria-hidden="true">${escapeHtml(MARK_TEXT[mk] ?? mk)}</span><span class="visually-hidden">${escapeHtml(`${interest?.title ?? ''}: ${words ?? mk}`)}</span></td>`;
      })
      .join('');
    const cites = withCites ? `<td class="src">${citeRefs(r.cites) || '—'}</td>` : '';
    return `<tr id="matrix-${escapeHtml(r.id)}"><th scope="row"><span class="name">${escapeHtml(r.title)}</span><span class="rule">For ${escapeHtml(r.instrument)}.</span></th>${marks}<td>${verdictBadge(r.verdict)}<span class="rule">${escapeHtml(r.decision)}</span></td>${cites}</tr>`;
  });
  const legend = matrix.interests.map((i) => `<li><b>#${i.rank}</b> ${escapeHtml(i.title)}</li>`).join('');
  return `${tableWrap(
    'Justification matrix',
    `<table class="board matrix"><thead><tr><th scope="col">Justification</th>${head}<th scope="col">Verdict</th>${withCites ? '<th scope="col">Sources</th>' : ''}</tr></thead><tbody>${rows.join('')}</tbody></table>`,
  )}<p class="note">Interests by rank (1 matters most). “serves”: the justification claims the instrument serves this interest; “HARMS”: the case records that the instrument harms it (“serves? HARMS”: both).</p><ol class="interests">${legend}</ol>`;
}

function issueAreas(m: BriefModel): string {
  const x = m.issueAreas;
  if (x === undefined) return '';
  const rows = x.rows.map(
    (r) =>
      `<tr><th scope="row"><span class="name">${escapeHtml(r.title)}</span><span class="rule">${escapeHtml(r.position)}</span></th><td>${convergenceBadge(r.convergence)}${r.qualifier === undefined ? '' : `<span class="rule">(${escapeHtml(r.qualifier)})</span>`}</td><td class="num">${escapeHtml(String(r.aligned.weight))} ${citeRefs(r.aligned.cites)}</td><td class="num">${escapeHtml(String(r.opposed.weight))} ${citeRefs(r.opposed.cites)}</td><td>${escapeHtml(r.decision)}</td></tr>`,
  );
  return `<section aria-labelledby="h-issues"><h2 id="h-issues">Issue areas: where interests converge</h2>${tableWrap(
    'Issue areas',
    `<table class="board"><thead><tr><th scope="col">Issue area</th><th scope="col">Convergence</th><th scope="col">With</th><th scope="col">Against</th><th scope="col">Deciding reason</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
  )}</section>`;
}

function citation(ctx: PageContext, caseId: string, c: Citation): string {
  const e = c.evidence;
  const sources = e.sources
    .map(
      (s) =>
        `${escapeHtml(s.publisher)}, “${externalLink(s.url, s.title)}”, ${escapeHtml(s.date)} <span class="grade">${escapeHtml(`${s.reliability}${s.credibility}`)}</span>`,
    )
    .join('; ');
  const note = e.note === undefined ? '' : ` <span class="note">${escapeHtml(e.note)}</span>`;
  return `<li id="c${c.n}">${evidenceLinks(ctx, caseId, [e.id])} ${escapeHtml(e.description)} <span class="kind">(${escapeHtml(e.kind)}, ${escapeHtml(occurrenceText(e.occurred, e.occurredTo))}; reported ${escapeHtml(e.reported)})</span>. Sources: ${sources || 'none'}.${note}</li>`;
}

export function renderDashboardPage(ctx: PageContext, data: DashboardPageData): string {
  const { case: c, brief: m } = data;
  const charts = renderBriefCharts(m);
  let n = 0;
  const fig = (f: ChartFigure) => chartFigure(f, ++n);
  const body: string[] = [];
  body.push(
    `<h1>${escapeHtml(m.title)}</h1><p class="lede">Assessment as of <b>${escapeHtml(m.asOf)}</b>.</p>${keyFiguresList(m)}`,
  );
  body.push(
    `<section class="bottom-line" aria-labelledby="h-bottom"><h2 id="h-bottom">Bottom line</h2><ul class="lines">${m.bottomLine.map((s) => `<li>${escapeHtml(s.text)}${citeRefs(s.cites)}</li>`).join('')}</ul><p class="confidence">${escapeHtml(m.confidence.text)}</p></section>`,
  );
  body.push(
    `<section aria-labelledby="h-gates"><h2 id="h-gates">Gate board: what is warranted, and what was done</h2>${gateBoard(ctx, c, m)}</section>`,
  );
  body.push(whatWouldChange(m));
  body.push(
    `<section aria-labelledby="h-benchmarks"><h2 id="h-benchmarks">Benchmark board</h2><p class="note">Select a benchmark for its rule, reasons and evidence trail.</p>${benchmarkBoard(ctx, c, m)}</section>`,
  );
  body.push(notInForce(ctx, c, m));
  if (m.changes !== undefined) {
    const items =
      m.changes.length === 0
        ? '<li>Nothing changed.</li>'
        : m.changes.map((ch) => `<li>${escapeHtml(ch.text)}${citeRefs(ch.cites)}</li>`).join('');
    body.push(
      `<section aria-labelledby="h-changes"><h2 id="h-changes">What changed since ${escapeHtml(m.since ?? '')}</h2><ul class="changes">${items}</ul></section>`,
    );
  }
  const status = charts.filter((f) => f.id === 'fig-status');
  const money = charts.filter((f) => f.id === 'fig-money');
  const indicators = charts.filter((f) => f.id.startsWith('fig-ind'));
  const structural = charts.filter((f) => f.id.startsWith('fig-series'));
  const events = charts.filter((f) => f.id.startsWith('fig-events'));
  if (status.length > 0) {
    body.push(
      `<section aria-labelledby="h-timeline"><h2 id="h-timeline">Status timeline</h2>${status.map(fig).join('')}</section>`,
    );
  }
  if (m.money !== undefined) {
    body.push(
      `<section aria-labelledby="h-money"><h2 id="h-money">The relationship in money</h2>${money.map(fig).join('')}${moneyTable(m)}</section>`,
    );
  }
  if (indicators.length > 0) {
    body.push(
      `<section aria-labelledby="h-indicators"><h2 id="h-indicators">Indicators</h2>${indicators.map(fig).join('')}</section>`,
    );
  }
  if (structural.length > 0) {
    body.push(
      `<section aria-labelledby="h-structural"><h2 id="h-structural">Convergence and structural series</h2>${structural.map(fig).join('')}</section>`,
    );
  }
  if (m.eventSeries !== undefined && m.eventSeries.length > 0) {
    body.push(
      `<section aria-labelledby="h-events"><h2 id="h-events">Event data</h2>${eventDataFigures(m.eventSeries, events, fig)}</section>`,
    );
  }
  body.push(issueAreas(m));
  if (m.matrix !== undefined) {
    body.push(
      `<section aria-labelledby="h-matrix"><h2 id="h-matrix">Justifications against interests</h2><p>${link(urlOf(paths.justifications(c.id), keep(ctx)), 'All justifications with their reasons')}</p>${justificationMatrixTable(m.matrix, true)}</section>`,
    );
  }
  const alerts = newestFirst(data.alerts).slice(0, DASHBOARD_ALERT_LIMIT);
  body.push(
    `<section aria-labelledby="h-alerts"><h2 id="h-alerts">Recent alerts</h2>${
      alerts.length === 0
        ? '<p>No alerts for this case.</p>'
        : `<ul class="alerts">${alerts.map((a) => `<li><span class="when">${escapeHtml(a.at)}</span> ${describeAlert(ctx, a, c)}. Evidence: ${evidenceLinks(ctx, c.id, a.evidenceIds)}</li>`).join('')}</ul><p>${link(urlOf(paths.alerts(), keep(ctx)), 'All alerts')}</p>`
    }</section>`,
  );
  body.push(
    `<section class="citations" aria-labelledby="h-sources"><h2 id="h-sources">Sources cited</h2><p class="note">Grades: source reliability A (reliable) to F (cannot be judged); information credibility 1 (confirmed) to 6 (cannot be judged).</p><ol>${m.citations.map((ci) => citation(ctx, c.id, ci)).join('')}</ol></section>`,
  );
  body.push(`<p class="digest">Inputs digest <code>${escapeHtml(m.digest)}</code></p>`);
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
    body: body.join('\n'),
  });
}
