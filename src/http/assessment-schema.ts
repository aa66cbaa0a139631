/**
 * The output schema of an assessment (`proviso assess --format json`, `GET /api/cases/{id}/assessment`):
 * zod schemas, used for the OpenAPI description and written to `schema/assessment.schema.json`
 * by `npm run schema:update`. `assessment-schema.test.ts` checks real output against them
 * with strict objects, so a field added to the engine and not described here fails a test;
 * the check at the end keeps the core `Assessment` type assignable to them.
 */
import { z } from '@hono/zod-openapi';
import type { Assessment } from '../core/assess.ts';
import { BENCHMARK_FLAGS, BENCHMARK_STATUSES, type BenchmarkStatusKind } from '../core/benchmark-stream.ts';
import { BASIS_KINDS } from '../core/benchmarks.ts';
import { INSTRUMENT_KINDS } from '../core/case-model.ts';
import { ACTION_KINDS } from '../core/evidence.ts';
import { DEPARTURE_BASES, GATE_DECISIONS } from '../core/gates.ts';
import { CONVERGENCES } from '../core/issue-areas.ts';
import { VERDICTS } from '../core/justifications.ts';
import { DEPARTURES } from '../core/principal-actions.ts';
import { CHANGE_KINDS } from '../core/sensitivity-types.ts';
import { APPLICABILITIES } from '../core/validity.ts';
import type { Assignable, Expect, Wire } from './wire.ts';

const date = z.string().meta({ format: 'date' });
const ids = z.array(z.string());

export const ActualUseSchema = z
  .strictObject({
    state: z.enum(ACTION_KINDS).meta({ description: 'The latest action the principal took on the instrument.' }),
    engaged: z.boolean().nullable().meta({
      description:
        'In use (notified, approved, provided, resumed, imposed), out of use (suspended, withheld, cancelled, lifted), or null for a proposal.',
    }),
    since: date.meta({ description: 'The day that action took effect.' }),
    evidence: ids.meta({ description: 'The evidence entry recording the action.' }),
  })
  .openapi('ActualUse', {
    description: 'What the principal did with the instrument, as recorded; computed from evidence with an `action`.',
  });

export const BlockerSchema = z
  .strictObject({
    benchmark: z.string(),
    title: z.string(),
    status: z.enum(BENCHMARK_STATUSES),
    needs: z.string().meta({
      description: 'What the benchmark still needs, in plain words: what the evidence says now and what would satisfy it.',
    }),
    earliest: date.nullable().meta({
      description:
        'The earliest day it could be met were the needed evidence to appear on the as-of date (a lower bound); null when it cannot be.',
    }),
    possible: z.boolean(),
    why: z.string(),
  })
  .openapi('Blocker');

export const UnlockPathSchema = z
  .strictObject({
    sets: z.array(ids).meta({
      description: 'Minimal sets of benchmark ids whose meeting would unlock the instrument, soonest first (at most 20).',
    }),
    setsTotal: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'How many minimal sets there are (null when the weighted search was cut short).' }),
    earliest: date.nullable().meta({ description: 'The earliest day the instrument could unlock; null when it cannot.' }),
    possible: z
      .boolean()
      .meta({ description: 'False when no evidence the case could record would unlock it as written; `why` says why.' }),
    why: z.string(),
    blockers: z.array(BlockerSchema),
  })
  .openapi('UnlockPath', { description: 'The path to unlock a locked, unknown or waived instrument.' });

export const FlipSchema = z
  .strictObject({
    change: z.enum(CHANGE_KINDS),
    detail: z.string(),
    subjects: ids.meta({ description: 'Evidence ids (or interest ids for a rank swap) the change touches.' }),
    to: z.string().meta({ description: 'The verdict or decision the change leads to.' }),
  })
  .openapi('Flip');

export const SensitivitySchema = z
  .strictObject({
    label: z.enum(['robust', 'fragile']),
    flips: z
      .array(FlipSchema)
      .meta({ description: 'Single changes that flip the result, in the order tried (at most 10 listed).' }),
    flipCount: z.number().int(),
    tried: z.number().int().meta({ description: 'How many single changes were tried.' }),
    complete: z.boolean().meta({ description: 'False when the search stopped at its bound (40 items per kind of change).' }),
    summary: z.string(),
  })
  .openapi('Sensitivity', { description: 'How firmly a verdict or decision stands: the single changes that flip it.' });

export const InstrumentResultSchema = z
  .strictObject({
    id: z.string(),
    title: z.string(),
    kind: z
      .enum(INSTRUMENT_KINDS)
      .meta({ description: 'engagement (decided unlocked / locked) or sanction (decided required / not-required).' }),
    tier: z.number().int(),
    amount: z.number().nullable(),
    currency: z.string().nullable(),
    decision: z.enum(GATE_DECISIONS).meta({
      description:
        'What the benchmarks warrant: for an engagement `locked` means the conditions are not met (not that nothing was done); for a sanction `required` means its trigger holds and its conditions to lift it do not.',
    }),
    missing: ids,
    reasons: z.array(z.string()),
    rule: z.string(),
    waiver: z.string().nullable(),
    evidence: ids,
    applicability: z.enum(APPLICABILITIES),
    actual: ActualUseSchema.nullable(),
    departure: z.enum(DEPARTURES).nullable().meta({
      description:
        'acted-while-locked: in use while its conditions are unmet; withheld-while-unlocked: held back although they are met.',
    }),
    departureBasis: z.enum(DEPARTURE_BASES).nullable().meta({
      description:
        "What the warranted side of a departure rests on: recorded evidence, monitored absence, or only the case's defaults (no record). Null without a departure.",
    }),
    unlock: UnlockPathSchema.nullable(),
    sensitivity: SensitivitySchema.nullable(),
  })
  .openapi('InstrumentResult');

export const JustificationResultSchema = z
  .strictObject({
    id: z.string(),
    instrument: z.string(),
    title: z.string(),
    verdict: z.enum(VERDICTS),
    serves: ids,
    support: z.number(),
    opposition: z.number(),
    evidence: ids,
    decision: z.string(),
    rule: z.string(),
    reasons: z.array(z.string()),
    sensitivity: SensitivitySchema.nullable(),
  })
  .openapi('JustificationResult');

export const BenchmarkResultSchema = z
  .strictObject({
    id: z.string(),
    title: z.string(),
    author: z.string().nullable(),
    group: z.string().nullable().meta({ description: 'The group (benchmark list) it is a member of.' }),
    block: z.string().nullable().meta({ description: 'The block of its group it belongs to.' }),
    status: z.enum(BENCHMARK_STATUSES),
    since: date.nullable(),
    flags: z.array(z.enum(BENCHMARK_FLAGS)),
    basis: z.strictObject({
      kind: z.enum(BASIS_KINDS),
      summary: z.string(),
      evidence: ids,
      defaults: z.array(z.strictObject({ indicator: z.string(), subjects: ids, state: z.string() })),
      gaps: z.array(z.strictObject({ indicator: z.string(), reason: z.string() })),
      monitoring: ids,
    }),
    newest: date.nullable(),
    evidence: ids,
    reasons: z.array(z.string()),
    rule: z.string(),
    conditions: z.array(z.strictObject({ clause: z.string(), value: z.boolean().nullable() })),
    indicators: z.array(
      z.strictObject({
        id: z.string(),
        value: z.union([z.number(), z.boolean()]).nullable(),
        atLeast: z.number().optional(),
        atMost: z.number().optional(),
      }),
    ),
    missing: ids,
  })
  .openapi('BenchmarkResult');

const IssueAreaSideSchema = z.strictObject({
  weight: z.number().meta({ description: 'Summed weight of the known items, rounded to 2 decimals.' }),
  evidence: ids.meta({ description: 'The known items that count, in citation order.' }),
});

export const IssueAreaResultSchema = z
  .strictObject({
    id: z.string(),
    title: z.string(),
    principalInterest: z.string(),
    convergence: z.enum(CONVERGENCES),
    contested: z
      .boolean()
      .meta({ description: 'Known evidence on both sides, neither outweighing the other by the decisive ratio.' }),
    aligned: IssueAreaSideSchema,
    opposed: IssueAreaSideSchema,
    instruments: ids.meta({ description: 'The instruments the area could justify, as listed in the case.' }),
    justifies: ids.meta({ description: 'Those it justifies as of the date: all of them if the area aligns, none otherwise.' }),
    evidence: ids,
    decision: z.string(),
    rule: z.string(),
    reasons: z.array(z.string()),
  })
  .openapi('IssueAreaResult', { description: 'Convergence in one issue area (see docs/issue-areas.md).' });

const statusCounts = z.strictObject(
  Object.fromEntries(BENCHMARK_STATUSES.map((s) => [s, z.number().int()])) as Record<BenchmarkStatusKind, z.ZodNumber>,
);

export const GroupSummarySchema = z
  .strictObject({
    id: z.string(),
    title: z.string(),
    parent: z.string().nullable().meta({ description: 'The group this one is a block of; null for a top-level group.' }),
    total: z.number().int().meta({ description: 'Members applicable on the date.' }),
    met: z.number().int(),
    counts: statusCounts.meta({ description: 'Members per status, applicable or not.' }),
    open: z
      .array(z.strictObject({ id: z.string(), status: z.enum(BENCHMARK_STATUSES) }))
      .meta({ description: 'Applicable members not met, with their status, in the group order.' }),
    summary: z.string(),
  })
  .openapi('GroupSummary', { description: 'How a benchmark group or block stands (see docs/case-format.md, groups).' });

export const AssessmentSchema = z
  .strictObject({
    case: z.string(),
    asOf: date,
    recordedBy: date.nullable(),
    digest: z.string(),
    engine: z.string(),
    ledger: z.strictObject({
      known: z.number().int(),
      standing: z.number().int(),
      superseded: z.number().int(),
      latestReported: date.nullable(),
    }),
    benchmarks: z.array(BenchmarkResultSchema),
    groups: z.array(GroupSummarySchema).meta({ description: 'Benchmark groups and blocks, in case order.' }),
    instruments: z.array(InstrumentResultSchema),
    justifications: z.array(JustificationResultSchema),
    issueAreas: z.array(IssueAreaResultSchema).meta({ description: 'Convergence per issue area, in case order.' }),
  })
  .openapi('Assessment', { description: 'An assessment as of a date, as `proviso assess --format json` prints it.' });

type _AssessmentIsDescribed = Expect<Assignable<Assessment, Wire<z.output<typeof AssessmentSchema>>>>;

/** `schema/assessment.schema.json`: the assessment's JSON Schema (draft 2020-12), deterministic text. */
export function assessmentJsonSchemaText(): string {
  const generated = z.toJSONSchema(AssessmentSchema, { target: 'draft-2020-12', unrepresentable: 'throw' }) as Record<
    string,
    unknown
  >;
  const { $schema, ...body } = generated;
  const ordered = {
    $schema,
    $id: 'urn:proviso:schema:assessment',
    title: 'Proviso assessment',
    description:
      'The output of `proviso assess --format json` and of GET /api/cases/{caseId}/assessment. Statuses, decisions, verdicts and their sensitivity are computed, never written. See docs/output.md.',
    ...body,
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}
