/**
 * The relationship in money: per year, the amounts of aid, arms sales, cuts (aid
 * withheld, suspended or cancelled) and other amounts (claims, statutes, rewards) that
 * the ledger records. Bars are grouped, not stacked: a cut is not added to aid.
 */
import { formatAmount } from '../brief-model.ts';
import { AMOUNT_CATEGORIES, type AmountCategory, type RelationshipTimeline } from '../brief-visuals.ts';
import { A4_CONTENT_WIDTH, type ChartFigure } from './chart-figure.ts';
import { renderSvgChart } from './render-svg.ts';

export const CATEGORY_SHORT: Readonly<Record<AmountCategory, string>> = {
  aid: 'Aid',
  sale: 'Arms sale',
  cut: 'Cut',
  other: 'Other',
};

export const CATEGORY_LABELS: Readonly<Record<AmountCategory, string>> = {
  aid: 'Aid given or obligated',
  sale: 'Arms sales',
  cut: 'Aid withheld, suspended or cut',
  other: 'Other amounts (claims, statutes, rewards)',
};

const CATEGORY_COLOURS: Readonly<Record<AmountCategory, string>> = {
  aid: '#0969da',
  sale: '#bf8700',
  cut: '#cf222e',
  other: '#8c959f',
};

export function renderRelationshipChart(r: RelationshipTimeline, id: string): ChartFigure {
  const present = AMOUNT_CATEGORIES.filter((k) => r.years.some((y) => y.sums[k] > 0));
  const first = Number(r.years[0]?.year ?? 0);
  const last = Number(r.years[r.years.length - 1]?.year ?? 0);
  const years: string[] = [];
  for (let y = first; y <= last; y++) years.push(String(y));
  const byYear = new Map(r.years.map((y) => [y.year, y.sums]));
  const label = (v: number) => formatAmount(v, null);
  const fewBars = years.length * present.length <= 48;
  const svg = renderSvgChart(
    {
      title: {
        text: `The relationship in money (${r.currency || 'no currency'})`,
        subtext: `${r.total} ledger entr${r.total === 1 ? 'y' : 'ies'} with amounts, summed per year`,
        left: 0,
        textStyle: { fontSize: 14 },
        subtextStyle: { fontSize: 11, color: '#57606a' },
      },
      legend: { top: 60, left: 0, itemWidth: 12, itemHeight: 10, textStyle: { fontSize: 10 } },
      grid: { left: 64, right: 12, top: 104, bottom: 40 },
      xAxis: {
        type: 'category',
        data: years,
        name: 'Year the amount was committed, withheld or notified',
        nameLocation: 'middle',
        nameGap: 24,
        nameTextStyle: { fontSize: 10, color: '#57606a' },
        axisLabel: { fontSize: 10, hideOverlap: true },
      },
      yAxis: {
        type: 'value',
        name: r.currency,
        nameGap: 8,
        nameTextStyle: { fontSize: 10, color: '#57606a', align: 'right' },
        axisLabel: { fontSize: 10, formatter: label },
        splitLine: { lineStyle: { color: '#eaeef2' } },
      },
      series: present.map((k) => ({
        type: 'bar',
        name: CATEGORY_LABELS[k],
        itemStyle: { color: CATEGORY_COLOURS[k] },
        barMaxWidth: 14,
        data: years.map((y) => {
          const v = byYear.get(y)?.[k] ?? 0;
          return v === 0 ? null : v;
        }),
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
    { width: A4_CONTENT_WIDTH, height: 320 },
    id,
  );
  const summary = r.years.map(
    (y) =>
      `${y.year}: ${present
        .filter((k) => y.sums[k] > 0)
        .map((k) => `${CATEGORY_LABELS[k].toLowerCase()} ${formatAmount(y.sums[k], r.currency || null)}`)
        .join('; ')}.`,
  );
  return {
    id,
    title: 'The relationship in money',
    caption: `Amounts recorded in the ledger (${r.currency}), summed per year by kind: aid, arms sales, cuts and other amounts. ${
      r.otherCurrency > 0 ? `${r.otherCurrency} entries in other currencies are left out. ` : ''
    }The entries are listed, with citations, below.`,
    summary,
    svg,
  };
}
