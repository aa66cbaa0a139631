/**
 * Readable terminal tables for assessments and histories. Control characters in
 * case-supplied text are stripped so a case file cannot drive the terminal.
 */
import Table from 'cli-table3';
import type { Assessment } from '../core/assess.ts';
import { daysBetween } from '../core/dates.ts';
import type { History } from '../core/history.ts';
import { formatAmount } from '../report/brief-model.ts';

// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function plain(text: string): string {
  return text.replace(CONTROL, '');
}

function makeTable(head: string[], widths?: number[]): Table.Table {
  return new Table({
    head,
    style: { head: [], border: [] },
    wordWrap: true,
    ...(widths === undefined ? {} : { colWidths: widths }),
  });
}

export function renderAssessmentText(a: Assessment, title: string): string {
  const out: string[] = [];
  out.push(`${plain(title)} — as of ${a.asOf}${a.recordedBy === null ? '' : ` (ledger as recorded by ${a.recordedBy})`}`);
  out.push(`digest ${a.digest} · ${a.ledger.known} ledger entries known, ${a.ledger.standing} standing`);
  const latest = a.ledger.latestReported;
  if (latest !== null && daysBetween(latest, a.asOf) > 180) {
    out.push(
      `note: the newest evidence was reported on ${latest}, ${daysBetween(latest, a.asOf)} days before ${a.asOf}; statuses since then rest on the absence of later reports — record newer evidence before relying on them`,
    );
  }
  out.push('');
  const bt = makeTable(['Benchmark', 'Status', 'Since', 'Flags', 'Evidence'], [44, 12, 12, 17, 10]);
  for (const b of a.benchmarks) {
    bt.push([plain(b.title), b.status, b.since ?? '—', b.flags.join(', ') || '—', String(b.evidence.length)]);
  }
  out.push('Benchmarks');
  out.push(bt.toString());
  const it = makeTable(['Instrument', 'Tier', 'Amount', 'Decision', 'Missing'], [40, 6, 12, 10, 34]);
  for (const i of a.instruments) {
    it.push([
      plain(i.title),
      String(i.tier),
      i.amount === null ? '—' : formatAmount(i.amount, i.currency),
      i.decision,
      i.missing.join(', ') || (i.waiver === null ? '—' : `waiver ${i.waiver}`),
    ]);
  }
  out.push('Instruments');
  out.push(it.toString());
  const jt = makeTable(['Justification', 'Instrument', 'Verdict', 'Deciding reason'], [30, 18, 14, 40]);
  for (const j of a.justifications) {
    jt.push([plain(j.title), j.instrument, j.verdict, plain(j.decision)]);
  }
  out.push('Justifications');
  out.push(jt.toString());
  if (a.issueAreas.length > 0) {
    const at = makeTable(['Issue area', 'Convergence', 'With', 'Against', 'Justifies'], [34, 13, 7, 9, 35]);
    for (const r of a.issueAreas) {
      at.push([
        plain(r.title),
        `${r.convergence}${r.contested ? ' (contested)' : ''}`,
        String(r.aligned.weight),
        String(r.opposed.weight),
        r.justifies.join(', ') || '—',
      ]);
    }
    out.push('Issue areas');
    out.push(at.toString());
  }
  return out.join('\n');
}

export function renderHistoryText(h: History): string {
  const out: string[] = [];
  out.push(`${h.case}: history from ${h.from} to ${h.to} by ${h.step} (${h.points.length} points)`);
  out.push(`digest ${h.digest}`);
  out.push('');
  const tt = makeTable(['Date', 'Seen as of', 'What', 'Id', 'From', 'To', 'Evidence'], [12, 12, 13, 32, 12, 16, 30]);
  for (const t of h.transitions) {
    tt.push([t.date, t.asOf, t.kind, t.id, t.from ?? '—', t.to ?? '—', t.evidence.join(', ') || '—']);
  }
  out.push('Transitions');
  out.push(tt.toString());
  const last = h.points[h.points.length - 1];
  if (last !== undefined) {
    out.push(
      `Statuses as of ${last.asOf}: ${Object.entries(last.benchmarks)
        .map(([id, s]) => `${id} ${s}`)
        .join('; ')}`,
    );
  }
  return out.join('\n');
}
