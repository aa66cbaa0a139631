/**
 * The brief's issue-area matrix and structural-series charts: present with issue areas and
 * loaded series, absent (and no crash) without them; only points known as of the brief's
 * date are drawn; series of one measure for several dyads share one chart.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evidence, makeCase, source } from '../../test/support/builders.ts';
import { assess } from '../core/assess.ts';
import type { Case, SeriesIndicator } from '../core/case-model.ts';
import { type SeriesInputs, seriesEvidence } from '../core/series.ts';
import { type BriefModel, buildBriefModel } from './brief-model.ts';
import { renderBriefCharts, renderHtmlBrief } from './html-brief.ts';
import { renderMarkdownBrief } from './markdown-brief.ts';

function coincidence(id: string, b: string): SeriesIndicator {
  return {
    id,
    title: `Coincidence USA–${b}`,
    kind: 'series',
    filter: { kinds: [], actors: [] },
    source: { store: 'series', measure: 'coincidence', dyad: ['USA', b] },
    aggregate: 'latest',
    dataset: { publisher: 'US Department of State', title: 'Voting Practices', date: '2024' },
    reliability: 'A',
    credibility: 2,
  };
}

const base = makeCase();
const c: Case = {
  ...base,
  interests: [{ id: 'ct', title: 'Counter-terrorism <b>', rank: 1, weight: 1 }],
  instruments: [
    { id: 'dialogue', title: 'Dialogue', tier: 1, effects: [] },
    { id: 'aid', title: 'Security aid', tier: 3, effects: [] },
  ],
  indicators: [...base.indicators, coincidence('pak', 'PAK'), coincidence('ind', 'IND')],
  issueAreas: [
    {
      id: 'talks',
      title: 'Peace talks',
      principalInterest: 'ct',
      principalPosition: 'A negotiated settlement.',
      evidence: { aligned: ['ev-help'], opposed: [] },
      instruments: ['dialogue'],
    },
    {
      id: 'havens',
      title: 'Safe havens',
      principalInterest: 'ct',
      principalPosition: 'No safe havens.',
      evidence: { aligned: [], opposed: ['ev-haven'] },
      instruments: ['dialogue', 'aid'],
    },
  ],
};
const ledger = [
  evidence('ev-help', 'cooperation', '2020-01-01', { sources: [source({ reliability: 'A', credibility: 1 })] }),
  evidence('ev-haven', 'support-for-militants', '2020-02-01', { sources: [source({ reliability: 'B', credibility: 2 })] }),
];
const series: SeriesInputs = new Map([
  [
    'pak',
    [
      { date: '2018-12-31', knownAt: '2019-03-31', value: 0.21 },
      { date: '2019-12-31', knownAt: '2020-03-31', value: 0.26 },
      { date: '2020-12-31', knownAt: '2021-03-31', value: 0.26 },
    ],
  ],
  [
    'ind',
    [
      { date: '2018-12-31', knownAt: '2019-03-31', value: 0.25 },
      { date: '2019-12-31', knownAt: '2020-03-31', value: 0.27 },
      { date: '2020-12-31', knownAt: '2021-03-31', value: 0.29 },
    ],
  ],
]);

function brief(theCase: Case, asOf: string, inputs?: SeriesInputs): BriefModel {
  const a = assess(theCase, ledger, asOf, inputs === undefined ? {} : { series: inputs });
  return buildBriefModel(theCase, a, [...ledger, ...seriesEvidence(theCase, inputs).items]);
}

describe('issue areas in the brief', () => {
  it('shows a matrix of areas with their computed convergence, the instruments each could justify and citations', () => {
    const m = brief(c, '2020-06-01', series);
    assert.deepEqual(
      m.issueAreas?.rows.map((r) => [r.id, r.convergence, r.marks]),
      [
        ['talks', 'align', ['justifies', 'none']],
        ['havens', 'diverge', ['withheld', 'withheld']],
      ],
    );
    const html = renderHtmlBrief(m);
    assert.match(html, /<h2>Issue areas: where interests converge<\/h2>/);
    assert.match(html, /<b>1 of 2<\/b> issue areas aligned/);
    const table = html.slice(html.indexOf('<table class="board matrix issues">'));
    const talks = table.slice(table.indexOf('Peace talks'), table.indexOf('Safe havens'));
    assert.match(talks, /badge ok">align</);
    assert.match(talks, /Dialogue<\/span> <span class="rule">justified/);
    assert.match(talks, /href="#c\d+"/, 'the evidence is cited');
    assert.match(html, /Counter-terrorism &lt;b&gt;/, 'case text is escaped');
    // The bottom line keeps to the instruments; the areas are counted in the key figures above it.
    assert.doesNotMatch(m.bottomLine.map((s) => s.text).join(' '), /Peace talks|Safe havens/);
    const md = renderMarkdownBrief(m);
    assert.match(md, /## Issue areas: where interests converge/);
    assert.match(md, /\| Safe havens \(`havens`\) \| .* \| DIVERGE \| Dialogue \(not now\); Security aid \(not now\) \|/);
  });

  it('leaves the matrix out for a case without issue areas', () => {
    const { issueAreas: _, ...without } = c;
    const m = brief(without, '2020-06-01');
    assert.equal(m.issueAreas, undefined);
    assert.doesNotMatch(renderHtmlBrief(m), /Issue areas/);
  });
});

describe('structural series in the brief', () => {
  it('draws one measure for several dyads in one chart, with only the points known as of the date', () => {
    const m = brief(c, '2020-06-01', series);
    assert.equal(m.structural?.length, 1);
    const chart = m.structural?.[0];
    assert.equal(chart?.title, 'UN General Assembly voting coincidence');
    assert.deepEqual(
      chart?.lines.map((l) => [l.label, l.points.map((p) => p.value)]),
      [
        ['USA–PAK', [0.21, 0.26]],
        ['USA–IND', [0.25, 0.27]],
      ],
      '2020 was not yet published on 2020-06-01',
    );
    const figures = renderBriefCharts(m).filter((f) => f.id.startsWith('fig-series'));
    assert.equal(figures.length, 1);
    assert.deepEqual(figures[0]?.summary, [
      'USA–PAK (Coincidence USA–PAK): 2018 0.21; 2019 0.26.',
      'USA–IND (Coincidence USA–IND): 2018 0.25; 2019 0.27.',
    ]);
    const html = renderHtmlBrief(m);
    assert.match(html, /<h2>Convergence and structural series<\/h2><figure class="chart" id="fig-series1"><svg role="img"/);
    assert.equal(html, renderHtmlBrief(brief(c, '2020-06-01', series)), 'byte-identical');
  });

  it('draws no chart, and does not fail, when no series is loaded', () => {
    const m = brief(c, '2020-06-01');
    assert.equal(m.structural, undefined);
    assert.equal(
      renderBriefCharts(m).some((f) => f.id.startsWith('fig-series')),
      false,
    );
    assert.doesNotMatch(renderHtmlBrief(m), /Convergence and structural series/);
    assert.doesNotMatch(renderMarkdownBrief(m), /voting coincidence/);
  });
});
