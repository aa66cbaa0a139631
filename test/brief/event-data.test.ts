/// <reference lib="dom" />
/**
 * Event data in the brief. The demo loads no GDELT, so the reference brief says the event
 * indicator has no data (a missing input, not a quiet year). With the real GDELT samples
 * of ../shared/data/gdelt/ ingested into the store, the brief charts the indicator by
 * month: months the samples cover show their totals (zero for the reference filter, which
 * nothing in the samples matches), the rest are marked as having no data; with a filter
 * the samples do match, the monthly totals equal the store's daily aggregates known by
 * the brief's date. The chart renders in Chromium as an accessible SVG figure.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadCase } from '../../src/adapters/case-files/load-case.ts';
import { openEventStoreIfPresent } from '../../src/adapters/duckdb/open-event-store-if-present.ts';
import { openSqliteLedgerStore } from '../../src/adapters/sqlite/sqlite-ledger-store.ts';
import type { Effects } from '../../src/cli/effects.ts';
import { loadSeriesInputs } from '../../src/cli/series-inputs.ts';
import type { Case, SeriesIndicator } from '../../src/core/case-model.ts';
import { buildFullBrief } from '../../src/report/full-brief.ts';
import { renderBriefCharts, renderHtmlBrief } from '../../src/report/html-brief.ts';
import { renderMarkdownBrief } from '../../src/report/markdown-brief.ts';
import { makeTempDir, REFERENCE_CASE, REPO_ROOT, runCli } from '../support/cli-harness.ts';
import { SHARED_DATA } from '../support/shared-data.ts';
import { CHROMIUM_SKIP, launchChromium, openHtml } from './chromium.ts';

const GDELT_DIR = join(SHARED_DATA, 'gdelt');
const SAMPLES = [
  'spark-gdelt_events_v1_mixed_57_58col.tsv',
  'spark-gdelt_events_v2_export_20150218230000+20200318104500.tsv',
  'spark-gdelt_events_v2_translingual_20150218224500+20200318103000.tsv',
].map((f) => join(GDELT_DIR, f));
const EVENT_INDICATOR = 'militant_conflict_vs_india';

function effectsFor(cwd: string): Effects {
  return {
    stdout: () => {},
    stderr: () => {},
    today: () => '2026-11-28',
    cwd,
    openLedger: (p) => openSqliteLedgerStore(p),
    openEventStore: (dir) => openEventStoreIfPresent(dir, join(REPO_ROOT, 'data', 'cameo')),
    writeFile: async () => {},
    packageRoot: REPO_ROOT,
  };
}

/** The reference case with its event indicator reading material- and verbal-cooperation events of any actors instead. */
function withBroadFilter(c: Case): Case {
  return {
    ...c,
    indicators: c.indicators.map((i) =>
      i.id === EVENT_INDICATOR && i.kind === 'series'
        ? ({
            ...i,
            title: 'Cooperation events, any actors (GDELT samples)',
            source: {
              store: 'events',
              actor1: [],
              actor2: [],
              either: false,
              rootCodes: [],
              quadClasses: [1, 2],
              measure: 'count',
            },
          } satisfies SeriesIndicator)
        : i,
    ),
  };
}

describe('event data in the brief', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let store: string;
  before(async () => {
    tmp = makeTempDir();
    store = join(tmp.dir, 'store');
    const r = await runCli(['ingest', ...SAMPLES, '--store', store], tmp.dir);
    assert.equal(r.code, 0, r.stderr);
  });
  after(() => tmp.cleanup());

  it('without event data (as in the demo), says the input is missing instead of charting it', async () => {
    const r = await runCli(
      ['brief', REFERENCE_CASE, '--as-of', '2023-03-03', '--store', join(tmp.dir, 'empty'), '--out', 'a.html'],
      tmp.dir,
    );
    assert.equal(r.code, 0, r.stderr);
    const html = readFileSync(join(tmp.dir, 'a.html'), 'utf8');
    assert.match(
      html,
      /<h2>Event data<\/h2><p class="note"><b>Material-conflict events by Pakistan-based militant actors against India, trailing 12 months \(GDELT\)<\/b>: no event data loaded/,
    );
    assert.doesNotMatch(html, /id="fig-events/);
    const md = await runCli(
      ['brief', REFERENCE_CASE, '--as-of', '2023-03-03', '--store', join(tmp.dir, 'empty'), '--out', 'a.md'],
      tmp.dir,
    );
    assert.equal(md.code, 0, md.stderr);
    assert.match(
      readFileSync(join(tmp.dir, 'a.md'), 'utf8'),
      /## Event data: .*\n\nNo event data loaded, so this input is missing/,
    );
  });

  it('with the GDELT samples ingested, charts the reference indicator: zero in covered months, no data elsewhere', async () => {
    const r = await runCli(['brief', REFERENCE_CASE, '--as-of', '2023-03-03', '--store', store, '--out', 'b.html'], tmp.dir);
    assert.equal(r.code, 0, r.stderr);
    const html = readFileSync(join(tmp.dir, 'b.html'), 'utf8');
    assert.match(
      html,
      /<h2>Event data<\/h2><figure class="chart" id="fig-events1"><svg role="img" aria-label="Material-conflict events/,
    );
    // The GDELT 2.0 samples were added on 2015-02-18 and 2020-03-18 (the 1.0 sample on a few
    // more days); nothing in them matches the filter, and nothing covers 2021–2023.
    assert.match(html, /<li>2015-02: 0 events\.<\/li>/);
    assert.match(html, /<li>2020-03: 0 events\.<\/li>/);
    assert.match(html, /<li>No event data loaded for [^<]*, 2020-0\d – 2023-03\.<\/li>/);
    assert.match(html, /Grey months have no loaded data \(not zero events\)\./);
  });

  it('with a filter the samples match, charts the monthly totals the store holds as of the date', async () => {
    const loaded = await loadCase(REFERENCE_CASE);
    if (!loaded.ok) throw new Error('the reference case is invalid');
    const c = withBroadFilter(loaded.case);
    const effects = effectsFor(tmp.dir);
    const inputs = await loadSeriesInputs(c, store, effects);
    const events = await effects.openEventStore?.(store);
    assert.ok(events);
    const daily = await events.dailyAggregates({ quadClasses: [1, 2] });
    await events.close();
    for (const asOf of ['2020-03-17', '2020-12-31']) {
      const model = buildFullBrief(c, loaded.evidence, asOf, undefined, inputs);
      const s = model.eventSeries?.find((x) => x.indicator === EVENT_INDICATOR);
      assert.ok(s?.loaded);
      const expected = new Map<string, number>();
      for (const d of daily) {
        if (d.knownAt > asOf || d.date > asOf) continue;
        expected.set(d.date.slice(0, 7), (expected.get(d.date.slice(0, 7)) ?? 0) + d.count);
      }
      const shown = new Map(s.months.filter((m) => m.value !== null && m.value > 0).map((m) => [m.month, m.value]));
      // Months before the chart's reach (ten years) are left out of both.
      const reach = s.months[0]?.month ?? '';
      assert.deepEqual(shown, new Map([...expected].filter(([m]) => m >= reach).sort()));
      assert.ok(shown.size > 0, 'the samples give some cooperation events');
      assert.ok(s.cites.length > 0, 'the plotted points are cited');
      if (asOf === '2020-03-17')
        assert.equal(shown.get('2020-03'), expected.get('2020-03'), 'events added on 2020-03-18 are not yet known');
      const html = renderHtmlBrief(model);
      assert.match(html, /<figure class="chart" id="fig-events1">/);
      assert.match(html, /Sources for this chart: <sup class="cite">/);
      const md = renderMarkdownBrief(model);
      const first = [...shown][0] as [string, number];
      assert.match(
        md,
        new RegExp(
          `## Event data: Cooperation events, any actors \\(GDELT samples\\)\\n\\nEvents per month .*${first[0]}: ${first[1]}`,
        ),
      );
    }
  });

  it('renders the event chart in Chromium as an accessible figure', { skip: CHROMIUM_SKIP }, async () => {
    const loaded = await loadCase(REFERENCE_CASE);
    if (!loaded.ok) throw new Error('the reference case is invalid');
    const c = withBroadFilter(loaded.case);
    const inputs = await loadSeriesInputs(c, store, effectsFor(tmp.dir));
    const model = buildFullBrief(c, loaded.evidence, '2020-12-31', undefined, inputs);
    assert.equal(renderBriefCharts(model).filter((f) => f.id.startsWith('fig-events')).length, 1);
    const browser = await launchChromium();
    try {
      const { page, requests, consoleErrors } = await openHtml(browser, renderHtmlBrief(model));
      const fig = await page.evaluate(() => {
        const f = document.getElementById('fig-events1');
        const svg = f?.querySelector('svg[role="img"]');
        return {
          label: svg?.getAttribute('aria-label') ?? '',
          width: svg?.getBoundingClientRect().width ?? 0,
          bars: f?.querySelectorAll('svg path').length ?? 0,
          text: svg?.textContent ?? '',
        };
      });
      assert.deepEqual(requests, []);
      assert.deepEqual(consoleErrors, []);
      assert.match(fig.label, /^Cooperation events, any actors \(GDELT samples\)\. Events per month/);
      assert.ok(fig.width > 300 && fig.bars > 10, 'drawn at a readable size');
      assert.match(fig.text, /Events per month/, 'the value axis is named');
      assert.match(fig.text, /Month of the event/, 'the time axis is named');
    } finally {
      await browser.close();
    }
  });
});
