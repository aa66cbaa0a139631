/**
 * The assessment's output schema (schema/assessment.schema.json and the OpenAPI
 * description) describes what the engine really prints: the reference case's assessments
 * parse against strict schemas (an undescribed field fails), and the committed JSON Schema
 * is the one the zod schemas generate.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { assess } from '../src/core/assess.ts';
import type { Case } from '../src/core/case-model.ts';
import type { Evidence } from '../src/core/evidence.ts';
import { AssessmentSchema, assessmentJsonSchemaText } from '../src/http/assessment-schema.ts';
import { REPO_ROOT } from './support/cli-harness.ts';
import { loadReference } from './support/reference.ts';

let c: Case;
let ledger: Evidence[];

before(async () => {
  ({ c, ledger } = await loadReference());
});

describe('assessment output schema', () => {
  for (const asOf of ['2010-06-30', '2018-01-31', '2022-09-30', '2023-03-03', '2024-12-31']) {
    it(`describes every field of the reference case's assessment as of ${asOf} (strict objects)`, () => {
      const a = JSON.parse(JSON.stringify(assess(c, ledger, asOf)));
      const parsed = AssessmentSchema.safeParse(a);
      assert.ok(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 5), null, 2));
    });
  }

  it('rejects an instrument with a field the schema does not describe, and a departure outside its vocabulary', () => {
    const a = JSON.parse(JSON.stringify(assess(c, ledger, '2023-03-03')));
    a.instruments[0].verdictWrittenByHand = 'unlocked';
    assert.equal(AssessmentSchema.safeParse(a).success, false);
    const b = JSON.parse(JSON.stringify(assess(c, ledger, '2023-03-03')));
    b.instruments[0].departure = 'ignored';
    assert.equal(AssessmentSchema.safeParse(b).success, false);
  });

  it('schema/assessment.schema.json matches the zod schemas (run `npm run schema:update` after changing them)', () => {
    const committed = readFileSync(join(REPO_ROOT, 'schema', 'assessment.schema.json'), 'utf8');
    assert.equal(committed, assessmentJsonSchemaText());
    const schema = JSON.parse(committed);
    const inst = schema.properties.instruments.items;
    for (const field of ['actual', 'departure', 'unlock', 'sensitivity']) {
      assert.ok(field in inst.properties, `InstrumentResult describes ${field}`);
      assert.ok(inst.required.includes(field), `${field} is always present (null when it does not apply)`);
    }
  });
});
