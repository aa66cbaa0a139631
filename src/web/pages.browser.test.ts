/**
 * The pages in a real browser (Debian's Chromium through playwright-core), served from
 * memory with the Content-Security-Policy they are designed for: nothing is refused, the
 * layout fits a phone and a laptop, the keyboard reaches the skip link first, and the
 * enhancement script does its work — source blocks added and removed, the form checked
 * before it is sent with the error summary focused, a retraction confirmed, the as-of
 * control submitting itself. Set PROVISO_WEB_SCREENSHOTS=<folder> to keep screenshots.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHROMIUM_SKIP, launchChromium } from '../../test/brief/chromium.ts';
import { loadCase } from '../adapters/case-files/load-case.ts';
import type { Case } from '../core/case-model.ts';
import type { Evidence } from '../core/evidence.ts';
import { buildFullBrief } from '../report/full-brief.ts';
import { buildClientBundle, WEB_CSS } from './client-bundle.ts';
import { type PageContext, renderDashboardPage, renderEvidenceBrowserPage, renderEvidenceFormPage, WEB_CSP } from './pages.ts';

const ORIGIN = 'http://proviso.test';
const AS_OF = '2023-03-03';
const analyst: PageContext = { user: { name: 'ana', role: 'analyst' }, csrfToken: 'tok', asOf: AS_OF };
const SCREENSHOTS = process.env.PROVISO_WEB_SCREENSHOTS;

let browser: Browser | undefined;
let c: Case;
let ledger: Evidence[];
let script: string;

interface Served {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors, CSP refusals included. */
  readonly errors: string[];
  /** Requests that left for the server other than page loads and static files (form posts). */
  readonly posts: string[];
  readonly dialogs: string[];
}

/** A context whose requests to ORIGIN are answered from the renderers, with the CSP header. */
async function serve(width: number, height: number): Promise<Served> {
  assert.ok(browser);
  const context = await browser.newContext({ viewport: { width, height } });
  const errors: string[] = [];
  const posts: string[] = [];
  const dialogs: string[] = [];
  await context.route('**/*', async (route) => {
    const request = route.request();
    const url = new URL(request.url());
    if (url.origin !== ORIGIN) return route.abort();
    if (request.method() !== 'GET') {
      posts.push(`${request.method()} ${url.pathname}`);
      return route.fulfill({ status: 204 });
    }
    const headers = { 'content-security-policy': WEB_CSP };
    const ctx: PageContext = { ...analyst, asOf: url.searchParams.get('asOf') ?? AS_OF };
    if (url.pathname === '/static/app.js') return route.fulfill({ body: script, contentType: 'text/javascript', headers });
    if (url.pathname === '/static/app.css') return route.fulfill({ body: WEB_CSS, contentType: 'text/css', headers });
    let html: string | undefined;
    if (url.pathname === '/cases/us-pakistan') {
      html = renderDashboardPage(ctx, { case: c, brief: buildFullBrief(c, ledger, ctx.asOf ?? AS_OF, undefined), alerts: [] });
    } else if (url.pathname === '/cases/us-pakistan/evidence') {
      html = renderEvidenceBrowserPage(ctx, { case: c, entries: ledger, params: Object.fromEntries(url.searchParams) });
    } else if (url.pathname === '/cases/us-pakistan/evidence/new') {
      const supersedes = ledger.find((e) => e.id === url.searchParams.get('supersedes'));
      html = renderEvidenceFormPage(ctx, { case: c, today: '2026-11-28', ...(supersedes === undefined ? {} : { supersedes }) });
    }
    if (html === undefined) return route.fulfill({ status: 404, body: 'not found' });
    return route.fulfill({ body: html, contentType: 'text/html; charset=utf-8', headers });
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  return { context, page, errors, posts, dialogs };
}

async function screenshot(page: Page, name: string): Promise<void> {
  if (SCREENSHOTS === undefined) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, name), fullPage: true });
}

before(async () => {
  if (CHROMIUM_SKIP) return;
  const loaded = await loadCase(join(import.meta.dirname, '..', '..', 'examples', 'us-pakistan'));
  assert.ok(loaded.ok);
  c = loaded.case;
  ledger = loaded.evidence;
  script = await buildClientBundle();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
});

describe('web pages in Chromium', { skip: CHROMIUM_SKIP }, () => {
  for (const [label, width, height] of [
    ['phone', 390, 844],
    ['laptop', 1280, 800],
  ] as const) {
    it(`the dashboard loads under the CSP and fits a ${label} screen`, async () => {
      const s = await serve(width, height);
      try {
        await s.page.goto(`${ORIGIN}/cases/us-pakistan?asOf=${AS_OF}`);
        assert.deepEqual(s.errors, []);
        const overflow = await s.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
        await s.page.keyboard.press('Tab');
        assert.equal(await s.page.evaluate(() => document.activeElement?.textContent), 'Skip to main content');
        assert.ok(await s.page.isVisible('.skip-link'), 'the skip link shows when focused');
        await screenshot(s.page, `dashboard-${label}.png`);
      } finally {
        await s.context.close();
      }
    });
  }

  it('the as-of control submits itself once a full date is chosen', async () => {
    const s = await serve(1280, 800);
    try {
      await s.page.goto(`${ORIGIN}/cases/us-pakistan?asOf=${AS_OF}`);
      await Promise.all([s.page.waitForURL(/asOf=2020-01-01/), s.page.fill('#asOf', '2020-01-01')]);
      assert.match((await s.page.textContent('main .lede')) ?? '', /2020-01-01/);
      assert.deepEqual(s.errors, []);
    } finally {
      await s.context.close();
    }
  });

  it('the evidence form: sources are added and removed, problems are shown before sending', async () => {
    const s = await serve(390, 844);
    try {
      await s.page.goto(`${ORIGIN}/cases/us-pakistan/evidence/new?asOf=${AS_OF}`);
      assert.deepEqual(s.errors, []);
      assert.equal(await s.page.locator('fieldset[data-source-block]').count(), 1, 'the spare block is gone');
      await s.page.click('text=Add another source');
      assert.equal(await s.page.locator('fieldset[data-source-block]').count(), 2);
      assert.equal(await s.page.evaluate(() => document.activeElement?.getAttribute('name')), 'sources[1][publisher]');
      assert.equal(await s.page.locator('label[for="f-sources-1-title"]').count(), 1);
      await s.page.click('text=Remove source 1');
      assert.equal(await s.page.locator('fieldset[data-source-block]').count(), 1);
      assert.equal(await s.page.locator('input[name="sources[0][publisher]"]').count(), 1, 'renumbered from 0');

      await s.page.fill('#f-id', 'ev-new');
      await s.page.fill('#f-occurred', '2021-02-30');
      await s.page.click('form[data-evidence-form] button[type="submit"]');
      assert.deepEqual(s.posts, [], 'nothing was sent');
      assert.equal(await s.page.evaluate(() => document.activeElement?.id), 'error-summary');
      const summary = (await s.page.textContent('#error-summary')) ?? '';
      assert.match(summary, /There are \d+ problems/);
      assert.match(summary, /"2021-02-30" is impossible: February 2021 has 28 days/);
      assert.match((await s.page.textContent('#f-occurred-error')) ?? '', /is impossible/);
      assert.equal(await s.page.getAttribute('#f-occurred', 'aria-invalid'), 'true');
      assert.match((await s.page.getAttribute('#f-occurred', 'aria-describedby')) ?? '', /f-occurred-error/);
      await s.page.click('#error-summary a[href="#f-kind"]');
      assert.equal(await s.page.evaluate(() => document.activeElement?.id), 'f-kind');
      await screenshot(s.page, 'evidence-form-errors-phone.png');
      assert.deepEqual(s.errors, []);
    } finally {
      await s.context.close();
    }
  });

  it('a retraction asks first, and is not sent when the user declines', async () => {
    const s = await serve(1280, 800);
    try {
      await s.page.goto(`${ORIGIN}/cases/us-pakistan/evidence/new?asOf=${AS_OF}&supersedes=ev-2019-07-17-saeed-arrest`);
      await s.page.fill('#f-id', 'ev-2019-07-17-saeed-arrest-retracted');
      await s.page.check('#f-retracted');
      await s.page.click('form[data-evidence-form] button[type="submit"]');
      assert.equal(s.dialogs.length, 1);
      assert.match(s.dialogs[0] ?? '', /^Retract ev-2019-07-17-saeed-arrest\?/);
      assert.deepEqual(s.posts, []);
      assert.deepEqual(s.errors, []);
    } finally {
      await s.context.close();
    }
  });

  it('the evidence browser fits a phone, its table scrolling inside its region', async () => {
    const s = await serve(390, 844);
    try {
      await s.page.goto(`${ORIGIN}/cases/us-pakistan/evidence?asOf=${AS_OF}&q=saeed`);
      assert.deepEqual(s.errors, []);
      const overflow = await s.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
      await screenshot(s.page, 'evidence-browser-phone.png');
    } finally {
      await s.context.close();
    }
  });
});
