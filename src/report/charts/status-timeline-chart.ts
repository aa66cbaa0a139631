/**
 * The status timeline: benchmarks (rows) × time, one coloured bar per run of one status,
 * labelled with the status where there is room, and a black strip over runs that carry
 * the timed-to-review flag; time outside the benchmark's validity window (`not-applicable`)
 * is a pale outlined bar. Colours are never the only carrier: the legend names them,
 * wide bars say them, and the summary lists every run in words.
 */
import type { BenchmarkStatusKind } from '../../core/benchmark-stream.ts';
import { BENCHMARK_STATUSES } from '../../core/benchmark-stream.ts';
import type { StatusTimeline } from '../brief-visuals.ts';
import { flagMeanings, NO_REVIEW_EXAMPLE } from '../status-words.ts';
import { A4_CONTENT_WIDTH, type ChartFigure, chartTitle, truncate, utcMs } from './chart-figure.ts';
import { CHART_FONT, renderSvgChart } from './render-svg.ts';

export const STATUS_COLOURS: Readonly<Record<BenchmarkStatusKind, { fill: string; text: string }>> = {
  met: { fill: '#1a7f37', text: '#ffffff' },
  partial: { fill: '#2f6f4f', text: '#ffffff' },
  pending: { fill: '#e3b341', text: '#1f2328' },
  'not-met': { fill: '#cf222e', text: '#ffffff' },
  reversed: { fill: '#8250df', text: '#ffffff' },
  unverified: { fill: '#6e7781', text: '#ffffff' },
  unknown: { fill: '#d0d7de', text: '#1f2328' },
  'not-applicable': { fill: '#f6f8fa', text: '#57606a' },
};

const TIMED = 'timed-to-review';
const ROW_HEIGHT = 24;

interface RenderApi {
  value(dim: number): number;
  coord(point: [number, number]): [number, number];
  size(dataSize: [number, number]): [number, number];
}

/** `review` is the case's `reviewExample` ("a review such as the Commission annual report"), said in the caption. */
export function renderStatusTimelineChart(t: StatusTimeline, id: string, review: string = NO_REVIEW_EXAMPLE): ChartFigure {
  const rows = t.rows;
  const height = 132 + rows.length * ROW_HEIGHT;
  const present = BENCHMARK_STATUSES.filter((s) => rows.some((r) => r.spans.some((sp) => sp.status === s)));
  const anyTimed = rows.some((r) => r.spans.some((s) => s.timed));
  // One drawing per status (and one for the timed strips): all its runs as one path, so
  // that a long timeline of many runs costs a handful of chart elements, not thousands.
  // Labels are added only on runs wide enough to hold them.
  const runsOf = (keep: (s: StatusTimeline['rows'][number]['spans'][number]) => boolean) =>
    rows.flatMap((r, row) => r.spans.filter(keep).map((s) => [row, utcMs(s.from), utcMs(s.to)] as const));
  const series: object[] = present.map((status) => {
    const runs = runsOf((s) => s.status === status);
    return {
      type: 'custom',
      name: status,
      itemStyle: { color: STATUS_COLOURS[status].fill },
      encode: { x: [1, 2], y: 0 },
      // The runs' extent, so the axes fit them; the drawing itself is one item.
      data: [[runs[0]?.[0] ?? 0, runs[0]?.[1] ?? 0, runs[0]?.[2] ?? 0]],
      renderItem: (_params: unknown, api: RenderApi) => {
        const h = api.size([0, 1])[1] * 0.7;
        const path: string[] = [];
        const labels: object[] = [];
        for (const [row, from, to] of runs) {
          const [x0, y] = api.coord([from, row]);
          const [x1] = api.coord([to, row]);
          const w = Math.max(1, x1 - x0);
          path.push(`M${x0} ${y - h / 2}h${w}v${h}h${-w}Z`);
          if (w > status.length * 6 + 8) {
            labels.push({
              type: 'text',
              style: {
                text: status,
                x: x0 + w / 2,
                y,
                align: 'center',
                verticalAlign: 'middle',
                fill: STATUS_COLOURS[status].text,
                font: `10px ${CHART_FONT}`,
              },
            });
          }
        }
        const bars = {
          type: 'path',
          shape: { pathData: path.join('') },
          // Not in force is drawn as an outline on a near-white fill, so it reads as "no status" beside the others.
          style: {
            fill: STATUS_COLOURS[status].fill,
            stroke: status === 'not-applicable' ? '#8c959f' : '#ffffff',
            lineWidth: status === 'not-applicable' ? 0.75 : 0.5,
          },
        };
        return labels.length === 0 ? bars : { type: 'group', children: [bars, ...labels] };
      },
    };
  });
  if (anyTimed) {
    const runs = runsOf((s) => s.timed);
    series.push({
      type: 'custom',
      name: TIMED,
      z: 5,
      itemStyle: { color: '#000000' },
      encode: { x: [1, 2], y: 0 },
      data: [[runs[0]?.[0] ?? 0, runs[0]?.[1] ?? 0, runs[0]?.[2] ?? 0]],
      renderItem: (_params: unknown, api: RenderApi) => {
        const h = api.size([0, 1])[1] * 0.7;
        const path: string[] = [];
        for (const [row, from, to] of runs) {
          const [x0, y] = api.coord([from, row]);
          const [x1] = api.coord([to, row]);
          path.push(`M${x0} ${y - h / 2 - 2}h${Math.max(1, x1 - x0)}v4h${-Math.max(1, x1 - x0)}Z`);
        }
        return { type: 'path', shape: { pathData: path.join('') }, style: { fill: '#000000' } };
      },
    });
  }
  const svg = renderSvgChart(
    {
      useUTC: true,
      title: chartTitle(
        'Benchmark status over time',
        `${t.step === 'month' ? 'Monthly' : t.step === 'quarter' ? 'Quarterly' : 'Yearly'} steps, ${t.from} to ${t.to}`,
      ),
      legend: { top: 60, left: 0, itemWidth: 12, itemHeight: 10, itemGap: 8, textStyle: { fontSize: 10 } },
      // The margins hold the labels (truncated to fit): no outer-bounds layout pass is needed.
      grid: { left: 210, right: 16, top: 88, bottom: 42, outerBoundsMode: 'none' },
      xAxis: {
        type: 'time',
        min: utcMs(t.from),
        max: utcMs(t.to),
        axisLabel: { fontSize: 10, hideOverlap: true, formatter: '{yyyy}' },
        splitLine: { show: true, lineStyle: { color: '#eaeef2' } },
        name: 'Date',
        nameLocation: 'middle',
        nameGap: 24,
        nameTextStyle: { fontSize: 10, color: '#57606a' },
      },
      yAxis: {
        type: 'category',
        inverse: true,
        data: rows.map((r) => truncate(r.title, 36)),
        // Every benchmark is labelled: no label-interval estimate over all rows.
        axisLabel: { fontSize: 10, width: 200, overflow: 'truncate', interval: 0 },
        axisTick: { show: false },
      },
      series,
    },
    { width: A4_CONTENT_WIDTH, height },
    id,
  );
  const summary = rows.map(
    (r) =>
      `${r.title}: ${r.spans.map((s) => `${s.status} ${s.from} to ${s.to}${s.timed ? ' (timed-to-review)' : ''}`).join('; ')}.`,
  );
  return {
    id,
    title: 'Benchmark status over time',
    caption: `Status of each benchmark at every ${t.step} from ${t.from} to ${t.to}; a black strip marks runs flagged timed-to-review (${flagMeanings(review)['timed-to-review']})${
      present.includes('not-applicable') ? '; an outlined pale bar marks time when the benchmark was not in force' : ''
    }.`,
    summary,
    svg,
  };
}
