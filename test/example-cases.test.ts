/**
 * The example cases besides the reference case — an MCC scorecard (Tanzania, FY2016) and US
 * FMF for Egypt under statutory withholding and waivers: golden output, and the results each
 * is there to show, asserted from the engine.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadCase } from '../src/adapters/case-files/load-case.ts';
import { assess } from '../src/core/assess.ts';
import { makeTempDir, REPO_ROOT, runCli } from './support/cli-harness.ts';
import { EXAMPLE_GOLDENS } from './support/example-goldens.ts';

const GOLDEN = join(REPO_ROOT, 'test', 'golden');

async function load(name: string) {
  const r = await loadCase(join(REPO_ROOT, 'examples', name));
  assert.ok(r.ok, r.ok ? '' : r.problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join('\n'));
  return r;
}

describe('golden output of the example cases', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  before(() => {
    tmp = makeTempDir();
  });
  after(() => tmp.cleanup());
  for (const { name, args } of EXAMPLE_GOLDENS) {
    it(`${name} matches the reviewed golden file byte for byte`, async () => {
      const r = await runCli(args, tmp.dir);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, readFileSync(join(GOLDEN, name), 'utf8'), 'run `npm run golden:update` and review the diff');
    });
  }
});

describe('MCC scorecard: Tanzania, FY2016', () => {
  it('passes the corruption hard hurdle on MCC’s finding, and says unknown for the indicators no source gives', async () => {
    const { case: c, evidence } = await load('mcc-tanzania');
    const a = assess(c, evidence, '2015-12-20');
    const coc = a.benchmarks.find((b) => b.id === 'control-of-corruption');
    assert.equal(coc?.status, 'met');
    assert.equal(coc?.basis.kind, 'evidence');
    const scorecard = a.groups.find((g) => g.parent === null);
    assert.equal(scorecard?.met, 1);
    assert.equal(scorecard?.total, 20);
    assert.equal(scorecard?.counts.unknown, 19);
    // Eligibility cannot be decided from one known indicator of twenty: unknown, not failed.
    assert.equal(a.instruments.find((i) => i.id === 'compact-eligibility-fy2016')?.decision, 'unknown');
  });

  it('shows the Board suspending the compact its announced condition had unlocked', async () => {
    const { case: c, evidence } = await load('mcc-tanzania');
    const a = assess(c, evidence, '2016-04-01');
    const compact = a.instruments.find((i) => i.id === 'second-compact');
    assert.equal(compact?.decision, 'unlocked');
    assert.equal(compact?.actual?.state, 'suspended');
    assert.equal(compact?.departure, 'withheld-while-unlocked');
    const eligibility = a.instruments.find((i) => i.id === 'compact-eligibility-fy2016');
    assert.equal(eligibility?.decision, 'locked');
    assert.equal(eligibility?.departure, null);
  });
});

describe('US FMF for Egypt: withholding, certification and waivers', () => {
  it('FY2022: the prisoner tranche locked and withheld, the rest waived', async () => {
    const { case: c, evidence } = await load('us-egypt-fmf');
    const a = assess(c, evidence, '2023-09-30');
    const prisoners = a.instruments.find((i) => i.id === 'fmf-fy2022-prisoners');
    assert.equal(prisoners?.decision, 'locked');
    assert.equal(prisoners?.actual?.state, 'withheld');
    assert.equal(prisoners?.departure, null);
    assert.equal(a.instruments.find((i) => i.id === 'fmf-fy2022-waivable')?.decision, 'waived');
  });

  it('a waiver signed but not yet public is not applied', async () => {
    const { case: c, evidence } = await load('us-egypt-fmf');
    const before = assess(c, evidence, '2018-09-06').instruments.find((i) => i.id === 'fmf-fy2017-conditioned');
    const after = assess(c, evidence, '2018-09-30').instruments.find((i) => i.id === 'fmf-fy2017-conditioned');
    assert.notEqual(before?.decision, 'waived');
    assert.equal(after?.decision, 'waived');
  });

  it('FY2023: the prisoner tranche unlocked on the Secretary’s finding and provided', async () => {
    const { case: c, evidence } = await load('us-egypt-fmf');
    const a = assess(c, evidence, '2024-09-30');
    const prisoners = a.instruments.find((i) => i.id === 'fmf-fy2023-prisoners');
    assert.equal(prisoners?.decision, 'unlocked');
    assert.equal(prisoners?.actual?.state, 'provided');
    assert.equal(a.instruments.find((i) => i.id === 'fmf-fy2023-waivable')?.decision, 'waived');
  });
});
