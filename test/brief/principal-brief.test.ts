/**
 * The reference brief as the principal reads it: as of 2022-09-30 it leads with the F-16
 * departure (notified on 2022-09-07 while its conditions are unmet); as of the essay's date
 * its bottom line fits in about 120 words of plain titles and words, the path to unlock the
 * F-16 package is no earlier than a year after the date, the money is counted by declared
 * flow (the US$450M is a sale Pakistan pays for), the key figures count documents, and the
 * status timeline starts at the case's first evidence.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadCase } from '../../src/adapters/case-files/load-case.ts';
import type { Case } from '../../src/core/case-model.ts';
import type { Evidence } from '../../src/core/evidence.ts';
import { buildFullBrief, caseStart } from '../../src/report/full-brief.ts';
import { keyFigures } from '../../src/report/key-figures.ts';
import { renderMarkdownBrief } from '../../src/report/markdown-brief.ts';
import { countWords } from '../../src/report/principal-words.ts';
import { REFERENCE_CASE } from '../support/cli-harness.ts';

describe('the reference brief for the principal', () => {
  let c: Case;
  let ledger: Evidence[];
  before(async () => {
    const loaded = await loadCase(REFERENCE_CASE);
    if (!loaded.ok) throw new Error('the reference case is invalid');
    c = loaded.case;
    ledger = [...loaded.evidence];
  });

  it('as of 2022-09-30, leads with the F-16 departure: not warranted, yet notified on 2022-09-07, cited', () => {
    const m = buildFullBrief(c, ledger, '2022-09-30', undefined);
    const first = m.bottomLine[0];
    assert.ok(first);
    assert.match(
      first.text,
      /^F-16 sustainment package for Pakistan: not warranted — conditions unmet \(\d of \d benchmarks unmet\); done anyway: notified 2022-09-07/,
    );
    const cited = first.cites.map((n) => m.citations[n - 1]?.evidence.id);
    assert.ok(cited.includes('ev-2022-09-07-dsca-f16-sustainment'), cited.join(', '));
    const gate = m.gates.find((g) => g.id === 'f16-sustainment');
    assert.equal(gate?.departure, 'acted-while-locked');
    assert.equal(gate?.done?.since, '2022-09-07');
  });

  it('as of 2023-03-03: a bottom line of at most 120 words, in plain words, with the confidence line', () => {
    const m = buildFullBrief(c, ledger, '2023-03-03', undefined);
    const all = m.bottomLine.map((s) => s.text).join(' ');
    assert.ok(countWords(all) <= 120, `${countWords(all)} words:\n${all}`);
    const inForce = m.gates.length;
    assert.ok(m.bottomLine.length >= inForce, 'one line per instrument in force');
    assert.match(m.bottomLine[0]?.text ?? '', /^F-16 sustainment package for Pakistan: not warranted/, 'the departure first');
    for (const g of m.gates) assert.ok(!all.includes(g.id), `no id: ${g.id}`);
    for (const b of m.benchmarks) assert.ok(!all.includes(b.id), `no id: ${b.id}`);
    assert.doesNotMatch(all, /\bP\d+[YMWD]\b/, 'durations in words');
    assert.doesNotMatch(all, /\(\d+\.\d+\)/, 'no bare weights');
    assert.match(m.confidence.text, /^Confidence: \d+ of \d+ decisions and \d+ of \d+ verdicts /);
    const md = renderMarkdownBrief(m);
    assert.match(md, /## Bottom line\n\n- F-16 sustainment package for Pakistan: /);
    assert.match(md, /\n\nConfidence: /);
    assert.match(md, /## What would change this\n\n\*\*F-16 sustainment package for Pakistan\*\* \(not warranted\): /);
  });

  it('as of 2023-03-03: the F-16 package could be warranted no earlier than 2024-03-03, or not at all as written', () => {
    const m = buildFullBrief(c, ledger, '2023-03-03', undefined);
    const unlock = m.gates.find((g) => g.id === 'f16-sustainment')?.unlock;
    assert.ok(unlock);
    if (unlock.possible) assert.ok(unlock.earliest !== null && unlock.earliest >= '2024-03-03', `${unlock.earliest}`);
    else assert.match(unlock.why, /cannot/);
    assert.ok(unlock.blockers.length > 0);
    for (const b of unlock.blockers) assert.doesNotMatch(`${b.needs} ${b.why}`, /\bP\d+[YMWD]\b|\[ev-/);
  });

  it('counts money by declared flow only: the F-16 package is a sale paid by Pakistan, not US money', () => {
    const m = buildFullBrief(c, ledger, '2023-03-03', undefined);
    const money = m.money;
    assert.ok(money);
    const sale = money.entries.find((e) => e.id === 'ev-2022-09-07-dsca-f16-sustainment');
    assert.ok(sale, 'the notification declares its flow');
    assert.deepEqual([sale.flow, sale.payer, sale.payee], ['sale', 'Pakistan', 'United States']);
    assert.ok(!money.series.some((s) => /other/i.test(s.label)), 'no "Other" bar');
    const ids = money.entries.map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length, 'each entry once');
    const claimed = new Set(ledger.filter((e) => e.claim !== undefined).map((e) => e.id));
    assert.ok(!ids.some((id) => claimed.has(id)), 'no claim among the flows');
  });

  it('counts documents cited, not chart points, and runs the timeline from the case start', () => {
    const m = buildFullBrief(c, ledger, '2023-03-03', undefined);
    const docs = keyFigures(m).at(-1);
    assert.match(docs?.label ?? '', /^documents? cited$/);
    const distinct = new Set(
      m.citations.flatMap((ci) =>
        ci.evidence.sources.map((src) => `${src.publisher.trim().toLowerCase()}|${src.title.trim().toLowerCase()}`),
      ),
    );
    assert.equal(docs?.number, distinct.size, 'each source document once, however many entries or chart points cite it');
    const start = caseStart(c, ledger, '2023-03-03');
    assert.ok(start !== undefined && start < '2015-03-03', `the case starts before the old eight-year window: ${start}`);
    assert.ok(m.statusTimeline !== undefined && m.statusTimeline.from <= start && m.statusTimeline.to === '2023-03-03');
  });
});
