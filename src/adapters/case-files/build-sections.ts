/**
 * Checks and conversion of each case section, from validated raw items to the core model.
 *
 * Contract: every function reports its problems through the `CaseChecker` and returns the
 * converted items in input order, with defaults applied and absent optional fields
 * omitted. The result is meaningful only if no problem was reported.
 */
import type {
  Actor,
  Benchmark,
  BenchmarkGroup,
  CaseIndicator,
  Gate,
  GateRule,
  Instrument,
  InstrumentTerm,
  Interest,
  IssueArea,
  Justification,
  Monitoring,
  ReviewDate,
  Waiver,
} from '../../core/case-model.ts';
import { indicatorValueType } from '../../core/compile-case.ts';
import { type Duration, firstDayOf, lastDayOf, partialDateProblem, ZERO_DURATION } from '../../core/dates.ts';
import {
  compileCondition,
  compileEvidenceFilter,
  EVIDENCE_FILTER_FIELDS,
  type IndicatorValueType,
} from '../../core/expressions.ts';
import { ruleInstruments } from '../../core/gates.ts';
import { type CaseChecker, describeFiles, hasKey, type Valid } from './case-checker.ts';
import type {
  RawActor,
  RawBenchmark,
  RawCase,
  RawGate,
  RawGroup,
  RawIndicator,
  RawInstrument,
  RawInterest,
  RawIssueArea,
  RawJustification,
  RawMonitoring,
  RawNestedRule,
  RawReview,
  RawWaiver,
} from './case-schema.ts';
import { formatPath } from './issues.ts';
import type { Path } from './locator.ts';
import { formatSuggestion } from './suggest.ts';

export function checkCaseSection(ck: CaseChecker, v: Valid<RawCase>): void {
  ck.referAt('actor', v.data.principal, v, ['principal']);
  ck.referAt('actor', v.data.counterpart, v, ['counterpart']);
}

export function buildActors(ck: CaseChecker, actors: readonly Valid<RawActor>[]): Actor[] {
  for (const a of actors) ck.referList('actor', a.data.memberOf, a, ['memberOf']);
  forEachMembershipCycle(actors, (v, j, cycle) =>
    ck.reportAt(
      v.entry,
      ['memberOf', j],
      'inconsistent',
      `${v.label} memberOf "${cycle[1] ?? ''}" closes a membership cycle (${cycle.join(' → ')}); an actor cannot be a member of itself, directly or through others: remove one of these memberships`,
    ),
  );
  return actors.map(({ data: a }) => ({
    id: a.id,
    name: a.name,
    kind: a.kind,
    aliases: a.aliases ?? [],
    cameo: a.cameo ?? [],
    memberOf: a.memberOf ?? [],
    ...(a.notes === undefined ? {} : { notes: a.notes }),
  }));
}

export function buildInterests(ck: CaseChecker, interests: readonly Valid<RawInterest>[]): Interest[] {
  const ranks = new Map<number, Valid<RawInterest>>();
  for (const v of interests) {
    const first = ranks.get(v.data.rank);
    if (first === undefined) {
      ranks.set(v.data.rank, v);
      continue;
    }
    const at = first.entry.locator.valueAt(['rank']);
    ck.reportAt(
      v.entry,
      ['rank'],
      'inconsistent',
      `${v.label} rank: rank ${v.data.rank} is already taken by ${first.label} (${ck.nameOf(first.entry.file)}:${at.line}); ranks must be unique, 1 the most important`,
    );
  }
  return interests.map((v) => ({
    id: v.data.id,
    title: v.data.title,
    rank: v.data.rank,
    weight: v.data.weight,
    ...(v.data.rationale === undefined ? {} : { rationale: v.data.rationale }),
    ...ck.convertSource(v, v.data.source),
  }));
}

export function buildInstruments(
  ck: CaseChecker,
  instruments: readonly Valid<RawInstrument>[],
  groups: readonly BenchmarkGroup[] = [],
): Instrument[] {
  const membersOf = new Map(groups.map((g) => [g.id, g.members]));
  return instruments.map((v) => {
    const d = v.data;
    ck.requireCurrency(v, d.amount, d.currency);
    const effects = (d.effects ?? []).map((e, i) => {
      ck.referAt('interest', e.interest, v, ['effects', i, 'interest']);
      ck.referList('evidence', e.evidence, v, ['effects', i, 'evidence']);
      // Conditions read benchmarks and groups, as gate rules do, but not other instruments' decisions.
      const condition = (key: 'while' | 'unless') => {
        const raw = e[key];
        if (raw === undefined) return {};
        const rule = convertGateRule(ck, v, raw, membersOf, ['effects', i, key]);
        if (ruleInstruments(rule).length > 0) {
          ck.reportAt(
            v.entry,
            ['effects', i, key],
            'inconsistent',
            `${v.label} effects[${i}].${key}: an effect's condition reads benchmarks and groups, not other instruments' decisions`,
          );
        }
        return { [key]: rule };
      };
      return {
        interest: e.interest,
        direction: e.direction,
        rationale: e.rationale,
        evidence: e.evidence ?? [],
        ...condition('while'),
        ...condition('unless'),
      };
    });
    return {
      id: d.id,
      title: d.title,
      ...(d.kind === undefined || d.kind === 'engagement' ? {} : { kind: d.kind }),
      tier: d.tier,
      ...(d.amount === undefined ? {} : { amount: d.amount }),
      ...(d.currency === undefined ? {} : { currency: d.currency }),
      ...(d.description === undefined ? {} : { description: d.description }),
      effects,
      ...ck.convertSource(v, d.source),
      ...ck.convertValidity(v, d, d.source),
    };
  });
}

export interface BuiltIndicators {
  readonly indicators: CaseIndicator[];
  /** CEL types of the indicators conditions may name. */
  readonly types: ReadonlyMap<string, IndicatorValueType>;
}

export function buildIndicators(
  ck: CaseChecker,
  indicators: readonly Valid<RawIndicator>[],
  failed: Set<string>,
): BuiltIndicators {
  const types = new Map<string, IndicatorValueType>();
  const models = indicators.map((v) => {
    const d = v.data;
    const window = 'window' in d && d.window !== undefined ? ck.checkDuration(v, ['window'], d.window) : undefined;
    const model = convertIndicator(d, window);
    const type = indicatorValueType(model);
    if (isUsableInCel(d.id, type)) {
      if (!types.has(d.id)) types.set(d.id, type);
    } else {
      failed.add(d.id);
      ck.reportAt(
        v.entry,
        ['id'],
        'bad-cel',
        `${v.label}: "${d.id}" is a reserved word in CEL, so conditions cannot name this indicator; choose another id`,
      );
    }
    ck.referList('actor', d.actors, v, ['actors']);
    if (d.kind === 'state') ck.referList('actor', d.subjects, v, ['subjects']);
    if (d.kind === 'series') ck.checkPartialDate(v, ['dataset', 'date'], d.dataset.date);
    if (d.where !== undefined) {
      const compiled = compileEvidenceFilter(d.where);
      if (!compiled.ok) {
        const unknown = /Unknown variable: ([A-Za-z_][A-Za-z0-9_]*)/.exec(compiled.message)?.[1];
        const hint =
          unknown === undefined
            ? ''
            : `${formatSuggestion(unknown, EVIDENCE_FILTER_FIELDS)} (an item's fields: ${EVIDENCE_FILTER_FIELDS.join(', ')})`;
        ck.reportAt(v.entry, ['where'], 'bad-cel', `${v.label} where: ${compiled.message}${hint}`);
      }
    }
    return model;
  });
  return { indicators: models, types };
}

export function buildReviews(ck: CaseChecker, reviews: readonly Valid<RawReview>[]): ReviewDate[] {
  return reviews.map((v) => {
    const written = ck.checkPartialDate(v, ['date'], v.data.date) ?? String(v.data.date);
    return {
      id: v.data.id,
      calendar: v.data.calendar,
      title: v.data.title,
      date: lastDayOf(written),
      written,
      ...ck.convertSource(v, v.data.source),
    };
  });
}

export interface BenchmarkContext {
  readonly indicatorTypes: ReadonlyMap<string, IndicatorValueType>;
  /** Indicators with problems of their own: a condition naming one is not reported again. */
  readonly failedIndicators: ReadonlySet<string>;
  /** Calendars named by reviews. */
  readonly calendars: ReadonlySet<string>;
}

export function buildBenchmarks(
  ck: CaseChecker,
  benchmarks: readonly Valid<RawBenchmark>[],
  context: BenchmarkContext,
): Benchmark[] {
  const indicatorIds = [...context.indicatorTypes.keys()];
  return benchmarks.map((v) => {
    const d = v.data;
    const clauses: { source: string; path: Path }[] = [];
    if (d.condition !== undefined && d.conditions !== undefined) {
      ck.report(
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
    } else if (!hasKey(v, 'condition') && !hasKey(v, 'conditions') && !hasKey(v, 'finding')) {
      ck.reportAt(
        v.entry,
        [],
        'schema',
        `${v.label}: missing required key "conditions" (a list of CEL clauses over indicator ids; or "condition" for a single clause; or "finding" when assessors' findings decide it)`,
      );
    }
    if (d.block !== undefined && d.group === undefined) {
      ck.reportAt(
        v.entry,
        ['block'],
        'inconsistent',
        `${v.label}: block "${d.block}" is given but no group; a block belongs to a group`,
      );
    }
    const uses: string[] = [];
    for (const clause of clauses) {
      const compiled = compileClause(clause.source, context.indicatorTypes);
      if (compiled.ok) {
        uses.push(...compiled.uses);
        continue;
      }
      const words = clause.source.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
      if (words.some((w) => context.failedIndicators.has(w))) continue;
      const unknown = /unknown indicator "([^"]+)"/.exec(compiled.message)?.[1];
      const hint = unknown === undefined ? '' : formatSuggestion(unknown, indicatorIds);
      ck.reportAt(v.entry, clause.path, 'bad-cel', `${v.label} ${formatPath(clause.path)}: ${compiled.message}${hint}`);
    }
    const duration = d.duration === undefined ? ZERO_DURATION : (ck.checkDuration(v, ['duration'], d.duration) ?? ZERO_DURATION);
    const stale = d.stale === undefined ? undefined : ck.checkDuration(v, ['stale'], d.stale);
    let review: Benchmark['review'];
    if (d.review !== undefined) {
      if (!context.calendars.has(d.review.calendar)) {
        const files = ck.listDefiningFiles('review');
        const where =
          files.length === 0 ? 'no reviews are defined in this case' : `reviews in ${describeFiles(files)} name the calendars`;
        ck.reportAt(
          v.entry,
          ['review', 'calendar'],
          'unknown-reference',
          `${v.label} refers to unknown review calendar "${d.review.calendar}" (${where})${formatSuggestion(d.review.calendar, context.calendars)}`,
        );
      }
      const window = ck.checkDuration(v, ['review', 'window'], d.review.window) ?? ZERO_DURATION;
      review = { calendar: d.review.calendar, window, countAfterReview: d.review.countAfterReview };
    }
    return {
      id: d.id,
      title: d.title,
      ...(d.description === undefined ? {} : { description: d.description }),
      conditions: clauses.map((c) => c.source),
      indicators: [...new Set(uses)],
      duration,
      reversals: d.reversals ?? [],
      verification: {
        minReliability: d.verification?.minReliability ?? 'F',
        minCredibility: d.verification?.minCredibility ?? 6,
        minSources: d.verification?.minSources ?? 1,
      },
      ...(review === undefined ? {} : { review }),
      ...ck.convertSource(v, d.source),
      ...ck.convertValidity(v, d, d.source),
      ...(stale === undefined ? {} : { stale }),
      ...(d.author === undefined ? {} : { author: d.author }),
      ...(d.finding === undefined
        ? {}
        : {
            finding: {
              bar: d.finding.bar ?? 'fulfilled',
              ...(d.finding.assessor === undefined ? {} : { assessor: d.finding.assessor }),
            },
          }),
      ...(d.group === undefined ? {} : { group: d.group }),
      ...(d.block === undefined ? {} : { block: d.block }),
    };
  });
}

/**
 * Groups and their blocks, with members from the benchmarks that name them. Checks that a
 * benchmark's group is a group (not a block) and its block one of that group's blocks,
 * and that every group has members.
 */
export function buildGroups(
  ck: CaseChecker,
  groups: readonly Valid<RawGroup>[],
  benchmarks: readonly Valid<RawBenchmark>[],
): BenchmarkGroup[] {
  const byId = new Map(groups.map((g) => [g.data.id, g]));
  const blockOf = new Map<string, string>();
  for (const g of groups) for (const b of g.data.blocks ?? []) blockOf.set(b.id, g.data.id);
  for (const v of benchmarks) {
    const d = v.data;
    if (d.group === undefined) continue;
    const parent = blockOf.get(d.group);
    if (parent !== undefined) {
      ck.reportAt(
        v.entry,
        ['group'],
        'inconsistent',
        `${v.label}: "${d.group}" is a block of group "${parent}"; write group: ${parent} and block: ${d.group}`,
      );
      continue;
    }
    if (!byId.has(d.group)) {
      ck.referAt('group', d.group, v, ['group']);
      continue;
    }
    if (d.block === undefined) continue;
    const group = byId.get(d.group) as Valid<RawGroup>;
    const blocks = (group.data.blocks ?? []).map((b) => b.id);
    if (!blocks.includes(d.block)) {
      ck.reportAt(
        v.entry,
        ['block'],
        'unknown-reference',
        `${v.label}: "${d.block}" is not a block of group "${d.group}" (${blocks.length === 0 ? 'it has no blocks' : `its blocks: ${blocks.join(', ')}`})${formatSuggestion(d.block, blocks)}`,
      );
    }
  }
  const out: BenchmarkGroup[] = [];
  for (const g of groups) {
    const d = g.data;
    const members = benchmarks.filter((b) => b.data.group === d.id).map((b) => b.data.id);
    if (members.length === 0 && !hasKey(g, 'members') && !hasKey(g, 'table')) {
      ck.reportAt(
        g.entry,
        ['id'],
        'inconsistent',
        `${g.label} has no members: list them under "members", name a table in tables/ with "table", or give benchmarks "group: ${d.id}"`,
      );
    }
    out.push({
      id: d.id,
      title: d.title,
      ...(d.description === undefined ? {} : { description: d.description }),
      members,
      ...ck.convertSource(g, d.source),
    });
    for (const b of d.blocks ?? []) {
      out.push({
        id: b.id,
        title: b.title,
        ...(b.description === undefined ? {} : { description: b.description }),
        parent: d.id,
        members: benchmarks.filter((x) => x.data.group === d.id && x.data.block === b.id).map((x) => x.data.id),
      });
    }
  }
  return out;
}

export function buildGates(
  ck: CaseChecker,
  gates: readonly Valid<RawGate>[],
  groups: readonly BenchmarkGroup[],
  instruments: readonly Instrument[],
): Gate[] {
  const membersOf = new Map(groups.map((g) => [g.id, g.members]));
  return gates.map((v) => {
    const d = v.data;
    ck.referAt('instrument', d.instrument, v, ['instrument']);
    const rule = convertGateRule(ck, v, d.rule, membersOf, ['rule']);
    const lift = d.lift === undefined ? undefined : convertGateRule(ck, v, d.lift, membersOf, ['lift']);
    const inst = instruments.find((i) => i.id === d.instrument);
    if (lift !== undefined && inst !== undefined && inst.kind !== 'sanction') {
      ck.reportAt(
        v.entry,
        ['lift'],
        'inconsistent',
        `${v.label}: "lift" is for sanctions, and instrument "${d.instrument}" is an engagement; give it kind: sanction, or remove lift`,
      );
    }
    return {
      instrument: d.instrument,
      rule,
      ...(lift === undefined ? {} : { lift }),
      ...(d.rationale === undefined ? {} : { rationale: d.rationale }),
      ...ck.convertSource(v, d.source),
      ...ck.convertValidity(v, d, d.source),
    };
  });
}

/** A term that names neither a benchmark nor a group, reported at `path`. */
function reportUnknownTerm(ck: CaseChecker, v: Valid<unknown>, id: string, path: Path): void {
  if (ck.idsOf('group').length === 0 && !ck.mayBeUnread('group')) {
    ck.referAt('benchmark', id, v, path);
    return;
  }
  if (ck.mayBeUnread('benchmark') || ck.mayBeUnread('group')) return;
  const known = [...ck.idsOf('benchmark'), ...ck.idsOf('group')];
  ck.reportAt(
    v.entry,
    path,
    'unknown-reference',
    `${v.label} refers to unknown benchmark or group "${id}"${known.length === 0 ? ' (no benchmarks are defined in this case)' : ''}${formatSuggestion(id, known)}`,
  );
}

/**
 * The rule in the core's terms: group ids resolved to their members (a group standing for
 * a whole list, or, inside a list, a nested "all of its members"), every id checked.
 */
function convertGateRule(
  ck: CaseChecker,
  v: Valid<unknown>,
  rule: RawGate['rule'],
  membersOf: ReadonlyMap<string, readonly string[]>,
  at: Path,
): GateRule {
  if (rule === 'none') return { kind: 'none' };
  if ('weighted' in rule) {
    for (const benchmark of Object.keys(rule.weighted)) {
      ck.referTo('benchmark', benchmark, v.entry, v.entry.locator.keyAt([...at, 'weighted', benchmark]), v.label);
    }
    const weights = Object.entries(rule.weighted).map(([benchmark, weight]) => ({ benchmark, weight }));
    const total = weights.reduce((sum, w) => sum + w.weight, 0);
    if (rule.threshold > total) {
      ck.reportAt(
        v.entry,
        [...at, 'threshold'],
        'inconsistent',
        `${v.label} rule: threshold ${rule.threshold} exceeds the total weight ${total}, so the gate can never open`,
      );
    }
    return { kind: 'weighted', weights, threshold: rule.threshold };
  }
  return convertNested(ck, v, rule, at, membersOf);
}

function convertNested(
  ck: CaseChecker,
  v: Valid<unknown>,
  rule: RawNestedRule,
  path: Path,
  membersOf: ReadonlyMap<string, readonly string[]>,
): GateRule {
  const [key, terms] =
    'all' in rule ? (['all', rule.all] as const) : 'any' in rule ? (['any', rule.any] as const) : (['of', rule.of] as const);
  const benchmarks: string[] = [];
  const rules: GateRule[] = [];
  const instruments: InstrumentTerm[] = [];
  let group: string | undefined;
  if (typeof terms === 'string') {
    const members = membersOf.get(terms);
    if (members === undefined) {
      if (ck.has('benchmark', terms)) {
        ck.reportAt(
          v.entry,
          [...path, key],
          'schema',
          `${v.label} rule: "${terms}" is a benchmark, not a group; write a list: ${key}: [${terms}]`,
        );
      } else reportUnknownTerm(ck, v, terms, [...path, key]);
    } else {
      benchmarks.push(...members);
      group = terms;
    }
  } else {
    terms.forEach((term, i) => {
      const at = [...path, key, i];
      if (typeof term !== 'string' && 'instrument' in term) {
        ck.referAt('instrument', term.instrument, v, [...at, 'instrument']);
        instruments.push({ instrument: term.instrument, is: term.is ?? 'unlocked' });
        return;
      }
      if (typeof term !== 'string') {
        rules.push(convertNested(ck, v, term, at, membersOf));
        return;
      }
      const members = membersOf.get(term);
      if (members !== undefined) rules.push({ kind: 'all', benchmarks: [...members], group: term });
      else if (ck.has('benchmark', term)) benchmarks.push(term);
      else reportUnknownTerm(ck, v, term, at);
    });
  }
  const extra = {
    ...(rules.length === 0 ? {} : { rules }),
    ...(instruments.length === 0 ? {} : { instruments }),
    ...(group === undefined ? {} : { group }),
  };
  if ('atLeast' in rule) {
    const count = benchmarks.length + rules.length + instruments.length;
    if (rule.atLeast > count) {
      ck.reportAt(
        v.entry,
        [...path, 'atLeast'],
        'inconsistent',
        `${v.label} rule: atLeast ${rule.atLeast} but only ${count} ${group !== undefined ? `member(s) are in group ${group}` : rules.length === 0 ? 'benchmark(s) are listed' : 'term(s) are listed'}, so the gate can never open`,
      );
    }
    return { kind: 'at-least', count: rule.atLeast, benchmarks, ...extra };
  }
  return { kind: key === 'all' ? 'all' : 'any', benchmarks, ...extra };
}

export function buildWaivers(ck: CaseChecker, waivers: readonly Valid<RawWaiver>[]): Waiver[] {
  return waivers.map((v) => {
    const d = v.data;
    ck.referAt('instrument', d.instrument, v, ['instrument']);
    const startWritten = ck.checkPartialDate(v, ['start'], d.start);
    const expiryWritten = d.expiry === undefined ? undefined : ck.checkPartialDate(v, ['expiry'], d.expiry);
    // A partial start is certain from its last day; a partial expiry ends on its first.
    const start = lastDayOf(startWritten ?? String(d.start));
    const expiry = expiryWritten === undefined ? undefined : firstDayOf(expiryWritten);
    // Known from its own `known`, else from its source's date: a waiver used in secret does not apply before it is public.
    const knownWritten =
      d.known !== undefined
        ? ck.checkPartialDate(v, ['known'], d.known)
        : d.source !== undefined && partialDateProblem(String(d.source.date)) === undefined
          ? String(d.source.date)
          : undefined;
    const known = knownWritten === undefined ? undefined : lastDayOf(knownWritten);
    if (startWritten !== undefined && expiryWritten !== undefined && expiry !== undefined && expiry < start) {
      const partial = startWritten !== start || expiryWritten !== expiry;
      ck.reportAt(
        v.entry,
        ['expiry'],
        'bad-date',
        `${v.label}: expiry ${expiryWritten} (${expiry}) is before start ${startWritten} (${start})${
          partial ? '; a partial start takes effect on its last day and a partial expiry ends on its first day' : ''
        }: correct one of them`,
      );
    }
    return {
      id: d.id,
      instrument: d.instrument,
      authority: d.authority,
      rationale: d.rationale,
      start,
      ...(expiry === undefined ? {} : { expiry }),
      ...(known === undefined ? {} : { known }),
      ...ck.convertSource(v, d.source),
    };
  });
}

export function buildJustifications(ck: CaseChecker, justifications: readonly Valid<RawJustification>[]): Justification[] {
  return justifications.map((v) => {
    const d = v.data;
    ck.referAt('instrument', d.instrument, v, ['instrument']);
    ck.referList('interest', d.serves, v, ['serves']);
    ck.referList('evidence', d.evidenceFor, v, ['evidenceFor']);
    ck.referList('evidence', d.evidenceAgainst, v, ['evidenceAgainst']);
    return {
      id: d.id,
      instrument: d.instrument,
      title: d.title,
      claim: d.claim,
      ...(d.claimedBy === undefined ? {} : { claimedBy: d.claimedBy }),
      serves: d.serves,
      evidenceFor: d.evidenceFor ?? [],
      evidenceAgainst: d.evidenceAgainst ?? [],
      ...ck.convertSource(v, d.source),
      ...ck.convertValidity(v, d, d.source),
    };
  });
}

export function buildIssueAreas(ck: CaseChecker, areas: readonly Valid<RawIssueArea>[]): IssueArea[] {
  return areas.map((v) => {
    const d = v.data;
    ck.referAt('interest', d.principalInterest, v, ['principalInterest']);
    ck.referList('evidence', d.evidence.aligned, v, ['evidence', 'aligned']);
    ck.referList('evidence', d.evidence.opposed, v, ['evidence', 'opposed']);
    ck.referList('instrument', d.instruments, v, ['instruments']);
    const aligned = d.evidence.aligned ?? [];
    const opposed = d.evidence.opposed ?? [];
    opposed.forEach((id, i) => {
      if (!aligned.includes(id)) return;
      ck.reportAt(
        v.entry,
        ['evidence', 'opposed', i],
        'inconsistent',
        `${v.label}: evidence "${id}" is listed both as aligned and as opposed; an item shows the counterpart acting with the principal's position or against it: keep it on one side`,
      );
    });
    return {
      id: d.id,
      title: d.title,
      principalInterest: d.principalInterest,
      principalPosition: d.principalPosition,
      ...(d.description === undefined ? {} : { description: d.description }),
      evidence: { aligned, opposed },
      instruments: d.instruments ?? [],
      ...ck.convertSource(v, d.source),
      ...ck.convertValidity(v, d, d.source),
    };
  });
}

const MONITORABLE = ['count', 'sum', 'exists', 'state'] as const;

export function buildMonitoring(
  ck: CaseChecker,
  claims: readonly Valid<RawMonitoring>[],
  indicators: readonly CaseIndicator[],
): Monitoring[] {
  const kinds = new Map(indicators.map((i) => [i.id, i.kind]));
  return claims.map((v) => {
    const d = v.data;
    ck.referList('indicator', d.indicators, v, ['indicators']);
    d.indicators.forEach((id, i) => {
      const kind = kinds.get(id);
      if (kind === undefined || (MONITORABLE as readonly string[]).includes(kind)) return;
      ck.reportAt(
        v.entry,
        ['indicators', i],
        'inconsistent',
        `${v.label} indicators: "${id}" is a ${kind} indicator; monitoring applies to ${MONITORABLE.join(', ')} indicators (a series has the coverage of its loaded data; a latest value rests on its newest item)`,
      );
    });
    const validity = ck.convertValidity(v, d, undefined).validity;
    return {
      id: d.id,
      title: d.title,
      indicators: d.indicators,
      from: validity?.from ?? lastDayOf(String(d.from)),
      ...(validity?.until === undefined ? {} : { until: validity.until }),
      ...(validity?.known === undefined ? {} : { known: validity.known }),
      source: ck.convertSource(v, d.source).source as Monitoring['source'],
      ...(d.note === undefined ? {} : { note: d.note }),
    };
  });
}

function convertIndicator(d: RawIndicator, window: Duration | undefined): CaseIndicator {
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
      return { ...base, kind: 'sum', field: d.field, ...(d.currency === undefined ? {} : { currency: d.currency }), ...windowed };
    case 'latest':
      return { ...base, kind: 'latest', field: d.field };
    case 'state':
      return { ...base, kind: 'state', subjects: d.subjects, on: d.on, off: d.off, initial: d.initial ?? 'unknown' };
    case 'series':
      return {
        ...base,
        kind: 'series',
        source:
          'events' in d.source
            ? {
                store: 'events',
                actor1: d.source.events.actor1 ?? [],
                actor2: d.source.events.actor2 ?? [],
                either: d.source.events.either ?? false,
                rootCodes: d.source.events.root ?? [],
                quadClasses: d.source.events.quad ?? [],
                measure: d.source.measure ?? 'count',
              }
            : { store: 'series', measure: d.source.series, dyad: d.source.dyad },
        aggregate: d.aggregate,
        ...windowed,
        dataset: {
          publisher: d.dataset.publisher,
          title: d.dataset.title,
          date: String(d.dataset.date),
          ...(d.dataset.url === undefined ? {} : { url: d.dataset.url }),
        },
        reliability: d.reliability,
        credibility: d.credibility,
      };
  }
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
 * closes it; `cycle` runs from the reporting actor back to itself.
 */
function forEachMembershipCycle(
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
