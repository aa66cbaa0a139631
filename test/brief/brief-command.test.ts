/**
 * `proviso brief` in all three formats through the CLI, the demo's HTML brief, byte-stable
 * HTML, and the PDF path's message when Chromium is missing.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadCase } from '../../src/adapters/case-files/load-case.ts';
import { openSqliteLedgerStore } from '../../src/adapters/sqlite/sqlite-ledger-store.ts';
import { briefCommand } from '../../src/cli/brief-command.ts';
import type { Effects } from '../../src/cli/effects.ts';
import { caseStart, timelineStart, timelineStep } from '../../src/report/full-brief.ts';
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
    // The bottom line leads with the departure: the F-16 package notified while its conditions are unmet.
    const bottom = html.slice(
      html.indexOf('<h2>Bottom line</h2>'),
      html.indexOf('</section>', html.indexOf('<h2>Bottom line</h2>')),
    );
    assert.match(
      bottom,
      /<ul class="lines"><li>F-16 sustainment package for Pakistan: not warranted — conditions unmet \(\d of \d benchmarks unmet\); done anyway: notified 2022-09-07; could be warranted from \d{4}-\d{2}-\d{2}\.<sup class="cite">/,
    );
    assert.match(bottom, /<p class="confidence">Confidence: \d+ of \d+ decisions and \d+ of \d+ verdicts /);
    assert.doesNotMatch(html, /<script|<link|src="http|url\(http|@import/i, 'nothing external, nothing executable');
  });

  it('shows the issue-area matrix and, from the case data, the convergence and aid charts', async () => {
    const r = await runCli(['brief', REFERENCE_CASE, '--as-of', '2023-03-03', '--out', 'c.html'], tmp.dir);
    assert.equal(r.code, 0, r.stderr);
    const html = readFileSync(join(tmp.dir, 'c.html'), 'utf8');
    assert.match(html, /<h2>Issue areas: where interests converge<\/h2><table class="board matrix issues">/);
    assert.match(html, /<li><b>\d+ of \d+<\/b> issue areas aligned<\/li>/);
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
    // From the case's start (its first evidence, on the date's monthly grid) to the date, in at
    // most a dozen-odd columns: one per run of periods in which no benchmark changed.
    const loaded = await loadCase(REFERENCE_CASE);
    assert.ok(loaded.ok);
    const start = timelineStart('2023-03-03', undefined, caseStart(loaded.case, loaded.evidence, '2023-03-03'));
    assert.ok(start < '2015-03-03', `the case starts before the old eight-year window: ${start}`);
    // 23 years of a small ledger: quarterly steps (timelineStep keeps the sweep within 130 steps).
    assert.equal(timelineStep(start, '2023-03-03', loaded.evidence.length), 'quarter');
    assert.ok(
      md.includes(`Status of each benchmark at quarterly steps from ${start} to 2023-03-03`),
      'the timeline runs from the case start to the date',
    );
    assert.match(md, new RegExp(`\\| Benchmark \\| ${start.slice(0, 4)}`));
    // Every benchmark has a row of status codes (the statuses themselves follow the reference
    // case's evidence; status-specific behaviour is tested on small cases in src/report).
    const timeline = md.split('## Status timeline')[1]?.split('\n## ')[0] ?? '';
    for (const id of ['let-chief-in-custody', 'let-jem-leaders-imprisoned', 'no-attacks-on-india']) {
      const row = timeline.split('\n').find((l) => l.includes(`(\`${id}\`)`));
      assert.ok(row, id);
      const cells = row.split(' | ').slice(1, -1);
      assert.ok(cells.length >= 2 && cells.length <= 24, `${id}: ${cells.length} columns`);
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
      /\| F-16 sustainment helps Pakistan support US counter-terrorism \(`f16-ct-support`\), for F-16 sustainment package for Pakistan \| HARMS \| HARMS \| serves \| · \| · \| · \| UNCONVINCING \| unconvincing: “F-16 sustainment package for Pakistan” harms “Balancing China in the Indo-Pacific” \(rank 1\)[^|]*\| \[\d+\]\(#c\d+\)/,
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
