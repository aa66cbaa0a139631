/**
 * Runs the CLI in-process with captured output, a fixed "today", a real SQLite ledger in
 * a temporary folder and real file writes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openEventStoreIfPresent } from '../../src/adapters/duckdb/open-event-store-if-present.ts';
import { openSqliteLedgerReaderIfPresent } from '../../src/adapters/sqlite/sqlite-ledger-reader.ts';
import { openSqliteLedgerStore } from '../../src/adapters/sqlite/sqlite-ledger-store.ts';
import { importCaseData, importCaseDataInMemory } from '../../src/adapters/structural/import-case-data.ts';
import { openSeriesStoreIfPresent } from '../../src/adapters/structural/sqlite-series-store.ts';
import type { Effects } from '../../src/cli/effects.ts';
import { main } from '../../src/cli/main.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const REFERENCE_CASE = join(REPO_ROOT, 'examples', 'us-pakistan');

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function makeTempDir(prefix = 'proviso-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function runCli(args: readonly string[], cwd: string, today = '2026-11-28'): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const effects: Effects = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    today: () => today,
    cwd,
    openLedger: (path) => openSqliteLedgerStore(path),
    readLedger: (path) => openSqliteLedgerReaderIfPresent(path),
    openSeriesStore: (storeDir) => openSeriesStoreIfPresent(storeDir),
    openEventStore: (storeDir) => openEventStoreIfPresent(storeDir, join(REPO_ROOT, 'data', 'cameo')),
    importCaseData: (caseDir, storeDir) => importCaseData(caseDir, storeDir),
    importCaseDataInMemory: (caseDir) => importCaseDataInMemory(caseDir),
    writeFile: async (path, text) => {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, text, 'utf8');
    },
    packageRoot: REPO_ROOT,
    helpWidth: 100,
  };
  const code = await main(args, effects);
  return { code, stdout, stderr };
}
