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
