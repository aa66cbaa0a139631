/**
 * From located raw items to the core model: validation of each item, then everything a
 * schema cannot check (ids, references, calendar dates, durations, CEL, orderings), then
 * conversion with defaults applied.
 *
 * Contract:
 * - Pure. Every problem is reported, each at the position of the value at fault; an item
 *   that fails validation is not checked further, but its id still counts as defined so
 *   its mistakes do not reappear as unknown references elsewhere.
 * - A `Case` is returned only when there are no problems; it and the evidence are deeply
 *   frozen, and items keep their file order (files in the order given).
 */
import type { z } from 'zod';
import type {
  Actor,
  Benchmark,
  Case,
  Gate,
  GateRule,
  Indicator,
  Instrument,
  Interest,
  Justification,
  ReviewDate,
  SourceRef,
  Waiver,
} from '../../core/case-model.ts';
import { indicatorValueType } from '../../core/compile-case.ts';
import {
  type Duration,
  dateProblem,
  durationProblem,
  firstDayOf,
  lastDayOf,
  parseDuration,
  partialDateProblem,
  ZERO_DURATION,
} from '../../core/dates.ts';
import type { Evidence, EvidenceSource } from '../../core/evidence.ts';
import { compileCondition, compileEvidenceFilter, type IndicatorValueType } from '../../core/expressions.ts';
import {
  actorSchema,
  benchmarkSchema,
  caseSchema,
  evidenceItemSchema,
  gateSchema,
  indicatorSchema,
  instrumentSchema,
  interestSchema,
  justificationSchema,
  type ListSectionName,
  type RawActor,
  type RawBenchmark,
  type RawCase,
  type RawEvidence,
  type RawGate,
  type RawIndicator,
  type RawInstrument,
  type RawInterest,
  type RawJustification,
  type RawPartialDate,
  type RawReview,
  type RawSource,
  type RawWaiver,
  reviewSchema,
  type SectionName,
  waiverSchema,
} from './case-schema.ts';
import { deepFreeze } from './deep-freeze.ts';
import { formatPath, validateItem } from './issues.ts';
import type { Path } from './locator.ts';
import { createProblem, type ItemEntry, type SectionEntry } from './parse-files.ts';
import type { Position, Problem, ProblemCode } from './problem.ts';
import { formatSuggestion } from './suggest.ts';

export interface BuildInput {
  readonly sections: readonly SectionEntry[];
  readonly evidence: readonly ItemEntry[];
  /** Name of a file relative to the case folder, for messages ("benchmarks.yaml"). */
  readonly nameOf: (file: string) => string;
  /** Where a problem about the folder as a whole (no `case` section) is reported. */
  readonly folderFile: string;
  /** Whether some case file could not be parsed (then a missing `case` may be in it). */
  readonly hasBrokenCaseFile: boolean;
}

export interface BuildResult {
  readonly problems: readonly Problem[];
  readonly case?: Case;
  readonly evidence: readonly Evidence[];
}

type DefinitionKind =
  | 'actor'
  | 'interest'
  | 'instrument'
  | 'indicator'
  | 'benchmark'
  | 'gate'
  | 'waiver'
  | 'justification'
  | 'review'
  | 'evidence';

const SECTION_KINDS: Record<ListSectionName, DefinitionKind> = {
  actors: 'actor',
  interests: 'interest',
  instruments: 'instrument',
  indicators: 'indicator',
  benchmarks: 'benchmark',
  gates: 'gate',
  waivers: 'waiver',
  justifications: 'justification',
  reviews: 'review',
};

const PLURALS: Record<DefinitionKind, string> = {
  actor: 'actors',
  interest: 'interests',
  instrument: 'instruments',
  indicator: 'indicators',
  benchmark: 'benchmarks',
  gate: 'gates',
  waiver: 'waivers',
  justification: 'justifications',
  review: 'reviews',
  evidence: 'evidence items',
};

interface Definition {
  readonly file: string;
  readonly position: Position;
}

interface Valid<T> {
  readonly entry: ItemEntry;
  readonly data: T;
  readonly label: string;
}

function readString(value: unknown, key: string): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const v = (value as Record<string, unknown>)[key];
  return typeof v === 'string' ? v : undefined;
}

function labelSectionItem(section: SectionName, value: unknown, fallback: string): string {
  if (section === 'gates') {
    const instrument = readString(value, 'instrument');
    return instrument === undefined ? fallback : `gate for instrument "${instrument}"`;
  }
  const id = readString(value, 'id');
  if (id === undefined) return fallback;
  return section === 'case' ? `case "${id}"` : `${SECTION_KINDS[section]} "${id}"`;
}

function labelEvidence(value: unknown, fallback: string): string {
  const id = readString(value, 'id');
  return id === undefined ? fallback : `evidence "${id}"`;
}

function uniqueInOrder(items: Iterable<string>): string[] {
  return [...new Set(items)];
}

function describeFiles(names: readonly string[]): string {
  if (names.length <= 3) return names.join(', ');
  return `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}

/** Checks and converts a case; see the module contract. */
export function buildCase(input: BuildInput): BuildResult {
  const problems: Problem[] = [];
  const report = (entry: ItemEntry, at: Position, code: ProblemCode, message: string): void => {
    problems.push(createProblem(entry.file, at, code, message));
  };
  const reportAt = (entry: ItemEntry, path: Path, code: ProblemCode, message: string): void =>
    report(entry, entry.locator.valueAt(path), code, message);

  // ---- Definitions: every id, valid item or not, so references resolve -------------------
  const definitions = new Map<DefinitionKind, Map<string, Definition>>();
  const definingFiles = new Map<DefinitionKind, string[]>();
  const defineId = (kind: DefinitionKind, entry: ItemEntry, idKey: string, label: string): void => {
    const files = definingFiles.get(kind) ?? [];
    const name = input.nameOf(entry.file);
    if (!files.includes(name)) files.push(name);
    definingFiles.set(kind, files);
    const id = readString(entry.value, idKey);
    if (id === undefined) return;
    const defs = definitions.get(kind) ?? new Map<string, Definition>();
    definitions.set(kind, defs);
    const position = entry.locator.valueAt([idKey]);
    const first = defs.get(id);
    if (first === undefined) {
      defs.set(id, { file: entry.file, position });
    } else if (entry.trusted) {
      const message =
        kind === 'gate'
          ? `${label}: a second gate for this instrument (the first is at ${input.nameOf(first.file)}:${first.position.line}); an instrument has at most one gate: merge them`
          : `duplicate ${kind} id "${id}": already defined at ${input.nameOf(first.file)}:${first.position.line}; ${PLURALS[kind]} need unique ids`;
      report(entry, position, 'duplicate-id', message);
    }
  };
  const isDefined = (kind: DefinitionKind, id: string): boolean => definitions.get(kind)?.has(id) ?? false;

  /** Reports `id` at `at` when no item of `kind` has it. */
  const referTo = (
    kind: DefinitionKind,
    id: string,
    entry: ItemEntry,
    at: Position,
    referrer: string,
    notSuggested?: string,
  ): void => {
    if (isDefined(kind, id)) return;
    const files = definingFiles.get(kind) ?? [];
    const where =
      files.length === 0
        ? kind === 'evidence'
          ? 'no evidence is recorded in evidence/'
          : `no ${PLURALS[kind]} are defined in this case`
        : kind === 'evidence'
          ? `evidence is recorded in ${describeFiles(files)}`
          : `${PLURALS[kind]} are defined in ${describeFiles(files)}`;
    const candidates = [...(definitions.get(kind)?.keys() ?? [])].filter((c) => c !== notSuggested);
    const hint = formatSuggestion(id, candidates);
    report(entry, at, 'unknown-reference', `${referrer} refers to unknown ${kind} "${id}" (${where})${hint}`);
  };
  const referAt = (kind: DefinitionKind, id: string, v: Valid<unknown>, path: Path): void =>
    referTo(kind, id, v.entry, v.entry.locator.valueAt(path), v.label);
  const referList = (kind: DefinitionKind, ids: readonly string[] | undefined, v: Valid<unknown>, path: Path): void => {
    ids?.forEach((id, i) => {
      referAt(kind, id, v, [...path, i]);
    });
  };

  const labelled = input.sections.map((entry) => ({
    entry,
    label: labelSectionItem(entry.section, entry.value, entry.fallbackLabel),
  }));
  for (const { entry, label } of labelled) {
    if (entry.section !== 'case')
      defineId(SECTION_KINDS[entry.section], entry, entry.section === 'gates' ? 'instrument' : 'id', label);
  }
  const evidenceLabelled = input.evidence.map((entry) => ({ entry, label: labelEvidence(entry.value, entry.fallbackLabel) }));
  for (const { entry, label } of evidenceLabelled) defineId('evidence', entry, 'id', label);

  // ---- Validation of each item ----------------------------------------------------------
  const validate = <S extends z.ZodType>(section: SectionName, schema: S): Valid<z.infer<S>>[] => {
    const out: Valid<z.infer<S>>[] = [];
    for (const { entry, label } of labelled) {
      if (entry.section !== section || !entry.trusted) continue;
      const result = validateItem(schema, entry.value, label, entry.locator);
      for (const m of result.messages) report(entry, m.position, m.code, m.message);
      const data = result.data ?? result.salvaged;
      if (data !== undefined) out.push({ entry, data, label });
    }
    return out;
  };
  const cases: Valid<RawCase>[] = validate('case', caseSchema);
  const actors: Valid<RawActor>[] = validate('actors', actorSchema);
  const interests: Valid<RawInterest>[] = validate('interests', interestSchema);
  const instruments: Valid<RawInstrument>[] = validate('instruments', instrumentSchema);
  const indicators: Valid<RawIndicator>[] = validate('indicators', indicatorSchema);
  const benchmarks: Valid<RawBenchmark>[] = validate('benchmarks', benchmarkSchema);
  const gates: Valid<RawGate>[] = validate('gates', gateSchema);
  const waivers: Valid<RawWaiver>[] = validate('waivers', waiverSchema);
  const justifications: Valid<RawJustification>[] = validate('justifications', justificationSchema);
  const reviews: Valid<RawReview>[] = validate('reviews', reviewSchema);
  const evidence: Valid<RawEvidence>[] = [];
  for (const { entry, label } of evidenceLabelled) {
    if (!entry.trusted) continue;
    const result = validateItem(evidenceItemSchema, entry.value, label, entry.locator);
    for (const m of result.messages) report(entry, m.position, m.code, m.message);
    const data = result.data ?? result.salvaged;
    if (data !== undefined) evidence.push({ entry, data, label });
  }

  // ---- Shared checks ----------------------------------------------------------------------
  /** The date as written, when it is a real year, month or day. */
  const checkPartialDate = (v: Valid<unknown>, path: Path, value: RawPartialDate): string | undefined => {
    const written = String(value);
    const problem = partialDateProblem(written);
    if (problem === undefined) return written;
    reportAt(v.entry, path, 'bad-date', `${v.label} ${formatPath(path)}: ${problem}`);
    return undefined;
  };
  const checkDate = (v: Valid<unknown>, path: Path, value: string): string | undefined => {
    const problem = dateProblem(value);
    if (problem === undefined) return value;
    reportAt(v.entry, path, 'bad-date', `${v.label} ${formatPath(path)}: ${problem}`);
    return undefined;
  };
  const checkDuration = (v: Valid<unknown>, path: Path, value: string): Duration | undefined => {
    const problem = durationProblem(value);
    if (problem === undefined) return parseDuration(value);
    reportAt(v.entry, path, 'bad-duration', `${v.label} ${formatPath(path)}: ${problem}`);
    return undefined;
  };
  const convertSource = (v: Valid<unknown>, path: Path, s: RawSource): SourceRef => ({
    publisher: s.publisher,
    title: s.title,
    date: checkPartialDate(v, [...path, 'date'], s.date) ?? String(s.date),
    ...(s.url === undefined ? {} : { url: s.url }),
  });
  const withSource = (v: Valid<unknown>, s: RawSource | undefined): { source?: SourceRef } =>
    s === undefined ? {} : { source: convertSource(v, ['source'], s) };
  const requireCurrency = (v: Valid<unknown>, amount: number | undefined, currency: string | undefined): void => {
    if (amount !== undefined && currency === undefined) {
      reportAt(
        v.entry,
        ['amount'],
        'inconsistent',
        `${v.label}: amount ${amount} has no currency; add "currency:" with an ISO 4217 code such as USD`,
      );
    }
  };

  // ---- case -------------------------------------------------------------------------------
  const caseEntries = labelled.filter((l) => l.entry.section === 'case');
  const firstCase = caseEntries[0];
  if (firstCase === undefined) {
    if (!input.hasBrokenCaseFile) {
      problems.push(
        createProblem(
          input.folderFile,
          { line: 1, col: 1 },
          'missing-case',
          'no case file has a "case" section; add one (case: {id, title, principal, counterpart}) to exactly one file',
        ),
      );
    }
  } else {
    for (const { entry } of caseEntries.slice(1)) {
      if (!entry.trusted) continue;
      const first = firstCase.entry.locator.keyAt([]);
      report(
        entry,
        entry.locator.keyAt([]),
        'duplicate-case',
        `the "case" section is given again (first at ${input.nameOf(firstCase.entry.file)}:${first.line}); a case folder has exactly one: remove one of them`,
      );
    }
  }
  const theCase = cases[0];
  if (theCase !== undefined) {
    referAt('actor', theCase.data.principal, theCase, ['principal']);
    referAt('actor', theCase.data.counterpart, theCase, ['counterpart']);
  }

  // ---- actors -----------------------------------------------------------------------------
  for (const a of actors) referList('actor', a.data.memberOf, a, ['memberOf']);
  checkMembershipCycles(actors, (v, j, cycle) =>
    reportAt(
      v.entry,
      ['memberOf', j],
      'inconsistent',
      `${v.label} memberOf "${cycle[1] ?? ''}" closes a membership cycle (${cycle.join(' → ')}); an actor cannot be a member of itself, directly or through others: remove one of these memberships`,
    ),
  );
  const actorModels: Actor[] = actors.map(({ data: a }) => ({
    id: a.id,
    name: a.name,
    kind: a.kind,
    aliases: a.aliases ?? [],
    cameo: a.cameo ?? [],
    memberOf: a.memberOf ?? [],
    ...(a.notes === undefined ? {} : { notes: a.notes }),
  }));

  // ---- interests --------------------------------------------------------------------------
  const ranks = new Map<number, Valid<RawInterest>>();
  for (const v of interests) {
    const first = ranks.get(v.data.rank);
    if (first === undefined) {
      ranks.set(v.data.rank, v);
      continue;
    }
    const at = first.entry.locator.valueAt(['rank']);
    reportAt(
      v.entry,
      ['rank'],
      'inconsistent',
      `${v.label} rank: rank ${v.data.rank} is already taken by ${first.label} (${input.nameOf(first.entry.file)}:${at.line}); ranks must be unique, 1 the most important`,
    );
  }
  const interestModels: Interest[] = interests.map((v) => ({
    id: v.data.id,
    title: v.data.title,
    rank: v.data.rank,
    weight: v.data.weight,
    ...(v.data.rationale === undefined ? {} : { rationale: v.data.rationale }),
    ...withSource(v, v.data.source),
  }));

  // ---- instruments ------------------------------------------------------------------------
  const instrumentModels: Instrument[] = instruments.map((v) => {
    const d = v.data;
    requireCurrency(v, d.amount, d.currency);
    const effects = (d.effects ?? []).map((e, i) => {
      referAt('interest', e.interest, v, ['effects', i, 'interest']);
      referList('evidence', e.evidence, v, ['effects', i, 'evidence']);
      return { interest: e.interest, direction: e.direction, rationale: e.rationale, evidence: e.evidence ?? [] };
    });
    return {
      id: d.id,
      title: d.title,
      tier: d.tier,
      ...(d.amount === undefined ? {} : { amount: d.amount }),
      ...(d.currency === undefined ? {} : { currency: d.currency }),
      ...(d.description === undefined ? {} : { description: d.description }),
      effects,
      ...withSource(v, d.source),
    };
  });

  // ---- indicators -------------------------------------------------------------------------
  const indicatorTypes = new Map<string, IndicatorValueType>();
  /** Indicators with problems of their own: conditions naming them are not reported again. */
  const failedIndicators = new Set<string>();
  for (const { entry } of labelled) {
    const id = readString(entry.value, 'id');
    if (entry.section === 'indicators' && id !== undefined && !indicators.some((v) => v.entry === entry))
      failedIndicators.add(id);
  }
  const indicatorModels: Indicator[] = [];
  for (const v of indicators) {
    const d = v.data;
    const window = 'window' in d && d.window !== undefined ? checkDuration(v, ['window'], d.window) : undefined;
    const model = convertIndicator(d, window);
    indicatorModels.push(model);
    if (isUsableInCel(d.id, indicatorValueType(model))) {
      if (!indicatorTypes.has(d.id)) indicatorTypes.set(d.id, indicatorValueType(model));
    } else {
      failedIndicators.add(d.id);
      reportAt(
        v.entry,
        ['id'],
        'bad-cel',
        `${v.label}: "${d.id}" is a reserved word in CEL, so conditions cannot name this indicator; choose another id`,
      );
    }
    referList('actor', d.actors, v, ['actors']);
    if (d.kind === 'state') referList('actor', d.subjects, v, ['subjects']);
    if (d.where !== undefined) {
      const compiled = compileEvidenceFilter(d.where);
      if (!compiled.ok) reportAt(v.entry, ['where'], 'bad-cel', `${v.label} where: ${compiled.message}`);
    }
  }

  // ---- reviews (before benchmarks, which name their calendars) ------------------------------
  const calendars = new Set<string>();
  for (const { entry } of labelled) {
    const calendar = readString(entry.value, 'calendar');
    if (entry.section === 'reviews' && calendar !== undefined) calendars.add(calendar);
  }
  const reviewModels: ReviewDate[] = reviews.map((v) => {
    const written = checkPartialDate(v, ['date'], v.data.date) ?? String(v.data.date);
    return {
      id: v.data.id,
      calendar: v.data.calendar,
      title: v.data.title,
      date: lastDayOf(written),
      written,
      ...withSource(v, v.data.source),
    };
  });

  // ---- benchmarks -------------------------------------------------------------------------
  const indicatorIds = [...indicatorTypes.keys()];
  const benchmarkModels: Benchmark[] = benchmarks.map((v) => {
    const d = v.data;
    const clauses: { source: string; path: Path }[] = [];
    if (d.condition !== undefined && d.conditions !== undefined) {
      report(
        v.entry,
        v.entry.locator.keyAt(['condition']),
        'schema',
        `${v.label}: give either "condition" (one clause) or "conditions" (a list), not both`,
      );
    } else if (d.condition !== undefined) {
      clauses.push({ source: d.condition, path: ['condition'] });
    } else if (d.conditions !== undefined) {
      d.conditions.forEach((source, i) => {
        clauses.push({ source, path: ['conditions', i] });
      });
    } else {
      reportAt(
        v.entry,
        [],
        'schema',
        `${v.label}: missing required key "conditions" (a list of CEL clauses over indicator ids; or "condition" for a single clause)`,
      );
    }
    const uses: string[] = [];
    for (const clause of clauses) {
      const compiled = compileClause(clause.source, indicatorTypes);
      if (compiled.ok) {
        uses.push(...compiled.uses);
        continue;
      }
      const words = clause.source.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
      if (words.some((w) => failedIndicators.has(w))) continue;
      const unknown = /unknown indicator "([^"]+)"/.exec(compiled.message)?.[1];
      const hint = unknown === undefined ? '' : formatSuggestion(unknown, indicatorIds);
      reportAt(v.entry, clause.path, 'bad-cel', `${v.label} ${formatPath(clause.path)}: ${compiled.message}${hint}`);
    }
    const duration = d.duration === undefined ? ZERO_DURATION : (checkDuration(v, ['duration'], d.duration) ?? ZERO_DURATION);
    let review: Benchmark['review'];
    if (d.review !== undefined) {
      if (!calendars.has(d.review.calendar)) {
        const files = definingFiles.get('review') ?? [];
        const where =
          files.length === 0 ? 'no reviews are defined in this case' : `reviews in ${describeFiles(files)} name the calendars`;
        reportAt(
          v.entry,
          ['review', 'calendar'],
          'unknown-reference',
          `${v.label} refers to unknown review calendar "${d.review.calendar}" (${where})${formatSuggestion(d.review.calendar, calendars)}`,
        );
      }
      const window = checkDuration(v, ['review', 'window'], d.review.window) ?? ZERO_DURATION;
      review = { calendar: d.review.calendar, window, countAfterReview: d.review.countAfterReview };
    }
    return {
      id: d.id,
      title: d.title,
      ...(d.description === undefined ? {} : { description: d.description }),
      conditions: clauses.map((c) => c.source),
      indicators: uniqueInOrder(uses),
      duration,
      reversals: d.reversals ?? [],
      verification: {
        minReliability: d.verification?.minReliability ?? 'F',
        minCredibility: d.verification?.minCredibility ?? 6,
        minSources: d.verification?.minSources ?? 1,
      },
      ...(review === undefined ? {} : { review }),
      ...withSource(v, d.source),
    };
  });

  // ---- gates ------------------------------------------------------------------------------
  const gateModels: Gate[] = gates.map((v) => {
    const d = v.data;
    referAt('instrument', d.instrument, v, ['instrument']);
    const rule = convertGateRule(d.rule);
    switch (rule.kind) {
      case 'none':
        break;
      case 'all':
      case 'any':
        referList('benchmark', rule.benchmarks, v, ['rule', rule.kind]);
        break;
      case 'at-least':
        referList('benchmark', rule.benchmarks, v, ['rule', 'of']);
        if (rule.count > rule.benchmarks.length) {
          reportAt(
            v.entry,
            ['rule', 'atLeast'],
            'inconsistent',
            `${v.label} rule: atLeast ${rule.count} but only ${rule.benchmarks.length} benchmark(s) are listed, so the gate can never open`,
          );
        }
        break;
      case 'weighted': {
        for (const w of rule.weights) {
          referTo('benchmark', w.benchmark, v.entry, v.entry.locator.keyAt(['rule', 'weighted', w.benchmark]), v.label);
        }
        const total = rule.weights.reduce((sum, w) => sum + w.weight, 0);
        if (rule.threshold > total) {
          reportAt(
            v.entry,
            ['rule', 'threshold'],
            'inconsistent',
            `${v.label} rule: threshold ${rule.threshold} exceeds the total weight ${total}, so the gate can never open`,
          );
        }
        break;
      }
    }
    return {
      instrument: d.instrument,
      rule,
      ...(d.rationale === undefined ? {} : { rationale: d.rationale }),
      ...withSource(v, d.source),
    };
  });

  // ---- waivers ----------------------------------------------------------------------------
  const waiverModels: Waiver[] = waivers.map((v) => {
    const d = v.data;
    referAt('instrument', d.instrument, v, ['instrument']);
    const startWritten = checkPartialDate(v, ['start'], d.start);
    const expiryWritten = d.expiry === undefined ? undefined : checkPartialDate(v, ['expiry'], d.expiry);
    const start = lastDayOf(startWritten ?? String(d.start));
    const expiry = expiryWritten === undefined ? undefined : firstDayOf(expiryWritten);
    if (startWritten !== undefined && expiry !== undefined && expiryWritten !== undefined && expiry < start) {
      const partial = startWritten !== start || expiryWritten !== expiry;
      reportAt(
        v.entry,
        ['expiry'],
        'bad-date',
        `${v.label}: expiry ${expiryWritten} (${expiry}) is before start ${startWritten} (${start})${partial ? '; a partial start takes effect on its last day and a partial expiry ends on its first day' : ''}: correct one of them`,
      );
    }
    return {
      id: d.id,
      instrument: d.instrument,
      authority: d.authority,
      rationale: d.rationale,
      start,
      ...(expiry === undefined ? {} : { expiry }),
      ...withSource(v, d.source),
    };
  });

  // ---- justifications ---------------------------------------------------------------------
  const justificationModels: Justification[] = justifications.map((v) => {
    const d = v.data;
    referAt('instrument', d.instrument, v, ['instrument']);
    referList('interest', d.serves, v, ['serves']);
    referList('evidence', d.evidenceFor, v, ['evidenceFor']);
    referList('evidence', d.evidenceAgainst, v, ['evidenceAgainst']);
    return {
      id: d.id,
      instrument: d.instrument,
      title: d.title,
      claim: d.claim,
      ...(d.claimedBy === undefined ? {} : { claimedBy: d.claimedBy }),
      serves: d.serves,
      evidenceFor: d.evidenceFor ?? [],
      evidenceAgainst: d.evidenceAgainst ?? [],
    };
  });

  // ---- evidence ---------------------------------------------------------------------------
  const evidenceModels: Evidence[] = evidence.map((v) => {
    const d = v.data;
    let occurred: string;
    let occurredTo: string;
    let occurredKnown: boolean;
    if (typeof d.occurred === 'object') {
      const from = checkPartialDate(v, ['occurred', 'from'], d.occurred.from);
      const to = checkPartialDate(v, ['occurred', 'to'], d.occurred.to);
      occurredKnown = from !== undefined;
      occurred = firstDayOf(from ?? String(d.occurred.from));
      occurredTo = lastDayOf(to ?? String(d.occurred.to));
      if (from !== undefined && to !== undefined && occurredTo < occurred) {
        reportAt(
          v.entry,
          ['occurred', 'to'],
          'bad-date',
          `${v.label} occurred: the interval ends (${to}) before it begins (${from}); swap or correct the dates`,
        );
      }
    } else {
      const written = checkPartialDate(v, ['occurred'], d.occurred);
      occurredKnown = written !== undefined;
      occurred = firstDayOf(written ?? String(d.occurred));
      occurredTo = lastDayOf(written ?? String(d.occurred));
    }
    const reportedWritten = checkPartialDate(v, ['reported'], d.reported);
    const reported = lastDayOf(reportedWritten ?? String(d.reported));
    if (reportedWritten !== undefined && occurredKnown && reported < occurred) {
      reportAt(
        v.entry,
        ['reported'],
        'bad-date',
        `${v.label}: reported ${reportedWritten} is before it occurred (${occurred}); an event cannot be reported before it happens: correct one of the dates`,
      );
    }
    const recorded = checkDate(v, ['recorded'], d.recorded) ?? d.recorded;
    requireCurrency(v, d.amount, d.currency);
    if (d.retracted === true && d.supersedes === undefined) {
      reportAt(
        v.entry,
        ['retracted'],
        'inconsistent',
        `${v.label}: retracted: true withdraws the entry named by "supersedes"; add supersedes: <the id of the entry it withdraws>`,
      );
    }
    if (d.supersedes !== undefined) {
      if (d.supersedes === d.id) {
        reportAt(v.entry, ['supersedes'], 'inconsistent', `${v.label} supersedes itself; name the entry this one corrects`);
      } else {
        referTo('evidence', d.supersedes, v.entry, v.entry.locator.valueAt(['supersedes']), v.label, d.id);
      }
    }
    referList('actor', d.actors, v, ['actors']);
    const sources: EvidenceSource[] = d.sources.map((s, i) => ({
      publisher: s.publisher,
      title: s.title,
      date: checkPartialDate(v, ['sources', i, 'date'], s.date) ?? String(s.date),
      ...(s.url === undefined ? {} : { url: s.url }),
      reliability: s.reliability,
      credibility: s.credibility,
      ...(s.origin === undefined ? {} : { origin: s.origin }),
    }));
    return {
      id: d.id,
      kind: d.kind,
      actors: d.actors,
      description: d.description,
      occurred,
      occurredTo,
      reported,
      recorded,
      sources,
      ...(d.amount === undefined ? {} : { amount: d.amount }),
      ...(d.currency === undefined ? {} : { currency: d.currency }),
      ...(d.quantity === undefined
        ? {}
        : {
            quantity: {
              value: d.quantity.value,
              ...(d.quantity.of === undefined ? {} : { of: d.quantity.of }),
              ...(d.quantity.unit === undefined ? {} : { unit: d.quantity.unit }),
            },
          }),
      tags: d.tags ?? [],
      ...(d.supersedes === undefined ? {} : { supersedes: d.supersedes }),
      ...(d.retracted === undefined ? {} : { retracted: d.retracted }),
      ...(d.note === undefined ? {} : { note: d.note }),
    };
  });

  if (problems.length > 0 || theCase === undefined) return { problems, evidence: [] };
  const c = theCase.data;
  const model: Case = {
    id: c.id,
    title: c.title,
    principal: c.principal,
    counterpart: c.counterpart,
    ...(c.description === undefined ? {} : { description: c.description }),
    actors: actorModels,
    interests: interestModels,
    instruments: instrumentModels,
    indicators: indicatorModels,
    benchmarks: benchmarkModels,
    gates: gateModels,
    waivers: waiverModels,
    justifications: justificationModels,
    reviews: reviewModels,
  };
  return { problems, case: deepFreeze(model), evidence: deepFreeze(evidenceModels) };
}

function convertIndicator(d: RawIndicator, window: Duration | undefined): Indicator {
  const base = {
    id: d.id,
    title: d.title,
    ...(d.description === undefined ? {} : { description: d.description }),
    filter: {
      kinds: d.kinds ?? [],
      actors: d.actors ?? [],
      ...(d.where === undefined ? {} : { where: d.where }),
    },
  };
  const windowed = window === undefined ? {} : { window };
  switch (d.kind) {
    case 'count':
      return { ...base, kind: 'count', ...windowed };
    case 'exists':
      return { ...base, kind: 'exists', ...windowed };
    case 'sum':
      return {
        ...base,
        kind: 'sum',
        field: d.field,
        ...(d.currency === undefined ? {} : { currency: d.currency }),
        ...windowed,
      };
    case 'latest':
      return { ...base, kind: 'latest', field: d.field };
    case 'state':
      return { ...base, kind: 'state', subjects: d.subjects, on: d.on, off: d.off, initial: d.initial ?? 'unknown' };
  }
}

function convertGateRule(rule: RawGate['rule']): GateRule {
  if (rule === 'none') return { kind: 'none' };
  if ('all' in rule) return { kind: 'all', benchmarks: rule.all };
  if ('any' in rule) return { kind: 'any', benchmarks: rule.any };
  if ('atLeast' in rule) return { kind: 'at-least', count: rule.atLeast, benchmarks: rule.of };
  return {
    kind: 'weighted',
    weights: Object.entries(rule.weighted).map(([benchmark, weight]) => ({ benchmark, weight })),
    threshold: rule.threshold,
  };
}

/** Whether conditions can name an indicator with this id (CEL reserves some words). */
function isUsableInCel(id: string, type: IndicatorValueType): boolean {
  try {
    return compileCondition(`${id} == ${id}`, new Map([[id, type]])).ok;
  } catch {
    return false;
  }
}

function compileClause(
  source: string,
  types: ReadonlyMap<string, IndicatorValueType>,
): { ok: true; uses: readonly string[] } | { ok: false; message: string } {
  try {
    const compiled = compileCondition(source, types);
    return compiled.ok ? { ok: true, uses: compiled.value.uses } : { ok: false, message: compiled.message };
  } catch (err) {
    return { ok: false, message: `cannot compile CEL condition "${source}": ${(err as Error).message}` };
  }
}

/**
 * Calls `onCycle` once per membership cycle among the actors, at the membership that
 * closes it (`cycle` runs from the reporting actor back to itself).
 */
function checkMembershipCycles(
  actors: readonly Valid<RawActor>[],
  onCycle: (actor: Valid<RawActor>, memberOfIndex: number, cycle: readonly string[]) => void,
): void {
  const byId = new Map<string, Valid<RawActor>>();
  for (const a of actors) if (!byId.has(a.data.id)) byId.set(a.data.id, a);
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): void => {
    const actor = byId.get(id);
    if (actor === undefined) return;
    state.set(id, 'visiting');
    stack.push(id);
    (actor.data.memberOf ?? []).forEach((target, j) => {
      const s = state.get(target);
      if (s === 'visiting') {
        const loop = [...stack.slice(stack.indexOf(target)), target];
        // Rotate so the cycle starts at the reporting actor.
        const start = loop.indexOf(id);
        onCycle(actor, j, [...loop.slice(start, -1), ...loop.slice(0, start), id]);
      } else if (s === undefined) {
        visit(target);
      }
    });
    stack.pop();
    state.set(id, 'done');
  };
  for (const a of actors) if (!state.has(a.data.id)) visit(a.data.id);
}
