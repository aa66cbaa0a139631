/**
 * Every page (and the HTML brief) rendered with hostile text in every untrusted field the
 * renderers can reach: case, actor, interest, instrument, indicator, benchmark, monitoring,
 * issue-area and justification text; evidence ids, kinds, descriptions, notes, tags and
 * sources (publisher, title, date, origin, URL); alerts; the signed-in user, the flash, the
 * CSRF token; query values; form values and error messages. Each payload names its field,
 * so a failure says which field leaked; each page must show the payloads it reaches as text
 * (escaped), and nothing from them may become an element, an attribute or a link.
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
import type { AlertRecord } from '../ports/team-store.ts';
import { buildFullBrief } from '../report/full-brief.ts';
import { renderHtmlBrief } from '../report/html-brief.ts';
import type { FieldError, SubmittedForm } from './form-fields.ts';
import { html } from './html.ts';
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
} from './pages.ts';

/** A payload that would run script, add an element and break out of an attribute, naming its field. */
const P = (field: string) => `<script>alert('${field}')</script>"><img src=x onerror=alert('${field}')>'`;
/** The payload as it must appear: escaped text. */
const shown = (field: string) => String(html`${P(field)}`);
const JS_URL = (field: string) => `javascript:alert('${field}')`;

const AS_OF = '2021-06-01';
const ctx: PageContext = {
  user: { name: P('user'), role: 'analyst' },
  csrfToken: P('csrf'),
  asOf: AS_OF,
  flash: P('flash'),
};
const anonymous: PageContext = { user: undefined, csrfToken: P('csrf') };

const hostileSource = (field: string, url: string) =>
  source({
    publisher: P(`${field}-publisher`),
    title: P(`${field}-title`),
    date: P(`${field}-date`),
    url,
    origin: P(`${field}-origin`),
  });

const HOSTILE_ID = P('id');

const c: Case = {
  ...makeCase({
    actors: [
      actor('principal', { kind: 'state', name: P('principal-name') }),
      actor('counterpart', { kind: 'state', name: P('counterpart-name') }),
      actor('leader', { name: P('actor-name') }),
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
      custodyIndicator({ title: P('indicator') }),
      {
        id: 'attacks',
        title: P('count-indicator'),
        kind: 'count',
        filter: { kinds: ['attack'], actors: [] },
        window: parseDuration('P12M'),
      },
    ],
    monitoring: [
      {
        id: 'watch',
        title: P('monitoring'),
        indicators: ['attacks'],
        from: '2015-01-01',
        source: { publisher: P('monitor-publisher'), title: P('monitor-title'), date: '2015' },
      },
    ],
    benchmarks: [
      benchmark({ title: P('benchmark'), description: P('benchmark-description'), author: P('author') }),
      absenceBenchmark('quiet', P('quiet'), 'attacks'),
    ],
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
    issueAreas: [
      {
        id: 'area',
        title: P('area'),
        principalInterest: 'first',
        principalPosition: P('position'),
        evidence: { aligned: ['e-aid'], opposed: [] },
        instruments: ['sale'],
      },
    ],
  }),
  title: P('case-title'),
};

const ledger: Evidence[] = [
  evidence('e-arrest', 'arrest', '2020-01-10', {
    description: P('description'),
    note: P('note'),
    tags: [P('tag')],
    quantity: { value: 1, unit: P('unit') },
    sources: [
      hostileSource('s1', JS_URL('s1-url')),
      hostileSource('s2', 'https://example.org/a"onmouseover="x'),
      hostileSource('s3', 'data:text/html,<script>alert(1)</script>'),
    ],
  }),
  evidence('e-aid', 'aid-obligation', '2020-06-01', {
    amount: 1_000_000,
    currency: 'USD',
    description: P('aid-description'),
    flow: { kind: 'aid', payer: 'principal', payee: 'counterpart' },
  }),
  evidence(HOSTILE_ID, P('kind'), '2020-02-01', { description: 'an entry with a hostile id and kind' }),
  evidence('e-fix', 'arrest', '2020-03-01', { supersedes: HOSTILE_ID, description: 'corrects the hostile id' }),
];

const alerts: AlertRecord[] = [
  {
    seq: 1,
    caseId: c.id,
    kind: 'benchmark-status',
    subject: 'custody',
    from: P('alert-from'),
    to: P('alert-to'),
    asOf: '2021-01-01',
    evidenceIds: [HOSTILE_ID],
    actor: P('alert-actor'),
    at: P('alert-at'),
  },
  {
    seq: 2,
    caseId: c.id,
    kind: 'gate-decision',
    subject: P('alert-subject'),
    from: 'unknown',
    to: 'locked',
    asOf: '2021-02-01',
    evidenceIds: [],
    actor: 'ana',
    at: '2021-02-01T10:00:00.000Z',
  },
  {
    seq: 3,
    caseId: P('alert-case'),
    kind: 'departure',
    subject: 'sale',
    from: 'none',
    to: P('alert-departure'),
    asOf: '2021-03-01',
    evidenceIds: ['e-arrest'],
    actor: 'ana',
    at: '2021-03-01T10:00:00.000Z',
  },
];

/** Every start tag of the page with its attributes (escaped text holds no `<`, so each one is real markup). */
function tagsOf(page: string): { name: string; attrs: { name: string; raw: string; value: string | undefined }[] }[] {
  const tags = [];
  for (const t of page.matchAll(/<([a-zA-Z][^\s>/]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?)*)\s*\/?>/g)) {
    const attrs = [...(t[2] ?? '').matchAll(/\s+([^\s=>/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>"']+))?/g)].map((m) => ({
      name: (m[1] ?? '').toLowerCase(),
      raw: m[0].trim(),
      value: m[2],
    }));
    tags.push({ name: (t[1] ?? '').toLowerCase(), attrs });
  }
  return tags;
}

/** What the page must never contain, whatever the data: scripts but `scripts`, elements or handlers from the data, unquoted attribute values, links that are not http(s), in-app or in-page. */
function assertInert(page: string, scripts: readonly string[]): void {
  assert.deepEqual(page.match(/<script\b[^>]*>/gi) ?? [], scripts, 'only the expected script elements');
  const tags = tagsOf(page);
  assert.ok(tags.length > 20, 'the page was read tag by tag');
  for (const tag of tags) {
    assert.ok(
      !['img', 'iframe', 'object', 'embed', 'foreignobject', 'base', 'meta-refresh'].includes(tag.name),
      `a <${tag.name}> element`,
    );
    for (const a of tag.attrs) {
      assert.ok(!a.name.startsWith('on'), `an event handler attribute on <${tag.name}>: ${a.raw}`);
      assert.ok(
        a.value === undefined || a.value.startsWith('"'),
        `an attribute value not in double quotes on <${tag.name}>: ${a.raw}`,
      );
      if (['href', 'src', 'action', 'formaction', 'xlink:href'].includes(a.name)) {
        const url = (a.value ?? '').slice(1, -1);
        assert.match(url, /^(\/(?!\/)|#|https?:\/\/|data:,$)/, `<${tag.name} ${a.raw}>: not an in-app, in-page or http(s) URL`);
      }
    }
  }
  assert.doesNotMatch(page, /<svg\s+onload/i);
}

/** Each field's payload is on the page, as text; none of them as markup. */
function assertShown(page: string, fields: readonly string[]): void {
  for (const field of fields) {
    assert.ok(page.includes(shown(field)), `${field} is shown escaped`);
  }
  assert.doesNotMatch(page, /<script>alert\(/);
  assert.doesNotMatch(page, /"><img src=x/);
}

const BUNDLE = ['<script src="/static/app.js" defer>'];

describe('hostile text in every field of every page', () => {
  const brief = buildFullBrief(c, ledger, AS_OF, '2020-01-01');
  const a = assess(c, ledger, AS_OF);

  it('the case list', () => {
    const page = renderCaseListPage(ctx, {
      cases: [
        {
          id: P('case-id'),
          title: P('case-title'),
          principal: 'p',
          counterpart: P('counterpart'),
          actors: [{ id: 'p', name: P('principal'), kind: 'state', aliases: [], cameo: [], memberOf: [] }],
          description: P('case-description'),
        },
      ],
    });
    assertInert(page, BUNDLE);
    assertShown(page, ['case-id', 'case-title', 'principal', 'counterpart', 'case-description', 'user', 'flash', 'csrf']);
  });

  it('the dashboard', () => {
    const page = renderDashboardPage(ctx, { case: c, brief, alerts });
    assertInert(page, BUNDLE);
    assertShown(page, [
      'case-title',
      'instrument',
      'benchmark',
      'interest',
      'justification',
      'area',
      'position',
      'description',
      'note',
      's1-publisher',
      's1-title',
      's1-date',
      's2-title',
      'user',
      'flash',
      'csrf',
    ]);
    assert.ok(page.includes(`${String(html`${HOSTILE_ID}`)}</a>`), 'the hostile id, escaped, in a link text');
  });

  it('the benchmark detail, with the evidence trail', () => {
    for (const r of a.benchmarks) {
      const page = renderBenchmarkPage(ctx, { case: c, result: r, asOf: AS_OF, ledger });
      assertInert(page, BUNDLE);
      if (r.id === 'custody') {
        assertShown(page, [
          'benchmark',
          'benchmark-description',
          'author',
          'indicator',
          'instrument',
          'description',
          'note',
          'tag',
          'unit',
          's1-publisher',
          's1-title',
          's1-date',
          's1-origin',
          's3-title',
          'case-title',
        ]);
      } else {
        assertShown(page, ['quiet', 'monitoring', 'count-indicator']);
      }
    }
  });

  it('the justifications', () => {
    const page = renderJustificationsPage(ctx, { case: c, assessment: a });
    assertInert(page, BUNDLE);
    assertShown(page, ['justification', 'claim', 'claimed-by', 'interest', 'instrument', 'case-title']);
  });

  it('the evidence browser, with hostile entries and hostile query values', () => {
    const page = renderEvidenceBrowserPage(ctx, { case: c, entries: ledger, params: {} });
    assertInert(page, BUNDLE);
    assertShown(page, ['description', 'note', 's1-publisher', 's1-title', 'kind', 'id', 'actor-name', 'case-title']);
    const asked = renderEvidenceBrowserPage(ctx, {
      case: c,
      entries: ledger,
      params: {
        q: P('q'),
        actor: P('actor-param'),
        kind: P('kind-param'),
        from: P('from'),
        to: P('to'),
        reliability: P('rel'),
        page: P('page'),
      },
    });
    assertInert(asked, BUNDLE);
    assertShown(asked, ['q', 'actor-param', 'kind-param', 'from', 'to', 'rel']); // a bad page number is dropped, not echoed
  });

  it('the evidence form: a correction of a hostile entry, hostile values and messages after a 400', () => {
    const target = ledger.find((e) => e.id === 'e-arrest');
    assert.ok(target);
    const correcting = renderEvidenceFormPage(ctx, { case: c, today: '2026-01-01', supersedes: target, kinds: [P('kinds')] });
    assertInert(correcting, BUNDLE);
    assertShown(correcting, ['description', 'note', 's1-publisher', 's1-title', 'kinds', 'actor-name', 'csrf']);
    const fields = [
      'id',
      'kind',
      'description',
      'occurred',
      'reported',
      'amount',
      'currency',
      'tags',
      'supersedes',
      'note',
      'sources[0][publisher]',
      'sources[0][title]',
      'sources[0][date]',
      'sources[0][url]',
      'sources[0][origin]',
    ];
    const submitted: SubmittedForm = {
      ...Object.fromEntries(fields.map((f) => [f, P(`form-${f}`)])),
      actors: [P('form-actor')],
      'sources[0][reliability]': P('form-reliability'),
      'sources[0][credibility]': P('form-credibility'),
    };
    const errors: FieldError[] = [
      { path: 'description', message: P('error-description') },
      { path: 'sources.0.title', message: P('error-source') },
      { path: P('error-path'), message: P('error-unplaced') },
      { path: 'sources', message: P('error-sources') },
      { path: 'actors', message: P('error-actors') },
    ];
    const after400 = renderEvidenceFormPage(ctx, { case: c, today: P('today'), submitted, errors });
    assertInert(after400, BUNDLE);
    assertShown(after400, [
      ...fields.map((f) => `form-${f}`),
      'form-actor',
      'error-description',
      'error-source',
      'error-path',
      'error-unplaced',
      'error-sources',
      'error-actors',
      'today',
    ]);
  });

  it('the alerts', () => {
    const page = renderAlertsPage(ctx, { alerts, cases: [c] });
    assertInert(page, BUNDLE);
    assertShown(page, [
      'alert-actor',
      'alert-at',
      'alert-from',
      'alert-to',
      'alert-subject',
      'alert-case',
      'alert-departure',
      'case-title',
      'id',
    ]);
  });

  it('the error, login and anonymous pages', () => {
    const error = renderErrorPage(ctx, 400, P('message'));
    assertInert(error, BUNDLE);
    assertShown(error, ['message', 'user', 'flash', 'csrf']);
    const login = renderLoginPage(anonymous, { name: P('login-name'), error: P('login-error'), next: P('login-next') });
    assertInert(login, BUNDLE);
    assertShown(login, ['login-name', 'login-error', 'login-next', 'csrf']);
    const missing = renderErrorPage(anonymous, 404, P('message'));
    assertInert(missing, BUNDLE);
    assertShown(missing, ['message']);
  });

  it('the HTML brief of the same case', () => {
    const page = renderHtmlBrief(brief);
    assertInert(page, []);
    assertShown(page, [
      'case-title',
      'instrument',
      'benchmark',
      'interest',
      'justification',
      'description',
      'note',
      's1-publisher',
      's1-title',
    ]);
  });
});
