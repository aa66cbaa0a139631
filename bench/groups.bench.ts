/**
 * bench:groups — a case of benchmark lists decided by assessors' findings (issue 14): 20
 * groups of 50 members (1,000 benchmarks) with blocks, members in CSV tables, 100,000
 * evidence items, mostly findings; validated from texts (`parseCaseFiles`) and assessed at
 * a fixed date, against the same content written the way it had to be before groups and
 * findings existed, measured in the same run.
 *
 *   npm run bench:groups [-- --groups 20 --members 50 --blocks 5 --evidence 100000 --conditions 0.2 --pass 0.45 --rounds 3 --seed 42 --as-of 2025-06-30]
 *
 * (`node --expose-gc --import tsx bench/groups.bench.ts` collects garbage before each timed
 * validation, so one side's leftovers are not collected on the other's time.)
 *
 * Groups case: one `case.yaml` (three shared indicators, one group per list with blocks and
 * the defaults `benchmark: {finding: {assessor: Assessor}, verification, stale}`, gates with
 * `{atLeast: k, of: group}` — k is --pass of the list — nested rules and blocks as terms),
 * one CSV table per group in
 * `tables/` (--conditions, a fifth, of the members with a CEL `condition` over the shared
 * indicators: a law in force, a count of incidents over 12 months, a latest score), and
 * JSONL evidence: a report per list about every quarter since 2004 grading each member
 * (grades drift between not fulfilled, partially fulfilled and fulfilled; some not assessed;
 * some graded by another assessor, whom the members ignore; a few below the verification
 * bar), plus items for the shared indicators.
 *
 * Baseline ("one indicator per benchmark"): no groups and no findings. Each benchmark is
 * written out in `benchmarks.yaml` with its own `latest` indicator in `indicators.yaml`
 * (`kinds: [assessment-<id>]`, `where: '"assessor:Assessor" in tags'`, field `value`) and
 * the clause `grade_<id> >= 2.0` before its condition; each finding becomes an item of kind
 * `assessment-<id>` with `quantity.value` = 2 fulfilled, 1 partially, 0 not fulfilled, -1
 * not assessed, and its assessor and grade as tags (same ids, dates and sources). A kind per
 * benchmark is the fast way to write it with the old features (the matcher indexes
 * indicators by kind); one shared kind with a `where` per benchmark would run every filter
 * on every finding. Gates become flat `atLeast` lists: exact for the per-list gates, an
 * approximation (same members, a count) for the nested ones.
 *
 * Agreement: met in one iff met in the other, per benchmark (partial, which has no old
 * equivalent, counts as not met; so does not assessed, which is unknown with findings and
 * -1 in the baseline). Per-list gates are compared too; where the groups case says unknown
 * (a not-assessed member could tip it) the baseline, which cannot say unknown, decides.
 *
 * Timing: after an untimed warm-up of both on a small case, best of --rounds rounds
 * (alternating which side goes first), each round validating both from the texts and
 * assessing each validated case at --as-of (fresh case and evidence objects every round,
 * so nothing compiled or cached by an earlier round is reused). Printed, never asserted.
 */
import { createHash } from 'node:crypto';
import { type CaseFileText, type LoadCaseResult, parseCaseFiles } from '../src/adapters/case-files/load-case.ts';
import { type Assessment, assess } from '../src/core/assess.ts';
import { addDays, fromDayNumber, toDayNumber } from '../src/core/dates.ts';
import { benchArg } from './bench-args.ts';
import { mulberry32 } from './synthetic-case.ts';

interface GroupsOptions {
  readonly groups: number;
  readonly members: number;
  readonly blocks: number;
  readonly evidence: number;
  /** Share of members with a condition over the shared indicators. */
  readonly conditions: number;
  /** Share of a list its own gate requires. */
  readonly pass: number;
  readonly seed: number;
}

const opts: GroupsOptions = {
  groups: Number(benchArg('groups', '20')),
  members: Number(benchArg('members', '50')),
  blocks: Number(benchArg('blocks', '5')),
  evidence: Number(benchArg('evidence', '100000')),
  conditions: Number(benchArg('conditions', '0.2')),
  pass: Number(benchArg('pass', '0.45')),
  seed: Number(benchArg('seed', '42')),
};
const rounds = Number(benchArg('rounds', '3'));
const asOf = benchArg('as-of', '2025-06-30');
const FROM = '2004-01-01';
const TO = '2025-12-31';
const TARGET_VALIDATE_MS = 2000;
const TARGET_ASSESS_MS = 1000;

type Grade = 'fulfilled' | 'partially-fulfilled' | 'not-fulfilled' | 'not-assessed';
/** The grades an assessor's member drifts between, by level. */
const GRADES: readonly Grade[] = ['not-fulfilled', 'partially-fulfilled', 'fulfilled'];
const ALL_GRADES: readonly Grade[] = ['fulfilled', 'partially-fulfilled', 'not-fulfilled', 'not-assessed'];
const GRADE_VALUE: Record<Grade, number> = {
  fulfilled: 2,
  'partially-fulfilled': 1,
  'not-fulfilled': 0,
  'not-assessed': -1,
};

interface Member {
  readonly id: string;
  readonly title: string;
  readonly block: string;
  readonly condition: string | undefined;
}

interface Finding {
  readonly id: string;
  readonly benchmark: string;
  readonly grade: Grade;
  readonly assessor: string;
  readonly occurred: string;
  readonly reported: string;
  readonly recorded: string;
  readonly reliability: string;
  readonly credibility: number;
  readonly report: string;
}

interface Generated {
  readonly groupsCase: CaseFileText[];
  readonly baselineCase: CaseFileText[];
  readonly benchmarks: number;
  readonly findings: number;
  readonly shared: number;
  /** Instrument ids whose baseline gate is an exact rewrite (the per-list gates). */
  readonly exactGates: readonly string[];
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** The texts of both cases, deterministic for the options (mulberry32). */
function generate(o: GroupsOptions): Generated {
  const rand = mulberry32(o.seed);
  const gw = Math.max(2, String(o.groups).length);
  const mw = Math.max(2, String(o.members).length);
  const groupId = (g: number) => `g${pad(g + 1, gw)}`;
  const blockId = (g: number, k: number) => `${groupId(g)}-k${k + 1}`;
  const gradeIndicator = (id: string) => `grade_${id.replaceAll('-', '_')}`;
  const start = toDayNumber(FROM);
  const span = toDayNumber(TO) - start;
  const years = span / 365.25;

  // Findings fill ~90% of the evidence, as whole reports (every member of a list graded).
  const perReport = o.groups * o.members;
  const reports = Math.max(1, Math.floor((0.9 * o.evidence) / perReport));
  const findingsCount = reports * perReport;
  const shared = Math.max(0, o.evidence - findingsCount);
  const laws = shared === 0 ? 0 : Math.max(1, Math.round(shared * 0.001));
  const scores = Math.round(shared * 0.099);
  const incidents = shared - laws - scores;
  const incidentBar = Math.max(1, Math.round(incidents / years));
  const conditions = [
    'law_in_force',
    `incidents <= ${incidentBar}`,
    'reform_score >= 50.0',
    `law_in_force && incidents <= ${Math.round(incidentBar * 1.1)}`,
  ];

  // Members, in groups and blocks; a fifth of them with a condition.
  const members: Member[][] = [];
  for (let g = 0; g < o.groups; g++) {
    const list: Member[] = [];
    for (let m = 0; m < o.members; m++) {
      const k = Math.floor((m * o.blocks) / o.members);
      list.push({
        id: `${groupId(g)}-m${pad(m + 1, mw)}`,
        title: `List ${g + 1} block ${k + 1} measure ${m + 1}`,
        block: blockId(g, k),
        condition: rand() < o.conditions ? conditions[Math.floor(rand() * conditions.length)] : undefined,
      });
    }
    members.push(list);
  }
  const all = members.flat();

  // Findings: per list, a report about every (span / reports) days, grading every member.
  const findingsByGroup: Finding[][] = [];
  const step = Math.floor(span / reports);
  const jitter = Math.max(0, Math.min(10, Math.floor(step / 3)));
  for (let g = 0; g < o.groups; g++) {
    const out: Finding[] = [];
    const level = members[g]?.map(() => {
      const r = rand();
      return r < 0.5 ? 0 : r < 0.8 ? 1 : 2;
    }) as number[];
    for (let r = 0; r < reports; r++) {
      const day = start + ((g * 7) % Math.max(1, step)) + r * step + Math.floor(rand() * (jitter + 1));
      const occurred = fromDayNumber(Math.min(day, start + span));
      (members[g] as Member[]).forEach((mem, i) => {
        const x = rand();
        let lv = level[i] as number;
        if (x < 0.04) lv = Math.min(2, lv + 1);
        else if (x < 0.06) lv = Math.max(0, lv - 1);
        level[i] = lv;
        const observer = rand() < 0.05;
        const grade: Grade = observer
          ? (ALL_GRADES[Math.floor(rand() * ALL_GRADES.length)] as Grade)
          : rand() < 0.06
            ? 'not-assessed'
            : (GRADES[lv] as Grade);
        const lag = rand() < 0.1 ? 1 + Math.floor(rand() * 30) : 0;
        const reported = addDays(occurred, lag);
        const weak = rand() < 0.03;
        out.push({
          id: `f-${groupId(g)}-r${pad(r + 1, 3)}-m${mem.id.slice(-mw)}`,
          benchmark: mem.id,
          grade,
          assessor: observer ? 'Observer' : 'Assessor',
          occurred,
          reported,
          recorded: addDays(reported, 2),
          reliability: weak ? 'C' : 'A',
          credibility: weak ? 3 : 1,
          report: `${observer ? 'Observer' : 'Assessor'} report ${r + 1} on list ${g + 1}`,
        });
      });
    }
    findingsByGroup.push(out);
  }

  // Shared items: incidents (count), reform scores (latest value), laws in force (exists).
  const sharedLines: string[] = [];
  const sharedDays: { kind: string; day: number; value?: number }[] = [];
  for (let i = 0; i < laws; i++)
    sharedDays.push({ kind: 'law-in-force', day: start + 1500 + Math.floor(rand() * (span - 1500)) });
  for (let i = 0; i < scores; i++)
    sharedDays.push({ kind: 'reform-score', day: start + Math.floor(rand() * span), value: Math.floor(rand() * 100) });
  for (let i = 0; i < incidents; i++) sharedDays.push({ kind: 'incident', day: start + Math.floor(rand() * span) });
  sharedDays.sort((a, b) => a.day - b.day);
  sharedDays.forEach((s, i) => {
    const date = fromDayNumber(s.day);
    sharedLines.push(
      JSON.stringify({
        id: `s-${pad(i + 1, 6)}`,
        kind: s.kind,
        actors: ['borduria'],
        description: `Synthetic ${s.kind}`,
        occurred: date,
        reported: date,
        recorded: addDays(date, 1),
        ...(s.value === undefined ? {} : { quantity: { value: s.value, of: 100 } }),
        sources: [{ publisher: 'Synthetic wire', title: `Synthetic ${s.kind} report`, date, reliability: 'B', credibility: 2 }],
      }),
    );
  });

  const source = (f: Finding) => ({
    publisher: f.assessor,
    title: f.report,
    date: f.occurred,
    reliability: f.reliability,
    credibility: f.credibility,
  });
  const groupsEvidence = findingsByGroup.map((list, g) => ({
    name: `evidence/findings-${groupId(g)}.jsonl`,
    text: `${list
      .map((f) =>
        JSON.stringify({
          id: f.id,
          kind: 'assessment',
          actors: ['borduria'],
          description: `${f.report}: ${f.benchmark} ${f.grade}`,
          occurred: f.occurred,
          reported: f.reported,
          recorded: f.recorded,
          finding: { benchmark: f.benchmark, grade: f.grade, assessor: f.assessor },
          sources: [source(f)],
        }),
      )
      .join('\n')}\n`,
  }));
  const baselineEvidence = findingsByGroup.map((list, g) => ({
    name: `evidence/findings-${groupId(g)}.jsonl`,
    text: `${list
      .map((f) =>
        JSON.stringify({
          id: f.id,
          kind: `assessment-${f.benchmark}`,
          actors: ['borduria'],
          description: `${f.report}: ${f.benchmark} ${f.grade}`,
          occurred: f.occurred,
          reported: f.reported,
          recorded: f.recorded,
          quantity: { value: GRADE_VALUE[f.grade] },
          tags: [`assessor:${f.assessor}`, `grade:${f.grade}`],
          sources: [source(f)],
        }),
      )
      .join('\n')}\n`,
  }));
  const sharedFile = { name: 'evidence/shared.jsonl', text: `${sharedLines.join('\n')}\n` };

  // The parts both cases share.
  const instruments: string[] = [];
  for (let g = 0; g < o.groups; g++)
    instruments.push(`  - {id: programme-${groupId(g)}, title: Programme tied to list ${g + 1}, tier: 2}`);
  instruments.push('  - {id: accession, title: Accession talks, tier: 4}');
  instruments.push('  - {id: association, title: Association agreement, tier: 3}');
  const head = [
    'case:',
    '  id: bench-groups',
    '  title: Synthetic benchmark lists graded by assessors (bench:groups)',
    '  principal: union',
    '  counterpart: borduria',
    'actors:',
    '  - {id: union, name: The Union, kind: organization}',
    '  - {id: borduria, name: Borduria, kind: state}',
    'interests:',
    '  - {id: security, title: Internal security, rank: 1, weight: 0.6}',
    '  - {id: mobility, title: People-to-people contacts, rank: 2, weight: 0.4}',
    'instruments:',
    ...instruments,
  ];
  const sharedIndicators = [
    '  - {id: law_in_force, title: Law in force, kind: exists, kinds: [law-in-force]}',
    '  - {id: incidents, title: Incidents in the last year, kind: count, kinds: [incident], window: P12M}',
    '  - {id: reform_score, title: Latest reform score, kind: latest, kinds: [reform-score], field: value}',
  ];
  const defaults = {
    verification: '{minReliability: B, minCredibility: 2}',
    stale: 'P24M',
  };

  // Gates: per list, at least --pass of it (0.45: some lists pass, some not, some unknown);
  // accession: half the lists at 40% and a block, nested; association: three of four blocks.
  const perList = Math.max(1, Math.round(o.members * o.pass));
  const lists = Math.max(1, Math.ceil(o.groups * 0.5));
  const perListInAccession = Math.max(1, Math.round(o.members * 0.4));
  const assocBlocks = [...new Set([0, 1, 2, 3].map((i) => `${i % o.groups}:${Math.min(o.blocks - 1, i % o.blocks)}`))].map(
    (s) => s.split(':').map(Number) as [number, number],
  );
  const assocCount = Math.min(3, assocBlocks.length);
  const blockMembers = (g: number, k: number) => (members[g] as Member[]).filter((m) => m.block === blockId(g, k));
  const otherBlocks = [1 % o.groups, 2 % o.groups].map((g, i) => blockId(g, Math.min(o.blocks - 1, i + 1)));

  const groupGates: string[] = [];
  const flatGates: string[] = [];
  const exactGates: string[] = [];
  for (let g = 0; g < o.groups; g++) {
    exactGates.push(`programme-${groupId(g)}`);
    groupGates.push(`  - instrument: programme-${groupId(g)}`, `    rule: {atLeast: ${perList}, of: ${groupId(g)}}`);
    flatGates.push(
      `  - instrument: programme-${groupId(g)}`,
      `    rule: {atLeast: ${perList}, of: [${(members[g] as Member[]).map((m) => m.id).join(', ')}]}`,
    );
  }
  groupGates.push(
    '  - instrument: accession',
    '    rule:',
    '      all:',
    `        - {atLeast: ${lists}, of: [${members.map((_, g) => `{atLeast: ${perListInAccession}, of: ${groupId(g)}}`).join(', ')}]}`,
    `        - ${blockId(0, 0)}`,
    `        - {any: [${[...new Set(otherBlocks)].join(', ')}]}`,
    '    rationale: Most lists mostly done, and all of the first block (synthetic).',
    '  - instrument: association',
    `    rule: {atLeast: ${assocCount}, of: [${assocBlocks.map(([g, k]) => blockId(g, k)).join(', ')}]}`,
  );
  const blockSize = Math.ceil(o.members / o.blocks);
  flatGates.push(
    '  - instrument: accession',
    `    rule: {atLeast: ${Math.min(all.length, lists * perListInAccession + blockSize)}, of: [${all.map((m) => m.id).join(', ')}]}`,
    '    rationale: Most lists mostly done, and all of the first block (synthetic; flat approximation).',
    '  - instrument: association',
    `    rule: {atLeast: ${assocCount * blockSize}, of: [${assocBlocks.flatMap(([g, k]) => blockMembers(g, k).map((m) => m.id)).join(', ')}]}`,
  );

  // The groups case: case.yaml and one CSV table per list.
  const groupsYaml = [...head, 'indicators:', ...sharedIndicators, 'groups:'];
  const tables: CaseFileText[] = [];
  for (let g = 0; g < o.groups; g++) {
    groupsYaml.push(
      `  - id: ${groupId(g)}`,
      `    title: Benchmark list ${g + 1}`,
      '    source: {publisher: Synthetic test data, title: Synthetic list, date: 2004-01-01}',
      '    blocks:',
      ...Array.from({ length: o.blocks }, (_, k) => `      - {id: ${blockId(g, k)}, title: List ${g + 1} block ${k + 1}}`),
      '    benchmark:',
      '      finding: {assessor: Assessor}',
      `      verification: ${defaults.verification}`,
      `      stale: ${defaults.stale}`,
      `    table: ${groupId(g)}.csv`,
    );
    tables.push({
      name: `tables/${groupId(g)}.csv`,
      text: `id,title,block,condition\n${(members[g] as Member[])
        .map((m) => `${m.id},${m.title},${m.block},${m.condition ?? ''}`)
        .join('\n')}\n`,
    });
  }
  groupsYaml.push('gates:', ...groupGates);

  // The baseline: case.yaml (shared parts, flat gates), indicators.yaml, benchmarks.yaml.
  const baselineYaml = [...head, 'indicators:', ...sharedIndicators, 'gates:', ...flatGates];
  const indicatorsYaml = ['indicators:'];
  const benchmarksYaml = ['benchmarks:'];
  for (const m of all) {
    const ind = gradeIndicator(m.id);
    indicatorsYaml.push(
      `  - id: ${ind}`,
      `    title: Latest grade of ${m.id} by the Assessor`,
      '    kind: latest',
      `    kinds: [assessment-${m.id}]`,
      `    where: '"assessor:Assessor" in tags'`,
      '    field: value',
    );
    const clauses = [`${ind} >= 2.0`, ...(m.condition === undefined ? [] : [m.condition])];
    benchmarksYaml.push(
      `  - id: ${m.id}`,
      `    title: ${m.title}`,
      `    conditions: [${clauses.map((c) => JSON.stringify(c)).join(', ')}]`,
      `    verification: ${defaults.verification}`,
      `    stale: ${defaults.stale}`,
    );
  }

  return {
    groupsCase: [{ name: 'case.yaml', text: `${groupsYaml.join('\n')}\n` }, ...tables, ...groupsEvidence, sharedFile],
    baselineCase: [
      { name: 'case.yaml', text: `${baselineYaml.join('\n')}\n` },
      { name: 'indicators.yaml', text: `${indicatorsYaml.join('\n')}\n` },
      { name: 'benchmarks.yaml', text: `${benchmarksYaml.join('\n')}\n` },
      ...baselineEvidence,
      sharedFile,
    ],
    benchmarks: all.length,
    findings: findingsCount,
    shared,
    exactGates,
  };
}

const time = <T>(f: () => T): [T, number] => {
  const t = performance.now();
  const v = f();
  return [v, performance.now() - t];
};
const gc = (globalThis as { gc?: () => void }).gc;

function validated(name: string, files: readonly CaseFileText[]): Extract<LoadCaseResult, { ok: true }> {
  const r = parseCaseFiles(`bench-${name}`, files);
  if (!r.ok) {
    const shown = r.problems.slice(0, 5).map((p) => `  ${p.file}:${p.line}:${p.col} ${p.code} ${p.message}`);
    throw new Error(`the ${name} case does not validate (${r.problems.length} problems):\n${shown.join('\n')}`);
  }
  return r;
}

const bytes = (files: readonly CaseFileText[]) => files.reduce((n, f) => n + Buffer.byteLength(f.text), 0);
const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
const ms = (t: number) => `${t.toFixed(0)} ms`.padStart(8);

const [gen, tGen] = time(() => generate(opts));
console.log(
  `synthetic case: ${opts.groups} groups x ${opts.members} members = ${gen.benchmarks} benchmarks, ${opts.blocks} blocks per group; ${gen.findings + gen.shared} evidence items (${gen.findings} findings, ${gen.shared} for the shared indicators); assessed as of ${asOf} (generated in ${tGen.toFixed(0)} ms)`,
);
console.log(
  `  groups case:   ${gen.groupsCase.length} files, ${mib(bytes(gen.groupsCase))} (case.yaml ${gen.groupsCase[0]?.text.split('\n').length ?? 0} lines, ${opts.groups} CSV tables)`,
);
console.log(
  `  baseline case: ${gen.baselineCase.length} files, ${mib(bytes(gen.baselineCase))} (one latest indicator and one benchmark written out per member, flat gates)`,
);

// Warm-up, untimed, identical for both: a small case of the same shape.
{
  const small = generate({ ...opts, groups: 2, evidence: 5000 });
  for (const [name, files] of [
    ['groups', small.groupsCase],
    ['baseline', small.baselineCase],
  ] as const) {
    const r = validated(name, files);
    assess(r.case, r.evidence, asOf);
  }
}

/** What the comparison needs of an assessment (kept instead of the assessment, so the live heap stays small). */
interface Summary {
  readonly statuses: ReadonlyMap<string, string>;
  readonly decisions: ReadonlyMap<string, string>;
  readonly groups: number;
}
const summarise = (a: Assessment): Summary => ({
  statuses: new Map(a.benchmarks.map((b) => [b.id, b.status])),
  decisions: new Map(a.instruments.map((i) => [i.id, i.decision])),
  groups: a.groups.length,
});

interface Side {
  readonly name: 'groups' | 'baseline';
  readonly files: readonly CaseFileText[];
  validate: number;
  assess: number;
  last: Summary | undefined;
}
const side = (name: Side['name'], files: readonly CaseFileText[]): Side => ({
  name,
  files,
  validate: Number.POSITIVE_INFINITY,
  assess: Number.POSITIVE_INFINITY,
  last: undefined,
});
const sides: Side[] = [side('groups', gen.groupsCase), side('baseline', gen.baselineCase)];
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? sides : [...sides].reverse();
  const line: string[] = [];
  for (const s of order) {
    gc?.();
    const [r, tv] = time(() => validated(s.name, s.files));
    const [a, ta] = time(() => assess(r.case, r.evidence, asOf));
    s.validate = Math.min(s.validate, tv);
    s.assess = Math.min(s.assess, ta);
    s.last = summarise(a);
    line.push(`${s.name} validate ${tv.toFixed(0)} ms, assess ${ta.toFixed(0)} ms`);
  }
  console.log(`round ${round + 1}: ${line.join('; ')}`);
}

// Agreement on the decisions.
const [groupsSide, baselineSide] = sides as [Side, Side];
const ga = groupsSide.last as Summary;
const ba = baselineSide.last as Summary;
const count = (a: Summary) => {
  const n = new Map<string, number>();
  for (const status of a.statuses.values()) n.set(status, (n.get(status) ?? 0) + 1);
  return [...n].map(([k, v]) => `${k} ${v}`).join(', ');
};
let benchDisagree = 0;
for (const [id, status] of ga.statuses) if ((status === 'met') !== (ba.statuses.get(id) === 'met')) benchDisagree += 1;
let gateAgree = 0;
let gateDiffUnknown = 0;
let gateDiffOther = 0;
for (const id of gen.exactGates) {
  const decision = ga.decisions.get(id);
  if (decision === ba.decisions.get(id)) gateAgree += 1;
  else if (decision === 'unknown') gateDiffUnknown += 1;
  else gateDiffOther += 1;
}
const nested = [...ga.decisions].filter(([id]) => !gen.exactGates.includes(id));
console.log(`\nstatuses, groups:   ${count(ga)}`);
console.log(`statuses, baseline: ${count(ba)}`);
console.log(
  `agreement: ${ga.statuses.size - benchDisagree} of ${ga.statuses.size} benchmarks met in both or in neither (${benchDisagree} disagree; partial and not assessed count as not met)`,
);
const decisionCounts = (a: Summary) => {
  const n = new Map<string, number>();
  for (const id of gen.exactGates) n.set(a.decisions.get(id) ?? '?', (n.get(a.decisions.get(id) ?? '?') ?? 0) + 1);
  return [...n].map(([k, v]) => `${k} ${v}`).join(', ');
};
console.log(
  `  per-list gates: ${gateAgree} of ${gen.exactGates.length} same decision; ${gateDiffUnknown} unknown with groups only (a not-assessed member could tip them), ${gateDiffOther} other differences (groups: ${decisionCounts(ga)}; baseline: ${decisionCounts(ba)})`,
);
console.log(
  `  nested gates (flat approximation in the baseline, not compared): ${nested.map(([id, d]) => `${id} ${d} / ${ba.decisions.get(id)}`).join(', ')}`,
);
console.log(`  groups summarised: ${ga.groups} (groups and blocks)`);

// For reading (one run each, after the timed rounds, on fresh copies): what the paths to
// unlock and the sensitivity searches add (`analyses: false`), and what hashing the input
// digest with the core's own SHA-256 (its WebAssembly kernel; @noble/hashes where WebAssembly is
// unavailable) costs against Node's.
const nodeSha256 = () => createHash('sha256');
const parts = sides.map((s) => {
  gc?.();
  const r1 = validated(s.name, s.files);
  const [, tPlain] = time(() => assess(r1.case, r1.evidence, asOf, { analyses: false }));
  const r2 = validated(s.name, s.files);
  const [, tNative] = time(() => assess(r2.case, r2.evidence, asOf, { analyses: false, sha256: nodeSha256 }));
  return `${s.name} ${tPlain.toFixed(0)} ms without analyses, ${tNative.toFixed(0)} ms also with Node's SHA-256`;
});
console.log(`\nfor reading (one run each): assess ${parts.join('; ')}`);

const ratio = (a: number, b: number) =>
  `${(a / b).toFixed(2)} (${a <= b ? `${(b / a).toFixed(2)}x faster` : `${(a / b).toFixed(2)}x slower`})`;
console.log(`\nbest of ${rounds} rounds:`);
console.log(`                 validate   assess`);
console.log(`  baseline      ${ms(baselineSide.validate)} ${ms(baselineSide.assess)}`);
console.log(`  groups        ${ms(groupsSide.validate)} ${ms(groupsSide.assess)}`);
console.log(`ratio groups/baseline: validate ${ratio(groupsSide.validate, baselineSide.validate)}`);
console.log(`                       assess   ${ratio(groupsSide.assess, baselineSide.assess)}`);
const vMet = groupsSide.validate < TARGET_VALIDATE_MS;
const aMet = groupsSide.assess < TARGET_ASSESS_MS;
console.log(
  `targets (groups case): validate < ${TARGET_VALIDATE_MS} ms: ${vMet ? 'met' : 'NOT met'}; assess < ${TARGET_ASSESS_MS} ms: ${aMet ? 'met' : 'NOT met'}`,
);
console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB (whole process, both cases)`);
if (benchDisagree > 0 || gateDiffOther > 0) process.exitCode = 1;
