/**
 * Shared helpers for the event-data tests: temp dirs, the shipped tables, a store ingest, a
 * synthetic GDELT 2.0 row, and effects for running the event commands in-process.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DuckDbEventStore, openDuckDbEventStore } from '../../src/adapters/duckdb/duckdb-event-store.ts';
import { type IngestResult, ingestEventFiles } from '../../src/adapters/duckdb/ingest-event-files.ts';
import { loadCameoTables } from '../../src/adapters/event-formats/cameo-tables.ts';
import type { Effects } from '../../src/cli/effects.ts';
import { SHARED_DATA } from '../support/shared-data.ts';

export const REPO = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
export const SHARED = SHARED_DATA;
export const TABLES = loadCameoTables(join(REPO, 'data', 'cameo'));

export function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `proviso-${tag}-`));
}

export async function openStore(dir: string): Promise<DuckDbEventStore> {
  return openDuckDbEventStore(dir, { groupNames: (c) => TABLES.groupNames.get(c) });
}

export async function ingest(dir: string, files: string[], fold = true): Promise<IngestResult> {
  const store = await openStore(dir);
  try {
    return await ingestEventFiles(store, files, {
      format: 'auto',
      tables: TABLES,
      rejectsPath: join(dir, 'rejects.jsonl'),
      fold,
    });
  } finally {
    await store.close();
  }
}

const ACTORS = ['USA', 'USAGOV', 'PAK', 'PAKMIL', 'IND', 'CHN', 'AFG', 'GBR', ''] as const;

/** A valid GDELT 2.0 export row (61 columns) from a counter, deterministic. */
export function syntheticGdelt2Row(i: number): string {
  const c = new Array<string>(61).fill('');
  const a1 = ACTORS[i % ACTORS.length] as string;
  const a2 = ACTORS[(i * 7 + 3) % ACTORS.length] as string;
  const day = 1 + (i % 28);
  const month = 1 + (Math.floor(i / 28) % 12);
  const year = 2015 + (Math.floor(i / 336) % 8);
  const date = `${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
  const root = 1 + (i % 20);
  const code = `${String(root).padStart(2, '0')}${i % 3}`;
  c[0] = String(500_000_000 + i);
  c[1] = date;
  c[2] = date.slice(0, 6);
  c[3] = date.slice(0, 4);
  // FractionDate as GDELT derives it from the day.
  c[4] = (year + Math.round((((month - 1) * 30 + day) * 10000) / 365) / 10000).toFixed(4);
  c[5] = a1;
  c[6] = a1 === '' ? '' : `NAME ${a1}`;
  c[7] = a1.slice(0, 3);
  c[12] = a1.slice(3);
  c[15] = a2;
  c[16] = a2 === '' ? '' : `NAME ${a2}`;
  c[17] = a2.slice(0, 3);
  c[22] = a2.slice(3);
  c[25] = String(i % 2);
  c[26] = code;
  c[27] = code;
  c[28] = code.slice(0, 2);
  c[29] = String(root <= 4 ? 1 : root <= 8 ? 2 : root <= 13 ? 3 : 4);
  c[30] = ((i % 200) / 10 - 10).toFixed(1);
  c[31] = String(1 + (i % 30));
  c[32] = '1';
  c[33] = String(1 + (i % 30));
  c[34] = (((i * 13) % 2000) / 100 - 10).toFixed(6);
  c[59] = `${date}${String(i % 24).padStart(2, '0')}1500`;
  c[60] = `https://example.org/news/${i}`;
  return c.join('\t');
}

/** Effects for running the event commands in-process: output captured, nothing else used. */
export function captureEffects(cwd: string): { effects: Effects; stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  const unused = (what: string) => () => {
    throw new Error(`the event commands do not use ${what}`);
  };
  const effects: Effects = {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    today: () => '2026-11-28',
    cwd,
    openLedger: unused('the ledger'),
    writeFile: unused('writeFile'),
    packageRoot: REPO,
  };
  return { effects, stdout: () => out, stderr: () => err };
}
