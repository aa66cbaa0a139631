/**
 * The brief as Markdown, for pasting into other documents. Untrusted text (titles,
 * descriptions, publishers, URLs) is escaped so it cannot become markup: Markdown
 * punctuation and HTML are neutralised, and only http(s) URLs become links.
 */
import {
  type BenchmarkRow,
  type BriefModel,
  type BriefRow,
  type Citation,
  formatAmount,
  notInForceNote,
  onBoard,
  type SensitivityView,
  type WhatWouldChange,
} from './brief-model.ts';
import {
  convergenceText,
  EVENT_MEASURE_WORDS,
  type EventSeries,
  type JustificationMatrix,
  type MatrixMark,
  type MoneyFlows,
  moneyLeftOut,
  STATUS_CODES,
  type StatusTimeline,
  TIMED_CODE,
  TIMELINE_CITED_CHANGES,
  tabulateStatusTimeline,
} from './brief-visuals.ts';
import { monthsWithoutData } from './charts/event-series-chart.ts';
import { FLOW_SHORT } from './charts/relationship-chart.ts';
import { principalInterestLabel, WARRANT_WORDS } from './principal-words.ts';
import { basisLegend, flagLegend, flagMeanings, laterSourcesText, NOT_IN_FORCE_KIND_WORDS } from './status-words.ts';

/** Characters that can start markup anywhere in a line (links need `[`, so `(` is safe once `[` is escaped). */
const MD_INLINE = /[\\`*_{}[\]|<>~&]/g;
/** Characters that are markup only at the start of a line. */
const MD_LINE_START = /^(\s*)([#+\-!=>]|\d+\.)/;

/** Escapes text so Markdown (and HTML inside Markdown) shows it literally. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .replace(MD_INLINE, (ch) => (ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : ch === '&' ? '&amp;' : `\\${ch}`))
    .replace(MD_LINE_START, (_m, space: string, mark: string) =>
      mark.endsWith('.') && mark.length > 1 ? `${space}${mark.slice(0, -1)}\\.` : `${space}\\${mark}`,
    );
}

export function safeUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    return u.href.replace(/[()<> ]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  } catch {
    return undefined;
  }
}

function refs(cites: readonly number[]): string {
  return cites.length === 0 ? '' : ` ${cites.map((n) => `[${n}](#c${n})`).join(' ')}`;
}

function table(head: readonly string[], rows: readonly BriefRow[]): string {
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const cites = refs(r.cites).trim() || '—';
    lines.push(`| ${escapeMarkdown(r.title)} (\`${r.id}\`) | ${r.cells.map(escapeMarkdown).join(' | ')} | ${cites} |`);
  }
  return lines.join('\n');
}

function citation(c: Citation): string {
  const e = c.evidence;
  const when = e.occurred === e.occurredTo ? e.occurred : `${e.occurred} to ${e.occurredTo}`;
  const sources = e.sources
    .map((s) => {
      const url = safeUrl(s.url);
      const title = url === undefined ? `“${escapeMarkdown(s.title)}”` : `[${escapeMarkdown(s.title)}](${url})`;
      return `${escapeMarkdown(s.publisher)}, ${title}, ${escapeMarkdown(s.date)} (${s.reliability}${s.credibility})`;
    })
    .join('; ');
  const note = e.note === undefined ? '' : ` *${escapeMarkdown(e.note)}*`;
  return `${c.n}. <a id="c${c.n}"></a>\`${e.id}\` — ${escapeMarkdown(e.description)} (${escapeMarkdown(e.kind)}, ${when}; reported ${e.reported}). Sources: ${sources}.${laterSourcesText(c.laterSources)}${note}`;
}

const STATUS_WORDS: Readonly<Record<keyof typeof STATUS_CODES, string>> = {
  met: 'met',
  partial: 'partially fulfilled (the latest finding)',
  pending: 'pending',
  'not-met': 'not met',
  reversed: 'reversed',
  unverified: 'unverified (holds only on evidence below the bar)',
  unknown: 'unknown',
  'not-applicable': 'not applicable',
};

/** Benchmarks × periods in text codes, compressed to fit (see `tabulateStatusTimeline`), with a legend. */
function statusTimeline(t: StatusTimeline, review: string): string[] {
  const table = tabulateStatusTimeline(t);
  const out: string[] = [];
  const steps = t.step === 'month' ? 'monthly' : t.step === 'quarter' ? 'quarterly' : 'yearly';
  const how =
    table.period === t.step
      ? `a column spans the consecutive ${t.step}s in which no benchmark changed`
      : `one column per ${table.period} (${table.period}s in which no benchmark changed share a column); a cell lists the statuses seen at the ${steps} steps inside it, in order`;
  out.push(`Status of each benchmark at ${steps} steps from ${t.from} to ${t.to}; ${how}.`, '');
  out.push(`| Benchmark | ${table.columns.map((c) => c.label).join(' | ')} | Evidence for the latest changes |`);
  out.push(`|---|${table.columns.map(() => ':-:').join('|')}|---|`);
  for (const r of table.rows) {
    out.push(
      `| ${escapeMarkdown(r.title)} (\`${r.id}\`) | ${r.cells.map(escapeMarkdown).join(' | ')} | ${refs(r.cites).trim() || '—'} |`,
    );
  }
  const used = new Set(table.rows.flatMap((r) => r.cells.join('→').split('→')));
  const legend = (Object.keys(STATUS_CODES) as (keyof typeof STATUS_CODES)[])
    .filter((k) => used.has(STATUS_CODES[k]) || used.has(`${STATUS_CODES[k]}${TIMED_CODE}`))
    .map((k) => `${escapeMarkdown(STATUS_CODES[k])} ${STATUS_WORDS[k]}`);
  if ([...used].some((c) => c.endsWith(TIMED_CODE))) {
    legend.push(
      `${escapeMarkdown(TIMED_CODE)} after a code: flagged timed-to-review (${flagMeanings(review)['timed-to-review']})`,
    );
  }
  if (table.rows.some((r) => r.cells.some((c) => c.includes('→')))) {
    legend.push('A→B: changed from A to B within the column');
  }
  out.push(
    '',
    `Codes: ${legend.join('; ')}. Evidence: the items behind each change of status (for a benchmark with more than ${TIMELINE_CITED_CHANGES} changes, the last ${TIMELINE_CITED_CHANGES}).`,
  );
  return out;
}

const MARK_WORDS: Readonly<Record<MatrixMark, string>> = {
  claimed: 'serves',
  harmed: 'HARMS',
  'claimed-harmed': 'serves? HARMS',
  none: '·',
};

/** Justifications × interests by rank, with marks, the verdict and the sentence that decided it. */
function justificationMatrix(x: JustificationMatrix): string[] {
  const out: string[] = [];
  out.push(
    `| Justification | ${x.interests.map((i) => `#${i.rank}`).join(' | ')} | Verdict | Deciding reason | Citations |`,
    `|---|${x.interests.map(() => ':-:').join('|')}|---|---|---|`,
  );
  for (const r of x.rows) {
    out.push(
      `| ${escapeMarkdown(r.title)} (\`${r.id}\`), for ${escapeMarkdown(r.instrument)} | ${r.marks.map((mk) => MARK_WORDS[mk]).join(' | ')} | ${r.verdict.toUpperCase()} | ${escapeMarkdown(r.decision)} | ${refs(r.cites).trim() || '—'} |`,
    );
  }
  out.push(
    '',
    `Interests by rank (1 matters most): ${x.interests.map((i) => `#${i.rank} ${escapeMarkdown(i.title)}`).join('; ')}.`,
    '',
    'Marks: “serves”: the justification claims the instrument serves this interest; “HARMS”: the case records that the instrument harms it; “serves? HARMS”: both; “·”: neither.',
  );
  return out;
}

/** An event-data indicator as text: the months with data, the months without, or that none is loaded. */
function eventSeries(s: EventSeries): string[] {
  const head = `## Event data: ${escapeMarkdown(s.title)}`;
  if (!s.loaded) {
    return [
      head,
      '',
      `No event data loaded, so this input is missing and what depends on it is unknown, not assumed quiet. Ingest ${escapeMarkdown(s.dataset)} files covering the indicator's window with \`proviso ingest\` into the case's store.`,
    ];
  }
  const withData = s.months.filter((p) => p.value !== null).map((p) => `${p.month}: ${p.value}`);
  const gaps = monthsWithoutData(s);
  return [
    head,
    '',
    `${EVENT_MEASURE_WORDS[s.measure].label} per month (${escapeMarkdown(s.filter)}; ${escapeMarkdown(s.dataset)}), counting only events added by the brief's date${s.window === undefined ? '' : `; the indicator sums them over a trailing ${s.window}`}: ${withData.join('; ') || 'no month has data'}.${gaps.length === 0 ? '' : ` No event data loaded for ${gaps.join(', ')}.`}${refs(s.cites)}`,
  ];
}

/** What each benchmark's status rests on (the core's summary, and the subjects a default decides), then the legends. */
function benchmarkBases(rows: readonly BenchmarkRow[], review: string): string[] {
  if (rows.length === 0) return [];
  const out = ['What each status rests on:', ''];
  for (const b of rows) {
    const defaults = b.basis.kind === 'default' || b.basis.defaults.length === 0 ? '' : ` (${b.basis.defaults.join('; ')})`;
    out.push(`- ${escapeMarkdown(b.title)} (\`${b.id}\`): ${escapeMarkdown(b.basis.summary)}${escapeMarkdown(defaults)}.`);
  }
  out.push('');
  const notes = [...basisLegend(rows), ...flagLegend(rows, review)];
  if (notes.length > 0) out.push(notes.map(escapeMarkdown).join(' '), '');
  return out;
}

function sensitivityWords(s: SensitivityView | null): string {
  if (s === null) return 'robustness not assessed';
  return `${escapeMarkdown(s.text)}${refs(s.cites)}`;
}

/** Each instrument's path to unlock, then the fragile decisions and verdicts. */
function whatWouldChange(w: WhatWouldChange): string[] {
  const out: string[] = [];
  if (w.paths.length === 0) out.push(w.noPaths, '');
  for (const p of w.paths) {
    const u = p.unlock;
    out.push(
      `**${escapeMarkdown(p.title)}** (${WARRANT_WORDS[p.decision].short}): ${escapeMarkdown(u.headline)} — ${escapeMarkdown(u.why)}.`,
      '',
    );
    if (u.sets.length > 1) {
      const of = u.setsTotal !== null && u.setsTotal > u.sets.length ? ` (the first ${u.sets.length} of ${u.setsTotal})` : '';
      out.push(`Any of these would do${of}: ${u.sets.map((x) => escapeMarkdown(x.join(' + '))).join('; ')}.`, '');
    }
    for (const b of u.blockers) {
      const when = b.possible
        ? b.earliest === null
          ? 'no earliest day found'
          : `earliest ${b.earliest}`
        : 'cannot be met as written';
      out.push(
        `- ${escapeMarkdown(b.heading)}. Needs: ${escapeMarkdown(b.needs)}. ${when[0]?.toUpperCase()}${when.slice(1)}: ${escapeMarkdown(b.why)}.${refs(b.cites)}`,
      );
    }
    out.push('');
  }
  if (w.fragile.length > 0) {
    out.push('Fragile decisions and verdicts:', '');
    for (const f of w.fragile) {
      out.push(
        `- ${escapeMarkdown(f.title)} (${f.kind === 'instrument' ? 'decision' : 'verdict'} now: ${escapeMarkdown(f.now)}): ${sensitivityWords(f.sensitivity)}`,
      );
      for (const x of f.sensitivity.flips.slice(1)) out.push(`  - ${escapeMarkdown(x.text)}${refs(x.cites)}`);
    }
    out.push('');
  }
  if (w.robust + w.fragile.length > 0) {
    out.push(
      `${w.fragile.length === 0 ? 'No decision or verdict is fragile' : `${w.fragile.length} fragile`}; ${w.robust} robust (no single change tried flips ${w.robust === 1 ? 'it' : 'them'})${w.notAssessed > 0 ? `; ${w.notAssessed} not assessed` : ''}. Changes tried: two adjacent interests swapping ranks, one cited item removed, the author's and the analysis's claims dropped, a source graded one step lower.`,
      '',
    );
  } else if (w.notAssessed > 0) {
    out.push('The robustness of the decisions and verdicts was not assessed.', '');
  }
  return out;
}

/** The money table (flows with payer and direction) and what was left out. */
function moneyFlows(r: MoneyFlows): string[] {
  const out = [`## The relationship in money${r.currency === '' ? '' : ` (${escapeMarkdown(r.currency)})`}`, ''];
  if (r.entries.length === 0) {
    out.push('No entry declares a flow of money (payer and direction), so nothing is charted.');
  } else {
    out.push('| Date | Flow | Payer → payee | Amount | What | Citations |', '|---|---|---|---|---|---|');
    for (const e of r.entries) {
      out.push(
        `| ${escapeMarkdown(e.date)} | ${FLOW_SHORT[e.flow]} | ${escapeMarkdown(e.payer)} → ${escapeMarkdown(e.payee)} | ${escapeMarkdown(formatAmount(e.amount, r.currency || null))} | ${escapeMarkdown(e.description)} | ${refs(e.cites).trim()} |`,
      );
    }
    if (r.total > r.entries.length) out.push('', `The ${r.entries.length} largest of ${r.total} flows.`);
    out.push(
      '',
      `Per year: ${r.years
        .map(
          (y) =>
            `${y.year}: ${r.series
              .flatMap((x, i) =>
                (y.sums[i] ?? 0) > 0 ? [`${escapeMarkdown(x.label)} ${formatAmount(y.sums[i] ?? 0, r.currency || null)}`] : [],
              )
              .join(', ')}`,
        )
        .join('; ')}.`,
    );
  }
  const left = moneyLeftOut(r);
  if (left.length > 0)
    out.push(
      '',
      `${escapeMarkdown(left.join('; ')).replace(/^./, (c) => c.toUpperCase())}: only money with a declared payer and direction is counted.`,
    );
  return out;
}

export function renderMarkdownBrief(m: BriefModel): string {
  const out: string[] = [];
  out.push(`# ${escapeMarkdown(m.title)} — brief as of ${m.asOf}`);
  out.push('');
  out.push('## Bottom line');
  out.push('');
  for (const s of m.bottomLine) out.push(`- ${escapeMarkdown(s.text)}${refs(s.cites)}`);
  out.push('');
  out.push(escapeMarkdown(m.confidence.text));
  out.push('');
  out.push('## Gate board: what is warranted, and what was done');
  out.push('');
  out.push(table(['Instrument', 'Tier', 'Amount', 'Warranted', 'Done', 'Still needs / waiver', 'Rule', 'Evidence'], m.gates));
  out.push('');
  out.push(
    '“Warranted”: what the gate decides from the benchmarks (conditions met or unmet); “Done”: what the principal did with the instrument, as the evidence records it, and whether it departs from what is warranted.',
  );
  out.push('');
  out.push('## What would change this', '', ...whatWouldChange(m.whatWouldChange));
  out.push('## Benchmark board');
  out.push('');
  if (m.groups.length > 0) {
    for (const g of m.groups) out.push(`${g.parent === null ? '' : '  '}- ${escapeMarkdown(g.summary)}`);
    out.push('');
    out.push('Members of a group that are met are counted above; the board lists the others.');
    out.push('');
  }
  out.push(
    table(
      ['Benchmark', 'Status', 'Rests on', 'Since', 'Flags', 'Evidence items', 'Best grade', 'Citations'],
      m.benchmarks.filter(onBoard),
    ),
  );
  out.push('');
  out.push(...benchmarkBases(m.benchmarks.filter(onBoard), m.reviewExample));
  if (m.notInForce !== undefined && m.notInForce.length > 0) {
    out.push(`## Not in force on ${m.asOf}`);
    out.push('');
    out.push('| Item | Kind | On this date | Why |');
    out.push('|---|---|---|---|');
    for (const x of m.notInForce) {
      out.push(
        `| ${escapeMarkdown(x.title)} (\`${x.id}\`) | ${NOT_IN_FORCE_KIND_WORDS[x.kind]} | ${escapeMarkdown(x.label)} | ${escapeMarkdown(x.detail)} |`,
      );
    }
    out.push('');
    out.push(escapeMarkdown(notInForceNote(m, false)));
    out.push('');
  }
  out.push('## Justifications');
  out.push('');
  out.push(
    table(
      [
        'Justification',
        'Instrument',
        'Claims to serve',
        'Verdict',
        'Deciding reason',
        'Stated by',
        'Robustness',
        'Rests on',
        'Citations',
      ],
      m.justifications,
    ),
  );
  out.push('');
  if (m.changes !== undefined) {
    out.push(`## What changed since ${m.since ?? ''}`);
    out.push('');
    if (m.changes.length === 0) out.push('Nothing changed.');
    for (const c of m.changes) out.push(`- ${escapeMarkdown(c.text)}${refs(c.cites)}`);
    out.push('');
  }
  if (m.statusTimeline !== undefined && m.statusTimeline.rows.length > 0) {
    out.push('## Status timeline', '', ...statusTimeline(m.statusTimeline, m.reviewExample), '');
  }
  if (m.money !== undefined) out.push(...moneyFlows(m.money), '');
  for (const s of m.indicatorSeries ?? []) {
    out.push(`## ${escapeMarkdown(s.title)}`);
    out.push('');
    out.push(
      `${s.points.map((p) => `${p.date}: ${p.value}${p.of === undefined ? '' : ` of ${p.of}`}`).join('; ')} ${escapeMarkdown(s.unit ?? '')}.${refs(s.cites)}`,
    );
    out.push('');
  }
  for (const s of m.eventSeries ?? []) out.push(...eventSeries(s), '');
  for (const s of m.structural ?? []) {
    out.push(`## ${escapeMarkdown(s.title)}`);
    out.push('');
    for (const l of s.lines) {
      out.push(
        `- ${escapeMarkdown(l.label)} (${escapeMarkdown(l.title)}): ${l.points.map((p) => `${p.date.slice(0, 4)} ${p.value}`).join('; ')}.${refs(l.cites)}`,
      );
    }
    out.push('', `Each value as known on ${m.asOf} (${escapeMarkdown(s.dataset)}).`, '');
  }
  if (m.issueAreas !== undefined) {
    const x = m.issueAreas;
    const title = new Map(x.instruments.map((i) => [i.id, i.title]));
    out.push('## Issue areas: where interests converge');
    out.push('');
    out.push(
      `| Issue area | ${escapeMarkdown(principalInterestLabel(m.principal))} | With | Against | Convergence | Could justify | Deciding reason |`,
    );
    out.push('|---|---|---|---|---|---|---|');
    for (const r of x.rows) {
      const could = x.instruments
        .filter((_, i) => r.marks[i] !== 'none')
        .map((i) => `${escapeMarkdown(title.get(i.id) ?? i.id)}${r.convergence === 'align' ? '' : ' (not now)'}`)
        .join('; ');
      const side = (s: typeof r.aligned) => `${s.weight} (${s.count})${refs(s.cites)}`;
      out.push(
        `| ${escapeMarkdown(r.title)} (\`${r.id}\`) | ${escapeMarkdown(r.interest.title)} | ${side(r.aligned)} | ${side(r.opposed)} | ${convergenceText(r)} | ${could || '—'} | ${escapeMarkdown(r.decision)} |`,
      );
    }
    out.push('');
  }
  if (m.matrix !== undefined) {
    out.push('## Justifications against interests', '', ...justificationMatrix(m.matrix), '');
  }
  out.push('## Citations');
  out.push('');
  out.push(
    'Grades: source reliability A (reliable) – F (cannot be judged); information credibility 1 (confirmed) – 6 (cannot be judged).',
  );
  out.push('');
  for (const c of m.citations) out.push(citation(c));
  out.push('');
  out.push(`---\nInputs digest: \`${m.digest}\`. Reproduce with \`proviso assess <case> --as-of ${m.asOf} --format json\`.`);
  out.push('');
  return out.join('\n');
}
