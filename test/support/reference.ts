/** The US–Pakistan reference case, loaded as the CLI loads it, for tests that assess it directly. */
import assert from 'node:assert/strict';
import { loadCase } from '../../src/adapters/case-files/load-case.ts';
import type { Case } from '../../src/core/case-model.ts';
import type { Evidence } from '../../src/core/evidence.ts';
import { REFERENCE_CASE } from './cli-harness.ts';

export async function loadReference(): Promise<{ readonly c: Case; readonly ledger: Evidence[] }> {
  const loaded = await loadCase(REFERENCE_CASE);
  assert.ok(loaded.ok, 'the reference case is valid');
  return { c: loaded.case, ledger: loaded.evidence };
}
