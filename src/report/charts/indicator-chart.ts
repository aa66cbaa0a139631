/**
 * An indicator read from evidence quantities (e.g. FATF action items addressed, of the
 * items in force), as a step line over time: the value holds until the next report.
 */
import type { IndicatorSeries } from '../brief-visuals.ts';
import { A4_CONTENT_WIDTH, type ChartFigure, chartTitle, legendLayout, truncate, utcMs } from './chart-figure.ts';
import { renderSvgChart } from './render-svg.ts';

export function renderIndicatorChart(s: IndicatorSeries, id: string): ChartFigure {
  const hasOf = s.points.some((p) => p.of !== undefined);
  const unit = s.unit ?? 'value';
  const first = s.points[0]!;
  const last = s.points[s.points.length - 1]!;
  const showLabels = s.points.length <= 24;
  // Past some 60 reports the markers merge into a band at A4 width (and cost an element each): the line alone reads better.
  const showSymbols = s.points.length <= 60;
  const names = [`${unit} (reported)`, ...(hasOf ? [`${unit} in force (total)`] : [])];
  const { legend, bottom } = legendLayout(names, A4_CONTENT_WIDTH);
  // The y-axis title sits above the axis, left-aligned so it is never cut at the edge.
  const top = bottom + 34;
  const svg = renderSvgChart(
    {
      useUTC: true,
      title: chartTitle(truncate(s.title, 80), `Reported ${unit}, ${first.date} to ${last.date}`),
      legend,
      grid: { left: 48, right: 16, top, bottom: 44 },
      xAxis: {
        type: 'time',
        axisLabel: { fontSize: 10, hideOverlap: true, formatter: { year: '{yyyy}', month: '{MMM} {yyyy}', day: '{d} {MMM}' } },
        name: 'Date reported',
        nameLocation: 'middle',
        nameGap: 26,
        nameTextStyle: { fontSize: 10, color: '#57606a' },
      },
      yAxis: {
        type: 'value',
        min: 0,
        // Room above the highest point for its label.
        boundaryGap: [0, '12%'],
        name: truncate(unit, 60),
        nameGap: 14,
        nameTextStyle: { fontSize: 10, color: '#57606a', align: 'left' },
        axisLabel: { fontSize: 10 },
        splitLine: { lineStyle: { color: '#eaeef2' } },
      },
      series: [
        {
          type: 'line',
          name: names[0],
          step: 'end',
          color: '#0969da',
          symbolSize: 6,
          showSymbol: showSymbols,
          data: s.points.map((p) => [utcMs(p.date), p.value]),
          label: { show: showLabels, position: 'top', fontSize: 9 },
        },
        ...(hasOf
          ? [
              {
                type: 'line',
                name: names[1],
                step: 'end',
                color: '#57606a',
                lineStyle: { type: 'dashed' },
                symbol: 'none',
                data: s.points.filter((p) => p.of !== undefined).map((p) => [utcMs(p.date), p.of]),
              },
            ]
          : []),
      ],
    },
    { width: A4_CONTENT_WIDTH, height: top + 200 },
    id,
  );
  return {
    id,
    title: s.title,
    caption: `${s.title}: each point is one ledger entry's reported ${unit}${hasOf ? ', with the total in force dashed' : ''}; the line holds until the next report.`,
    summary: s.points.map((p) => `${p.date}: ${p.value}${p.of === undefined ? '' : ` of ${p.of}`} ${unit}.`),
    svg,
  };
}
