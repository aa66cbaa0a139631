/**
 * A stand-in for src/http/workers/heavy-worker.ts in the pool's tests (work-pool.test.ts):
 * it speaks the same protocol, holds nothing, and does what the job's `caseId` says —
 * `sleep:<ms>` answers after that long, `crash` exits the thread, `oom` allocates until the
 * heap limit stops it, `throw` fails the job — so that the pool's limits can be tested
 * without depending on how long real work takes.
 */
import { parentPort } from 'node:worker_threads';
import type { FromWorker, ToWorker } from '../../src/http/workers/worker-protocol.ts';

const port = parentPort;
if (port === null) throw new Error('a worker thread');
const send = (m: FromWorker) => port.postMessage(m);

port.on('message', (m: ToWorker) => {
  if (m.type !== 'job') return;
  const what = m.job.caseId;
  if (what === 'crash') process.exit(3);
  if (what === 'oom') {
    const hoard: number[][] = [];
    for (;;) hoard.push(Array.from({ length: 100_000 }, (_, i) => i));
  }
  if (what === 'throw') {
    send({ type: 'failed', id: m.id, message: 'the job threw' });
    return;
  }
  const ms = Number(what.replace('sleep:', ''));
  setTimeout(() => {
    const body = new TextEncoder().encode(`slept ${ms}`);
    send({ type: 'done', id: m.id, output: { kind: 'text', body, type: 'text/plain', etag: '"fake"' } });
  }, ms);
});
send({ type: 'ready' });
