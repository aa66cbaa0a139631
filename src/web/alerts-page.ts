/**
 * Alerts: benchmark status and gate decision changes the server recorded when evidence
 * arrived (`AlertRecord`, append-only), newest first. Each names what changed in words,
 * links to the case as of the alert's date and to the evidence that caused it.
 */
import type { Departure } from '../core/principal-actions.ts';
import type { AlertRecord } from '../ports/team-store.ts';
import { DEPARTURE_WORDS } from '../report/principal-words.ts';
import { escapeHtml, link, paths, statusOfCell, statusText, tableWrap, urlOf } from './html.ts';
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
export function describeAlert(ctx: PageContext, a: AlertRecord, info: AlertCaseInfo | undefined): string {
  const at = { ...keep(ctx), asOf: a.asOf };
  let subject: string;
  if (a.kind === 'benchmark-status') {
    const title = info?.benchmarks?.find((b) => b.id === a.subject)?.title ?? a.subject;
    subject = `Benchmark ${link(urlOf(paths.benchmark(a.caseId, a.subject), at), title)}`;
  } else {
    const title = info?.instruments?.find((i) => i.id === a.subject)?.title ?? a.subject;
    subject = `Instrument ${link(`${urlOf(paths.dashboard(a.caseId), at)}#gate-${encodeURIComponent(a.subject)}`, title)}`;
  }
  if (a.kind === 'departure') {
    return a.to === 'none'
      ? `${subject}: what the principal does no longer departs from what the benchmarks warrant (was <b>${escapeHtml(departureText(a.from))}</b>) as of ${escapeHtml(a.asOf)}`
      : `${subject}: <b>departure</b> — ${escapeHtml(departureText(a.to))} as of ${escapeHtml(a.asOf)}`;
  }
  const verb = a.kind === 'benchmark-status' ? 'status' : 'gate decision';
  return `${subject}: ${verb} changed from <b>${escapeHtml(stateText(a.kind, a.from))}</b> to <b>${escapeHtml(stateText(a.kind, a.to))}</b> as of ${escapeHtml(a.asOf)}`;
}

export function evidenceLinks(ctx: PageContext, caseId: string, ids: readonly string[]): string {
  if (ids.length === 0) return '—';
  return ids.map((id) => link(urlOf(paths.evidence(caseId), keep(ctx, { q: id })), id, ' class="evidence-id"')).join(', ');
}

export function newestFirst(alerts: readonly AlertRecord[]): AlertRecord[] {
  return [...alerts].sort((a, b) => b.seq - a.seq);
}

export function renderAlertsPage(ctx: PageContext, data: AlertsPageData): string {
  const info = new Map((data.cases ?? []).map((c) => [c.id, c]));
  const alerts = newestFirst(data.alerts);
  const rows = alerts.map((a) => {
    const c = info.get(a.caseId);
    return `<tr><td>${escapeHtml(a.at)}</td><td>${link(urlOf(paths.dashboard(a.caseId), keep(ctx)), c?.title ?? a.caseId)}</td><td>${describeAlert(ctx, a, c)}</td><td>${evidenceLinks(ctx, a.caseId, a.evidenceIds)}</td><td>${escapeHtml(a.actor)}</td></tr>`;
  });
  const body =
    alerts.length === 0
      ? '<p>No alerts yet. An alert is recorded when new evidence changes a benchmark status or a gate decision.</p>'
      : tableWrap(
          'Alerts',
          `<table class="board"><caption class="visually-hidden">Alerts, newest first</caption><thead><tr><th scope="col">Recorded</th><th scope="col">Case</th><th scope="col">Change</th><th scope="col">Evidence</th><th scope="col">By</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
        );
  return renderDocument(ctx, {
    title: 'Alerts',
    nav: 'alerts',
    body: `<h1>Alerts</h1><p class="lede">Changes in benchmark status and gate decisions caused by new evidence, newest first.</p>${body}`,
  });
}
