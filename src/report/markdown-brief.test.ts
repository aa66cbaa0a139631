import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeMarkdown, renderMarkdownBrief, safeUrl } from './markdown-brief.ts';

describe('Markdown escaping of untrusted text', () => {
  it('neutralises HTML, links, emphasis and table pipes', () => {
    assert.equal(escapeMarkdown('<script>alert(1)</script>'), '&lt;script&gt;alert(1)&lt;/script&gt;');
    assert.equal(escapeMarkdown('<img src=x onerror=alert(1)>'), '&lt;img src=x onerror=alert(1)&gt;');
    assert.equal(escapeMarkdown('[click](javascript:alert(1))'), '\\[click\\](javascript:alert(1))');
    assert.equal(escapeMarkdown('a | b *c* _d_ `e`'), 'a \\| b \\*c\\* \\_d\\_ \\`e\\`');
    assert.equal(escapeMarkdown('&amp; &lt;'), '&amp;amp; &amp;lt;');
    assert.equal(escapeMarkdown('# heading'), '\\# heading');
    assert.equal(escapeMarkdown('1. item'), '1\\. item');
    assert.equal(escapeMarkdown('line one\nline two'), 'line one line two');
  });

  it('turns only http(s) URLs into links', () => {
    assert.equal(safeUrl('javascript:alert(1)'), undefined);
    assert.equal(safeUrl('data:text/html,<script>'), undefined);
    assert.equal(safeUrl('not a url'), undefined);
    assert.equal(safeUrl('https://example.org/a (b)'), 'https://example.org/a%20%28b%29');
  });

  it('renders a hostile evidence entry as inert text in the citations', () => {
    const md = renderMarkdownBrief({
      title: 'T',
      asOf: '2023-03-03',
      digest: 'sha256:x',
      bottomLine: [{ text: 'Bottom <b>line</b>', cites: [1] }],
      gates: [],
      benchmarks: [],
      justifications: [],
      changes: undefined,
      since: undefined,
      citations: [
        {
          n: 1,
          grade: 'B2',
          evidence: {
            id: 'e1',
            kind: 'arrest',
            actors: [],
            description: '<script>alert("x")</script> [x](javascript:alert(1))',
            occurred: '2020-01-01',
            occurredTo: '2020-01-01',
            reported: '2020-01-01',
            recorded: '2020-01-01',
            tags: [],
            sources: [
              {
                publisher: '<i>P</i>',
                title: 'T" onerror="x',
                date: '2020',
                url: 'javascript:alert(1)',
                reliability: 'B',
                credibility: 2,
              },
            ],
          },
        },
      ],
    });
    assert.ok(!md.includes('<script>'));
    assert.ok(!md.includes('<i>'));
    assert.doesNotMatch(md, /(?<!\\)\]\(javascript:/);
    assert.ok(md.includes('&lt;script&gt;'));
  });
});
