/**
 * Layout mistakes in YAML case files are named at the line to change, once per cause, with
 * no cascade into other files and no Node warning (issue 14, point 6).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { formatProblem, parseCaseFiles } from './load-case.ts';

const CASE = 'case: {id: c, title: C, principal: usa, counterpart: pak}\n';
const ACTORS = [
  'actors:',
  '  - id: usa',
  '    name: United States',
  '    kind: state',
  '    cameo: [USA]',
  '',
  '  - id: pak',
  '    name: Pakistan',
  '    kind: state',
  '    cameo: [PAK]',
  '',
].join('\n');
const EVIDENCE = [
  '- id: ev-1',
  '  kind: meeting',
  '  actors: [usa, pak]',
  '  description: d',
  '  occurred: 2020-01-02',
  '  reported: 2020-01-02',
  '  recorded: 2020-01-03',
  '  sources: [{publisher: P, title: T, date: 2020-01-02, reliability: B, credibility: 2}]',
  '',
].join('\n');

/** The problems of the case with actors.yaml's line `n` (1-based) replaced. */
function problemsWith(n: number, line: string): string[] {
  const lines = ACTORS.split('\n');
  lines[n - 1] = line;
  const r = parseCaseFiles('x', [
    { name: 'case.yaml', text: CASE },
    { name: 'actors.yaml', text: lines.join('\n') },
    { name: 'evidence/e.yaml', text: EVIDENCE },
  ]);
  return r.ok ? [] : r.problems.map(formatProblem);
}

const warnings: Error[] = [];
const onWarning = (w: Error) => warnings.push(w);
before(() => process.on('warning', onWarning));
after(() => {
  process.off('warning', onWarning);
});

describe('YAML layout mistakes', () => {
  it('the reference layout is valid', () => {
    assert.deepEqual(problemsWith(1, 'actors:'), []);
  });

  it('a list item without `- `: one problem at its first key, nothing about unknown actors elsewhere', () => {
    const p = problemsWith(7, '    id: pak');
    assert.equal(p.length, 1, p.join('\n'));
    assert.match(p[0] ?? '', /^x\/actors\.yaml:7:5: `id` on line 7 starts a new list item but has no `- `: write `- id: …`/);
  });

  it('a key indented too deep: named at that line, not the line above', () => {
    const p = problemsWith(10, '      cameo: [PAK]');
    assert.equal(p.length, 1, p.join('\n'));
    assert.match(
      p[0] ?? '',
      /^x\/actors\.yaml:10:7: line 10 \(`cameo`\) is indented 6 spaces, deeper than `kind` on line 9 \(4\)/,
    );
  });

  it('a key indented too shallow: one problem, at that line', () => {
    const p = problemsWith(8, '   name: Pakistan');
    assert.equal(p.length, 1, p.join('\n'));
    assert.match(p[0] ?? '', /^x\/actors\.yaml:8:1: line 8 \(`name`\) is indented 3 spaces, less than the keys above it \(4\)/);
  });

  it('a tab: one problem, at that line, saying how many spaces', () => {
    const p = problemsWith(8, '\tname: Pakistan');
    assert.equal(p.length, 1, p.join('\n'));
    assert.match(p[0] ?? '', /^x\/actors\.yaml:8:1: line 8 is indented with a tab: .*\(4 to align with the keys of line 7/);
  });

  it('a key written twice in one item is named once', () => {
    const p = problemsWith(9, '    name: Pakistan again');
    assert.equal(p.length, 1, p.join('\n'));
    assert.match(p[0] ?? '', /key `name` appears twice in one mapping \(first on line 8\)/);
  });

  it('prints no Node warning', () => {
    problemsWith(8, '\tname: Pakistan');
    problemsWith(7, '    id: pak');
    assert.deepEqual(
      warnings.map((w) => w.message),
      [],
    );
  });
});

describe('did you mean, in where', () => {
  it('names the evidence field a misspelt name is closest to, and lists them', () => {
    const indicators = 'indicators:\n  - id: big\n    title: Big sums\n    kind: count\n    where: "ammount > 100"\n';
    const r = parseCaseFiles('x', [
      { name: 'case.yaml', text: CASE },
      { name: 'actors.yaml', text: ACTORS },
      { name: 'indicators.yaml', text: indicators },
      { name: 'evidence/e.yaml', text: EVIDENCE },
    ]);
    assert.equal(r.ok, false);
    const p = r.ok ? [] : r.problems.map(formatProblem);
    assert.equal(p.length, 1, p.join('\n'));
    assert.match(p[0] ?? '', /Unknown variable: ammount; did you mean "amount"\? \(an item's fields: id, kind, actors/);
  });
});
