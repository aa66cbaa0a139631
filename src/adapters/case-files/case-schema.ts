/**
 * The shape of case files as written (raw): one schema per section item and per evidence
 * item, and the file-level schemas the JSON Schema files are generated from.
 *
 * Contract:
 * - Schemas describe input only: no transforms, coercions or defaults, so a value that
 *   passes a schema is that schema's output unchanged. Defaults and date conversion are
 *   applied by the loader when it builds the core model.
 * - Objects are strict: an unknown key is an error.
 * - What a schema cannot express (calendar validity of dates, references between items,
 *   duplicate ids, CEL type-checking) is checked by the loader, not here.
 * - Metadata (ids, titles, descriptions) lives in `caseFilesRegistry`, not in zod's global
 *   registry, so these schemas cannot clash with schemas registered elsewhere.
 */
import { z } from 'zod';
import {
  ACTOR_KINDS,
  CREDIBILITIES,
  EFFECT_DIRECTIONS,
  EVENT_MEASURES,
  FINDING_GRADES,
  INSTRUMENT_CONDITIONS,
  INSTRUMENT_KINDS,
  RELIABILITIES,
} from '../../core/case-model.ts';
import { ACTION_KINDS, CLAIM_KINDS, FLOW_KINDS } from '../../core/evidence.ts';

export interface SchemaMeta {
  /** Name under `$defs` in the generated JSON Schema. */
  readonly id?: string;
  readonly title?: string;
  readonly description?: string;
  readonly [key: string]: unknown;
}

/** Metadata for the JSON Schema generator (see `json-schema.ts`). */
export const caseFilesRegistry = z.registry<SchemaMeta>();

function describe<T extends z.ZodType>(schema: T, meta: SchemaMeta): T {
  const target: z.ZodType = schema;
  caseFilesRegistry.add(target, meta);
  return schema;
}

/** Describes a copy of `schema`, leaving the shared instance (and its `$defs` entry) untouched. */
function note<T extends z.ZodType>(schema: T, description: string): T {
  return describe(schema.clone() as T, { description });
}

// ---- Scalars ---------------------------------------------------------------------------

export const ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
export const INDICATOR_ID_PATTERN = /^[a-z][a-z0-9_]*$/;
export const EVIDENCE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
export const CURRENCY_PATTERN = /^[A-Z]{3}$/;
/**
 * Dates and durations are checked by the loader with the core's `partialDateProblem`,
 * `dateProblem` and `durationProblem`, not by zod: a malformed date then does not hide the
 * item's other problems. The patterns only go into the JSON Schema, for editors.
 */
const PARTIAL_DATE_PATTERN = /^\d{4}(?:-\d{2}(?:-\d{2})?)?$/;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const DURATION_PATTERN = /^P(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?$/;

const text = z.string().min(1, { error: 'expected a non-empty text' });

export const idSchema = describe(
  z.string().regex(ID_PATTERN, {
    error: (iss) =>
      `expected an id of lowercase letters, digits and hyphens such as "fatf-plan", got ${describeValue(iss.input)}`,
  }),
  { id: 'id', description: 'An id: lowercase letters, digits and hyphens, starting with a letter or digit.' },
);

export const indicatorIdSchema = describe(
  z.string().regex(INDICATOR_ID_PATTERN, {
    error: (iss) =>
      `expected an indicator id (a CEL identifier: a lowercase letter, then lowercase letters, digits or "_", such as "chief_in_custody"), got ${describeValue(iss.input)}`,
  }),
  {
    id: 'indicatorId',
    description: 'An indicator id is a CEL identifier, because benchmark conditions name indicators.',
  },
);

export const evidenceIdSchema = describe(
  z.string().regex(EVIDENCE_ID_PATTERN, {
    error: (iss) =>
      `expected an evidence id of letters, digits and . _ : - (starting with a letter or digit), got ${describeValue(iss.input)}`,
  }),
  { id: 'evidenceId', description: 'An evidence id: letters, digits and . _ : - starting with a letter or digit.' },
);

const currencySchema = describe(
  z.string().regex(CURRENCY_PATTERN, {
    error: (iss) => `expected an ISO 4217 currency code such as "USD", got ${describeValue(iss.input)}`,
  }),
  { id: 'currency', description: 'An ISO 4217 currency code such as USD.' },
);

const expectedText = (what: string) => (iss: { input: unknown }) => `expected ${what}, got ${describeValue(iss.input)}`;

/** A year, month or day. A bare year may be written unquoted, so YAML reads it as a number. */
export const partialDateSchema = describe(
  z.union([describe(z.string(), { pattern: PARTIAL_DATE_PATTERN.source }), z.int().min(1000).max(9999)], {
    error: expectedText('a date YYYY, YYYY-MM or YYYY-MM-DD'),
  }),
  {
    id: 'partialDate',
    description: 'A partial date: YYYY, YYYY-MM or YYYY-MM-DD (a real calendar day).',
  },
);

export const dateSchema = describe(z.string({ error: expectedText('a date YYYY-MM-DD') }), {
  id: 'date',
  description: 'A full date YYYY-MM-DD (a real calendar day).',
  pattern: DATE_PATTERN.source,
});

export const durationSchema = describe(z.string({ error: expectedText('a duration such as P12M, P1Y, P90D or P2W') }), {
  id: 'duration',
  description: 'An ISO 8601 duration without a time part: P12M, P1Y, P90D, P2W.',
  pattern: DURATION_PATTERN.source,
});

const positiveInt = z
  .int({ error: (iss) => `expected a whole number of at least 1, got ${describeValue(iss.input)}` })
  .positive({ error: (iss) => `expected a whole number of at least 1, got ${describeValue(iss.input)}` });

const reliabilitySchema = z.enum(RELIABILITIES, {
  error: (iss) => `expected a source reliability from A (best) to F, got ${describeValue(iss.input)}`,
});

const credibilitySchema = z.literal(CREDIBILITIES, {
  error: (iss) => `expected an information credibility from 1 (best) to 6, got ${describeValue(iss.input)}`,
});

const celSchema = describe(z.string().min(1, { error: 'expected a CEL expression' }), {
  id: 'cel',
  description: 'A CEL (Common Expression Language) expression.',
});

export const sourceSchema = describe(
  z.strictObject({
    publisher: text,
    title: text,
    date: partialDateSchema,
    url: z.url({ error: (iss) => `expected a URL such as "https://…", got ${describeValue(iss.input)}` }).optional(),
  }),
  { id: 'source', title: 'Source', description: 'Where a statement comes from.' },
);

// ---- Sections --------------------------------------------------------------------------

/**
 * When a dated item applies: `from`/`until` (partial dates; a partial `from` starts on its
 * last day, a partial `until` ends on its first, as for waivers), and `known`, the day it
 * became public (default: its source's date). Outside the window the item is not applicable.
 */
const validityKeys = {
  from: note(partialDateSchema.optional(), 'First day the item applies (a partial date applies from its last day).'),
  until: note(partialDateSchema.optional(), 'Last day the item applies (a partial date ends on its first day).'),
  known: note(
    partialDateSchema.optional(),
    'The day the item became public (default: the date of its source, when it has from or until): as-of assessments before it do not apply it.',
  ),
};

export const caseSchema = describe(
  z.strictObject({
    id: idSchema,
    title: text,
    principal: note(idSchema, 'Actor id of the party whose policy this is.'),
    counterpart: note(idSchema, 'Actor id of the party the conditions apply to.'),
    description: text.optional(),
    stale: note(
      durationSchema.optional(),
      "How old a benchmark's newest counted evidence may be before it is flagged stale (default P12M).",
    ),
  }),
  { id: 'case', title: 'Case', description: 'The case itself; exactly once across the case files.' },
);

export const actorSchema = describe(
  z.strictObject({
    id: idSchema,
    name: text,
    kind: z.enum(ACTOR_KINDS),
    aliases: z.array(text).optional(),
    cameo: note(z.array(text).optional(), 'CAMEO actor codes such as PAK or USAGOV.'),
    memberOf: note(z.array(idSchema).optional(), 'Ids of actors this one belongs to.'),
    notes: text.optional(),
  }),
  { id: 'actor', title: 'Actor' },
);

export const interestSchema = describe(
  z.strictObject({
    id: idSchema,
    title: text,
    rank: note(positiveInt, '1 is the most important; unique within the case.'),
    weight: z
      .number()
      .min(0, { error: (iss) => `expected a weight in [0, 1], got ${describeValue(iss.input)}` })
      .max(1, { error: (iss) => `expected a weight in [0, 1], got ${describeValue(iss.input)}` }),
    rationale: text.optional(),
    source: sourceSchema.optional(),
  }),
  { id: 'interest', title: 'Interest', description: "One of the principal's interests, ranked." },
);

export const effectSchema = describe(
  z.strictObject({
    interest: idSchema,
    direction: z.enum(EFFECT_DIRECTIONS),
    rationale: text,
    evidence: z.array(evidenceIdSchema).optional(),
    while: note(
      z.lazy(() => gateRuleSchema).optional(),
      'The effect holds only while this rule (over benchmarks and groups, as in gates) holds.',
    ),
    unless: note(
      z.lazy(() => gateRuleSchema).optional(),
      'The effect holds only while this rule does not hold: "harms security unless the security block is met".',
    ),
  }),
  { id: 'effect', title: 'Effect', description: 'A claimed effect of an instrument on an interest.' },
);

export const instrumentSchema = describe(
  z.strictObject({
    id: idSchema,
    title: text,
    tier: note(positiveInt, '1 is the least consequential.'),
    kind: note(
      z
        .enum(INSTRUMENT_KINDS, {
          error: (iss) => `expected "engagement" or "sanction", got ${describeValue(iss.input)}`,
        })
        .optional(),
      'engagement (default: its gate says when it may go ahead) or sanction (its gate says when it is required, and lift when it may be lifted).',
    ),
    amount: z.number().nonnegative().optional(),
    currency: note(currencySchema.optional(), 'Required when amount is given.'),
    description: text.optional(),
    effects: z.array(effectSchema).optional(),
    source: sourceSchema.optional(),
    ...validityKeys,
  }),
  { id: 'instrument', title: 'Instrument', dependentRequired: { amount: ['currency'] } },
);

const indicatorCommon = {
  id: indicatorIdSchema,
  title: text,
  description: text.optional(),
  kinds: note(z.array(text).optional(), 'Evidence kinds the indicator reads; any kind if absent.'),
  actors: note(z.array(idSchema).optional(), 'Actors (or their members) one of whom the evidence involves.'),
  where: note(celSchema.optional(), 'A CEL boolean expression over the evidence item.'),
};

const countIndicatorSchema = z.strictObject({
  ...indicatorCommon,
  kind: z.literal('count'),
  window: durationSchema.optional(),
});

const sumIndicatorSchema = z.strictObject({
  ...indicatorCommon,
  kind: z.literal('sum'),
  field: z.enum(['amount', 'value']),
  currency: currencySchema.optional(),
  window: durationSchema.optional(),
});

const existsIndicatorSchema = z.strictObject({
  ...indicatorCommon,
  kind: z.literal('exists'),
  window: durationSchema.optional(),
});

const latestIndicatorSchema = z.strictObject({
  ...indicatorCommon,
  kind: z.literal('latest'),
  field: z.enum(['amount', 'value', 'of']),
});

const stateIndicatorSchema = z.strictObject({
  ...indicatorCommon,
  kind: z.literal('state'),
  subjects: z.array(idSchema).min(1, { error: 'expected a list of at least one actor id' }),
  on: z.array(text).min(1, { error: 'expected a list of at least one evidence kind' }),
  off: z.array(text),
  initial: z.enum(['on', 'off', 'unknown']).optional(),
});

const eventsSourceSchema = describe(
  z.strictObject({
    events: z.strictObject({
      actor1: note(z.array(text).optional(), 'CAMEO actor code prefixes for the source actor (USA, PAKMIL, SASREB).'),
      actor2: note(z.array(text).optional(), 'CAMEO actor code prefixes for the target actor.'),
      either: note(z.boolean().optional(), 'Match the two actors in either direction.'),
      root: note(z.array(z.string().regex(/^\d{2}$/)).optional(), 'CAMEO root codes as two-digit text ("18").'),
      quad: note(z.array(z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)])).optional(), 'QuadClass 1-4.'),
    }),
    measure: note(
      z.enum(EVENT_MEASURES).optional(),
      'What each matched event adds: 1 (count, the default), its NumArticles (articles), its NumSources (sources) or its Goldstein score (goldstein-sum).',
    ),
  }),
  {
    id: 'eventsSource',
    description: 'Daily aggregates from the event store; as-of uses the day an event was added (GDELT DATEADDED).',
  },
);

const structuralSourceSchema = describe(
  z.strictObject({
    series: note(text, 'The measure: agreement, kappa, s-score, coincidence, aid, arms, strikes, …'),
    dyad: note(z.array(text).min(1).max(2), 'One or two country codes, e.g. [USA, PAK].'),
  }),
  { id: 'structuralSource', description: 'A structural series from the series store.' },
);

const seriesIndicatorSchema = z.strictObject({
  ...indicatorCommon,
  kind: z.literal('series'),
  source: z.union([eventsSourceSchema, structuralSourceSchema]),
  aggregate: z.enum(['sum', 'mean', 'latest']),
  window: durationSchema.optional(),
  dataset: note(sourceSchema, 'The dataset cited for every point.'),
  reliability: note(reliabilitySchema, 'Admiralty source reliability given to the dataset.'),
  credibility: note(credibilitySchema, 'Admiralty information credibility given to the dataset.'),
});

export const indicatorSchema = describe(
  z.discriminatedUnion('kind', [
    countIndicatorSchema,
    sumIndicatorSchema,
    existsIndicatorSchema,
    latestIndicatorSchema,
    stateIndicatorSchema,
    seriesIndicatorSchema,
  ]),
  { id: 'indicator', title: 'Indicator', description: 'A named value over evidence, as of a date.' },
);

const verificationSchema = describe(
  z.strictObject({
    minReliability: reliabilitySchema.optional(),
    minCredibility: credibilitySchema.optional(),
    minSources: positiveInt.optional(),
  }),
  { id: 'verification', description: 'The source grades evidence needs. Defaults: F, 6, 1.' },
);

const reviewRuleSchema = describe(
  z.strictObject({
    calendar: idSchema,
    window: durationSchema,
    countAfterReview: z.boolean(),
  }),
  { id: 'reviewRule', description: 'How actions timed just before a review are treated.' },
);

const findingRuleSchema = describe(
  z.strictObject({
    assessor: note(
      text.optional(),
      "Only this assessor's findings count (as written in the findings' assessor); any assessor's if absent.",
    ),
    bar: note(
      z
        .enum(['fulfilled', 'partially-fulfilled'], {
          error: (iss) => `expected "fulfilled" or "partially-fulfilled", got ${describeValue(iss.input)}`,
        })
        .optional(),
      'The grade the latest finding must reach (default fulfilled; a partially fulfilled finding then gives the status partial).',
    ),
  }),
  {
    id: 'findingRule',
    description:
      "The benchmark is decided by assessors' findings (evidence with a finding naming it): the latest must reach the bar, with the conditions, if any.",
  },
);

export const benchmarkSchema = describe(
  z.strictObject({
    id: idSchema,
    title: text,
    description: text.optional(),
    condition: note(celSchema.optional(), 'One CEL clause over indicator ids (or use conditions).'),
    conditions: note(
      z.array(celSchema).min(1, { error: 'expected a list of at least one CEL clause' }).optional(),
      'CEL clauses over indicator ids; all must hold.',
    ),
    duration: durationSchema.optional(),
    reversals: z.array(text).optional(),
    verification: verificationSchema.optional(),
    review: reviewRuleSchema.optional(),
    source: sourceSchema.optional(),
    author: note(
      text.optional(),
      'Who set the benchmark when it is not the source it cites, e.g. "the case author" (shown with the benchmark).',
    ),
    stale: note(
      durationSchema.optional(),
      "How old the newest counted evidence may be before the benchmark is flagged stale (the case's stale, or P12M).",
    ),
    finding: findingRuleSchema.optional(),
    group: note(idSchema.optional(), 'The group (benchmark list) it is a member of; members written in a group have it set.'),
    block: note(idSchema.optional(), 'The block of its group it belongs to.'),
    ...validityKeys,
  }),
  {
    id: 'benchmark',
    title: 'Benchmark',
    anyOf: [{ required: ['condition'] }, { required: ['conditions'] }, { required: ['finding'] }],
  },
);

const memberRowSchema = describe(z.record(z.string(), z.unknown()), {
  id: 'memberRow',
  description:
    'A member of the group: id and title, and any benchmark key (block, description, condition, conditions, author, from, until, known, …) over the defaults in "benchmark".',
});

export const groupSchema = describe(
  z.strictObject({
    id: idSchema,
    title: text,
    description: text.optional(),
    source: sourceSchema.optional(),
    blocks: note(
      z
        .array(z.strictObject({ id: idSchema, title: text, description: text.optional() }))
        .min(1, { error: 'expected a list of at least one block' })
        .optional(),
      'Blocks (chapters) of the list; each member may name one. A block id can be used in gate rules like a group.',
    ),
    benchmark: note(
      z.record(z.string(), z.unknown()).optional(),
      'Benchmark keys every member takes unless its row gives them (finding, conditions, duration, verification, stale, …).',
    ),
    members: note(
      z.array(memberRowSchema).min(1, { error: 'expected a list of at least one member' }).optional(),
      'Members written inline.',
    ),
    table: note(
      text.optional(),
      'A table of members in the tables/ folder: CSV with a header (id,title,block,description,condition,author,from,until,known) or YAML (a list of rows).',
    ),
  }),
  {
    id: 'group',
    title: 'Benchmark group',
    description: 'A benchmark list (a roadmap, a scorecard, a statute): each member is a full benchmark.',
  },
);

export type RawInstrumentTerm = { readonly instrument: string; readonly is?: (typeof INSTRUMENT_CONDITIONS)[number] | undefined };
export type RawRuleTerm = string | RawNestedRule | RawInstrumentTerm;
export type RawTerms = string | readonly RawRuleTerm[];
export type RawNestedRule =
  | { readonly all: RawTerms }
  | { readonly any: RawTerms }
  | { readonly atLeast: number; readonly of: RawTerms };

const RULE_SHAPES =
  '"none", {all: [ids]}, {any: [ids]}, {atLeast: k, of: [ids]} or {weighted: {id: weight}, threshold: n}; a list may hold benchmark ids, group ids, nested rules and {instrument: id, is: unlocked}, and a group id may stand for the list';

/** A rule over terms: benchmark ids, group ids, nested rules; or one group id for the whole list. */
const nestedRuleSchema: z.ZodType<RawNestedRule> = z.lazy(() =>
  z.union(
    [
      z.strictObject({ all: termsSchema }),
      z.strictObject({ any: termsSchema }),
      z.strictObject({ atLeast: positiveInt, of: termsSchema }),
    ],
    {
      error: (iss) => `expected ${RULE_SHAPES}, got ${describeValue(iss.input)}`,
    },
  ),
);
const instrumentTermSchema = describe(
  z.strictObject({
    instrument: idSchema,
    is: z
      .enum(INSTRUMENT_CONDITIONS, {
        error: (iss) => `expected one of ${INSTRUMENT_CONDITIONS.join(', ')}, got ${describeValue(iss.input)}`,
      })
      .optional(),
  }),
  {
    id: 'instrumentTerm',
    description:
      "Another instrument's decision on the day: unlocked (the default), warranted (unlocked or waived), locked, required or not-required.",
  },
);
const termsSchema: z.ZodType<RawTerms> = z.lazy(() =>
  z.union(
    [
      idSchema,
      z
        .array(z.union([idSchema, instrumentTermSchema, nestedRuleSchema]))
        .min(1, { error: 'expected a list of at least one benchmark or group id' }),
    ],
    {
      error: (iss) => `expected a group id or a list of benchmark ids, group ids and rules, got ${describeValue(iss.input)}`,
    },
  ),
);

export const gateRuleSchema = describe(
  z.union(
    [
      z.literal('none'),
      z.strictObject({ all: termsSchema }),
      z.strictObject({ any: termsSchema }),
      z.strictObject({ atLeast: positiveInt, of: termsSchema }),
      z.strictObject({
        weighted: z.record(idSchema, z.number().nonnegative()),
        threshold: z.number().positive(),
      }),
    ],
    {
      error: (iss) => `expected ${RULE_SHAPES}, got ${describeValue(iss.input)}`,
    },
  ),
  { id: 'gateRule', description: 'Which benchmarks (or groups of them) must be met for the instrument to go ahead.' },
);

export const gateSchema = describe(
  z.strictObject({
    instrument: idSchema,
    rule: note(
      gateRuleSchema,
      'For an engagement: what must hold for it to go ahead. For a sanction: its trigger, what makes it required.',
    ),
    lift: note(
      gateRuleSchema.optional(),
      'For a sanction only: once this holds, the sanction is no longer required and may be lifted.',
    ),
    rationale: text.optional(),
    source: sourceSchema.optional(),
    ...validityKeys,
  }),
  { id: 'gate', title: 'Gate', description: 'At most one per instrument.' },
);

export const waiverSchema = describe(
  z.strictObject({
    id: idSchema,
    instrument: idSchema,
    authority: text,
    rationale: text,
    start: partialDateSchema,
    expiry: partialDateSchema.optional(),
    known: note(
      partialDateSchema.optional(),
      'The day the waiver became public (default: the date of its source): as-of assessments before it do not apply it.',
    ),
    source: sourceSchema.optional(),
  }),
  { id: 'waiver', title: 'Waiver' },
);

export const justificationSchema = describe(
  z.strictObject({
    id: idSchema,
    instrument: idSchema,
    title: text,
    claim: text,
    claimedBy: text.optional(),
    serves: note(z.array(idSchema), 'Interest ids.'),
    evidenceFor: z.array(evidenceIdSchema).optional(),
    evidenceAgainst: z.array(evidenceIdSchema).optional(),
    source: sourceSchema.optional(),
    ...validityKeys,
  }),
  { id: 'justification', title: 'Justification' },
);

export const reviewSchema = describe(
  z.strictObject({
    id: idSchema,
    calendar: idSchema,
    title: text,
    date: partialDateSchema,
    source: sourceSchema.optional(),
  }),
  { id: 'review', title: 'Review date', description: 'A scheduled review: a plenary, an annual report, a certification date.' },
);

export const issueAreaSchema = describe(
  z.strictObject({
    id: idSchema,
    title: text,
    principalInterest: note(idSchema, "Interest id: the principal's interest at stake in this area."),
    principalPosition: note(text, 'What the principal wants in this area.'),
    description: text.optional(),
    evidence: note(
      z.strictObject({
        aligned: note(
          z.array(evidenceIdSchema).optional(),
          "Evidence ids of the counterpart acting with the principal's position.",
        ),
        opposed: note(z.array(evidenceIdSchema).optional(), 'Evidence ids of the counterpart acting against it.'),
      }),
      "The counterpart's revealed position. There is no stance field: convergence is computed from this evidence.",
    ),
    instruments: note(z.array(idSchema).optional(), 'Instrument ids that cooperation in this area could justify.'),
    source: sourceSchema.optional(),
    ...validityKeys,
  }),
  {
    id: 'issueArea',
    title: 'Issue area',
    description:
      "An issue area with the principal's interest and position, and the evidence of the counterpart's; align, diverge or unknown is computed.",
  },
);

export const monitoringSchema = describe(
  z.strictObject({
    id: idSchema,
    title: text,
    indicators: note(
      z.array(indicatorIdSchema).min(1, { error: 'expected a list of at least one indicator id' }),
      'The count, sum, exists or state indicators whose evidence was watched.',
    ),
    from: note(partialDateSchema, 'First day watched (a partial date is watched from its last day).'),
    until: note(partialDateSchema.optional(), 'Last day watched (a partial date ends on its first day); ongoing if absent.'),
    known: note(
      partialDateSchema.optional(),
      'The day the claim could first be made (e.g. when an annual report was published); as the days pass if absent.',
    ),
    source: note(sourceSchema, 'On whose reporting the watch rests.'),
    note: text.optional(),
  }),
  {
    id: 'monitoring',
    title: 'Monitoring',
    description:
      'The claim that every item of the named indicators that the source reported between from and until was recorded: within it, no record means none happened; outside it, silence proves nothing.',
  },
);

/** The item schema of each list section, and of `case`. */
export const SECTION_SCHEMAS = {
  case: caseSchema,
  actors: actorSchema,
  interests: interestSchema,
  instruments: instrumentSchema,
  indicators: indicatorSchema,
  benchmarks: benchmarkSchema,
  groups: groupSchema,
  gates: gateSchema,
  waivers: waiverSchema,
  justifications: justificationSchema,
  reviews: reviewSchema,
  issueAreas: issueAreaSchema,
  monitoring: monitoringSchema,
} as const;

export type SectionName = keyof typeof SECTION_SCHEMAS;
export type ListSectionName = Exclude<SectionName, 'case'>;
export const SECTION_NAMES = Object.keys(SECTION_SCHEMAS) as SectionName[];

/** One top-level case file: a mapping of sections (the loader checks them item by item). */
export const caseFileSchema = z.strictObject({
  case: caseSchema.optional(),
  actors: z.array(actorSchema).optional(),
  interests: z.array(interestSchema).optional(),
  instruments: z.array(instrumentSchema).optional(),
  indicators: z.array(indicatorSchema).optional(),
  benchmarks: z.array(benchmarkSchema).optional(),
  groups: z.array(groupSchema).optional(),
  gates: z.array(gateSchema).optional(),
  waivers: z.array(waiverSchema).optional(),
  justifications: z.array(justificationSchema).optional(),
  reviews: z.array(reviewSchema).optional(),
  issueAreas: z.array(issueAreaSchema).optional(),
  monitoring: z.array(monitoringSchema).optional(),
});

// ---- Evidence --------------------------------------------------------------------------

export const evidenceSourceSchema = describe(
  z.strictObject({
    publisher: text,
    title: text,
    date: partialDateSchema,
    url: z.url({ error: (iss) => `expected a URL such as "https://…", got ${describeValue(iss.input)}` }).optional(),
    reliability: reliabilitySchema,
    credibility: credibilitySchema,
    origin: note(text.optional(), 'Copies of one report share an origin (e.g. a wire service).'),
  }),
  { id: 'evidenceSource', title: 'Evidence source', description: 'A source graded on the Admiralty scale.' },
);

const intervalSchema = describe(z.strictObject({ from: partialDateSchema, to: partialDateSchema }), {
  id: 'interval',
  description: 'An occurrence spanning several days.',
});

const quantitySchema = describe(z.strictObject({ value: z.number(), of: z.number().optional(), unit: text.optional() }), {
  id: 'quantity',
  description: 'A measured value, such as 26 of 27 action items.',
});

/** One evidence item (title and description of the JSON Schema are set by its generator). */
export const evidenceItemSchema = describe(
  z.strictObject({
    id: evidenceIdSchema,
    kind: note(text, 'What happened: arrest, release, designation, … (free vocabulary).'),
    actors: note(z.array(idSchema), 'Actor ids involved.'),
    description: text,
    occurred: note(
      z.union([partialDateSchema, intervalSchema], {
        error: (iss) => `expected a date (YYYY, YYYY-MM or YYYY-MM-DD) or {from, to}, got ${describeValue(iss.input)}`,
      }),
      'When it happened: a partial date or an interval.',
    ),
    reported: note(partialDateSchema, 'When it was first reported; a partial date means by its last day.'),
    recorded: note(dateSchema, 'When this entry was written into the ledger.'),
    amount: z.number().optional(),
    currency: currencySchema.optional(),
    quantity: quantitySchema.optional(),
    tags: z.array(text).optional(),
    supersedes: note(evidenceIdSchema.optional(), 'The entry this one corrects.'),
    retracted: note(z.boolean().optional(), 'With supersedes: the named entry is withdrawn.'),
    note: text.optional(),
    action: note(
      z
        .strictObject({
          instrument: note(idSchema, 'The instrument the principal acted on.'),
          kind: z.enum(ACTION_KINDS, {
            error: (iss) => `expected an action (${ACTION_KINDS.join(', ')}), got ${describeValue(iss.input)}`,
          }),
        })
        .optional(),
      'What the principal did with one of its instruments (notified, provided, suspended, …).',
    ),
    claim: note(
      z.enum(CLAIM_KINDS, { error: (iss) => `expected "author" or "analysis", got ${describeValue(iss.input)}` }).optional(),
      "The entry is an assertion, not an observed fact: the case author's, or the modelled analysis's (an essay, a report).",
    ),
    flow: note(
      z
        .strictObject({
          kind: z.enum(FLOW_KINDS, {
            error: (iss) => `expected a flow (${FLOW_KINDS.join(', ')}), got ${describeValue(iss.input)}`,
          }),
          payer: note(idSchema, 'Actor id of who pays.'),
          payee: note(idSchema, 'Actor id of who receives.'),
        })
        .optional(),
      'A movement of money, with payer and direction declared; needs amount and currency.',
    ),
    finding: note(
      z
        .strictObject({
          benchmark: note(idSchema, 'The benchmark (or group member) the finding is about.'),
          grade: z.enum(FINDING_GRADES, {
            error: (iss) => `expected a grade (${FINDING_GRADES.join(', ')}), got ${describeValue(iss.input)}`,
          }),
          assessor: note(text, 'Who assessed: the Commission, the FATF plenary, the MCC board.'),
        })
        .optional(),
      "An assessor's published finding about one benchmark: fulfilled, partially-fulfilled, not-fulfilled or not-assessed.",
    ),
    sources: z
      .array(evidenceSourceSchema)
      .min(1, { error: 'an evidence entry needs at least one source (publisher, title, date, reliability, credibility)' }),
  }),
  {
    dependentRequired: { amount: ['currency'], retracted: ['supersedes'] },
  },
);

export type RawSource = z.infer<typeof sourceSchema>;
export type RawCase = z.infer<typeof caseSchema>;
export type RawActor = z.infer<typeof actorSchema>;
export type RawInterest = z.infer<typeof interestSchema>;
export type RawInstrument = z.infer<typeof instrumentSchema>;
export type RawIndicator = z.infer<typeof indicatorSchema>;
export type RawBenchmark = z.infer<typeof benchmarkSchema>;
export type RawGateRule = z.infer<typeof gateRuleSchema>;
export type RawGate = z.infer<typeof gateSchema>;
export type RawGroup = z.infer<typeof groupSchema>;
export type RawWaiver = z.infer<typeof waiverSchema>;
export type RawJustification = z.infer<typeof justificationSchema>;
export type RawReview = z.infer<typeof reviewSchema>;
export type RawIssueArea = z.infer<typeof issueAreaSchema>;
export type RawMonitoring = z.infer<typeof monitoringSchema>;
export type RawEvidence = z.infer<typeof evidenceItemSchema>;
export type RawPartialDate = z.infer<typeof partialDateSchema>;

/** A short rendering of a value for messages: texts quoted, containers named. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list of ${value.length}`;
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}
