import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normaliseSvg, renderSvgChart } from './charts/render-svg.ts';
import { chartSvg, citeRefs } from './html-brief.ts';
import { html, joinMarkup, trustedMarkup } from './markup.ts';

describe('HTML brief helpers', () => {
  it('escapes the five HTML-significant characters', () => {
    assert.equal(
      String(html`<p>${`<a href="x" onclick='y'>&amp;</a>`}</p>`),
      '<p>&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;</p>',
    );
  });

  it('links citations, compressing runs to linked ends', () => {
    assert.equal(String(citeRefs([])), '');
    assert.equal(
      String(citeRefs([1, 2, 3, 5, 7, 8])),
      '<sup class="cite">[<a href="#c1">1</a>–<a href="#c3">3</a>, <a href="#c5">5</a>, <a href="#c7">7</a>, <a href="#c8">8</a>]</sup>',
    );
  });
});

describe('markup', () => {
  it('keeps nested markup, joins arrays, and leaves out false, null and undefined', () => {
    const items = ['a<', 'b&'].map((t) => html`<li>${t}</li>`);
    assert.equal(
      String(html`<ul>${items}</ul>${false}${null}${undefined}${0}|${joinMarkup(['x', html`<br>`, 'y"'], ', ')}`),
      '<ul><li>a&lt;</li><li>b&amp;</li></ul>0|x, <br>, y&quot;',
    );
  });

  it('takes raw markup only when marked as trusted', () => {
    assert.equal(String(html`<p>${'<b>'}${trustedMarkup('<b>', 'a constant tag for this test')}</p>`), '<p>&lt;b&gt;<b></p>');
  });

  it('refuses a Promise: the renderers stay synchronous', () => {
    assert.throws(() => html`<p>${Promise.resolve('late') as never}</p>`, /Promise/);
  });

  it('adds a chart label to the SVG literally, even with $ patterns in it', () => {
    const f = { id: 'f', title: `T $' $& $$ <b>"`, caption: 'C', summary: [], svg: '<svg width="1"><text>x</text></svg>' };
    assert.equal(
      String(chartSvg(f, html`aria-label="${f.title}" `)),
      '<svg aria-label="T $&#39; $&amp; $$ &lt;b&gt;&quot;" width="1"><text>x</text></svg>',
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
