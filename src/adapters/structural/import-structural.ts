/**
 * Imports structural files into the series store: read (plain, gzip or zip, recognised by
 * their first bytes as `ingest` does; each zip entry is a file of its own), parse (per kind),
 * store in one transaction per file, and write the file's rejects as JSONL (`{file, line, reason, raw}`)
 * to `<rejectsDir>/<file name>.rejects.jsonl` — rewritten on every import of that file, and
 * removed when the file has none, so it always describes the latest import. Without a
 * `rejectsDir` (an in-memory store for `--scratch`) rejects are only counted.
 *
 * Contract: nothing is lost — for each file, records + rejects + skipped lines account for
 * every data line; a {@link FileImportError} (missing column, unknown year…) stores nothing of
 * that file, and its problem (src/core/problem.ts) is returned as the file's result.
 *
 * UN votes given together ({@link importStructuralFiles}) are read as one data set: roll-call
 * tables first, then issue tables, then the votes, whose roll calls without a date in their
 * own file take it from the roll-call tables (the `unvotes` package's `un_votes` and
 * `un_roll_calls`, joined by `rcid`). Results come back in the order the files were given.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FileProblem } from '../../core/problem.ts';
import { detectCompression, openEventInput } from '../event-formats/open-event-input.ts';
import { loadIso2ToIso3 } from './iso2-codes.ts';
import { parseSipriTiv } from './sipri-tiv-reader.ts';
import type { SqliteSeriesStore } from './sqlite-series-store.ts';
import { parseStrikes } from './strikes-reader.ts';
import { FileImportError, type ImportKind, type ImportProblemCode, type ParsedFile, type Reject } from './structural-records.ts';
import { openCsvTable } from './table-reader.ts';
import { parseUngaCoincidence } from './unga-coincidence-reader.ts';
import { parseUngaVotes, type RollCallInfo, ungaLayoutOf } from './unga-votes-reader.ts';
import { parseUsAid } from './us-aid-reader.ts';

/** The package's own tables (data/cameo), beside src/ and dist/ alike. */
const PACKAGE_TABLES = fileURLToPath(new URL('../../../data/cameo/', import.meta.url));

export interface ImportOptions {
  /** Where the rejects file goes; undefined: rejects are counted, and no file is written or removed. */
  readonly rejectsDir: string | undefined;
  /** unga-coincidence: the report year when the file name has none */
  readonly year?: number;
  /** strikes: (actor, location), e.g. ["USA", "PAK"] */
  readonly dyad?: readonly [string, string];
  /** Where the country tables are (GeoNames countryInfo for ISO alpha-2 codes); default the package's data/cameo. */
  readonly tablesDir?: string;
}

/** Options of the parsers beyond the import's (the UN votes' roll calls and country codes). */
interface ParseOptions extends Omit<ImportOptions, 'rejectsDir'> {
  readonly rollCalls?: ReadonlyMap<string, RollCallInfo>;
  readonly iso2?: Pick<ReadonlyMap<string, string>, 'get'>;
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
  | ({ readonly kind: 'problem' } & FileProblem & { readonly code: ImportProblemCode });

/** Parses a file's text as the given kind; throws FileImportError when the file as a whole is unreadable. */
export function parseStructural(
  kind: ImportKind,
  text: string,
  file: string,
  options: ParseOptions,
): ParsedFile & { layout?: string } {
  switch (kind) {
    case 'unga-votes':
      return parseUngaVotes(text, file, {
        ...(options.rollCalls === undefined ? {} : { rollCalls: options.rollCalls }),
        ...(options.iso2 === undefined ? {} : { iso2: options.iso2 }),
      });
    case 'unga-coincidence':
      return parseUngaCoincidence(text, file, options.year === undefined ? {} : { year: options.year });
    case 'us-aid':
      return parseUsAid(text, file);
    case 'sipri-tiv':
      return parseSipriTiv(text, file);
    case 'strikes':
      if (options.dyad === undefined)
        throw new FileImportError(
          file,
          0,
          'missing-option',
          'strikes files name no countries: pass --dyad ACTOR,LOCATION, e.g. --dyad USA,PAK',
        );
      return parseStrikes(text, file, { dyad: options.dyad });
  }
}

/** A file's text: the file itself, decompressed (gzip), or each of its entries (zip, named `file.zip!entry`). */
export async function readTextEntries(file: string): Promise<{ readonly name: string; readonly text: string }[]> {
  const compression = await detectCompression(file);
  const entries: { name: string; text: string }[] = [];
  for await (const entry of openEventInput(file, compression, () => undefined)) {
    const parts: Buffer[] = [];
    // A plain file's chunk is reused by the next one: copied.
    for await (const chunk of entry.chunks) parts.push(compression === 'none' ? Buffer.from(chunk) : chunk);
    entries.push({ name: compression === 'zip' ? entry.name : file, text: Buffer.concat(parts).toString('utf8') });
  }
  return entries;
}

/** Imports one file (every entry of a zip); see {@link importStructuralFiles} for UN votes given together. */
export async function importStructuralFile(
  kind: ImportKind,
  file: string,
  store: SqliteSeriesStore,
  options: ImportOptions,
): Promise<ImportFileResult> {
  const results = await importStructuralFiles(kind, [file], store, options);
  return results.find((r) => r.kind === 'problem') ?? (results[0] as ImportFileResult);
}

/**
 * Imports files of one kind, one transaction per file (per zip entry), and returns one
 * result per file or entry, in the order given. UN votes are read as one data set (see the
 * contract).
 */
export async function importStructuralFiles(
  kind: ImportKind,
  files: readonly string[],
  store: SqliteSeriesStore,
  options: ImportOptions,
): Promise<ImportFileResult[]> {
  const entries: ({ name: string; text: string } | ImportFileResult)[][] = [];
  for (const file of files) {
    try {
      entries.push(await readTextEntries(file));
    } catch (err) {
      entries.push([
        { kind: 'problem', code: 'unreadable', message: `cannot read the file: ${(err as Error).message}`, file, line: 0 },
      ]);
    }
  }
  const flat = entries.flat();
  const results: (ImportFileResult | undefined)[] = flat.map((e) => ('kind' in e ? e : undefined));
  const texts = flat.flatMap((e, i) => ('kind' in e ? [] : [{ ...e, at: i }]));
  const parseOptions: { -readonly [K in keyof ParseOptions]: ParseOptions[K] } = {
    ...(options.year === undefined ? {} : { year: options.year }),
    ...(options.dyad === undefined ? {} : { dyad: options.dyad }),
  };
  if (kind === 'unga-votes') {
    // Roll-call tables first (their roll calls date the votes), then issues, then votes.
    const rank = (text: string) => {
      const layout = ungaLayoutOf(openCsvTable(text.slice(0, 65_536), '').columns);
      return layout === 'roll-calls' ? 0 : layout === 'issues' ? 1 : 2;
    };
    const order = texts.map((t) => ({ ...t, rank: rank(t.text) })).sort((a, b) => a.rank - b.rank || a.at - b.at);
    const rollCalls = new Map<string, RollCallInfo>();
    // The alpha-2 table is read when a file first needs it.
    let iso2: ReadonlyMap<string, string> | undefined;
    parseOptions.iso2 = { get: (code) => (iso2 ??= loadIso2ToIso3(options.tablesDir ?? PACKAGE_TABLES)).get(code) };
    for (const t of order) {
      if (t.rank === 2 && rollCalls.size > 0) parseOptions.rollCalls = rollCalls;
      const r = await importText(kind, t.text, t.name, store, options.rejectsDir, parseOptions, (parsed) => {
        for (const rec of parsed.records) {
          if (rec.kind === 'roll-call')
            rollCalls.set(rec.rcid, { year: rec.year, body: rec.body, ...(rec.date === undefined ? {} : { date: rec.date }) });
        }
      });
      results[t.at] = r;
    }
  } else {
    for (const t of texts) results[t.at] = await importText(kind, t.text, t.name, store, options.rejectsDir, parseOptions);
  }
  return results as ImportFileResult[];
}

async function importText(
  kind: ImportKind,
  text: string,
  file: string,
  store: SqliteSeriesStore,
  rejectsDir: string | undefined,
  options: ParseOptions,
  onParsed?: (parsed: ParsedFile) => void,
): Promise<ImportFileResult> {
  let parsed: ParsedFile & { layout?: string };
  try {
    parsed = parseStructural(kind, text, file, options);
  } catch (err) {
    if (err instanceof FileImportError) return { kind: 'problem', ...err.problem };
    throw err;
  }
  const stored = await store.write(parsed);
  onParsed?.(parsed);
  let conflicts: Reject[] = [];
  if (stored.conflicts.length > 0) {
    const lines = (text.startsWith('\uFEFF') ? text.slice(1) : text).split(/\r\n|\r|\n/);
    conflicts = stored.conflicts.map((c) => ({ ...c, raw: lines[c.line - 1] ?? '' }));
  }
  const rejects: Reject[] = [...parsed.rejects, ...conflicts].sort((x, y) => x.line - y.line);
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
