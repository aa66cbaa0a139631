/**
 * Crash safety: an ingest killed with SIGKILL at several moments (while reading, while
 * storing, between files), then run again to the end, leaves exactly the store of one
 * clean run.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openStore, REPO, syntheticGdelt2Row, tempDir } from './support.ts';

const CLI = join(REPO, 'test', 'events', 'run-event-cli.ts');

async function storeDigest(dir: string): Promise<{ digest: string; count: number }> {
  const store = await openStore(dir);
  try {
    const lines = await store.dumpEvents();
    const h = createHash('sha256');
    for (const l of lines) h.update(`${l}\n`);
    return { digest: h.digest('hex'), count: lines.length };
  } finally {
    await store.close();
  }
}

function killAfter(args: string[], ms: number): Promise<void> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: REPO, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', () => {
      clearTimeout(timer);
      done();
    });
  });
}

describe('kill -9 during ingest', () => {
  it('a rerun after SIGKILL gives the store of a clean run', { timeout: 240_000 }, async () => {
    const data = tempDir('crash-data');
    const files = [0, 1].map((k) => {
      const path = join(data, `part${k}.export.CSV`);
      const rows: string[] = [];
      for (let i = 0; i < 120_000; i++) rows.push(syntheticGdelt2Row(k * 1_000_000 + i));
      writeFileSync(path, `${rows.join('\n')}\n`);
      return path;
    });
    const clean = tempDir('crash-clean');
    const c = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'ingest', ...files, '--store', clean], { cwd: REPO });
    assert.equal(c.status, 0, String(c.stderr));
    const expected = await storeDigest(clean);
    assert.equal(expected.count, 240_000);

    const crashed = tempDir('crash-killed');
    for (const ms of [700, 1600, 2600, 3600]) await killAfter(['ingest', ...files, '--store', crashed], ms);
    const rerun = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'ingest', ...files, '--store', crashed], { cwd: REPO });
    assert.equal(rerun.status, 0, String(rerun.stderr));
    assert.deepEqual(await storeDigest(crashed), expected);
  });
});
