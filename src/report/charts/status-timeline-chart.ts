/**
 * The status timeline: benchmarks (rows) × time, one coloured bar per run of one status,
 * labelled with the status where there is room, and a black strip over runs that carry
 * the timed-to-review flag. Colours are never the only carrier: the legend names them,
 * wide bars say them, and the summary lists every run in words.
 */
import type { BenchmarkStatusKind } from '../../core/benchmark-stream.ts';
import { BENCHMARK_STATUSES } from '../../core/benchmark-stream.ts';
import type { StatusTimeline } from '../brief-visuals.ts';
import { A4_CONTENT_WIDTH, type ChartFigure, truncate, utcMs } from './chart-figure.ts';
import { CHART_FONT, renderSvgChart } from './render-svg.ts';

export const STATUS_COLOURS: Readonly<Record<BenchmarkStatusKind, { fill: string; text: string }>> = {
  met: { fill: '#1a7f37', text: '#ffffff' },
  pending: { fill: '#e3b341', text: '#1f2328' },
  'not-met': { fill: '#cf222e', text: '#ffffff' },
  reversed: { fill: '#8250df', text: '#ffffff' },
  unverified: { fill: '#6e7781', text: '#ffffff' },
  unknown: { fill: '#d0d7de', text: '#1f2328' },
};

const TIMED = 'timed-to-review';
const ROW_HEIGHT = 24;

interface RenderApi {
  value(dim: number): number;
  coord(point: [number, number]): [number, number];
  size(dataSize: [number, number]): [number, number];
}

export function renderStatusTimelineChart(t: StatusTimeline, id: string): ChartFigure {
  const rows = t.rows;
  const height = 122 + rows.length * ROW_HEIGHT;
  const present = BENCHMARK_STATUSES.filter((s) => rows.some((r) => r.spans.some((sp) => sp.status === s)));
  const anyTimed = rows.some((r) => r.spans.some((s) => s.timed));
  const series: object[] = present.map((status) => ({
    type: 'custom',
    name: status,
    itemStyle: { color: STATUS_COLOURS[status].fill },
    encode: { x: [1, 2], y: 0 },
    data: rows.flatMap((r, row) => r.spans.filter((s) => s.status === status).map((s) => [row, utcMs(s.from), utcMs(s.to)])),
    renderItem: (_params: unknown, api: RenderApi) => {
      const row = api.value(0);
      const [x0, y] = api.coord([api.value(1), row]);
      const [x1] = api.coord([api.value(2), row]);
      const h = api.size([0, 1])[1] * 0.7;
      const w = Math.max(1, x1 - x0);
      const bar = {
        type: 'rect',
        shape: { x: x0, y: y - h / 2, width: w, height: h },
        style: { fill: STATUS_COLOURS[status].fill, stroke: '#ffffff', lineWidth: 0.5 },
      };
      // Most spans of a long timeline are too narrow for a label: a bare rect is much cheaper to render than a group.
      if (w <= status.length * 6 + 8) return bar;
      const label = {
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
      };
      return { type: 'group', children: [bar, label] };
    },
  }));
  if (anyTimed) {
    series.push({
      type: 'custom',
      name: TIMED,
      z: 5,
      itemStyle: { color: '#000000' },
      encode: { x: [1, 2], y: 0 },
      data: rows.flatMap((r, row) => r.spans.filter((s) => s.timed).map((s) => [row, utcMs(s.from), utcMs(s.to)])),
      renderItem: (_params: unknown, api: RenderApi) => {
        const row = api.value(0);
        const [x0, y] = api.coord([api.value(1), row]);
        const [x1] = api.coord([api.value(2), row]);
        const h = api.size([0, 1])[1] * 0.7;
        return {
          type: 'rect',
          shape: { x: x0, y: y - h / 2 - 2, width: Math.max(1, x1 - x0), height: 4 },
          style: { fill: '#000000' },
        };
      },
    });
  }
  const svg = renderSvgChart(
    {
      useUTC: true,
      title: {
        text: 'Benchmark status over time',
        subtext: `${t.step === 'month' ? 'Monthly' : t.step === 'quarter' ? 'Quarterly' : 'Yearly'} steps, ${t.from} to ${t.to}`,
        left: 0,
        textStyle: { fontSize: 14 },
        subtextStyle: { fontSize: 11, color: '#57606a' },
      },
      legend: { top: 60, left: 0, itemWidth: 12, itemHeight: 10, itemGap: 8, textStyle: { fontSize: 10 } },
      grid: { left: 210, right: 12, top: 88, bottom: 32 },
      xAxis: {
        type: 'time',
        min: utcMs(t.from),
        max: utcMs(t.to),
        axisLabel: { fontSize: 10, hideOverlap: true, formatter: '{yyyy}' },
        splitLine: { show: true, lineStyle: { color: '#eaeef2' } },
        name: 'Date',
        nameLocation: 'middle',
        nameGap: 20,
        nameTextStyle: { fontSize: 10, color: '#57606a' },
      },
      yAxis: {
        type: 'category',
        inverse: true,
        data: rows.map((r) => truncate(r.title, 36)),
        axisLabel: { fontSize: 10, width: 200, overflow: 'truncate' },
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
    caption: `Status of each benchmark at every ${t.step} from ${t.from} to ${t.to}; a black strip marks runs flagged timed-to-review (an action taken just before a review such as an FATF plenary).`,
    summary,
    svg,
  };
}
