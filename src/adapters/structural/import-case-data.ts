/**
 * A case's own data files: every file under `<case>/data/<kind>/`, where `<kind>` is an
 * import kind (unga-coincidence, unga-votes, us-aid, sipri-tiv), is imported into the
 * series store of a store folder, in name order. Idempotent, like `proviso import`.
 * A file that cannot be imported is an error naming the file: a case must not be
 * assessed on half its data.
 *
 * `importCaseDataInMemory` imports the same files, by the same rules, into a private
 * in-memory store instead (`--scratch`): nothing is written anywhere, rejects included.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { problemText } from '../../core/problem.ts';
import { importStructuralFiles } from './import-structural.ts';
import { IN_MEMORY_SERIES, openSqliteSeriesStore, SERIES_FILE, type SqliteSeriesStore } from './sqlite-series-store.ts';
import { IMPORT_KINDS, type ImportKind } from './structural-records.ts';

export interface CaseDataImport {
  readonly files: number;
  readonly added: number;
  /** Lines of the files not stored (bad lines and conflicts with stored values). */
  readonly rejected: number;
}

/** The case's data files, grouped by kind in name order; empty when it has none. */
async function caseDataFiles(caseDir: string): Promise<{ kind: ImportKind; file: string }[]> {
  const dataDir = join(caseDir, 'data');
  if (!existsSync(dataDir)) return [];
  const kinds = (await readdir(dataDir, { withFileTypes: true }))
    .filter((d) => d.isDirectory() && (IMPORT_KINDS as readonly string[]).includes(d.name))
    .map((d) => d.name as ImportKind)
    .sort();
  const files: { kind: ImportKind; file: string }[] = [];
  for (const kind of kinds) {
    const names = (await readdir(join(dataDir, kind))).filter((n) => !n.startsWith('.')).sort();
    for (const name of names) files.push({ kind, file: join(dataDir, kind, name) });
  }
  return files;
}

async function importInto(
  files: readonly { kind: ImportKind; file: string }[],
  store: SqliteSeriesStore,
  rejectsDir: string | undefined,
): Promise<CaseDataImport> {
  let added = 0;
  let rejected = 0;
  // One kind's files together: UN votes and their roll-call table are one data set.
  for (const kind of [...new Set(files.map((f) => f.kind))]) {
    const ofKind = files.filter((f) => f.kind === kind).map((f) => f.file);
    for (const r of await importStructuralFiles(kind, ofKind, store, { rejectsDir })) {
      if (r.kind === 'problem') throw new Error(problemText(r));
      added += r.added;
      rejected += r.rejected;
    }
  }
  return { files: files.length, added, rejected };
}

export async function importCaseData(caseDir: string, storeDir: string): Promise<CaseDataImport> {
  const files = await caseDataFiles(caseDir);
  if (files.length === 0) return { files: 0, added: 0, rejected: 0 };
  const store = openSqliteSeriesStore(join(storeDir, SERIES_FILE));
  try {
    return await importInto(files, store, join(storeDir, 'rejects'));
  } finally {
    await store.close();
  }
}

/**
 * The case's data files in a new in-memory series store, or undefined when the case has
 * none (its series indicators are then missing inputs, as with no series store). The
 * caller closes the store; closing discards it.
 */
export async function importCaseDataInMemory(
  caseDir: string,
): Promise<(CaseDataImport & { readonly store: SqliteSeriesStore }) | undefined> {
  const files = await caseDataFiles(caseDir);
  if (files.length === 0) return undefined;
  const store = openSqliteSeriesStore(IN_MEMORY_SERIES);
  try {
    return { ...(await importInto(files, store, undefined)), store };
  } catch (err) {
    await store.close();
    throw err;
  }
}
