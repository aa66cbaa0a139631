/**
 * `proviso brief` in all three formats through the CLI, the demo's HTML brief, byte-stable
 * HTML, and the PDF path's message when Chromium is missing.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openSqliteLedgerStore } from '../../src/adapters/sqlite/sqlite-ledger-store.ts';
import { briefCommand } from '../../src/cli/brief-command.ts';
import type { Effects } from '../../src/cli/effects.ts';
import { printPdf } from '../../src/report/pdf-brief.ts';
import { makeTempDir, REFERENCE_CASE, REPO_ROOT, runCli } from '../support/cli-harness.ts';
import { CHROMIUM_SKIP } from './chromium.ts';

describe('proviso brief', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  before(() => {
    tmp = makeTempDir();
  });
  after(() => tmp.cleanup());

  it('writes a self-contained HTML brief, byte-identical on a second run', async () => {
    const args = ['brief', REFERENCE_CASE, '--as-of', '2023-03-03', '--since', '2022-01-01'];
    const r1 = await runCli([...args, '--out', 'a.html'], tmp.dir);
    assert.equal(r1.code, 0, r1.stderr);
    assert.match(r1.stdout, /HTML brief written to a\.html/);
    const r2 = await runCli([...args, '--out', 'b.html'], tmp.dir);
    assert.equal(r2.code, 0, r2.stderr);
    const html = readFileSync(join(tmp.dir, 'a.html'), 'utf8');
    assert.equal(html, readFileSync(join(tmp.dir, 'b.html'), 'utf8'));
    assert.match(html, /<h2>Bottom line<\/h2>/);
    assert.match(html, /<h2>What changed since 2022-01-01<\/h2>/);
    assert.match(html, /Locked: .*F-16 sustainment package for Pakistan \(USD 450M\).* — because these benchmarks are not met/);
    assert.doesNotMatch(html, /<script|<link|src="http|url\(http|@import/i, 'nothing external, nothing executable');
  });

  it('shows the issue-area matrix and, from the case data, the convergence and aid charts', async () => {
    const r = await runCli(['brief', REFERENCE_CASE, '--as-of', '2023-03-03', '--out', 'c.html'], tmp.dir);
    assert.equal(r.code, 0, r.stderr);
    const html = readFileSync(join(tmp.dir, 'c.html'), 'utf8');
    assert.match(html, /<h2>Issue areas: where interests converge<\/h2><table class="board matrix issues">/);
    assert.match(html, /Of \d+ issue areas?, interests (align|diverge|are unknown) on \d+ \(/);
    assert.match(html, /<h2>Convergence and structural series<\/h2><figure class="chart" id="fig-series1">/);
    assert.match(html, /<b>Figure \d+\. UN General Assembly voting coincidence\.<\/b> USA–PAK against USA–IND/);
    // As known on 2023-03-03: the reports for 2018–2021 (the 2022 report was due by 2023-03-31).
    assert.match(
      html,
      /<li>USA–PAK \(Pakistan&#39;s UN General Assembly voting coincidence with the US\): 2018 0\.21; 2019 0\.26; 2020 0\.26; 2021 0\.33\.<\/li>/,
    );
    assert.match(html, /<b>Figure \d+\. US aid obligations to Pakistan \(constant dollars\)\.<\/b>/);
  });

  it('still writes Markdown, with the status timeline and the justification matrix as tables', async () => {
    const r = await runCli(['brief', REFERENCE_CASE, '--as-of', '2023-03-03', '--out', 'b.md'], tmp.dir);
    assert.equal(r.code, 0, r.stderr);
    const md = readFileSync(join(tmp.dir, 'b.md'), 'utf8');
    assert.match(md, /## Bottom line/);
    // Eight years of monthly steps in at most 12 columns: one per run of months in which no benchmark changed.
    assert.match(
      md,
      /\| Benchmark \| 2015-03 – \d{4}-\d{2} \| (.+ \| )?\d{4}-\d{2} – 2023-03 \| Evidence for the latest changes \|/,
    );
    // Every benchmark has a row of status codes (the statuses themselves follow the reference
    // case's evidence; status-specific behaviour is tested on small cases in src/report).
    const timeline = md.split('## Status timeline')[1]?.split('\n## ')[0] ?? '';
    for (const id of ['let-chief-in-custody', 'let-jem-leaders-imprisoned', 'no-attacks-on-india']) {
      const row = timeline.split('\n').find((l) => l.includes(`(\`${id}\`)`));
      assert.ok(row, id);
      const cells = row.split(' | ').slice(1, -1);
      assert.ok(cells.length >= 2 && cells.length <= 12, `${id}: ${cells.length} columns`);
      for (const cell of cells) assert.match(cell, /^([MPNRU?·](\\\*)?)(→[MPNRU?·](\\\*)?)*$/, `${id}: ${cell}`);
    }
    assert.match(md, /Codes: M met; (.*; )?N not met; .*\? unknown/);
    // The benchmark board says what each status rests on.
    assert.match(md, /\| Benchmark \| Status \| Rests on \| Since \| Flags \| Evidence items \| Best grade \| Citations \|/);
    assert.match(
      md,
      /What each status rests on:\n\n- LeT chief Hafiz Saeed [^\n]*\(`let-chief-in-custody`\): (met|pending|not met|reversed|unknown|unverified|holding, not yet long enough) — /,
    );
    assert.match(
      md,
      /## Justifications against interests\n\n\| Justification \| #1 \| #2 \| #3 \| #4 \| #5 \| #6 \| Verdict \| Deciding reason \| Citations \|/,
    );
    assert.match(
      md,
      /\| F-16 sustainment helps Pakistan support US counter-terrorism \(`f16-ct-support`\), for F-16 sustainment package for Pakistan \| HARMS \| HARMS \| serves \| · \| · \| · \| UNCONVINCING \| unconvincing: f16-sustainment harms indo-pacific-balance \(rank 1\)[^|]*\| \[\d+\]\(#c\d+\)/,
    );
    assert.match(
      md,
      /Interests by rank \(1 matters most\): #1 Balancing China in the Indo-Pacific; #2 Strategic partnership with India;/,
    );
    // Every citation link in the Markdown has its anchor.
    const anchors = new Set([...md.matchAll(/<a id="(c\d+)"><\/a>/g)].map((m) => m[1]));
    const links = [...md.matchAll(/\]\(#(c\d+)\)/g)].map((m) => m[1]);
    assert.ok(links.length > 20);
    assert.deepEqual(
      links.filter((l) => !anchors.has(l)),
      [],
    );
  });

  it('refuses other extensions as a usage error', async () => {
    const r = await runCli(['brief', REFERENCE_CASE, '--out', 'b.docx'], tmp.dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /\.html, \.pdf or \.md/);
  });

  it('demo writes the HTML brief too and says where', async () => {
    const r = await runCli(['demo'], tmp.dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /HTML brief as of 2023-03-03 written to out\/us-pakistan-brief-2023-03-03\.html/);
    assert.ok(existsSync(join(tmp.dir, 'out', 'us-pakistan-brief-2023-03-03.html')));
  });

  it('without Chromium, the PDF path fails with what to do next', async () => {
    let stderr = '';
    const effects: Effects = {
      stdout: () => {},
      stderr: (t) => {
        stderr += t;
      },
      today: () => '2026-11-28',
      cwd: tmp.dir,
      openLedger: (p) => openSqliteLedgerStore(p),
      writeFile: async () => {},
      packageRoot: REPO_ROOT,
    };
    await assert.rejects(
      briefCommand(
        REFERENCE_CASE,
        { out: 'x.pdf', asOf: '2023-03-03' },
        effects,
        async () => (html, path) => printPdf(html, path, { executablePath: '/nonexistent/chromium' }),
      ),
      (err: Error & { exitCode?: number }) =>
        err.exitCode === 1 &&
        /need Chromium at \/nonexistent\/chromium.*apt-get install chromium.*\.html or \.md/.test(err.message),
    );
    assert.equal(stderr, '');
  });

  it('writes a PDF with Chromium', { skip: CHROMIUM_SKIP }, async () => {
    const r = await runCli(['brief', REFERENCE_CASE, '--as-of', '2023-03-03', '--out', 'pdf/b.pdf'], tmp.dir);
    assert.equal(r.code, 0, r.stderr);
    const pdf = readFileSync(join(tmp.dir, 'pdf', 'b.pdf'));
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
  });
});
