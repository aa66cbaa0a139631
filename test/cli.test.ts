/**
 * The CLI end to end, in-process, against a real SQLite ledger in a temporary folder:
 * exit codes, file:line:col problems, an untouched ledger after bad input, JSON errors,
 * and the main job (demo).
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { openSqliteLedgerStore } from '../src/adapters/sqlite/sqlite-ledger-store.ts';
import { canonicalJson } from '../src/core/canonical-json.ts';
import { makeTempDir, REFERENCE_CASE, REPO_ROOT, runCli } from './support/cli-harness.ts';

const PROBLEM_LINE = /^[^:\n]+:\d+:\d+: .+$/;

async function ledgerSnapshot(storeDir: string): Promise<string> {
  const store = openSqliteLedgerStore(join(storeDir, 'ledger.sqlite'));
  try {
    return canonicalJson(await store.entries('us-pakistan'));
  } finally {
    await store.close();
  }
}

describe('proviso validate', () => {
  it('accepts the reference case with exit 0', async () => {
    const r = await runCli(['validate', REFERENCE_CASE], REPO_ROOT);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /valid — case us-pakistan/);
  });

  const fixtures = readdirSync(join(REPO_ROOT, 'test', 'fixtures', 'cases')).filter((d) => d.startsWith('invalid-'));
  for (const name of fixtures) {
    it(`reports ${name} as file:line:col problems with exit 1`, async () => {
      const r = await runCli(['validate', join(REPO_ROOT, 'test', 'fixtures', 'cases', name)], REPO_ROOT);
      assert.equal(r.code, 1);
      const lines = r.stderr.trim().split('\n');
      const problems = lines.slice(0, -1);
      assert.ok(problems.length > 0);
      for (const l of problems) assert.match(l, PROBLEM_LINE);
    });
  }

  it('gives the problems as JSON with --format json', async () => {
    const r = await runCli(
      ['validate', join(REPO_ROOT, 'test', 'fixtures', 'cases', fixtures[0] as string), '--format', 'json'],
      REPO_ROOT,
    );
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    const parsed = JSON.parse(r.stderr) as {
      error: {
        code: string;
        message: string;
        problems: { code: string; file: string; line: number; col: number; message: string }[];
      };
    };
    assert.equal(parsed.error.code, 'invalid-case');
    assert.match(parsed.error.message, /^\d+ problems? in /);
    assert.ok(parsed.error.problems.length > 0);
    assert.ok(parsed.error.problems.every((p) => p.line >= 1 && p.col >= 1 && p.message.length > 0 && p.code.length > 0));
  });
});

describe('bad input leaves the ledger as it was', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let caseDir: string;
  let store: string;
  before(async () => {
    tmp = makeTempDir();
    caseDir = join(tmp.dir, 'case');
    cpSync(REFERENCE_CASE, caseDir, { recursive: true });
    store = join(tmp.dir, 'store');
    const r = await runCli(['assess', caseDir, '--as-of', '2023-03-03', '--store', store], tmp.dir);
    assert.equal(r.code, 0, r.stderr);
  });
  after(() => tmp.cleanup());

  it('importing the same evidence twice changes nothing', async () => {
    const before = await ledgerSnapshot(store);
    const r = await runCli(['assess', caseDir, '--as-of', '2023-03-03', '--store', store], tmp.dir);
    assert.equal(r.code, 0);
    assert.equal(await ledgerSnapshot(store), before);
  });

  const breakages: [string, string, (text: string) => string][] = [
    ['an impossible date', 'evidence/fatf.yaml', (t) => t.replace('reported: 2022-10-21', 'reported: 2022-02-30')],
    ['broken YAML', 'benchmarks.yaml', (t) => `${t}\n  - id: [unclosed\n`],
    ['an unknown reference', 'gates.yaml', (t) => t.replace('let-chief-in-custody', 'let-chief-in-custdy')],
    ['a wrong type', 'interests.yaml', (t) => t.replace(/rank: 1\b/, 'rank: first')],
  ];
  for (const [what, file, change] of breakages) {
    it(`${what}: exit 1 with file:line:col, ledger untouched`, async () => {
      const before = await ledgerSnapshot(store);
      const path = join(caseDir, file);
      const original = readFileSync(path, 'utf8');
      const broken = change(original);
      assert.notEqual(broken, original, 'the breakage applies');
      // A new, valid evidence file proves nothing is written when another file is bad.
      writeFileSync(
        join(caseDir, 'evidence', 'zz-new.jsonl'),
        `${JSON.stringify({ id: 'ev-new-entry', kind: 'assessment', actors: ['pakistan'], description: 'New entry', occurred: '2023-01-01', reported: '2023-01-01', recorded: '2026-11-28', sources: [{ publisher: 'P', title: 'T', date: '2023-01-01', reliability: 'B', credibility: 2 }] })}\n`,
      );
      writeFileSync(path, broken);
      try {
        const r = await runCli(['assess', caseDir, '--as-of', '2023-03-03', '--store', store], tmp.dir);
        assert.equal(r.code, 1);
        assert.match(r.stderr, new RegExp(`${file.replace('.', '\\.')}:\\d+:\\d+: `));
        assert.match(r.stderr, /nothing was written to the ledger/);
        assert.equal(await ledgerSnapshot(store), before);
      } finally {
        writeFileSync(path, original);
        writeFileSync(join(caseDir, 'evidence', 'zz-new.jsonl'), '');
      }
    });
  }

  it('an evidence entry edited in place is warned about, the stored entry is assessed, and the ledger is untouched', async () => {
    const before = await ledgerSnapshot(store);
    const assessed = await runCli(['assess', caseDir, '--as-of', '2023-03-03', '--store', store, '--format', 'json'], tmp.dir);
    const path = join(caseDir, 'evidence', 'fatf.yaml');
    const original = readFileSync(path, 'utf8');
    writeFileSync(path, original.replace(/description: (.*)/, 'description: Rewritten in place'));
    try {
      const r = await runCli(['assess', caseDir, '--as-of', '2023-03-03', '--store', store, '--format', 'json'], tmp.dir);
      assert.equal(r.code, 0, r.stderr);
      const warning = JSON.parse(r.stderr) as { warning: { code: string; kind: string; message: string; ids: string[] } };
      assert.equal(warning.warning.code, 'ledger-drift');
      assert.equal(warning.warning.kind, 'differs');
      assert.deepEqual(warning.warning.ids, ['ev-2008-fatf-listing']);
      assert.match(warning.warning.message, /proviso correct/);
      assert.equal(r.stdout, assessed.stdout, 'the stored entry is assessed');
      assert.equal(await ledgerSnapshot(store), before);
    } finally {
      writeFileSync(path, original);
    }
  });
});

describe('the ledger a command assesses', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let caseDir: string;
  let store: string;
  before(() => {
    tmp = makeTempDir();
    caseDir = join(tmp.dir, 'case');
    cpSync(REFERENCE_CASE, caseDir, { recursive: true });
    store = join(tmp.dir, 'store');
  });
  after(() => tmp.cleanup());

  const knownAsOf = async (): Promise<number> => {
    const r = await runCli(['assess', caseDir, '--as-of', '2026-11-28', '--store', store, '--format', 'json'], tmp.dir);
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as { ledger: { known: number } }).ledger.known;
  };
  const extra = {
    id: 'ev-zz-added-elsewhere',
    kind: 'assessment',
    actors: ['pakistan'],
    description: 'Added to the ledger outside the case folder',
    occurred: '2023-01-01',
    occurredTo: '2023-01-01',
    reported: '2023-01-01',
    recorded: '2026-11-28',
    sources: [{ publisher: 'P', title: 'T', date: '2023-01-01', reliability: 'B' as const, credibility: 2 as const }],
    tags: [],
  };

  it('holds entries added to the ledger by other means (the server), and items since removed from the folder', async () => {
    const folderItems = await knownAsOf();
    // An entry appended straight to the ledger, as `proviso serve` does.
    const ledger = openSqliteLedgerStore(join(store, 'ledger.sqlite'));
    try {
      assert.equal((await ledger.append('us-pakistan', [extra])).ok, true);
    } finally {
      await ledger.close();
    }
    assert.equal(await knownAsOf(), folderItems + 1);
    // An item imported from the folder, then removed from it, stays in the (append-only) ledger.
    const path = join(caseDir, 'evidence', 'zz-temporary.jsonl');
    const { occurredTo: _, ...item } = extra;
    writeFileSync(path, `${JSON.stringify({ ...item, id: 'ev-zz-imported-then-removed' })}\n`);
    assert.equal(await knownAsOf(), folderItems + 2);
    rmSync(path);
    assert.equal(await knownAsOf(), folderItems + 2);
  });
});

describe('errors', () => {
  it('a missing case folder is a clear error and exit 1, as JSON with --format json', async () => {
    const r = await runCli(['assess', '/nonexistent/case', '--format', 'json'], REPO_ROOT);
    assert.equal(r.code, 1);
    const err = JSON.parse(r.stderr) as { error: { message: string } };
    assert.match(err.error.message, /nonexistent/);
  });

  it('ingest --format json gives its errors as JSON; the input format is --input-format (the old spellings still work)', async () => {
    const tmp = makeTempDir();
    try {
      const store = ['--store', join(tmp.dir, '.proviso')];
      for (const json of [['--format', 'json'], ['--json']]) {
        const r = await runCli(['ingest', 'nope.tsv', ...json, ...store], tmp.dir);
        assert.equal(r.code, 1);
        const err = JSON.parse(r.stderr) as {
          error: { code: string; message: string; problems: { code: string; file: string }[] };
        };
        assert.equal(err.error.code, 'unreadable');
        assert.match(err.error.message, /nope\.tsv/);
        assert.deepEqual(
          err.error.problems.map((p) => [p.code, basename(p.file)]),
          [['unreadable', 'nope.tsv']],
        );
      }
      const plain = await runCli(['ingest', 'nope.tsv', '--input-format', 'gdelt', ...store], tmp.dir);
      assert.equal(plain.code, 1);
      assert.match(plain.stderr, /^proviso: cannot read/m);
      const old = await runCli(['ingest', 'nope.tsv', '--format', 'gdelt', ...store], tmp.dir);
      assert.equal(old.code, 1);
      assert.match(old.stderr, /^proviso: cannot read/m);
      const wrong = await runCli(['ingest', 'nope.tsv', '--format', 'xml', ...store], tmp.dir);
      assert.equal(wrong.code, 2);
    } finally {
      tmp.cleanup();
    }
  });

  it('an impossible --as-of date is a usage error', async () => {
    const r = await runCli(['assess', REFERENCE_CASE, '--as-of', '2021-02-30'], REPO_ROOT);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /2021-02-30.*February 2021 has 28 days/);
  });
});

describe('proviso demo (the main job)', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  before(() => {
    tmp = makeTempDir();
  });
  after(() => tmp.cleanup());

  it('assesses today and the essay date, writes a Markdown brief and says where', async () => {
    const r = await runCli(['demo'], tmp.dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /as of 2026-11-28/);
    assert.match(r.stdout, /as of 2023-03-03/);
    assert.match(r.stdout, /Markdown brief as of 2023-03-03 written to out\/us-pakistan-brief-2023-03-03\.md/);
    const brief = readFileSync(join(tmp.dir, 'out', 'us-pakistan-brief-2023-03-03.md'), 'utf8');
    assert.match(brief, /## Bottom line/);
    // Departures lead: the F-16 package was notified although its conditions are unmet.
    assert.match(
      brief,
      /## Bottom line\n\n- F-16 sustainment package for Pakistan: not warranted — conditions unmet \(\d of \d benchmarks unmet\); done anyway: notified 2022-09-07/,
    );
    assert.match(brief, /## Citations/);
    assert.ok(existsSync(join(tmp.dir, '.proviso', 'ledger.sqlite')));
    // Then the other example cases, in a few lines each: a scorecard and a withholding regime.
    assert.match(r.stdout, /MCC eligibility scorecard for Tanzania, FY2016 \(20 indicators\): 1 of 20 met/);
    assert.match(r.stdout, /US\$85 million\) \(USD 85M\): locked; done: withheld 2023-09-13/);
  });

  it('brief --since adds a what-changed section with cited transitions', async () => {
    const r = await runCli(['brief', REFERENCE_CASE, '--as-of', '2023-03-03', '--since', '2022-01-01', '--out', 'b.md'], tmp.dir);
    assert.equal(r.code, 0, r.stderr);
    const brief = readFileSync(join(tmp.dir, 'b.md'), 'utf8');
    assert.match(brief, /## What changed since 2022-01-01/);
    assert.match(
      brief,
      /2022-10-21: benchmark “FATF action plans completed and delisting sustained” \(fatf-action-plans-completed\) not met → pending/,
    );
  });
});

describe('--format csv: one row per thing, as the JSON has them', () => {
  const at = ['--as-of', '2023-03-03', '--scratch'];
  it('assess: a row per benchmark, instrument, justification and issue area, with the same statuses', async () => {
    const [json, csv] = await Promise.all([
      runCli(['assess', REFERENCE_CASE, ...at, '--format', 'json'], REPO_ROOT),
      runCli(['assess', REFERENCE_CASE, ...at, '--format', 'csv'], REPO_ROOT),
    ]);
    assert.equal(csv.code, 0, csv.stderr);
    const a = JSON.parse(json.stdout) as {
      benchmarks: { id: string; status: string }[];
      instruments: { id: string; decision: string }[];
      justifications: { id: string; verdict: string }[];
      issueAreas: { id: string; convergence: string }[];
    };
    const rows = parse(csv.stdout, { columns: true }) as Record<string, string>[];
    const expected = [
      ...a.benchmarks.map((b) => ['benchmark', b.id, b.status]),
      ...a.instruments.map((i) => ['instrument', i.id, i.decision]),
      ...a.justifications.map((j) => ['justification', j.id, j.verdict]),
      ...a.issueAreas.map((r) => ['issue-area', r.id, r.convergence]),
    ];
    assert.deepEqual(
      rows.map((r) => [r.kind, r.id, r.status]),
      expected,
    );
  });

  it('history: a row per point and thing, in long form', async () => {
    const args = ['history', REFERENCE_CASE, '--from', '2020-01-01', '--to', '2020-12-31', '--step', 'quarter', '--scratch'];
    const [json, csv] = await Promise.all([
      runCli([...args, '--format', 'json'], REPO_ROOT),
      runCli([...args, '--format', 'csv'], REPO_ROOT),
    ]);
    assert.equal(csv.code, 0, csv.stderr);
    const h = JSON.parse(json.stdout) as { points: { asOf: string; benchmarks: Record<string, string> }[] };
    const rows = parse(csv.stdout, { columns: true }) as Record<string, string>[];
    for (const p of h.points) {
      for (const [id, status] of Object.entries(p.benchmarks)) {
        assert.ok(
          rows.some((r) => r.as_of === p.asOf && r.kind === 'benchmark' && r.id === id && r.status === status),
          `${p.asOf} ${id}`,
        );
      }
    }
  });

  it('unlock and validate print a header and rows', async () => {
    const u = await runCli(['unlock', REFERENCE_CASE, ...at, '--format', 'csv'], REPO_ROOT);
    assert.equal(u.code, 0, u.stderr);
    const rows = parse(u.stdout, { columns: true }) as Record<string, string>[];
    assert.ok(rows.length > 0 && rows.every((r) => r.id !== '' && r.decision !== ''));
    const v = await runCli(['validate', REFERENCE_CASE, '--scratch', '--format', 'csv'], REPO_ROOT);
    assert.equal(v.code, 0, v.stderr);
    assert.deepEqual(Object.keys((parse(v.stdout, { columns: true }) as Record<string, string>[])[0] ?? {}), [
      'case',
      'files',
      'evidence',
      'ledger',
      'not_in_folder',
      'differs',
    ]);
  });
});
