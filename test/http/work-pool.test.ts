/**
 * The worker pool's limits (src/http/workers/work-pool.ts), with a stand-in worker whose jobs
 * take as long as they say (fake-heavy-worker.ts): the time limit stops and replaces a
 * worker, the queue and each caller's share are bounded, an abandoned request leaves the
 * queue, a dying worker fails only its job, and a closed pool refuses work.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HeavyJob } from '../../src/http/workers/heavy-jobs.ts';
import {
  WorkAbortedError,
  WorkerFailedError,
  WorkPool,
  type WorkPoolOptions,
  WorkRefusedError,
  WorkTimeoutError,
} from '../../src/http/workers/work-pool.ts';

const FAKE_WORKER = new URL('./fake-heavy-worker.ts', import.meta.url);

/** A job the stand-in runs: `sleep:<ms>`, `crash`, `oom` or `throw`. */
const job = (what: string): HeavyJob => ({ kind: 'assessment', caseId: what, asOf: '2023-03-03' });

async function withPool(options: WorkPoolOptions, test: (pool: WorkPool) => Promise<void>): Promise<void> {
  const pool = new WorkPool([], options, FAKE_WORKER);
  try {
    await test(pool);
  } finally {
    await pool.close();
  }
}

const text = (r: Awaited<ReturnType<WorkPool['run']>>) => (r.kind === 'text' ? r.body.toString() : r.kind);

describe('the worker pool', () => {
  it('stops a job over the time limit, replaces its worker, and runs the next job', async () => {
    await withPool({ size: 1, timeoutMs: 300 }, async (pool) => {
      const started = performance.now();
      await assert.rejects(pool.run(job('sleep:10000'), [], 'a'), (err: unknown) => {
        assert.ok(err instanceof WorkTimeoutError);
        assert.equal(err.limitMs, 300);
        return true;
      });
      assert.ok(performance.now() - started < 5000, 'not waited for');
      assert.equal(text(await pool.run(job('sleep:0'), [], 'a')), 'slept 0');
      assert.deepEqual([pool.counts.started, pool.counts.timedOut], [2, 1]);
    });
  });

  it('refuses a job beyond the queue at once, with a time to retry', async () => {
    await withPool({ size: 1, queueLimit: 1, perCallerLimit: 10 }, async (pool) => {
      const running = pool.run(job('sleep:300'), [], 'a');
      const waiting = pool.run(job('sleep:0'), [], 'b');
      await assert.rejects(pool.run(job('sleep:0'), [], 'c'), (err: unknown) => {
        assert.ok(err instanceof WorkRefusedError);
        assert.equal(err.reason, 'queue-full');
        assert.equal(err.limit, 1);
        assert.ok(Number.isInteger(err.retryAfterSeconds) && err.retryAfterSeconds >= 1);
        return true;
      });
      assert.deepEqual(pool.load, { queued: 1, running: 1 });
      assert.deepEqual([text(await running), text(await waiting)], ['slept 300', 'slept 0']);
      assert.deepEqual(pool.load, { queued: 0, running: 0 });
    });
  });

  it('holds each caller to its share, counting waiting and running jobs', async () => {
    await withPool({ size: 1, queueLimit: 10, perCallerLimit: 2 }, async (pool) => {
      const mine = [pool.run(job('sleep:200'), [], 'a'), pool.run(job('sleep:0'), [], 'a')];
      await assert.rejects(
        pool.run(job('sleep:0'), [], 'a'),
        (err: unknown) => err instanceof WorkRefusedError && err.reason === 'caller-limit' && err.limit === 2,
      );
      const theirs = pool.run(job('sleep:0'), [], 'b');
      assert.deepEqual(await Promise.all([...mine, theirs].map(async (p) => text(await p))), ['slept 200', 'slept 0', 'slept 0']);
      assert.equal(text(await pool.run(job('sleep:0'), [], 'a')), 'slept 0', 'the share is given back');
    });
  });

  it('takes a job whose request was abandoned out of the queue', async () => {
    await withPool({ size: 1 }, async (pool) => {
      const running = pool.run(job('sleep:300'), [], 'a');
      const abandoned = new AbortController();
      const waiting = pool.run(job('sleep:0'), [], 'b', abandoned.signal);
      assert.equal(pool.load.queued, 1);
      abandoned.abort();
      await assert.rejects(waiting, WorkAbortedError);
      assert.equal(pool.load.queued, 0);
      assert.equal(text(await running), 'slept 300');
    });
  });

  it('fails only the job of a worker that dies, and of one that throws', async () => {
    await withPool({ size: 1 }, async (pool) => {
      await assert.rejects(
        pool.run(job('crash'), [], 'a'),
        (err: unknown) => err instanceof WorkerFailedError && err.reason === 'exited',
      );
      await assert.rejects(pool.run(job('throw'), [], 'a'), /heavy job assessment failed in a worker: the job threw/);
      assert.equal(text(await pool.run(job('sleep:0'), [], 'a')), 'slept 0');
      assert.equal(pool.counts.started, 2, 'replaced after the crash, not after the exception');
    });
  });

  it('reports a worker stopped by its memory limit', async () => {
    await withPool({ size: 1, memoryMb: 64 }, async (pool) => {
      await assert.rejects(pool.run(job('oom'), [], 'a'), (err: unknown) => {
        assert.ok(err instanceof WorkerFailedError);
        assert.equal(err.reason, 'out-of-memory');
        assert.equal(err.memoryMb, 64);
        assert.match(err.message, /ran out of memory \(limit 64 MiB\)/);
        return true;
      });
      assert.equal(text(await pool.run(job('sleep:0'), [], 'a')), 'slept 0');
    });
  });

  it('refuses work once closed, and fails what waited or ran', async () => {
    const pool = new WorkPool([], { size: 1 }, FAKE_WORKER);
    const closed = (err: unknown) => err instanceof WorkRefusedError && err.reason === 'closed';
    const running = assert.rejects(pool.run(job('sleep:10000'), [], 'a'), closed);
    const waiting = assert.rejects(pool.run(job('sleep:0'), [], 'b'), closed);
    await new Promise((r) => setTimeout(r, 100));
    await pool.close();
    await Promise.all([running, waiting]);
    await assert.rejects(pool.run(job('sleep:0'), [], 'c'), closed);
  });

  it('checks its limits when made', () => {
    assert.throws(() => new WorkPool([], { size: 0 }), /size must be an integer ≥ 1, got 0/);
    assert.throws(() => new WorkPool([], { timeoutMs: 1.5 }), /timeoutMs must be an integer ≥ 1/);
    const pool = new WorkPool([], { size: 3 });
    assert.deepEqual(pool.limits, { size: 3, queueLimit: 24, perCallerLimit: 3, timeoutMs: 30_000, memoryMb: undefined });
  });
});
