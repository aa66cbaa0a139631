/**
 * Headless Chromium for brief tests: Debian's /usr/bin/chromium through playwright-core,
 * never a downloaded browser. `CHROMIUM_SKIP` is a reason to skip (a string) when the
 * executable is absent, so `it(..., { skip: CHROMIUM_SKIP })` says why; CI installs it.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM_ARGS, DEFAULT_CHROMIUM } from '../../src/report/pdf-brief.ts';
import { REPO_ROOT } from '../support/cli-harness.ts';

export const CHROMIUM_SKIP: string | false = existsSync(DEFAULT_CHROMIUM)
  ? false
  : `needs Chromium at ${DEFAULT_CHROMIUM} (apt-get install chromium)`;

export const POPPLER_SKIP: string | false =
  CHROMIUM_SKIP || (existsSync('/usr/bin/pdftoppm') ? false : 'needs pdftoppm (apt-get install poppler-utils)');

export const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: DEFAULT_CHROMIUM, args: [...CHROMIUM_ARGS] });
}

export interface OpenedPage {
  readonly page: Page;
  /** Every request the page tried to make (all are aborted). */
  readonly requests: string[];
  readonly consoleErrors: string[];
  readonly dialogs: string[];
}

/** Opens HTML with JavaScript enabled (so an injected script would run), recording and aborting every request. */
export async function openHtml(browser: Browser, html: string): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport: { width: 900, height: 1270 } });
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  const dialogs: string[] = [];
  await context.route('**/*', (route) => {
    requests.push(route.request().url());
    return route.abort();
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.setContent(html, { waitUntil: 'load' });
  return { page, requests, consoleErrors, dialogs };
}
