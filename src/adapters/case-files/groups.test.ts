/**
 * Benchmark groups in case files: members inline and in tables, defaults, blocks, gate
 * rules over groups, and every mistake reported once at the row, cell or key at fault.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadCase, parseCaseFiles } from './load-case.ts';

const CASE = `case: {id: c, title: C, principal: p, counterpart: q}
actors:
  - {id: p, name: P, kind: state}
  - {id: q, name: Q, kind: state}
instruments:
  - {id: visas, title: Visas, tier: 3}
indicators:
  - {id: law_in_force, title: Law, kind: exists, kinds: [law]}
`;

function problemsOf(files: { name: string; text: string }[]): string[] {
  const r = parseCaseFiles('x', files);
  return r.ok ? [] : r.problems.map((p) => `${p.file.replace(/^x\//, '')}:${p.line}:${p.col} ${p.code} ${p.message}`);
}

const GROUP = (extra: string) => `groups:
  - id: roadmap
    title: Roadmap
    blocks:
      - {id: block-1, title: Block one}
      - {id: block-2, title: Block two}
    benchmark:
      finding: {assessor: Commission}
      stale: P24M
${extra}`;

describe('benchmark groups in case files', () => {
  it('expands a CSV table into full benchmarks with the defaults, and gate rules over the group and a block', () => {
    const r = parseCaseFiles('x', [
      {
        name: 'case.yaml',
        text: `${CASE}${GROUP('    table: roadmap.csv\n')}gates:\n  - instrument: visas\n    rule: {all: [{atLeast: 2, of: roadmap}, block-2]}\n`,
      },
      {
        name: 'tables/roadmap.csv',
        text: 'id,title,block,condition\nb1,One,block-1,\nb2,Two,block-1,law_in_force\nb3,Three,block-2,\n',
      },
    ]);
    assert.ok(r.ok, r.ok ? '' : r.problems.map((p) => p.message).join('\n'));
    const c = r.case;
    assert.deepEqual(
      c.benchmarks.map((b) => [b.id, b.group, b.block, b.finding?.assessor, b.stale?.text, b.conditions]),
      [
        ['b1', 'roadmap', 'block-1', 'Commission', 'P24M', []],
        ['b2', 'roadmap', 'block-1', 'Commission', 'P24M', ['law_in_force']],
        ['b3', 'roadmap', 'block-2', 'Commission', 'P24M', []],
      ],
    );
    assert.deepEqual(
      c.groups?.map((g) => [g.id, g.parent ?? null, g.members]),
      [
        ['roadmap', null, ['b1', 'b2', 'b3']],
        ['block-1', 'roadmap', ['b1', 'b2']],
        ['block-2', 'roadmap', ['b3']],
      ],
    );
    assert.deepEqual(c.gates[0]?.rule, {
      kind: 'all',
      benchmarks: [],
      rules: [
        { kind: 'at-least', count: 2, benchmarks: ['b1', 'b2', 'b3'], group: 'roadmap' },
        { kind: 'all', benchmarks: ['b3'], group: 'block-2' },
      ],
    });
  });

  it('takes inline members, a row overriding a default', () => {
    const r = parseCaseFiles('x', [
      {
        name: 'case.yaml',
        text: `${CASE}${GROUP('    members:\n      - {id: b1, title: One, block: block-1}\n      - {id: b2, title: Two, stale: P6M}\n')}`,
      },
    ]);
    assert.ok(r.ok, r.ok ? '' : r.problems.map((p) => p.message).join('\n'));
    assert.deepEqual(
      r.case.benchmarks.map((b) => [b.id, b.block ?? null, b.stale?.text]),
      [
        ['b1', 'block-1', 'P24M'],
        ['b2', null, 'P6M'],
      ],
    );
  });

  it('reports each mistake at the cell, row or key at fault', () => {
    const problems = problemsOf([
      {
        name: 'case.yaml',
        text: `${CASE}${GROUP('    table: roadmap.csv\n    members:\n      - {id: b9, title: Nine, block: block-3}\n')}gates:\n  - instrument: visas\n    rule: {all: b1}\n  - instrument: nope\n    rule: {any: [roadmap, block-7]}\n`,
      },
      {
        name: 'tables/roadmap.csv',
        text: 'id,title,blok\nb1,One,block-1\nb1,Again,\nB2,Bad id,\nb3,Three,\n',
      },
    ]);
    assert.deepEqual(problems, [
      'case.yaml:20:38 unknown-reference benchmark "b9": "block-3" is not a block of group "roadmap" (its blocks: block-1, block-2); did you mean "block-1"?',
      'case.yaml:23:17 schema gate for instrument "visas" rule: "b1" is a benchmark, not a group; write a list: all: [b1]',
      'case.yaml:24:17 unknown-reference gate for instrument "nope" refers to unknown instrument "nope" (instruments are defined in case.yaml)',
      'case.yaml:25:27 unknown-reference gate for instrument "nope" refers to unknown benchmark or group "block-7"; did you mean "block-1"?',
      'tables/roadmap.csv:1:10 schema unknown column "blok"; did you mean "block"?',
      'tables/roadmap.csv:3:1 duplicate-id duplicate benchmark id "b1": already defined at tables/roadmap.csv:2; benchmarks need unique ids',
      'tables/roadmap.csv:4:1 schema benchmark "B2" id: expected an id of lowercase letters, digits and hyphens such as "fatf-plan", got "B2"',
    ]);
  });

  it('reports a table that does not exist at the group, and a bad default once, at the default', () => {
    const problems = problemsOf([
      {
        name: 'case.yaml',
        text: `${CASE}groups:\n  - id: roadmap\n    title: Roadmap\n    benchmark: {finding: {}, stale: P2X}\n    table: roadmap.cvs\n    members:\n      - {id: b1, title: One}\n      - {id: b2, title: Two}\n`,
      },
      { name: 'tables/roadmap.csv', text: 'id,title\n' },
    ]);
    assert.deepEqual(problems, [
      'case.yaml:12:37 bad-duration benchmark "b1" stale: "P2X" is not a duration such as P12M, P1Y, P90D or P2W (the same for 1 more member of the group)',
      'case.yaml:13:12 unreadable group "roadmap" names table "roadmap.cvs", but tables/ has no such file (it has roadmap.csv); did you mean "roadmap.csv"?',
    ]);
  });

  it('reads tables/ from a folder', async () => {
    const r = await loadCase('test/fixtures/cases/roadmap-groups');
    assert.ok(r.ok, r.ok ? '' : r.problems.map((p) => p.message).join('\n'));
    assert.equal(r.case.benchmarks.length, 12);
    assert.ok(r.files.some((f) => f.endsWith('tables/roadmap.csv')));
  });
});

describe('the 72-benchmark roadmap of docs/examples', () => {
  it('fits in under 150 lines of YAML plus a table, validates, and gates on the list and a block', async () => {
    const { readFileSync } = await import('node:fs');
    const { assess } = await import('../../core/assess.ts');
    const yamlLines = readFileSync('docs/examples/roadmap-72/case.yaml', 'utf8').trimEnd().split('\n').length;
    assert.ok(yamlLines < 150, `${yamlLines} lines`);
    const r = await loadCase('docs/examples/roadmap-72');
    assert.ok(r.ok, r.ok ? '' : r.problems.map((p) => p.message).join('\n'));
    assert.equal(r.case.benchmarks.length, 72);
    const a = assess(r.case, r.evidence, '2024-01-01');
    assert.equal(a.groups[0]?.summary, 'Visa liberalisation roadmap: 68 of 72 met; partial: b2-09, b3-03; unknown: b1-02, b4-18');
    const visas = a.instruments.find((i) => i.id === 'visa-free-travel');
    // 68 of 72 is enough for the list, but block 3 holds a partial member.
    assert.equal(visas?.decision, 'locked');
    assert.deepEqual(visas?.missing, ['b3-03']);
  });
});

describe('findings arriving one at a time (the API, the web form)', () => {
  it('are checked against the case’s benchmarks, a form’s finding[…] fields included', async () => {
    const { validateEvidenceInput, evidenceFromForm } = await import('./validate-evidence-input.ts');
    const r = await loadCase('test/fixtures/cases/roadmap-groups');
    assert.ok(r.ok);
    const form = {
      id: 'f-new',
      kind: 'assessment',
      actors: 'borduria',
      description: 'A finding',
      occurred: '2024-02-01',
      reported: '2024-02-01',
      recorded: '2024-02-02',
      'finding[benchmark]': 'b3-4',
      'finding[grade]': 'partially-fulfilled',
      'finding[assessor]': 'Commission',
      'sources[0][publisher]': 'P',
      'sources[0][title]': 'T',
      'sources[0][date]': '2024-02-01',
      'sources[0][reliability]': 'A',
      'sources[0][credibility]': '1',
    };
    const ok = validateEvidenceInput(r.case, evidenceFromForm(form), { ids: new Set() });
    assert.ok(ok.ok, ok.ok ? '' : JSON.stringify(ok.problems));
    assert.deepEqual(ok.evidence.finding, { benchmark: 'b3-4', grade: 'partially-fulfilled', assessor: 'Commission' });
    const problemsOf = (fields: Record<string, string>) => {
      const res = validateEvidenceInput(r.case, evidenceFromForm({ ...form, ...fields }), { ids: new Set() });
      return res.ok ? [] : res.problems.map((p) => [p.path, p.code]);
    };
    assert.deepEqual(problemsOf({ 'finding[grade]': 'done' }), [['finding.grade', 'schema']]);
    assert.deepEqual(problemsOf({ 'finding[benchmark]': 'b3-9' }), [['finding.benchmark', 'unknown-reference']]);
    // An assessor the benchmark would not read, for a slip of case or spacing only, and a benchmark not decided by findings.
    assert.deepEqual(problemsOf({ 'finding[assessor]': 'commission ' }), [['finding.assessor', 'inconsistent']]);
    assert.deepEqual(problemsOf({ 'finding[assessor]': 'Parliament' }), []);
  });
});

describe('the history of a benchmark list in text', () => {
  it('shows one row for the same change of many members on one day', async () => {
    const { history } = await import('../../core/history.ts');
    const { renderHistoryText } = await import('../../cli/render-text.ts');
    const r = await loadCase('docs/examples/roadmap-72');
    assert.ok(r.ok);
    const h = history(r.case, r.evidence, '2022-01-01', '2024-01-01', 'quarter');
    const groupOf = (id: string) => (r.case.groups?.[0]?.members.includes(id) ? r.case.groups[0].title : undefined);
    const text = renderHistoryText(h, groupOf);
    const rows = text.split('\n').filter((l) => /^│ 20\d\d-/.test(l));
    assert.ok(h.transitions.length > 70, `${h.transitions.length} transitions`);
    assert.ok(rows.length < 20, `${rows.length} rows`);
    assert.match(text, /\d+ members of Visa/);
  });
});

describe('sanctions in case files', () => {
  const text = (
    instrumentKind: string,
  ) => `${CASE.replace('  - {id: visas, title: Visas, tier: 3}', `  - {id: visas, title: Visas, tier: 3${instrumentKind}}`)}benchmarks:
  - {id: acquired, title: Acquired, condition: law_in_force}
  - {id: divested, title: Divested, condition: "!law_in_force"}
gates:
  - instrument: visas
    rule: {all: [acquired]}
    lift: {any: [divested]}
`;
  it('reads kind: sanction and a lift rule', () => {
    const r = parseCaseFiles('x', [{ name: 'case.yaml', text: text(', kind: sanction') }]);
    assert.ok(r.ok, r.ok ? '' : r.problems.map((p) => p.message).join('\n'));
    assert.equal(r.case.instruments[0]?.kind, 'sanction');
    assert.deepEqual(r.case.gates[0]?.lift, { kind: 'any', benchmarks: ['divested'] });
  });
  it('refuses a lift rule on an engagement, at the lift key', () => {
    assert.deepEqual(problemsOf([{ name: 'case.yaml', text: text('') }]), [
      'case.yaml:15:11 inconsistent gate for instrument "visas": "lift" is for sanctions, and instrument "visas" is an engagement; give it kind: sanction, or remove lift',
    ]);
  });
});

describe('gates that read other instruments, in case files', () => {
  const base = `${CASE.replace(
    '  - {id: visas, title: Visas, tier: 3}\n',
    '  - {id: visas, title: Visas, tier: 3}\n  - {id: dialogue, title: Dialogue, tier: 1}\n  - {id: talks, title: Talks, tier: 1}\n',
  )}benchmarks:
  - {id: law, title: Law, condition: law_in_force}
`;
  it('reads {instrument: id, is: …} terms', () => {
    const r = parseCaseFiles('x', [
      {
        name: 'case.yaml',
        text: `${base}gates:\n  - instrument: visas\n    rule: {all: [law, {instrument: dialogue}, {instrument: talks, is: warranted}]}\n`,
      },
    ]);
    assert.ok(r.ok, r.ok ? '' : r.problems.map((p) => p.message).join('\n'));
    assert.deepEqual(r.case.gates[0]?.rule, {
      kind: 'all',
      benchmarks: ['law'],
      instruments: [
        { instrument: 'dialogue', is: 'unlocked' },
        { instrument: 'talks', is: 'warranted' },
      ],
    });
  });
  it('reports an unknown instrument at its term, and a loop once, naming it', () => {
    const problems = problemsOf([
      {
        name: 'case.yaml',
        text: `${base}gates:
  - instrument: visas
    rule: {all: [law, {instrument: dialogue}]}
  - instrument: dialogue
    rule: {any: [{instrument: talks}, {instrument: nope}]}
  - instrument: talks
    rule: {all: [{instrument: visas, is: locked}]}
`,
      },
    ]);
    assert.deepEqual(problems, [
      'case.yaml:15:11 inconsistent gate for instrument "visas" is part of a loop: visas → dialogue → talks → visas; a gate cannot wait for an instrument whose gate waits for it — break the loop',
      'case.yaml:17:52 unknown-reference gate for instrument "dialogue" refers to unknown instrument "nope" (instruments are defined in case.yaml)',
    ]);
  });
});

describe('effects with conditions, in case files', () => {
  it('reads while and unless as rules over benchmarks and groups, and refuses instrument terms there', () => {
    const text = (condition: string) =>
      `${CASE.replace(
        '  - {id: visas, title: Visas, tier: 3}',
        `  - id: visas\n    title: Visas\n    tier: 3\n    effects:\n      - {interest: security, direction: harms, rationale: r, ${condition}}`,
      )}interests:\n  - {id: security, title: Security, rank: 1, weight: 1}\nbenchmarks:\n  - {id: law, title: Law, condition: law_in_force}\n`;
    const r = parseCaseFiles('x', [{ name: 'case.yaml', text: text('unless: {all: [law]}') }]);
    assert.ok(r.ok, r.ok ? '' : r.problems.map((p) => p.message).join('\n'));
    assert.deepEqual(r.case.instruments[0]?.effects[0]?.unless, { kind: 'all', benchmarks: ['law'] });
    const bad = problemsOf([{ name: 'case.yaml', text: text('while: {all: [{instrument: visas}]}') }]);
    assert.equal(bad.length, 1);
    assert.match(
      bad[0] ?? '',
      /effects\[0\]\.while: an effect's condition reads benchmarks and groups, not other instruments' decisions/,
    );
  });
});
