/**
 * What the brief says each status rests on, on small cases: evidence, monitored absence,
 * the case's default for a subject with no record, or an input not pinned down; the stale
 * and timed-to-review flags in words; items outside their validity window left out of the
 * key figures, the bottom line and the boards and listed apart; contested issue areas only
 * ever unknown; and "what changed" in date order with the day of effect, evidence and rule.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  absenceBenchmark,
  actor,
  benchmark,
  custodyIndicator,
  evidence,
  makeCase,
  parseDuration,
  source,
} from '../../test/support/builders.ts';
import { assess } from '../core/assess.ts';
import type { Case } from '../core/case-model.ts';
import type { Evidence } from '../core/evidence.ts';
import type { Transition } from '../core/history.ts';
import { type BriefModel, buildBriefModel, describeTransition, sortTransitions } from './brief-model.ts';
import { buildFullBrief } from './full-brief.ts';
import { renderBriefCharts, renderHtmlBrief } from './html-brief.ts';
import { keyFigureAmount, keyFigures } from './key-figures.ts';
import { renderMarkdownBrief } from './markdown-brief.ts';

const AS_OF = '2020-06-01';
const A1 = [source({ reliability: 'A', credibility: 1 })];
const B2 = [source({ reliability: 'B', credibility: 2 })];

const c: Case = makeCase({
  actors: [
    actor('principal', { kind: 'state' }),
    actor('counterpart', { kind: 'state' }),
    actor('grp', { kind: 'group', name: 'The Group' }),
    actor('leader', { name: 'The Leader', memberOf: ['grp'] }),
    actor('deputy', { name: 'The <b>Deputy</b>', memberOf: ['grp'] }),
  ],
  interests: [{ id: 'ct', title: 'Counter-terrorism', rank: 1, weight: 1 }],
  indicators: [
    custodyIndicator({ subjects: ['leader', 'deputy'] }),
    {
      id: 'attacks',
      title: 'Attacks',
      kind: 'count',
      filter: { kinds: ['attack'], actors: ['grp'] },
      window: parseDuration('P12M'),
    },
    { id: 'strikes', title: 'Strikes', kind: 'count', filter: { kinds: ['strike'], actors: [] }, window: parseDuration('P12M') },
    custodyIndicator({
      id: 'talking',
      title: 'Talks open',
      subjects: ['counterpart'],
      on: ['talks-open'],
      off: ['talks-closed'],
    }),
  ],
  monitoring: [
    {
      id: 'incident-list',
      title: 'Incident list',
      indicators: ['attacks'],
      from: '2015-01-01',
      source: { publisher: 'Watcher', title: 'Incidents', date: '2015' },
    },
  ],
  benchmarks: [
    benchmark({
      id: 'leaders-held',
      title: 'Leaders <i>held</i>',
      conditions: ['in_custody == 2'],
      duration: parseDuration('P0D'),
    }),
    absenceBenchmark('quiet', 'No attacks', 'attacks'),
    absenceBenchmark('no-strikes', 'No strikes', 'strikes'),
    benchmark({
      id: 'cooperates',
      title: 'Cooperates',
      conditions: ['talking == 1'],
      indicators: ['talking'],
      duration: parseDuration('P0D'),
      reversals: [],
    }),
    benchmark({ id: 'old-benchmark', title: 'An old condition', validity: { until: '2016-12-31' } }),
  ],
  instruments: [
    { id: 'dialogue', title: 'Dialogue', tier: 1, effects: [] },
    { id: 'aid', title: 'Aid', tier: 3, effects: [] },
    { id: 'old-aid', title: 'Old aid statute', tier: 4, effects: [], validity: { until: '2015-09-30' } },
    { id: 'future-sale', title: 'Future sale', tier: 4, effects: [], validity: { from: '2025-01-01' } },
  ],
  gates: [
    { instrument: 'aid', rule: { kind: 'all', benchmarks: ['leaders-held', 'quiet'] } },
    { instrument: 'old-aid', rule: { kind: 'all', benchmarks: ['quiet'] } },
  ],
  justifications: [
    {
      id: 'j-aid',
      instrument: 'aid',
      title: 'Aid buys cooperation',
      claim: 'x',
      serves: ['ct'],
      evidenceFor: ['ev-coop'],
      evidenceAgainst: [],
    },
    {
      id: 'j-old',
      instrument: 'old-aid',
      title: 'The old statute helped',
      claim: 'x',
      serves: ['ct'],
      evidenceFor: [],
      evidenceAgainst: [],
    },
  ],
  issueAreas: [
    {
      id: 'even',
      title: 'Evenly split',
      principalInterest: 'ct',
      principalPosition: 'Act against the group.',
      evidence: { aligned: ['ev-with-1'], opposed: ['ev-against-1'] },
      instruments: ['dialogue'],
    },
    {
      id: 'leaning',
      title: 'Leaning with',
      principalInterest: 'ct',
      principalPosition: 'Cooperate.',
      evidence: { aligned: ['ev-with-1', 'ev-with-2'], opposed: ['ev-against-2'] },
      instruments: ['dialogue', 'old-aid'],
    },
  ],
});

const ledger: Evidence[] = [
  evidence('ev-arrest', 'arrest', '2020-01-10', { actors: ['leader'] }),
  evidence('ev-coop', 'talks-open', '2018-03-01', { actors: ['counterpart'], sources: A1 }),
  evidence('ev-with-1', 'cooperation-report', '2019-01-01', { actors: ['counterpart'], sources: A1 }),
  evidence('ev-with-2', 'cooperation-report', '2019-02-01', { actors: ['counterpart'], sources: A1 }),
  evidence('ev-against-1', 'obstruction', '2019-03-01', { actors: ['counterpart'], sources: A1 }),
  evidence('ev-against-2', 'obstruction', '2019-04-01', { actors: ['counterpart'], sources: B2 }),
];

function model(): BriefModel {
  return buildBriefModel(c, assess(c, ledger, AS_OF), ledger);
}

describe('what each status rests on, in the brief', () => {
  const m = model();
  const row = (id: string) => {
    const r = m.benchmarks.find((b) => b.id === id);
    assert.ok(r, id);
    return r;
  };

  it('labels each status with its basis and keeps the core summary with it', () => {
    assert.deepEqual(
      m.benchmarks.map((b) => [b.id, b.status, b.basis.label]),
      [
        ['leaders-held', 'not-met', "on the case's default (no record)"],
        ['quiet', 'met', 'on monitored absence'],
        ['no-strikes', 'unknown', 'unknown: strikes not pinned down'],
        ['cooperates', 'met', 'on evidence'],
      ],
    );
    assert.match(
      row('leaders-held').basis.summary,
      /^not met — on the case's default: no record for deputy \(in_custody takes off\)/,
    );
    assert.match(row('quiet').basis.summary, /^met — on monitored absence: .* in time watched by incident-list/);
    assert.match(row('cooperates').basis.summary, /^met — on evidence: talks-open on 2018-03-01 \(ev-coop\)/);
    // The rests-on label is a column of its own (after the status).
    assert.deepEqual(row('leaders-held').cells.slice(0, 2), ['NOT-MET', "on the case's default (no record)"]);
  });

  it('names the subjects with no record, by name, wherever a state indicator defaults', () => {
    assert.deepEqual(row('leaders-held').basis.defaults, [
      "no record for The <b>Deputy</b> (in_custody taken as off by the case's default)",
    ]);
    const line = m.bottomLine.map((s) => s.text).join(' ');
    assert.match(line, /Aid: not warranted — conditions unmet \(1 of 2 benchmarks unmet\)/);
    // What the missing benchmark rests on is said where the path to unlock names it.
    const path = m.whatWouldChange.paths.find((p) => p.id === 'aid');
    assert.deepEqual(
      path?.unlock.blockers.map((b) => b.heading),
      ["Leaders <i>held</i> (not met, on the case's default: no record for The <b>Deputy</b>)"],
    );
  });

  it('shows stale with the newest evidence date and the limit', () => {
    assert.deepEqual(row('cooperates').flags, [
      { flag: 'stale', text: 'stale (newest evidence 2018-03-01, older than 12 months)' },
    ]);
    assert.equal(row('cooperates').cells[3], 'stale (newest evidence 2018-03-01, older than 12 months)');
    assert.deepEqual(row('quiet').flags, [], 'monitoring vouches for the time since');
  });

  it('renders the basis in Markdown and HTML, escaped', () => {
    const md = renderMarkdownBrief(m);
    assert.match(md, /\| Benchmark \| Status \| Rests on \| Since \| Flags \| Evidence items \| Best grade \| Citations \|/);
    assert.match(
      md,
      /\| Leaders &lt;i&gt;held&lt;\/i&gt; \(`leaders-held`\) \| NOT-MET \| on the case's default \(no record\) \| — \| — \|/,
    );
    assert.match(
      md,
      /\| Cooperates \(`cooperates`\) \| MET \| on evidence \| 2018-03-01 \| stale \(newest evidence 2018-03-01, older than 12 months\) \|/,
    );
    assert.match(md, /- No strikes \(`no-strikes`\): unknown — strikes: the 12 months to 2020-06-01 is not monitored/);
    assert.match(md, /Flags: “stale”: the newest evidence the status counts is older than the benchmark's limit/);
    const html = renderHtmlBrief(m);
    assert.match(html, /<span class="rests">on monitored absence<\/span>/);
    assert.match(html, /<span class="rule basis">not met — on the case&#39;s default: no record for deputy/);
    assert.match(html, /<span class="flag">stale \(newest evidence 2018-03-01, older than 12 months\)<\/span>/);
    assert.ok(!html.includes('<b>Deputy</b>') && !html.includes('<i>held</i>'), 'case text is escaped');
    assert.doesNotMatch(html, /<script/i);
  });
});

describe('items outside their validity window', () => {
  const m = model();

  it('are left out of the key figures and the bottom line', () => {
    assert.deepEqual(
      keyFigures(m).map((f) => `${keyFigureAmount(f)} ${f.label}`),
      [
        '1 of 2 instruments warranted',
        '2 of 4 benchmarks met',
        '0 of 1 justifications unconvincing',
        '1 of 2 issue areas aligned',
        '1 document cited',
      ],
    );
    const line = m.bottomLine.map((s) => s.text).join(' ');
    assert.deepEqual(
      m.bottomLine.slice(0, 2).map((s) => s.text.split(':')[0]),
      ['Dialogue', 'Aid'],
      'one line per instrument in force',
    );
    assert.doesNotMatch(line, /Old aid|Future sale|old condition|old statute/);
    assert.deepEqual(
      m.gates.map((g) => g.id),
      ['dialogue', 'aid'],
    );
    assert.ok(!m.benchmarks.some((b) => b.id === 'old-benchmark'));
    assert.deepEqual(
      m.justifications.map((j) => j.id),
      ['j-aid'],
    );
    assert.deepEqual(
      m.issueAreas?.instruments.map((i) => i.id),
      ['dialogue'],
      'an expired instrument is not offered as justified',
    );
  });

  it('are listed apart, each with why', () => {
    assert.deepEqual(
      m.notInForce?.map((x) => [x.kind, x.id, x.label, x.detail]),
      [
        ['instrument', 'old-aid', 'expired', 'expired (until 2015-09-30)'],
        ['instrument', 'future-sale', 'not yet in force', 'not yet in force (from 2025-01-01)'],
        ['benchmark', 'old-benchmark', 'expired', 'expired (until 2016-12-31)'],
        ['justification', 'j-old', 'expired', 'its instrument, Old aid statute, is expired (until 2015-09-30)'],
      ],
    );
    const md = renderMarkdownBrief(m);
    assert.match(md, /## Not in force on 2020-06-01\n\n\| Item \| Kind \| On this date \| Why \|/);
    assert.match(
      md,
      /\| Future sale \(`future-sale`\) \| instrument \| not yet in force \| not yet in force \(from 2025-01-01\) \|/,
    );
    const html = renderHtmlBrief(m);
    assert.match(html, /<h2>Not in force on 2020-06-01<\/h2>/);
    assert.match(
      html,
      /<tr class="inapplicable"><td><span class="name">Old aid statute<\/span><\/td><td>instrument<\/td><td><span class="badge na">expired<\/span>/,
    );
    const gateBoard = html.slice(html.indexOf('<h2>Gate board'), html.indexOf('<h2>Benchmark board'));
    assert.doesNotMatch(gateBoard, /Old aid statute|Future sale/);
  });

  it('are absent from the model when everything is in force', () => {
    const m2 = buildBriefModel(c, assess(c, ledger, '2015-06-01'), ledger);
    assert.deepEqual(
      m2.notInForce?.map((x) => x.id),
      ['future-sale'],
    );
    assert.ok(
      m2.gates.some((g) => g.id === 'old-aid'),
      'in force in 2015',
    );
  });
});

describe('issue areas', () => {
  it('print UNKNOWN (contested) only for an undecided area, and note the minority side of a decided one', () => {
    const m = model();
    assert.deepEqual(
      m.issueAreas?.rows.map((r) => [r.id, r.convergence, r.contested, r.qualifier]),
      [
        ['even', 'unknown', true, 'contested'],
        ['leaning', 'align', false, 'some evidence against'],
      ],
    );
    const md = renderMarkdownBrief(m);
    assert.match(md, /\| Evenly split \(`even`\) \| .* \| UNKNOWN \(contested\) \|/);
    assert.match(md, /\| Leaning with \(`leaning`\) \| .* \| ALIGN \(some evidence against\) \|/);
    assert.doesNotMatch(md, /ALIGN \(contested\)|ALIGN, contested/);
    const html = renderHtmlBrief(m);
    assert.match(html, /badge unk">unknown<\/span><span class="rule">\(contested\)<\/span>/);
    assert.match(html, /badge ok">align<\/span><span class="rule">\(some evidence against\)<\/span>/);
    assert.doesNotMatch(
      m.bottomLine.map((s) => s.text).join(' '),
      /Evenly split/,
      'issue areas are in the key figures and their matrix, not the bottom line',
    );
  });
});

describe('timed to review', () => {
  const reviewed = makeCase({
    reviews: [{ id: 'plenary', calendar: 'fatf', title: 'Plenary', date: '2020-02-16', written: '2020-02-16' }],
    benchmarks: [
      benchmark({
        duration: parseDuration('P0D'),
        review: { calendar: 'fatf', window: parseDuration('P30D'), countAfterReview: true },
      }),
    ],
  });
  const items = [evidence('conv', 'conviction', '2020-02-12')];

  it('says the status rests on an action taken just before a review, only while the status holds', () => {
    const m = buildBriefModel(reviewed, assess(reviewed, items, '2020-03-01'), items);
    assert.deepEqual(m.benchmarks[0]?.flags, [{ flag: 'timed-to-review', text: 'timed to review' }]);
    const md = renderMarkdownBrief(m);
    // The review is named by the case's own calendar (its reviews' titles), never a fixed assessor.
    assert.equal(m.reviewExample, 'a review such as the Plenary');
    assert.match(md, /“timed to review”: the status rests on an action taken just before a review such as the Plenary/);
    assert.doesNotMatch(md, /FATF/);
    assert.doesNotMatch(md, /an action came just before a review/);
    const before = buildBriefModel(reviewed, assess(reviewed, items, '2020-02-14'), items);
    assert.deepEqual(before.benchmarks[0]?.flags, [], 'not flagged while not met');
  });
});

describe('what changed', () => {
  const custody = makeCase({
    instruments: [{ id: 'aid', title: 'Aid', tier: 2, effects: [] }],
    benchmarks: [benchmark({ duration: parseDuration('P0D') })],
    gates: [{ instrument: 'aid', rule: { kind: 'all', benchmarks: ['custody'] } }],
  });
  const items = [
    evidence('a1', 'arrest', '2020-02-20'),
    evidence('r1', 'release', '2020-05-09'),
    evidence('a2', 'arrest', '2020-05-27'),
  ];

  it('lists every change in date order, then kind and id, each on the day it took effect with its rule', () => {
    const m = buildFullBrief(custody, items, '2020-07-01', '2020-01-01');
    const lines = (m.changes ?? []).map((ch) => ch.text);
    assert.ok(lines.length >= 6, lines.join('\n'));
    assert.ok(
      lines.every((l) => / — /.test(l)),
      'every change says why it happened then',
    );
    const dates = lines.map((l) => l.slice(0, 10));
    assert.deepEqual(dates, [...dates].sort());
    // Monthly steps fall on the 1st; each change is dated on the day it took effect.
    assert.ok(
      lines.includes('2020-02-20: benchmark “Leader held in custody, durably” (custody) not met → met — evidence: a1.'),
      lines.join('\n'),
    );
    assert.ok(lines.includes('2020-05-09: benchmark “Leader held in custody, durably” (custody) met → reversed — evidence: r1.'));
    assert.ok(
      lines.includes(
        '2020-05-09: instrument “Aid” (aid) warranted (unlocked) → not warranted (locked) — its gate reads custody reversed. Evidence: r1.',
      ),
    );
    // On one day, the benchmark comes before the instrument that reads it.
    const may27 = lines.filter((l) => l.startsWith('2020-05-27'));
    assert.match(may27[0] ?? '', /^2020-05-27: benchmark /);
    assert.match(may27[1] ?? '', /^2020-05-27: instrument “Aid” \(aid\) not warranted \(locked\) → warranted \(unlocked\)/);
    assert.deepEqual(m.changes?.find((ch) => ch.text.startsWith('2020-05-09: benchmark'))?.cites.length, 1);
  });

  it('sorts by date, then kind as listed, then id, and says when a change was seen only later', () => {
    const t = (date: string, kind: Transition['kind'], id: string, asOf = date): Transition => ({
      date,
      asOf,
      kind,
      id,
      from: 'a',
      to: 'b',
      evidence: ['e1'],
      rule: 'why',
    });
    const sorted = sortTransitions([
      t('2020-02-01', 'flag', 'x'),
      t('2020-02-01', 'benchmark', 'z'),
      t('2020-01-05', 'instrument', 'y'),
      t('2020-02-01', 'benchmark', 'b'),
    ]);
    assert.deepEqual(
      sorted.map((x) => `${x.date} ${x.kind} ${x.id}`),
      ['2020-01-05 instrument y', '2020-02-01 benchmark b', '2020-02-01 benchmark z', '2020-02-01 flag x'],
    );
    assert.equal(
      describeTransition(t('2019-01-01', 'benchmark', 'b', '2020-03-01')),
      '2019-01-01: benchmark b a → b — why. Evidence: e1. First seen as of 2020-03-01.',
    );
  });
});

describe('the status timeline', () => {
  it('shows time outside a benchmark validity window as not applicable, in the chart and in the Markdown codes', () => {
    const m = buildFullBrief(c, ledger, AS_OF, undefined);
    const row = m.statusTimeline?.rows.find((r) => r.id === 'old-benchmark');
    assert.ok(row);
    assert.deepEqual(row.spans.at(-1), { status: 'not-applicable', from: '2017-01-01', to: AS_OF, timed: false });
    const chart = renderBriefCharts(m).find((f) => f.id === 'fig-status');
    assert.ok(chart);
    assert.match(chart.caption, /an outlined pale bar marks time when the benchmark was not in force/);
    assert.ok(
      chart.summary.some((s) => s.startsWith('An old condition:') && s.includes('not-applicable 2017-01-01 to 2020-06-01')),
    );
    const md = renderMarkdownBrief(m);
    const timeline = md.split('## Status timeline')[1] ?? '';
    const line = timeline.split('\n').find((l) => l.startsWith('| An old condition (`old-benchmark`)'));
    assert.match(line ?? '', /\| · \|/);
    assert.match(md, /Codes: .*· not applicable/);
  });
});
