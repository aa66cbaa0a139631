import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatProblem, parseCaseFiles } from './load-case.ts';

const CASE = `case: {id: c, title: C, principal: usa, counterpart: pak}
actors:
  - {id: usa, name: United States, kind: state}
  - {id: pak, name: Pakistan, kind: state}
interests:
  - {id: ct, title: Counter-terrorism, rank: 1, weight: 1}
instruments:
  - {id: dialogue, title: Dialogue, tier: 1}
`;
const EVIDENCE = ['help', 'attack']
  .map(
    (id) =>
      `${JSON.stringify({ id, kind: 'assessment', actors: ['pak'], description: id, occurred: '2020', reported: '2020', recorded: '2020-12-31', sources: [{ publisher: 'P', title: 'T', date: '2020', reliability: 'B', credibility: 2 }] })}\n`,
  )
  .join('');

function parse(areas: string) {
  return parseCaseFiles('x', [
    { name: 'case.yaml', text: CASE },
    { name: 'issue-areas.yaml', text: areas },
    { name: 'evidence/e.jsonl', text: EVIDENCE },
  ]);
}

describe('issueAreas in case files', () => {
  it('loads an area with its evidence and instruments, defaults applied', () => {
    const r = parse(`issueAreas:
  - id: afghanistan
    title: Afghanistan
    principalInterest: ct
    principalPosition: A negotiated withdrawal.
    evidence: {aligned: [help]}
    instruments: [dialogue]
  - id: trade
    title: Trade
    principalInterest: ct
    principalPosition: Small steps.
    evidence: {}
`);
    assert.ok(r.ok, r.ok ? '' : r.problems.map(formatProblem).join('\n'));
    assert.deepEqual(r.case.issueAreas, [
      {
        id: 'afghanistan',
        title: 'Afghanistan',
        principalInterest: 'ct',
        principalPosition: 'A negotiated withdrawal.',
        evidence: { aligned: ['help'], opposed: [] },
        instruments: ['dialogue'],
      },
      {
        id: 'trade',
        title: 'Trade',
        principalInterest: 'ct',
        principalPosition: 'Small steps.',
        evidence: { aligned: [], opposed: [] },
        instruments: [],
      },
    ]);
  });

  it('reports unknown interests, evidence and instruments, an item on both sides, a written stance and duplicates, each at its position', () => {
    const lines = [
      'issueAreas:',
      '  - id: afghanistan',
      '    title: Afghanistan',
      '    principalInterest: cterror',
      '    principalPosition: A negotiated withdrawal.',
      '    evidence: {aligned: [help, halp], opposed: [attack, help]}',
      '    instruments: [dialog]',
      '  - id: afghanistan',
      '    title: Again',
      '    principalInterest: ct',
      '    evidence: {aligned: [], stance: aligned}',
      '',
    ];
    const col = (line: number, fragment: string, from = 0): number => (lines[line - 1] ?? '').indexOf(fragment, from) + 1;
    const r = parse(lines.join('\n'));
    const problems = r.ok ? [] : r.problems;
    assert.deepEqual(
      problems.map((p) => `${p.line}:${p.col} ${p.code} ${p.message}`),
      [
        `4:${col(4, 'cterror')} unknown-reference issue area "afghanistan" refers to unknown interest "cterror" (interests are defined in case.yaml)`,
        `6:${col(6, 'halp')} unknown-reference issue area "afghanistan" refers to unknown evidence "halp" (evidence is recorded in evidence/e.jsonl); did you mean "help"?`,
        `6:${col(6, 'help', col(6, 'attack'))} inconsistent issue area "afghanistan": evidence "help" is listed both as aligned and as opposed; an item shows the counterpart acting with the principal's position or against it: keep it on one side`,
        `7:${col(7, 'dialog')} unknown-reference issue area "afghanistan" refers to unknown instrument "dialog" (instruments are defined in case.yaml); did you mean "dialogue"?`,
        '8:5 schema issue area "afghanistan": missing required key "principalPosition" (a text)',
        `8:${col(8, 'afghanistan')} duplicate-id duplicate issue area id "afghanistan": already defined at issue-areas.yaml:2; issue areas need unique ids`,
        `11:${col(11, 'stance')} schema issue area "afghanistan" evidence: unknown key "stance"; allowed keys: aligned, opposed`,
      ],
    );
  });
});
