/**
 * The pool of worker threads that run the server's heavy jobs (heavy-jobs.ts) off the
 * event loop, so that one request's history or brief never holds up the others.
 *
 * Contracts:
 * - At most `size` jobs run at once, one per worker; workers start when first needed (or
 *   all at once, with the ledgers, at `warm`) and keep the process alive only while they
 *   run a job. `close` terminates them.
 * - At most `queueLimit` jobs wait; a job arriving at a full queue is refused at once
 *   (`WorkRefusedError`, `queue-full`). One caller (a user) has at most `perCallerLimit`
 *   jobs waiting or running; more are refused (`caller-limit`). Refusals carry a
 *   `retryAfterSeconds` estimated from recent job durations.
 * - A job running longer than `timeoutMs` is abandoned: its worker is terminated (the only
 *   way to stop a computation) and replaced when next needed, and the job fails with
 *   `WorkTimeoutError`. A worker that dies (out of memory under `memoryMb`, or otherwise)
 *   fails its job with `WorkerFailedError`. An exception thrown by the computation fails the
 *   job with an `Error` carrying the worker's message and stack: a bug, answered 500.
 * - A caller whose `signal` aborts while its job waits is taken out of the queue.
 * - Each worker gets the served cases once, at start, and each case's ledger once per
 *   ledger change, as an update (ledger-shipping.ts); a job runs on the ledger its caller
 *   passed to `run`. A job goes preferably to an idle worker that already holds that ledger.
 * - The worker file is `heavy-worker.ts` beside this module when running from sources (its
 *   TypeScript loaded by tsx, which the worker registers first), and `heavy-worker.js` when
 *   running the build (`dist/`).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Evidence } from '../../core/evidence.ts';
import type { HeavyJob, ServedCaseData } from './heavy-jobs.ts';
import { LEDGER_CHUNK, planLedgerUpdate } from './ledger-shipping.ts';
import type { FromWorker, ToWorker, WorkerStart } from './worker-protocol.ts';

export interface WorkPoolOptions {
  /** Worker threads, so jobs running at once (default: one less than the cores, at least 1). */
  readonly size?: number;
  /** Jobs waiting for a worker beyond which new ones are refused (default 8 per worker, at least 16). */
  readonly queueLimit?: number;
  /** Jobs of one caller waiting or running at once (default: the pool size, at least 2). */
  readonly perCallerLimit?: number;
  /** Longest a job may run, in milliseconds (default 30 000). */
  readonly timeoutMs?: number;
  /** A worker's old-generation heap limit in MiB (default: Node's). */
  readonly memoryMb?: number;
}

export type WorkPoolLimits = Required<Omit<WorkPoolOptions, 'memoryMb'>> & { readonly memoryMb: number | undefined };

export function workPoolLimits(o: WorkPoolOptions = {}): WorkPoolLimits {
  const size = o.size ?? Math.max(1, availableParallelism() - 1);
  const limits = {
    size,
    queueLimit: o.queueLimit ?? Math.max(16, 8 * size),
    perCallerLimit: o.perCallerLimit ?? Math.max(2, size),
    timeoutMs: o.timeoutMs ?? 30_000,
    memoryMb: o.memoryMb,
  };
  const positive = (name: string, v: number | undefined, min: number) => {
    if (v !== undefined && !(Number.isInteger(v) && v >= min))
      throw new Error(`work pool: ${name} must be an integer ≥ ${min}, got ${v}`);
  };
  positive('size', limits.size, 1);
  positive('queueLimit', limits.queueLimit, 0);
  positive('perCallerLimit', limits.perCallerLimit, 1);
  positive('timeoutMs', limits.timeoutMs, 1);
  positive('memoryMb', limits.memoryMb, 16);
  return Object.freeze(limits);
}

/** The answer of a job: its bytes, media type and strong ETag; or `missing` (see `HeavyOutput`). */
export type WorkResult =
  | { readonly kind: 'text'; readonly body: Buffer; readonly type: string; readonly etag: string }
  | { readonly kind: 'missing'; readonly what: string };

export interface WorkPoolCounts {
  started: number;
  timedOut: number;
  fullShipments: number;
  partialShipments: number;
  entriesShipped: number;
}

export class WorkRefusedError extends Error {
  override readonly name = 'WorkRefusedError';
  constructor(
    readonly reason: 'queue-full' | 'caller-limit' | 'closed',
    readonly limit: number,
    readonly retryAfterSeconds: number,
  ) {
    super(
      reason === 'queue-full'
        ? `the server is busy: ${limit} heavy requests are already waiting`
        : reason === 'caller-limit'
          ? `you already have ${limit} heavy requests waiting or running`
          : 'the server is shutting down',
    );
  }
}

export class WorkTimeoutError extends Error {
  override readonly name = 'WorkTimeoutError';
  constructor(readonly limitMs: number) {
    super(`the computation ran over the time limit of ${limitMs} ms and was stopped`);
  }
}

export class WorkerFailedError extends Error {
  override readonly name = 'WorkerFailedError';
  constructor(
    readonly reason: 'out-of-memory' | 'exited',
    readonly memoryMb: number | undefined,
    detail: string,
  ) {
    super(detail);
  }
}

export class WorkAbortedError extends Error {
  override readonly name = 'WorkAbortedError';
  constructor() {
    super('the request was abandoned while its job waited');
  }
}

interface Pending {
  readonly job: HeavyJob;
  readonly entries: readonly Evidence[];
  readonly caller: string;
  readonly resolve: (r: WorkResult) => void;
  readonly reject: (e: Error) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

/** What the main thread knows a worker holds of a case's ledger. */
interface Shipped {
  readonly source: WeakRef<readonly Evidence[]>;
  readonly length: number;
  readonly ids: readonly string[];
}

interface Slot {
  worker: Worker | undefined;
  ready: Promise<void> | undefined;
  busy: boolean;
  /** Settles the running job when the worker answers. */
  answer: ((m: FromWorker) => void) | undefined;
  /** Fails the running job when the worker dies. */
  died: ((e: Error) => void) | undefined;
  readonly shipped: Map<string, Shipped>;
}

const DEFAULT_WORKER_URL = (() => {
  const here = import.meta.url;
  return new URL(here.endsWith('.ts') ? './heavy-worker.ts' : './heavy-worker.js', here);
})();

/**
 * A worker entry that registers tsx (a development dependency, there when running from
 * sources) and then imports the TypeScript worker: Node 20 does not apply the hooks that a
 * worker's own `--import tsx` registers to the worker's entry module.
 */
function sourceEntry(url: URL): URL {
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import { register } from ${JSON.stringify(tsx)};\nregister();\nawait import(${JSON.stringify(url.href)});\n`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

export class WorkPool {
  readonly limits: WorkPoolLimits;
  readonly #start: WorkerStart;
  readonly #url: URL;
  readonly #slots: Slot[];
  readonly #queue: Pending[] = [];
  readonly #perCaller = new Map<string, number>();
  readonly #idsOf = new WeakMap<readonly Evidence[], readonly string[]>();
  #nextId = 1;
  #closed = false;
  readonly #counts: WorkPoolCounts = { started: 0, timedOut: 0, fullShipments: 0, partialShipments: 0, entriesShipped: 0 };
  /** Recent job duration (exponentially weighted), for `Retry-After`. */
  #typicalMs = 1000;

  constructor(cases: readonly ServedCaseData[], options: WorkPoolOptions = {}, workerUrl: URL = DEFAULT_WORKER_URL) {
    this.limits = workPoolLimits(options);
    this.#start = { cases: cases.map((c) => ({ case: c.case, series: c.series, coverage: c.coverage })) };
    this.#url = workerUrl;
    this.#slots = Array.from({ length: this.limits.size }, () => ({
      worker: undefined,
      ready: undefined,
      busy: false,
      answer: undefined,
      died: undefined,
      shipped: new Map(),
    }));
  }

  /** Jobs waiting, and running. */
  get load(): { readonly queued: number; readonly running: number } {
    return { queued: this.#queue.length, running: this.#slots.filter((s) => s.busy).length };
  }

  /** Workers started, jobs timed out, ledger updates sent (whole or partial) and the entries they carried, since the pool was made. */
  get counts(): Readonly<WorkPoolCounts> {
    return { ...this.#counts };
  }

  /** Runs `job` on `entries` (the job's case's ledger) for `caller`; see the contracts above. */
  run(job: HeavyJob, entries: readonly Evidence[], caller: string, signal?: AbortSignal): Promise<WorkResult> {
    if (this.#closed) return Promise.reject(new WorkRefusedError('closed', 0, this.#retryAfter()));
    const mine = this.#perCaller.get(caller) ?? 0;
    if (mine >= this.limits.perCallerLimit)
      return Promise.reject(new WorkRefusedError('caller-limit', this.limits.perCallerLimit, this.#retryAfter()));
    const idle = this.#slots.some((s) => !s.busy);
    if (!idle && this.#queue.length >= this.limits.queueLimit)
      return Promise.reject(new WorkRefusedError('queue-full', this.limits.queueLimit, this.#retryAfter()));
    if (signal?.aborted === true) return Promise.reject(new WorkAbortedError());
    return new Promise<WorkResult>((resolve, reject) => {
      this.#perCaller.set(caller, mine + 1);
      const release = () => {
        const n = (this.#perCaller.get(caller) ?? 1) - 1;
        if (n <= 0) this.#perCaller.delete(caller);
        else this.#perCaller.set(caller, n);
      };
      const pending: Pending = {
        job,
        entries,
        caller,
        signal,
        resolve: (r) => {
          release();
          resolve(r);
        },
        reject: (e) => {
          release();
          reject(e);
        },
        onAbort: () => {
          const at = this.#queue.indexOf(pending);
          if (at < 0) return;
          this.#queue.splice(at, 1);
          pending.reject(new WorkAbortedError());
        },
      };
      signal?.addEventListener('abort', pending.onAbort, { once: true });
      this.#queue.push(pending);
      this.#pump();
    });
  }

  /** Worker threads running now (started and not yet stopped, ready or loading). */
  get workers(): number {
    return this.#slots.filter((s) => s.worker !== undefined).length;
  }

  /**
   * Starts every worker now rather than at the first jobs (each loads the engine, which
   * takes a second or two) and ships each the ledgers given (case id → the entries a job
   * on that case will be run on, as `run` takes them), so that the first jobs neither start
   * a worker nor ship a whole ledger. Jobs arriving meanwhile wait for it. Rejects when a
   * worker fails to start (the pool stays usable: the next job starts it again).
   */
  async warm(ledgers: ReadonlyMap<string, readonly Evidence[]> = new Map()): Promise<void> {
    await Promise.all(
      this.#slots.map(async (slot) => {
        if (slot.busy || this.#closed) return;
        slot.busy = true;
        try {
          const worker = await this.#ensureWorker(slot);
          for (const [caseId, entries] of ledgers) {
            if (this.#closed || slot.worker !== worker) break;
            await this.#shipLedger(slot, worker, caseId, entries);
          }
        } finally {
          slot.worker?.unref();
          slot.busy = false;
          if (!this.#closed) this.#pump();
        }
      }),
    );
  }

  /** Refuses new jobs, fails waiting and running ones and terminates the workers. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const p of this.#queue.splice(0)) p.reject(new WorkRefusedError('closed', 0, 1));
    await Promise.all(
      this.#slots.map(async (s) => {
        const w = s.worker;
        s.died?.(new WorkRefusedError('closed', 0, 1));
        this.#reset(s);
        await w?.terminate();
      }),
    );
  }

  #retryAfter(): number {
    const waiting = this.#queue.length + this.limits.size;
    return Math.min(60, Math.max(1, Math.ceil((this.#typicalMs * waiting) / this.limits.size / 1000)));
  }

  #pump(): void {
    while (this.#queue.length > 0) {
      const idle = this.#slots.filter((s) => !s.busy);
      if (idle.length === 0) return;
      const next = this.#queue.shift() as Pending;
      next.signal?.removeEventListener('abort', next.onAbort);
      const holder = idle.find((s) => s.shipped.get(next.job.caseId)?.source.deref() === next.entries);
      const slot = holder ?? idle.find((s) => s.worker !== undefined) ?? (idle[0] as Slot);
      slot.busy = true;
      void this.#execute(slot, next);
    }
  }

  async #execute(slot: Slot, p: Pending): Promise<void> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      const worker = await this.#ensureWorker(slot);
      worker.ref();
      // Marks a death while the ledger ships as handled; the race below reports it.
      const answered = new Promise<FromWorker>((resolve, reject) => {
        slot.answer = resolve;
        slot.died = reject;
      });
      answered.catch(() => {});
      await this.#shipLedger(slot, worker, p.job.caseId, p.entries);
      const id = this.#nextId++;
      this.#post(worker, { type: 'job', id, job: p.job });
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new WorkTimeoutError(this.limits.timeoutMs)), this.limits.timeoutMs);
      });
      const m = await Promise.race([answered, timedOut]);
      if (m.type === 'failed') {
        const err = new Error(`heavy job ${p.job.kind} failed in a worker: ${m.message}`);
        if (m.stack !== undefined) err.stack = `${err.message}\n--- in the worker ---\n${m.stack}`;
        throw err;
      }
      if (m.type !== 'done' || m.id !== id) throw new Error(`heavy worker answered out of turn (${m.type})`);
      const o = m.output;
      this.#typicalMs = 0.8 * this.#typicalMs + 0.2 * (performance.now() - started);
      p.resolve(
        o.kind === 'missing'
          ? o
          : { kind: 'text', body: Buffer.from(o.body.buffer, o.body.byteOffset, o.body.byteLength), type: o.type, etag: o.etag },
      );
    } catch (err) {
      if (err instanceof WorkTimeoutError) this.#counts.timedOut += 1;
      if (err instanceof WorkTimeoutError || err instanceof WorkerFailedError) {
        const w = slot.worker;
        this.#reset(slot);
        void w?.terminate();
      }
      if (this.#closed) p.reject(err instanceof WorkRefusedError ? err : new WorkRefusedError('closed', 0, 1));
      else p.reject(err instanceof Error ? err : new Error(String(err)));
    } finally {
      clearTimeout(timer);
      slot.answer = undefined;
      slot.died = undefined;
      slot.worker?.unref();
      slot.busy = false;
      if (!this.#closed) this.#pump();
    }
  }

  /** Forgets the slot's worker and what it held; the next job starts a new one. */
  #reset(slot: Slot): void {
    slot.worker = undefined;
    slot.ready = undefined;
    slot.shipped.clear();
  }

  async #ensureWorker(slot: Slot): Promise<Worker> {
    if (slot.worker === undefined) {
      const fromSources = this.#url.pathname.endsWith('.ts');
      const worker = new Worker(fromSources ? sourceEntry(this.#url) : this.#url, {
        // From sources, none of the process's --import preloads: tsx is registered by the entry.
        ...(fromSources ? { execArgv: [] } : {}),
        workerData: this.#start,
        ...(this.limits.memoryMb === undefined ? {} : { resourceLimits: { maxOldGenerationSizeMb: this.limits.memoryMb } }),
      });
      slot.worker = worker;
      this.#counts.started += 1;
      slot.ready = new Promise<void>((resolve, reject) => {
        const onReady = (m: FromWorker) => {
          if (m.type !== 'ready') return;
          worker.off('message', onReady);
          resolve();
        };
        worker.on('message', onReady);
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new WorkerFailedError('exited', undefined, `worker exited with code ${code}`)));
      });
      worker.on('message', (m: FromWorker) => {
        if (m.type !== 'ready' && slot.worker === worker) slot.answer?.(m);
      });
      worker.on('error', (err: Error & { code?: string }) => {
        if (slot.worker !== worker) return;
        const oom = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
        slot.died?.(
          new WorkerFailedError(
            oom ? 'out-of-memory' : 'exited',
            this.limits.memoryMb,
            oom
              ? `the computation ran out of memory${this.limits.memoryMb === undefined ? '' : ` (limit ${this.limits.memoryMb} MiB)`}`
              : `the worker failed: ${err.message}`,
          ),
        );
        this.#reset(slot);
      });
      worker.on('exit', (code) => {
        if (slot.worker !== worker) return;
        slot.died?.(new WorkerFailedError('exited', this.limits.memoryMb, `the worker exited with code ${code}`));
        this.#reset(slot);
      });
    }
    try {
      await slot.ready;
    } catch (err) {
      this.#reset(slot);
      throw err;
    }
    return slot.worker as Worker;
  }

  #post(worker: Worker, message: ToWorker): void {
    worker.postMessage(message);
  }

  /** Brings the worker's copy of the case's ledger to `entries`, in chunks (ledger-shipping.ts). */
  async #shipLedger(slot: Slot, worker: Worker, caseId: string, entries: readonly Evidence[]): Promise<void> {
    const held = slot.shipped.get(caseId);
    if (held !== undefined && held.source.deref() === entries && held.length === entries.length) return;
    const plan = planLedgerUpdate(held?.ids, entries);
    slot.shipped.delete(caseId);
    if (plan.base === 'empty') this.#counts.fullShipments += 1;
    else this.#counts.partialShipments += 1;
    this.#counts.entriesShipped += plan.indices.length;
    this.#post(worker, { type: 'ledger-begin', caseId, base: plan.base, length: plan.length });
    for (let k = 0; k < plan.indices.length; k += LEDGER_CHUNK) {
      const indices = plan.indices.slice(k, k + LEDGER_CHUNK);
      this.#post(worker, { type: 'ledger-chunk', caseId, indices, entries: indices.map((i) => entries[i] as Evidence) });
      // Let other requests in between chunks of a large ledger.
      if (k + LEDGER_CHUNK < plan.indices.length) await new Promise((r) => setImmediate(r));
      if (slot.worker !== worker) throw new WorkerFailedError('exited', this.limits.memoryMb, 'the worker stopped');
    }
    this.#post(worker, { type: 'ledger-commit', caseId });
    slot.shipped.set(caseId, { source: new WeakRef(entries), length: entries.length, ids: this.#ids(entries) });
  }

  #ids(entries: readonly Evidence[]): readonly string[] {
    let ids = this.#idsOf.get(entries);
    if (ids === undefined) {
      ids = entries.map((e) => e.id);
      this.#idsOf.set(entries, ids);
    }
    return ids;
  }
}
