/**
 * A structural series (UN voting coincidence, aid, …) as lines over time, one per dyad,
 * so US–Pakistan reads against US–India on one scale. Each point is a published value
 * (usually one a year) as known on the brief's date.
 */
import type { StructuralChart } from '../brief-visuals.ts';
import { A4_CONTENT_WIDTH, type ChartFigure, chartTitle, legendLayout, truncate, utcMs } from './chart-figure.ts';
import { renderSvgChart } from './render-svg.ts';

/** Line colours in order: the counterpart's dyad first in a case's files, then the comparisons. */
const LINE_COLOURS = ['#cf222e', '#0969da', '#1a7f37', '#8250df', '#9a6700', '#57606a'] as const;

/** 1234567890 → "1.2B"; small values keep up to 2 decimals. */
export function formatCompact(v: number): string {
  const abs = Math.abs(v);
  for (const [size, suffix] of [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'K'],
  ] as const) {
    if (abs >= size) return `${Number((v / size).toFixed(1))}${suffix}`;
  }
  return String(Number(v.toFixed(2)));
}

/**
 * Annual series (one point a year per line, as the State Department, ForeignAssistance.gov
 * and SIPRI publish) are drawn on a category axis of years, so a value for 2018 dated
 * 2018-12-31 sits at "2018"; anything finer on a time axis.
 */
function yearsIfAnnual(s: StructuralChart): string[] | undefined {
  const years = new Set<string>();
  for (const l of s.lines) {
    const own = new Set(l.points.map((p) => p.date.slice(0, 4)));
    if (own.size !== l.points.length) return undefined;
    for (const y of own) years.add(y);
  }
  const sorted = [...years].sort();
  const first = Number(sorted[0]);
  const last = Number(sorted[sorted.length - 1]);
  return Array.from({ length: last - first + 1 }, (_, i) => String(first + i));
}

export function renderStructuralChart(s: StructuralChart, id: string): ChartFigure {
  const all = s.lines.flatMap((l) => l.points);
  const dates = all.map((p) => p.date).sort();
  const first = dates[0] ?? '';
  const last = dates[dates.length - 1] ?? '';
  const showLabels = s.lines.every((l) => l.points.length <= 12);
  const years = yearsIfAnnual(s);
  const xAxis =
    years === undefined
      ? {
          type: 'time',
          axisLabel: { fontSize: 10, hideOverlap: true, formatter: { year: '{yyyy}', month: '{MMM} {yyyy}', day: '{d} {MMM}' } },
          name: 'Period ending',
        }
      : { type: 'category', data: years, boundaryGap: true, axisLabel: { fontSize: 10, hideOverlap: true }, name: 'Year' };
  const position = (p: { date: string }) => (years === undefined ? utcMs(p.date) : p.date.slice(0, 4));
  const names = s.lines.map((l) => `${l.label}: ${l.title}`);
  const { legend, bottom } = legendLayout(names, A4_CONTENT_WIDTH);
  const top = bottom + 24;
  const svg = renderSvgChart(
    {
      useUTC: true,
      title: chartTitle(
        truncate(s.title, 80),
        truncate(`${s.lines.map((l) => l.label).join(' against ')}, ${first.slice(0, 4)} to ${last.slice(0, 4)}`, 100),
      ),
      legend,
      grid: { left: 56, right: 24, top, bottom: 44 },
      xAxis: {
        ...xAxis,
        nameLocation: 'middle',
        nameGap: 26,
        nameTextStyle: { fontSize: 10, color: '#57606a' },
      },
      yAxis: {
        type: 'value',
        min: 0,
        // Room above the highest point for its label.
        boundaryGap: [0, '15%'],
        axisLabel: { fontSize: 10, formatter: (v: number) => formatCompact(v) },
        splitLine: { lineStyle: { color: '#eaeef2' } },
      },
      series: s.lines.map((l, i) => ({
        type: 'line',
        name: names[i],
        color: LINE_COLOURS[i % LINE_COLOURS.length],
        symbolSize: l.points.length > 24 ? 3 : 6,
        data: l.points.map((p) => [position(p), p.value]),
        // The first line's labels below its points, the others above; a label that would
        // still collide with another (close values) is hidden — the summary lists every value.
        labelLayout: { hideOverlap: true },
        label: {
          show: showLabels,
          position: i === 0 ? 'bottom' : 'top',
          fontSize: 9,
          formatter: (p: { value: [number | string, number] }) => formatCompact(p.value[1]),
        },
      })),
    },
    { width: A4_CONTENT_WIDTH, height: top + 200 },
    id,
  );
  return {
    id,
    title: s.title,
    caption: `${s.lines.map((l) => l.label).join(' against ')}: each point is one published value as known on the brief's date (${s.dataset}).`,
    summary: s.lines.map(
      (l) =>
        `${l.label} (${l.title}): ${l.points.map((p) => `${years === undefined ? p.date : p.date.slice(0, 4)} ${formatCompact(p.value)}`).join('; ')}.`,
    ),
    svg,
  };
}
