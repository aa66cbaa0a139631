/**
 * From located raw items to the core model: validation of each item, then everything a
 * schema cannot check (ids, references, calendar dates, durations, CEL, orderings), then
 * conversion with defaults applied.
 *
 * Contract:
 * - Pure. Every problem is reported, each at the position of the value at fault.
 * - Every id counts as defined, even on an item that fails validation, so one mistake
 *   does not reappear as unknown references elsewhere. An invalid item is checked further
 *   without its faulty keys when it can do without them (they are optional or unknown).
 * - A `Case` is returned only when there are no problems; it and each evidence item are
 *   deeply frozen, and items keep their order (files in the order given).
 */
import type { z } from 'zod';
import type { Benchmark, Case } from '../../core/case-model.ts';
import type { Evidence } from '../../core/evidence.ts';
import { instrumentLoops } from '../../core/gates.ts';
import { buildEvidence } from './build-evidence.ts';
import {
  buildActors,
  buildBenchmarks,
  buildGates,
  buildGroups,
  buildIndicators,
  buildInstruments,
  buildInterests,
  buildIssueAreas,
  buildJustifications,
  buildMonitoring,
  buildReviews,
  buildWaivers,
  checkCaseSection,
} from './build-sections.ts';
import { CaseChecker, type DefinitionKind, readString, type Valid } from './case-checker.ts';
import {
  actorSchema,
  benchmarkSchema,
  caseSchema,
  evidenceItemSchema,
  gateSchema,
  groupSchema,
  indicatorSchema,
  instrumentSchema,
  interestSchema,
  issueAreaSchema,
  justificationSchema,
  type ListSectionName,
  monitoringSchema,
  type RawEvidence,
  reviewSchema,
  type SectionName,
  waiverSchema,
} from './case-schema.ts';
import { deepFreeze } from './deep-freeze.ts';
import { parseEvidenceFast } from './evidence-fast-path.ts';
import { validateItem } from './issues.ts';
import { createProblem, type ItemEntry, type SectionEntry } from './parse-files.ts';
import type { Problem } from './problem.ts';

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

const SECTION_KINDS: Record<ListSectionName, DefinitionKind> = {
  actors: 'actor',
  interests: 'interest',
  instruments: 'instrument',
  indicators: 'indicator',
  benchmarks: 'benchmark',
  groups: 'group',
  gates: 'gate',
  waivers: 'waiver',
  justifications: 'justification',
  reviews: 'review',
  issueAreas: 'issue area',
  monitoring: 'monitoring',
};

interface Labelled<E extends ItemEntry> {
  readonly entry: E;
  readonly label: string;
}

function labelSectionItem(entry: SectionEntry): string {
  if (entry.section === 'gates') {
    const instrument = readString(entry.value, 'instrument');
    return instrument === undefined ? entry.fallbackLabel : `gate for instrument "${instrument}"`;
  }
  const id = readString(entry.value, 'id');
  if (id === undefined) return entry.fallbackLabel;
  return entry.section === 'case' ? `case "${id}"` : `${SECTION_KINDS[entry.section]} "${id}"`;
}

function labelEvidence(entry: ItemEntry): string {
  const id = readString(entry.value, 'id');
  return id === undefined ? entry.fallbackLabel : `evidence "${id}"`;
}

/**
 * Validates the trusted items; returns those that can be checked further. `fast` may
 * accept a valid item before zod does (see evidence-fast-path.ts); zod checks the rest.
 */
function validateAll<S extends z.ZodType>(
  ck: CaseChecker,
  items: readonly Labelled<ItemEntry>[],
  schema: S,
  fast?: (value: unknown) => z.infer<S> | undefined,
): Valid<z.infer<S>>[] {
  const out: Valid<z.infer<S>>[] = [];
  for (const { entry, label } of items) {
    if (!entry.trusted) continue;
    const quick = fast?.(entry.value);
    if (quick !== undefined) {
      out.push({ entry, data: quick, label });
      continue;
    }
    const result = validateItem(schema, entry.value, label, entry.locator);
    for (const m of result.messages) ck.report(entry, m.position, m.code, m.message);
    const data = result.data ?? result.salvaged;
    if (data !== undefined) out.push({ entry, data, label });
  }
  return out;
}

/** Checks and converts a case; see the module contract. */
export function buildCase(input: BuildInput): BuildResult {
  const ck = new CaseChecker(input.nameOf);
  const sections = input.sections.map((entry) => ({ entry, label: labelSectionItem(entry) }));
  const evidenceItems = input.evidence.map((entry) => ({ entry, label: labelEvidence(entry) }));
  for (const { entry, label } of sections) {
    if (entry.section !== 'case') {
      ck.defineId(SECTION_KINDS[entry.section], entry, entry.section === 'gates' ? 'instrument' : 'id', label);
    }
    if (entry.section === 'groups') defineBlocks(ck, entry, label);
  }
  for (const { entry, label } of evidenceItems) ck.defineId('evidence', entry, 'id', label);
  const of = (section: SectionName) => sections.filter((s) => s.entry.section === section);

  const cases = validateAll(ck, of('case'), caseSchema);
  const actors = validateAll(ck, of('actors'), actorSchema);
  const interests = validateAll(ck, of('interests'), interestSchema);
  const instruments = validateAll(ck, of('instruments'), instrumentSchema);
  const indicators = validateAll(ck, of('indicators'), indicatorSchema);
  const benchmarks = validateAll(ck, of('benchmarks'), benchmarkSchema);
  const groups = validateAll(ck, of('groups'), groupSchema);
  const gates = validateAll(ck, of('gates'), gateSchema);
  const waivers = validateAll(ck, of('waivers'), waiverSchema);
  const justifications = validateAll(ck, of('justifications'), justificationSchema);
  const reviews = validateAll(ck, of('reviews'), reviewSchema);
  const issueAreas = validateAll(ck, of('issueAreas'), issueAreaSchema);
  const monitoring = validateAll(ck, of('monitoring'), monitoringSchema);
  const evidence = validateAll(ck, evidenceItems, evidenceItemSchema, parseEvidenceFast);

  checkCaseSectionCount(ck, of('case'), input);
  const theCase = cases[0];
  if (theCase !== undefined) checkCaseSection(ck, theCase);

  const failedIndicators = new Set<string>();
  for (const { entry } of of('indicators')) {
    const id = readString(entry.value, 'id');
    if (id !== undefined && !indicators.some((v) => v.entry === entry)) failedIndicators.add(id);
  }
  const calendars = new Set<string>();
  for (const { entry } of of('reviews')) {
    const calendar = readString(entry.value, 'calendar');
    if (calendar !== undefined) calendars.add(calendar);
  }
  const builtIndicators = buildIndicators(ck, indicators, failedIndicators);
  const builtGroups = buildGroups(ck, groups, benchmarks);
  const builtInstruments = buildInstruments(ck, instruments, builtGroups);
  const model = {
    actors: buildActors(ck, actors),
    interests: buildInterests(ck, interests),
    instruments: builtInstruments,
    indicators: builtIndicators.indicators,
    benchmarks: buildBenchmarks(ck, benchmarks, { indicatorTypes: builtIndicators.types, failedIndicators, calendars }),
    ...(builtGroups.length === 0 ? {} : { groups: builtGroups }),
    gates: buildGates(ck, gates, builtGroups, builtInstruments),
    waivers: buildWaivers(ck, waivers),
    justifications: buildJustifications(ck, justifications),
    reviews: buildReviews(ck, reviews),
    issueAreas: buildIssueAreas(ck, issueAreas),
    monitoring: buildMonitoring(ck, monitoring, builtIndicators.indicators),
  };
  const caseStale = theCase?.data.stale === undefined ? undefined : ck.checkDuration(theCase, ['stale'], theCase.data.stale);
  reportGateLoops(ck, gates, model);
  const evidenceModels = buildEvidence(ck, evidence);
  checkFindings(ck, evidence, model.benchmarks);

  if (ck.problems.length > 0 || theCase === undefined) return { problems: ck.problems, evidence: [] };
  const c = theCase.data;
  const built: Case = {
    id: c.id,
    title: c.title,
    principal: c.principal,
    counterpart: c.counterpart,
    ...(c.description === undefined ? {} : { description: c.description }),
    ...model,
    ...(caseStale === undefined ? {} : { stale: caseStale }),
  };
  return { problems: [], case: deepFreeze(built), evidence: evidenceModels.map((e) => deepFreeze(e)) };
}

/**
 * A finding no benchmark would read is a mistake the engine would otherwise pass over in
 * silence: one about a benchmark not decided by findings, or by an assessor written
 * differently only in case or spacing from the one the benchmark names.
 */
export function checkFindings(ck: CaseChecker, evidence: readonly Valid<RawEvidence>[], benchmarks: readonly Benchmark[]): void {
  const byId = new Map(benchmarks.map((b) => [b.id, b]));
  const norm = (t: string) => t.trim().replace(/\s+/g, ' ').toLowerCase();
  for (const v of evidence) {
    const f = v.data.finding;
    if (f === undefined) continue;
    const b = byId.get(f.benchmark);
    if (b === undefined) continue; // an unknown benchmark is reported by buildEvidence
    if (b.finding === undefined) {
      ck.reportAt(
        v.entry,
        ['finding', 'benchmark'],
        'inconsistent',
        `${v.label}: benchmark "${b.id}" is not decided by findings (it has no "finding:"), so this finding would never be read; add finding: {assessor: ${f.assessor}} to the benchmark, or record the entry without a finding`,
      );
      continue;
    }
    const wanted = b.finding.assessor;
    if (wanted !== undefined && wanted !== f.assessor && norm(wanted) === norm(f.assessor)) {
      ck.reportAt(
        v.entry,
        ['finding', 'assessor'],
        'inconsistent',
        `${v.label}: assessor "${f.assessor}" differs from "${wanted}", which benchmark "${b.id}" reads, only in case or spacing; write "${wanted}"`,
      );
    }
  }
}

/** Gates that read each other's instruments in a loop: each loop once, at the gate of its first instrument. */
function reportGateLoops(
  ck: CaseChecker,
  gates: readonly Valid<z.infer<typeof gateSchema>>[],
  model: Pick<Case, 'instruments' | 'gates'>,
): void {
  for (const loop of instrumentLoops(model)) {
    const first = loop[0] as string;
    const v = gates.find((g) => g.data.instrument === first);
    if (v === undefined) continue;
    ck.reportAt(
      v.entry,
      ['rule'],
      'inconsistent',
      `${v.label} is part of a loop: ${loop.join(' → ')}; a gate cannot wait for an instrument whose gate waits for it — break the loop`,
    );
  }
}

/** A group's blocks define group ids too (gate rules may name them). */
function defineBlocks(ck: CaseChecker, entry: SectionEntry, label: string): void {
  const value = entry.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  const blocks = (value as Record<string, unknown>).blocks;
  if (!Array.isArray(blocks)) return;
  blocks.forEach((b: unknown, i) => {
    ck.defineAt('group', entry, ['blocks', i, 'id'], readString(b, 'id'), `${label} block #${i + 1}`);
  });
}

/** Exactly one `case` section across the case files. */
function checkCaseSectionCount(ck: CaseChecker, cases: readonly Labelled<SectionEntry>[], input: BuildInput): void {
  const [first, ...more] = cases;
  if (first === undefined) {
    if (!input.hasBrokenCaseFile) {
      ck.problems.push(
        createProblem(
          input.folderFile,
          { line: 1, col: 1 },
          'missing-case',
          'no case file has a "case" section; add one (case: {id, title, principal, counterpart}) to exactly one file',
        ),
      );
    }
    return;
  }
  const firstLine = first.entry.locator.keyAt([]).line;
  for (const { entry } of more) {
    if (!entry.trusted) continue;
    ck.report(
      entry,
      entry.locator.keyAt([]),
      'duplicate-case',
      `the "case" section is given again (first at ${input.nameOf(first.entry.file)}:${firstLine}); a case folder has exactly one: remove one of them`,
    );
  }
}
