/**
 * The brief a principal reads in two minutes, on a small case: one bottom-line line per
 * instrument, departures first, in plain words (titles not ids, durations in words, no
 * weights); warranted beside done; the confidence line; what would change each decision
 * (the path to unlock, fragile verdicts — and "not assessed" when the engine did not
 * assess); money by declared flow only; key figures counting documents; the status
 * timeline from the case's start. The same model in HTML, Markdown, escaped.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { actor, benchmark, evidence, makeCase, source } from '../../test/support/builders.ts';
import { type Assessment, assess } from '../core/assess.ts';
import type { Case } from '../core/case-model.ts';
import type { Evidence } from '../core/evidence.ts';
import type { Sensitivity } from '../core/sensitivity-types.ts';
import { type BriefModel, buildBriefModel, confidenceOf } from './brief-model.ts';
import { buildMoneyFlows } from './brief-visuals.ts';
import { renderMoneyChart } from './charts/relationship-chart.ts';
import { buildFullBrief, caseStart, timelineStart } from './full-brief.ts';
import { renderHtmlBrief } from './html-brief.ts';
import { keyFigures } from './key-figures.ts';
import { renderMarkdownBrief } from './markdown-brief.ts';
import { citeNamedEvidence, countWords, durationsInWords, shortTitle } from './principal-words.ts';

const AS_OF = '2021-06-01';
const A1 = [source({ reliability: 'A', credibility: 1 })];
const C3 = [source({ publisher: 'Essayist', title: 'An essay', reliability: 'C', credibility: 3 })];

const c: Case = makeCase({
  actors: [
    actor('us', { kind: 'state', name: 'United States' }),
    actor('pk', { kind: 'state', name: 'Pakistan' }),
    actor('cn', { kind: 'state', name: 'China' }),
    actor('leader', { name: 'The Leader' }),
  ],
  interests: [
    { id: 'ct', title: 'Counter-terrorism', rank: 1, weight: 1 },
    { id: 'ties', title: 'Ties with Pakistan', rank: 2, weight: 0.5 },
  ],
  instruments: [
    { id: 'talks-tier1', title: 'Senior talks', tier: 1, effects: [] },
    {
      id: 'jets',
      title: 'Jet sustainment (a sale of spare parts and support, paid for by the buyer)',
      tier: 3,
      amount: 450_000_000,
      currency: 'USD',
      effects: [{ interest: 'ct', direction: 'harms', rationale: 'Arms rivals', evidence: ['e-harm'] }],
    },
    { id: 'training', title: 'Officer training', tier: 2, effects: [] },
  ],
  benchmarks: [benchmark({ title: 'Leader held in custody, durably' })],
  gates: [
    { instrument: 'jets', rule: { kind: 'all', benchmarks: ['custody'] } },
    { instrument: 'training', rule: { kind: 'all', benchmarks: ['custody'] } },
  ],
  justifications: [
    {
      id: 'j-stated',
      instrument: 'jets',
      title: 'Jets help counter-terrorism',
      claim: 'They do.',
      claimedBy: 'Defense Department',
      serves: ['ties'],
      evidenceFor: ['e-essay'],
      evidenceAgainst: ['e-harm'],
    },
    {
      id: 'j-considered',
      instrument: 'jets',
      title: 'Jets keep Pakistan from China',
      claim: 'A possible motive.',
      serves: ['ties'],
      evidenceFor: [],
      evidenceAgainst: ['e-harm'],
    },
  ],
});

const ledger: Evidence[] = [
  evidence('e-release', 'release', '2019-05-01', { sources: A1 }),
  evidence('e-harm', 'arms-race', '2020-01-01', { actors: ['pk'], sources: A1 }),
  evidence('e-essay', 'essay-claim', '2020-02-01', { actors: ['pk'], sources: C3, claim: 'analysis' }),
  // What the principal did: notified the jets (a departure: not warranted), halted training.
  evidence('e-notify', 'arms-sale-notification', '2021-03-10', {
    actors: ['us', 'pk'],
    sources: A1,
    amount: 450_000_000,
    currency: 'USD',
    action: { instrument: 'jets', kind: 'notified' },
    flow: { kind: 'sale', payer: 'pk', payee: 'us' },
  }),
  evidence('e-suspend', 'suspension', '2021-01-04', {
    actors: ['us'],
    sources: A1,
    action: { instrument: 'training', kind: 'suspended' },
  }),
  // Money: aid given, withheld, and the counterpart's purchase from a third party; one entry
  // corrected, one retracted, one with no declared flow (its kind says "aid" — not counted).
  evidence('e-aid', 'grant', '2020-09-30', {
    actors: ['us', 'pk'],
    sources: A1,
    amount: 100_000_000,
    currency: 'USD',
    flow: { kind: 'aid', payer: 'us', payee: 'pk' },
  }),
  evidence('e-aid-fix', 'grant', '2020-09-30', {
    actors: ['us', 'pk'],
    sources: A1,
    amount: 90_000_000,
    currency: 'USD',
    supersedes: 'e-aid',
    flow: { kind: 'aid', payer: 'us', payee: 'pk' },
  }),
  evidence('e-withheld', 'aid-suspension', '2020-10-15', {
    actors: ['us'],
    sources: A1,
    amount: 300_000_000,
    currency: 'USD',
    flow: { kind: 'withheld', payer: 'us', payee: 'pk' },
  }),
  evidence('e-bought', 'purchase', '2020-11-01', {
    actors: ['pk', 'cn'],
    sources: A1,
    amount: 700_000_000,
    currency: 'USD',
    flow: { kind: 'third-party-purchase', payer: 'pk', payee: 'cn' },
  }),
  evidence('e-gone', 'grant', '2020-12-01', {
    sources: A1,
    amount: 55_000_000,
    currency: 'USD',
    flow: { kind: 'aid', payer: 'us', payee: 'pk' },
  }),
  evidence('e-gone-x', 'grant', '2020-12-02', { sources: A1, supersedes: 'e-gone', retracted: true }),
  evidence('e-untyped', 'aid-obligation', '2020-12-05', { sources: A1, amount: 1_000_000_000, currency: 'USD' }),
  evidence('e-claimed', 'aid-claim', '2020-12-06', {
    sources: C3,
    amount: 2_000_000_000,
    currency: 'USD',
    claim: 'author',
    flow: { kind: 'aid', payer: 'us', payee: 'pk' },
  }),
];

const fragile: Sensitivity = {
  label: 'fragile',
  flips: [{ change: 'remove-item', detail: 'essay-claim of 2020-02-01 (e-essay) is removed', subjects: ['e-essay'], to: 'weak' }],
  flipCount: 1,
  tried: 6,
  complete: true,
  summary: 'fragile: becomes weak if essay-claim of 2020-02-01 (e-essay) is removed',
};
const robust: Sensitivity = { label: 'robust', flips: [], flipCount: 0, tried: 4, complete: true, summary: 'robust' };

/** The assessment with the sensitivity given per id (null elsewhere), as the engine will give it. */
function withSensitivity(a: Assessment, given: Readonly<Record<string, Sensitivity | null>>): Assessment {
  return {
    ...a,
    instruments: a.instruments.map((i) => ({ ...i, sensitivity: given[i.id] ?? null })),
    justifications: a.justifications.map((j) => ({ ...j, sensitivity: given[j.id] ?? null })),
  };
}

function model(given: Readonly<Record<string, Sensitivity | null>> = {}): BriefModel {
  return buildBriefModel(c, withSensitivity(assess(c, ledger, AS_OF), given), ledger);
}

const text = (m: BriefModel) => m.bottomLine.map((s) => s.text);

describe('the bottom line', () => {
  const m = model();

  it('has one line per instrument, departures first, then a line on the justifications', () => {
    assert.deepEqual(text(m), [
      'Jet sustainment: not warranted — conditions unmet (1 of 1 benchmark unmet); done anyway: notified 2021-03-10; could be warranted from 2022-06-01.',
      'Senior talks: warranted — no conditions.',
      'Officer training: not warranted — conditions unmet (1 of 1 benchmark unmet); suspended 2021-01-04; could be warranted from 2022-06-01.',
      '1 stated justification and 1 considered for Jet sustainment: both unconvincing.',
    ]);
  });

  it('cites what the principal did, by number', () => {
    const notify = m.citations.find((ci) => ci.evidence.id === 'e-notify');
    assert.deepEqual(m.bottomLine[0]?.cites, [notify?.n]);
  });

  it('uses plain titles, durations in words and no weights, in at most 120 words', () => {
    const all = text(m).join(' ');
    for (const id of ['jets', 'talks-tier1', 'custody', 'j-stated', 'e-notify']) assert.ok(!all.includes(id), id);
    assert.doesNotMatch(all, /\bP\d+[YMWD]\b/, 'no ISO durations');
    assert.doesNotMatch(all, /\(\d+\.\d+\)|\b0\.\d+/, 'no bare weights');
    assert.ok(countWords(all) <= 120, `${countWords(all)} words`);
  });

  it('says "stated justifications" only for justifications someone states', () => {
    const only = (claimed: boolean) =>
      buildBriefModel(
        {
          ...c,
          justifications: c.justifications.map((j) =>
            claimed ? { ...j, claimedBy: 'Someone' } : { ...j, claimedBy: undefined },
          ),
        } as Case,
        assess(c, ledger, AS_OF),
        ledger,
      ).bottomLine.at(-1)?.text;
    assert.equal(only(true), '2 stated justifications for Jet sustainment: both unconvincing.');
    assert.equal(only(false), '2 justifications considered for Jet sustainment: both unconvincing.');
    assert.deepEqual(
      m.justifications.map((j) => [j.id, j.claimedBy, j.cells[4]]),
      [
        ['j-stated', 'Defense Department', 'Defense Department'],
        ['j-considered', null, 'no one (considered by the case)'],
      ],
    );
  });
});

describe('warranted beside done', () => {
  it('gives each instrument what its gate warrants, in words, and what was done, with its date and citation', () => {
    const m = model();
    assert.deepEqual(
      m.gates.map((g) => [g.id, g.warranted, g.done?.text ?? null, g.departureText]),
      [
        ['talks-tier1', 'warranted: conditions met', null, null],
        ['jets', 'not warranted: conditions unmet', 'notified 2021-03-10', 'done although not warranted'],
        ['training', 'not warranted: conditions unmet', 'suspended 2021-01-04', null],
      ],
    );
    const html = renderHtmlBrief(m);
    const row = html.slice(html.indexOf('<tr id="gate-jets">'), html.indexOf('</tr>', html.indexOf('<tr id="gate-jets">')));
    assert.match(row, /<span class="badge bad">not warranted: conditions unmet<\/span>/);
    assert.match(
      row,
      /<span class="badge bad departure">done although not warranted<\/span><span class="done">notified <span class="when">2021-03-10<\/span><sup class="cite">/,
    );
    assert.match(
      renderMarkdownBrief(m),
      /\| Jet sustainment .*\| not warranted: conditions unmet \| notified 2021-03-10 — done although not warranted \|/,
    );
  });
});

describe('the confidence line', () => {
  it('counts the decisions and verdicts resting on C-grade evidence or claims, and the fragile ones', () => {
    const m = model({ 'j-stated': fragile, jets: robust });
    assert.equal(
      m.confidence.text,
      'Confidence: 0 of 3 decisions and 1 of 2 verdicts rest at least partly on C-grade (or lower) evidence or on claims of the case author or the analysis; 1 verdict is fragile (see what would change this).',
    );
    assert.deepEqual(m.confidence.verdicts, { total: 2, weak: 1, wholly: 0, fragile: 1 });
    assert.equal(
      confidenceOf({ total: 2, weak: 0, wholly: 0, fragile: 0 }, { total: 0, weak: 0, wholly: 0, fragile: 0 }).text,
      'Confidence: no decision or verdict rests on C-grade (or lower) evidence or on claims of the case author or the analysis.',
    );
  });
});

describe('what would change this', () => {
  it('gives each instrument that is not warranted its path to unlock, in words, with the evidence cited', () => {
    const m = model();
    const path = m.whatWouldChange.paths.find((p) => p.id === 'jets');
    assert.ok(path);
    assert.equal(path.unlock.earliest, '2022-06-01');
    assert.equal(path.unlock.headline, 'its conditions could be met from 2022-06-01 at the earliest');
    const b = path.unlock.blockers[0];
    assert.ok(b);
    assert.match(b.needs, /held for 12 months/);
    assert.doesNotMatch(`${b.needs} ${b.why} ${path.unlock.why}`, /\bP\d+[YMD]\b|\[e-/);
    assert.ok(b.cites.length > 0, 'the evidence the core names is cited');
  });

  it('says "not assessed" when the engine has not assessed sensitivity, and never calls it robust', () => {
    const m = model();
    assert.deepEqual(m.whatWouldChange.fragile, []);
    assert.equal(m.whatWouldChange.robust, 0);
    assert.equal(m.whatWouldChange.notAssessed, 5);
    assert.ok(m.gates.every((g) => g.sensitivity === null));
    assert.match(renderMarkdownBrief(m), /The robustness of the decisions and verdicts was not assessed\./);
    assert.match(renderHtmlBrief(m), /The robustness of the decisions and verdicts was not assessed\./);
  });

  it('lists each fragile verdict with the change that flips it, its evidence cited, and counts the robust ones', () => {
    const m = model({ 'j-stated': fragile, jets: robust, training: robust });
    assert.deepEqual(
      m.whatWouldChange.fragile.map((f) => [f.id, f.now, f.sensitivity.text]),
      [['j-stated', 'unconvincing', 'fragile: becomes weak if essay-claim of 2020-02-01 is removed']],
    );
    const essay = m.citations.find((ci) => ci.evidence.id === 'e-essay')?.n;
    assert.deepEqual(m.whatWouldChange.fragile[0]?.sensitivity.cites, [essay]);
    assert.equal(m.whatWouldChange.robust, 2);
    assert.equal(m.gates.find((g) => g.id === 'jets')?.sensitivity?.text, 'robust: none of 4 single changes tried flips it');
    const md = renderMarkdownBrief(m);
    assert.match(
      md,
      /- Jets help counter-terrorism \(verdict now: unconvincing\): fragile: becomes weak if essay-claim of 2020-02-01 is removed \[\d+\]\(#c\d+\)/,
    );
  });
});

describe('money by flow', () => {
  const m = model();

  it('counts only declared flows, each standing entry once, with payer and direction', () => {
    const money = m.money;
    assert.ok(money);
    assert.deepEqual(
      money.series.map((s) => s.label),
      [
        'Aid from United States to Pakistan',
        'Sales paid by Pakistan to United States',
        'Withheld by United States from Pakistan',
        'Purchases by Pakistan from China',
      ],
    );
    assert.deepEqual(
      money.entries.map((e) => [e.id, e.flow, e.payer, e.payee, e.amount]),
      [
        ['e-aid-fix', 'aid', 'United States', 'Pakistan', 90_000_000],
        ['e-withheld', 'withheld', 'United States', 'Pakistan', 300_000_000],
        ['e-bought', 'third-party-purchase', 'Pakistan', 'China', 700_000_000],
        ['e-notify', 'sale', 'Pakistan', 'United States', 450_000_000],
      ],
      'the corrected amount, not the original; the retracted entry not at all',
    );
    assert.deepEqual(
      money.years.map((y) => [y.year, ...y.sums]),
      [
        ['2020', 90_000_000, 0, 300_000_000, 700_000_000],
        ['2021', 0, 450_000_000, 0, 0],
      ],
      'withheld money is not netted against aid, nor a sale counted as aid',
    );
    assert.equal(money.withoutFlow, 1, 'an "aid-obligation" without a declared flow is left out, not guessed');
    assert.equal(money.claims, 1, 'an asserted flow is left out');
  });

  it('says in the chart and the tables what was left out', () => {
    const money = m.money;
    assert.ok(money);
    const chart = renderMoneyChart(money, 'fig-money');
    assert.match(chart.caption, /1 entry with an amount but no declared flow \(payer and direction\) is left out/);
    assert.match(chart.caption, /1 entry that only asserts a flow/);
    assert.match(renderMarkdownBrief(m), /\| 2021-03-10 \| Sale \| Pakistan → United States \| USD 450M \|/);
    assert.match(renderHtmlBrief(m), /<td>Pakistan → China<\/td>/);
  });

  it('leaves a ledger with amounts but no flows out of the chart, and says so', () => {
    const bare = buildMoneyFlows([evidence('x', 'aid', '2020-01-01', { amount: 5, currency: 'USD' })], () => []);
    assert.deepEqual([bare?.series.length, bare?.withoutFlow, bare?.total], [0, 1, 0]);
  });
});

describe('key figures and the status timeline', () => {
  it('count documents, not citation numbers', () => {
    const m = model();
    const docs = keyFigures(m).find((f) => f.label.startsWith('document'));
    assert.ok(docs && docs.number < m.citations.length, `${docs?.number} documents for ${m.citations.length} citations`);
    assert.ok(keyFigures(m).some((f) => f.label === 'departure from what is warranted' && f.number === 1));
  });

  it('runs the status timeline from the case start (its first observed evidence) to the date', () => {
    assert.equal(caseStart(c, ledger, AS_OF), '2019-05-01');
    assert.equal(caseStart(c, ledger, '2019-04-30'), undefined, 'nothing known yet');
    const withClaim = [evidence('old-claim', 'claim', '1947-08-14', { claim: 'analysis' }), ...ledger];
    assert.equal(caseStart(c, withClaim, AS_OF), '2019-05-01', 'an assertion about 1947 does not start the case');
    const dated = { ...c, benchmarks: [benchmark({ validity: { from: '2018-02-01' } })] };
    assert.equal(caseStart(dated, ledger, AS_OF), '2018-02-01', 'a dated item starts it when earlier');
    assert.equal(timelineStart(AS_OF, undefined, '2019-05-01'), '2019-05-01');
    assert.equal(timelineStart(AS_OF, undefined, '2019-05-20'), '2019-05-01', "moved back onto the date's monthly grid");
    const full = buildFullBrief(c, ledger, AS_OF, undefined);
    assert.equal(full.statusTimeline?.from, '2019-05-01');
    assert.equal(full.statusTimeline?.to, AS_OF);
  });
});

describe('words for people', () => {
  it('rewrites ISO durations, cites named evidence ids, and shortens long parentheticals only', () => {
    assert.equal(
      durationsInWords('the P36M to 2023-03-03; P1Y6M; P2W; P12M.'),
      'the 36 months to 2023-03-03; 1 year and 6 months; 2 weeks; 12 months.',
    );
    assert.equal(durationsInWords('P5 nations and APP stay'), 'P5 nations and APP stay');
    const known = (id: string) => id.startsWith('ev-');
    assert.deepEqual(citeNamedEvidence('at-large 2019-02-28 [ev-a]; dropped (ev-b, ev-c); graded (B2 → C2)', known), {
      text: 'at-large 2019-02-28; dropped; graded (B2 → C2)',
      ids: ['ev-a', 'ev-b', 'ev-c'],
    });
    assert.equal(
      shortTitle('Broader security assistance (e.g. resuming the FMF suspended in 2018)'),
      'Broader security assistance',
    );
    assert.equal(shortTitle('Officer places in US training (IMET)'), 'Officer places in US training (IMET)');
  });

  it('escapes every new field in HTML and Markdown', () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const evil: Case = {
      ...c,
      actors: c.actors.map((a) => (a.id === 'pk' ? { ...a, name: hostile } : a)),
      instruments: c.instruments.map((i) => ({ ...i, title: `${i.title} ${hostile}` })),
      justifications: c.justifications.map((j) => ({ ...j, claimedBy: hostile })),
    };
    const m = buildBriefModel(evil, withSensitivity(assess(evil, ledger, AS_OF), { 'j-stated': fragile }), ledger);
    for (const out of [renderHtmlBrief(m), renderMarkdownBrief(m)]) {
      assert.ok(!out.includes('<img'), 'no raw markup');
      assert.ok(out.includes('&lt;img src=x onerror=alert(1)&gt;'));
    }
  });
});
