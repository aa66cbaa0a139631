/**
 * Ledger import benchmark: appends N synthetic entries in one batch to a fresh SQLite
 * ledger file (under the OS temp directory, removed afterwards), re-imports them (all
 * unchanged), then reads them back, printing rows per second for each step.
 *
 *   node --import tsx bench/ledger-import.bench.ts [N=100000]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openSqliteLedgerStore } from '../src/adapters/sqlite/sqlite-ledger-store.ts';
import { addDays } from '../src/core/dates.ts';
import type { Evidence } from '../src/core/evidence.ts';

const RELIABILITY = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
const CREDIBILITY = [1, 2, 3, 4, 5, 6] as const;

function makeEntries(n: number): Evidence[] {
  const entries: Evidence[] = [];
  for (let i = 0; i < n; i += 1) {
    const occurred = addDays('2015-01-01', i % 3650);
    const entry: Evidence = {
      id: `ev-${String(i).padStart(7, '0')}`,
      kind: i % 3 === 0 ? 'aid-disbursed' : i % 3 === 1 ? 'ceasefire-violation' : 'statement',
      actors: ['usa', i % 2 === 0 ? 'ukr' : 'rus'],
      description: `Synthetic entry ${i}: a sentence of ordinary length describing what was reported.`,
      occurred,
      occurredTo: occurred,
      reported: addDays(occurred, 2),
      recorded: addDays(occurred, 5),
      sources: [
        {
          publisher: `Publisher ${i % 17}`,
          title: `Report ${i}`,
          date: addDays(occurred, 2),
          url: `https://example.org/reports/${i}`,
          reliability: RELIABILITY[i % 6] ?? 'F',
          credibility: CREDIBILITY[i % 6] ?? 6,
        },
      ],
      ...(i % 3 === 0 ? { amount: 1000 + i, currency: 'USD' } : {}),
      tags: i % 5 === 0 ? ['tagged'] : [],
      // Every tenth entry corrects the one before it (same batch).
      ...(i % 10 === 9 ? { supersedes: `ev-${String(i - 1).padStart(7, '0')}` } : {}),
    };
    entries.push(entry);
  }
  return entries;
}

async function time<T>(label: string, rows: number, run: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await run();
  const seconds = (performance.now() - start) / 1000;
  const rate = Math.round(rows / seconds).toLocaleString('en-US');
  console.log(`${label.padEnd(28)} ${seconds.toFixed(3).padStart(8)} s  ${rate.padStart(12)} rows/s`);
  return result;
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 100_000);
  const dir = mkdtempSync(join(tmpdir(), 'proviso-ledger-bench-'));
  const path = join(dir, 'ledger.db');
  try {
    const entries = makeEntries(n);
    const store = openSqliteLedgerStore(path);
    console.log(`SQLite ledger, ${n.toLocaleString('en-US')} entries, one batch, ${path}`);
    const first = await time('append (all new)', n, () => store.append('bench', entries));
    if (!first.ok || first.added !== n) throw new Error(`unexpected result ${JSON.stringify(first).slice(0, 200)}`);
    const again = await time('append again (unchanged)', n, () => store.append('bench', entries));
    if (!again.ok || again.unchanged !== n) throw new Error('re-import was not idempotent');
    const read = await time('read back (entries)', n, () => store.entries('bench'));
    if (read.length !== n) throw new Error(`read ${read.length} entries, expected ${n}`);
    await time('read view (recordedBy)', n, () => store.entries('bench', { recordedBy: '2019-12-31' }));
    await store.close();
    console.log(`file size ${(statSync(path).size / 1e6).toFixed(1)} MB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
