import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normaliseSvg, renderSvgChart } from './charts/render-svg.ts';
import { citeRefs, escapeHtml } from './html-brief.ts';

describe('HTML brief helpers', () => {
  it('escapes the five HTML-significant characters', () => {
    assert.equal(
      escapeHtml(`<a href="x" onclick='y'>&amp;</a>`),
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
  });

  it('links citations, compressing runs to linked ends', () => {
    assert.equal(citeRefs([]), '');
    assert.equal(
      citeRefs([1, 2, 3, 5, 7, 8]),
      '<sup class="cite">[<a href="#c1">1</a>–<a href="#c3">3</a>, <a href="#c5">5</a>, <a href="#c7">7</a>, <a href="#c8">8</a>]</sup>',
    );
  });
});

describe('ECharts SVG output', () => {
  const option = {
    title: { text: 'T <b>' },
    xAxis: { type: 'category', data: ['a', 'b'] },
    yAxis: { type: 'value' },
    series: [{ type: 'bar', data: [1, 2] }],
  };

  it('is byte-identical across renders and free of process-wide ids', () => {
    const a = renderSvgChart(option, { width: 400, height: 200 }, 'fig-x');
    const b = renderSvgChart(option, { width: 400, height: 200 }, 'fig-x');
    assert.equal(a, b);
    assert.doesNotMatch(a, /zr\d+-/);
    assert.doesNotMatch(a, /<style|ecmeta_|class="/);
    assert.match(a, /T &lt;b&gt;/);
  });

  it('renumbers ids locally under the chart id', () => {
    const svg = '<g clip-path="url(#zr7-c3)"></g><clipPath id="zr7-c3"></clipPath><clipPath id="zr7-c9"></clipPath>';
    assert.equal(
      normaliseSvg(svg, 'f'),
      '<g clip-path="url(#f-c0)"></g><clipPath id="f-c0"></clipPath><clipPath id="f-c1"></clipPath>',
    );
  });
});
