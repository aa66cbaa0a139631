/**
 * The brief's visual sections as data: the status timeline, the relationship timeline
 * with amounts, indicator series, structural series (UN voting convergence, aid, …), the
 * justification matrix and the issue-area convergence matrix. Pure and deterministic:
 * no clock, no randomness; output order follows the case, then dates, then ids.
 *
 * Citations are assigned through the `cite` callback the brief model passes in, so every
 * plotted or tabulated fact that a reader can check carries citation numbers.
 */
import type { Assessment } from '../core/assess.ts';
import type { BenchmarkStatusKind } from '../core/benchmark-stream.ts';
import type { Case, EventMeasure, Indicator, SeriesIndicator } from '../core/case-model.ts';
import { maxDate, minDate, stepDates } from '../core/dates.ts';
import { type Evidence, FLOW_KINDS, type FlowKind, type MoneyFlow, viewAsOf } from '../core/evidence.ts';
import type { History } from '../core/history.ts';
import type { Convergence } from '../core/issue-areas.ts';
import type { Verdict } from '../core/justifications.ts';
import { byId, compareText } from '../core/order.ts';
import { describeSeriesSource, SERIES_KIND_PREFIX, type SeriesCoverage, seriesIndicators } from '../core/series.ts';

export type Cite = (ids: readonly string[]) => number[];

/** A run of consecutive history steps with one status and flag; `to` is the next step's date (or the last step). */
export interface StatusSpan {
  readonly status: BenchmarkStatusKind;
  readonly from: string;
  readonly to: string;
  /** True when the span's steps carry the `timed-to-review` flag (a change of flag starts a new span). */
  readonly timed: boolean;
}

export interface StatusTimeline {
  readonly from: string;
  readonly to: string;
  readonly step: History['step'];
  readonly rows: readonly {
    readonly id: string;
    readonly title: string;
    readonly spans: readonly StatusSpan[];
    /** The evidence behind the changes of status the timeline shows (the items that began each new run). */
    readonly cites?: readonly number[];
  }[];
}

/** One-character codes for the status timeline in text (Markdown), with `*` for the timed-to-review flag. */
export const STATUS_CODES: Readonly<Record<BenchmarkStatusKind, string>> = {
  met: 'M',
  partial: 'H',
  pending: 'P',
  'not-met': 'N',
  reversed: 'R',
  unverified: 'U',
  unknown: '?',
  'not-applicable': '·',
};
export const TIMED_CODE = '*';

/**
 * The status timeline as a table that fits on a page: columns are periods (months,
 * quarters or years: the finest that needs at most `maxColumns` columns) and consecutive
 * periods in which no benchmark changed share one column. A cell lists the codes seen at
 * the period's steps, in order (`N→P`).
 */
export interface StatusTable {
  readonly period: 'month' | 'quarter' | 'year';
  readonly columns: readonly { readonly label: string; readonly from: string; readonly to: string }[];
  readonly rows: readonly {
    readonly id: string;
    readonly title: string;
    readonly cells: readonly string[];
    readonly cites: readonly number[];
  }[];
}

/**
 * One line of the money chart: the flows of one kind between one payer and one payee,
 * as the evidence declares them (`flow`), in a reader's words.
 */
export interface FlowSeries {
  readonly kind: FlowKind;
  /** Actor ids. */
  readonly payer: string;
  readonly payee: string;
  /** In the case's own actor names: "Aid from European Union to Ruritania", "Sales paid by Ruritania to European Union". */
  readonly label: string;
}

export interface MoneyEntry {
  readonly id: string;
  readonly date: string;
  /** The evidence kind, as recorded. */
  readonly kind: string;
  readonly flow: FlowKind;
  /** Names of who pays (or would have paid) and who receives. */
  readonly payer: string;
  readonly payee: string;
  readonly amount: number;
  readonly description: string;
  readonly cites: readonly number[];
}

/**
 * The relationship in money, from the flows the evidence declares — never guessed from
 * evidence kinds. Each standing entry counts once (superseded and retracted entries do not
 * count); entries with an amount but no declared flow are left out and counted, and so are
 * entries that record only an assertion (`claim`): the chart shows money that moved or was
 * withheld, not what someone said about it.
 */
export interface MoneyFlows {
  /** The currency charted: the one most flows use (empty when no entry has a flow). */
  readonly currency: string;
  /** In FLOW_KINDS order, then payer and payee. */
  readonly series: readonly FlowSeries[];
  /** Sums per year (of the end of the occurrence, e.g. the fiscal year) and series, in `series` order. */
  readonly years: readonly { readonly year: string; readonly sums: readonly number[] }[];
  /** The entries listed and cited: all of them, or the largest `limit` in date order. */
  readonly entries: readonly MoneyEntry[];
  /** Flows charted (in `currency`). */
  readonly total: number;
  /** Entries with an amount but no declared flow: left out of the chart and the list. */
  readonly withoutFlow: number;
  /** Entries with a flow that only assert it (the case author's or the analysis's claims): left out. */
  readonly claims: number;
  /** Flows in other currencies: left out. */
  readonly otherCurrency: number;
}

export interface IndicatorSeries {
  readonly id: string;
  readonly title: string;
  readonly unit: string | undefined;
  readonly points: readonly { readonly date: string; readonly value: number; readonly of: number | undefined }[];
  readonly cites: readonly number[];
}

/**
 * An event-data indicator (a `series` indicator over the event store: GDELT counts or
 * Goldstein sums of CAMEO-coded events) as monthly totals, as known on the brief's date.
 */
export interface EventSeries {
  readonly indicator: string;
  readonly title: string;
  readonly measure: EventMeasure;
  /** The event filter in words (actors, CAMEO root codes, quad classes). */
  readonly filter: string;
  readonly dataset: string;
  /** The trailing window the indicator sums or averages over (e.g. "P12M"), if any. */
  readonly window: string | undefined;
  /**
   * False when no event data is loaded for the indicator (no event store): `months` is
   * empty, and the indicator is a missing input, unknown rather than zero.
   */
  readonly loaded: boolean;
  /**
   * Calendar months from the first with data (at most `EVENT_MONTHS` back) to the brief's
   * month: the month's total, or null where the loaded data do not cover the month and
   * have no event in it (no data is not zero).
   */
  readonly months: readonly { readonly month: string; readonly value: number | null }[];
  /** The latest daily point of each of the last 12 months with events. */
  readonly cites: readonly number[];
}

/** How many months an event-data chart reaches back at most. */
export const EVENT_MONTHS = 120;

export const MATRIX_MARKS = ['claimed', 'harmed', 'claimed-harmed', 'none'] as const;
export type MatrixMark = (typeof MATRIX_MARKS)[number];

export interface JustificationMatrix {
  readonly interests: readonly { readonly id: string; readonly title: string; readonly rank: number }[];
  readonly rows: readonly {
    readonly id: string;
    readonly title: string;
    readonly instrument: string;
    readonly verdict: Verdict;
    readonly decision: string;
    /** One mark per interest, in `interests` order. */
    readonly marks: readonly MatrixMark[];
    readonly cites: readonly number[];
  }[];
}

/** One line of a structural-series chart: one `series` indicator (one dyad). */
export interface StructuralLine {
  readonly indicator: string;
  readonly title: string;
  /** The dyad or country codes as the case writes them, e.g. "DEU–RUR". */
  readonly label: string;
  readonly points: readonly { readonly date: string; readonly value: number }[];
  readonly cites: readonly number[];
}

/** How an event series' measure is named in charts and text: what one month adds up. */
export const EVENT_MEASURE_WORDS: Readonly<
  Record<EventMeasure, { readonly label: string; readonly unit: string; readonly caption: string; readonly counts: boolean }>
> = {
  count: { label: 'Events', unit: 'events', caption: 'Events', counts: true },
  articles: { label: 'Articles', unit: 'articles', caption: 'Articles reporting the events', counts: true },
  sources: { label: 'Sources', unit: 'sources', caption: 'Sources reporting the events', counts: true },
  'goldstein-sum': { label: 'Goldstein sum', unit: 'Goldstein sum', caption: 'The Goldstein scores of events', counts: false },
};

/** The `series` indicators of one measure (e.g. UN voting coincidence), drawn together. */
export interface StructuralChart {
  readonly measure: string;
  readonly title: string;
  readonly dataset: string;
  readonly lines: readonly StructuralLine[];
}

export const ISSUE_MARKS = ['justifies', 'withheld', 'open', 'none'] as const;
/** Per instrument: the area justifies it (align), would but diverges, would but is unknown, or does not name it. */
export type IssueMark = (typeof ISSUE_MARKS)[number];

export const ISSUE_QUALIFIERS = ['contested', 'some evidence against', 'some evidence for'] as const;
export type IssueQualifier = (typeof ISSUE_QUALIFIERS)[number];

export interface IssueAreaMatrix {
  /** Instruments any area names, in case order. */
  readonly instruments: readonly { readonly id: string; readonly title: string; readonly tier: number }[];
  readonly rows: readonly {
    readonly id: string;
    readonly title: string;
    readonly interest: { readonly id: string; readonly title: string; readonly rank: number | undefined };
    readonly position: string;
    readonly convergence: Convergence;
    /** Evidence both ways, neither side decisive: the convergence is then `unknown`. */
    readonly contested: boolean;
    /** Said beside the convergence: only an unknown area is contested; an area that aligns or diverges may have some evidence the other way. */
    readonly qualifier?: IssueQualifier;
    readonly aligned: { readonly weight: number; readonly count: number; readonly cites: readonly number[] };
    readonly opposed: { readonly weight: number; readonly count: number; readonly cites: readonly number[] };
    readonly decision: string;
    /** One mark per instrument, in `instruments` order. */
    readonly marks: readonly IssueMark[];
  }[];
}

/** How many of a benchmark's latest changes of status the status timeline cites the evidence of. */
export const TIMELINE_CITED_CHANGES = 6;

/**
 * Status spans per benchmark from history points; flags come from the same points. With
 * `cite`, each row cites the evidence behind the history's changes of that benchmark's
 * status (the items that began each new run), for its last `TIMELINE_CITED_CHANGES`
 * changes, so a case with hundreds of benchmarks does not list thousands of sources.
 */
export function buildStatusTimeline(
  c: Case,
  h: Pick<History, 'from' | 'to' | 'step' | 'points'> & { readonly transitions?: History['transitions'] },
  cite?: Cite,
): StatusTimeline {
  const changeEvidence = new Map<string, (readonly string[])[]>();
  for (const t of h.transitions ?? []) {
    if (t.kind !== 'benchmark') continue;
    const list = changeEvidence.get(t.id);
    if (list === undefined) changeEvidence.set(t.id, [t.evidence]);
    else list.push(t.evidence);
  }
  const rows = c.benchmarks.map((b) => {
    const spans: StatusSpan[] = [];
    for (let i = 0; i < h.points.length; i++) {
      const p = h.points[i]!;
      const status = p.benchmarks[b.id] ?? 'unknown';
      const timed = (p.flags[b.id] ?? []).includes('timed-to-review');
      const end = h.points[i + 1]?.asOf ?? p.asOf;
      const last = spans[spans.length - 1];
      if (last !== undefined && last.status === status && last.timed === timed) {
        spans[spans.length - 1] = { ...last, to: end };
      } else {
        spans.push({ status, from: p.asOf, to: end, timed });
      }
    }
    if (cite === undefined) return { id: b.id, title: b.title, spans };
    const cited = (changeEvidence.get(b.id) ?? []).slice(-TIMELINE_CITED_CHANGES).flat();
    return { id: b.id, title: b.title, spans, cites: cite([...new Set(cited)]) };
  });
  return { from: h.from, to: h.to, step: h.step, rows };
}

const PERIODS = ['month', 'quarter', 'year'] as const;

function periodKey(date: string, period: StatusTable['period']): string {
  if (period === 'month') return date.slice(0, 7);
  if (period === 'year') return date.slice(0, 4);
  return `${date.slice(0, 4)} Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
}

/** Compresses a status timeline into a table of text codes (see `StatusTable`). */
export function tabulateStatusTimeline(t: StatusTimeline, maxColumns = 12): StatusTable {
  const steps = stepDates(t.from, t.to, t.step);
  // The code of each row at each step: the span in force (spans start on steps and follow each other).
  const codes = t.rows.map((r) => {
    const out: string[] = [];
    let k = 0;
    for (const d of steps) {
      while (k + 1 < r.spans.length && (r.spans[k + 1] as StatusSpan).from <= d) k++;
      const sp = r.spans[k];
      out.push(sp === undefined ? STATUS_CODES.unknown : `${STATUS_CODES[sp.status]}${sp.timed ? TIMED_CODE : ''}`);
    }
    return out;
  });
  const usable = PERIODS.slice(t.step === 'month' ? 0 : t.step === 'quarter' ? 1 : 2);
  let table: StatusTable | undefined;
  for (const period of usable) {
    table = tabulateBy(t, steps, codes, period);
    if (table.columns.length <= maxColumns) break;
  }
  return table as StatusTable;
}

function tabulateBy(t: StatusTimeline, steps: readonly string[], codes: readonly string[][], period: StatusTable['period']) {
  // Periods: runs of consecutive steps with one key.
  const groups: { key: string; first: number; last: number }[] = [];
  steps.forEach((d, i) => {
    const key = periodKey(d, period);
    const g = groups[groups.length - 1];
    if (g !== undefined && g.key === key) g.last = i;
    else groups.push({ key, first: i, last: i });
  });
  const cellOf = (row: number, g: { first: number; last: number }) => {
    const seen: string[] = [];
    for (let i = g.first; i <= g.last; i++) {
      const code = codes[row]?.[i] ?? STATUS_CODES.unknown;
      if (seen[seen.length - 1] !== code) seen.push(code);
    }
    return seen;
  };
  // Columns: consecutive periods merge while every row shows one and the same code in both.
  const columns: { keys: string[]; cells: string[][] }[] = [];
  for (const g of groups) {
    const cells = t.rows.map((_, row) => cellOf(row, g));
    const last = columns[columns.length - 1];
    const same =
      last !== undefined &&
      cells.every((c, row) => {
        const prev = last.cells[row] ?? [];
        return c.length === 1 && prev.length === 1 && c[0] === prev[0];
      });
    if (same) last.keys.push(g.key);
    else columns.push({ keys: [g.key], cells });
  }
  const firstStepOf = new Map(groups.map((g) => [g.key, steps[g.first] as string]));
  const lastStepOf = new Map(groups.map((g) => [g.key, steps[g.last] as string]));
  return {
    period,
    columns: columns.map((col) => {
      const a = col.keys[0] as string;
      const b = col.keys[col.keys.length - 1] as string;
      return {
        label: a === b ? a : period === 'month' ? `${a} – ${b}` : `${a}–${b}`,
        from: firstStepOf.get(a) as string,
        to: lastStepOf.get(b) as string,
      };
    }),
    rows: t.rows.map((r, row) => ({
      id: r.id,
      title: r.title,
      cells: columns.map((col) => (col.cells[row] ?? []).join('→')),
      cites: r.cites ?? [],
    })),
  };
}

/** A flow series in words, naming payer and direction. */
export function flowLabel(kind: FlowKind, payer: string, payee: string): string {
  switch (kind) {
    case 'aid':
      return `Aid from ${payer} to ${payee}`;
    case 'sale':
      return `Sales paid by ${payer} to ${payee}`;
    case 'withheld':
      return `Withheld by ${payer} from ${payee}`;
    case 'third-party-purchase':
      return `Purchases by ${payer} from ${payee}`;
  }
}

function byDateThenId(a: Evidence, b: Evidence): number {
  return compareText(a.occurred, b.occurred) || byId(a, b);
}

/**
 * Money by declared flow among the entries standing as of the brief's date (see
 * `MoneyFlows`). The chart gets yearly sums of every flow in the charted currency; the
 * list (and the citations) the `limit` largest. Undefined when no entry has an amount.
 */
export function buildMoneyFlows(
  standing: readonly Evidence[],
  cite: Cite,
  nameOf: (id: string) => string = (id) => id,
  limit = 20,
): MoneyFlows | undefined {
  const withAmount = standing.filter((e) => e.amount !== undefined);
  if (withAmount.length === 0) return undefined;
  // One count per entry: the standing view holds each entry once, but a ledger passed in twice must not double it.
  const seen = new Set<string>();
  const flows: (Evidence & { readonly flow: MoneyFlow; readonly amount: number })[] = [];
  let withoutFlow = 0;
  let claims = 0;
  for (const e of withAmount) {
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    if (e.flow === undefined) withoutFlow += 1;
    else if (e.claim !== undefined) claims += 1;
    else flows.push(e as Evidence & { readonly flow: MoneyFlow; readonly amount: number });
  }
  const byCurrency = new Map<string, number>();
  for (const e of flows) byCurrency.set(e.currency ?? '', (byCurrency.get(e.currency ?? '') ?? 0) + 1);
  const currency = [...byCurrency].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? '';
  const inCurrency = flows.filter((e) => (e.currency ?? '') === currency);
  const keyOf = (f: MoneyFlow) => `${f.kind}\u0000${f.payer}\u0000${f.payee}`;
  const seriesMap = new Map<string, FlowSeries>();
  for (const e of inCurrency) {
    const k = keyOf(e.flow);
    if (!seriesMap.has(k)) {
      seriesMap.set(k, {
        kind: e.flow.kind,
        payer: e.flow.payer,
        payee: e.flow.payee,
        label: flowLabel(e.flow.kind, nameOf(e.flow.payer), nameOf(e.flow.payee)),
      });
    }
  }
  const series = [...seriesMap.values()].sort(
    (a, b) =>
      FLOW_KINDS.indexOf(a.kind) - FLOW_KINDS.indexOf(b.kind) ||
      (a.payer < b.payer ? -1 : a.payer > b.payer ? 1 : a.payee < b.payee ? -1 : a.payee > b.payee ? 1 : 0),
  );
  const index = new Map(series.map((x, i) => [keyOf(x), i]));
  const years = new Map<string, number[]>();
  for (const e of inCurrency) {
    const y = e.occurredTo.slice(0, 4);
    const sums = years.get(y) ?? series.map(() => 0);
    const i = index.get(keyOf(e.flow)) as number;
    sums[i] = (sums[i] ?? 0) + e.amount;
    years.set(y, sums);
  }
  const listed =
    inCurrency.length <= limit
      ? [...inCurrency]
      : [...inCurrency].sort((a, b) => b.amount - a.amount || byId(a, b)).slice(0, limit);
  listed.sort(byDateThenId);
  return {
    currency,
    series,
    years: [...years].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([year, sums]) => ({ year, sums })),
    entries: listed.map((e) => ({
      id: e.id,
      date: e.occurred === e.occurredTo ? e.occurred : `${e.occurred} to ${e.occurredTo}`,
      kind: e.kind,
      flow: e.flow.kind,
      payer: nameOf(e.flow.payer),
      payee: nameOf(e.flow.payee),
      amount: e.amount,
      description: e.description,
      cites: cite([e.id]),
    })),
    total: inCurrency.length,
    withoutFlow,
    claims,
    otherCurrency: flows.length - inCurrency.length,
  };
}

/** Money flows in words, for a note: what was left out of the chart and why. */
export function moneyLeftOut(m: MoneyFlows): string[] {
  const out: string[] = [];
  if (m.withoutFlow > 0)
    out.push(
      `${m.withoutFlow} ${m.withoutFlow === 1 ? 'entry' : 'entries'} with an amount but no declared flow (payer and direction) ${m.withoutFlow === 1 ? 'is' : 'are'} left out`,
    );
  if (m.claims > 0)
    out.push(
      `${m.claims} ${m.claims === 1 ? 'entry that only asserts a flow' : 'entries that only assert a flow'} (the case author's or the analysis's claims) ${m.claims === 1 ? 'is' : 'are'} left out`,
    );
  if (m.otherCurrency > 0)
    out.push(
      `${m.otherCurrency} ${m.otherCurrency === 1 ? 'flow' : 'flows'} in other currencies ${m.otherCurrency === 1 ? 'is' : 'are'} left out`,
    );
  return out;
}

/**
 * Series for `latest` indicators that read a quantity (`value`, with `of` where given)
 * from evidence kinds named in their filter. Indicators reading the same kinds are merged
 * into one series (the `of` of one is the total of the other). Filters with a CEL `where`
 * or actors are skipped: their matching needs the engine, and a chart that disagreed
 * with the engine would mislead. At most `limit` series; the last 12 points are cited.
 */
export function buildIndicatorSeries(c: Case, standing: readonly Evidence[], cite: Cite, limit = 3): IndicatorSeries[] {
  const seen = new Set<string>();
  const out: IndicatorSeries[] = [];
  for (const ind of c.indicators) {
    if (out.length >= limit) break;
    if (!isQuantitySeries(ind)) continue;
    const key = [...ind.filter.kinds].sort().join('|');
    if (seen.has(key)) continue;
    seen.add(key);
    const kinds = new Set(ind.filter.kinds);
    const items = standing
      .filter((e) => kinds.has(e.kind) && e.quantity !== undefined)
      .sort((a, b) => compareText(a.occurredTo, b.occurredTo) || byId(a, b));
    if (items.length < 2) continue;
    out.push({
      id: ind.id,
      title: ind.title,
      unit: items.find((e) => e.quantity?.unit !== undefined)?.quantity?.unit,
      points: items.map((e) => ({ date: e.occurredTo, value: e.quantity!.value, of: e.quantity!.of })),
      cites: cite(items.slice(-12).map((e) => e.id)),
    });
  }
  return out;
}

function isQuantitySeries(ind: Indicator): boolean {
  return (
    ind.kind === 'latest' &&
    (ind.field === 'value' || ind.field === 'of') &&
    ind.filter.kinds.length > 0 &&
    ind.filter.actors.length === 0 &&
    ind.filter.where === undefined
  );
}

/**
 * Justifications × interests (by rank): which interests each claims to serve and which its
 * instrument harms. Justifications not in force on the date (`not-applicable`) are left out.
 */
export function buildJustificationMatrix(c: Case, a: Assessment, cite: Cite): JustificationMatrix | undefined {
  const inForce = a.justifications.filter((j) => j.verdict !== 'not-applicable');
  if (inForce.length === 0) return undefined;
  const interests = [...c.interests].sort((x, y) => x.rank - y.rank);
  return {
    interests: interests.map((i) => ({ id: i.id, title: i.title, rank: i.rank })),
    rows: inForce.map((j) => {
      const inst = c.instruments.find((i) => i.id === j.instrument);
      const harmed = new Set((inst?.effects ?? []).filter((e) => e.direction === 'harms').map((e) => e.interest));
      const marks = interests.map((i): MatrixMark => {
        const claimed = j.serves.includes(i.id);
        const harm = harmed.has(i.id);
        return claimed && harm ? 'claimed-harmed' : claimed ? 'claimed' : harm ? 'harmed' : 'none';
      });
      return {
        id: j.id,
        title: j.title,
        instrument: inst?.title ?? j.instrument,
        verdict: j.verdict,
        decision: j.decision,
        marks,
        cites: cite(j.evidence),
      };
    }),
  };
}

/**
 * Monthly totals of the case's event-data indicators. Points are the daily aggregates
 * standing as of the brief's date (as GDELT knew them: an event added later is not
 * counted); `coverage` gives, per indicator, the days for which the event store holds data
 * (by the day events were added), so a month with no data is told apart from a month
 * with no event. An indicator with neither coverage nor points has no data loaded.
 */
export function buildEventSeries(
  c: Case,
  standing: readonly Evidence[],
  cite: Cite,
  asOf: string,
  coverage: SeriesCoverage = new Map(),
): EventSeries[] {
  const indicators = seriesIndicators(c).filter((i) => i.source.store === 'events');
  if (indicators.length === 0) return [];
  const pointsOf = new Map<string, Evidence[]>();
  for (const e of standing) {
    if (!e.kind.startsWith(SERIES_KIND_PREFIX) || e.quantity === undefined) continue;
    const id = e.kind.slice(SERIES_KIND_PREFIX.length);
    const list = pointsOf.get(id);
    if (list === undefined) pointsOf.set(id, [e]);
    else list.push(e);
  }
  const lastMonth = asOf.slice(0, 7);
  const earliest = monthsBefore(lastMonth, EVENT_MONTHS - 1);
  return indicators.map((ind): EventSeries => {
    const source = ind.source;
    const base = {
      indicator: ind.id,
      title: ind.title,
      measure: source.store === 'events' ? source.measure : 'count',
      filter: describeSeriesSource(ind),
      dataset: `${ind.dataset.publisher}, ${ind.dataset.title}`,
      window: ind.window?.text,
    } as const;
    const points = [...(pointsOf.get(ind.id) ?? [])].sort(byDateThenId);
    const ranges = (coverage.get(ind.id) ?? []).filter((r) => r.from <= asOf).map((r) => ({ ...r, to: minDate(r.to, asOf) }));
    if (points.length === 0 && !coverage.has(ind.id)) return { ...base, loaded: false, months: [], cites: [] };
    const totals = new Map<string, number>();
    const lastOfMonth = new Map<string, Evidence>();
    for (const e of points) {
      const m = e.occurred.slice(0, 7);
      totals.set(m, (totals.get(m) ?? 0) + (e.quantity?.value ?? 0));
      lastOfMonth.set(m, e);
    }
    const starts = [...totals.keys(), ...ranges.map((r) => r.from.slice(0, 7))].sort();
    const first = starts[0] === undefined ? lastMonth : maxDate(starts[0], earliest);
    const months: { month: string; value: number | null }[] = [];
    for (let m = first; m <= lastMonth; m = monthsBefore(m, -1)) {
      const covered = ranges.some((r) => r.from.slice(0, 7) <= m && r.to.slice(0, 7) >= m);
      const total = totals.get(m);
      months.push({ month: m, value: total !== undefined ? roundValue(total) : covered ? 0 : null });
    }
    const cited = [...lastOfMonth.entries()]
      .filter(([m]) => m >= first && m <= lastMonth)
      .slice(-12)
      .map(([, e]) => e.id);
    return { ...base, loaded: true, months, cites: cite(cited) };
  });
}

/** `YYYY-MM` minus `n` months (plus, for negative `n`). */
function monthsBefore(month: string, n: number): string {
  const total = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 - n;
  return `${String(Math.floor(total / 12)).padStart(4, '0')}-${String((total % 12) + 1).padStart(2, '0')}`;
}

function roundValue(v: number): number {
  return Math.round(v * 100) / 100;
}

/**
 * Readable names of the series store's measures; others are shown as written. A chart of
 * one line takes the indicator's own title; these name a chart of several. They describe
 * the dataset behind each measure, never the case's principal: the `aid…` measures are only
 * ever written by the `us-aid` import (ForeignAssistance.gov: US foreign aid, donor USA), so
 * their titles say so; a case's own money flows are charted from its evidence (`flowLabel`,
 * in the case's actor names), never under these titles.
 */
const MEASURE_TITLES: Readonly<Record<string, string>> = {
  coincidence: 'UN General Assembly voting coincidence',
  agreement: 'UN General Assembly voting agreement',
  'agreement-half': 'UN General Assembly voting agreement (abstentions as half)',
  kappa: "UN General Assembly voting agreement (Cohen's kappa)",
  's-score': 'UN General Assembly voting similarity (S-score)',
  aid: 'US aid obligations (constant dollars)',
  'aid-current': 'US aid obligations (current dollars)',
  arms: 'Arms transfers (SIPRI TIV, millions)',
  strikes: 'Strikes',
};

/**
 * Charts of the case's structural `series` indicators (series store, not event data), one
 * per measure with one line per indicator, so the same measure for several dyads (one
 * country against two partners) is drawn together. Points are the series entries standing
 * as of the brief's date, so a value not yet published then is not drawn. A measure with no point
 * (the data not loaded) gives no chart. Voting measures come first, then aid, arms and
 * strikes. The last 12 points of each line are cited.
 */
export function buildStructuralCharts(c: Case, standing: readonly Evidence[], cite: Cite): StructuralChart[] {
  const byMeasure = new Map<string, SeriesIndicator[]>();
  for (const ind of seriesIndicators(c)) {
    if (ind.source.store !== 'series') continue;
    byMeasure.set(ind.source.measure, [...(byMeasure.get(ind.source.measure) ?? []), ind]);
  }
  const pointsOf = new Map<string, Evidence[]>();
  for (const e of standing) {
    if (!e.kind.startsWith(SERIES_KIND_PREFIX) || e.quantity === undefined) continue;
    const id = e.kind.slice(SERIES_KIND_PREFIX.length);
    pointsOf.set(id, [...(pointsOf.get(id) ?? []), e]);
  }
  const out: StructuralChart[] = [];
  for (const [measure, indicators] of byMeasure) {
    const lines: StructuralLine[] = [];
    for (const ind of indicators) {
      const items = [...(pointsOf.get(ind.id) ?? [])].sort(byDateThenId);
      if (items.length === 0) continue;
      lines.push({
        indicator: ind.id,
        title: ind.title,
        label: ind.source.store === 'series' ? ind.source.dyad.join('–') : ind.id,
        points: items.map((e) => ({ date: e.occurred, value: e.quantity?.value ?? 0 })),
        cites: cite(items.slice(-12).map((e) => e.id)),
      });
    }
    const first = indicators[0];
    if (lines.length === 0 || first === undefined) continue;
    const datasets = [...new Set(indicators.map((i) => `${i.dataset.publisher}, ${i.dataset.title}`))];
    out.push({
      measure,
      title: lines.length === 1 ? (lines[0]?.title ?? measure) : (MEASURE_TITLES[measure] ?? measure),
      dataset: datasets.join('; '),
      lines,
    });
  }
  // Voting convergence first, then aid, arms and strikes (the order of MEASURE_TITLES), then others as in the case.
  const order = Object.keys(MEASURE_TITLES);
  const rank = (m: string) => (order.includes(m) ? order.indexOf(m) : order.length);
  return out
    .map((chart, i) => ({ chart, i }))
    .sort((a, b) => rank(a.chart.measure) - rank(b.chart.measure) || a.i - b.i)
    .map((x) => x.chart);
}

/**
 * Issue areas × the instruments they name, with each area's computed convergence and its
 * evidence cited by side. Areas and instruments not in force on the date are left out.
 */
export function buildIssueAreaMatrix(c: Case, a: Assessment, cite: Cite): IssueAreaMatrix | undefined {
  const inForce = a.issueAreas.filter((r) => r.convergence !== 'not-applicable');
  if (inForce.length === 0) return undefined;
  const named = new Set(inForce.flatMap((r) => r.instruments));
  const outOfForce = new Set(a.instruments.filter((i) => i.decision === 'not-applicable').map((i) => i.id));
  const instruments = c.instruments.filter((i) => named.has(i.id) && !outOfForce.has(i.id));
  const areas = new Map((c.issueAreas ?? []).map((x) => [x.id, x]));
  return {
    instruments: instruments.map((i) => ({ id: i.id, title: i.title, tier: i.tier })),
    rows: inForce.map((r) => {
      const interest = c.interests.find((i) => i.id === r.principalInterest);
      const qualifier = qualifierOf(r);
      return {
        id: r.id,
        title: r.title,
        interest: { id: r.principalInterest, title: interest?.title ?? r.principalInterest, rank: interest?.rank },
        position: areas.get(r.id)?.principalPosition ?? '',
        convergence: r.convergence,
        contested: r.contested,
        ...(qualifier === undefined ? {} : { qualifier }),
        aligned: { weight: r.aligned.weight, count: r.aligned.evidence.length, cites: cite(r.aligned.evidence) },
        opposed: { weight: r.opposed.weight, count: r.opposed.evidence.length, cites: cite(r.opposed.evidence) },
        decision: r.decision,
        marks: instruments.map((i): IssueMark => {
          if (!r.instruments.includes(i.id)) return 'none';
          return r.convergence === 'align' ? 'justifies' : r.convergence === 'diverge' ? 'withheld' : 'open';
        }),
      };
    }),
  };
}

/** What to say beside an area's convergence (see `IssueQualifier`). */
function qualifierOf(r: Assessment['issueAreas'][number]): IssueQualifier | undefined {
  if (r.convergence === 'unknown' && r.contested) return 'contested';
  if (r.convergence === 'align' && r.opposed.evidence.length > 0) return 'some evidence against';
  if (r.convergence === 'diverge' && r.aligned.evidence.length > 0) return 'some evidence for';
  return undefined;
}

/** The convergence as a matrix prints it: "UNKNOWN (contested)", "ALIGN (some evidence against)", "DIVERGE". */
export function convergenceText(row: { readonly convergence: Convergence; readonly qualifier?: IssueQualifier }): string {
  return `${row.convergence.toUpperCase()}${row.qualifier === undefined ? '' : ` (${row.qualifier})`}`;
}

/** The entries that stand as of the brief's date (supersession resolved). */
export function standingAsOf(ledger: readonly Evidence[], asOf: string, recordedBy?: string): Evidence[] {
  return viewAsOf(ledger, recordedBy === undefined ? { asOf } : { asOf, recordedBy });
}
