/**
 * Layout checks run inside Chromium on a rendered brief or dashboard, measured from the
 * boxes the browser laid out (not from the markup):
 * - no status, decision or verdict pill (`.badge`) intersects a citation link (`sup.cite a`);
 * - in every chart (`figure.chart svg`): every text lies inside the SVG (axis titles are not
 *   cut off), no two texts intersect (data labels, axis labels, legend entries, axis titles),
 *   and every text above the plot (title, legend, y-axis title) ends above the plot's top
 *   edge (the legend is clear of the axes). The plot's top edge is the highest split line,
 *   drawn in the charts' split-line colour.
 *
 * The probe is a string evaluated as it is, so the test runner's transforms (tsx's helper
 * names) never reach the page.
 */
import type { Page } from 'playwright-core';

export interface LayoutReport {
  readonly pills: number;
  readonly cites: number;
  /** "text of the pill × citation n". */
  readonly pillCiteOverlaps: readonly string[];
  readonly charts: readonly {
    readonly id: string;
    readonly texts: number;
    readonly outside: readonly string[];
    readonly collisions: readonly string[];
    readonly intoPlot: readonly string[];
  }[];
}

/** The split-line colour every chart uses (see src/report/charts). */
export const SPLIT_LINE = '#eaeef2';

const PROBE = `(() => {
  const tol = 0.5;
  const hit = (a, b) => a.left < b.right - tol && b.left < a.right - tol && a.top < b.bottom - tol && b.top < a.bottom - tol;
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || s.display === 'none' || Number(s.opacity) === 0) return false;
    return el.getAttribute('opacity') !== '0' && el.getAttribute('fill-opacity') !== '0';
  };
  const pills = [...document.querySelectorAll('.badge')].filter(shown);
  const cites = [...document.querySelectorAll('sup.cite a')].filter(shown);
  const pillCiteOverlaps = [];
  for (const p of pills) {
    const a = p.getBoundingClientRect();
    for (const c of cites) {
      if (hit(a, c.getBoundingClientRect())) pillCiteOverlaps.push((p.textContent || '').trim() + ' × citation ' + (c.textContent || '').trim());
    }
  }
  const charts = [];
  for (const svg of document.querySelectorAll('figure.chart svg')) {
    const id = svg.closest('figure')?.id || '';
    const box = svg.getBoundingClientRect();
    const texts = [...svg.querySelectorAll('text')].filter((t) => (t.textContent || '').trim() !== '' && shown(t));
    const outside = [];
    const collisions = [];
    const intoPlot = [];
    const boxes = texts.map((t) => t.getBoundingClientRect());
    texts.forEach((t, i) => {
      const r = boxes[i];
      if (r.left < box.left - tol || r.right > box.right + tol || r.top < box.top - tol || r.bottom > box.bottom + tol) outside.push(t.textContent);
      for (let j = i + 1; j < texts.length; j++) if (hit(r, boxes[j])) collisions.push(t.textContent + ' | ' + texts[j].textContent);
    });
    const splits = [...svg.querySelectorAll('path[stroke="${SPLIT_LINE}"]')].map((p) => p.getBoundingClientRect().top);
    if (splits.length > 0) {
      const plotTop = Math.min(...splits);
      texts.forEach((t, i) => {
        const r = boxes[i];
        if ((r.top + r.bottom) / 2 < plotTop - 1 && r.bottom > plotTop + tol) intoPlot.push(t.textContent);
      });
    }
    charts.push({ id, texts: texts.length, outside, collisions, intoPlot });
  }
  return { pills: pills.length, cites: cites.length, pillCiteOverlaps, charts };
})()`;

export async function probeLayout(page: Page): Promise<LayoutReport> {
  return (await page.evaluate(PROBE)) as LayoutReport;
}
