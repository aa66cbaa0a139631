/**
 * A heavy-work worker thread (started by work-pool.ts): holds the served cases and a copy
 * of each case's ledger, and runs one job at a time (heavy-jobs.ts), answering the UTF-8
 * bytes of the result with their strong ETag. The protocol is in worker-protocol.ts.
 *
 * A ledger update that does not fit the ledger held (which the main thread's plan rules
 * out) fails the job that follows it and drops the ledger, so the next job ships it whole.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Evidence } from '../../core/evidence.ts';
import { strongEtag } from '../representation.ts';
import { computeHeavyJob, JobCaches, type ServedCaseData } from './heavy-jobs.ts';
import { applyLedgerUpdate } from './ledger-shipping.ts';
import type { FromWorker, ToWorker, WorkerStart } from './worker-protocol.ts';

const port = parentPort;
if (port === null) throw new Error('heavy-worker.ts runs as a worker thread (work-pool.ts starts it)');

const start = workerData as WorkerStart;
const cases = new Map<string, ServedCaseData>(start.cases.map((c) => [c.case.id, c]));
const ledgers = new Map<string, { readonly entries: readonly Evidence[]; readonly version: number }>();
const caches = new JobCaches();
const encoder = new TextEncoder();
let versions = 0;
let pending: { caseId: string; base: readonly Evidence[]; length: number; indices: number[]; entries: Evidence[] } | undefined;
/** Why the last ledger update failed, reported with the job that needed it. */
let ledgerProblem: string | undefined;

function send(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  (port as NonNullable<typeof port>).postMessage(message, transfer);
}

function handle(m: ToWorker): void {
  switch (m.type) {
    case 'ledger-begin':
      pending = {
        caseId: m.caseId,
        base: m.base === 'empty' ? [] : (ledgers.get(m.caseId)?.entries ?? []),
        length: m.length,
        indices: [],
        entries: [],
      };
      return;
    case 'ledger-chunk':
      if (pending === undefined || pending.caseId !== m.caseId) {
        ledgerProblem = `a ledger chunk for ${m.caseId} arrived outside an update`;
        return;
      }
      for (const i of m.indices) pending.indices.push(i);
      for (const e of m.entries) pending.entries.push(e);
      return;
    case 'ledger-commit': {
      const update = pending;
      pending = undefined;
      if (update === undefined || update.caseId !== m.caseId) {
        ledgerProblem = `a ledger commit for ${m.caseId} arrived outside an update`;
        return;
      }
      const entries = applyLedgerUpdate(update.base, update.length, update.indices, update.entries);
      if (entries === undefined) {
        ledgers.delete(m.caseId);
        ledgerProblem = `the ledger update of ${m.caseId} did not fit the ${update.base.length} entries held`;
        return;
      }
      versions += 1;
      ledgers.set(m.caseId, { entries, version: versions });
      return;
    }
    case 'job': {
      try {
        const served = cases.get(m.job.caseId);
        const ledger = ledgers.get(m.job.caseId);
        if (served === undefined) throw new Error(`the worker serves no case ${m.job.caseId}`);
        if (ledger === undefined) throw new Error(ledgerProblem ?? `no ledger of ${m.job.caseId} was shipped`);
        ledgerProblem = undefined;
        const output = computeHeavyJob(m.job, { served, entries: ledger.entries, version: ledger.version, caches });
        if (output.kind === 'missing') {
          send({ type: 'done', id: m.id, output });
          return;
        }
        const body = encoder.encode(output.text);
        send({ type: 'done', id: m.id, output: { kind: 'text', body, type: output.type, etag: strongEtag(body) } }, [
          body.buffer as ArrayBuffer,
        ]);
      } catch (err) {
        const e = err instanceof Error ? err : new Error(String(err));
        send({ type: 'failed', id: m.id, message: e.message, ...(e.stack === undefined ? {} : { stack: e.stack }) });
      }
      return;
    }
  }
}

port.on('message', handle);
send({ type: 'ready' });
