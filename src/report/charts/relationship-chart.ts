/**
 * The relationship in money: per year, the flows the evidence declares — aid, sales paid
 * by the buyer, money withheld, purchases from third parties — one bar per flow kind and
 * direction (payer → payee), grouped, not stacked: money withheld is not added to aid, and
 * a sale the counterpart pays for is not money the principal gives.
 */
import { formatAmount } from '../brief-model.ts';
import { type MoneyFlows, moneyLeftOut } from '../brief-visuals.ts';
import { A4_CONTENT_WIDTH, type ChartFigure, chartTitle, legendLayout } from './chart-figure.ts';
import { renderSvgChart } from './render-svg.ts';

/** Flow kinds in short words, for table cells. */
export const FLOW_SHORT: Readonly<Record<MoneyFlows['series'][number]['kind'], string>> = {
  aid: 'Aid',
  sale: 'Sale',
  withheld: 'Withheld',
  'third-party-purchase': 'Third-party purchase',
};

/** Per flow kind, shades for its series (several directions of one kind get distinct shades). */
const FLOW_COLOURS: Readonly<Record<MoneyFlows['series'][number]['kind'], readonly string[]>> = {
  aid: ['#0969da', '#54aeff', '#0a3069'],
  sale: ['#bf8700', '#e3b341', '#7d4e00'],
  withheld: ['#cf222e', '#ff8182', '#82071e'],
  'third-party-purchase': ['#6e7781', '#8250df', '#afb8c1'],
};

export function renderMoneyChart(r: MoneyFlows, id: string): ChartFigure {
  const first = Number(r.years[0]?.year ?? 0);
  const last = Number(r.years[r.years.length - 1]?.year ?? 0);
  const years: string[] = [];
  for (let y = first; y <= last; y++) years.push(String(y));
  const byYear = new Map(r.years.map((y) => [y.year, y.sums]));
  const label = (v: number) => formatAmount(v, null);
  const fewBars = years.length * r.series.length <= 48;
  const used = new Map<string, number>();
  const colours = r.series.map((s) => {
    const n = used.get(s.kind) ?? 0;
    used.set(s.kind, n + 1);
    const shades = FLOW_COLOURS[s.kind];
    return shades[n % shades.length] as string;
  });
  const { legend, bottom } = legendLayout(
    r.series.map((s) => s.label),
    A4_CONTENT_WIDTH,
  );
  const top = bottom + 30;
  const svg = renderSvgChart(
    {
      title: chartTitle(
        `The relationship in money (${r.currency || 'no currency'})`,
        `${r.total} ledger entr${r.total === 1 ? 'y' : 'ies'} with a declared flow, summed per year`,
      ),
      legend,
      grid: { left: 64, right: 12, top, bottom: 44 },
      xAxis: {
        type: 'category',
        data: years,
        name: 'Year the flow ended (fiscal year for obligations)',
        nameLocation: 'middle',
        nameGap: 26,
        nameTextStyle: { fontSize: 10, color: '#57606a' },
        axisLabel: { fontSize: 10, hideOverlap: true },
      },
      yAxis: {
        type: 'value',
        name: r.currency,
        nameGap: 12,
        // Room above the tallest bar for its rotated label.
        boundaryGap: [0, '25%'],
        nameTextStyle: { fontSize: 10, color: '#57606a', align: 'right' },
        axisLabel: { fontSize: 10, formatter: label },
        splitLine: { lineStyle: { color: '#eaeef2' } },
      },
      series: r.series.map((s, i) => ({
        type: 'bar',
        name: s.label,
        itemStyle: { color: colours[i] },
        barMaxWidth: 14,
        data: years.map((y) => {
          const v = byYear.get(y)?.[i] ?? 0;
          return v === 0 ? null : v;
        }),
        labelLayout: { hideOverlap: true },
        label: fewBars
          ? {
              show: true,
              position: 'top',
              fontSize: 8,
              rotate: 90,
              align: 'left',
              verticalAlign: 'middle',
              distance: 3,
              formatter: (p: { value: number }) => label(p.value),
            }
          : { show: false },
      })),
    },
    { width: A4_CONTENT_WIDTH, height: top + 240 },
    id,
  );
  const summary = r.years.map(
    (y) =>
      `${y.year}: ${r.series
        .flatMap((s, i) => ((y.sums[i] ?? 0) > 0 ? [`${s.label} ${formatAmount(y.sums[i] ?? 0, r.currency || null)}`] : []))
        .join('; ')}.`,
  );
  const left = moneyLeftOut(r);
  return {
    id,
    title: 'The relationship in money',
    caption: `Money the ledger records as moving (or withheld), by the flow each entry declares — who pays whom — in ${r.currency}, summed per year; nothing is inferred from an entry's kind. ${
      left.length === 0 ? '' : `${capitalise(left.join('; '))}. `
    }The entries are listed, with citations, below.`,
    summary,
    svg,
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
