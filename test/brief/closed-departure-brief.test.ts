/**
 * A departure at the close of an instrument since closed, in the brief's key figures and
 * bottom line (issue 14). The FY2021 prisoner tranche of the US–Egypt FMF case closed on
 * 2022-09-30 with the US$75 million held back although its gate was unlocked; the hold
 * became public on 2022-10-17. As of 2023-09-30 the bottom line and the key figures say it,
 * labelled as closed, and it stays out of the figures of the instruments in force; as of
 * 2022-10-16 nothing of it is known, and nothing is said.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { loadCase } from '../../src/adapters/case-files/load-case.ts';
import type { Case } from '../../src/core/case-model.ts';
import type { Evidence } from '../../src/core/evidence.ts';
import type { BriefModel } from '../../src/report/brief-model.ts';
import { buildFullBrief } from '../../src/report/full-brief.ts';
import { renderHtmlBrief } from '../../src/report/html-brief.ts';
import { keyFigures } from '../../src/report/key-figures.ts';
import { renderMarkdownBrief } from '../../src/report/markdown-brief.ts';
import { type PageContext, renderDashboardPage } from '../../src/web/pages.ts';
import { REPO_ROOT } from '../support/cli-harness.ts';

const LINE =
  '1 closed instrument departed from what was warranted at its close: FY2021 FMF for Egypt tied to political prisoners, no waiver (US$75 million), closed 2022-09-30: held back although warranted — withheld 2022-09-30.';
const FIGURE = 'closed instrument departed from what was warranted at its close';
const HOLD = 'ev-2022-10-17-leahy-holds-75m';

describe('a closed instrument’s departure in the key figures and the bottom line (US–Egypt FMF)', () => {
  let c: Case;
  let ledger: Evidence[];
  before(async () => {
    const loaded = await loadCase(join(REPO_ROOT, 'examples', 'us-egypt-fmf'));
    if (!loaded.ok) throw new Error('the us-egypt-fmf case is invalid');
    c = loaded.case;
    ledger = [...loaded.evidence];
  });
  const ctx = (asOf: string): PageContext => ({ user: { name: 'ana', role: 'analyst' }, csrfToken: 'tok', asOf });

  it('as of 2023-09-30: one line after the instruments in force, citing the hold, and a figure of its own', () => {
    const m = buildFullBrief(c, ledger, '2023-09-30', undefined);
    const inForce = m.gates.length;
    assert.ok(!m.gates.some((g) => g.id === 'fmf-fy2021-prisoners'), 'the closed tranche is on no board');
    // The lines of the instruments in force come first, then the closed departure.
    const at = m.bottomLine.findIndex((s) => s.text === LINE);
    assert.equal(at, inForce, m.bottomLine.map((s) => s.text).join('\n'));
    const cited = m.bottomLine[at]?.cites.map((n) => m.citations[n - 1]?.evidence.id);
    assert.deepEqual(cited, [HOLD]);
    assert.deepEqual(
      m.closedDepartures?.map((x) => [x.id, x.closed, x.departure, x.done.state]),
      [['fmf-fy2021-prisoners', '2022-09-30', 'withheld-while-unlocked', 'withheld']],
    );
    const figures = keyFigures(m);
    const departures = figures.findIndex((f) => f.label === 'departures from what is warranted');
    assert.deepEqual(figures[departures], { number: 0, label: 'departures from what is warranted' }, 'in force: none');
    assert.deepEqual(figures[departures + 1], { number: 1, label: FIGURE });
    // Still out of the count of instruments in force.
    assert.deepEqual(figures[0], { number: 1, of: inForce, label: 'instruments warranted' });
  });

  it('as of 2023-09-30: the Markdown and HTML briefs and the dashboard say it, and the not-in-force note says so', () => {
    const m = buildFullBrief(c, ledger, '2023-09-30', undefined);
    const md = renderMarkdownBrief(m);
    assert.ok(md.includes(`\n- ${LINE} [`), 'the Markdown bottom line');
    assert.ok(
      md.includes(
        'left out of the bottom line and the boards, except the departure at the close of 1 closed instrument, said in the bottom line.',
      ),
    );
    for (const [name, page] of [
      ['HTML brief', renderHtmlBrief(m)],
      ['dashboard', renderDashboardPage(ctx('2023-09-30'), { case: c, brief: m, alerts: [] })],
    ] as const) {
      assert.ok(page.includes(`<li>${LINE}`), `${name}: the bottom line`);
      assert.ok(page.includes(`<li><b>1</b> ${FIGURE}</li>`), `${name}: the key figure`);
      assert.ok(
        page.includes(
          'except the departure at the close of 1 closed instrument, said in the bottom line and counted in the key figures.',
        ),
        name,
      );
    }
  });

  it('as of 2022-10-16, before the hold became public: no such line, figure or note', () => {
    const m: BriefModel = buildFullBrief(c, ledger, '2022-10-16', undefined);
    assert.equal(m.closedDepartures, undefined);
    assert.ok(!m.bottomLine.some((s) => s.text.includes('closed instrument')), m.bottomLine.map((s) => s.text).join('\n'));
    assert.ok(!keyFigures(m).some((f) => f.label.startsWith('closed')));
    const md = renderMarkdownBrief(m);
    assert.ok(!md.includes('closed instrument'));
    assert.ok(md.includes('Neither open nor closed, met nor unmet: left out of the bottom line and the boards.'));
    const html = renderHtmlBrief(m);
    assert.ok(!html.includes('closed instrument'));
    assert.ok(html.includes('left out of the key figures, the bottom line and the boards above.</p>'));
  });
});
