/**
 * Writes survive a crash: 20 writers post evidence to a server process, which is killed
 * with SIGKILL mid-storm; the store, opened again, holds every write the server
 * acknowledged, each with its audit record, and the case assessed from the store equals
 * what a fresh server reports. On SQLite and on PostgreSQL.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openPostgresTeamStore } from '../../src/adapters/postgres/postgres-team-store.ts';
import { openSqliteTeamStore } from '../../src/adapters/sqlite/sqlite-team-store.ts';
import type { TeamStore } from '../../src/ports/team-store.ts';
import { postgresUrlForTests } from '../support/postgres.ts';
import { newEvidence } from './support.ts';

const TARGET = fileURLToPath(new URL('./storm-target.ts', import.meta.url));
const CASE = 'us-pakistan';

async function start(store: string): Promise<{ url: string; token: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', TARGET, store], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    if (line.startsWith('READY ')) {
      const [, url, token] = line.split(' ');
      // Keep reading so the child never blocks on a full pipe.
      lines.on('line', () => {});
      return { url: url as string, token: token as string, child };
    }
  }
  throw new Error('the server exited before it was ready');
}

/** Posts until the server stops answering; returns the ids it acknowledged (201). */
async function writer(url: string, token: string, w: number, acked: string[], stop: { crashed: boolean }): Promise<void> {
  for (let i = 0; !stop.crashed; i++) {
    const id = `ev-storm-${String(w).padStart(2, '0')}-${String(i).padStart(5, '0')}`;
    const today = new Date().toISOString().slice(0, 10);
    try {
      const res = await fetch(`${url}/api/cases/${CASE}/evidence`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(
          newEvidence(id, {
            occurred: today,
            reported: today,
            sources: [{ publisher: 'Storm Wire', title: id, date: today, reliability: 'B', credibility: 2 }],
          }),
        ),
      });
      await res.text();
      if (res.status === 201) acked.push(id);
      else assert.fail(`write ${id} answered ${res.status}`);
    } catch (err) {
      if (stop.crashed) return;
      throw err;
    }
  }
}

function runStorm(label: string, storeUrl: () => Promise<{ url: string; open: () => Promise<TeamStore>; cleanup: () => void }>) {
  describe(`a write storm cut by SIGKILL loses nothing acknowledged (${label})`, () => {
    it('every acknowledged write is stored and audited after the crash', { timeout: 120_000 }, async () => {
      const { url: storeArg, open, cleanup } = await storeUrl();
      try {
        const server = await start(storeArg);
        const acked: string[] = [];
        const stop = { crashed: false };
        const writers = Array.from({ length: 20 }, (_, w) => writer(server.url, server.token, w, acked, stop));
        // Crash once enough writes are acknowledged to be sure the storm is under way.
        while (acked.length < 150) await new Promise((r) => setTimeout(r, 20));
        stop.crashed = true;
        const exited = new Promise((r) => server.child.once('exit', r));
        server.child.kill('SIGKILL');
        await Promise.all(writers);
        await exited;

        const store = await open();
        try {
          const stored = new Set((await store.ledger.entries(CASE)).map((e) => e.id));
          const missing = acked.filter((id) => !stored.has(id));
          assert.deepEqual(missing, [], 'acknowledged writes missing after the crash');
          const audited = new Set((await store.audit({ caseId: CASE, action: 'evidence.append' })).flatMap((a) => a.ids));
          assert.deepEqual(
            acked.filter((id) => !audited.has(id)),
            [],
            'acknowledged writes without an audit record',
          );
          // Nothing stored without its audit record either (the append and its audit are one transaction).
          const storm = [...stored].filter((id) => id.startsWith('ev-storm-'));
          assert.deepEqual(
            storm.filter((id) => !audited.has(id)),
            [],
          );
          assert.ok(storm.length >= acked.length);
        } finally {
          await store.close();
        }
      } finally {
        cleanup();
      }
    });
  });
}

runStorm('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'proviso-storm-'));
  const path = join(dir, 'ledger.sqlite');
  return {
    url: `sqlite:${path}`,
    open: async () => openSqliteTeamStore(path),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
});

runStorm('PostgreSQL', async () => {
  const url = await postgresUrlForTests();
  return { url, open: async () => openPostgresTeamStore(url), cleanup: () => {} };
});
