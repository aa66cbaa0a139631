/**
 * Readable terminal tables for assessments and histories. Control characters in
 * case-supplied text are stripped so a case file cannot drive the terminal.
 */
import Table from 'cli-table3';
import type { Assessment } from '../core/assess.ts';
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

/** What a basis summary says after the status word: "on evidence: …", "on the case's default: …". */
function restsOn(summary: string): string {
  const at = summary.indexOf(' — ');
  return at < 0 ? summary : summary.slice(at + 3);
}

export function renderAssessmentText(a: Assessment, title: string): string {
  const out: string[] = [];
  out.push(`${plain(title)} — as of ${a.asOf}${a.recordedBy === null ? '' : ` (ledger as recorded by ${a.recordedBy})`}`);
  out.push(`digest ${a.digest} · ${a.ledger.known} ledger entries known, ${a.ledger.standing} standing`);
  out.push('');
  const applicable = a.benchmarks.filter((b) => b.status !== 'not-applicable');
  const bt = makeTable(['Benchmark', 'Status', 'Since', 'Rests on', 'Flags'], [34, 12, 12, 44, 16]);
  for (const b of applicable) {
    const flags = b.flags.map((f) => (f === 'stale' ? `stale (newest ${b.newest ?? 'none'})` : f));
    const title = b.author === null ? b.title : `${b.title} (set by ${b.author})`;
    bt.push([plain(title), b.status, b.since ?? '—', plain(restsOn(b.basis.summary)), flags.join(', ') || '—']);
  }
  out.push('Benchmarks');
  out.push(bt.toString());
  const apart = (items: readonly { title: string; reasons: readonly string[] }[]) =>
    items.map((x) => `  ${plain(x.title)}: ${plain((x.reasons[0] ?? '').replace(/^not applicable on [0-9-]+: /, ''))}`);
  const notApplicable = a.benchmarks.filter((b) => b.status === 'not-applicable');
  if (notApplicable.length > 0) out.push('Benchmarks not applicable on this date', ...apart(notApplicable));
  const it = makeTable(['Instrument', 'Tier', 'Amount', 'Decision', 'Missing'], [40, 6, 12, 10, 34]);
  for (const i of a.instruments.filter((x) => x.decision !== 'not-applicable')) {
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
  const idle = a.instruments.filter((x) => x.decision === 'not-applicable');
  if (idle.length > 0) out.push('Instruments not in force on this date (neither locked nor unlocked)', ...apart(idle));
  const jt = makeTable(['Justification', 'Instrument', 'Verdict', 'Deciding reason'], [30, 18, 14, 40]);
  for (const j of a.justifications.filter((x) => x.verdict !== 'not-applicable')) {
    jt.push([plain(j.title), j.instrument, j.verdict, plain(j.decision)]);
  }
  out.push('Justifications');
  out.push(jt.toString());
  const unjudged = a.justifications.filter((x) => x.verdict === 'not-applicable');
  if (unjudged.length > 0) {
    out.push(
      'Justifications not judged on this date',
      ...unjudged.map((j) => `  ${plain(j.title)}: ${plain(j.decision.replace(/^not applicable on [0-9-]+: /, ''))}`),
    );
  }
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
  const tt = makeTable(
    ['Date', 'Seen as of', 'What', 'Id', 'From', 'To', 'Why (evidence or rule)'],
    [12, 12, 13, 28, 12, 16, 44],
  );
  const sorted = [...h.transitions].sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
  for (const t of sorted) {
    const why = [t.evidence.length > 0 ? t.evidence.join(', ') : '', plain(t.rule)].filter((x) => x !== '').join(' — ');
    tt.push([t.date, t.asOf, t.kind, t.id, t.from ?? '—', t.to ?? '—', why || '—']);
  }
  out.push('Transitions (by the day each took effect)');
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
