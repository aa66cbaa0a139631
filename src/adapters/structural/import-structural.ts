/**
 * Imports structural files into the series store: read, parse (per kind), store in one
 * transaction per file, and write the file's rejects as JSONL (`{file, line, reason, raw}`)
 * to `<rejectsDir>/<file name>.rejects.jsonl` — rewritten on every import of that file, and
 * removed when the file has none, so it always describes the latest import. Without a
 * `rejectsDir` (an in-memory store for `--scratch`) rejects are only counted.
 *
 * Contract: nothing is lost — for each file, records + rejects + skipped lines account for
 * every data line; a {@link FileProblem} (missing column, unknown year…) stores nothing of that
 * file and is returned as the file's `problem`.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseSipriTiv } from './sipri-tiv-reader.ts';
import type { SqliteSeriesStore } from './sqlite-series-store.ts';
import { parseStrikes } from './strikes-reader.ts';
import { FileProblem, type ImportKind, type ParsedFile, type Reject } from './structural-records.ts';
import { parseUngaCoincidence } from './unga-coincidence-reader.ts';
import { parseUngaVotes } from './unga-votes-reader.ts';
import { parseUsAid } from './us-aid-reader.ts';

export interface ImportOptions {
  /** Where the rejects file goes; undefined: rejects are counted, and no file is written or removed. */
  readonly rejectsDir: string | undefined;
  /** unga-coincidence: the report year when the file name has none */
  readonly year?: number;
  /** strikes: (actor, location), e.g. ["USA", "PAK"] */
  readonly dyad?: readonly [string, string];
}

export type ImportFileResult =
  | {
      readonly kind: 'imported';
      readonly file: string;
      readonly records: number;
      readonly added: number;
      readonly unchanged: number;
      readonly rejected: number;
      readonly skipped: Readonly<Record<string, number>>;
      readonly rejectsFile?: string;
      readonly layout?: string;
    }
  | { readonly kind: 'problem'; readonly file: string; readonly line: number; readonly reason: string };

/** Parses a file's text as the given kind; throws FileProblem when the file as a whole is unreadable. */
export function parseStructural(
  kind: ImportKind,
  text: string,
  file: string,
  options: Omit<ImportOptions, 'rejectsDir'>,
): ParsedFile & { layout?: string } {
  switch (kind) {
    case 'unga-votes':
      return parseUngaVotes(text, file);
    case 'unga-coincidence':
      return parseUngaCoincidence(text, file, options.year === undefined ? {} : { year: options.year });
    case 'us-aid':
      return parseUsAid(text, file);
    case 'sipri-tiv':
      return parseSipriTiv(text, file);
    case 'strikes':
      if (options.dyad === undefined)
        throw new FileProblem(file, 0, 'strikes files name no countries: pass --dyad ACTOR,LOCATION, e.g. --dyad USA,PAK');
      return parseStrikes(text, file, { dyad: options.dyad });
  }
}

export async function importStructuralFile(
  kind: ImportKind,
  file: string,
  store: SqliteSeriesStore,
  options: ImportOptions,
): Promise<ImportFileResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return { kind: 'problem', file, line: 0, reason: `cannot read the file: ${(err as Error).message}` };
  }
  let parsed: ParsedFile & { layout?: string };
  try {
    parsed = parseStructural(kind, text, file, options);
  } catch (err) {
    if (err instanceof FileProblem) return { kind: 'problem', file, line: err.line, reason: err.reason };
    throw err;
  }
  const stored = await store.write(parsed);
  const lines = (text.startsWith('\uFEFF') ? text.slice(1) : text).split(/\r\n|\r|\n/);
  const conflicts = stored.conflicts.map((c) => ({ ...c, raw: lines[c.line - 1] ?? '' }));
  const rejects: Reject[] = [...parsed.rejects, ...conflicts].sort((x, y) => x.line - y.line);
  const rejectsDir = options.rejectsDir;
  const rejectsFile = rejectsDir === undefined ? undefined : join(rejectsDir, `${basename(file)}.rejects.jsonl`);
  if (rejectsDir !== undefined && rejectsFile !== undefined) {
    if (rejects.length > 0) {
      await mkdir(rejectsDir, { recursive: true });
      await writeFile(rejectsFile, rejects.map((r) => JSON.stringify(r)).join('\n') + '\n', 'utf8');
    } else {
      await rm(rejectsFile, { force: true });
    }
  }
  return {
    kind: 'imported',
    file,
    records: parsed.records.length,
    added: stored.added,
    unchanged: stored.unchanged,
    rejected: rejects.length,
    skipped: parsed.skipped,
    ...(rejects.length > 0 && rejectsFile !== undefined ? { rejectsFile } : {}),
    ...(parsed.layout === undefined ? {} : { layout: parsed.layout }),
  };
}
