/**
 * The web pages, rendered from the reference case: what users rely on (every instrument with
 * its decision in words, every benchmark linked to its detail, the as-of control, field
 * errors next to their fields), what keeps them safe (hostile text only ever escaped, no
 * javascript: link, no write control for viewers, nothing inline the CSP would block), and
 * that the browser script's checks say what the server says.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
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
import { CURRENCY_PATTERN, EVIDENCE_ID_PATTERN } from '../adapters/case-files/case-schema.ts';
import { loadCase } from '../adapters/case-files/load-case.ts';
import { evidenceFromForm, validateEvidenceInput } from '../adapters/case-files/validate-evidence-input.ts';
import { type Assessment, assess } from '../core/assess.ts';
import type { Case } from '../core/case-model.ts';
import type { Evidence } from '../core/evidence.ts';
import type { AlertRecord } from '../ports/team-store.ts';
import type { BriefModel } from '../report/brief-model.ts';
import { buildFullBrief } from '../report/full-brief.ts';
import { documentsCited } from '../report/key-figures.ts';
import { durationsInWords } from '../report/principal-words.ts';
import { buildClientBundle, WEB_CSS } from './client-bundle.ts';
import {
  checkEvidenceForm,
  FORM_CURRENCY_PATTERN,
  FORM_EVIDENCE_ID_PATTERN,
  fieldForErrorPath,
  readEvidenceForm,
} from './evidence-form.ts';
import type { FieldError, SubmittedForm } from './form-fields.ts';
import { decisionText, html as markup, statusText } from './html.ts';
import {
  type PageContext,
  parseEvidenceQuery,
  renderAlertsPage,
  renderBenchmarkPage,
  renderCaseListPage,
  renderDashboardPage,
  renderErrorPage,
  renderEvidenceBrowserPage,
  renderEvidenceFormPage,
  renderJustificationsPage,
  renderLoginPage,
  WEB_CSP,
} from './pages.ts';

const REFERENCE_CASE = join(import.meta.dirname, '..', '..', 'examples', 'us-pakistan');
const AS_OF = '2023-03-03';
const TODAY = '2026-11-28';

const HOSTILE_SCRIPT = '<script>alert(1)</script>';
const HOSTILE_TITLE = 'T" onerror="x';
const HOSTILE_URL = 'javascript:alert(1)';

let c: Case;
let ledger: Evidence[];
let a: Assessment;
let brief: BriefModel;
/** The id of the entry the hostile correction supersedes. */
let hostileTarget: string;

const analyst: PageContext = { user: { name: 'ana', role: 'analyst' }, csrfToken: 'tok-123', asOf: AS_OF };
const viewer: PageContext = { user: { name: 'vic', role: 'viewer' }, csrfToken: 'tok-456', asOf: AS_OF };
const anonymous: PageContext = { user: undefined, csrfToken: 'tok-anon' };

/** A correction of an entry the `let-chief-in-custody` benchmark cites, full of hostile text. */
function hostileCorrection(of: Evidence): Evidence {
  return {
    ...of,
    id: 'ev-hostile',
    supersedes: of.id,
    description: HOSTILE_SCRIPT,
    note: '<img src=x onerror=alert(2)>',
    tags: ['<b>tag</b>'],
    sources: [
      {
        publisher: '<iframe src=//evil>',
        title: HOSTILE_TITLE,
        date: of.reported,
        url: HOSTILE_URL,
        reliability: 'A',
        credibility: 1,
      },
      {
        publisher: 'Fine',
        title: 'Fine',
        date: of.reported,
        url: 'https://example.org/a?b=1&c="2"',
        reliability: 'B',
        credibility: 2,
      },
    ],
  };
}

const alerts: AlertRecord[] = [
  {
    seq: 1,
    caseId: 'us-pakistan',
    kind: 'benchmark-status',
    subject: 'let-chief-in-custody',
    from: 'pending',
    to: 'met',
    asOf: '2023-01-01',
    evidenceIds: ['ev-2022-04-saeed-sentencing'],
    actor: '<b>mallory</b>',
    at: '2023-01-01T10:00:00.000Z',
  },
  {
    seq: 2,
    caseId: 'us-pakistan',
    kind: 'gate-decision',
    subject: 'f16-sustainment',
    from: 'unknown',
    to: 'locked',
    asOf: '2023-02-01',
    evidenceIds: [],
    actor: 'ana',
    at: '2023-02-01T10:00:00.000Z',
  },
];

before(async () => {
  const loaded = await loadCase(REFERENCE_CASE);
  assert.ok(loaded.ok, 'the reference case is valid');
  c = loaded.case;
  // The hostile text corrects an entry the benchmark cites as of the date, whichever that is.
  const citedIds = assess(loaded.case, loaded.evidence, AS_OF).benchmarks.find((b) => b.id === 'let-chief-in-custody')?.evidence;
  const cited = loaded.evidence.find((e) => citedIds?.includes(e.id) && e.id.includes('saeed'));
  assert.ok(cited, 'let-chief-in-custody cites an entry about Saeed');
  hostileTarget = cited.id;
  ledger = [...loaded.evidence, hostileCorrection(cited)];
  a = assess(c, ledger, AS_OF);
  brief = buildFullBrief(c, ledger, AS_OF, undefined);
});

// ---- Helpers ---------------------------------------------------------------------------

/** The markup of the element that opens with `open` (a unique prefix), up to its end tag. */
function elementAt(html: string, open: string, tag: string): string {
  const start = html.indexOf(open);
  assert.ok(start >= 0, `${open} in the page`);
  const end = html.indexOf(`</${tag}>`, start);
  return html.slice(start, end + tag.length + 3);
}

/** Nothing hostile survives unescaped; the only script is the same-origin bundle. */
function assertSafe(html: string): void {
  assert.doesNotMatch(html, /<script>alert/i);
  assert.doesNotMatch(html, /<img src=x/i);
  assert.doesNotMatch(html, /<iframe/i);
  assert.doesNotMatch(html, /href\s*=\s*["']?\s*javascript:/i);
  // Attributes are walked value by value, so escaped text inside a quoted value is not mistaken for one.
  assert.doesNotMatch(
    html,
    /<[a-z][^\s>]*(?:\s+[^\s=>]+(?:=(?:"[^"]*"|'[^']*'|[^\s>"']+))?)*\s+on[a-z]+\s*=/i,
    'no event handler attribute',
  );
  assert.deepEqual(html.match(/<script[^>]*>/g), ['<script src="/static/app.js" defer>']);
  const outsideSvg = html.replace(/<svg[\s\S]*?<\/svg>/g, '');
  assert.doesNotMatch(outsideSvg, /<style|\sstyle=/i, 'no inline styles outside the charts');
}

/** Shared page frame: language, viewport, CSRF meta, skip link, main, one h1; every control labelled. */
function assertFrame(html: string, ctx: PageContext): void {
  assert.match(html, /^<!DOCTYPE html>\n<html lang="en">/);
  assert.match(html, /<meta name="viewport" content="width=device-width, initial-scale=1">/);
  assert.ok(html.includes(`<meta name="csrf-token" content="${ctx.csrfToken}">`));
  assert.match(html, /<a class="skip-link" href="#main">/);
  assert.match(html, /<main id="main" tabindex="-1">/);
  assert.equal(html.match(/<h1[\s>]/g)?.length, 1, 'one h1');
  for (const m of html.matchAll(/<(input|select|textarea)\b([^>]*)>/g)) {
    const attrs = m[2] ?? '';
    if (/type="hidden"/.test(attrs)) continue;
    const id = /\sid="([^"]+)"/.exec(attrs)?.[1];
    assert.ok(id !== undefined, `a ${m[1]} without an id: ${m[0]}`);
    assert.ok(html.includes(`<label for="${id}">`), `a label for #${id}`);
  }
  if (ctx.user !== undefined) {
    const logout = elementAt(html, '<form method="post" action="/logout"', 'form');
    assert.ok(logout.includes(`<input type="hidden" name="_csrf" value="${ctx.csrfToken}">`));
  }
}

/** POST forms other than logout, and links to the evidence form. */
function writeControls(html: string): string[] {
  const posts = [...html.matchAll(/<form[^>]*method="post"[^>]*>/g)].map((m) => m[0]).filter((f) => !f.includes('/logout'));
  const links = [...html.matchAll(/href="[^"]*\/evidence\/new[^"]*"/g)].map((m) => m[0]);
  return [...posts, ...links];
}

// ---- Pages -----------------------------------------------------------------------------

describe('dashboard', () => {
  it('shows every instrument with its decision in words, and links every benchmark to its detail', () => {
    const html = renderDashboardPage(analyst, { case: c, brief, alerts });
    assertFrame(html, analyst);
    assertSafe(html);
    for (const inst of a.instruments) {
      if (inst.decision === 'not-applicable') {
        // Not in force: listed apart, with why, never on the gate board.
        assert.ok(!html.includes(`<tr id="gate-${inst.id}">`), inst.id);
        const row = elementAt(html, `<tr class="inapplicable" id="instrument-${inst.id}">`, 'tr');
        assert.ok(row.includes(inst.title.replace(/&/g, '&amp;')), inst.id);
        assert.match(row, /not yet in force|expired|not yet known/);
        continue;
      }
      const row = elementAt(html, `<tr id="gate-${inst.id}">`, 'tr');
      assert.ok(row.includes(inst.title.replace(/&/g, '&amp;')), inst.id);
      assert.ok(row.includes(decisionText(inst.decision)), `${inst.id} is ${inst.decision}`);
    }
    for (const b of a.benchmarks) {
      if (b.status === 'not-applicable') {
        const row = elementAt(html, `<tr class="inapplicable" id="benchmark-${b.id}">`, 'tr');
        assert.ok(row.includes(`href="/cases/us-pakistan/benchmarks/${b.id}?asOf=${AS_OF}"`), b.id);
        continue;
      }
      const row = elementAt(html, `<tr id="benchmark-${b.id}">`, 'tr');
      assert.ok(row.includes(`href="/cases/us-pakistan/benchmarks/${b.id}?asOf=${AS_OF}"`), b.id);
      assert.ok(row.includes(statusText(b.status)), `${b.id} is ${b.status}`);
      assert.ok(row.includes(String(markup`${durationsInWords(b.basis.summary)}`)), `${b.id} says what its status rests on`);
    }
  });

  it('leads with the same key figures as the brief, counted from the assessment over the items in force', () => {
    const html = renderDashboardPage(analyst, { case: c, brief, alerts });
    const figures = elementAt(html, '<ul class="figures">', 'ul');
    const instruments = a.instruments.filter((i) => i.decision !== 'not-applicable');
    const benchmarks = a.benchmarks.filter((b) => b.status !== 'not-applicable');
    const areas = a.issueAreas.filter((r) => r.convergence !== 'not-applicable');
    const open = instruments.filter((i) => i.decision === 'unlocked' || i.decision === 'waived').length;
    const met = benchmarks.filter((b) => b.status === 'met').length;
    const aligned = areas.filter((r) => r.convergence === 'align').length;
    assert.ok(figures.includes(`<b>${open} of ${instruments.length}</b> instruments warranted`), figures);
    assert.ok(figures.includes(`<b>${met} of ${benchmarks.length}</b> benchmarks met`), figures);
    assert.ok(figures.includes(`<b>${aligned} of ${areas.length}</b> issue areas aligned`), figures);
    assert.ok(figures.includes(`<b>${documentsCited(brief.citations)}</b> documents cited`), figures);
  });

  it('has an as-of GET form with a date input, the charts with text versions, and the alerts', () => {
    const html = renderDashboardPage(analyst, { case: c, brief, alerts });
    const form = elementAt(html, '<form method="get" action="/cases/us-pakistan"', 'form');
    assert.ok(form.includes(`<input type="date" id="asOf" name="asOf" value="${AS_OF}" required>`));
    assert.ok(form.includes('<label for="asOf">'));
    assert.match(html, /<figure class="chart" id="fig-status">/);
    assert.match(html, /<svg role="img" aria-label="[^"]+"/);
    assert.match(html, /<summary>The chart in words<\/summary>/);
    assert.ok(html.includes('href="/cases/us-pakistan/benchmarks/let-chief-in-custody?asOf=2023-01-01"'));
    assert.ok(html.includes('gate decision changed from <b>unknown</b> to <b>locked</b> as of 2023-02-01'));
  });

  it('has an event-data section: the chart, or a note that no event data is loaded (never zero)', () => {
    const html = renderDashboardPage(analyst, { case: c, brief, alerts });
    assert.ok((brief.eventSeries ?? []).length > 0, 'the reference case has an event indicator');
    assert.match(html, /<h2 id="h-events">Event data<\/h2>/);
    assert.match(html, /no event data loaded, so this input is missing/);
  });

  it('shows cited hostile evidence only escaped, and a javascript: URL never as a link', () => {
    const html = renderDashboardPage(analyst, { case: c, brief, alerts });
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'the hostile entry is cited');
    assert.ok(html.includes('T&quot; onerror=&quot;x'));
    assert.ok(html.includes('“T&quot; onerror=&quot;x”'), 'the javascript: source title is plain text, not a link');
    assert.ok(html.includes('href="https://example.org/a?b=1&amp;c=%222%22"'), 'an http(s) URL is a link, escaped');
  });
});

describe('benchmark detail', () => {
  it('shows the status, rule, reasons, missing inputs and the evidence trail with graded sources', () => {
    const result = a.benchmarks.find((b) => b.id === 'let-chief-in-custody');
    assert.ok(result);
    const html = renderBenchmarkPage(analyst, { case: c, result, asOf: AS_OF, ledger });
    assertFrame(html, analyst);
    assertSafe(html);
    assert.ok(html.includes(statusText(result.status)));
    assert.ok(html.includes('<h2 id="h-rule">Rule</h2>'));
    assert.ok(html.includes('<h2 id="h-missing">Missing inputs</h2>'));
    for (const id of result.evidence) assert.ok(html.includes(`<article class="evidence" id="ev-${id}">`), id);
    assert.ok(result.evidence.includes('ev-hostile'));
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(html.includes('&lt;iframe src=//evil&gt;'));
    assert.match(html, /<abbr class="grade" title="A: completely reliable; 1: confirmed by other sources">A1<\/abbr>/);
    assert.ok(html.includes('href="/cases/us-pakistan/evidence/new?asOf=2023-03-03&amp;supersedes=ev-hostile"'));
  });

  it('names missing inputs of an unknown benchmark', () => {
    const result = a.benchmarks.find((b) => b.status === 'unknown');
    assert.ok(result);
    const html = renderBenchmarkPage(viewer, { case: c, result, asOf: AS_OF, ledger });
    for (const id of result.missing) assert.ok(html.includes(`<code>${id}</code>`), id);
  });
});

describe('justifications', () => {
  it('lists every justification with its verdict in words and its reasons', () => {
    const html = renderJustificationsPage(analyst, { case: c, assessment: a });
    assertFrame(html, analyst);
    assertSafe(html);
    for (const j of a.justifications) {
      const article = elementAt(html, `<article class="justification" id="j-${j.id}">`, 'article');
      assert.ok(article.includes(j.verdict), j.id);
      assert.ok(article.includes('<summary>Reasons</summary>'));
      // How firm the verdict is: the engine's sensitivity in words, or "not assessed" without one.
      assert.match(
        article,
        /<dt>How firm<\/dt><dd>(<span class="robust-(robust|fragile)">(robust|fragile): |<span class="muted">not assessed)/,
        j.id,
      );
      assert.match(article, /<dt>Evidence for<\/dt><dd>(strong|moderate|weak|no) evidence \(/, j.id);
    }
    assert.match(html, /<table class="board matrix">/);
  });

  it('says no one states a justification the case only considers', () => {
    const considered = { ...c, justifications: c.justifications.map(({ claimedBy: _dropped, ...j }) => j) };
    const html = renderJustificationsPage(analyst, { case: considered, assessment: a });
    assert.match(html, /<footer>No one states it: a justification the case considers\.<\/footer>/);
  });
});

describe('dashboard: what would change each decision', () => {
  it('gives every instrument in force a section with warranted beside done, how firm it is and, when not warranted, its path to unlock', () => {
    const html = renderDashboardPage(analyst, { case: c, brief, alerts });
    for (const g of brief.gates) {
      const section = elementAt(html, `<article class="instrument" id="instrument-${g.id}">`, 'article');
      assert.match(section, /<dt>Warranted<\/dt><dd><span class="badge tone-/, g.id);
      assert.match(section, /<dt>Done<\/dt><dd>/, g.id);
      assert.match(section, /<dt>How firm<\/dt><dd>/, g.id);
      if (g.unlock !== null)
        assert.match(
          section,
          /<h4>Path to unlock<\/h4><p>Its conditions could be met|<h4>Path to unlock<\/h4><p>It cannot be warranted/,
          g.id,
        );
      const row = elementAt(html, `<tr id="gate-${g.id}">`, 'tr');
      assert.ok(row.includes(`href="#instrument-${g.id}"`), `${g.id}: the gate board links to its section`);
    }
    const bottom = elementAt(html, '<section class="bottom-line"', 'section');
    assert.match(bottom, /<ul class="lines"><li>/);
    assert.match(bottom, /<p class="confidence">Confidence: /);
  });
});

describe('evidence browser', () => {
  it('filters and pages, keeping the filters and the as-of date in the paging links', () => {
    const html = renderEvidenceBrowserPage(analyst, { case: c, entries: ledger, params: { q: 'saeed', page: '1' }, pageSize: 2 });
    assertFrame(html, analyst);
    assertSafe(html);
    assert.match(html, /Entries 1–2 of \d+/);
    assert.ok(html.includes('href="/cases/us-pakistan/evidence?asOf=2023-03-03&amp;q=saeed&amp;page=2" rel="next"'));
    assert.ok(html.includes('<input type="search" id="filter-q" name="q" value="saeed"'));
  });

  it('echoes hostile query values escaped and reports invalid ones', () => {
    const q = '"><script>alert(3)</script>';
    const html = renderEvidenceBrowserPage(analyst, {
      case: c,
      entries: ledger,
      params: { q, from: '2021-02-30', actor: '"><b>', reliability: 'Z' },
    });
    assertSafe(html);
    assert.ok(html.includes('value="&quot;&gt;&lt;script&gt;alert(3)&lt;/script&gt;"'));
    assert.ok(html.includes('"2021-02-30" is impossible: February 2021 has 28 days'.replace(/"/g, '&quot;')));
    assert.ok(html.includes('<option value="&quot;&gt;&lt;b&gt;" selected>'));
    assert.match(html, /aria-invalid="true" aria-describedby="filter-reliability-error"/);
  });

  it('shows hostile entries escaped, marks superseded ones, and gives analysts a correct link per row', () => {
    const html = renderEvidenceBrowserPage(analyst, { case: c, entries: ledger, params: { q: 'saeed' } });
    assertSafe(html);
    assert.ok(html.includes('superseded by ev-hostile'));
    assert.ok(html.includes(`corrects ${hostileTarget}`));
    const hostile = renderEvidenceBrowserPage(analyst, { case: c, entries: ledger, params: { q: 'ev-hostile' } });
    assertSafe(hostile);
    assert.ok(hostile.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(hostile.includes('href="/cases/us-pakistan/evidence/new?asOf=2023-03-03&amp;supersedes=ev-hostile"'));
  });

  it('parses query values once, leaving out what it cannot use', () => {
    assert.deepEqual(parseEvidenceQuery({ from: '2020-01-01', to: '2019-01-01', reliability: 'b', q: ' x ', page: '3' }), {
      filter: { from: '2020-01-01', to: '2019-01-01', reliability: 'B', q: 'x' },
      page: 3,
      problems: [{ path: 'to', message: '"to" (2019-01-01) is before "from" (2020-01-01); no entry can match: swap the dates' }],
    });
    assert.deepEqual(parseEvidenceQuery({ page: '0' }).page, 1);
    assert.deepEqual(parseEvidenceQuery({ page: '-1' }).problems[0]?.path, 'page');
  });
});

describe('viewers', () => {
  it('see no write controls on any page', () => {
    const result = a.benchmarks[0];
    assert.ok(result);
    const pages = [
      renderDashboardPage(viewer, { case: c, brief, alerts }),
      renderBenchmarkPage(viewer, { case: c, result, asOf: AS_OF, ledger }),
      renderJustificationsPage(viewer, { case: c, assessment: a }),
      renderEvidenceBrowserPage(viewer, { case: c, entries: ledger, params: {} }),
      renderEvidenceFormPage(viewer, { case: c, today: TODAY }),
      renderAlertsPage(viewer, { alerts, cases: [c] }),
      renderCaseListPage(viewer, { cases: [c] }),
    ];
    for (const html of pages) {
      assertFrame(html, viewer);
      assert.deepEqual(writeControls(html), []);
      assert.doesNotMatch(html, />Correct</);
    }
    const analystBrowser = renderEvidenceBrowserPage(analyst, { case: c, entries: ledger, params: {} });
    assert.ok(writeControls(analystBrowser).length > 0, 'analysts do see them');
  });
});

describe('evidence form', () => {
  it('has a control for every field, the CSRF token, and no recorded field (the server sets it)', () => {
    const html = renderEvidenceFormPage(analyst, { case: c, today: TODAY, kinds: ['arrest', 'release'] });
    assertFrame(html, analyst);
    assertSafe(html);
    const form = elementAt(html, '<form method="post" action="/cases/us-pakistan/evidence/new?asOf=2023-03-03"', 'form');
    assert.ok(form.includes('<input type="hidden" name="_csrf" value="tok-123">'));
    for (const name of [
      'id',
      'kind',
      'description',
      'occurred',
      'occurred[from]',
      'occurred[to]',
      'reported',
      'amount',
      'currency',
      'quantity[value]',
      'quantity[of]',
      'quantity[unit]',
      'tags',
      'supersedes',
      'retracted',
      'note',
      'sources[0][publisher]',
      'sources[0][title]',
      'sources[0][date]',
      'sources[0][url]',
      'sources[0][reliability]',
      'sources[0][credibility]',
      'sources[0][origin]',
      'sources[1][publisher]',
    ]) {
      assert.ok(form.includes(`name="${name}"`), name);
    }
    for (const actor of c.actors) assert.ok(form.includes(`name="actors" value="${actor.id}"`), actor.id);
    assert.ok(!form.includes('name="recorded"'));
    assert.ok(html.includes(`Recorded: <b>${TODAY}</b>`));
  });

  it('prefills a correction from the entry it supersedes', () => {
    const old = ledger.find((e) => e.id === 'ev-2019-07-17-saeed-arrest');
    assert.ok(old);
    const html = renderEvidenceFormPage(analyst, { case: c, today: TODAY, supersedes: old });
    assert.match(html, /<h1>Correct or retract ev-2019-07-17-saeed-arrest<\/h1>/);
    assert.ok(html.includes('name="supersedes" value="ev-2019-07-17-saeed-arrest"'));
    assert.ok(html.includes(`name="kind" value="${old.kind}"`));
    assert.ok(html.includes('name="id" value=""'));
    assert.ok(html.includes('data-confirm-retract'));
  });

  it('after a 400, shows the submitted values and each server error next to its field and in the summary', () => {
    const submitted: SubmittedForm = {
      _csrf: 'tok-123',
      id: 'ev-new',
      kind: 'arrest',
      actors: ['pakistan'],
      description: HOSTILE_SCRIPT,
      occurred: '2021-02-30',
      reported: '2021-03',
      'sources[0][publisher]': 'Dawn',
      'sources[0][title]': HOSTILE_TITLE,
      'sources[0][date]': '2021-03',
      'sources[0][reliability]': 'B',
      'sources[0][credibility]': '2',
      // A blank block in the middle is dropped, so the third block becomes source 2 (index 1).
      'sources[1][publisher]': '',
      'sources[2][publisher]': 'Reuters',
      'sources[2][title]': 'Report',
      'sources[2][date]': '2021-13',
      'sources[2][reliability]': 'A',
      'sources[2][credibility]': '1',
      'sources[2][url]': HOSTILE_URL,
    };
    const raw = evidenceFromForm(submitted) as Record<string, unknown>;
    const result = validateEvidenceInput(c, { ...raw, recorded: TODAY }, { ids: new Set(ledger.map((e) => e.id)) });
    assert.ok(!result.ok);
    const errors: FieldError[] = [...result.problems, { path: 'recorded', message: 'set by the server' }];
    assert.deepEqual(
      errors.map((e) => e.path),
      ['occurred', 'sources.1.date', 'recorded'],
    );
    const html = renderEvidenceFormPage(analyst, { case: c, today: TODAY, submitted, errors });
    assertSafe(html);
    assert.match(html, /<title>Error: Add evidence — Proviso<\/title>/);
    const summary = elementAt(html, '<div class="error-summary" id="error-summary"', 'div');
    assert.ok(summary.includes('There are 3 problems'));
    assert.ok(summary.includes('href="#f-occurred"'));
    assert.ok(summary.includes('href="#f-sources-1-date"'));
    assert.ok(summary.includes('recorded: set by the server'), 'an error with no field is in the summary');
    for (const [name, path] of [
      ['occurred', 'occurred'],
      ['sources[1][date]', 'sources.1.date'],
    ] as const) {
      const message = errors.find((e) => e.path === path)?.message ?? '';
      const id = name === 'occurred' ? 'f-occurred' : 'f-sources-1-date';
      const field = elementAt(html, `<div class="field has-error" data-field="${name}">`, 'div');
      assert.match(field, new RegExp(`<input [^>]*id="${id}"[^>]*aria-describedby="[^"]*${id}-error"[^>]*aria-invalid="true"`));
      assert.ok(field.includes(`<p class="field-error" id="${id}-error" data-field-error>`));
      assert.ok(field.includes(message.replace(/"/g, '&quot;')), message);
    }
    assert.ok(html.includes('name="sources[1][date]" value="2021-13"'), 'the values follow the server numbering');
    assert.ok(html.includes('name="sources[1][url]" value="javascript:alert(1)"'), 'shown as a value, never a link');
    assert.ok(html.includes(`name="sources[0][title]" value="T&quot; onerror=&quot;x"`));
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;</textarea>'));
    assert.ok(html.includes('name="actors" value="pakistan" checked'));
  });
});

describe('the browser checks say what the server says', () => {
  const valid: Record<string, string | string[]> = {
    id: 'ev-new',
    kind: 'arrest',
    actors: ['pakistan'],
    description: 'A test entry.',
    occurred: '2021-05-10',
    reported: '2021-05-11',
    'sources[0][publisher]': 'Dawn',
    'sources[0][title]': 'Report',
    'sources[0][date]': '2021-05-11',
    'sources[0][reliability]': 'B',
    'sources[0][credibility]': '2',
  };
  const without = (...names: string[]) => Object.fromEntries(Object.entries(valid).filter(([k]) => !names.includes(k)));
  const cases: [string, Record<string, string | string[]>][] = [
    ['valid', valid],
    ['everything missing', {}],
    ['no id', without('id')],
    ['no kind, no description', without('kind', 'description')],
    ['a bad id', { ...valid, id: 'bad id' }],
    ['an impossible date', { ...valid, occurred: '2021-02-30' }],
    ['a malformed reported date', { ...valid, reported: '2021-13' }],
    ['reported before it occurred', { ...valid, reported: '2021-04' }],
    ['an interval out of order', { ...without('occurred'), 'occurred[from]': '2021-05-10', 'occurred[to]': '2021-05-02' }],
    ['half an interval', { ...without('occurred'), 'occurred[from]': '2021-05' }],
    ['a date and an interval', { ...valid, 'occurred[to]': '2021-06' }],
    ['a bad interval date', { ...without('occurred'), 'occurred[from]': '2021-00', 'occurred[to]': '2021-06' }],
    ['an amount without currency', { ...valid, amount: '1e6' }],
    ['an amount that is no number', { ...valid, amount: '1,000', currency: 'USD' }],
    ['a lower-case currency', { ...valid, amount: '5', currency: 'usd' }],
    ['a quantity without value', { ...valid, 'quantity[of]': '27', 'quantity[unit]': 'items' }],
    ['a quantity that is no number', { ...valid, 'quantity[value]': 'x', 'quantity[of]': 'y' }],
    ['retracted without supersedes', { ...valid, retracted: 'on' }],
    ['supersedes itself', { ...valid, supersedes: 'ev-new' }],
    ['a malformed supersedes', { ...valid, supersedes: '-x' }],
    [
      'no sources',
      without(
        'sources[0][publisher]',
        'sources[0][title]',
        'sources[0][date]',
        'sources[0][reliability]',
        'sources[0][credibility]',
      ),
    ],
    ['a source missing fields', without('sources[0][title]', 'sources[0][credibility]')],
    ['bad grades', { ...valid, 'sources[0][reliability]': 'G', 'sources[0][credibility]': '9' }],
    ['a word for a credibility', { ...valid, 'sources[0][credibility]': 'high' }],
    ['a bad source date', { ...valid, 'sources[0][date]': '2021-04-31' }],
    ['not a URL', { ...valid, 'sources[0][url]': 'not a url' }],
  ];
  for (const [name, form] of cases) {
    it(name, () => {
      const client = checkEvidenceForm(readEvidenceForm(form));
      const raw = evidenceFromForm(form) as Record<string, unknown>;
      const server = validateEvidenceInput(c, { ...raw, recorded: TODAY }, { ids: new Set(['ev-old']) });
      const serverProblems = server.ok ? [] : server.problems;
      const key = (e: FieldError) => `${e.path} | ${e.message}`;
      assert.deepEqual(client.map(key).sort(), serverProblems.map(key).sort());
    });
  }

  it('uses the schema patterns', () => {
    assert.equal(FORM_EVIDENCE_ID_PATTERN.source, EVIDENCE_ID_PATTERN.source);
    assert.equal(FORM_CURRENCY_PATTERN.source, CURRENCY_PATTERN.source);
  });

  it('maps error paths to controls', () => {
    assert.equal(fieldForErrorPath('occurred.from', 1), 'occurred[from]');
    assert.equal(fieldForErrorPath('occurred.1', 1), 'occurred');
    assert.equal(fieldForErrorPath('quantity', 1), 'quantity[value]');
    assert.equal(fieldForErrorPath('actors.2', 1), 'actors');
    assert.equal(fieldForErrorPath('sources.0', 1), 'sources[0][publisher]');
    assert.equal(fieldForErrorPath('sources.0.colour', 1), 'sources[0][publisher]');
    assert.equal(fieldForErrorPath('sources.3.date', 1), 'sources');
    assert.equal(fieldForErrorPath('recorded', 1), undefined);
    assert.equal(fieldForErrorPath('', 1), undefined);
    assert.equal(fieldForErrorPath('constructor', 1), undefined);
  });
});

describe('what the pages say each status rests on (a small case)', () => {
  const AT = '2020-06-01';
  const ctx: PageContext = { ...analyst, asOf: AT };
  const small: Case = makeCase({
    actors: [
      actor('principal', { kind: 'state' }),
      actor('counterpart', { kind: 'state' }),
      actor('leader', { name: 'The Leader' }),
      actor('deputy', { name: 'The <b>Deputy</b>' }),
    ],
    interests: [{ id: 'ct', title: 'Counter-terrorism', rank: 1, weight: 1 }],
    indicators: [
      custodyIndicator({ subjects: ['leader', 'deputy'] }),
      custodyIndicator({
        id: 'talking',
        title: 'Talks open',
        subjects: ['counterpart'],
        on: ['talks-open'],
        off: ['talks-closed'],
      }),
      {
        id: 'attacks',
        title: 'Attacks',
        kind: 'count',
        filter: { kinds: ['attack'], actors: [] },
        window: parseDuration('P12M'),
      },
      {
        id: 'strikes',
        title: 'Strikes',
        kind: 'count',
        filter: { kinds: ['strike'], actors: [] },
        window: parseDuration('P12M'),
      },
    ],
    monitoring: [
      {
        id: 'incident-list',
        title: 'Incident <list>',
        indicators: ['attacks'],
        from: '2015-01-01',
        source: { publisher: 'Watcher', title: 'Incidents', date: '2015' },
      },
    ],
    benchmarks: [
      benchmark({ id: 'held', title: 'Leaders held', conditions: ['in_custody == 2'], duration: parseDuration('P0D') }),
      absenceBenchmark('quiet', 'No attacks', 'attacks'),
      absenceBenchmark('no-strikes', 'No strikes', 'strikes'),
      benchmark({
        id: 'talks',
        title: 'Talks open',
        conditions: ['talking == 1'],
        indicators: ['talking'],
        duration: parseDuration('P0D'),
        reversals: [],
      }),
      benchmark({ id: 'old', title: 'An old condition', validity: { until: '2016-12-31' } }),
    ],
    instruments: [
      { id: 'dialogue', title: 'Dialogue', tier: 1, effects: [] },
      { id: 'aid', title: 'Aid', tier: 3, effects: [] },
      { id: 'old-aid', title: 'Old aid statute', tier: 4, effects: [], validity: { until: '2015-09-30' } },
    ],
    gates: [{ instrument: 'aid', rule: { kind: 'all', benchmarks: ['held'] } }],
    justifications: [
      { id: 'j-aid', instrument: 'aid', title: 'Aid helps', claim: 'x', serves: ['ct'], evidenceFor: [], evidenceAgainst: [] },
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
        principalPosition: 'Act.',
        evidence: { aligned: ['ev-with'], opposed: ['ev-against'] },
        instruments: ['dialogue'],
      },
    ],
  });
  const A1 = [source({ reliability: 'A', credibility: 1 })];
  const items: Evidence[] = [
    evidence('ev-arrest', 'arrest', '2020-01-10', { actors: ['leader'] }),
    evidence('ev-talks', 'talks-open', '2018-03-01', { actors: ['counterpart'], sources: A1 }),
    evidence('ev-with', 'cooperation', '2019-01-01', { actors: ['counterpart'], sources: A1 }),
    evidence('ev-against', 'obstruction', '2019-03-01', { actors: ['counterpart'], sources: A1 }),
  ];
  const result = (id: string) => {
    const r = assess(small, items, AT).benchmarks.find((b) => b.id === id);
    assert.ok(r, id);
    return r;
  };
  const page = (id: string) => renderBenchmarkPage(ctx, { case: small, result: result(id), asOf: AT, ledger: items });

  it('dashboard: each status with what it rests on, flags in words, items not in force apart, a contested area unknown', () => {
    const html = renderDashboardPage(ctx, { case: small, brief: buildFullBrief(small, items, AT, undefined), alerts: [] });
    assertSafe(html);
    const held = elementAt(html, '<tr id="benchmark-held">', 'tr');
    assert.match(held, /<span class="rests">on the case&#39;s default \(no record\)<\/span>/);
    assert.match(held, /not met — on the case&#39;s default: no record for deputy \(in_custody takes off\)/);
    assert.match(elementAt(html, '<tr id="benchmark-quiet">', 'tr'), /<span class="rests">on monitored absence<\/span>/);
    assert.match(
      elementAt(html, '<tr id="benchmark-no-strikes">', 'tr'),
      /<span class="rests">unknown: strikes not pinned down<\/span>/,
    );
    const talks = elementAt(html, '<tr id="benchmark-talks">', 'tr');
    assert.match(talks, /<span class="rests">on evidence<\/span>/);
    assert.match(talks, /<li>stale \(newest evidence 2018-03-01, older than 12 months\)<\/li>/);
    assert.match(html, /Flags: “stale”: the newest evidence the status counts is older than the benchmark&#39;s limit/);
    // Not in force: apart, greyed, labelled; not counted.
    assert.ok(!html.includes('<tr id="gate-old-aid">') && !html.includes('<tr id="benchmark-old">'));
    assert.match(html, /<h2 id="h-not-in-force">Not in force on 2020-06-01<\/h2>/);
    const oldAid = elementAt(html, '<tr class="inapplicable" id="instrument-old-aid">', 'tr');
    assert.match(oldAid, /<span class="badge tone-na">expired<\/span><\/td><td>expired \(until 2015-09-30\)/);
    assert.match(
      elementAt(html, '<tr class="inapplicable" id="benchmark-old">', 'tr'),
      /href="\/cases\/test-case\/benchmarks\/old\?asOf=2020-06-01"/,
    );
    assert.match(
      elementAt(html, '<tr class="inapplicable" id="justification-j-old">', 'tr'),
      /its instrument, Old aid statute, is expired/,
    );
    const figures = elementAt(html, '<ul class="figures">', 'ul');
    assert.ok(figures.includes('<b>1 of 2</b> instruments warranted'), figures);
    assert.ok(figures.includes('<b>2 of 4</b> benchmarks met'), figures);
    assert.match(
      html,
      /<span class="glyph" aria-hidden="true">\?<\/span> unknown<\/span><span class="rule">\(contested\)<\/span>/,
    );
    assert.doesNotMatch(html, /> align<\/span><span class="rule">\(contested/);
  });

  it('benchmark detail: the basis, the subjects with no record by name, and bounds instead of "unknown"', () => {
    const held = page('held');
    assertSafe(held);
    assert.match(
      held,
      /<p class="status-line">Status as of 2020-06-01: .*not met.* — <span class="rests-inline">on the case&#39;s default \(no record\)<\/span><\/p>/,
    );
    assert.match(
      held,
      /<h2 id="h-basis">What the status rests on<\/h2><p class="basis-summary">not met — on the case&#39;s default: no record for deputy/,
    );
    assert.ok(
      held.includes('<li>no record for The &lt;b&gt;Deputy&lt;/b&gt; (in_custody taken as off by the case&#39;s default)</li>'),
    );
    assert.match(held, /Newest evidence it counts: <b>2020-01-10<\/b>/);

    const strikes = page('no-strikes');
    assert.match(strikes, /<td>Strikes <code>strikes<\/code><\/td><td>at least 0<\/td>/);
    assert.match(strikes, /<li>Strikes <code>strikes<\/code>: the P12M to 2020-06-01 is not monitored/);

    const quiet = page('quiet');
    assert.match(quiet, /Monitoring relied on: Incident &lt;list&gt; <code>incident-list<\/code>\./);

    const talks = page('talks');
    assert.match(talks, /<li><b>stale \(newest evidence 2018-03-01, older than 12 months\)<\/b>: the newest evidence/);
    assert.match(talks, /Evidence it rests on: <a href="#ev-ev-talks"><code>ev-talks<\/code><\/a>\./);
  });

  it('benchmark detail of a benchmark not in force says why instead of a status', () => {
    const html = page('old');
    assert.match(html, /<p class="status-line">Status as of 2020-06-01: .*not applicable<\/span> — expired<\/p>/);
    assert.match(html, /<p class="basis-summary">not applicable — expired \(until 2016-12-31\)<\/p>/);
  });

  it('justifications page: one not in force is listed apart, unjudged', () => {
    const html = renderJustificationsPage(ctx, { case: small, assessment: assess(small, items, AT) });
    assertSafe(html);
    const apart = html.slice(html.indexOf('<h2 id="h-not-in-force">'));
    assert.ok(apart.includes('<article class="justification inapplicable" id="j-j-old">'));
    assert.ok(!apart.includes('id="j-j-aid"'));
    const matrix = elementAt(html, '<table class="board matrix">', 'table');
    assert.ok(!matrix.includes('The old statute helped'));
  });
});

describe('other pages', () => {
  it('case list links each case to its dashboard, escaping its text', () => {
    const hostile = { ...c, id: 'x-case', title: HOSTILE_SCRIPT, description: HOSTILE_TITLE };
    const html = renderCaseListPage(analyst, { cases: [c, hostile] });
    assertFrame(html, analyst);
    assertSafe(html);
    assert.ok(html.includes(`href="/cases/us-pakistan?asOf=${AS_OF}"`));
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  });

  it('case list names the principal and counterpart as the case names its actors, by id where it names none', () => {
    const named = renderCaseListPage(analyst, { cases: [c] });
    assert.match(named, /<p class="meta">United States and Pakistan · <code>us-pakistan<\/code>/);
    const unnamed = renderCaseListPage(analyst, {
      cases: [{ id: 'x', title: 'X', principal: 'usa', counterpart: 'pakistan' }],
    });
    assert.match(unnamed, /<p class="meta">usa and pakistan · <code>x<\/code>/);
  });

  it('login keeps the name typed, shows the error, and carries the CSRF token', () => {
    const html = renderLoginPage(anonymous, {
      name: '"><script>alert(1)</script>',
      error: 'Wrong name or password.',
      next: '/x"',
    });
    assertFrame(html, anonymous);
    assertSafe(html);
    assert.ok(html.includes('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"'));
    assert.ok(html.includes('<input type="hidden" name="_csrf" value="tok-anon">'));
    assert.match(html, /aria-describedby="login-error"/);
    assert.match(html, /autocomplete="current-password"/);
  });

  it('alerts say what changed in words, newest first, escaped', () => {
    const html = renderAlertsPage(analyst, { alerts, cases: [c] });
    assertFrame(html, analyst);
    assertSafe(html);
    assert.ok(
      html.indexOf('f16-sustainment') < html.indexOf('let-chief-in-custody') || html.indexOf('F-16') < html.indexOf('Saeed'),
    );
    assert.ok(html.includes('status changed from <b>pending</b> to <b>met</b> as of 2023-01-01'));
    assert.ok(html.includes('&lt;b&gt;mallory&lt;/b&gt;'));
  });

  it('error pages give the status in words and escape the message; user names and flashes are escaped', () => {
    const ctx: PageContext = { user: { name: '<b>eve</b>', role: 'admin' }, csrfToken: 'a"b', flash: HOSTILE_SCRIPT };
    const html = renderErrorPage(ctx, 404, 'no case "<x>"');
    assertSafe(html);
    assert.match(html, /<h1>Not found<\/h1>/);
    assert.ok(html.includes('no case &quot;&lt;x&gt;&quot;'));
    assert.ok(html.includes('&lt;b&gt;eve&lt;/b&gt;'));
    assert.ok(html.includes('<meta name="csrf-token" content="a&quot;b">'));
    assert.ok(html.includes('<p class="flash" role="status">&lt;script&gt;'));
  });
});

describe('assets and policy', () => {
  it('the CSP allows only same-origin scripts, styles, fetches and forms', () => {
    for (const part of [
      "default-src 'none'",
      "script-src 'self'",
      "img-src 'self' data:",
      "connect-src 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ]) {
      assert.ok(WEB_CSP.includes(part), part);
    }
    assert.doesNotMatch(WEB_CSP, /script-src[^;]*unsafe/);
  });

  it('the client bundle builds once, non-empty', async () => {
    const js = await buildClientBundle();
    assert.ok(js.length > 1000);
    assert.match(js, /^"use strict";\(\(\)=>\{/);
    assert.equal(await buildClientBundle(), js);
    assert.ok(WEB_CSS.includes(':focus-visible'));
  });

  it('the built package serves the bundle `npm run build` wrote, the same script as from source, without esbuild at run time', async () => {
    const built = fileURLToPath(new URL('../../dist/web/client.bundle.js', import.meta.url));
    assert.ok(existsSync(built), 'npm run build (run by npm ci) writes dist/web/client.bundle.js');
    assert.equal(readFileSync(built, 'utf8'), await buildClientBundle(), 'the same options for both');
    const compiled = readFileSync(fileURLToPath(new URL('../../dist/web/client-bundle.js', import.meta.url)), 'utf8');
    assert.match(compiled, /client\.bundle\.js/);
  });
});
