/**
 * Throttling of password sign-ins: at most `maxFailures` failed attempts per account name,
 * and per client address, within any `windowMs` (a sliding window). Once either limit is
 * reached, further attempts are refused — before any password is checked, the right one
 * included — until the oldest counted failure leaves the window.
 *
 * Contracts:
 * - Counting is by the name typed, whether or not such a user exists, so a refusal says
 *   nothing about which names are accounts.
 * - `begin` counts the attempt as a failure at once, before the password is checked, and
 *   `succeeded` takes it back: concurrent guesses cannot all pass the check before the
 *   first of them is counted. A refused attempt is not counted (it cannot extend the lock).
 * - A success clears its account's count, not its address's: a client cannot sign in to an
 *   account of its own to wipe the failures it made on others.
 * - State is in memory, per process (see docs/server.md for why): a restart forgets it, and
 *   several processes each count on their own. Memory is bounded: each table holds at most
 *   `maxTracked` keys of at most `maxFailures` timestamps; when one is full the key whose
 *   last failure is oldest is forgotten first.
 * - Time is the caller's `now` (the server's injectable clock); nothing here reads a clock.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { sha256Hex } from './auth.ts';

export interface ThrottleLimit {
  /** Failures counted before attempts are refused. */
  readonly maxFailures: number;
  /** The sliding window the failures are counted in, in ms. */
  readonly windowMs: number;
}

export interface SignInThrottleOptions {
  readonly perAccount?: ThrottleLimit;
  readonly perAddress?: ThrottleLimit;
  /** Most keys each table remembers (default 50 000). */
  readonly maxTracked?: number;
}

/**
 * Per account: 5 failures in 15 minutes, about 480 guesses a day at most against one
 * account whatever the number of addresses, while a user who mistypes a few times is not
 * locked out. Per address: 30 in 15 minutes, so one client spraying a common password over
 * many accounts is slowed too, while a few people behind one NAT are not.
 */
export const DEFAULT_SIGN_IN_LIMITS = {
  perAccount: { maxFailures: 5, windowMs: 15 * 60_000 },
  perAddress: { maxFailures: 30, windowMs: 15 * 60_000 },
} as const satisfies Record<'perAccount' | 'perAddress', ThrottleLimit>;

export const DEFAULT_MAX_TRACKED = 50_000;

export type SignInDecision =
  | {
      readonly kind: 'allowed';
      /** The password was right: takes the attempt back and clears the account's failures. */
      readonly succeeded: () => void;
    }
  | {
      readonly kind: 'refused';
      /** Whole seconds (≥ 1) until an attempt may be allowed again: the `Retry-After` value. */
      readonly retryAfterSeconds: number;
    };

export interface SignInThrottle {
  /**
   * Whether an attempt to sign in as `account` from `address` (undefined when unknown: all
   * such attempts share one count) may check a password at `now`; if so it is counted as a
   * failure until `succeeded` is called.
   */
  begin(account: string, address: string | undefined, now: Date): SignInDecision;
}

/** Failure times (ms) per key, each list oldest first and at most `limit.maxFailures` long. */
class FailureTable {
  /** Map order is the order of last failure (a key is moved to the end on each), oldest first. */
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit: ThrottleLimit,
    private readonly maxTracked: number,
  ) {}

  /** Milliseconds until an attempt for `key` may go ahead at `now` (0: now). */
  waitMs(key: string, now: number): number {
    const times = this.live(key, now);
    if (times === undefined || times.length < this.limit.maxFailures) return 0;
    // Full: the oldest of the last maxFailures failures must leave the window first.
    const oldest = times[times.length - this.limit.maxFailures] ?? now;
    return Math.min(this.limit.windowMs, oldest + this.limit.windowMs - now);
  }

  add(key: string, now: number): void {
    const times = this.live(key, now) ?? [];
    this.failures.delete(key);
    times.push(now);
    if (times.length > this.limit.maxFailures) times.splice(0, times.length - this.limit.maxFailures);
    this.makeRoom(now);
    this.failures.set(key, times);
  }

  /** Takes back one failure counted for `key` at `at` (if still remembered). */
  remove(key: string, at: number): void {
    const times = this.failures.get(key);
    if (times === undefined) return;
    const i = times.lastIndexOf(at);
    if (i >= 0) times.splice(i, 1);
    if (times.length === 0) this.failures.delete(key);
  }

  clear(key: string): void {
    this.failures.delete(key);
  }

  /** The key's failures still in the window at `now`, dropping the rest. */
  private live(key: string, now: number): number[] | undefined {
    const times = this.failures.get(key);
    if (times === undefined) return undefined;
    const firstLive = times.findIndex((t) => now - t < this.limit.windowMs);
    if (firstLive === -1) {
      this.failures.delete(key);
      return undefined;
    }
    if (firstLive > 0) times.splice(0, firstLive);
    return times;
  }

  /** Before adding a key: forgets keys whose failures all left the window, then the least recent. */
  private makeRoom(now: number): void {
    for (const [key, times] of this.failures) {
      if (this.failures.size < this.maxTracked) return;
      const last = times[times.length - 1] ?? 0;
      if (now - last >= this.limit.windowMs) this.failures.delete(key);
      else break;
    }
    while (this.failures.size >= this.maxTracked) {
      const first = this.failures.keys().next();
      if (first.done === true) return;
      this.failures.delete(first.value);
    }
  }
}

function checkLimit(limit: ThrottleLimit, name: string): ThrottleLimit {
  if (!(Number.isSafeInteger(limit.maxFailures) && limit.maxFailures >= 1)) {
    throw new RangeError(`${name}.maxFailures ${limit.maxFailures} is not a whole number ≥ 1`);
  }
  if (!(Number.isFinite(limit.windowMs) && limit.windowMs >= 1000)) {
    throw new RangeError(`${name}.windowMs ${limit.windowMs} is not a duration of at least 1000 ms`);
  }
  return limit;
}

/**
 * The key an address is counted under: IPv4 as is (IPv4-mapped IPv6 addresses too), IPv6 by
 * its /64 prefix — one host can hold a whole /64 and rotate through it.
 */
export function addressKey(address: string | undefined): string {
  if (address === undefined || address === '') return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped !== null) return mapped[1] as string;
  if (isIPv4(address)) return address;
  const bare = address.replace(/%.*$/, '');
  if (!isIPv6(bare)) return `other:${address}`;
  const [head = '', tail = ''] = bare.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = bare.includes('::') && tail !== '' ? tail.split(':') : [];
  const groups = bare.includes('::')
    ? [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups]
    : headGroups;
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

export function createSignInThrottle(options: SignInThrottleOptions = {}): SignInThrottle {
  const maxTracked = options.maxTracked ?? DEFAULT_MAX_TRACKED;
  if (!(Number.isSafeInteger(maxTracked) && maxTracked >= 1)) {
    throw new RangeError(`maxTracked ${maxTracked} is not a whole number ≥ 1`);
  }
  const accounts = new FailureTable(
    checkLimit(options.perAccount ?? DEFAULT_SIGN_IN_LIMITS.perAccount, 'perAccount'),
    maxTracked,
  );
  const addresses = new FailureTable(
    checkLimit(options.perAddress ?? DEFAULT_SIGN_IN_LIMITS.perAddress, 'perAddress'),
    maxTracked,
  );
  return {
    begin(account, address, now) {
      // Names are hashed so that a key's size does not depend on what a client sends.
      const accountKey = sha256Hex(account);
      const fromKey = addressKey(address);
      const at = now.getTime();
      const waitMs = Math.max(accounts.waitMs(accountKey, at), addresses.waitMs(fromKey, at));
      if (waitMs > 0) return { kind: 'refused', retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
      accounts.add(accountKey, at);
      addresses.add(fromKey, at);
      return {
        kind: 'allowed',
        succeeded: () => {
          accounts.clear(accountKey);
          addresses.remove(fromKey, at);
        },
      };
    },
  };
}
