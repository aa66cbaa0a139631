/**
 * The case-files adapter: reads a case folder (docs/case-format.md) into a validated,
 * frozen `Case` and its evidence, or every problem found, each at its file, line and
 * column.
 *
 * Contract:
 * - `loadCase(dir)` reads every top-level `*.yaml`/`*.yml` file, every member table in
 *   `dir/tables/` (named by groups; see group-members.ts) and every file of
 *   `dir/evidence/` (`*.yaml`, `*.yml`, `*.jsonl`, `*.csv`; anything else is a problem;
 *   hidden files are ignored), in name order. Problems name files as `path.join(dir, name)`.
 * - `parseCaseFiles` does the same from texts, without touching the file system.
 * - On success the `Case` and the evidence are deeply frozen and keep file order.
 * - Problems are sorted by file (in reading order), then line and column.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Case } from '../../core/case-model.ts';
import type { Evidence } from '../../core/evidence.ts';
import { compareText as compareNames } from '../../core/order.ts';
import { buildCase } from './build-case.ts';
import { expandGroupMembers, TABLES_DIR, type TableText } from './group-members.ts';
import { type ItemEntry, parseCaseFile, parseEvidenceFile, type SectionEntry } from './parse-files.ts';
import { formatProblem, type Problem } from './problem.ts';

export type { Position, ProblemCode } from './problem.ts';
export { formatProblem, type Problem };

export type LoadCaseResult =
  | { readonly ok: true; readonly case: Case; readonly evidence: Evidence[]; readonly files: string[] }
  | { readonly ok: false; readonly problems: Problem[] };

export interface CaseFileText {
  /** Path relative to the case folder: `actors.yaml`, or `evidence/<name>` for evidence. */
  readonly name: string;
  readonly text: string;
}

const EVIDENCE_DIR = 'evidence';

function isCaseFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return !name.startsWith('.') && (lower.endsWith('.yaml') || lower.endsWith('.yml'));
}

/**
 * Checks and converts a case given as texts. Names without a folder are case files (any
 * that are not YAML are ignored); names under `evidence/` are evidence files.
 */
/** Problems in file order (the folder's order), then by line and column. */
function sortedProblems(problems: Problem[], nameByPath: ReadonlyMap<string, string>): Problem[] {
  const order = new Map([...nameByPath.keys()].map((path, index) => [path, index]));
  const rank = (p: Problem): number => order.get(p.file) ?? -1;
  return problems.sort((a, b) => rank(a) - rank(b) || a.line - b.line || a.col - b.col);
}

export function parseCaseFiles(dir: string, files: readonly CaseFileText[]): LoadCaseResult {
  const caseFiles = files.filter((f) => !f.name.includes('/') && isCaseFileName(f.name));
  const evidenceFiles = files.filter((f) => f.name.startsWith(`${EVIDENCE_DIR}/`));
  const tableFiles = files.filter((f) => f.name.startsWith(`${TABLES_DIR}/`));
  caseFiles.sort((a, b) => compareNames(a.name, b.name));
  evidenceFiles.sort((a, b) => compareNames(a.name, b.name));

  const problems: Problem[] = [];
  const sections: SectionEntry[] = [];
  const evidence: ItemEntry[] = [];
  const nameByPath = new Map<string, string>();
  let hasBrokenCaseFile = false;
  for (const f of caseFiles) {
    const path = join(dir, f.name);
    nameByPath.set(path, f.name);
    const parsed = parseCaseFile(path, f.text);
    problems.push(...parsed.problems);
    sections.push(...parsed.entries);
    if (parsed.problems.some((p) => p.code === 'syntax')) hasBrokenCaseFile = true;
  }
  for (const f of evidenceFiles) {
    const path = join(dir, f.name);
    nameByPath.set(path, f.name);
    const parsed = parseEvidenceFile(path, f.name, f.text);
    problems.push(...parsed.problems);
    evidence.push(...parsed.entries);
  }

  const tables: TableText[] = tableFiles.map((f) => {
    const path = join(dir, f.name);
    nameByPath.set(path, f.name);
    return { file: path, name: f.name.slice(TABLES_DIR.length + 1), text: f.text };
  });
  const members = expandGroupMembers(
    sections.filter((s) => s.section === 'groups'),
    tables,
  );
  problems.push(...members.problems);
  sections.push(...members.entries);

  const firstCaseFile = caseFiles[0];
  const built = buildCase({
    sections,
    evidence,
    nameOf: (path) => nameByPath.get(path) ?? path,
    folderFile: firstCaseFile === undefined ? dir : join(dir, firstCaseFile.name),
    hasBrokenCaseFile,
  });
  problems.push(...onceForAllMembers(built.problems));

  if (problems.length > 0 || built.case === undefined) return { ok: false, problems: sortedProblems(problems, nameByPath) };
  return {
    ok: true,
    case: built.case,
    evidence: [...built.evidence],
    files: [...nameByPath.keys()],
  };
}

/**
 * A mistake in a group's defaults is every member's: it is reported once, at the default,
 * saying how many members share it (problems alike but for the benchmark named, at one place).
 */
function onceForAllMembers(problems: readonly Problem[]): Problem[] {
  const seen = new Map<string, { index: number; more: number }>();
  const out: Problem[] = [];
  for (const p of problems) {
    const key = `${p.file}\u0000${p.line}\u0000${p.col}\u0000${p.code}\u0000${p.message.replace(/benchmark "[^"]*"/, 'benchmark')}`;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, { index: out.length, more: 0 });
      out.push(p);
    } else first.more += 1;
  }
  for (const { index, more } of seen.values()) {
    if (more === 0) continue;
    const p = out[index] as Problem;
    out[index] = { ...p, message: `${p.message} (the same for ${more} more member${more === 1 ? '' : 's'} of the group)` };
  }
  return out;
}

/** Reads and checks the case folder `dir`; see the module contract. */
export async function loadCase(dir: string): Promise<LoadCaseResult> {
  const extra: Problem[] = [];
  const reportUnreadable = (file: string, message: string): void => {
    extra.push({ file, line: 1, col: 1, code: 'unreadable', message });
  };
  const topLevel = await readEntries(dir).catch((err: Error) => {
    reportUnreadable(dir, `cannot read the case folder: ${err.message}`);
    return undefined;
  });
  if (topLevel === undefined) return { ok: false, problems: extra };

  const texts: CaseFileText[] = [];
  const readText = async (name: string): Promise<void> => {
    try {
      texts.push({ name, text: await readFile(join(dir, name), 'utf8') });
    } catch (err) {
      reportUnreadable(join(dir, name), `cannot read this file: ${(err as Error).message}`);
    }
  };
  for (const entry of topLevel) {
    if (entry.isFile && isCaseFileName(entry.name)) await readText(entry.name);
  }
  if (topLevel.some((e) => e.name === EVIDENCE_DIR && e.isDirectory)) {
    const evidenceEntries = await readEntries(join(dir, EVIDENCE_DIR)).catch((err: Error) => {
      reportUnreadable(join(dir, EVIDENCE_DIR), `cannot read the evidence folder: ${err.message}`);
      return [];
    });
    for (const entry of evidenceEntries) {
      if (entry.name.startsWith('.')) continue;
      const name = `${EVIDENCE_DIR}/${entry.name}`;
      if (entry.isDirectory) {
        reportUnreadable(join(dir, name), 'evidence/ holds only evidence files, not folders; move its files up into evidence/');
      } else if (/\.(ya?ml|jsonl|csv)$/i.test(entry.name)) {
        await readText(name);
      } else {
        // parseCaseFiles reports files of other kinds; their content is never read.
        texts.push({ name, text: '' });
      }
    }
  }
  if (topLevel.some((e) => e.name === TABLES_DIR && e.isDirectory)) {
    const tableEntries = await readEntries(join(dir, TABLES_DIR)).catch((err: Error) => {
      reportUnreadable(join(dir, TABLES_DIR), `cannot read the tables folder: ${err.message}`);
      return [];
    });
    for (const entry of tableEntries) {
      if (entry.name.startsWith('.') || !entry.isFile) continue;
      await readText(`${TABLES_DIR}/${entry.name}`);
    }
  }
  const result = parseCaseFiles(dir, texts);
  if (extra.length === 0) return result;
  const problems = [...extra, ...(result.ok ? [] : result.problems)];
  problems.sort((a, b) => compareNames(a.file, b.file) || a.line - b.line || a.col - b.col);
  return { ok: false, problems };
}

async function readEntries(dir: string): Promise<{ name: string; isFile: boolean; isDirectory: boolean }[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .map((e) => ({ name: e.name, isFile: e.isFile() || e.isSymbolicLink(), isDirectory: e.isDirectory() }))
    .sort((a, b) => compareNames(a.name, b.name));
}
