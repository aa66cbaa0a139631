import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Case } from '../../core/case-model.ts';
import type { Evidence } from '../../core/evidence.ts';
import { type CaseFileText, formatProblem, loadCase, parseCaseFiles } from './load-case.ts';
import { parseEvidenceFile } from './parse-files.ts';
import { type EvidenceInputProblem, evidenceFromForm, validateEvidenceInput } from './validate-evidence-input.ts';

const REFERENCE_CASE = fileURLToPath(new URL('../../../examples/us-pakistan/', import.meta.url));

let c: Case;
let ledger: Evidence[];
let ids: Set<string>;
let caseTexts: CaseFileText[];

before(async () => {
  const loaded = await loadCase(REFERENCE_CASE);
  if (!loaded.ok) assert.fail(loaded.problems.map(formatProblem).join('\n'));
  c = loaded.case;
  ledger = loaded.evidence;
  ids = new Set(ledger.map((e) => e.id));
  caseTexts = [];
  for (const name of await readdir(REFERENCE_CASE)) {
    if (name.endsWith('.yaml')) caseTexts.push({ name, text: await readFile(join(REFERENCE_CASE, name), 'utf8') });
  }
  for (const name of await readdir(join(REFERENCE_CASE, 'evidence'))) {
    caseTexts.push({ name: `evidence/${name}`, text: await readFile(join(REFERENCE_CASE, 'evidence', name), 'utf8') });
  }
});

/** What the loader says about `raw` written as one more evidence file of the reference case. */
function loadWithExtra(raw: unknown): ReturnType<typeof parseCaseFiles> {
  return parseCaseFiles('case', [...caseTexts, { name: 'evidence/zz-input.jsonl', text: JSON.stringify(raw) }]);
}

function loaderMessages(raw: unknown): string[] {
  const result = loadWithExtra(raw);
  return result.ok ? [] : result.problems.filter((p) => p.file.endsWith('zz-input.jsonl')).map((p) => p.message);
}

function problemsOf(raw: unknown, known: ReadonlySet<string> = ids): EvidenceInputProblem[] {
  const result = validateEvidenceInput(c, raw, { ids: known });
  assert.equal(result.ok, false, 'expected problems');
  return result.ok ? [] : result.problems;
}

/** A valid entry as a client would send it. */
function validRaw(): Record<string, unknown> {
  return {
    id: 'ev-test-azhar-imprisoned',
    kind: 'conviction',
    actors: ['masood-azhar', 'pakistan'],
    description: 'Hypothetical test entry: Masood Azhar convicted and imprisoned.',
    occurred: '2022-01',
    reported: '2022-02-03',
    recorded: '2026-11-28',
    amount: 1000000,
    currency: 'USD',
    quantity: { value: 1, of: 2, unit: 'leaders' },
    tags: ['test', 'jem'],
    supersedes: 'ev-2019-07-17-saeed-arrest',
    note: 'A test.',
    sources: [
      {
        publisher: 'Test Wire',
        title: 'Hypothetical',
        date: '2022-02',
        url: 'https://example.org/a',
        reliability: 'A',
        credibility: 1,
      },
      { publisher: 'Other Wire', title: 'Copy', date: 2022, reliability: 'B', credibility: 2, origin: 'Test Wire' },
    ],
  };
}

describe('validateEvidenceInput: valid entries', () => {
  it('builds exactly what the loader builds, for every entry of the reference ledger (YAML, JSONL and CSV)', async () => {
    const built: Evidence[] = [];
    const names = (await readdir(join(REFERENCE_CASE, 'evidence'))).sort();
    for (const name of names) {
      const text = await readFile(join(REFERENCE_CASE, 'evidence', name), 'utf8');
      const parsed = parseEvidenceFile(name, name, text);
      assert.deepEqual(parsed.problems, []);
      for (const entry of parsed.entries) {
        const result = validateEvidenceInput(c, entry.value, { ids });
        if (!result.ok) assert.fail(`${name}: ${result.problems.map((p) => `${p.path}: ${p.message}`).join('\n')}`);
        assert.ok(Object.isFrozen(result.evidence) && Object.isFrozen(result.evidence.sources[0]), 'deeply frozen');
        built.push(result.evidence);
      }
    }
    assert.equal(built.length, ledger.length);
    assert.deepEqual(built, ledger);
  });

  it('builds the same Evidence as the loader for an entry using every field', () => {
    const raw = validRaw();
    const result = validateEvidenceInput(c, raw, { ids });
    assert.ok(result.ok, JSON.stringify(result));
    const loaded = loadWithExtra(raw);
    if (!loaded.ok) assert.fail(loaded.problems.map(formatProblem).join('\n'));
    assert.deepEqual(result.evidence, loaded.evidence.at(-1));
    assert.equal(result.evidence.occurred, '2022-01-01');
    assert.equal(result.evidence.occurredTo, '2022-01-31');
    assert.equal(result.evidence.sources[1]?.date, '2022');
  });

  it('accepts a repeated id (the ledger decides between unchanged and conflict)', () => {
    const raw: Record<string, unknown> = { ...validRaw(), id: 'ev-2019-07-17-saeed-arrest' };
    delete raw.supersedes;
    assert.equal(validateEvidenceInput(c, raw, { ids }).ok, true);
  });

  it('accepts hostile text as data, unchanged', () => {
    const hostile = `<script>alert("x")</script> '; DROP TABLE evidence; -- {{constructor}} \u202e\u0000 ${'é'.repeat(3)}`;
    const raw = {
      ...validRaw(),
      description: hostile,
      note: '<img src=x onerror=alert(1)>',
      tags: ['<b>', '"quoted"'],
      sources: [{ publisher: '<iframe>', title: '$' + '{process.env}', date: '2022-02', reliability: 'A', credibility: 1 }],
    };
    const result = validateEvidenceInput(c, raw, { ids });
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.evidence.description, hostile);
    assert.equal(result.evidence.note, '<img src=x onerror=alert(1)>');
    assert.deepEqual(result.evidence.tags, ['<b>', '"quoted"']);
    assert.equal(result.evidence.sources[0]?.title, '$' + '{process.env}');
  });
});

describe('validateEvidenceInput: each rule, at its path, in the words of `proviso validate`', () => {
  /** Asserts the problems (path and a phrase), and that the loader says the same of the same item. */
  function assertRule(raw: unknown, expected: readonly (readonly [path: string, phrase: string])[], sameAsLoader = true) {
    const problems = problemsOf(raw);
    const shown = problems.map((p) => `${p.path}: ${p.message}`).join('\n');
    assert.deepEqual(
      problems.map((p) => p.path),
      expected.map(([path]) => path),
      shown,
    );
    expected.forEach(([, phrase], i) => {
      assert.ok(problems[i]?.message.includes(phrase), `${phrase} in\n${shown}`);
    });
    if (sameAsLoader) {
      assert.deepEqual(
        problems.map((p) => p.message).sort(),
        loaderMessages(raw).sort(),
        'the same messages as the loader gives for the same item in a file',
      );
    }
  }
  const raw = (patch: Record<string, unknown>): Record<string, unknown> => {
    const r: Record<string, unknown> = { ...validRaw(), ...patch };
    for (const [k, v] of Object.entries(patch)) if (v === undefined) delete r[k];
    return r;
  };

  it('an impossible calendar date', () => {
    assertRule(raw({ occurred: '2021-02-30', reported: '2021-03-01' }), [
      ['occurred', 'evidence "ev-test-azhar-imprisoned" occurred: "2021-02-30" is impossible: February 2021 has 28 days'],
    ]);
  });

  it('a malformed partial date, and a full date where only one will do', () => {
    assertRule(raw({ reported: '2022-13' }), [['reported', 'evidence "ev-test-azhar-imprisoned" reported: ']]);
    assertRule(raw({ recorded: '2026-11' }), [['recorded', 'recorded: "2026-11" is not a date of the form YYYY-MM-DD']]);
  });

  it('reported before it occurred', () => {
    assertRule(raw({ occurred: '2021-05-10', reported: '2021-04' }), [
      ['reported', 'evidence "ev-test-azhar-imprisoned": reported 2021-04 is before it occurred (2021-05-10)'],
    ]);
  });

  it('an interval that ends before it begins', () => {
    assertRule(raw({ occurred: { from: '2021-05-10', to: '2021-05-02' }, reported: '2021-06' }), [
      ['occurred.to', 'the interval ends (2021-05-02) before it begins (2021-05-10)'],
    ]);
  });

  it('an impossible source date', () => {
    const sources = [{ publisher: 'P', title: 'T', date: '2021-04-31', reliability: 'A', credibility: 1 }];
    assertRule(raw({ sources }), [['sources.0.date', 'sources[0].date: "2021-04-31" is impossible: April 2021 has 30 days']]);
  });

  it('an amount without a currency', () => {
    assertRule(raw({ currency: undefined }), [['amount', 'amount 1000000 has no currency; add "currency:"']]);
  });

  it('retracted without supersedes', () => {
    assertRule(raw({ supersedes: undefined, retracted: true }), [['retracted', 'retracted: true withdraws the entry named by']]);
  });

  it('an entry that supersedes itself', () => {
    assertRule(raw({ supersedes: 'ev-test-azhar-imprisoned' }), [['supersedes', 'supersedes itself']]);
  });

  it('supersedes an id the ledger does not know, with a suggestion', () => {
    assertRule(
      raw({ supersedes: 'ev-2019-07-17-saeed-arest' }),
      [
        [
          'supersedes',
          'evidence "ev-test-azhar-imprisoned" refers to unknown evidence "ev-2019-07-17-saeed-arest" (evidence is recorded in the ledger); did you mean "ev-2019-07-17-saeed-arrest"?',
        ],
      ],
      false,
    );
    // The loader's message differs only in where evidence lives.
    assert.match(loaderMessages(raw({ supersedes: 'ev-2019-07-17-saeed-arest' }))[0] ?? '', /\(evidence is recorded in .*\.yaml/);
    // Nothing known: the ledger is still named.
    assert.deepEqual(
      problemsOf(raw({ supersedes: 'ev-x' }), new Set()).map((p) => p.message),
      ['evidence "ev-test-azhar-imprisoned" refers to unknown evidence "ev-x" (evidence is recorded in the ledger)'],
    );
  });

  it('an actor that is not an actor of the case', () => {
    assertRule(
      raw({ actors: ['pakistan', 'masood-azar'] }),
      [
        [
          'actors.1',
          'evidence "ev-test-azhar-imprisoned" refers to unknown actor "masood-azar" (actors are defined in the case); did you mean "masood-azhar"?',
        ],
      ],
      false,
    );
  });

  it('a principal action on an instrument the case does not have, and a money flow from an unknown actor', () => {
    assertRule(
      raw({ action: { instrument: 'f16-sustainmnet', kind: 'notified' } }),
      [
        [
          'action.instrument',
          'evidence "ev-test-azhar-imprisoned" refers to unknown instrument "f16-sustainmnet" (instruments are defined in the case); did you mean "f16-sustainment"?',
        ],
      ],
      false,
    );
    const ok = validateEvidenceInput(
      c,
      raw({
        action: { instrument: 'f16-sustainment', kind: 'notified' },
        claim: 'author',
        amount: 5,
        currency: 'USD',
        flow: { kind: 'sale', payer: 'pakistan', payee: 'usa' },
      }),
      { ids },
    );
    assert.ok(ok.ok, JSON.stringify(ok));
    assert.deepEqual(ok.evidence.action, { instrument: 'f16-sustainment', kind: 'notified' });
    assert.deepEqual(ok.evidence.flow, { kind: 'sale', payer: 'pakistan', payee: 'usa' });
  });

  it('schema problems: missing keys at the key, wrong values at the value, unknown keys at the key', () => {
    assertRule(
      {
        ...raw({ kind: undefined, colour: 'red' }),
        sources: [
          { publisher: 'P', date: '2021', reliability: 'A', credibility: 1 },
          { publisher: 'P', title: 'T', date: '2021', reliability: 'Z', credibility: 'x' },
        ],
      },
      [
        ['kind', 'evidence "ev-test-azhar-imprisoned": missing required key "kind"'],
        ['sources.0.title', 'evidence "ev-test-azhar-imprisoned" sources[0]: missing required key "title"'],
        ['sources.1.reliability', 'sources[1].reliability: '],
        ['sources.1.credibility', 'sources[1].credibility: expected an information credibility from 1 (best) to 6, got "x"'],
        ['colour', 'evidence "ev-test-azhar-imprisoned": unknown key "colour"'],
      ],
    );
  });

  it('no sources, a list where a text belongs, an actor id of the wrong form', () => {
    assertRule(raw({ sources: [], description: ['a', 'b'], actors: ['Pakistan'] }), [
      ['actors.0', 'actors[0]: expected an id of lowercase letters'],
      ['description', 'description: expected a text, got a list of 2'],
      ['sources', 'an evidence entry needs at least one source'],
    ]);
  });

  it('reports every problem at once, schema and cross-checks together', () => {
    const problems = problemsOf(raw({ colour: 'red', currency: undefined, reported: '2021-12', actors: ['nobody'] }));
    assert.deepEqual(problems.map((p) => p.path).sort(), ['actors.0', 'amount', 'colour', 'reported']);
  });

  it('an entry that is not a mapping, and one without an id', () => {
    assert.deepEqual(problemsOf('hello'), [
      { code: 'schema', path: '', message: 'evidence item: expected a mapping, got "hello"' },
    ]);
    assert.deepEqual(
      problemsOf(null).map((p) => p.path),
      [''],
    );
    const noId = problemsOf(raw({ id: undefined }));
    assert.deepEqual(noId, [{ code: 'schema', path: 'id', message: 'evidence item: missing required key "id" (a text)' }]);
  });

  it('a hostile id cannot move a problem to another path', () => {
    const problems = problemsOf(raw({ id: 'x": missing required key "kind' }));
    assert.deepEqual(
      problems.map((p) => p.path),
      ['id'],
    );
  });
});

describe('evidenceFromForm', () => {
  const form: Record<string, string | string[]> = {
    _csrf: 'token',
    id: ' ev-test-azhar-imprisoned ',
    kind: 'conviction',
    actors: ['masood-azhar', 'pakistan'],
    description: 'Hypothetical test entry: Masood Azhar convicted and imprisoned.',
    occurred: '2022-01',
    reported: '2022-02-03',
    recorded: '2026-11-28',
    amount: '1000000',
    currency: 'USD',
    'quantity[value]': '1',
    'quantity[of]': '2',
    'quantity[unit]': 'leaders',
    supersedes: 'ev-2019-07-17-saeed-arrest',
    retracted: '',
    tags: 'test, jem,',
    note: 'A test.',
    'sources[0][publisher]': 'Test Wire',
    'sources[0][title]': 'Hypothetical',
    'sources[0][date]': '2022-02',
    'sources[0][url]': 'https://example.org/a',
    'sources[0][reliability]': 'A',
    'sources[0][credibility]': '1',
    'sources[1][publisher]': 'Other Wire',
    'sources[1][title]': 'Copy',
    'sources[1][date]': '2022',
    'sources[1][url]': '',
    'sources[1][reliability]': 'B',
    'sources[1][credibility]': '2',
    'sources[1][origin]': 'Test Wire',
    'sources[2][publisher]': '',
    'sources[2][title]': ' ',
    'sources[2][credibility]': '',
  };

  it('converts a submission to the raw item, and it builds what the loader builds from the same entry', () => {
    const raw = evidenceFromForm(form);
    const expected = validRaw();
    const [first, second] = expected.sources as Record<string, unknown>[];
    expected.sources = [first, { ...second, date: '2022' }];
    assert.deepEqual(raw, expected);
    const result = validateEvidenceInput(c, raw, { ids });
    assert.ok(result.ok, JSON.stringify(result));
    const loaded = loadWithExtra(validRaw());
    if (!loaded.ok) assert.fail(loaded.problems.map(formatProblem).join('\n'));
    assert.deepEqual(result.evidence, loaded.evidence.at(-1));
  });

  it('reads action[…], flow[…] and claim fields into the nested entries', () => {
    assert.deepEqual(
      evidenceFromForm({
        'action[instrument]': 'f16-sustainment',
        'action[kind]': 'notified',
        'flow[kind]': 'sale',
        'flow[payer]': 'pakistan',
        'flow[payee]': 'usa',
        claim: 'analysis',
      }),
      {
        actors: [],
        claim: 'analysis',
        action: { instrument: 'f16-sustainment', kind: 'notified' },
        flow: { kind: 'sale', payer: 'pakistan', payee: 'usa' },
        sources: [],
      },
    );
  });

  it('leaves out empty fields; actors is always a list; a checked box is true', () => {
    assert.deepEqual(evidenceFromForm({ id: 'ev-1', actors: '', tags: ' , ', note: '', retracted: 'on', supersedes: 'ev-0' }), {
      id: 'ev-1',
      actors: [],
      supersedes: 'ev-0',
      retracted: true,
      sources: [],
    });
    assert.deepEqual(evidenceFromForm({ actors: 'pakistan, usa' }), { actors: ['pakistan', 'usa'], sources: [] });
    assert.deepEqual(evidenceFromForm({}), { actors: [], sources: [] });
  });

  it('reads an interval, and keeps sources in the order of their numbers', () => {
    const raw = evidenceFromForm({
      'occurred[from]': '2021-05-01',
      'occurred[to]': '2021-05-10',
      'sources[10][title]': 'second',
      'sources[2][title]': 'first',
    });
    assert.deepEqual(raw, {
      actors: [],
      occurred: { from: '2021-05-01', to: '2021-05-10' },
      sources: [{ title: 'first' }, { title: 'second' }],
    });
  });

  it('leaves what it cannot convert as written, so validation reports it at the form field', () => {
    const raw = evidenceFromForm({
      ...form,
      amount: '1,000,000',
      'sources[0][credibility]': 'high',
      retracted: 'maybe',
      kind: ['conviction', 'arrest'],
      occurred: '2022-01',
      'occurred[from]': '2022-01-01',
      colour: 'red',
    });
    const problems = problemsOf(raw);
    const byPath = new Map(problems.map((p) => [p.path, p.message]));
    assert.deepEqual([...byPath.keys()].sort(), ['amount', 'colour', 'kind', 'occurred', 'retracted', 'sources.0.credibility']);
    assert.match(byPath.get('amount') ?? '', /amount: expected a number, got "1,000,000"/);
    assert.match(byPath.get('retracted') ?? '', /retracted: expected true or false, got "maybe"/);
    assert.match(byPath.get('kind') ?? '', /kind: expected a text, got a list of 2/);
    assert.match(byPath.get('occurred') ?? '', /occurred: expected a date .* or \{from, to\}, got a list of 2/);
  });

  it('keeps hostile names and values as data', () => {
    const fields = JSON.parse(
      '{"__proto__": ["a", "b"], "sources[0][__proto__]": "x", "description": "<script>alert(1)</script>"}',
    );
    assert.ok(Object.hasOwn(fields, '__proto__'));
    const raw = evidenceFromForm(fields);
    assert.equal(Object.getPrototypeOf(raw), Object.prototype);
    assert.equal((raw as { description: string }).description, '<script>alert(1)</script>');
    const paths = problemsOf(raw).map((p) => p.path);
    // A top-level name starting with "_" is ignored like a CSRF token; a nested one is an unknown key.
    assert.ok(!Object.hasOwn(raw as object, '__proto__'));
    assert.ok(paths.includes('sources.0.__proto__'), paths.join(', '));
    const withConstructor = evidenceFromForm(JSON.parse('{"constructor": "x", "sources[0][constructor]": "y"}'));
    assert.equal(Object.getPrototypeOf(withConstructor), Object.prototype);
    assert.deepEqual(
      problemsOf(withConstructor)
        .map((p) => p.path)
        .filter((p) => p.includes('constructor'))
        .sort(),
      ['constructor', 'sources.0.constructor'],
    );
  });
});
