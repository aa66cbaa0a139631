/**
 * What the routes use to answer heavy requests: the worker pool (workers/work-pool.ts) and
 * the cache of computed answers (representation.ts), and the mapping of the pool's
 * failures to the API's errors.
 *
 * Contracts:
 * - `answerHeavy` answers a job's result as a cached representation keyed by the job and
 *   the case's ledger size (the ledger is append-only, so an unchanged size means unchanged
 *   entries, as in case-service.ts): repeated requests are answered from memory with their
 *   ETag (304 when the client holds it) and negotiated compression.
 * - `heavyWorkError` maps the pool's failures: a full queue or a caller over its share is
 *   503 `busy` with `Retry-After` and the limit in `details`; a job over the time limit is
 *   504 `timeout` naming the limit; a worker that died (out of memory) 503 `unavailable`.
 */
import type { Context } from 'hono';
import { ApiError } from './api-error.ts';
import type { AuthContext, ServerDeps } from './context.ts';
import { answerRepresentation, Representation, RepresentationCache } from './representation.ts';
import type { HeavyJob } from './workers/heavy-jobs.ts';
import {
  WorkAbortedError,
  WorkerFailedError,
  WorkPool,
  type WorkPoolOptions,
  WorkRefusedError,
  type WorkResult,
  WorkTimeoutError,
} from './workers/work-pool.ts';

/** Default byte budget of cached answers. */
export const DEFAULT_ANSWER_CACHE_BYTES = 64 * 1024 * 1024;

export interface HeavyWork {
  readonly pool: WorkPool;
  readonly answers: RepresentationCache;
}

export function createHeavyWork(deps: ServerDeps): HeavyWork {
  const given = deps.heavyWork;
  const pool =
    given instanceof WorkPool
      ? given
      : new WorkPool(
          deps.cases.list().map((s) => ({ case: s.case, series: s.series, coverage: s.coverage })),
          (given ?? {}) as WorkPoolOptions,
        );
  return { pool, answers: new RepresentationCache(deps.answerCacheBytes ?? DEFAULT_ANSWER_CACHE_BYTES) };
}

/** Runs `job` in the pool on the case's ledger as stored now, for the signed-in caller. */
export async function runHeavy(c: Context, deps: ServerDeps, work: HeavyWork, job: HeavyJob): Promise<WorkResult> {
  const entries = await deps.cases.entries(job.caseId);
  return runOn(c, work, job, entries, c.req.raw.signal);
}

function runOn(
  c: Context,
  work: HeavyWork,
  job: HeavyJob,
  entries: Parameters<WorkPool['run']>[1],
  signal: AbortSignal | undefined,
) {
  const caller = (c.get('auth') as AuthContext | undefined)?.user.id ?? 'anonymous';
  return work.pool.run(job, entries, caller, signal).catch((err: unknown) => {
    throw heavyWorkError(err) ?? err;
  });
}

/** The job of an assessment (its properties always in this order: it keys the cache). */
export function assessmentJob(caseId: string, asOf: string, recordedBy: string | undefined): HeavyJob {
  return { kind: 'assessment', caseId, asOf, ...(recordedBy === undefined ? {} : { recordedBy }) };
}

/** The key of a job's answer over a ledger of `ledgerSize` entries in `HeavyWork.answers`. */
export function heavyAnswerKey(ledgerSize: number, job: HeavyJob): string {
  return `${ledgerSize}\u0000${JSON.stringify(job)}`;
}

/** Answers a job whose result is the same for every caller, from the cache when it holds it. */
export async function answerHeavy(c: Context, deps: ServerDeps, work: HeavyWork, job: HeavyJob): Promise<Response> {
  const key = heavyAnswerKey(await deps.cases.size(job.caseId), job);
  // Not abandoned with its request: others may be waiting for the same answer, and it is kept.
  const rep = await work.answers.get(key, async () => {
    const result = await runOn(c, work, job, await deps.cases.entries(job.caseId), undefined);
    if (result.kind !== 'text') throw new Error(`heavy job ${job.kind} answered ${result.kind}`);
    return new Representation(result.body, result.type, result.etag);
  });
  return answerRepresentation(c, rep);
}

/** The API error a failure of the pool is answered with; undefined for anything else. */
export function heavyWorkError(err: unknown): ApiError | undefined {
  if (err instanceof WorkRefusedError)
    return new ApiError('busy', `${err.message}; try again in ${err.retryAfterSeconds} s`, {
      headers: { 'Retry-After': String(err.retryAfterSeconds) },
      details: { reason: err.reason, limit: err.limit, retryAfterSeconds: err.retryAfterSeconds },
    });
  if (err instanceof WorkTimeoutError)
    return new ApiError('timeout', `${err.message}; ask for less (a shorter range, a longer step, an earlier date)`, {
      details: { limitMs: err.limitMs },
    });
  if (err instanceof WorkerFailedError)
    return new ApiError('unavailable', `${err.message}; ask for less, or try again`, {
      details: { reason: err.reason, ...(err.memoryMb === undefined ? {} : { limitMb: err.memoryMb }) },
    });
  if (err instanceof WorkAbortedError) return new ApiError('unavailable', err.message);
  return undefined;
}
