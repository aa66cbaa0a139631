/**
 * The case definition as the server loaded it (`GET /api/cases/{caseId}`): src/core/case-model.ts
 * as zod schemas, for the OpenAPI description. Strict objects: test/http/response-schemas.test.ts
 * parses the reference case's definition with them, so a field added to the model and not
 * described here fails a test; the check at the end keeps the core type assignable to them.
 * This is the loaded form (durations parsed, partial dates resolved), not the case-file
 * format (schema/case-file.schema.json).
 */
import { z } from '@hono/zod-openapi';
import {
  ACTOR_KINDS,
  type Case,
  EFFECT_DIRECTIONS,
  EVENT_MEASURES,
  INDICATOR_KINDS,
  INSTRUMENT_KINDS,
  RELIABILITIES,
  SERIES_AGGREGATES,
} from '../core/case-model.ts';
import type { Assignable, Expect, Wire } from './wire.ts';

const date = z.string().meta({ format: 'date' });
const ids = z.array(z.string());

export const DurationSchema = z
  .strictObject({ years: z.number().int(), months: z.number().int(), days: z.number().int(), text: z.string() })
  .openapi('Duration', { description: 'An ISO 8601 duration (`text`, e.g. `P6M`) and its parts.' });

export const ValiditySchema = z
  .strictObject({ from: date.optional(), until: date.optional(), known: date.optional() })
  .openapi('Validity', { description: 'When a dated case item applies, and from when it was known.' });

export const SourceRefSchema = z
  .strictObject({ publisher: z.string(), title: z.string(), date: z.string(), url: z.string().optional() })
  .openapi('SourceRef');

const ReliabilitySchema = z.enum(RELIABILITIES);
const CredibilitySchema = z.number().int().min(1).max(6);

export const ActorSchema = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    kind: z.enum(ACTOR_KINDS),
    aliases: ids,
    cameo: ids.meta({ description: 'CAMEO actor codes.' }),
    memberOf: ids,
    notes: z.string().optional(),
  })
  .openapi('Actor');

export const InterestSchema = z
  .strictObject({
    id: z.string(),
    title: z.string(),
    rank: z.number().int().meta({ description: '1 is the most important.' }),
    weight: z.number(),
    rationale: z.string().optional(),
    source: SourceRefSchema.optional(),
  })
  .openapi('Interest');

export const InstrumentSchema = z
  .strictObject({
    id: z.string(),
    title: z.string(),
    kind: z
      .enum(INSTRUMENT_KINDS)
      .optional()
      .meta({ description: 'Absent: an engagement. A sanction is required by its gate rule and lifted by lift.' }),
    tier: z.number().int(),
    amount: z.number().optional(),
    currency: z.string().optional(),
    description: z.string().optional(),
    effects: z.array(
      z.strictObject({
        interest: z.string(),
        direction: z.enum(EFFECT_DIRECTIONS),
        rationale: z.string(),
        evidence: ids,
        while: z.unknown().optional().meta({ description: 'A GateRule: the effect holds only while it holds.' }),
        unless: z.unknown().optional().meta({ description: 'A GateRule: the effect holds only while it does not hold.' }),
      }),
    ),
    source: SourceRefSchema.optional(),
    validity: ValiditySchema.optional(),
  })
  .openapi('Instrument');

const indicatorBase = {
  id: z.string(),
  title: z.string(),
  description: z.string().optional(),
  filter: z.strictObject({ kinds: ids, actors: ids, where: z.string().optional() }),
};

export const SeriesSourceSchema = z
  .discriminatedUnion('store', [
    z.strictObject({
      store: z.literal('events'),
      actor1: ids,
      actor2: ids,
      either: z.boolean(),
      rootCodes: ids,
      quadClasses: z.array(z.number().int()),
      measure: z.enum(EVENT_MEASURES),
    }),
    z.strictObject({ store: z.literal('series'), measure: z.string(), dyad: ids }),
  ])
  .openapi('SeriesSource');

export const IndicatorSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ ...indicatorBase, kind: z.literal('count'), window: DurationSchema.optional() }),
    z.strictObject({
      ...indicatorBase,
      kind: z.literal('sum'),
      field: z.enum(['amount', 'value']),
      currency: z.string().optional(),
      window: DurationSchema.optional(),
    }),
    z.strictObject({ ...indicatorBase, kind: z.literal('exists'), window: DurationSchema.optional() }),
    z.strictObject({ ...indicatorBase, kind: z.literal('latest'), field: z.enum(['amount', 'value', 'of']) }),
    z.strictObject({
      ...indicatorBase,
      kind: z.literal('state'),
      subjects: ids,
      on: ids,
      off: ids,
      initial: z.enum(['on', 'off', 'unknown']),
    }),
    z.strictObject({
      ...indicatorBase,
      kind: z.literal('series'),
      source: SeriesSourceSchema,
      aggregate: z.enum(SERIES_AGGREGATES),
      window: DurationSchema.optional(),
      dataset: SourceRefSchema,
      reliability: ReliabilitySchema,
      credibility: CredibilitySchema,
    }),
  ])
  .openapi('Indicator', { description: `One of the indicator kinds: ${INDICATOR_KINDS.join(', ')}.` });

export const BenchmarkSchema = z
  .strictObject({
    id: z.string(),
    title: z.string(),
    description: z.string().optional(),
    conditions: z.array(z.string()).meta({ description: 'CEL clauses over indicator ids; all must hold.' }),
    indicators: ids,
    duration: DurationSchema,
    reversals: ids,
    verification: z.strictObject({
      minReliability: ReliabilitySchema,
      minCredibility: CredibilitySchema,
      minSources: z.number().int(),
    }),
    review: z.strictObject({ calendar: z.string(), window: DurationSchema, countAfterReview: z.boolean() }).optional(),
    source: SourceRefSchema.optional(),
    validity: ValiditySchema.optional(),
    stale: DurationSchema.optional(),
    author: z.string().optional(),
    finding: z
      .strictObject({ assessor: z.string().optional(), bar: z.enum(['fulfilled', 'partially-fulfilled']) })
      .optional()
      .meta({ description: "Assessors' findings decide it (with its conditions): the latest must reach the bar." }),
    group: z.string().optional(),
    block: z.string().optional(),
  })
  .openapi('Benchmark');

export const BenchmarkGroupSchema = z
  .strictObject({
    id: z.string(),
    title: z.string(),
    description: z.string().optional(),
    parent: z.string().optional().meta({ description: 'The group this one is a block of.' }),
    members: ids,
    source: SourceRefSchema.optional(),
  })
  .openapi('BenchmarkGroup');

const nestedRules = {
  rules: z.array(z.unknown()).optional().meta({ description: 'Nested rules, each a GateRule; each holds or not as one term.' }),
  group: z.string().optional().meta({ description: 'The group the rule was written over.' }),
};

export const GateRuleSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('none') }),
    z.strictObject({ kind: z.literal('all'), benchmarks: ids, ...nestedRules }),
    z.strictObject({ kind: z.literal('any'), benchmarks: ids, ...nestedRules }),
    z.strictObject({ kind: z.literal('at-least'), count: z.number().int(), benchmarks: ids, ...nestedRules }),
    z.strictObject({
      kind: z.literal('weighted'),
      weights: z.array(z.strictObject({ benchmark: z.string(), weight: z.number() })),
      threshold: z.number(),
    }),
  ])
  .openapi('GateRule');

export const GateSchema = z
  .strictObject({
    instrument: z.string(),
    rule: GateRuleSchema,
    lift: GateRuleSchema.optional().meta({ description: 'For a sanction: when it may be lifted.' }),
    rationale: z.string().optional(),
    source: SourceRefSchema.optional(),
    validity: ValiditySchema.optional(),
  })
  .openapi('Gate');

export const WaiverSchema = z
  .strictObject({
    id: z.string(),
    instrument: z.string(),
    authority: z.string(),
    rationale: z.string(),
    start: date,
    expiry: date.optional(),
    known: date.optional(),
    source: SourceRefSchema.optional(),
  })
  .openapi('Waiver');

export const JustificationSchema = z
  .strictObject({
    id: z.string(),
    instrument: z.string(),
    title: z.string(),
    claim: z.string(),
    claimedBy: z.string().optional(),
    serves: ids,
    evidenceFor: ids,
    evidenceAgainst: ids,
    source: SourceRefSchema.optional(),
    validity: ValiditySchema.optional(),
  })
  .openapi('Justification');

export const ReviewDateSchema = z
  .strictObject({
    id: z.string(),
    calendar: z.string(),
    title: z.string(),
    date,
    written: z.string().meta({ description: 'The date as written (a year, month or day).' }),
    source: SourceRefSchema.optional(),
  })
  .openapi('ReviewDate');

export const IssueAreaSchema = z
  .strictObject({
    id: z.string(),
    title: z.string(),
    principalInterest: z.string(),
    principalPosition: z.string(),
    description: z.string().optional(),
    evidence: z.strictObject({ aligned: ids, opposed: ids }),
    instruments: ids,
    source: SourceRefSchema.optional(),
    validity: ValiditySchema.optional(),
  })
  .openapi('IssueArea');

export const MonitoringSchema = z
  .strictObject({
    id: z.string(),
    title: z.string(),
    indicators: ids,
    from: date,
    until: date.optional(),
    known: date.optional(),
    source: SourceRefSchema,
    note: z.string().optional(),
  })
  .openapi('Monitoring');

export const CaseSchema = z
  .strictObject({
    id: z.string(),
    title: z.string(),
    principal: z.string(),
    counterpart: z.string(),
    description: z.string().optional(),
    actors: z.array(ActorSchema),
    interests: z.array(InterestSchema),
    instruments: z.array(InstrumentSchema),
    indicators: z.array(IndicatorSchema),
    benchmarks: z.array(BenchmarkSchema),
    groups: z.array(BenchmarkGroupSchema).optional(),
    gates: z.array(GateSchema),
    waivers: z.array(WaiverSchema),
    justifications: z.array(JustificationSchema),
    reviews: z.array(ReviewDateSchema),
    issueAreas: z.array(IssueAreaSchema).optional(),
    monitoring: z.array(MonitoringSchema).optional(),
    stale: DurationSchema.optional(),
  })
  .openapi('Case', { description: 'A case definition as loaded from its folder (statuses and verdicts are never part of it).' });

type _CaseIsDescribed = Expect<Assignable<Case, Wire<z.output<typeof CaseSchema>>>>;
