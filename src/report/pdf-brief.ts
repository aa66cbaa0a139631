/**
 * The PDF adapter: prints the HTML brief to A4 with Debian's Chromium through
 * playwright-core. This is the report layer's only I/O (it starts a browser and writes
 * the file); the brief model and the HTML renderer stay pure.
 *
 * Contract: `printPdf(html, path)` writes an A4 PDF with page numbers in the footer and
 * the brief's title in the header, or throws `PdfUnavailableError` (with what to do next)
 * when no Chromium can be started. The page is printed with every request blocked, so
 * the PDF shows exactly what the offline HTML shows.
 */
import { existsSync } from 'node:fs';
import { html as markup } from './markup.ts';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
] as const;

export class PdfUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PdfUnavailableError';
  }
}

export interface PdfOptions {
  /** The Chromium executable (default /usr/bin/chromium). */
  readonly executablePath?: string;
  /** Shown in the page header (plain text; escaped here). */
  readonly title?: string;
}

export type PdfPrinter = (html: string, path: string, options?: PdfOptions) => Promise<void>;

export const printPdf: PdfPrinter = async (html, path, options = {}) => {
  const executablePath = options.executablePath ?? DEFAULT_CHROMIUM;
  if (!existsSync(executablePath)) {
    throw new PdfUnavailableError(
      `PDF briefs need Chromium at ${executablePath}, which is not there. Install it (Debian/Ubuntu: apt-get install chromium), or write the brief as .html or .md instead.`,
    );
  }
  const { chromium } = await import('playwright-core');
  let browser: Awaited<ReturnType<typeof chromium.launch>>;
  try {
    browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS] });
  } catch (err) {
    throw new PdfUnavailableError(
      `Chromium at ${executablePath} could not be started (${err instanceof Error ? err.message.split('\n')[0] : String(err)}). Write the brief as .html or .md instead, or check the Chromium installation.`,
    );
  }
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    await context.route('**/*', (route) => route.abort());
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    const small = 'font-family:Helvetica,Arial,sans-serif;font-size:7.5pt;color:#57606a;width:100%;padding:0 14mm;';
    await page.pdf({
      path,
      format: 'A4',
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: markup`<div style="${small}text-align:right">${options.title ?? ''}</div>`.toString(),
      footerTemplate:
        markup`<div style="${small}text-align:center">Page <span class="pageNumber"></span> of <span class="totalPages"></span></div>`.toString(),
      margin: { top: '16mm', bottom: '16mm', left: '14mm', right: '14mm' },
    });
  } finally {
    await browser.close();
  }
};
