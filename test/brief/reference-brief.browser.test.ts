/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The reference brief (examples/us-pakistan as of 2023-03-03, changes since 2022-01-01)
 * in headless Chromium: no console errors, no requests at all, every chart present with
 * its accessible text, every citation anchor resolving; a screenshot is kept under
 * test-artifacts/. Then the same page printed to PDF and checked page by page.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { loadCase } from '../../src/adapters/case-files/load-case.ts';
import type { BriefModel } from '../../src/report/brief-model.ts';
import { buildFullBrief } from '../../src/report/full-brief.ts';
import { renderBriefCharts, renderHtmlBrief } from '../../src/report/html-brief.ts';
import { printPdf } from '../../src/report/pdf-brief.ts';
import { REFERENCE_CASE } from '../support/cli-harness.ts';
import { artifactPath, CHROMIUM_SKIP, launchChromium, openHtml, POPPLER_SKIP } from './chromium.ts';

async function referenceModel(): Promise<BriefModel> {
  const loaded = await loadCase(REFERENCE_CASE);
  if (!loaded.ok) throw new Error('the reference case is invalid');
  return buildFullBrief(loaded.case, loaded.evidence, '2023-03-03', '2022-01-01');
}

describe('reference brief in Chromium', { skip: CHROMIUM_SKIP }, () => {
  let browser: Browser;
  let model: BriefModel;
  let html: string;
  before(async () => {
    model = await referenceModel();
    html = renderHtmlBrief(model);
    writeFileSync(artifactPath('us-pakistan-brief-2023-03-03.html'), html);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  it('renders with no console errors and no requests, and is screenshotted', async () => {
    const { page, requests, consoleErrors } = await openHtml(browser, html);
    await page.screenshot({ path: artifactPath('us-pakistan-brief-first-screen.png') });
    await page.screenshot({ path: artifactPath('us-pakistan-brief-full.png'), fullPage: true });
    assert.deepEqual(requests, []);
    assert.deepEqual(consoleErrors, []);
    const first = await page.evaluate(() => document.querySelector('main > *:nth-child(2) h2')?.textContent);
    assert.equal(first, 'Bottom line', 'the bottom line comes first after the title');
  });

  it('shows every chart as an accessible SVG figure', async () => {
    const { page } = await openHtml(browser, html);
    const expected = renderBriefCharts(model).length;
    assert.ok(expected >= 3, 'status timeline, relationship and at least one indicator chart');
    const figures = await page.evaluate(() =>
      [...document.querySelectorAll('figure.chart')].map((f) => ({
        svg: f.querySelectorAll('svg[role="img"]').length,
        label: f.querySelector('svg')?.getAttribute('aria-label') ?? '',
        caption: f.querySelector('figcaption')?.textContent ?? '',
        width: f.querySelector('svg')?.getBoundingClientRect().width ?? 0,
        shapes: f.querySelectorAll('svg path, svg rect').length,
      })),
    );
    assert.equal(figures.length, expected);
    for (const f of figures) {
      assert.equal(f.svg, 1);
      assert.ok(f.label.length > 20, 'aria-label describes the chart');
      assert.match(f.caption, /^Figure \d+\./);
      assert.ok(f.width > 300 && f.shapes > 10, 'the chart is drawn at a readable size');
    }
  });

  it('resolves every citation anchor, and cites every numbered source somewhere', async () => {
    const { page } = await openHtml(browser, html);
    const result = await page.evaluate(() => {
      const hrefs = [...document.querySelectorAll('a[href^="#"]')].map((a) => a.getAttribute('href') ?? '');
      const missing = hrefs.filter((h) => document.getElementById(h.slice(1)) === null);
      const ids = [...document.querySelectorAll('.citations li[id]')].map((li) => li.id);
      return { count: hrefs.length, missing, ids, linked: [...new Set(hrefs)] };
    });
    assert.ok(result.count > 20);
    assert.deepEqual(result.missing, []);
    assert.equal(result.ids.length, model.citations.length);
    // Ranges link their ends only, so check through the model that every number is used.
    const used = new Set<number>();
    const add = (cs: readonly number[]) => {
      for (const n of cs) used.add(n);
    };
    for (const s of model.bottomLine) add(s.cites);
    for (const r of [...model.gates, ...model.benchmarks, ...model.justifications]) add(r.cites);
    for (const c of model.changes ?? []) add(c.cites);
    for (const e of model.money?.entries ?? []) add(e.cites);
    for (const p of model.whatWouldChange.paths) add(p.unlock.cites);
    for (const f of model.whatWouldChange.fragile) add(f.sensitivity.cites);
    for (const s of model.indicatorSeries ?? []) add(s.cites);
    for (const l of (model.structural ?? []).flatMap((s) => s.lines)) add(l.cites);
    for (const r of model.issueAreas?.rows ?? []) add([...r.aligned.cites, ...r.opposed.cites]);
    for (const r of model.statusTimeline?.rows ?? []) add(r.cites ?? []);
    for (const s of model.eventSeries ?? []) add(s.cites);
    assert.equal(used.size, model.citations.length);
  });

  it('prints an A4 PDF with page numbers whose every page has content', { skip: POPPLER_SKIP }, async () => {
    const pdf = artifactPath('us-pakistan-brief-2023-03-03.pdf');
    await printPdf(html, pdf, { title: model.title });
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
    assert.ok(pages >= 3, `expected several pages, got ${pages}`);
    assert.match(info, /Page size:\s+59\d(\.\d+)? x 84\d(\.\d+)? pts \(A4\)/);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    assert.match(text, new RegExp(`Page 1 of ${pages}`));
    assert.match(text, new RegExp(`Page ${pages} of ${pages}`));
    const dir = artifactPath('pdf-pages');
    rmSync(dir, { recursive: true, force: true });
    execFileSync('mkdir', ['-p', dir]);
    execFileSync('pdftoppm', ['-r', '30', '-gray', pdf, join(dir, 'page')]);
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.pgm'))
      .sort();
    assert.equal(files.length, pages);
    for (const f of files) {
      const ink = inkFraction(readFileSync(join(dir, f)));
      assert.ok(ink > 0.005, `${f} looks blank (${(ink * 100).toFixed(2)}% ink)`);
    }
  });
});

/** Share of pixels darker than light grey in a binary PGM (P5) image. */
function inkFraction(pgm: Buffer): number {
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 64).toString('latin1'));
  if (header === null) throw new Error('not a binary PGM');
  const pixels = pgm.subarray(header[0].length);
  let dark = 0;
  for (const p of pixels) if (p < 200) dark++;
  return dark / pixels.length;
}
