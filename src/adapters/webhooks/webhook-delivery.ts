/**
 * Webhook delivery: every alert is POSTed to every configured webhook, signed, in the
 * background, with retries.
 *
 * The request (what a receiver sees):
 *
 *     POST <webhook url>
 *     Content-Type: application/json
 *     X-Proviso-Event: alert
 *     X-Proviso-Delivery: <alert seq>-<webhook id>      (the same on every attempt: deduplicate on it)
 *     X-Proviso-Timestamp: <unix seconds of this attempt>
 *     X-Proviso-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>
 *
 *     {"type":"proviso.alert","alert":{ seq, caseId, kind, subject, from, to, asOf, evidenceIds, actor, at }}
 *
 * Verifying (receivers): take the raw request body exactly as received (before any JSON
 * parsing), compute HMAC-SHA256 with the webhook's secret over the timestamp header, a
 * dot, and the body; compare its hex digest with the signature header (after `sha256=`)
 * in constant time (`verifySignature` does this). Then reject timestamps more than a few
 * minutes from your clock, so a captured request cannot be replayed later; the timestamp
 * is signed, so it cannot be altered. Each retry carries a fresh timestamp and signature.
 *
 * Delivery contract:
 * - A 2xx response is delivered. Any other status, a network error or a timeout is retried
 *   with exponential backoff (`baseDelayMs × 2^(attempt−1)`, capped at `maxDelayMs`, with
 *   "equal jitter": a random point in the upper half of that delay) up to `maxAttempts`
 *   attempts in all — except 4xx statuses other than 408 and 429, which the receiver will
 *   refuse again and are not retried. Redirects are not followed (a 3xx is a failure).
 * - Every attempt is recorded with `recordDelivery` (status 0 when no response arrived,
 *   with the error); a failure to record is passed to `onError` and does not stop delivery.
 * - `dispatch` returns at once; deliveries of one alert to different webhooks, and of
 *   different alerts, run concurrently, so a receiver may see alerts out of `seq` order.
 * - `idle()` resolves when every delivery dispatched so far has finished (delivered, given
 *   up, or abandoned by `close`).
 * - `close()` stops retrying: no new attempt starts after it, a waiting retry is abandoned
 *   (unrecorded, since it was never attempted), attempts in flight finish (bounded by
 *   `timeoutMs`) and are recorded; it resolves when all of that is done. `dispatch` after
 *   `close` delivers nothing. There is no durable queue: deliveries pending at shutdown
 *   are lost (the alerts themselves are stored).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AlertRecord, DeliveryInput, TeamStore, Webhook } from '../../ports/team-store.ts';

export interface WebhookDispatcherDeps {
  readonly store: Pick<TeamStore, 'webhooks' | 'recordDelivery'>;
  readonly fetch?: typeof fetch;
  /** The clock: attempt timestamps (header and record). */
  readonly now?: () => Date;
  /** Waits between attempts; injected by tests to record the delays instead of waiting. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** In [0, 1); the jitter source (default `Math.random`). */
  readonly random?: () => number;
  /** Attempts in all, the first included (default 5). */
  readonly maxAttempts?: number;
  /** Delay before the second attempt, before jitter (default 1000 ms). */
  readonly baseDelayMs?: number;
  /** Largest delay between attempts, before jitter (default 60 000 ms). */
  readonly maxDelayMs?: number;
  /** How long one attempt may take until a response arrives (default 10 000 ms). */
  readonly timeoutMs?: number;
  /** Infrastructure failures (the store cannot list webhooks or record a delivery). Default: console.error. */
  readonly onError?: (error: unknown) => void;
}

export interface WebhookDispatcher {
  /** Queues the alerts for delivery to every webhook configured now; returns at once. */
  dispatch(alerts: readonly AlertRecord[]): void;
  /** Resolves when every delivery dispatched so far has finished. */
  idle(): Promise<void>;
  /** Stops retries and resolves when the attempts in flight are done (see the module contract). */
  close(): Promise<void>;
}

export const SIGNATURE_PREFIX = 'sha256=';

/** The alert's payload as sent (the exact bytes the signature covers). */
export function alertPayload(alert: AlertRecord): string {
  return JSON.stringify({ type: 'proviso.alert', alert });
}

/** `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>` */
export function signPayload(secret: string, timestamp: string | number, body: string): string {
  return SIGNATURE_PREFIX + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/**
 * Whether `signature` (the `X-Proviso-Signature` header) signs `timestamp` (the
 * `X-Proviso-Timestamp` header) and `body` (the raw body) with `secret`. Compares in
 * constant time. Does not check how old the timestamp is: the receiver must (see above).
 */
export function verifySignature(secret: string, timestamp: string | number, body: string, signature: string): boolean {
  const expected = Buffer.from(signPayload(secret, timestamp, body), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Whether a response status is worth another attempt. */
export function isRetryableStatus(status: number): boolean {
  if (status >= 200 && status < 300) return false;
  if (status >= 400 && status < 500) return status === 408 || status === 429;
  return true;
}

/** The delay before attempt `attempt + 1`, after `attempt` failed: capped exponential with equal jitter. */
export function backoffDelay(attempt: number, baseDelayMs: number, maxDelayMs: number, random: () => number): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a whole number of at least 1, got ${value}`);
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a number of at least 0, got ${value}`);
  return value;
}

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError' || error.name === 'AbortError') return `no response within ${timeoutMs} ms`;
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof Error) {
      const code = (cause as { code?: unknown }).code;
      return `${error.message}: ${typeof code === 'string' ? `${code} ` : ''}${cause.message}`.trim();
    }
    return error.message;
  }
  return String(error);
}

export function createWebhookDispatcher(deps: WebhookDispatcherDeps): WebhookDispatcher {
  const { store } = deps;
  const doFetch = deps.fetch ?? fetch;
  const now = deps.now ?? (() => new Date());
  const random = deps.random ?? Math.random;
  const maxAttempts = positiveInt('maxAttempts', deps.maxAttempts ?? 5);
  const baseDelayMs = nonNegative('baseDelayMs', deps.baseDelayMs ?? 1000);
  const maxDelayMs = nonNegative('maxDelayMs', deps.maxDelayMs ?? 60_000);
  const timeoutMs = positiveInt('timeoutMs', deps.timeoutMs ?? 10_000);
  const onError = deps.onError ?? ((error: unknown) => console.error('proviso webhooks:', error));

  const pending = new Set<Promise<void>>();
  let closed = false;
  /** Ends every wait for a retry when the dispatcher closes. */
  const wakers = new Set<() => void>();

  /** Waits `ms`, or less when the dispatcher closes meanwhile (whatever `deps.sleep` does). */
  function pause(ms: number): Promise<void> {
    if (closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = () => {
        if (timer !== undefined) clearTimeout(timer);
        wakers.delete(done);
        resolve();
      };
      wakers.add(done);
      if (deps.sleep === undefined) timer = setTimeout(done, ms);
      else deps.sleep(ms).then(done, done);
    });
  }

  function track(work: Promise<void>): void {
    const p = work.catch(onError).finally(() => pending.delete(p));
    pending.add(p);
  }

  async function record(delivery: DeliveryInput): Promise<void> {
    try {
      await store.recordDelivery(delivery);
    } catch (error) {
      onError(error);
    }
  }

  /** One attempt: the status (0 when no response arrived) and the error, if any. */
  async function attemptOnce(hook: Webhook, alert: AlertRecord, body: string, at: Date) {
    const timestamp = String(Math.floor(at.getTime() / 1000));
    try {
      const res = await doFetch(hook.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-Proviso-Event': 'alert',
          'X-Proviso-Delivery': `${alert.seq}-${hook.id}`,
          'X-Proviso-Timestamp': timestamp,
          'X-Proviso-Signature': signPayload(hook.secret, timestamp, body),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      // The body is not read: release the connection.
      await res.body?.cancel().catch(() => {});
      const ok = res.status >= 200 && res.status < 300;
      return { status: res.status, ok, retry: isRetryableStatus(res.status), error: ok ? undefined : `HTTP ${res.status}` };
    } catch (error) {
      return { status: 0, ok: false, retry: true, error: describeFailure(error, timeoutMs) };
    }
  }

  async function deliver(hook: Webhook, alert: AlertRecord): Promise<void> {
    const body = alertPayload(alert);
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (closed) return;
      const at = now();
      const result = await attemptOnce(hook, alert, body, at);
      await record({
        alertSeq: alert.seq,
        webhookId: hook.id,
        attempt,
        at: at.toISOString(),
        status: result.status,
        ok: result.ok,
        ...(result.error === undefined ? {} : { error: result.error }),
      });
      if (result.ok || !result.retry || attempt === maxAttempts || closed) return;
      await pause(backoffDelay(attempt, baseDelayMs, maxDelayMs, random));
    }
  }

  async function dispatchAll(alerts: readonly AlertRecord[]): Promise<void> {
    const hooks = await store.webhooks();
    for (const alert of alerts) for (const hook of hooks) track(deliver(hook, alert));
  }

  async function idle(): Promise<void> {
    while (pending.size > 0) await Promise.allSettled([...pending]);
  }

  return {
    dispatch(alerts) {
      if (closed || alerts.length === 0) return;
      track(dispatchAll(alerts));
    },
    idle,
    async close() {
      closed = true;
      for (const wake of [...wakers]) wake();
      await idle();
    },
  };
}
