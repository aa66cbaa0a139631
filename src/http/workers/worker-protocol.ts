/**
 * The messages between the main thread and a heavy-work worker (work-pool.ts,
 * heavy-worker.ts). Every message is structured-cloneable data.
 *
 * Order of a job: zero or one ledger update per case (`ledger-begin`, `ledger-chunk`…,
 * `ledger-commit`), then `job`; the worker answers `done` or `failed` with the job's id. A
 * worker runs one job at a time: the main thread sends the next only after the answer.
 */
import type { Evidence } from '../../core/evidence.ts';
import type { HeavyJob, ServedCaseData } from './heavy-jobs.ts';

/** What a worker is started with (`workerData`). */
export interface WorkerStart {
  readonly cases: readonly ServedCaseData[];
}

export type ToWorker =
  | { readonly type: 'ledger-begin'; readonly caseId: string; readonly base: 'empty' | 'current'; readonly length: number }
  | {
      readonly type: 'ledger-chunk';
      readonly caseId: string;
      readonly indices: readonly number[];
      readonly entries: readonly Evidence[];
    }
  | { readonly type: 'ledger-commit'; readonly caseId: string }
  | { readonly type: 'job'; readonly id: number; readonly job: HeavyJob };

export type FromWorker =
  | { readonly type: 'ready' }
  | {
      readonly type: 'done';
      readonly id: number;
      /** UTF-8 of the answer (its buffer transferred), its media type and strong ETag. */
      readonly output:
        | { readonly kind: 'text'; readonly body: Uint8Array; readonly type: string; readonly etag: string }
        | { readonly kind: 'missing'; readonly what: string };
    }
  | { readonly type: 'failed'; readonly id: number; readonly message: string; readonly stack?: string };
