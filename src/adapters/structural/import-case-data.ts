/**
 * A case's own data files: every file under `<case>/data/<kind>/`, where `<kind>` is an
 * import kind (unga-coincidence, unga-votes, us-aid, sipri-tiv), is imported into the
 * series store of a store folder, in name order. Idempotent, like `proviso import`.
 * A file that cannot be imported is an error naming the file: a case must not be
 * assessed on half its data.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { importStructuralFile } from './import-structural.ts';
import { openSqliteSeriesStore, SERIES_FILE } from './sqlite-series-store.ts';
import { IMPORT_KINDS, type ImportKind } from './structural-records.ts';

export async function importCaseData(caseDir: string, storeDir: string): Promise<{ files: number; added: number }> {
  const dataDir = join(caseDir, 'data');
  if (!existsSync(dataDir)) return { files: 0, added: 0 };
  const kinds = (await readdir(dataDir, { withFileTypes: true }))
    .filter((d) => d.isDirectory() && (IMPORT_KINDS as readonly string[]).includes(d.name))
    .map((d) => d.name as ImportKind)
    .sort();
  if (kinds.length === 0) return { files: 0, added: 0 };
  const store = openSqliteSeriesStore(join(storeDir, SERIES_FILE));
  let files = 0;
  let added = 0;
  try {
    for (const kind of kinds) {
      const names = (await readdir(join(dataDir, kind))).filter((n) => !n.startsWith('.')).sort();
      for (const name of names) {
        const file = join(dataDir, kind, name);
        const r = await importStructuralFile(kind, file, store, { rejectsDir: join(storeDir, 'rejects') });
        if (r.kind === 'problem') throw new Error(`${r.file}:${r.line}: ${r.reason}`);
        files += 1;
        added += r.added;
      }
    }
  } finally {
    await store.close();
  }
  return { files, added };
}
