/**
 * The brief as one self-contained HTML file: inline CSS and SVG, no scripts, no external
 * requests, readable offline and printable to A4 (the PDF adapter prints this same page).
 *
 * Contracts:
 * - Built with `html` (markup.ts), which escapes every value unless it is markup: text from
 *   the case or the ledger (titles, descriptions, publishers, notes, kinds, ids, URLs)
 *   cannot become markup. Raw markup enters only through `trustedMarkup` (the ECharts SVGs,
 *   the constant stylesheet and policy). Only http(s) URLs become links, with
 *   `rel="noopener noreferrer"`. A Content-Security-Policy meta tag forbids scripts,
 *   objects, frames and any fetch, so even a hole in the escaping cannot run code or call out.
 * - Deterministic: the same model gives byte-identical output (chart ids are local).
 * - Order of reading: key figures and the bottom line (one line per instrument, departures
 *   first, then the confidence line), the gate board (warranted beside done), what would
 *   change this (paths to unlock, fragile verdicts), the benchmark board (each status with
 *   what it rests on), the items not in force on the date, what changed, charts (the
 *   relationship in money by declared flow), event data, structural series, the issue-area
 *   and justification matrices, and the citations last.
 */
import type { BriefModel, Citation, GateRow, SensitivityView, UnlockView } from './brief-model.ts';
import { formatAmount, notInForceNote, onBoard } from './brief-model.ts';
import {
  type EventSeries,
  type IssueMark,
  type MatrixMark,
  type MoneyFlows,
  moneyLeftOut,
  TIMELINE_CITED_CHANGES,
} from './brief-visuals.ts';
import { type ChartFigure, truncate } from './charts/chart-figure.ts';
import { renderEventSeriesChart } from './charts/event-series-chart.ts';
import { renderIndicatorChart } from './charts/indicator-chart.ts';
import { FLOW_SHORT, renderMoneyChart } from './charts/relationship-chart.ts';
import { renderStatusTimelineChart } from './charts/status-timeline-chart.ts';
import { renderStructuralChart } from './charts/structural-chart.ts';
import { keyFigureAmount, keyFigures } from './key-figures.ts';
import { safeUrl } from './markdown-brief.ts';
import { html, joinMarkup, type Markup, trustedMarkup } from './markup.ts';
import { principalInterestLabel, WARRANT_WORDS } from './principal-words.ts';
import { basisLegend, flagLegend, laterSourcesText, NOT_IN_FORCE_KIND_WORDS } from './status-words.ts';

/** The policy the brief declares: nothing may load or run; inline styles and SVG only. */
export const BRIEF_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src 'none'; script-src 'none'; object-src 'none'; frame-src 'none'; base-uri 'none'; form-action 'none'";

/** A link for an http(s) URL, plain text for anything else. */
function link(url: string | undefined, text: string): Markup {
  const safe = safeUrl(url);
  return safe === undefined ? html`${text}` : html`<a href="${safe}" rel="noopener noreferrer">${text}</a>`;
}

/** Citation links, with runs of consecutive numbers shown as ranges whose ends are links. */
export function citeRefs(cites: readonly number[]): Markup {
  if (cites.length === 0) return html``;
  const parts: Markup[] = [];
  let i = 0;
  const a = (n: number) => html`<a href="#c${n}">${n}</a>`;
  while (i < cites.length) {
    let j = i;
    while (j + 1 < cites.length && cites[j + 1] === (cites[j] as number) + 1) j++;
    const start = cites[i] as number;
    const end = cites[j] as number;
    parts.push(j - i >= 2 ? html`${a(start)}–${a(end)}` : j === i ? a(start) : html`${a(start)}, ${a(end)}`);
    i = j + 1;
  }
  return html`<sup class="cite">[${joinMarkup(parts, ', ')}]</sup>`;
}

/** The citation links, or a dash when there are none. */
export function citeRefsOrDash(cites: readonly number[]): Markup {
  return cites.length === 0 ? html`—` : citeRefs(cites);
}

const DECISION_CLASS: Readonly<Record<string, string>> = {
  UNLOCKED: 'ok',
  WAIVED: 'warn',
  LOCKED: 'bad',
  UNKNOWN: 'unk',
  'NOT-APPLICABLE': 'na',
};
const STATUS_CLASS: Readonly<Record<string, string>> = {
  MET: 'ok',
  PENDING: 'warn',
  'NOT-MET': 'bad',
  REVERSED: 'rev',
  UNVERIFIED: 'unk',
  UNKNOWN: 'unk',
  'NOT-APPLICABLE': 'na',
};
const VERDICT_CLASS: Readonly<Record<string, string>> = {
  CONVINCING: 'ok',
  WEAK: 'warn',
  UNCONVINCING: 'bad',
  'NOT-APPLICABLE': 'na',
};
const CONVERGENCE_CLASS: Readonly<Record<string, string>> = {
  ALIGN: 'ok',
  DIVERGE: 'bad',
  UNKNOWN: 'unk',
  'NOT-APPLICABLE': 'na',
};

function badge(text: string, classes: Readonly<Record<string, string>>): Markup {
  return html`<span class="badge ${classes[text] ?? 'unk'}">${text.toLowerCase().replace(/-/g, ' ')}</span>`;
}

function keyFiguresList(m: BriefModel): Markup {
  return html`<ul class="figures">${keyFigures(m).map((f) => html`<li><b>${keyFigureAmount(f)}</b> ${f.label}</li>`)}</ul>`;
}

/** A decision badge that says what it means ("not warranted: conditions unmet"); the class carries the colour. */
function warrantBadge(g: Pick<GateRow, 'decision'>): Markup {
  return html`<span class="badge ${DECISION_CLASS[g.decision.toUpperCase()] ?? 'unk'}">${WARRANT_WORDS[g.decision].long}</span>`;
}

/** What the principal did, with its citation and, when it departs from the gate, a flag saying so. */
export function doneCell(g: GateRow): Markup {
  if (g.done === null) return html`<span class="muted">nothing recorded</span>`;
  const departure = g.departureText === null ? '' : html`<span class="badge bad departure">${g.departureText}</span>`;
  // The date never breaks across lines.
  const { text, since } = g.done;
  const at = text.indexOf(since);
  const words =
    at < 0 ? html`${text}` : html`${text.slice(0, at)}<span class="when">${since}</span>${text.slice(at + since.length)}`;
  return html`${departure}<span class="done">${words}${citeRefs(g.done.cites)}</span>`;
}

function gateBoard(m: BriefModel): Markup {
  const rows = m.gates.map((g) => {
    const [tier = '', amount = '', , , , rule = ''] = g.cells;
    const needs =
      g.missing.length > 0
        ? html`<ul class="needs">${g.missing.map((b) => html`<li>${b.title}</li>`)}</ul>`
        : html`${g.cells[4] ?? '—'}`;
    return html`<tr id="gate-${g.id}"><td><span class="name">${g.title}</span><span class="rule">Rule: ${rule}</span></td><td class="num">${tier}</td><td class="num">${amount}</td><td class="warrant">${warrantBadge(g)}</td><td class="done-cell">${doneCell(g)}</td><td>${needs}</td><td class="src">${citeRefsOrDash(g.cites)}</td></tr>`;
  });
  return html`<table class="board gates"><thead><tr><th>Instrument</th><th>Tier</th><th>Amount</th><th>Warranted</th><th>Done</th><th>Still needs</th><th>Sources</th></tr></thead><tbody>${rows}</tbody></table><p class="note">“Warranted”: what the gate decides from the benchmarks (conditions met or unmet); “Done”: what the principal did with the instrument, as the evidence records it. A red flag marks a departure from what is warranted.</p>`;
}

/** The path to unlock one instrument: its earliest day, the sets of benchmarks that would do, each blocker with what it needs. */
export function unlockBlock(u: UnlockView): Markup {
  const sets =
    u.sets.length <= 1
      ? ''
      : html`<p class="sets">Any of these would do${u.setsTotal !== null && u.setsTotal > u.sets.length ? ` (the first ${u.sets.length} of ${u.setsTotal})` : ''}: ${u.sets.map((s) => s.join(' + ')).join('; ')}.</p>`;
  const blockers = u.blockers.map(
    (b) =>
      html`<li><span class="name">${b.heading}</span><span class="needs-text">Needs: ${b.needs}.</span><span class="rule">${b.possible ? (b.earliest === null ? 'No earliest day found' : html`Earliest ${b.earliest}`) : 'Cannot be met as written'}: ${b.why}.${citeRefs(b.cites)}</span></li>`,
  );
  return html`<p>${capitalise(u.headline)}: ${u.why}.</p>${sets}<ul class="blockers">${blockers}</ul>`;
}

/** A sensitivity in words with its citations; "not assessed" when the engine did not compute it. */
export function sensitivityText(s: SensitivityView | null): Markup {
  if (s === null) return html`<span class="muted">robustness not assessed</span>`;
  const more = s.flips.slice(1).map((f) => html`<li>${f.text}${citeRefs(f.cites)}</li>`);
  return html`<span class="robust-${s.label}">${s.text}</span>${citeRefs(s.flips[0]?.cites ?? [])}${more.length > 0 && html`<ul class="flips">${more}</ul>`}`;
}

/** "What would change this": each instrument's path to unlock, then each fragile decision or verdict. */
function whatWouldChange(m: BriefModel): Markup {
  const w = m.whatWouldChange;
  const paths = w.paths.map(
    (p) =>
      html`<article class="path" id="unlock-${p.id}"><h3>${p.title} <span class="badge ${DECISION_CLASS[p.decision.toUpperCase()] ?? 'unk'}">${WARRANT_WORDS[p.decision].short}</span></h3>${unlockBlock(p.unlock)}</article>`,
  );
  const fragile = w.fragile.map(
    (f) =>
      html`<li><span class="name">${f.title}</span> <span class="rule">${f.kind === 'instrument' ? 'decision' : 'verdict'} now: ${f.now}</span>${sensitivityText(f.sensitivity)}</li>`,
  );
  const robust =
    w.robust + w.fragile.length === 0
      ? w.notAssessed > 0
        ? 'The robustness of the decisions and verdicts was not assessed.'
        : ''
      : `${w.fragile.length === 0 ? 'No decision or verdict is fragile' : `${w.fragile.length} fragile`}; ${w.robust} robust (no single change tried flips ${w.robust === 1 ? 'it' : 'them'})${w.notAssessed > 0 ? `; ${w.notAssessed} not assessed` : ''}. Changes tried: two adjacent interests swapping ranks, one cited item removed, the author's and the analysis's claims dropped, a source graded one step lower.`;
  return html`${paths.length === 0 ? html`<p>${w.noPaths}</p>` : paths}${
    fragile.length > 0 && html`<h3>Fragile decisions and verdicts</h3><ul class="fragile">${fragile}</ul>`
  }${robust !== '' && html`<p class="note">${robust}</p>`}`;
}

/** Groups and their blocks, one line each (blocks nested under their group). */
export function groupLines(m: Pick<BriefModel, 'groups'>): Markup {
  if (m.groups.length === 0) return html``;
  const top = m.groups.filter((g) => g.parent === null);
  const items = top.map((g) => {
    const blocks = m.groups.filter((b) => b.parent === g.id);
    return html`<li>${g.summary}${blocks.length > 0 && html`<ul>${blocks.map((b) => html`<li>${b.summary}</li>`)}</ul>`}</li>`;
  });
  return html`<ul class="groups">${items}</ul><p class="note">Members of a group that are met are counted here; the board lists the others.</p>`;
}

function benchmarkBoard(m: BriefModel): Markup {
  const rows = m.benchmarks.filter(onBoard).map((b) => {
    const [status = '', , since = '', , count = '', grade = ''] = b.cells;
    // The core's summary names the subjects a default decides; otherwise they are named here.
    const defaults =
      b.basis.kind === 'default' || b.basis.defaults.length === 0
        ? ''
        : html`<span class="rule defaults">${capitalise(b.basis.defaults.join('; '))}.</span>`;
    const who = html`<span class="name">${b.title}</span><span class="rule basis">${b.basis.summary}</span>${defaults}`;
    const flags = b.flags.length === 0 ? '—' : b.flags.map((f) => html`<span class="flag">${f.text}</span>`);
    return html`<tr><td>${who}</td><td>${badge(status, STATUS_CLASS)}<span class="rests">${b.basis.label}</span></td><td class="date">${since}</td><td class="flags">${flags}</td><td class="num">${count}</td><td class="num"><span class="grade">${grade}</span></td><td class="src">${citeRefsOrDash(b.cites)}</td></tr>`;
  });
  const notes = [...basisLegend(m.benchmarks), ...flagLegend(m.benchmarks, m.reviewExample)];
  return html`${groupLines(m)}<table class="board"><thead><tr><th>Benchmark and what its status rests on</th><th>Status</th><th>Since</th><th>Flags</th><th>Evidence</th><th>Best grade</th><th>Sources</th></tr></thead><tbody>${rows}</tbody></table>${
    notes.length > 0 && html`<p class="note">${notes.join(' ')}</p>`
  }`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Items outside their validity window on the brief's date, apart from the boards. */
function notInForceTable(m: BriefModel): Markup {
  const items = m.notInForce ?? [];
  const rows = items.map(
    (x) =>
      html`<tr class="inapplicable"><td><span class="name">${x.title}</span></td><td>${NOT_IN_FORCE_KIND_WORDS[x.kind]}</td><td><span class="badge na">${x.label}</span></td><td>${x.detail}</td></tr>`,
  );
  return html`<table class="board compact"><thead><tr><th>Item</th><th>Kind</th><th>On ${m.asOf}</th><th>Why</th></tr></thead><tbody>${rows}</tbody></table><p class="note">${notInForceNote(m, true)}</p>`;
}

/**
 * A chart's SVG with `attributes` (escaped markup) added to its opening tag. The SVG is
 * ECharts' server-side output, which escapes the text it draws (chart-figure.ts).
 */
export function chartSvg(f: ChartFigure, attributes: Markup): Markup {
  const svg = f.svg.replace('<svg ', () => html`<svg ${attributes}`.toString());
  return trustedMarkup(svg, 'ECharts SSR output (escapes its text); the added attributes were built with html');
}

function figure(f: ChartFigure, n: number): Markup {
  const svg = chartSvg(f, html`role="img" aria-label="${f.title}. ${f.caption}" `);
  return html`<figure class="chart" id="${f.id}">${svg}<figcaption><b>Figure ${n}. ${f.title}.</b> ${f.caption}<details><summary>The chart in words</summary><ul>${f.summary.map((s) => html`<li>${s}</li>`)}</ul></details></figcaption></figure>`;
}

function moneyTable(r: MoneyFlows): Markup {
  const rows = r.entries.map(
    (e) =>
      html`<tr><td class="date">${e.date}</td><td>${FLOW_SHORT[e.flow]}</td><td>${e.payer} → ${e.payee}</td><td class="num">${formatAmount(e.amount, r.currency || null)}</td><td>${truncate(e.description, 140)} <span class="kind">(${e.kind})</span></td><td class="src">${citeRefs(e.cites)}</td></tr>`,
  );
  const more =
    r.total > r.entries.length && html`<p class="note">The ${r.entries.length} largest of ${r.total} flows, in date order.</p>`;
  const left = moneyLeftOut(r);
  const note =
    left.length > 0 &&
    html`<p class="note">${capitalise(left.join('; '))}: only money with a declared payer and direction is counted.</p>`;
  const table =
    rows.length === 0
      ? html`<p>No entry declares a flow of money (payer and direction), so nothing is charted.</p>`
      : html`<table class="board compact money"><thead><tr><th>Date</th><th>Flow</th><th>Payer → payee</th><th>Amount</th><th>What</th><th>Sources</th></tr></thead><tbody>${rows}</tbody></table>`;
  return html`${table}${more}${note}`;
}

const MARK_TEXT: Readonly<Record<MatrixMark, string>> = {
  claimed: 'serves',
  harmed: 'HARMS',
  'claimed-harmed': 'serves? HARMS',
  none: '·',
};

function justificationMatrix(m: BriefModel): Markup | '' {
  const x = m.matrix;
  if (x === undefined) return '';
  const head = x.interests.map((i) => html`<th class="interest" title="${i.title}">#${i.rank}</th>`);
  const byId = new Map(m.justifications.map((j) => [j.id, j]));
  const rows = x.rows.map((r) => {
    const marks = r.marks.map((mk) => html`<td class="mark ${mk}">${MARK_TEXT[mk]}</td>`);
    const j = byId.get(r.id);
    const by =
      j === undefined ? '' : j.claimedBy === null ? ' Considered by the case; no one states it.' : ` Stated by ${j.claimedBy}.`;
    const decision = j?.cells[3] ?? r.decision;
    const who = html`<span class="name">${r.title}</span><span class="rule">For ${r.instrument}.${by} ${decision}.</span>${
      j !== undefined && html`<span class="rule">${sensitivityText(j.sensitivity)}</span>`
    }`;
    return html`<tr><td>${who}</td>${marks}<td class="verdict">${badge(r.verdict.toUpperCase(), VERDICT_CLASS)}</td><td class="src">${citeRefsOrDash(r.cites)}</td></tr>`;
  });
  const legend = x.interests.map((i) => html`<li><b>#${i.rank}</b> ${i.title}</li>`);
  return html`<table class="board matrix"><thead><tr><th>Justification</th>${head}<th class="verdict">Verdict</th><th class="srcs">Sources</th></tr></thead><tbody>${rows}</tbody></table><p class="note">Interests by rank (1 matters most). “serves”: the justification claims the instrument serves this interest; “HARMS”: the case records that the instrument harms it (“serves? HARMS”: both).</p><ol class="interests">${legend}</ol>`;
}

const ISSUE_MARK_TEXT: Readonly<Record<Exclude<IssueMark, 'none'>, string>> = {
  justifies: 'justified',
  withheld: 'not while interests diverge',
  open: 'not until the evidence is clearer',
};

function issueAreaMatrix(m: BriefModel): Markup | '' {
  const x = m.issueAreas;
  if (x === undefined) return '';
  const rows = x.rows.map((r) => {
    const interest = r.interest.rank === undefined ? r.interest.title : `#${r.interest.rank} ${r.interest.title}`;
    const who = html`<span class="name">${r.title}</span><span class="rule">${principalInterestLabel(m.principal)} ${interest}. Position: ${r.position}</span><span class="rule">${r.decision}.</span>`;
    const side = (s: typeof r.aligned) =>
      html`<td class="num">${String(s.weight)}<span class="rule">${s.count} item${s.count === 1 ? '' : 's'}</span><span class="cites">${citeRefs(s.cites)}</span></td>`;
    const verdict = html`${badge(r.convergence.toUpperCase(), CONVERGENCE_CLASS)}${r.qualifier !== undefined && html`<span class="rule">(${r.qualifier})</span>`}`;
    const could = x.instruments.flatMap((inst, i) => {
      const mark = r.marks[i] ?? 'none';
      return mark === 'none'
        ? []
        : [
            html`<li class="${mark}"><span title="${inst.title}">${truncate(inst.title, 90)}</span> <span class="rule">${ISSUE_MARK_TEXT[mark]}</span></li>`,
          ];
    });
    return html`<tr><td>${who}</td>${side(r.aligned)}${side(r.opposed)}<td>${verdict}</td><td>${could.length === 0 ? '—' : html`<ul class="needs">${could}</ul>`}</td></tr>`;
  });
  return html`<table class="board matrix issues"><thead><tr><th>Issue area</th><th class="num">With</th><th class="num">Against</th><th class="verdict">Convergence</th><th class="could">Could justify</th></tr></thead><tbody>${rows}</tbody></table><p class="note">“With” and “Against”: the graded weight of the evidence that the counterpart acted with the principal's position or against it, as known on ${m.asOf}; each item counts its best source (A1 = 1, B2 = 0.64, C3 = 0.36). An area aligns or diverges when one side weighs at least 0.3 and 1.5 times the other; otherwise it is unknown (“contested” when there is evidence both ways). “Could justify”: the instruments cooperation in the area could justify, justified only where interests align.</p>`;
}

/** The event-data charts (one per loaded series, in order) or, for a series with no data loaded, a note saying so. */
export function eventDataFigures(
  series: readonly EventSeries[],
  charts: readonly ChartFigure[],
  fig: (f: ChartFigure) => Markup,
): Markup {
  let next = 0;
  return html`${series.map((s) => {
    if (!s.loaded) {
      return html`<p class="note"><b>${s.title}</b>: no event data loaded, so this input is missing and what depends on it is unknown, not assumed quiet. Ingest ${s.dataset} files covering the indicator's window with <code>proviso ingest</code> into the case's store.</p>`;
    }
    const f = charts[next++];
    return f === undefined ? '' : html`${fig(f)}<p class="note">Sources for this chart: ${citeRefsOrDash(s.cites)}</p>`;
  })}`;
}

function citation(c: Citation): Markup {
  const e = c.evidence;
  const when = e.occurred === e.occurredTo ? e.occurred : `${e.occurred} to ${e.occurredTo}`;
  const sources = e.sources.map(
    (s) =>
      html`${s.publisher}, “${link(s.url, s.title)}”, ${s.date} <span class="grade">${`${s.reliability}${s.credibility}`}</span>`,
  );
  const note = e.note !== undefined && html` <span class="note">${e.note}</span>`;
  return html`<li id="c${c.n}"><code>${e.id}</code> ${e.description} <span class="kind">(${e.kind}, ${when}; reported ${e.reported})</span>. Sources: ${joinMarkup(sources, '; ')}.${laterSourcesText(c.laterSources)}${note}</li>`;
}

/** The charts the brief shows, in order; exported so tests can count them. */
export function renderBriefCharts(m: BriefModel): ChartFigure[] {
  const out: ChartFigure[] = [];
  if (m.statusTimeline !== undefined && m.statusTimeline.rows.length > 0) {
    out.push(renderStatusTimelineChart(m.statusTimeline, 'fig-status', m.reviewExample));
  }
  if (m.money !== undefined && m.money.series.length > 0) out.push(renderMoneyChart(m.money, 'fig-money'));
  (m.indicatorSeries ?? []).forEach((s, i) => {
    out.push(renderIndicatorChart(s, `fig-ind${i + 1}`));
  });
  (m.structural ?? []).forEach((s, i) => {
    out.push(renderStructuralChart(s, `fig-series${i + 1}`));
  });
  (m.eventSeries ?? [])
    .filter((s) => s.loaded)
    .forEach((s, i) => {
      out.push(renderEventSeriesChart(s, `fig-events${i + 1}`));
    });
  return out;
}

export function renderHtmlBrief(m: BriefModel): string {
  const charts = renderBriefCharts(m);
  let n = 0;
  const fig = (f: ChartFigure | undefined) => (f === undefined ? html`` : figure(f, ++n));
  const status = charts.find((c) => c.id === 'fig-status');
  const money = charts.find((c) => c.id === 'fig-money');
  const indicators = charts.filter((c) => c.id.startsWith('fig-ind'));
  const structural = charts.filter((c) => c.id.startsWith('fig-series'));
  const events = charts.filter((c) => c.id.startsWith('fig-events'));
  const body: Markup[] = [];
  body.push(html`<header><p class="kicker">Brief as of ${m.asOf}</p><h1>${m.title}</h1>${keyFiguresList(m)}</header>`);
  body.push(
    html`<section class="bottom-line"><h2>Bottom line</h2><ul class="lines">${m.bottomLine.map((s) => html`<li>${s.text}${citeRefs(s.cites)}</li>`)}</ul><p class="confidence">${m.confidence.text}</p></section>`,
  );
  body.push(html`<section><h2>Gate board: what is warranted, and what was done</h2>${gateBoard(m)}</section>`);
  body.push(html`<section class="what-would-change"><h2>What would change this</h2>${whatWouldChange(m)}</section>`);
  body.push(html`<section><h2>Benchmark board</h2>${benchmarkBoard(m)}</section>`);
  if (m.notInForce !== undefined && m.notInForce.length > 0) {
    body.push(html`<section class="not-in-force"><h2>Not in force on ${m.asOf}</h2>${notInForceTable(m)}</section>`);
  }
  if (m.changes !== undefined) {
    const items =
      m.changes.length === 0
        ? html`<li>Nothing changed.</li>`
        : m.changes.map((c) => html`<li>${c.text}${citeRefs(c.cites)}</li>`);
    body.push(html`<section><h2>What changed since ${m.since ?? ''}</h2><ul class="changes">${items}</ul></section>`);
  }
  if (status !== undefined) {
    const cites = [...new Set((m.statusTimeline?.rows ?? []).flatMap((r) => r.cites ?? []))].sort((a, b) => a - b);
    const sources =
      cites.length > 0 &&
      html`<p class="note">Evidence behind the changes of status (for a benchmark with more than ${TIMELINE_CITED_CHANGES} changes, the last ${TIMELINE_CITED_CHANGES}): ${citeRefs(cites)}</p>`;
    body.push(html`<section><h2>Status timeline</h2>${fig(status)}${sources}</section>`);
  }
  if (m.money !== undefined) {
    body.push(html`<section><h2>The relationship in money</h2>${fig(money)}${moneyTable(m.money)}</section>`);
  }
  if (indicators.length > 0) {
    const series = m.indicatorSeries ?? [];
    body.push(
      html`<section><h2>Indicators</h2>${indicators.map(
        (f, i) => html`${fig(f)}<p class="note">Sources for this chart: ${citeRefsOrDash(series[i]?.cites ?? [])}</p>`,
      )}</section>`,
    );
  }
  if (m.eventSeries !== undefined && m.eventSeries.length > 0) {
    body.push(html`<section><h2>Event data</h2>${eventDataFigures(m.eventSeries, events, fig)}</section>`);
  }
  if (structural.length > 0) {
    const series = m.structural ?? [];
    body.push(
      html`<section><h2>Convergence and structural series</h2>${structural.map(
        (f, i) =>
          html`${fig(f)}<p class="note">Sources for this chart: ${citeRefsOrDash([...new Set((series[i]?.lines ?? []).flatMap((l) => l.cites))].sort((a, b) => a - b))}</p>`,
      )}</section>`,
    );
  }
  if (m.issueAreas !== undefined) {
    body.push(html`<section><h2>Issue areas: where interests converge</h2>${issueAreaMatrix(m)}</section>`);
  }
  if (m.matrix !== undefined)
    body.push(html`<section><h2>Justifications against interests</h2>${justificationMatrix(m)}</section>`);
  body.push(
    html`<section class="citations"><h2>Citations</h2><p class="note">Grades: source reliability A (reliable) to F (cannot be judged); information credibility 1 (confirmed) to 6 (cannot be judged).</p><ol>${m.citations.map(citation)}</ol></section>`,
  );
  body.push(
    html`<footer><p>Inputs digest <code>${m.digest}</code>. Reproduce with <code>proviso assess &lt;case&gt; --as-of ${m.asOf} --format json</code>.</p></footer>`,
  );
  const policy = trustedMarkup(BRIEF_CSP, 'a constant; its single quotes stay literal and it has no double quote');
  const css = trustedMarkup(CSS, 'the constant stylesheet below, with no "</style"');
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${policy}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${m.title} — brief as of ${m.asOf}</title>
<style>${css}</style>
</head>
<body>
<main>
${joinMarkup(body, '\n')}
</main>
</body>
</html>
`.toString();
}

const CSS = `
:root{--ink:#1f2328;--muted:#57606a;--rule:#d0d7de;--ok:#1a7f37;--warn:#9a6700;--bad:#cf222e;--rev:#8250df;--unk:#6e7781}
*{box-sizing:border-box}
html{font:10.5pt/1.45 Helvetica,Arial,sans-serif;color:var(--ink);background:#fff}
body{margin:0}
main{max-width:190mm;margin:0 auto;padding:10mm 8mm}
h1{font-size:18pt;line-height:1.2;margin:0 0 3mm}
h2{font-size:12.5pt;margin:7mm 0 2mm;padding-bottom:1mm;border-bottom:1px solid var(--rule);break-after:avoid}
.kicker{margin:0;color:var(--muted);font-size:9pt;text-transform:uppercase;letter-spacing:.06em}
.figures{display:flex;flex-wrap:wrap;gap:2mm 6mm;list-style:none;margin:0;padding:0;color:var(--muted);font-size:9.5pt}
.figures b{color:var(--ink);font-size:12pt}
.bottom-line{background:#f6f8fa;border-left:4px solid var(--ink);padding:1mm 4mm 2mm;margin-top:5mm}
.bottom-line h2{border:0;margin-top:2mm}
.bottom-line p{margin:0 0 2mm;font-size:11pt}
sup.cite{font-size:7.5pt;line-height:0;color:var(--muted)}
a{color:#0550ae}
table.board{width:100%;border-collapse:collapse;font-size:9pt}
.board th{text-align:left;font-weight:600;color:var(--muted);border-bottom:1.5px solid var(--ink);padding:1mm 1.5mm;vertical-align:bottom}
.board td{border-bottom:1px solid var(--rule);padding:1.2mm 1.5mm;vertical-align:top}
.board tr{break-inside:avoid}
.board .num{text-align:right;white-space:nowrap}
.board .date{white-space:nowrap}
.board .src{font-size:8pt;color:var(--muted);max-width:28mm}
.board .src sup.cite{font-size:8pt;line-height:1.2;vertical-align:baseline}
.name{display:block;font-weight:600}
.rule{display:block;color:var(--muted);font-size:8pt}
.needs{margin:0;padding-left:4mm}
.badge{display:inline-block;padding:0 1.6mm;border-radius:2mm;font-size:8pt;font-weight:700;text-transform:uppercase;white-space:nowrap;border:1px solid currentColor}
.badge.ok{color:#fff;background:var(--ok);border-color:var(--ok)}
.badge.warn{color:#1f2328;background:#e3b341;border-color:#bf8700}
.badge.bad{color:#fff;background:var(--bad);border-color:var(--bad)}
.badge.rev{color:#fff;background:var(--rev);border-color:var(--rev)}
.badge.unk{color:var(--ink);background:#eaeef2;border-color:var(--unk)}
.badge.na{color:var(--muted);background:#fff;border-color:var(--rule);border-style:dashed}
.rests{display:block;font-size:8pt;color:var(--muted);margin-top:.5mm}
.flag{display:block;font-size:8.5pt}
.board td.flags{min-width:24mm}
tr.inapplicable td{color:var(--muted)}
.grade{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:8pt;border:1px solid var(--rule);border-radius:1mm;padding:0 .8mm}
.kind,.note{color:var(--muted)}
p.note{font-size:8.5pt;margin:1mm 0 2mm}
figure.chart{margin:3mm 0;break-inside:avoid;page-break-inside:avoid}
figure.chart svg{display:block;width:100%;height:auto;max-width:180mm}
figcaption{font-size:8.5pt;color:var(--muted);margin-top:1mm}
figcaption b{color:var(--ink)}
details{margin-top:1mm}
details li{margin:0}
table.matrix{table-layout:fixed}
.matrix th:first-child{width:auto}
.matrix .interest{text-align:center;width:12mm}
.matrix th.verdict{width:30mm}
.matrix th.srcs{width:22mm}
.matrix td.mark{text-align:center;font-size:7.5pt}
.matrix td.none{color:var(--rule)}
.matrix td.claimed{color:#0550ae}
.matrix td.harmed{color:var(--bad);font-weight:600}
.matrix td.claimed-harmed{color:var(--bad);font-weight:600}
.issues th.num{width:15mm}
.issues th.could{width:48mm}
.issues .cites{display:block;white-space:normal}
.issues li.justifies .rule{color:var(--ok);font-weight:600}
.issues li.withheld .rule{color:var(--bad)}
ol.interests{columns:2;font-size:8.5pt;margin:0;padding-left:0;list-style:none}
.changes{padding-left:5mm}
.citations ol{font-size:8.5pt;padding-left:7mm}
.citations li{margin-bottom:1.2mm;break-inside:avoid}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em}
footer{margin-top:6mm;border-top:1px solid var(--rule);font-size:8pt;color:var(--muted)}
.bottom-line ul.lines{margin:0 0 2mm;padding-left:4.5mm}
.bottom-line ul.lines li{margin:0 0 1mm;font-size:11pt}
.bottom-line p.confidence{font-size:9.5pt;margin:0 0 2mm;color:var(--muted)}
.muted{color:var(--muted)}
/* A badge never grows past its cell: long words wrap inside it, so it cannot run over the sources beside it. */
.board td .badge{max-width:100%;white-space:normal;overflow-wrap:anywhere;text-align:center}
.board td.src{overflow-wrap:anywhere}
.gates td.warrant{min-width:24mm}
.gates td.done-cell{min-width:26mm}
.badge.departure{display:inline-block;margin-bottom:.6mm}
.done{display:block}
.when{white-space:nowrap}
.what-would-change article.path{margin:0 0 3mm;break-inside:avoid}
.what-would-change h3{font-size:10.5pt;margin:3mm 0 1mm}
.what-would-change h3 .badge{vertical-align:middle}
.what-would-change p{margin:0 0 1mm}
.blockers{margin:0 0 1mm;padding-left:5mm;font-size:9.5pt}
.blockers li{margin-bottom:1.2mm}
.needs-text{display:block}
ul.fragile{padding-left:5mm;font-size:9.5pt}
ul.flips{margin:.5mm 0 0;padding-left:5mm}
.robust-fragile{color:var(--bad)}
.money td{vertical-align:top}
@media print{main{max-width:none;padding:0}a{color:inherit;text-decoration:none}details{display:none}}
`;
