/**
 * Alerts: benchmark status and gate decision changes the server recorded when evidence
 * arrived (`AlertRecord`, append-only), newest first. Each names what changed in words,
 * links to the case as of the alert's date and to the evidence that caused it.
 */
import type { Departure } from '../core/principal-actions.ts';
import type { AlertRecord } from '../ports/team-store.ts';
import { DEPARTURE_WORDS } from '../report/principal-words.ts';
import { html, joinMarkup, link, type Markup, paths, statusOfCell, statusText, tableWrap, urlOf } from './html.ts';
import { keep, type PageContext, renderDocument } from './layout.ts';

/** Titles to show instead of ids; a `Case` fits. Cases not given show ids. */
export interface AlertCaseInfo {
  readonly id: string;
  readonly title: string;
  readonly benchmarks?: readonly { readonly id: string; readonly title: string }[];
  readonly instruments?: readonly { readonly id: string; readonly title: string }[];
}

export interface AlertsPageData {
  /** The alerts to list (any order; shown newest first). */
  readonly alerts: readonly AlertRecord[];
  readonly cases?: readonly AlertCaseInfo[];
}

/** A departure value of an alert in words (`none`, or a departure). */
function departureText(value: string): string {
  return Object.hasOwn(DEPARTURE_WORDS, value) ? DEPARTURE_WORDS[value as Departure] : value;
}

function stateText(kind: AlertRecord['kind'], value: string): string {
  if (kind === 'benchmark-status') {
    const s = statusOfCell(value);
    return s === undefined ? value : statusText(s);
  }
  return value;
}

/** The alert's subject as a link (benchmark detail, or the gate board) and its change in words. */
export function describeAlert(ctx: PageContext, a: AlertRecord, info: AlertCaseInfo | undefined): Markup {
  const at = { ...keep(ctx), asOf: a.asOf };
  let subject: Markup;
  if (a.kind === 'benchmark-status') {
    const title = info?.benchmarks?.find((b) => b.id === a.subject)?.title ?? a.subject;
    subject = html`Benchmark ${link(urlOf(paths.benchmark(a.caseId, a.subject), at), title)}`;
  } else {
    const title = info?.instruments?.find((i) => i.id === a.subject)?.title ?? a.subject;
    subject = html`Instrument ${link(`${urlOf(paths.dashboard(a.caseId), at)}#gate-${encodeURIComponent(a.subject)}`, title)}`;
  }
  if (a.kind === 'departure') {
    return a.to === 'none'
      ? html`${subject}: what the principal does no longer departs from what the benchmarks warrant (was <b>${departureText(a.from)}</b>) as of ${a.asOf}`
      : html`${subject}: <b>departure</b> — ${departureText(a.to)} as of ${a.asOf}`;
  }
  const verb = a.kind === 'benchmark-status' ? 'status' : 'gate decision';
  return html`${subject}: ${verb} changed from <b>${stateText(a.kind, a.from)}</b> to <b>${stateText(a.kind, a.to)}</b> as of ${a.asOf}`;
}

const EVIDENCE_ID_CLASS = html` class="evidence-id"`;

export function evidenceLinks(ctx: PageContext, caseId: string, ids: readonly string[]): Markup {
  if (ids.length === 0) return html`—`;
  return joinMarkup(
    ids.map((id) => link(urlOf(paths.evidence(caseId), keep(ctx, { q: id })), id, EVIDENCE_ID_CLASS)),
    ', ',
  );
}

export function newestFirst(alerts: readonly AlertRecord[]): AlertRecord[] {
  return [...alerts].sort((a, b) => b.seq - a.seq);
}

export function renderAlertsPage(ctx: PageContext, data: AlertsPageData): string {
  const info = new Map((data.cases ?? []).map((c) => [c.id, c]));
  const alerts = newestFirst(data.alerts);
  const rows = alerts.map((a) => {
    const c = info.get(a.caseId);
    return html`<tr><td>${a.at}</td><td>${link(urlOf(paths.dashboard(a.caseId), keep(ctx)), c?.title ?? a.caseId)}</td><td>${describeAlert(ctx, a, c)}</td><td>${evidenceLinks(ctx, a.caseId, a.evidenceIds)}</td><td>${a.actor}</td></tr>`;
  });
  const body =
    alerts.length === 0
      ? html`<p>No alerts yet. An alert is recorded when new evidence changes a benchmark status or a gate decision.</p>`
      : tableWrap(
          'Alerts',
          html`<table class="board"><caption class="visually-hidden">Alerts, newest first</caption><thead><tr><th scope="col">Recorded</th><th scope="col">Case</th><th scope="col">Change</th><th scope="col">Evidence</th><th scope="col">By</th></tr></thead><tbody>${rows}</tbody></table>`,
        );
  return renderDocument(ctx, {
    title: 'Alerts',
    nav: 'alerts',
    body: html`<h1>Alerts</h1><p class="lede">Changes in benchmark status and gate decisions caused by new evidence, newest first.</p>${body}`,
  });
}
