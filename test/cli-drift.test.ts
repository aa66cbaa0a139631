/**
 * Scratch work never touches the store (issue 12, point 9), end to end in-process:
 * - an experiment on a modified copy of the reference case, run with --scratch, leaves the
 *   store folder byte for byte as it was (and creates none);
 * - run against the shared store instead, its entries are named when the reference case is
 *   next loaded, in text and as JSON lines on stderr;
 * - a typo fixed in an item already in the ledger is warned about (validate and assess),
 *   the stored entry is assessed, `proviso correct` records the fix as a correction, the
 *   warning stops, and --recorded-by the day before reproduces the old assessment exactly.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openSqliteLedgerStore } from '../src/adapters/sqlite/sqlite-ledger-store.ts';
import type { Evidence } from '../src/core/evidence.ts';
import { makeTempDir, REFERENCE_CASE, type RunResult, runCli } from './support/cli-harness.ts';
import { snapshotFolder } from './support/store-snapshot.ts';

const CASE_ID = 'us-pakistan';
/** An item of evidence/fatf.yaml with a one-line description and no correction of its own, which the tests edit. */
const EDITED = 'ev-2019-01-fatf-deadline-missed';
const ORIGINAL_DESCRIPTION = 'description: Pakistan failed to meet its January 2019 action-plan deadline.';
const FIXED_DESCRIPTION = 'description: Pakistan failed to meet the January 2019 deadline of its action plan.';

interface JsonWarning {
  readonly warning: { readonly code: string; readonly kind?: string; readonly message: string; readonly ids?: string[] };
}

/** Every stderr line, each of which must be a JSON warning. */
function jsonWarnings(r: RunResult): JsonWarning['warning'][] {
  return r.stderr
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => (JSON.parse(l) as JsonWarning).warning);
}

function newItem(id: string, recorded = '2026-11-28'): string {
  return `${JSON.stringify({
    id,
    kind: 'assessment',
    actors: ['pakistan'],
    description: `Experiment ${id}`,
    occurred: '2023-01-01',
    reported: '2023-01-01',
    recorded,
    sources: [{ publisher: 'P', title: 'T', date: '2023-01-01', reliability: 'B', credibility: 2 }],
  })}\n`;
}

function editItem(caseDir: string, from: string, to: string): void {
  const path = join(caseDir, 'evidence', 'fatf.yaml');
  const text = readFileSync(path, 'utf8');
  assert.ok(text.includes(from), `${path} holds "${from}"`);
  writeFileSync(path, text.replace(from, to));
}

async function storedEntries(storeDir: string): Promise<Evidence[]> {
  const store = openSqliteLedgerStore(join(storeDir, 'ledger.sqlite'));
  try {
    return await store.entries(CASE_ID);
  } finally {
    await store.close();
  }
}

function knownOf(r: RunResult): number {
  return (JSON.parse(r.stdout) as { ledger: { known: number } }).ledger.known;
}

describe('an experiment on a modified copy of a case (shared default store)', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let ref: string;
  let exp: string;
  let store: string;
  let reference: RunResult;
  const assessArgs = ['--as-of', '2026-11-28', '--format', 'json'];

  before(async () => {
    tmp = makeTempDir();
    ref = join(tmp.dir, 'ref');
    exp = join(tmp.dir, 'exp');
    store = join(tmp.dir, '.proviso');
    cpSync(REFERENCE_CASE, ref, { recursive: true });
    cpSync(REFERENCE_CASE, exp, { recursive: true });
    writeFileSync(join(exp, 'evidence', 'zz-experiment.jsonl'), newItem('ev-zz-experiment'));
    editItem(exp, ORIGINAL_DESCRIPTION, FIXED_DESCRIPTION);
    reference = await runCli(['assess', ref, ...assessArgs], tmp.dir);
    assert.equal(reference.code, 0, reference.stderr);
    assert.equal(reference.stderr, '', 'the reference case alone draws no warning');
  });
  after(() => tmp.cleanup());

  it('with --scratch, every command runs on the folder alone and leaves the store byte-identical', async () => {
    const before = snapshotFolder(store);
    assert.ok(before?.some((f) => f.path === 'ledger.sqlite'));

    const assessed = await runCli(['assess', exp, ...assessArgs, '--scratch'], tmp.dir);
    assert.equal(assessed.code, 0, assessed.stderr);
    assert.equal(knownOf(assessed), knownOf(reference) + 1, 'the experiment’s new item is assessed');
    assert.notEqual(
      (JSON.parse(assessed.stdout) as { digest: string }).digest,
      (JSON.parse(reference.stdout) as { digest: string }).digest,
    );
    for (const w of jsonWarnings(assessed)) assert.equal(w.code, 'scratch-inputs', 'no drift warning in scratch mode');

    for (const args of [
      ['validate', exp, '--scratch'],
      ['history', exp, '--from', '2022-01-01', '--to', '2023-03-03', '--scratch', '--format', 'json'],
      ['brief', exp, '--as-of', '2023-03-03', '--out', join(tmp.dir, 'brief.md'), '--scratch'],
      ['demo', '--scratch', '--out-dir', join(tmp.dir, 'out')],
    ]) {
      const r = await runCli(args, tmp.dir);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    }
    assert.ok(existsSync(join(tmp.dir, 'brief.md')));
    assert.deepEqual(snapshotFolder(store), before, 'the store folder is byte-identical, mtimes included');

    // The reference case is unchanged by it.
    const again = await runCli(['assess', ref, ...assessArgs], tmp.dir);
    assert.equal(again.stdout, reference.stdout);
    assert.equal(again.stderr, '');
  });

  it('with --scratch and no store yet, no store folder is created', async () => {
    const fresh = makeTempDir();
    try {
      const r = await runCli(['assess', exp, ...assessArgs, '--scratch'], fresh.dir);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(existsSync(join(fresh.dir, '.proviso')), false);
    } finally {
      fresh.cleanup();
    }
  });

  it('scratch mode assesses an unmodified case exactly as the store does (its data files read in memory)', async () => {
    const scratch = await runCli(['assess', ref, ...assessArgs, '--scratch'], tmp.dir);
    assert.equal(scratch.code, 0, scratch.stderr);
    assert.equal(scratch.stdout, reference.stdout);
    const inputs = jsonWarnings(scratch);
    assert.deepEqual(
      inputs.map((w) => w.code),
      ['scratch-inputs'],
    );
    assert.deepEqual(inputs[0]?.ids, ['militant_conflict_vs_india'], 'the event indicator is named: no event store is read');
  });

  it('--scratch and --store together are a usage error', async () => {
    const r = await runCli(['assess', exp, '--scratch', '--store', store], tmp.dir);
    assert.equal(r.code, 2);
  });

  it('without --scratch, the experiment is warned about, and so is the reference case afterwards', async () => {
    const experiment = await runCli(['assess', exp, ...assessArgs], tmp.dir);
    assert.equal(experiment.code, 0, experiment.stderr);
    const [differs, ...rest] = jsonWarnings(experiment);
    assert.deepEqual(rest, []);
    assert.equal(differs?.code, 'ledger-drift');
    assert.equal(differs?.kind, 'differs');
    assert.deepEqual(differs?.ids, [EDITED]);
    assert.match(differs?.message ?? '', new RegExp(`proviso correct ${exp}\\b`));

    const back = await runCli(['assess', ref, ...assessArgs], tmp.dir);
    assert.equal(back.code, 0, back.stderr);
    assert.equal(knownOf(back), knownOf(reference) + 1, 'the experiment’s item is in the ledger now');
    const [notInFolder, ...others] = jsonWarnings(back);
    assert.deepEqual(others, []);
    assert.equal(notInFolder?.kind, 'not-in-folder');
    assert.deepEqual(notInFolder?.ids, ['ev-zz-experiment']);
    assert.equal(
      notInFolder?.message,
      `the ledger .proviso/ledger.sqlite holds 1 entry for case us-pakistan that is not in ${ref}: ev-zz-experiment; it is assessed with the folder's items. Use --scratch to assess the folder alone, or --store DIR for a separate ledger.`,
    );

    const text = await runCli(['assess', ref, '--as-of', '2026-11-28'], tmp.dir);
    assert.equal(text.code, 0);
    assert.match(text.stderr, /^proviso: warning: the ledger \.proviso\/ledger\.sqlite holds 1 entry for case us-pakistan/);

    for (const command of [
      ['history', ref, '--from', '2023-01-01', '--to', '2023-03-03'],
      ['brief', ref, '--as-of', '2023-03-03', '--out', join(tmp.dir, 'b.md')],
    ]) {
      const r = await runCli(command, tmp.dir);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /proviso: warning: the ledger .* ev-zz-experiment/, command[0]);
    }

    const validated = await runCli(['validate', ref, '--format', 'json'], tmp.dir);
    assert.equal(validated.code, 0, validated.stderr);
    const summary = JSON.parse(validated.stdout) as { ok: boolean; drift: { notInFolder: string[]; differs: string[] } };
    assert.equal(summary.ok, true);
    assert.deepEqual(summary.drift, { notInFolder: ['ev-zz-experiment'], differs: [] });
  });

  it('names at most ten ids, then how many more', async () => {
    const many = join(tmp.dir, 'many');
    cpSync(REFERENCE_CASE, many, { recursive: true });
    const ids = Array.from({ length: 12 }, (_, i) => `ev-zz-many-${String(i).padStart(2, '0')}`);
    writeFileSync(join(many, 'evidence', 'zz-many.jsonl'), ids.map((id) => newItem(id)).join(''));
    const other = join(tmp.dir, 'other-store');
    assert.equal((await runCli(['assess', many, '--store', other], tmp.dir)).code, 0);
    const r = await runCli(['assess', ref, '--store', other, ...assessArgs], tmp.dir);
    const [w] = jsonWarnings(r);
    assert.deepEqual(w?.ids, ids);
    assert.match(w?.message ?? '', /holds 12 entries .*: ev-zz-many-00, .*, ev-zz-many-09 and 2 more; they are assessed/);
  });
});

describe('a typo fixed in an item already in the ledger', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let caseDir: string;
  let store: string;
  /** Before the fix: the assessment, and the same as recorded by 2026-11-28. */
  let original: RunResult;
  let originalRecordedBy: RunResult;
  const assess = (extra: readonly string[] = [], today?: string) =>
    runCli(['assess', caseDir, '--as-of', '2026-11-28', '--store', store, '--format', 'json', ...extra], tmp.dir, today);

  before(async () => {
    tmp = makeTempDir();
    caseDir = join(tmp.dir, 'case');
    store = join(tmp.dir, 'store');
    cpSync(REFERENCE_CASE, caseDir, { recursive: true });
    original = await assess();
    assert.equal(original.code, 0, original.stderr);
    originalRecordedBy = await assess(['--recorded-by', '2026-11-28']);
    assert.equal(originalRecordedBy.code, 0, originalRecordedBy.stderr);
    editItem(caseDir, ORIGINAL_DESCRIPTION, FIXED_DESCRIPTION);
  });
  after(() => tmp.cleanup());

  it('validate reports the drift, in text and JSON, exits 0 and writes nothing', async () => {
    const before = snapshotFolder(store);
    const json = await runCli(['validate', caseDir, '--store', store, '--format', 'json'], tmp.dir);
    assert.equal(json.code, 0, json.stderr);
    const summary = JSON.parse(json.stdout) as {
      ok: boolean;
      ledger: string;
      drift: { notInFolder: string[]; differs: string[] };
    };
    assert.equal(summary.ok, true);
    assert.equal(summary.ledger, 'store/ledger.sqlite');
    assert.deepEqual(summary.drift, { notInFolder: [], differs: [EDITED] });
    assert.deepEqual(
      jsonWarnings(json).map((w) => [w.kind, w.ids]),
      [['differs', [EDITED]]],
    );

    const text = await runCli(['validate', caseDir, '--store', store], tmp.dir);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /valid — case us-pakistan/);
    assert.match(
      text.stderr,
      new RegExp(`^proviso: warning: 1 evidence item in ${caseDir} differs from its entry in the ledger`),
    );
    assert.ok(text.stderr.includes(`run: proviso correct ${caseDir} --store ${store} `), text.stderr);

    const scratch = await runCli(['validate', caseDir, '--scratch', '--format', 'json'], tmp.dir);
    assert.deepEqual((JSON.parse(scratch.stdout) as { drift: unknown }).drift, { notInFolder: [], differs: [] });
    assert.deepEqual(snapshotFolder(store), before, 'validate wrote nothing');
  });

  it('assess warns, assesses the stored entry and fails no more', async () => {
    const before = snapshotFolder(store);
    const r = await assess();
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, original.stdout, 'the stored entry is assessed, as before the fix');
    assert.deepEqual(
      jsonWarnings(r).map((w) => [w.code, w.kind, w.ids]),
      [['ledger-drift', 'differs', [EDITED]]],
    );
    const ledgerFile = (snapshot: typeof before) => snapshot?.find((f) => f.path === 'ledger.sqlite')?.sha256;
    assert.equal(ledgerFile(snapshotFolder(store)), ledgerFile(before), 'nothing was appended');
  });

  it('proviso correct records the fix; the warning stops; --recorded-by reproduces the old assessment exactly', async () => {
    const corrected = await runCli(['correct', caseDir, '--store', store], tmp.dir, '2026-12-01');
    assert.equal(corrected.code, 0, corrected.stderr);
    assert.match(corrected.stdout, new RegExp(`${EDITED}\\.c1 supersedes ${EDITED}`));
    assert.match(corrected.stdout, /--recorded-by 2026-11-30/);

    const entries = await storedEntries(store);
    const correction = entries.find((e) => e.id === `${EDITED}.c1`);
    assert.ok(correction !== undefined);
    assert.equal(correction.supersedes, EDITED);
    assert.equal(correction.recorded, '2026-12-01');
    assert.equal(correction.description, FIXED_DESCRIPTION.replace('description: ', ''));
    assert.ok(
      entries.some((e) => e.id === EDITED),
      'the original entry stays',
    );

    const after = await assess([], '2026-12-01');
    assert.equal(after.code, 0, after.stderr);
    assert.equal(after.stderr, '', 'no more warning');
    assert.notEqual(
      (JSON.parse(after.stdout) as { digest: string }).digest,
      (JSON.parse(original.stdout) as { digest: string }).digest,
      'the correction is assessed',
    );
    const reproduced = await assess(['--recorded-by', '2026-11-28'], '2026-12-01');
    assert.equal(reproduced.code, 0, reproduced.stderr);
    assert.equal(reproduced.stdout, originalRecordedBy.stdout, 'byte-identical to the assessment before the correction');

    const validated = await runCli(['validate', caseDir, '--store', store, '--format', 'json'], tmp.dir);
    assert.deepEqual((JSON.parse(validated.stdout) as { drift: unknown }).drift, { notInFolder: [], differs: [] });
    assert.equal(validated.stderr, '');

    const nothing = await runCli(['correct', caseDir, '--store', store], tmp.dir, '2026-12-02');
    assert.equal(nothing.code, 0, nothing.stderr);
    assert.match(nothing.stdout, /^Nothing to correct/);
    assert.equal((await storedEntries(store)).length, entries.length);
  });

  it('a second fix is corrected again, as .c2 superseding .c1, with the new items of the same load appended', async () => {
    editItem(caseDir, FIXED_DESCRIPTION, FIXED_DESCRIPTION.replace('the January', 'the first, January'));
    writeFileSync(join(caseDir, 'evidence', 'zz-new.jsonl'), newItem('ev-zz-new', '2026-12-03'));
    const r = await assess([], '2026-12-03');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      jsonWarnings(r).map((w) => w.ids),
      [[EDITED]],
    );
    assert.ok(
      (await storedEntries(store)).some((e) => e.id === 'ev-zz-new'),
      'the new item is appended',
    );

    const refused = await runCli(['correct', caseDir, EDITED, '--store', store, '--recorded', '2026-11-30'], tmp.dir);
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      new RegExp(`before ${EDITED}\\.c1 .* was recorded on 2026-12-01; give --recorded 2026-12-01 or later`),
    );

    const corrected = await runCli(
      ['correct', caseDir, EDITED, '--store', store, '--recorded', '2026-12-05', '--format', 'json'],
      tmp.dir,
    );
    assert.equal(corrected.code, 0, corrected.stderr);
    assert.deepEqual(JSON.parse(corrected.stdout), {
      ledger: 'store/ledger.sqlite',
      recorded: '2026-12-05',
      corrections: [{ id: `${EDITED}.c2`, supersedes: `${EDITED}.c1`, item: EDITED }],
    });
    const after = await assess([], '2026-12-05');
    assert.equal(after.stderr, '');
    const reproduced = await assess(['--recorded-by', '2026-11-28'], '2026-12-05');
    assert.equal(reproduced.stdout, originalRecordedBy.stdout);
  });

  it('correct refuses ids that are not drifted items, and writes nothing', async () => {
    const count = (await storedEntries(store)).length;
    const r = await runCli(['correct', caseDir, 'ev-no-such-item', 'ev-2010-fatf-delisting', '--store', store], tmp.dir);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /evidence ev-no-such-item is not an evidence item of the case folder/);
    assert.match(r.stderr, /evidence ev-2010-fatf-delisting matches its ledger entry; nothing to correct/);
    assert.match(r.stderr, /Nothing was written/);
    assert.equal((await storedEntries(store)).length, count);

    const json = await runCli(['correct', caseDir, 'ev-no-such-item', '--store', store, '--format', 'json'], tmp.dir);
    assert.equal(json.code, 1);
    assert.equal((JSON.parse(json.stderr) as { error: { code: string } }).error.code, 'cannot-correct');
  });

  it('correct without a ledger says so and creates none', async () => {
    const empty = join(tmp.dir, 'no-store');
    const r = await runCli(['correct', caseDir, '--store', empty], tmp.dir);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /there is no ledger at no-store\/ledger\.sqlite: nothing to correct/);
    assert.equal(existsSync(empty), false);
  });
});
