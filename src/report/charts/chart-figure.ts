/**
 * A rendered chart with the text a reader without the picture needs: a title, a one-line
 * caption and a plain-text summary of what the chart shows. Text fields are plain text
 * (they may carry untrusted titles); the HTML renderer escapes them. `svg` is markup
 * produced by ECharts, which escapes the text it draws.
 */
export interface ChartFigure {
  readonly id: string;
  readonly title: string;
  readonly caption: string;
  readonly summary: readonly string[];
  readonly svg: string;
}

/** A4 portrait content width at 96 dpi with 15 mm margins. */
export const A4_CONTENT_WIDTH = 680;

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

export function utcMs(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}

/** Legend text size and row height (px) shared by the charts. */
const LEGEND_FONT = 10;
const LEGEND_ROW = 18;
/** A conservative width per character at the legend's size, so that an estimate never undercounts. */
const LEGEND_CHAR = 6.2;

/**
 * The legend for a chart of `width` px whose legend starts at `top`, and the y at which it
 * ends. Names that fit on one row go side by side; otherwise one name per row, so the
 * legend's height is known without measuring text and the plot can start below it (a
 * wrapped legend never runs into the axes). Names longer than the chart are truncated.
 */
export function legendLayout(
  names: readonly string[],
  width: number,
  top = 60,
): { readonly legend: Record<string, unknown>; readonly bottom: number } {
  const fit = Math.floor((width - 40) / LEGEND_CHAR);
  const shown = names.map((n) => truncate(n, fit));
  const oneRow = shown.reduce((sum, n) => sum + 12 + 5 + n.length * LEGEND_CHAR + 10, 0) <= width - 20;
  const base = { top, left: 0, itemWidth: 12, itemHeight: 10, textStyle: { fontSize: LEGEND_FONT, lineHeight: 12 } };
  if (oneRow || names.length <= 1) {
    return {
      legend: { ...base, orient: 'horizontal', itemGap: 10, formatter: (n: string) => truncate(n, fit) },
      bottom: top + LEGEND_ROW,
    };
  }
  return {
    legend: { ...base, orient: 'vertical', itemGap: LEGEND_ROW - 12, formatter: (n: string) => truncate(n, fit) },
    bottom: top + names.length * LEGEND_ROW,
  };
}

/** The title block every chart opens with: the title, a one-line subtitle, left-aligned. */
export function chartTitle(text: string, subtext: string): Record<string, unknown> {
  return {
    text,
    subtext,
    left: 0,
    textStyle: { fontSize: 14 },
    subtextStyle: { fontSize: 11, color: '#57606a' },
  };
}
