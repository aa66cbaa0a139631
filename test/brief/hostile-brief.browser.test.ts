/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Untrusted text through every field of a brief: case, interest, instrument, benchmark,
 * indicator and justification titles, evidence kinds, descriptions, notes, units, source
 * publishers, titles, dates and URLs, and an event-data indicator's title, actor codes and
 * dataset. Checked in Chromium with JavaScript enabled, both
 * with the page's Content-Security-Policy and with it removed (so escaping alone is
 * tested): nothing runs, nothing loads, no dialog opens, and the text shows literally.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { assess } from '../../src/core/assess.ts';
import { history } from '../../src/core/history.ts';
import { seriesEvidence } from '../../src/core/series.ts';
import { type BriefModel, buildBriefModel } from '../../src/report/brief-model.ts';
import { renderHtmlBrief } from '../../src/report/html-brief.ts';
import { renderMarkdownBrief } from '../../src/report/markdown-brief.ts';
import { actor, benchmark, custodyIndicator, evidence, makeCase, parseDuration, source } from '../support/builders.ts';
import { artifactPath, CHROMIUM_SKIP, launchChromium, openHtml } from './chromium.ts';

/** A payload per field, so a failure names the field that leaked. */
const P = (field: string) =>
  `<script>window.__pwned='${field}'</script><img src=x onerror="window.__pwned='${field}'"><svg onload="alert('${field}')"></svg> &lt;b&gt;&amp; "' ${field}`;

function hostileModel(): BriefModel {
  const c = makeCase({
    actors: [
      actor('principal', { kind: 'state', name: P('principal-name') }),
      actor('counterpart', { kind: 'state', name: P('counterpart-name') }),
      actor('leader'),
    ],
    interests: [{ id: 'first', title: P('interest'), rank: 1, weight: 1 }],
    instruments: [
      {
        id: 'sale',
        title: P('instrument'),
        tier: 3,
        amount: 5_000_000,
        currency: 'USD',
        effects: [{ interest: 'first', direction: 'harms', rationale: P('rationale'), evidence: ['e-arrest'] }],
      },
    ],
    indicators: [
      custodyIndicator({ title: P('custody-indicator') }),
      { id: 'progress', title: P('indicator'), kind: 'latest', filter: { kinds: ['progress'], actors: [] }, field: 'value' },
      {
        id: 'clashes',
        title: P('event-indicator'),
        kind: 'series',
        filter: { kinds: [], actors: [] },
        source: {
          store: 'events',
          actor1: [P('actor-code')],
          actor2: [],
          either: false,
          rootCodes: [],
          quadClasses: [4],
          measure: 'count',
        },
        aggregate: 'sum',
        window: parseDuration('P12M'),
        dataset: { publisher: P('dataset-publisher'), title: P('dataset-title'), date: '2015' },
        reliability: 'C',
        credibility: 4,
      },
    ],
    benchmarks: [benchmark({ title: P('benchmark') })],
    gates: [{ instrument: 'sale', rule: { kind: 'all', benchmarks: ['custody'] } }],
    justifications: [
      {
        id: 'j',
        instrument: 'sale',
        title: P('justification'),
        claim: P('claim'),
        claimedBy: P('claimed-by'),
        serves: ['first'],
        evidenceFor: ['e-aid'],
        evidenceAgainst: ['e-arrest'],
      },
    ],
  });
  const hostileSource = (field: string, url: string) =>
    source({ publisher: P(`${field}-publisher`), title: P(`${field}-title`), date: P(`${field}-date`), url });
  const ledger = [
    evidence('e-arrest', 'arrest', '2020-01-10', {
      description: P('description'),
      note: P('note'),
      sources: [
        hostileSource('s1', 'javascript:window.__pwned="url"'),
        hostileSource('s2', 'https://example.org/a"onmouseover="x'),
      ],
    }),
    evidence('e-release', 'release', '2021-03-01', {
      sources: [hostileSource('s3', 'data:text/html,<script>alert(1)</script>')],
    }),
    evidence('e-aid', 'aid-obligation', '2020-06-01', { amount: 1_000_000, currency: 'USD', description: P('aid-description') }),
    evidence('e-odd-kind', `<img src=x onerror=alert('kind')>`, '2020-07-01', { amount: 2_000_000, currency: 'USD' }),
    // What the principal did (a departure: the gate is locked), as a sale the counterpart pays for.
    evidence('e-notify', 'arms-sale-notification', '2021-06-01', {
      description: P('notification'),
      amount: 5_000_000,
      currency: 'USD',
      action: { instrument: 'sale', kind: 'notified' },
      flow: { kind: 'sale', payer: 'counterpart', payee: 'principal' },
    }),
    // An assertion of a flow: left out of the money, counted as left out.
    evidence('e-claim', 'aid-claim', '2021-07-01', {
      amount: 9_000_000,
      currency: 'USD',
      claim: 'analysis',
      flow: { kind: 'aid', payer: 'principal', payee: 'counterpart' },
    }),
    evidence('e-p1', 'progress', '2020-02-01', { quantity: { value: 3, of: 10, unit: P('unit') } }),
    evidence('e-p2', 'progress', '2021-02-01', { quantity: { value: 7, of: 10, unit: P('unit') } }),
  ];
  // Event data for the events indicator, as the event store would give it.
  const series = new Map([
    [
      'clashes',
      [
        { date: '2020-03-01', knownAt: '2020-03-02', value: 4 },
        { date: '2021-05-10', knownAt: '2021-05-10', value: 2 },
      ],
    ],
  ]);
  const coverage = new Map([['clashes', [{ from: '2020-01-01', to: '2021-06-30' }]]]);
  const inputs = { series, coverage };
  const a = assess(c, ledger, '2022-01-01', inputs);
  const model = buildBriefModel({ ...c, title: P('case-title') }, a, [...ledger, ...seriesEvidence(c, series).items], {
    timeline: history(c, ledger, '2019-01-01', '2022-01-01', 'month', inputs),
    changes: history(c, ledger, '2020-01-01', '2022-01-01', 'month', inputs),
    since: '2020-01-01',
    coverage,
  });
  assert.equal(model.eventSeries?.[0]?.loaded, true, 'the event chart is part of the hostile brief');
  assert.equal(model.gates[0]?.departure, 'acted-while-locked', 'the departure, the path to unlock and the money are in it');
  assert.ok(model.gates[0]?.unlock !== null && model.money?.entries.length === 1);
  return model;
}

describe('hostile text in the HTML brief', () => {
  const model = hostileModel();
  const html = renderHtmlBrief(model);

  it('leaves no markup from untrusted text in the file', () => {
    assert.equal((html.match(/<script/gi) ?? []).length, 0);
    assert.doesNotMatch(html, /<img/i);
    assert.doesNotMatch(html, /<svg onload/i, 'no raw element from the data (attributes are checked in the browser)');
    assert.doesNotMatch(html, /href="(?!https?:|#)/, 'only http(s) and in-page links');
    assert.match(html, /&lt;script&gt;window.__pwned=&#39;description&#39;&lt;\/script&gt;/);
    assert.match(html, /&amp;lt;b&amp;gt;&amp;amp;/, 'entities are shown, not decoded');
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="[^"]*script-src 'none'/);
  });

  describe('in Chromium', { skip: CHROMIUM_SKIP }, () => {
    let browser: Browser;
    before(async () => {
      browser = await launchChromium();
    });
    after(async () => {
      await browser?.close();
    });

    for (const variant of ['with its CSP', 'with the CSP removed (escaping alone)'] as const) {
      it(`runs nothing and loads nothing, ${variant}`, async () => {
        const page_html =
          variant === 'with its CSP' ? html : html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
        const { page, requests, dialogs, consoleErrors } = await openHtml(browser, page_html);
        await page.waitForTimeout(100);
        if (variant === 'with its CSP') await page.screenshot({ path: artifactPath('hostile-brief.png'), fullPage: true });
        const state = await page.evaluate(() => ({
          pwned: (window as unknown as { __pwned?: unknown }).__pwned,
          scripts: document.querySelectorAll('script, img, iframe, object, embed, foreignObject').length,
          handlers: [...document.querySelectorAll('*')].flatMap((el) =>
            [...el.attributes].filter((a) => a.name.startsWith('on')).map((a) => `${el.tagName}.${a.name}`),
          ),
          badLinks: [...document.querySelectorAll('a[href]')]
            .map((a) => a.getAttribute('href') ?? '')
            .filter((h) => !/^(https?:|#)/.test(h)),
          text: document.body.textContent ?? '',
        }));
        assert.equal(state.pwned, undefined);
        assert.deepEqual(dialogs, []);
        assert.deepEqual(requests, []);
        assert.deepEqual(consoleErrors, []);
        assert.equal(state.scripts, 0);
        assert.deepEqual(state.handlers, []);
        assert.deepEqual(state.badLinks, []);
        for (const field of [
          'case-title',
          'benchmark',
          'instrument',
          'justification',
          'description',
          's1-publisher',
          'note',
          'event-indicator',
          'dataset-publisher',
          'notification',
          'counterpart-name',
          'principal-name',
          'claimed-by',
        ]) {
          assert.ok(state.text.includes(`<script>window.__pwned='${field}'</script>`), `${field} is shown as text`);
        }
        assert.ok(state.text.includes('&lt;b&gt;&amp;'), 'an entity in the data is shown as typed');
      });
    }
  });

  it('the Markdown brief of the same model carries no raw markup either', () => {
    const md = renderMarkdownBrief(model);
    assert.doesNotMatch(md, /<script|<img|<svg/i);
    assert.doesNotMatch(md, /\]\((?!https?:|#)/, 'only http(s) and in-page links');
  });
});
