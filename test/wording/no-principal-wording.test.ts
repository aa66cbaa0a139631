/**
 * Issue 14, point 5: no principal-specific wording. Every output is rendered for a synthetic
 * case whose principal is not the United States (the European Union), whose counterpart is
 * not Pakistan (Ruritania, a fictional state) and whose reviews are not FATF's (the
 * `commission-report` calendar) — the CLI's text and CSV renderers, the assessment and
 * history JSON, the Markdown and HTML briefs (the PDF prints the HTML) and each web page —
 * and none may carry US, FATF, Pakistan or India wording. Interests are labelled with the
 * principal's own name, and the timed-to-review flag speaks of the case's own review.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { loadCase } from '../../src/adapters/case-files/load-case.ts';
import { assessmentCsv, historyCsv, unlockCsv } from '../../src/cli/render-csv.ts';
import { renderAssessmentText, renderHistoryText } from '../../src/cli/render-text.ts';
import { type Assessment, assess } from '../../src/core/assess.ts';
import type { Case } from '../../src/core/case-model.ts';
import type { IsoDate } from '../../src/core/dates.ts';
import type { Evidence } from '../../src/core/evidence.ts';
import { type History, history } from '../../src/core/history.ts';
import type { SeriesInputs, SeriesPoint } from '../../src/core/series.ts';
import type { AlertRecord } from '../../src/ports/team-store.ts';
import type { BriefModel } from '../../src/report/brief-model.ts';
import { buildFullBrief } from '../../src/report/full-brief.ts';
import { renderHtmlBrief } from '../../src/report/html-brief.ts';
import { renderMarkdownBrief } from '../../src/report/markdown-brief.ts';
import { principalInterestLabel } from '../../src/report/principal-words.ts';
import { NO_REVIEW_EXAMPLE, reviewExample } from '../../src/report/status-words.ts';
import {
  type PageContext,
  renderAlertsPage,
  renderBenchmarkPage,
  renderCaseListPage,
  renderDashboardPage,
  renderErrorPage,
  renderEvidenceBrowserPage,
  renderEvidenceFormPage,
  renderJustificationsPage,
  renderLoginPage,
} from '../../src/web/pages.ts';

const CASE_DIR = join(import.meta.dirname, '..', 'fixtures', 'cases', 'eu-ruritania');
const AS_OF = '2023-06-30';
const SINCE = '2022-06-30';
const PRINCIPAL = 'European Union';
const REVIEW = 'a review such as the Commission annual report';

/**
 * Wording that names the reference case's principal, counterpart, rival or assessor. Codes
 * and abbreviations are matched case-sensitively (the word "us" is allowed), names in any
 * case; a match needs a non-letter on both sides (so "USD" or "Indiana" do not match).
 */
const FORBIDDEN = [
  /(?<![A-Za-z])(?:US|USA|PAK|FATF)(?![A-Za-z])/,
  /(?<![A-Za-z])(?:u\.s\.|united states|american|fatf|pakistan|pakistani|india)(?![A-Za-z])/i,
];

function forbiddenIn(text: string): string[] {
  const found: string[] = [];
  for (const re of FORBIDDEN) {
    const global = new RegExp(re.source, `${re.flags}g`);
    for (const m of text.matchAll(global)) {
      const at = m.index ?? 0;
      found.push(`"${m[0]}" in …${text.slice(Math.max(0, at - 60), at + 60).replace(/\s+/g, ' ')}…`);
    }
  }
  return found;
}

function assertNeutral(name: string, text: string): void {
  assert.ok(text.length > 0, `${name} is rendered`);
  const found = forbiddenIn(text);
  assert.deepEqual(found, [], `${name} carries principal-specific wording:\n${found.slice(0, 10).join('\n')}`);
}

/** Synthetic yearly points (known the day after the year ends) for the case's two structural series. */
function yearly(values: readonly number[]): SeriesPoint[] {
  return values.map((value, i) => ({
    date: `${2018 + i}-12-31` as IsoDate,
    knownAt: `${2019 + i}-01-01` as IsoDate,
    value,
  }));
}

const analyst: PageContext = { user: { name: 'ana', role: 'analyst' }, csrfToken: 'tok', asOf: AS_OF };

let c: Case;
let ledger: Evidence[];
let a: Assessment;
let h: History;
let brief: BriefModel;
let alerts: AlertRecord[];
const series: SeriesInputs = new Map([
  ['un_agreement_rur_syl', yearly([0.61, 0.64, 0.6, 0.66, 0.7])],
  ['un_agreement_rur_bor', yearly([0.41, 0.38, 0.44, 0.4, 0.39])],
]);

before(async () => {
  const loaded = await loadCase(CASE_DIR);
  assert.ok(loaded.ok, `the synthetic case is valid: ${loaded.ok ? '' : JSON.stringify(loaded.problems)}`);
  c = loaded.case;
  ledger = loaded.evidence;
  a = assess(c, ledger, AS_OF, { series });
  h = history(c, ledger, '2020-01-01', AS_OF, 'quarter', { series });
  brief = buildFullBrief(c, ledger, AS_OF, SINCE, { series });
  alerts = [
    {
      seq: 1,
      caseId: c.id,
      kind: 'benchmark-status',
      subject: 'anti-corruption-office-working',
      from: 'pending',
      to: 'met',
      asOf: '2023-04-12',
      evidenceIds: ['syn-2022-09-20-office-reinstated'],
      actor: 'ana',
      at: '2023-04-12T10:00:00.000Z',
    },
    {
      seq: 2,
      caseId: c.id,
      kind: 'departure',
      subject: 'budget-support',
      from: 'none',
      to: 'acted-while-locked',
      asOf: '2023-02-01',
      evidenceIds: ['syn-2023-02-01-budget-support-paid'],
      actor: 'ana',
      at: '2023-02-01T10:00:00.000Z',
    },
  ];
});

describe('the check itself', () => {
  it('finds US, FATF, Pakistan and India wording, and lets "us", USD and EUR through', () => {
    for (const bad of [
      'US interest #2',
      'U.S. aid',
      'the United States',
      'USA–PAK',
      'an FATF plenary',
      'American aid',
      "Pakistan's army",
      'Pakistani leaders',
      'attacks on India',
      'a fatf review',
    ]) {
      assert.notDeepEqual(forbiddenIn(bad), [], bad);
    }
    for (const fine of ['tell us more', 'USD 5M', 'EUR 150M', 'Business', 'Indiana', 'Austria', 'status']) {
      assert.deepEqual(forbiddenIn(fine), [], fine);
    }
  });
});

describe('a case whose principal is not the United States and whose reviews are not FATF’s', () => {
  it('exercises what the outputs word: issue areas, a timed-to-review flag, money flows, charts, changes', () => {
    assert.equal(c.principal, 'eu');
    assert.ok(
      a.benchmarks.some((b) => b.flags.includes('timed-to-review')),
      'a benchmark is flagged timed-to-review',
    );
    assert.ok(
      a.instruments.some((i) => i.departure !== null),
      'a departure',
    );
    assert.ok(
      a.instruments.some((i) => i.decision === 'not-applicable'),
      'an instrument not in force',
    );
    assert.deepEqual(
      a.issueAreas.map((r) => r.convergence),
      ['align', 'diverge'],
    );
    assert.ok(brief.issueAreas !== undefined && brief.matrix !== undefined);
    assert.ok(brief.money !== undefined && brief.money.series.length > 0, 'money flows between the case’s actors');
    assert.ok((brief.structural ?? []).length > 0, 'a structural chart');
    assert.ok((brief.indicatorSeries ?? []).length > 0, 'an indicator chart');
    assert.ok((brief.eventSeries ?? []).length > 0, 'an event-data note');
    assert.ok(brief.statusTimeline !== undefined && (brief.changes ?? []).length > 0, 'a status timeline and changes');
  });

  it('CLI text and CSV renderers', () => {
    assertNeutral('assessment text', renderAssessmentText(a, c.title));
    assertNeutral('history text', renderHistoryText(h));
    assertNeutral('assessment CSV', assessmentCsv(a));
    assertNeutral('unlock CSV', unlockCsv(a.instruments));
    assertNeutral('history CSV', historyCsv(h));
  });

  it('JSON: the assessment and the history', () => {
    assertNeutral('assessment JSON', JSON.stringify(a, null, 2));
    assertNeutral('history JSON', JSON.stringify(h, null, 2));
  });

  it('Markdown brief: no US wording; interests labelled with the principal’s name; the case’s own review', () => {
    const md = renderMarkdownBrief(brief);
    assertNeutral('Markdown brief', md);
    assert.ok(md.includes(`| Issue area | ${PRINCIPAL} interest |`), 'the issue-area table labels the principal’s interest');
    assert.ok(md.includes(`just before ${REVIEW}`), 'the flag legend names the case’s review');
    assert.ok(md.includes(`Aid from ${PRINCIPAL} to Ruritania`), 'money flows in the case’s actor names');
  });

  it('HTML brief (the PDF prints it): no US wording; interests labelled with the principal’s name; the case’s own review', () => {
    const html = renderHtmlBrief(brief);
    assertNeutral('HTML brief', html);
    assert.ok(html.includes(`${PRINCIPAL} interest #3 Orderly migration and readmission`));
    assert.ok(html.includes(`${PRINCIPAL} interest #1 Rule of law`));
    assert.ok(html.includes(`just before ${REVIEW}`), 'the flag legend and the timeline caption name the case’s review');
    assert.ok(html.includes(`Aid from ${PRINCIPAL} to Ruritania`), 'the money chart labels flows with the case’s actors');
  });

  it('every web page', () => {
    const dashboard = renderDashboardPage(analyst, { case: c, brief, alerts });
    assertNeutral('dashboard', dashboard);
    assert.ok(dashboard.includes(`just before ${REVIEW}`), 'the dashboard’s flag legend names the case’s review');
    for (const result of a.benchmarks) {
      const page = renderBenchmarkPage(analyst, { case: c, result, asOf: AS_OF, ledger });
      assertNeutral(`benchmark page ${result.id}`, page);
      if (result.flags.includes('timed-to-review')) assert.ok(page.includes(`just before ${REVIEW}`), result.id);
    }
    assertNeutral('justifications page', renderJustificationsPage(analyst, { case: c, assessment: a }));
    assertNeutral('evidence browser', renderEvidenceBrowserPage(analyst, { case: c, entries: ledger, params: {} }));
    assertNeutral('alerts page', renderAlertsPage(analyst, { alerts, cases: [c] }));
    assertNeutral('case list', renderCaseListPage(analyst, { cases: [c] }));
    assertNeutral(
      'evidence form',
      renderEvidenceFormPage(analyst, { case: c, today: AS_OF, kinds: [...new Set(ledger.map((e) => e.kind))] }),
    );
    assertNeutral(
      'evidence form (correction)',
      renderEvidenceFormPage(analyst, { case: c, today: AS_OF, supersedes: ledger[0] as Evidence }),
    );
    assertNeutral('login page', renderLoginPage({ user: undefined, csrfToken: 'tok' }));
    assertNeutral('error page', renderErrorPage(analyst, 404, 'No such case.'));
  });
});

describe('words taken from the case', () => {
  it('labels the principal’s interests by its name, or "Principal’s interest" without one', () => {
    assert.equal(principalInterestLabel(PRINCIPAL), 'European Union interest');
    assert.equal(principalInterestLabel(null), "Principal's interest");
    assert.equal(brief.principal, PRINCIPAL);
    const unnamed = buildFullBrief({ ...c, actors: c.actors.filter((x) => x.id !== c.principal) }, ledger, AS_OF, undefined, {
      series,
    });
    assert.equal(unnamed.principal, null);
    assert.ok(renderMarkdownBrief(unnamed).includes("| Issue area | Principal's interest |"));
    assert.ok(renderHtmlBrief(unnamed).includes('Principal&#39;s interest #3 Orderly migration'));
  });

  it('names the review by its calendar’s titles, and a neutral "scheduled review" without one', () => {
    assert.equal(brief.reviewExample, REVIEW);
    assert.equal(reviewExample(c), REVIEW);
    assert.equal(reviewExample({ ...c, reviews: [] }), NO_REVIEW_EXAMPLE);
    const titled = (titles: string[]) =>
      reviewExample({
        benchmarks: [],
        reviews: titles.map((title, i) => ({
          id: `r${i}`,
          calendar: 'k',
          title,
          date: '2020-01-01' as IsoDate,
          written: '2020',
        })),
      });
    assert.equal(titled(['Plenary, June 2018 (first listing)', 'Plenary, October 2019']), 'a review such as the Plenary');
    assert.equal(titled(['IMF programme review 3']), 'a review such as the IMF programme review 3');
    assert.equal(titled(['Scorecard FY2021', 'Scorecard FY2022']), 'a review such as the Scorecard');
    const noReviews = buildFullBrief({ ...c, reviews: [] }, ledger, AS_OF, undefined, { series });
    assert.equal(noReviews.reviewExample, NO_REVIEW_EXAMPLE);
  });
});
