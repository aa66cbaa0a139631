/**
 * Readable terminal tables for assessments and histories. Control characters in
 * case-supplied text are stripped so a case file cannot drive the terminal.
 */
import Table from 'cli-table3';
import type { Assessment } from '../core/assess.ts';
import type { InstrumentResult } from '../core/gates.ts';
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

/** What the principal did with an instrument, and whether it departs from what is warranted. */
function doneText(i: InstrumentResult): string {
  if (i.actual === null) return 'nothing recorded';
  const done = `${i.actual.state} ${i.actual.since} (${i.actual.evidence.join(', ')})`;
  return i.departure === null ? done : `${done} — DEPARTURE: ${i.departure}`;
}

/** The path to unlock an instrument, as indented lines. */
export function unlockLines(i: InstrumentResult): string[] {
  const u = i.unlock;
  if (u === null) return [];
  const head = u.possible
    ? `  ${plain(i.title)}: could unlock ${u.earliest === null ? 'on no day found' : `no earlier than ${u.earliest}`}`
    : `  ${plain(i.title)}: cannot unlock as written`;
  return [
    head,
    `    ${plain(u.why)}`,
    ...u.blockers.map(
      (b) =>
        `    - ${plain(b.title)} [${b.status}]: ${plain(b.needs)}; earliest ${b.earliest ?? (b.possible ? 'not found' : 'never')} (${plain(b.why)})`,
    ),
  ];
}

/** An assessment in a few lines: the benchmark lists, then each instrument in force with what was done. */
export function renderBottomLines(a: Assessment, title: string): string {
  const out = [`${plain(title)} — as of ${a.asOf}`];
  for (const g of a.groups) out.push(`${g.parent === null ? '  ' : '    '}${plain(g.summary)}`);
  const outside = a.benchmarks.filter((b) => b.group === null && b.status !== 'not-applicable');
  if (outside.length > 0) out.push(`  Benchmarks: ${outside.map((b) => `${b.id} ${b.status}`).join('; ')}`);
  for (const i of a.instruments.filter((x) => x.decision !== 'not-applicable')) {
    const amount = i.amount === null ? '' : ` (${formatAmount(i.amount, i.currency)})`;
    out.push(`  - ${plain(i.title)}${amount}: ${i.decision}; done: ${plain(doneText(i))}`);
  }
  return out.join('\n');
}

export function renderAssessmentText(a: Assessment, title: string): string {
  const out: string[] = [];
  out.push(`${plain(title)} — as of ${a.asOf}${a.recordedBy === null ? '' : ` (ledger as recorded by ${a.recordedBy})`}`);
  out.push(`digest ${a.digest} · ${a.ledger.known} ledger entries known, ${a.ledger.standing} standing`);
  out.push('');
  // Members of a group that are met are counted in the group's line, not listed one by one.
  const applicable = a.benchmarks.filter((b) => b.status !== 'not-applicable' && !(b.group !== null && b.status === 'met'));
  const bt = makeTable(['Benchmark', 'Status', 'Since', 'Rests on', 'Flags'], [34, 12, 12, 44, 16]);
  for (const b of applicable) {
    const flags = b.flags.map((f) => (f === 'stale' ? `stale (newest ${b.newest ?? 'none'})` : f));
    const title = b.author === null ? b.title : `${b.title} (set by ${b.author})`;
    bt.push([plain(title), b.status, b.since ?? '—', plain(restsOn(b.basis.summary)), flags.join(', ') || '—']);
  }
  if (a.groups.length > 0) {
    out.push('Benchmark groups (members met are counted here; the others are listed below)');
    for (const g of a.groups) out.push(`${g.parent === null ? '  ' : '    '}${plain(g.summary)}`);
    out.push('');
  }
  out.push(a.groups.length > 0 ? 'Benchmarks (group members not met, and benchmarks outside groups)' : 'Benchmarks');
  out.push(bt.toString());
  const apart = (items: readonly { title: string; reasons: readonly string[] }[]) =>
    items.map((x) => `  ${plain(x.title)}: ${plain((x.reasons[0] ?? '').replace(/^not applicable on [0-9-]+: /, ''))}`);
  const notApplicable = a.benchmarks.filter((b) => b.status === 'not-applicable');
  if (notApplicable.length > 0) out.push('Benchmarks not applicable on this date', ...apart(notApplicable));
  const it = makeTable(['Instrument', 'Amount', 'Warranted', 'Done', 'Missing', 'Robust?'], [32, 12, 10, 22, 26, 9]);
  for (const i of a.instruments.filter((x) => x.decision !== 'not-applicable')) {
    it.push([
      plain(i.title),
      i.amount === null ? '—' : formatAmount(i.amount, i.currency),
      i.decision,
      doneText(i),
      i.missing.join(', ') || (i.waiver === null ? '—' : `waiver ${i.waiver}`),
      i.sensitivity?.label ?? '—',
    ]);
  }
  out.push(
    'Instruments (warranted: what the benchmarks allow — locked means the conditions are not met; done: what the principal did)',
  );
  out.push(it.toString());
  const paths = a.instruments.filter((x) => x.unlock !== null);
  if (paths.length > 0) out.push('What would unlock them', ...paths.flatMap((i) => unlockLines(i)));
  const fragile = [...a.instruments, ...a.justifications].filter((x) => x.sensitivity?.label === 'fragile');
  if (fragile.length > 0)
    out.push('Fragile results', ...fragile.map((x) => `  ${plain(x.title)}: ${plain(x.sensitivity?.summary ?? '')}`));
  const idle = a.instruments.filter((x) => x.decision === 'not-applicable');
  // An instrument whose window closed is judged at its close: a departure then is shown with it.
  const closedDeparture = (i: InstrumentResult) =>
    i.departure === null ? '' : `; closed with a departure — done: ${plain(doneText(i))}`;
  if (idle.length > 0)
    out.push(
      'Instruments not in force on this date (neither locked nor unlocked)',
      ...apart(idle).map((line, k) => `${line}${closedDeparture(idle[k] as InstrumentResult)}`),
    );
  const judged = a.justifications.filter((x) => x.verdict !== 'not-applicable');
  if (judged.length > 0) {
    const jt = makeTable(['Justification', 'Instrument', 'Verdict', 'Deciding reason', 'Robust?'], [28, 16, 13, 36, 9]);
    for (const j of judged) jt.push([plain(j.title), j.instrument, j.verdict, plain(j.decision), j.sensitivity?.label ?? '—']);
    out.push('Justifications');
    out.push(jt.toString());
  }
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

/**
 * The history as text. With `groupOf` (a benchmark's group title, if it is a member), the
 * same change of many members of one group on one day is one row ("54 members of Roadmap").
 */
export function renderHistoryText(h: History, groupOf: (benchmark: string) => string | undefined = () => undefined): string {
  const out: string[] = [];
  out.push(`${h.case}: history from ${h.from} to ${h.to} by ${h.step} (${h.points.length} points)`);
  out.push(`digest ${h.digest}`);
  out.push('');
  const tt = makeTable(
    ['Date', 'Seen as of', 'What', 'Id', 'From', 'To', 'Why (evidence or rule)'],
    [12, 12, 13, 28, 12, 16, 44],
  );
  const sorted = [...h.transitions].sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
  const rows: { ts: (typeof sorted)[number][] }[] = [];
  const byKey = new Map<string, { ts: (typeof sorted)[number][] }>();
  for (const t of sorted) {
    const group = t.kind === 'benchmark' ? groupOf(t.id) : undefined;
    const key = group === undefined ? undefined : [t.date, t.asOf, t.from, t.to, group].join('\u0000');
    const same = key === undefined ? undefined : byKey.get(key);
    if (same !== undefined) same.ts.push(t);
    else {
      const row = { ts: [t] };
      rows.push(row);
      if (key !== undefined) byKey.set(key, row);
    }
  }
  for (const { ts } of rows) {
    const t = ts[0] as (typeof sorted)[number];
    if (ts.length === 1) {
      const why = [t.evidence.length > 0 ? t.evidence.join(', ') : '', plain(t.rule)].filter((x) => x !== '').join(' — ');
      tt.push([t.date, t.asOf, t.kind, t.id, t.from ?? '—', t.to ?? '—', why || '—']);
      continue;
    }
    const ids = ts.map((x) => x.id);
    const shown = ids.length <= 4 ? ids.join(', ') : `${ids.slice(0, 3).join(', ')} and ${ids.length - 3} more`;
    const evidence = [...new Set(ts.flatMap((x) => x.evidence))];
    const why = evidence.length <= 3 ? evidence.join(', ') : `${evidence.slice(0, 3).join(', ')} and ${evidence.length - 3} more`;
    tt.push([
      t.date,
      t.asOf,
      'benchmarks',
      `${ts.length} members of ${plain(groupOf(t.id) ?? '')}: ${shown}`,
      t.from ?? '—',
      t.to ?? '—',
      why || '—',
    ]);
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
