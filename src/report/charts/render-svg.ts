/**
 * ECharts server-side SVG rendering, made deterministic and embeddable.
 *
 * Contract: `renderSvgChart(option, size, id)` returns one `<svg>` element whose output
 * depends only on its arguments. ECharts numbers its clip-path ids and CSS classes from
 * process-wide counters (`zr0-c0`, `zr3-cls-7`), so two renders of one chart differ and
 * two charts in one page could collide; here hover styles, classes and ECharts metadata
 * attributes are removed (a static document has no hover), and the remaining ids are
 * renumbered in order of appearance under `id`, unique within the page.
 */
import * as echarts from 'echarts';

export interface ChartSize {
  readonly width: number;
  readonly height: number;
}

/** Fonts and colours shared by every chart, chosen to read at A4 width in print. */
export const CHART_FONT = 'Helvetica, Arial, sans-serif';
export const CHART_TEXT = '#1f2328';

export function renderSvgChart(option: echarts.EChartsCoreOption, size: ChartSize, id: string): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: CHART_FONT, color: CHART_TEXT }, ...option });
    return normaliseSvg(chart.renderToSVGString(), id);
  } finally {
    chart.dispose();
  }
}

/** Removes ECharts' per-process counters and interactive leftovers from an SSR SVG string. */
export function normaliseSvg(svg: string, id: string): string {
  const local = new Map<string, string>();
  return svg
    .replace(/<style\s*>[\s\S]*?<\/style>\s*/g, '')
    .replace(/ class="zr\d+-cls-\d+"/g, '')
    .replace(/ ecmeta_[a-z_]+="[^"]*"/g, '')
    .replace(/ pointer-events="visible"/g, '')
    .replace(/<defs\s*>\s*<\/defs>\s*/g, '')
    .replace(/\bzr\d+-([a-z]+)\d+/g, (token: string, kind: string) => {
      let name = local.get(token);
      if (name === undefined) {
        name = `${id}-${kind}${local.size}`;
        local.set(token, name);
      }
      return name;
    });
}
