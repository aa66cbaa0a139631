/**
 * End to end through the web UI, in Debian's headless Chromium (playwright-core), against
 * a real server on a socket with a real SQLite store: sign in, read a benchmark, add
 * evidence through the form and see the status change, move the as-of date back and see it
 * change back, be refused a form post without its CSRF token, see hostile evidence as
 * text, sign in as a viewer and be refused a write. Screenshots go to test-artifacts/.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { artifactPath, CHROMIUM_SKIP, launchChromium } from '../brief/chromium.ts';
import { probeLayout } from '../brief/layout-probe.ts';
import { jsonInit, newEvidence, PASSWORD, sqliteOpener, startTestServer, type TestServer } from './support.ts';

const CASE = 'us-pakistan';

/** The text a reader sees (layout-aware, unlike textContent). */
async function visibleText(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what is asserted
  return locator.innerText();
}
const BENCHMARK = 'let-jem-leaders-imprisoned';

describe('web UI in Chromium', { skip: CHROMIUM_SKIP }, () => {
  const opener = sqliteOpener();
  let s: TestServer;
  let server: { url: string; close: () => Promise<void> };
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];
  const dialogs: string[] = [];
  const foreignRequests: string[] = [];

  before(async () => {
    s = await startTestServer(opener.open);
    server = await s.listen();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(server.url) || url.startsWith('data:')) return route.continue();
      foreignRequests.push(url);
      return route.abort();
    });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(`${page.url()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await s?.close();
    opener.cleanup();
  });

  const statusLine = async (asOf?: string) => {
    await page.goto(`${server.url}/cases/${CASE}/benchmarks/${BENCHMARK}${asOf === undefined ? '' : `?asOf=${asOf}`}`);
    return (await visibleText(page.locator('.status-line'))).trim();
  };

  async function signIn(name: string): Promise<void> {
    await page.goto(`${server.url}/cases/${CASE}`);
    assert.match(page.url(), /\/login\?next=/, 'an anonymous visitor is sent to sign in');
    await page.getByLabel('Name').fill(name);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${server.url}/cases/${CASE}`);
  }

  it('signs in and shows the dashboard with every instrument’s decision in words', async () => {
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Name').fill(s.users.analyst.user.name);
    await page.getByLabel('Password').fill('wrong password!');
    await page.getByRole('button', { name: 'Sign in' }).click();
    assert.match(await visibleText(page.locator('[role="alert"]')), /Wrong name or password/);
    await signIn(s.users.analyst.user.name);
    const gates = await visibleText(page.locator('#h-gates').locator('xpath=..'));
    for (const id of ['F-16', 'Senior', 'Tariff']) assert.match(gates, new RegExp(id, 'i'));
    assert.match(gates, /not warranted: conditions unmet/i);
    assert.match(gates, /warranted: conditions met/i);
    assert.ok((await page.locator('svg').count()) >= 2, 'charts are drawn');
    await page.screenshot({ path: artifactPath('web-dashboard.png'), fullPage: false });
  });

  it('adds evidence through the form, sees the benchmark change, and sees it change back as of an earlier date', async () => {
    assert.match(await statusLine(), /Not met/i);
    await page.goto(`${server.url}/cases/${CASE}/evidence/new`);
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('main input:not([type=hidden]), main select, main textarea')]
        .filter((el) => (el as HTMLInputElement).labels?.length === 0 && !el.getAttribute('aria-label'))
        .map((el) => el.getAttribute('name')),
    );
    assert.deepEqual(unlabelled, [], 'every control of the form has a label');
    await page.locator('input[name="id"]').fill('ev-web-azhar');
    await page.locator('input[name="kind"]').fill('conviction');
    for (const actor of ['masood-azhar', 'pakistan']) await page.locator(`input[name="actors"][value="${actor}"]`).check();
    await page.locator('textarea[name="description"]').fill('Hypothetical test entry: Masood Azhar convicted and imprisoned.');
    await page.locator('input[name="occurred"]').fill('2025-01-10');
    await page.locator('input[name="reported"]').fill('2025-01-10');
    await page.locator('input[name="sources[0][publisher]"]').fill('Test Wire');
    await page.locator('input[name="sources[0][title]"]').fill('Hypothetical conviction report');
    await page.locator('input[name="sources[0][date]"]').fill('2025-01-10');
    await page.locator('select[name="sources[0][reliability]"]').selectOption('A');
    await page.locator('select[name="sources[0][credibility]"]').selectOption('1');
    await page.screenshot({ path: artifactPath('web-evidence-form.png'), fullPage: true });
    await page.locator('form[method="post"] button[type="submit"]').last().click();
    await page.waitForURL(/\/evidence\?q=ev-web-azhar/);
    assert.match(await visibleText(page.locator('main')), /ev-web-azhar/);
    assert.equal((await s.store.ledger.entries(CASE)).filter((e) => e.id === 'ev-web-azhar').length, 1);

    const now = await statusLine();
    assert.doesNotMatch(now, /Not met/i, `after the conviction: ${now}`);
    await page.screenshot({ path: artifactPath('web-benchmark-after.png'), fullPage: true });
    const alerts = await s.store.alerts({ caseId: CASE });
    assert.ok(
      alerts.some((a) => a.subject === BENCHMARK && a.evidenceIds.includes('ev-web-azhar')),
      'an alert was recorded',
    );

    await page.goto(`${server.url}/alerts`);
    const alertText = await visibleText(page.locator('main'));
    assert.match(alertText, /Senior LeT and JeM leaders/, 'the alert is listed');
    assert.match(alertText, /Not met/i);
    assert.match(alertText, /ev-web-azhar/);
    await page.goto(`${server.url}/cases/${CASE}/benchmarks/${BENCHMARK}`);

    // The as-of control: back to before the conviction was reported.
    const asOf = page.locator('input[name="asOf"]');
    await asOf.fill('2024-12-01');
    await page.locator('form[data-asof-form] button[type="submit"]').click();
    await page.waitForURL(/asOf=2024-12-01/);
    assert.match(await visibleText(page.locator('.status-line')), /Not met/i);
    await page.screenshot({ path: artifactPath('web-benchmark-asof-2024-12-01.png'), fullPage: false });
  });

  it('refuses a form post without the CSRF token, storing nothing', async () => {
    await page.goto(`${server.url}/cases/${CASE}/evidence/new`);
    const before = await s.store.ledger.count(CASE);
    const status = await page.evaluate(async (path) => {
      const body = new URLSearchParams({
        id: 'ev-web-csrf',
        kind: 'statement',
        description: 'x',
        occurred: '2026-11-01',
        reported: '2026-11-01',
      });
      const res = await fetch(path, { method: 'POST', body, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
      return res.status;
    }, `/cases/${CASE}/evidence/new`);
    assert.equal(status, 403);
    assert.equal(await s.store.ledger.count(CASE), before);
  });

  it('shows hostile evidence as text: nothing executes, no javascript: link', async () => {
    const res = await s.request(
      `/api/cases/${CASE}/evidence`,
      jsonInit(
        'POST',
        newEvidence('ev-web-xss', {
          description: '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2"> &amp; &lt;b&gt;',
          sources: [
            {
              publisher: '<b onmouseover="window.__xss=3">Pub</b>',
              title: '" onerror="window.__xss=4',
              date: '2026-11-21',
              url: 'javascript:window.__xss=5',
              reliability: 'B',
              credibility: 2,
            },
          ],
          tags: ['<svg onload=window.__xss=6>'],
        }),
        'analyst',
      ),
    );
    assert.equal(res.status, 201, await res.clone().text());
    for (const path of [
      `/cases/${CASE}/evidence?q=ev-web-xss`,
      `/cases/${CASE}/benchmarks/${BENCHMARK}`,
      `/cases/${CASE}`,
      '/alerts',
    ]) {
      await page.goto(`${server.url}${path}`);
      assert.equal(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined, path);
      assert.equal(await page.locator('a[href^="javascript:"]').count(), 0, path);
    }
    await page.goto(`${server.url}/cases/${CASE}/evidence?q=ev-web-xss`);
    const text = await visibleText(page.locator('main'));
    assert.ok(text.includes('<script>window.__xss = 1</script>'), 'the description is shown as typed');
    assert.equal(await page.locator('main script, main img[src="x"]').count(), 0);
    assert.deepEqual(dialogs, []);
  });

  it('at 1200 px, says what each status rests on, on the dashboard and the detail page, with nothing overlapping', async () => {
    const wide = await context.newPage();
    await wide.setViewportSize({ width: 1200, height: 900 });
    await wide.goto(`${server.url}/cases/${CASE}`);
    const board = wide.locator('#h-benchmarks').locator('xpath=..');
    const cells = await board.locator('tbody tr').evaluateAll((rows) =>
      rows.map((row) => {
        // No helper functions in here: the page runs this code as it is, without tsx's helpers.
        const badge = row.querySelector('.badge')?.getBoundingClientRect();
        const rests = row.querySelector('.rests')?.getBoundingClientRect();
        const cell = row.querySelector('.rests')?.closest('td')?.getBoundingClientRect();
        return {
          id: row.id,
          rests: row.querySelector('.rests')?.textContent ?? '',
          summary: row.querySelector('.basis')?.textContent ?? '',
          // The label sits below the badge, inside the status cell.
          clear:
            badge !== undefined &&
            rests !== undefined &&
            cell !== undefined &&
            rests.top >= badge.bottom - 0.5 &&
            rests.left >= cell.left - 0.5 &&
            rests.right <= cell.right + 0.5,
        };
      }),
    );
    assert.ok(cells.length >= 3);
    for (const c of cells) {
      assert.match(
        c.rests,
        /^(on evidence|on monitored absence|on the case's default \(no record\)|on evidence below the bar|unknown: .+)$/,
        c.id,
      );
      assert.match(c.summary, / — /, `${c.id} shows the summary`);
      assert.ok(c.clear, `${c.id}: the basis label overlaps`);
    }
    const overflow = await wide.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `the dashboard scrolls sideways by ${overflow}px at 1200 px`);
    await wide.screenshot({ path: artifactPath('web-dashboard-1200.png'), fullPage: false });
    await board.screenshot({ path: artifactPath('web-dashboard-benchmarks-1200.png') });
    const apart = wide.locator('#h-not-in-force').locator('xpath=..');
    if ((await apart.count()) > 0) await apart.screenshot({ path: artifactPath('web-dashboard-not-in-force-1200.png') });

    await wide.goto(`${server.url}/cases/${CASE}/benchmarks/${BENCHMARK}`);
    assert.match(await visibleText(wide.locator('.status-line')), / — (on |unknown: )/);
    assert.match(await visibleText(wide.locator('#h-basis').locator('xpath=..')), /What the status rests on\s+\S+ — /);
    await wide.screenshot({ path: artifactPath('web-benchmark-1200.png'), fullPage: false });
    await wide.close();
  });

  it('at 1200 px, keeps pills clear of citation links and chart texts apart, and shows each instrument warranted beside done, its path to unlock and how firm', async () => {
    const wide = await context.newPage();
    await wide.setViewportSize({ width: 1200, height: 900 });
    await wide.goto(`${server.url}/cases/${CASE}?asOf=2023-03-03`);
    const report = await probeLayout(wide);
    assert.ok(report.pills >= 10 && report.cites >= 10, `pills ${report.pills}, citations ${report.cites}`);
    assert.deepEqual(report.pillCiteOverlaps, []);
    assert.ok(report.charts.length >= 2, 'charts are drawn');
    for (const c of report.charts) {
      assert.deepEqual(c.outside, [], `${c.id}: texts outside the SVG`);
      assert.deepEqual(c.collisions, [], `${c.id}: texts that collide`);
      assert.deepEqual(c.intoPlot, [], `${c.id}: title or legend runs into the plot`);
    }
    const gates = await visibleText(wide.locator('#h-gates').locator('xpath=..'));
    assert.match(gates, /not warranted: conditions unmet/);
    assert.match(gates, /warranted: conditions met/);
    assert.match(gates, /done although not warranted\s*notified 2022-09-07/, 'the F-16 notification is a departure');
    // The gate board links each instrument to its section: the path to unlock and how firm the decision is.
    await wide.locator('#gate-f16-sustainment a.more').click();
    const section = wide.locator('#instrument-f16-sustainment');
    const text = await visibleText(section);
    assert.match(text, /Warranted\s+(✗\s+)?not warranted: conditions unmet/);
    assert.match(text, /Done\s+done although not warranted\s*notified 2022-09-07/);
    assert.match(text, /How firm\s+(robust|fragile|robustness not assessed)/);
    assert.match(text, /Path to unlock\s+Its conditions could be met from \d{4}-\d{2}-\d{2} at the earliest/);
    assert.match(text, /Needs: Masood Azhar/);
    assert.doesNotMatch(text, /P\d+[YMD]\b/, 'durations in words');
    await section.screenshot({ path: artifactPath('web-dashboard-instrument-1200.png') });
    await wide.close();
  });

  it('fits a phone screen and can be used from the keyboard', async () => {
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${server.url}/cases/${CASE}`);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px on a phone`);
    await phone.screenshot({ path: artifactPath('web-dashboard-phone.png'), fullPage: false });
    await phone.keyboard.press('Tab');
    const first = await phone.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    assert.match(first, /skip/i, 'the first Tab reaches the skip link');
    await phone.close();
  });

  it('signs a viewer in, shows no write controls, and refuses a write', async () => {
    await page.locator('form[action="/logout"] button').first().click();
    await page.waitForURL(/\/login/);
    await signIn(s.users.viewer.user.name);
    assert.equal(await page.locator(`a[href^="/cases/${CASE}/evidence/new"]`).count(), 0, 'no add-evidence link for a viewer');
    const form = await page.goto(`${server.url}/cases/${CASE}/evidence/new`);
    assert.equal(form?.status(), 403);
    const before = await s.store.ledger.count(CASE);
    const status = await page.evaluate(async (path) => {
      const token = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';
      const body = new URLSearchParams({ _csrf: token, id: 'ev-web-viewer', kind: 'statement' });
      return (await fetch(path, { method: 'POST', body })).status;
    }, `/cases/${CASE}/evidence/new`);
    assert.equal(status, 403);
    assert.equal(await s.store.ledger.count(CASE), before);
    await page.screenshot({ path: artifactPath('web-viewer-refused.png'), fullPage: false });
  });

  it('made no request outside the server and logged no console error (CSP violations included)', () => {
    assert.deepEqual(foreignRequests, []);
    // The refusals this test provoked on purpose (a wrong password, a viewer's form) are logged as failed loads.
    const expected = /Failed to load resource: the server responded with a status of (400|403)/;
    assert.deepEqual(
      consoleErrors.filter((e) => !expected.test(e)),
      [],
    );
  });
});
