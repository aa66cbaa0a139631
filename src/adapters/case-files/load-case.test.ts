import assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Case } from '../../core/case-model.ts';
import type { Evidence } from '../../core/evidence.ts';
import { formatProblem, loadCase, type Problem, parseCaseFiles } from './load-case.ts';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/cases/', import.meta.url));
/** Fixture folders named relative to the working directory, as a user would type them. */
const fixture = (name: string): string => relative(process.cwd(), join(FIXTURES, name));

type Expected = readonly [where: string, code: Problem['code'], phrase: string];

/** `name:line:col` relative to the fixture, for readable assertions. */
function describeWhere(dir: string, p: Problem): string {
  return `${relative(dir, p.file).split('\\').join('/')}:${p.line}:${p.col}`;
}

async function loadProblems(name: string): Promise<{ dir: string; problems: Problem[] }> {
  const dir = fixture(name);
  const result = await loadCase(dir);
  assert.equal(result.ok, false, `${name} should not load`);
  return { dir, problems: result.ok ? [] : result.problems };
}

/** Asserts exactly these problems, in this order: position, code and a phrase of the message. */
async function assertProblems(name: string, expected: readonly Expected[]): Promise<Problem[]> {
  const { dir, problems } = await loadProblems(name);
  const actual = problems.map((p) => `${describeWhere(dir, p)} [${p.code}] ${p.message}`);
  assert.equal(problems.length, expected.length, `expected ${expected.length} problems, got:\n${actual.join('\n')}`);
  expected.forEach(([where, code, phrase], i) => {
    const p = problems[i] as Problem;
    assert.equal(describeWhere(dir, p), where, `problem ${i + 1}: ${actual[i]}`);
    assert.equal(p.code, code, `problem ${i + 1}: ${actual[i]}`);
    assert.ok(p.message.includes(phrase), `problem ${i + 1} should mention ${JSON.stringify(phrase)}: ${actual[i]}`);
  });
  return problems;
}

async function loadValid(): Promise<{ case: Case; evidence: Evidence[]; files: string[]; dir: string }> {
  const dir = fixture('valid-minimal');
  const result = await loadCase(dir);
  if (!result.ok) assert.fail(`valid-minimal should load:\n${result.problems.map(formatProblem).join('\n')}`);
  return { ...result, dir };
}

function isDeeplyFrozen(value: unknown, seen = new Set<unknown>()): boolean {
  if (value === null || typeof value !== 'object' || seen.has(value)) return true;
  seen.add(value);
  return Object.isFrozen(value) && Object.values(value).every((v) => isDeeplyFrozen(v, seen));
}

describe('loadCase: a valid case', () => {
  it('reads the case files in name order, then the evidence files', async () => {
    const { files, dir } = await loadValid();
    assert.deepEqual(files, [
      join(dir, 'case.yaml'),
      join(dir, 'measures.yaml'),
      join(dir, 'policy.yaml'),
      join(dir, 'evidence/2019-2020.yaml'),
      join(dir, 'evidence/2022.jsonl'),
      join(dir, 'evidence/notices.csv'),
    ]);
  });

  it('builds the case with sections from several files, in file order', async () => {
    const { case: c } = await loadValid();
    assert.equal(c.id, 'us-pakistan-mini');
    assert.equal(c.principal, 'united-states');
    assert.equal(c.counterpart, 'pakistan');
    assert.equal('description' in c, false, 'absent optional fields are omitted, not undefined');
    assert.deepEqual(
      c.actors.map((a) => a.id),
      ['united-states', 'pakistan', 'hafiz-saeed'],
    );
    assert.deepEqual(
      c.interests.map((i) => [i.id, i.rank, i.weight]),
      [
        ['counterterrorism', 1, 0.6],
        ['regional-stability', 2, 0.4],
      ],
    );
    assert.deepEqual(c.interests[1]?.source, {
      publisher: 'Department of State',
      title: 'Integrated Country Strategy',
      date: '2022-04',
    });
  });

  it('applies defaults for optional lists and fields', async () => {
    const { case: c } = await loadValid();
    const us = c.actors[0];
    assert.deepEqual(us?.aliases, []);
    assert.deepEqual(us?.memberOf, []);
    assert.equal(us !== undefined && 'notes' in us, false);
    assert.deepEqual(c.actors[2]?.memberOf, ['pakistan']);

    const state = c.indicators.find((i) => i.id === 'chief_in_custody');
    assert.equal(state?.kind, 'state');
    assert.equal(state?.kind === 'state' ? state.initial : undefined, 'unknown');
    assert.deepEqual(state?.filter, { kinds: [], actors: [] });

    const plan = c.benchmarks.find((b) => b.id === 'action-plan-done');
    assert.deepEqual(plan?.duration, { years: 0, months: 0, days: 0, text: 'P0D' });
    assert.deepEqual(plan?.reversals, []);
    assert.deepEqual(plan?.verification, { minReliability: 'F', minCredibility: 6, minSources: 1 });
    const custody = c.benchmarks.find((b) => b.id === 'chief-in-custody');
    assert.deepEqual(custody?.verification, { minReliability: 'B', minCredibility: 3, minSources: 1 });
  });

  it('converts each indicator kind, with windows parsed', async () => {
    const { case: c } = await loadValid();
    assert.deepEqual(
      c.indicators.map((i) => [i.id, i.kind]),
      [
        ['arrests', 'count'],
        ['frozen_usd', 'sum'],
        ['any_conviction', 'exists'],
        ['action_items_done', 'latest'],
        ['chief_in_custody', 'state'],
      ],
    );
    const arrests = c.indicators[0];
    assert.deepEqual(arrests?.kind === 'count' ? arrests.window : undefined, { years: 0, months: 12, days: 0, text: 'P12M' });
    assert.deepEqual(arrests?.filter, { kinds: ['arrest'], actors: ['hafiz-saeed'] });
    const sum = c.indicators[1];
    assert.deepEqual(sum?.kind === 'sum' ? [sum.field, sum.currency, 'window' in sum] : undefined, ['amount', 'USD', false]);
    assert.equal(c.indicators[2]?.filter.where, '"fatf" in tags');
  });

  it('turns condition/conditions into clauses and derives the indicators they use', async () => {
    const { case: c } = await loadValid();
    const [custody, plan] = c.benchmarks;
    assert.deepEqual(custody?.conditions, ['chief_in_custody == 1']);
    assert.deepEqual(custody?.indicators, ['chief_in_custody']);
    assert.deepEqual(custody?.duration.text, 'P12M');
    assert.deepEqual(plan?.conditions, ['action_items_done >= 27.0', 'any_conviction']);
    assert.deepEqual(plan?.indicators, ['action_items_done', 'any_conviction']);
    assert.deepEqual(plan?.review, {
      calendar: 'fatf',
      window: { years: 0, months: 0, days: 60, text: 'P60D' },
      countAfterReview: true,
    });
  });

  it('maps the gate rule, and partial dates of waivers and reviews', async () => {
    const { case: c } = await loadValid();
    assert.deepEqual(c.gates[0]?.rule, {
      kind: 'at-least',
      count: 1,
      benchmarks: ['chief-in-custody', 'action-plan-done'],
    });
    // start 2022-09 takes effect on its last day; expiry 2023 ends on its first.
    assert.equal(c.waivers[0]?.start, '2022-09-30');
    assert.equal(c.waivers[0]?.expiry, '2023-01-01');
    assert.deepEqual(c.reviews[0], {
      id: 'fatf-2022-10',
      calendar: 'fatf',
      title: 'FATF plenary, October 2022',
      date: '2022-10-31',
      written: '2022-10',
    });
    assert.deepEqual(c.justifications[0]?.evidenceAgainst, ['ev-2019-07-17-saeed-arrest']);
    assert.deepEqual(c.instruments[0]?.effects[0]?.evidence, ['ev-2022-09-08-f16-notice']);
  });

  it('reads evidence from YAML, JSONL and CSV, in file order, with dates converted', async () => {
    const { evidence } = await loadValid();
    assert.deepEqual(
      evidence.map((e) => e.id),
      [
        'ev-2019-07-17-saeed-arrest',
        'ev-2020-02-conviction',
        'ev-2022-08-29-freeze',
        'ev-2022-08-29-freeze.v2',
        'ev-2022-09-08-f16-notice',
        'ev-2022-06-17-fatf',
      ],
    );
    const conviction = evidence[1];
    // occurred 2020-02 covers the month; reported 2020 means by the year's last day.
    assert.deepEqual(
      [conviction?.occurred, conviction?.occurredTo, conviction?.reported, conviction?.recorded],
      ['2020-02-01', '2020-02-29', '2020-12-31', '2026-11-28'],
    );
    const freeze = evidence[2];
    assert.deepEqual(
      [freeze?.occurred, freeze?.occurredTo, freeze?.amount, freeze?.currency],
      ['2022-08-29', '2022-09-02', 1500000, 'USD'],
    );
    assert.equal(evidence[3]?.supersedes, 'ev-2022-08-29-freeze');
    assert.equal(evidence[0] !== undefined && 'supersedes' in evidence[0], false);
  });

  it('merges CSV rows with the same id into one item with several sources', async () => {
    const { evidence } = await loadValid();
    const notice = evidence.find((e) => e.id === 'ev-2022-09-08-f16-notice');
    assert.deepEqual(notice?.actors, ['united-states', 'pakistan']);
    assert.equal(notice?.description, 'DSCA notifies Congress of an F-16 sustainment case, worth $450m');
    assert.deepEqual(notice?.sources, [
      {
        publisher: 'DSCA',
        title: 'Pakistan – F-16 Case for Sustainment',
        date: '2022-09-08',
        url: 'https://www.dsca.mil/',
        reliability: 'A',
        credibility: 1,
      },
      {
        publisher: 'Reuters',
        title: 'U.S. approves F-16 support for Pakistan',
        date: '2022-09-08',
        reliability: 'B',
        credibility: 2,
        origin: 'Reuters',
      },
    ]);
    const fatf = evidence.find((e) => e.id === 'ev-2022-06-17-fatf');
    assert.deepEqual(fatf?.quantity, { value: 26, of: 27, unit: 'action items' });
    assert.deepEqual(fatf?.tags, ['fatf']);
  });

  it('returns deeply frozen values', async () => {
    const { case: c, evidence } = await loadValid();
    assert.ok(isDeeplyFrozen(c), 'the case is deeply frozen');
    // The list is the caller's (typed Evidence[]); every item in it is deeply frozen.
    assert.ok(
      evidence.every((e) => isDeeplyFrozen(e)),
      'each evidence item is deeply frozen',
    );
    assert.throws(() => {
      (c.actors as Case['actors'][number][]).push(c.actors[0] as Case['actors'][number]);
    }, TypeError);
  });
});

describe('loadCase: problems, each at its exact position', () => {
  it('reports YAML syntax errors, without cascading into unknown references', async () => {
    // justifications.yaml serves "counterterrorism", defined in the broken interests.yaml.
    await assertProblems('invalid-yaml-syntax', [
      [
        'interests.yaml:4:5',
        'syntax',
        'YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
      ],
    ]);
  });

  it('reports wrong types, missing and unknown keys, out-of-range values', async () => {
    await assertProblems('invalid-wrong-type', [
      ['policy.yaml:4:11', 'schema', 'interest "counterterrorism" rank: expected a whole number of at least 1, got "one"'],
      ['policy.yaml:6:5', 'schema', 'interest "stability": missing required key "title"'],
      ['policy.yaml:8:13', 'schema', 'interest "stability" weight: expected a weight in [0, 1], got 1.5'],
      ['policy.yaml:9:5', 'schema', 'unknown key "wieght"; did you mean "weight"?'],
      ['policy.yaml:14:13', 'inconsistent', 'instrument "aid": amount 1000000 has no currency'],
      ['policy.yaml:17:21', 'schema', 'gate for instrument "aid" rule.atLeast: expected a whole number of at least 1, got "two"'],
      [
        'policy.yaml:19:11',
        'schema',
        'rule: expected "none", {all: [ids]}, {any: [ids]}, {atLeast: k, of: [ids]} or {weighted: {id: weight}, threshold: n}; a list may hold benchmark ids, group ids, nested rules and {instrument: id, is: unlocked}, and a group id may stand for the list, got "some"',
      ],
      [
        'policy.yaml:23:11',
        'schema',
        'indicator "arrests" kind: expected one of "count", "sum", "exists", "latest", "state", "series", got "tally"',
      ],
      ['policy.yaml:28:36', 'schema', 'verification.minReliability: expected a source reliability from A (best) to F, got "G"'],
      ['evidence/items.yaml:4:13', 'schema', 'evidence "ev-1" actors: expected a list, got "pakistan"'],
      [
        'evidence/items.yaml:14:22',
        'schema',
        'sources[0].credibility: expected an information credibility from 1 (best) to 6, got 9',
      ],
    ]);
  });

  it('reports unknown references, naming the referring item, the missing id and where ids are defined', async () => {
    await assertProblems('invalid-unknown-reference', [
      [
        'benchmarks.yaml:5:14',
        'unknown-reference',
        'indicator "arrests" refers to unknown actor "lashkar" (actors are defined in case.yaml)',
      ],
      ['benchmarks.yaml:10:24', 'unknown-reference', 'benchmark "fatf-action-plan" refers to unknown review calendar "fatf"'],
      [
        'case.yaml:5:16',
        'unknown-reference',
        'case "mini" refers to unknown actor "pakistn" (actors are defined in case.yaml); did you mean "pakistan"?',
      ],
      ['gates.yaml:11:19', 'unknown-reference', 'instrument "f16" refers to unknown interest "stability"'],
      [
        'gates.yaml:16:18',
        'unknown-reference',
        'gate for instrument "f16" refers to unknown benchmark "fatf-plan" (benchmarks are defined in benchmarks.yaml)',
      ],
      ['gates.yaml:17:17', 'unknown-reference', 'gate for instrument "f17" refers to unknown instrument "f17"'],
      ['gates.yaml:24:32', 'unknown-reference', 'justification "j1" refers to unknown interest "stability"'],
      ['gates.yaml:25:35', 'unknown-reference', 'justification "j1" refers to unknown evidence "ev-2019-arest"'],
      ['evidence/items.yaml:3:22', 'unknown-reference', 'evidence "ev-2019-arrest" refers to unknown actor "hafiz-saeed"'],
      ['evidence/items.yaml:8:15', 'unknown-reference', 'evidence "ev-2019-arrest" refers to unknown evidence "ev-2018-arrest"'],
    ]);
  });

  it('reports duplicate ids at the second, naming the first; a second case; a rank used twice', async () => {
    await assertProblems('invalid-duplicate-id', [
      ['more.yaml:1:1', 'duplicate-case', 'the "case" section is given again (first at case.yaml:1)'],
      ['more.yaml:7:9', 'duplicate-id', 'duplicate actor id "pakistan": already defined at case.yaml:10'],
      ['more.yaml:17:11', 'inconsistent', 'rank 1 is already taken by interest "counterterrorism" (more.yaml:13)'],
      ['more.yaml:26:17', 'duplicate-id', 'a second gate for this instrument (the first is at more.yaml:24)'],
      ['evidence/b.jsonl:1:8', 'duplicate-id', 'duplicate evidence id "ev-1": already defined at evidence/a.yaml:1'],
    ]);
  });

  it('reports impossible dates and dates in an impossible order', async () => {
    await assertProblems('invalid-impossible-date', [
      ['policy.yaml:11:13', 'bad-date', 'waiver "w1": expiry 2022-09 (2022-09-01) is before start 2022-09 (2022-09-30)'],
      ['policy.yaml:16:11', 'bad-date', 'review "r1" date: "2022-13" has no month 13'],
      ['evidence/items.yaml:5:13', 'bad-date', '"2021-02-30" is impossible: February 2021 has 28 days'],
      ['evidence/items.yaml:13:36', 'bad-date', 'the interval ends (2021-05-02) before it begins (2021-05-10)'],
      ['evidence/items.yaml:14:13', 'bad-date', 'evidence "ev-2": reported 2021-04 is before it occurred (2021-05-10)'],
      ['evidence/items.yaml:15:13', 'bad-date', 'recorded: "2026-11" is not a date of the form YYYY-MM-DD'],
      ['evidence/items.yaml:17:44', 'bad-date', 'sources[0].date: "2021-04-31" is impossible: April 2021 has 30 days'],
    ]);
  });

  it('reports invalid durations', async () => {
    await assertProblems('invalid-bad-duration', [
      ['measures.yaml:5:13', 'bad-duration', 'indicator "arrests" window: "12 months" is not a duration such as P12M'],
      ['measures.yaml:10:15', 'bad-duration', 'benchmark "b1" duration: "P" is not a duration'],
      ['measures.yaml:11:38', 'bad-duration', 'benchmark "b1" review.window: "P1.5M" is not a duration'],
    ]);
  });

  it('reports bad CEL in filters and conditions, naming unknown indicators', async () => {
    await assertProblems('invalid-bad-cel', [
      ['measures.yaml:5:12', 'bad-cel', 'indicator "arrests" where: CEL expression "kind == 1" does not type-check'],
      ['measures.yaml:12:9', 'bad-cel', '"in" is a reserved word in CEL'],
      ['measures.yaml:18:12', 'bad-cel', 'indicator "convictions" where: cannot parse CEL expression'],
      [
        'measures.yaml:22:18',
        'bad-cel',
        'benchmark "b1" conditions[0]: CEL condition "arests >= 1" does not type-check: Unknown variable: arests (unknown indicator "arests"); did you mean "arrests"?',
      ],
      ['measures.yaml:25:16', 'bad-cel', 'benchmark "b2" condition: CEL condition "arrests + 1" gives int, not bool'],
      // b3 names the reserved indicator "in", already reported: not reported again.
      ['measures.yaml:31:16', 'bad-cel', 'benchmark "b4" condition: CEL condition "detained == \\"yes\\""'.replace(/\\"/g, '"')],
    ]);
  });

  it('reports cycles in memberOf once each, at the membership that closes them', async () => {
    await assertProblems('invalid-member-cycle', [
      ['actors.yaml:9:26', 'inconsistent', 'actor "jud" memberOf "let" closes a membership cycle (jud → let → jud)'],
      [
        'actors.yaml:13:16',
        'inconsistent',
        'actor "hafiz-saeed" memberOf "hafiz-saeed" closes a membership cycle (hafiz-saeed → hafiz-saeed)',
      ],
    ]);
  });

  it('reports a missing case section', async () => {
    await assertProblems('invalid-missing-case', [['actors.yaml:1:1', 'missing-case', 'no case file has a "case" section']]);
  });

  it('reports files and folders that do not belong in evidence/, ignoring hidden files', async () => {
    await assertProblems('invalid-unsupported-file', [
      ['evidence/notes.txt:1:1', 'unreadable', 'evidence/ holds only evidence files (.yaml, .yml, .jsonl, .csv)'],
      ['evidence/old:1:1', 'unreadable', 'evidence/ holds only evidence files, not folders'],
    ]);
  });

  it('reports problems in CSV evidence at the cell', async () => {
    await assertProblems('invalid-bad-evidence-csv', [
      [
        'evidence/items.csv:2:101',
        'schema',
        'evidence "ev-1" sources[0].credibility: expected an information credibility from 1 (best) to 6, got "x"',
      ],
      [
        'evidence/items.csv:3:6',
        'inconsistent',
        'evidence "ev-1" kind: this extra source row says "release" but line 2 says "arrest"',
      ],
      ['evidence/items.csv:4:84', 'inconsistent', 'evidence "ev-2": amount 5000 has no currency'],
      ['evidence/items.csv:5:1', 'syntax', 'this row has 8 fields but the header has 24'],
      ['evidence/items.csv:6:24', 'syntax', 'CSV syntax error: unexpected "r" after a closing quote'],
      ['evidence/items.csv:7:11', 'unknown-reference', 'evidence "ev-5" refers to unknown actor "lashkar"'],
      ['evidence/items.csv:7:41', 'bad-date', '"2019-09-31" is impossible: September 2019 has 30 days'],
      ['evidence/items.csv:7:82', 'schema', 'evidence "ev-5" retracted: expected true or false, got "maybe"'],
    ]);
  });

  it('reports problems in JSONL evidence at the key or value', async () => {
    await assertProblems('invalid-bad-evidence-jsonl', [
      [
        'evidence/items.jsonl:1:255',
        'schema',
        'evidence "ev-1" sources[0].reliability: expected a source reliability from A (best) to F, got "G"',
      ],
      ['evidence/items.jsonl:2:266', 'schema', 'evidence "ev-2": unknown key "severity"; allowed keys: id, kind'],
      ['evidence/items.jsonl:4:106', 'syntax', 'invalid JSON'],
      ['evidence/items.jsonl:5:189', 'inconsistent', 'evidence "ev-4" supersedes itself'],
      [
        'evidence/items.jsonl:6:190',
        'inconsistent',
        'evidence "ev-5": retracted: true withdraws the entry named by "supersedes"',
      ],
      ['evidence/items.jsonl:7:198', 'unknown-reference', 'evidence "ev-6" refers to unknown evidence "ev-0"'],
      ['evidence/items.jsonl:8:1', 'schema', 'evidence item on line 8: expected a mapping, got a list'],
      ['evidence/items.jsonl:9:1', 'schema', 'evidence item on line 9: missing required key "id"'],
    ]);
  });

  it('reports every problem at once, across files and kinds', async () => {
    const problems = await assertProblems('invalid-many-files', [
      [
        'actors.yaml:7:11',
        'schema',
        'actor "pakistan" kind: expected one of "state", "group", "person", "organization", got "country"',
      ],
      ['measures.yaml:8:16', 'bad-cel', 'unknown indicator "arrest"); did you mean "arrests"?'],
      ['policy.yaml:7:32', 'unknown-reference', 'gate for instrument "aid" refers to unknown benchmark "fatf-plan"'],
      ['evidence/a.yaml:6:1', 'syntax', 'YAML syntax error: Missing closing "quote'],
      ['evidence/b.jsonl:1:99', 'bad-date', 'evidence "ev-b" occurred: "2019-02-29" is impossible: February 2019 has 28 days'],
      ['evidence/c.csv:2:1', 'syntax', 'this row has 11 fields but the header has 12'],
    ]);
    assert.equal(new Set(problems.map((p) => p.file)).size, 6, 'six files, one problem each');
  });

  it('names files as join(dir, name) and formats problems as file:line:col: message', async () => {
    const dir = fixture('invalid-missing-case');
    const result = await loadCase(dir);
    assert.equal(result.ok, false);
    const [p] = result.ok ? [] : result.problems;
    assert.equal(p?.file, join(dir, 'actors.yaml'));
    assert.equal(
      p === undefined ? '' : formatProblem(p),
      `${join(dir, 'actors.yaml')}:1:1: no case file has a "case" section; add one (case: {id, title, principal, counterpart}) to exactly one file`,
    );
  });

  it('reports a folder that cannot be read', async () => {
    const dir = fixture('no-such-case');
    const result = await loadCase(dir);
    assert.equal(result.ok, false);
    const [p] = result.ok ? [] : result.problems;
    assert.equal(p?.file, dir);
    assert.equal(p?.code, 'unreadable');
    assert.match(p?.message ?? '', /cannot read the case folder/);
  });
});

describe('parseCaseFiles (no file system)', () => {
  const CASE =
    'case: {id: c, title: C, principal: a, counterpart: b}\nactors:\n  - {id: a, name: A, kind: state}\n  - {id: b, name: B, kind: state}\n';
  const ITEM = {
    id: 'ev-1',
    kind: 'arrest',
    actors: ['a'],
    description: 'd',
    occurred: '2020',
    reported: '2020-05',
    recorded: '2020-06-01',
    sources: [{ publisher: 'P', title: 'T', date: '2020', reliability: 'B', credibility: 2 }],
  };

  it('accepts an evidence file that is a mapping with the key "evidence", and a bare year', () => {
    const yaml =
      'evidence:\n  - id: ev-1\n    kind: arrest\n    actors: [a]\n    description: d\n    occurred: 2020\n    reported: 2020-05\n    recorded: 2020-06-01\n    sources: [{publisher: P, title: T, date: "2020", reliability: B, credibility: 2}]\n';
    const result = parseCaseFiles('x', [
      { name: 'case.yaml', text: CASE },
      { name: 'evidence/e.yml', text: yaml },
    ]);
    assert.ok(result.ok);
    assert.deepEqual(
      result.ok ? [result.evidence[0]?.occurred, result.evidence[0]?.occurredTo, result.evidence[0]?.reported] : [],
      ['2020-01-01', '2020-12-31', '2020-05-31'],
    );
  });

  it('reports a missing case at the folder when there is no case file', () => {
    const result = parseCaseFiles('some/dir', [{ name: 'evidence/e.jsonl', text: `${JSON.stringify(ITEM)}\n` }]);
    assert.equal(result.ok, false);
    const problems = result.ok ? [] : result.problems;
    assert.deepEqual(
      problems.map((p) => [p.file, p.code]),
      [
        ['some/dir', 'missing-case'],
        [join('some/dir', 'evidence/e.jsonl'), 'unknown-reference'],
      ],
    );
  });

  it('locates a JSONL value by its column on the line', () => {
    const line = JSON.stringify({ ...ITEM, recorded: '2020-02-30' });
    const result = parseCaseFiles('x', [
      { name: 'case.yaml', text: CASE },
      { name: 'evidence/e.jsonl', text: `\n${line}\n` },
    ]);
    const [p] = result.ok ? [] : result.problems;
    assert.equal(p?.line, 2);
    assert.equal(p?.col, line.indexOf('"2020-02-30"') + 1);
    assert.match(p?.message ?? '', /recorded: "2020-02-30" is impossible/);
  });

  it('reports an unknown section with a suggestion, and a section that is not a list', () => {
    const result = parseCaseFiles('x', [{ name: 'case.yaml', text: `${CASE}benchmark: []\ninterests: {id: x}\n` }]);
    const problems = result.ok ? [] : result.problems;
    assert.deepEqual(
      problems.map((p) => [p.line, p.col, p.message]),
      [
        [5, 1, 'unknown section "benchmark"; did you mean "benchmarks"?'],
        [6, 12, 'section "interests" must be a list of interests (items starting with "- "), got a mapping'],
      ],
    );
  });

  it('reports both condition and conditions, a gate that can never open and an unknown weighted benchmark', () => {
    const lines = [
      'indicators:',
      '  - {id: n, title: N, kind: count}',
      'benchmarks:',
      '  - {id: b, title: B, condition: n > 0, conditions: [n > 1]}',
      'instruments:',
      '  - {id: i, title: I, tier: 1}',
      '  - {id: j, title: J, tier: 2}',
      'gates:',
      '  - {instrument: i, rule: {atLeast: 2, of: [b]}}',
      '  - {instrument: j, rule: {weighted: {b: 0.5, c: 0.5}, threshold: 1.5}}',
      '',
    ];
    const text = lines.join('\n');
    const col = (line: number, fragment: string): number => (lines[line - 1] ?? '').indexOf(fragment) + 1;
    const result = parseCaseFiles('x', [
      { name: 'case.yaml', text: CASE },
      { name: 'more.yaml', text },
    ]);
    const problems = result.ok ? [] : result.problems;
    assert.deepEqual(
      problems.map((p) => `${p.line}:${p.col} ${p.code} ${p.message}`),
      [
        `4:${col(4, 'condition:')} schema benchmark "b": give either "condition" (one clause) or "conditions" (a list), not both`,
        `9:${col(9, '2,')} inconsistent gate for instrument "i" rule: atLeast 2 but only 1 benchmark(s) are listed, so the gate can never open`,
        `10:${col(10, 'c:')} unknown-reference gate for instrument "j" refers to unknown benchmark "c" (benchmarks are defined in more.yaml); did you mean "b"?`,
        `10:${col(10, '1.5')} inconsistent gate for instrument "j" rule: threshold 1.5 exceeds the total weight 1, so the gate can never open`,
      ],
    );
  });

  it('checks an invalid item further without its faulty keys, and without false alarms about them', () => {
    const item = { ...ITEM, occurred: '2020-02-30', amount: 5, currency: 'usd', retracted: true, supersedes: 'bad id!' };
    const line = JSON.stringify(item);
    const result = parseCaseFiles('x', [
      { name: 'case.yaml', text: CASE },
      { name: 'evidence/e.jsonl', text: `${line}\n` },
    ]);
    const problems = result.ok ? [] : result.problems;
    assert.deepEqual(
      problems.map((p) => [p.col, p.code, p.message]),
      [
        [
          line.indexOf('"2020-02-30"') + 1,
          'bad-date',
          'evidence "ev-1" occurred: "2020-02-30" is impossible: February 2020 has 29 days',
        ],
        [
          line.indexOf('"usd"') + 1,
          'schema',
          'evidence "ev-1" currency: expected an ISO 4217 currency code such as "USD", got "usd"',
        ],
        [
          line.indexOf('"bad id!"') + 1,
          'schema',
          'evidence "ev-1" supersedes: expected an evidence id of letters, digits and . _ : - (starting with a letter or digit), got "bad id!"',
        ],
      ],
    );
  });

  it('maps a weighted gate rule to weights in file order', () => {
    const text = [
      'indicators: [{id: n, title: N, kind: exists}]',
      'benchmarks: [{id: b1, title: B1, condition: n}, {id: b2, title: B2, condition: "!n"}]',
      'instruments: [{id: i, title: I, tier: 1}]',
      'gates: [{instrument: i, rule: {weighted: {b2: 0.25, b1: 0.75}, threshold: 0.5}}]',
      '',
    ].join('\n');
    const result = parseCaseFiles('x', [
      { name: 'case.yaml', text: CASE },
      { name: 'more.yaml', text },
    ]);
    assert.ok(result.ok, result.ok ? '' : result.problems.map(formatProblem).join('\n'));
    assert.deepEqual(result.ok ? result.case.gates[0]?.rule : undefined, {
      kind: 'weighted',
      weights: [
        { benchmark: 'b2', weight: 0.25 },
        { benchmark: 'b1', weight: 0.75 },
      ],
      threshold: 0.5,
    });
  });
});
