/**
 * An event-data indicator (GDELT through the event store) as monthly bars: events per
 * month, or the month's Goldstein sum. Months the loaded data do not cover get a light
 * grey bar over the whole height, named in the legend, so "no data loaded" never reads as
 * "no events"; a covered month with no event is a zero.
 */
import { EVENT_MEASURE_WORDS, type EventSeries } from '../brief-visuals.ts';
import { A4_CONTENT_WIDTH, type ChartFigure, chartTitle, legendLayout, truncate } from './chart-figure.ts';
import { renderSvgChart } from './render-svg.ts';
import { formatCompact } from './structural-chart.ts';

const NO_DATA = 'No event data loaded for the month';

/** The smallest of 1, 2, 2.5 or 5 × 10^k at or above `v` (a round top for the value axis). */
function niceCeiling(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const f of [1, 2, 2.5, 5, 10]) if (f * p >= v) return f * p;
  return 10 * p;
}

/** Runs of consecutive months with no data, as "2019-01 – 2019-06" (or one month). */
export function monthsWithoutData(s: EventSeries): string[] {
  const runs: string[] = [];
  let start: string | undefined;
  let end: string | undefined;
  for (const m of [...s.months, { month: '', value: 0 }]) {
    if (m.value === null) {
      start ??= m.month;
      end = m.month;
    } else if (start !== undefined && end !== undefined) {
      runs.push(start === end ? start : `${start} – ${end}`);
      start = undefined;
      end = undefined;
    }
  }
  return runs;
}

export function unitOf(s: EventSeries): string {
  return EVENT_MEASURE_WORDS[s.measure].unit;
}

export function renderEventSeriesChart(s: EventSeries, id: string): ChartFigure {
  const unit = unitOf(s);
  const months = s.months.map((m) => m.month);
  const values = s.months.map((m) => m.value);
  const known = values.filter((v): v is number => v !== null);
  const top = niceCeiling(Math.max(0, ...known));
  const words = EVENT_MEASURE_WORDS[s.measure];
  const bottom = words.counts ? 0 : -niceCeiling(Math.max(0, ...known.map((v) => -v)));
  const first = months[0] ?? '';
  const last = months[months.length - 1] ?? '';
  const anyGap = values.some((v) => v === null);
  const barName = `${words.label} in the month (as known on the brief's date)`;
  const layout = legendLayout([...(anyGap ? [NO_DATA] : []), barName], A4_CONTENT_WIDTH);
  const gridTop = layout.bottom + 34;
  const svg = renderSvgChart(
    {
      title: chartTitle(truncate(s.title, 80), truncate(`${words.label} per month, ${first} to ${last}: ${s.filter}`, 110)),
      legend: layout.legend,
      grid: { left: 52, right: 16, top: gridTop, bottom: 44 },
      xAxis: {
        type: 'category',
        data: months,
        name: 'Month of the event',
        nameLocation: 'middle',
        nameGap: 26,
        nameTextStyle: { fontSize: 10, color: '#57606a' },
        axisLabel: { fontSize: 10, hideOverlap: true },
        axisTick: { alignWithLabel: true },
      },
      yAxis: {
        type: 'value',
        min: bottom,
        max: top,
        // Counts are whole numbers: no 0.2-event ticks.
        ...(words.counts ? { minInterval: 1 } : {}),
        name: `${words.label} per month`,
        nameGap: 14,
        nameTextStyle: { fontSize: 10, color: '#57606a', align: 'left' },
        axisLabel: { fontSize: 10, formatter: (v: number) => formatCompact(v) },
        splitLine: { lineStyle: { color: '#eaeef2' } },
      },
      series: [
        ...(anyGap
          ? [
              {
                type: 'bar',
                name: NO_DATA,
                itemStyle: { color: '#eaeef2' },
                barCategoryGap: '10%',
                data: values.map((v) => (v === null ? top : null)),
                silent: true,
              },
            ]
          : []),
        {
          type: 'bar',
          name: barName,
          itemStyle: { color: '#cf222e' },
          barGap: '-100%',
          barCategoryGap: '10%',
          data: values,
          label: { show: months.length <= 24, position: 'top', fontSize: 9 },
        },
      ],
    },
    { width: A4_CONTENT_WIDTH, height: gridTop + 196 },
    id,
  );
  const gaps = monthsWithoutData(s);
  const summary = [
    ...s.months.filter((m) => m.value !== null).map((m) => `${m.month}: ${m.value} ${unit}.`),
    ...(gaps.length === 0 ? [] : [`No event data loaded for ${gaps.join(', ')}.`]),
  ];
  return {
    id,
    title: s.title,
    caption: `${words.caption} per month from ${s.dataset} (${s.filter}), counting only events added to the dataset by the brief's date${
      s.window === undefined ? '' : `; the indicator sums them over a trailing ${s.window}`
    }. ${anyGap ? 'Grey months have no loaded data (not zero events).' : 'Every month shown has loaded data.'}`,
    summary: summary.length === 0 ? ['No month has data.'] : summary,
    svg,
  };
}
