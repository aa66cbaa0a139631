import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BriefModel } from './brief-model.ts';
import { type EventSeries, type StatusSpan, type StatusTimeline, tabulateStatusTimeline } from './brief-visuals.ts';
import { escapeMarkdown, renderMarkdownBrief, safeUrl } from './markdown-brief.ts';

const EMPTY: BriefModel = {
  title: 'T',
  principal: null,
  reviewExample: 'a scheduled review',
  asOf: '2023-03-03',
  digest: 'sha256:x',
  bottomLine: [],
  confidence: {
    text: 'Confidence: no decision or verdict is in force.',
    decisions: { total: 0, weak: 0, wholly: 0, fragile: 0 },
    verdicts: { total: 0, weak: 0, wholly: 0, fragile: 0 },
  },
  whatWouldChange: {
    noPaths: 'No instrument is in force on this date: there is nothing to unlock.',
    paths: [],
    fragile: [],
    robust: 0,
    notAssessed: 0,
  },
  gates: [],
  benchmarks: [],
  groups: [],
  justifications: [],
  changes: undefined,
  since: undefined,
  citations: [],
};

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
      ...EMPTY,
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
          laterSources: 0,
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

/** Table rows of a Markdown section, as arrays of trimmed cells. */
function tableRows(md: string, heading: string): string[][] {
  const section = md.split(`## ${heading}\n`)[1]?.split('\n## ')[0] ?? '';
  return section
    .split('\n')
    .filter((l) => l.startsWith('|'))
    .map((l) =>
      l
        .slice(1, -1)
        .split(' | ')
        .map((c) => c.trim()),
    );
}

describe('Markdown status timeline', () => {
  const span = (status: StatusSpan['status'], from: string, to: string, timed = false): StatusSpan => ({
    status,
    from,
    to,
    timed,
  });

  it('gives one column per run of months in which nothing changed, with codes, a legend and citations', () => {
    const statusTimeline: StatusTimeline = {
      from: '2020-01-15',
      to: '2021-01-15',
      step: 'month',
      rows: [
        {
          id: 'custody',
          title: 'Leader in custody',
          spans: [
            span('not-met', '2020-01-15', '2020-04-15'),
            span('pending', '2020-04-15', '2020-10-15', true),
            span('met', '2020-10-15', '2021-01-15', true),
          ],
          cites: [3, 4],
        },
        { id: 'quiet', title: 'No attacks', spans: [span('unknown', '2020-01-15', '2021-01-15')], cites: [] },
      ],
    };
    const md = renderMarkdownBrief({ ...EMPTY, statusTimeline });
    assert.match(
      md,
      /## Status timeline\n\nStatus of each benchmark at monthly steps from 2020-01-15 to 2021-01-15; a column spans/,
    );
    assert.deepEqual(tableRows(md, 'Status timeline'), [
      ['Benchmark', '2020-01 – 2020-03', '2020-04 – 2020-09', '2020-10 – 2021-01', 'Evidence for the latest changes'],
      ['---|:-:|:-:|:-:|---'],
      ['Leader in custody (`custody`)', 'N', 'P\\*', 'M\\*', '[3](#c3) [4](#c4)'],
      ['No attacks (`quiet`)', '?', '?', '?', '—'],
    ]);
    assert.match(
      md,
      /Codes: M met; P pending; N not met; \? unknown; \\\* after a code: flagged timed-to-review \(the status rests on an action taken just before a scheduled review\)/,
    );
  });

  it('falls back to quarters or years when months would need too many columns, listing changes inside a cell in order', () => {
    // A status that flips every month for two years: 24 month columns, 8 quarters.
    const spans: StatusSpan[] = [];
    for (let i = 0; i < 24; i++) {
      const from = `${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`;
      const next = `${2020 + Math.floor((i + 1) / 12)}-${String(((i + 1) % 12) + 1).padStart(2, '0')}-01`;
      spans.push(span(i % 2 === 0 ? 'not-met' : 'reversed', from, i === 23 ? '2021-12-01' : next));
    }
    const statusTimeline: StatusTimeline = {
      from: '2020-01-01',
      to: '2021-12-01',
      step: 'month',
      rows: [{ id: 'b', title: 'Flip', spans }],
    };
    const table = tabulateStatusTimeline(statusTimeline);
    assert.equal(table.period, 'quarter');
    assert.deepEqual(
      table.columns.map((c) => c.label),
      ['2020 Q1', '2020 Q2', '2020 Q3', '2020 Q4', '2021 Q1', '2021 Q2', '2021 Q3', '2021 Q4'],
    );
    assert.deepEqual(table.rows[0]?.cells.slice(0, 2), ['N→R→N', 'R→N→R']);
    assert.equal(tabulateStatusTimeline(statusTimeline, 4).period, 'year');
    const md = renderMarkdownBrief({ ...EMPTY, statusTimeline });
    assert.match(md, /one column per quarter/);
    assert.match(md, /R reversed; .*A→B: changed from A to B within the column\./);
  });
});

describe('Markdown justification matrix', () => {
  it('shows justifications against interests by rank, with marks, verdict, the deciding reason and citations', () => {
    const md = renderMarkdownBrief({
      ...EMPTY,
      matrix: {
        interests: [
          { id: 'china', title: 'Balancing China', rank: 1 },
          { id: 'ct', title: 'Counter-terrorism | <b>', rank: 2 },
        ],
        rows: [
          {
            id: 'j1',
            title: 'Jets help counter-terrorism',
            instrument: 'F-16 sustainment',
            verdict: 'unconvincing',
            decision: 'unconvincing: the instrument harms china (rank 1)',
            marks: ['harmed', 'claimed'],
            cites: [2, 5],
          },
          {
            id: 'j2',
            title: 'Jets balance China',
            instrument: 'F-16 sustainment',
            verdict: 'weak',
            decision: 'weak: evidence for (0.4) is below 1',
            marks: ['claimed-harmed', 'none'],
            cites: [],
          },
        ],
      },
    });
    assert.deepEqual(tableRows(md, 'Justifications against interests'), [
      ['Justification', '#1', '#2', 'Verdict', 'Deciding reason', 'Citations'],
      ['---|:-:|:-:|---|---|---'],
      [
        'Jets help counter-terrorism (`j1`), for F-16 sustainment',
        'HARMS',
        'serves',
        'UNCONVINCING',
        'unconvincing: the instrument harms china (rank 1)',
        '[2](#c2) [5](#c5)',
      ],
      [
        'Jets balance China (`j2`), for F-16 sustainment',
        'serves? HARMS',
        '·',
        'WEAK',
        'weak: evidence for (0.4) is below 1',
        '—',
      ],
    ]);
    assert.match(md, /Interests by rank \(1 matters most\): #1 Balancing China; #2 Counter-terrorism \\\| &lt;b&gt;\./);
    assert.match(md, /Marks: “serves”: the justification claims/);
  });
});

describe('Markdown event data', () => {
  const base: EventSeries = {
    indicator: 'conflict',
    title: 'Conflict events',
    measure: 'count',
    filter: 'events count, actor1 PAKREB, actor2 IND, quad 4',
    dataset: 'The GDELT Project, GDELT 2.0',
    window: 'P12M',
    loaded: true,
    months: [
      { month: '2020-01', value: 3 },
      { month: '2020-02', value: 0 },
      { month: '2020-03', value: null },
      { month: '2020-04', value: null },
      { month: '2020-05', value: 7 },
    ],
    cites: [9],
  };

  it('lists the months with data, the months without, and cites the points', () => {
    const md = renderMarkdownBrief({ ...EMPTY, eventSeries: [base] });
    assert.match(
      md,
      /## Event data: Conflict events\n\nEvents per month \(events count, actor1 PAKREB, actor2 IND, quad 4; The GDELT Project, GDELT 2\.0\), counting only events added by the brief's date; the indicator sums them over a trailing P12M: 2020-01: 3; 2020-02: 0; 2020-05: 7\. No event data loaded for 2020-03 – 2020-04\. \[9\]\(#c9\)/,
    );
  });

  it('says so when no event data is loaded, rather than showing zeros', () => {
    const md = renderMarkdownBrief({ ...EMPTY, eventSeries: [{ ...base, loaded: false, months: [], cites: [] }] });
    assert.match(md, /## Event data: Conflict events\n\nNo event data loaded, so this input is missing/);
    assert.doesNotMatch(md, /: 0/);
  });
});
