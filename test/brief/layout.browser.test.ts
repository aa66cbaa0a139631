/**
 * The reference brief laid out by Chromium at 1200 px (and at the A4 page's width), with the
 * case's data loaded so every chart is drawn (UN voting, aid): no pill runs into a citation
 * link, and in every chart the texts stay inside the SVG, do not collide, and the legend and
 * titles stay clear of the plot. First, the probe itself is shown to catch each fault on a
 * page built to have it, so a passing run means the layout is right, not that the probe is
 * blind.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { makeTempDir, REFERENCE_CASE, runCli } from '../support/cli-harness.ts';
import { artifactPath, CHROMIUM_SKIP, launchChromium } from './chromium.ts';
import { probeLayout, SPLIT_LINE } from './layout-probe.ts';

const FAULTY = `<!DOCTYPE html><html><body style="margin:0;font:14px sans-serif">
<p><span class="badge" style="display:inline-block;width:120px;white-space:nowrap">unconvincing verdict</span><sup class="cite" style="margin-left:-60px"><a href="#c1">1</a></sup></p>
<figure class="chart" id="fig-bad"><svg width="300" height="200" viewBox="0 0 300 200" xmlns="http://www.w3.org/2000/svg">
<path d="M40 80L290 80" stroke="${SPLIT_LINE}"></path><path d="M40 180L290 180" stroke="${SPLIT_LINE}"></path>
<text x="10" y="20" style="font-size:12px">Title</text>
<text x="40" y="78" style="font-size:12px">A legend entry that runs into the plot</text>
<text x="100" y="130" style="font-size:10px">0.21</text><text x="104" y="132" style="font-size:10px">0.2</text>
<text x="-30" y="190" style="font-size:10px">Cut-off axis title</text>
</svg></figure></body></html>`;

describe('brief layout in Chromium', { skip: CHROMIUM_SKIP }, () => {
  let browser: Browser;
  let tmp: ReturnType<typeof makeTempDir>;
  let html: string;
  before(async () => {
    tmp = makeTempDir();
    // Through the CLI with a store, so the case's data (UN voting, aid) is imported and charted.
    const r = await runCli(
      ['brief', REFERENCE_CASE, '--as-of', '2023-03-03', '--since', '2022-01-01', '--out', 'b.html'],
      tmp.dir,
    );
    assert.equal(r.code, 0, r.stderr);
    html = readFileSync(join(tmp.dir, 'b.html'), 'utf8');
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    tmp?.cleanup();
  });

  it('the probe catches a pill over a citation, colliding labels, a legend in the plot and a cut-off title', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 600 } });
    await page.setContent(FAULTY);
    const report = await probeLayout(page);
    await page.close();
    assert.deepEqual(report.pillCiteOverlaps, ['unconvincing verdict × citation 1']);
    const chart = report.charts[0];
    assert.ok(chart);
    assert.deepEqual(chart.outside, ['Cut-off axis title']);
    assert.ok(chart.collisions.includes('0.21 | 0.2'), JSON.stringify(chart.collisions));
    assert.deepEqual(chart.intoPlot, ['A legend entry that runs into the plot']);
  });

  for (const width of [1200, 794]) {
    it(`at ${width} px: pills clear of citation links; chart texts inside, apart, and clear of the plot`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 1000 } });
      await page.route('**/*', (route) => route.abort());
      await page.setContent(html, { waitUntil: 'load' });
      const report = await probeLayout(page);
      if (width === 1200) {
        await page
          .locator('table.matrix')
          .first()
          .screenshot({ path: artifactPath('brief-matrix-1200.png') });
        for (const id of ['fig-money', 'fig-series1']) {
          const fig = page.locator(`figure#${id}`);
          if ((await fig.count()) > 0) await fig.screenshot({ path: artifactPath(`brief-${id}-1200.png`) });
        }
      }
      await page.close();
      assert.ok(report.pills >= 10 && report.cites >= 20, `the page has pills (${report.pills}) and citations (${report.cites})`);
      assert.deepEqual(report.pillCiteOverlaps, []);
      const ids = report.charts.map((c) => c.id);
      for (const id of ['fig-status', 'fig-money', 'fig-series1'])
        assert.ok(ids.includes(id), `${id} is drawn (${ids.join(', ')})`);
      for (const c of report.charts) {
        assert.ok(c.texts > 5, `${c.id} has texts`);
        assert.deepEqual(c.outside, [], `${c.id}: texts outside the SVG`);
        assert.deepEqual(c.collisions, [], `${c.id}: texts that collide`);
        assert.deepEqual(c.intoPlot, [], `${c.id}: title or legend runs into the plot`);
      }
    });
  }
});
