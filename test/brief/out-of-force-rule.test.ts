/**
 * An instrument whose gate is in force while every benchmark of its rule has left its
 * window: the decision is unknown (nothing in force decides it), and the brief says so in
 * words, not as "0 benchmarks of unknown status" or "needs all 0 of its unmet benchmarks".
 * The MCC–Tanzania case's second compact after FY2016: its rule reads the 2014 prerequisite
 * and the FY2016 Control of Corruption result, both long out of force.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { loadCase } from '../../src/adapters/case-files/load-case.ts';
import { assess } from '../../src/core/assess.ts';
import type { Case } from '../../src/core/case-model.ts';
import type { Evidence } from '../../src/core/evidence.ts';
import { buildFullBrief } from '../../src/report/full-brief.ts';
import { renderMarkdownBrief } from '../../src/report/markdown-brief.ts';
import { REPO_ROOT } from '../support/cli-harness.ts';

describe('a gate whose rule has no benchmark in force (MCC–Tanzania, second compact, 2026)', () => {
  let c: Case;
  let ledger: Evidence[];
  before(async () => {
    const loaded = await loadCase(join(REPO_ROOT, 'examples', 'mcc-tanzania'));
    if (!loaded.ok) throw new Error('the mcc-tanzania case is invalid');
    c = loaded.case;
    ledger = [...loaded.evidence];
  });

  it('is undecided, and its path to unlock says no benchmark of the rule applies', () => {
    const a = assess(c, ledger, '2026-12-07');
    const i = a.instruments.find((x) => x.id === 'second-compact');
    assert.equal(i?.decision, 'unknown');
    assert.ok(i?.reasons.includes('no benchmark of the rule applies on 2026-12-07'));
    assert.equal(i?.unlock?.possible, false);
    assert.match(i?.unlock?.why ?? '', /^no benchmark of its rule applies on this date; cannot unlock as written/);
    assert.doesNotMatch(i?.unlock?.why ?? '', /all 0/);
  });

  it('the brief says why it is undecided, without counting zero benchmarks', () => {
    const md = renderMarkdownBrief(buildFullBrief(c, ledger, '2026-12-07', undefined));
    assert.match(md, /Second MCC compact with Tanzania: undecided — no benchmark of its rule applies on this date/);
    assert.doesNotMatch(md, /\b0 benchmarks of unknown status|all 0 of its unmet/);
  });

  it('while the FY2016 Control of Corruption term was in force, the words are as before', () => {
    const md = renderMarkdownBrief(buildFullBrief(c, ledger, '2016-01-15', undefined));
    assert.doesNotMatch(md, /no benchmark of its rule applies/);
  });
});

describe('the brief of a case with no instrument in force says so (US–Egypt FMF, 2026)', () => {
  it('does not call every instrument in force warranted when none is in force', async () => {
    const loaded = await loadCase(join(REPO_ROOT, 'examples', 'us-egypt-fmf'));
    if (!loaded.ok) throw new Error('the us-egypt-fmf case is invalid');
    const m = buildFullBrief(loaded.case, [...loaded.evidence], '2026-12-07', undefined);
    assert.equal(m.gates.length, 0);
    const md = renderMarkdownBrief(m);
    assert.match(md, /No instrument is in force on this date: there is nothing to unlock\./);
    assert.doesNotMatch(md, /Every instrument in force is warranted/);
  });
});
