/**
 * Writing evidence through the server: validation as in case files, the ledger time set
 * by the server, one atomic append with its audit record, then the watch for changes.
 *
 * Contracts:
 * - `recorded` is the ledger time and is the server's today: a client may omit it or send
 *   today's date, never another (backdating would break "reproduce last month's
 *   assessment exactly").
 * - Every entry of a batch is validated against the case and against the ledger's ids plus
 *   the batch's own, and against the server's input limits (input-limits.ts: lengths,
 *   list sizes, dates from 1900 to 2100); any problem refuses the whole batch with every
 *   problem listed (core problems, problems.ts), paths prefixed `entries.N.` for batches.
 * - A conflict with stored content refuses the batch (409) and stores nothing, audit
 *   included; each conflict is a problem with code `conflict` at the entry's `id`.
 * - Writes to one case are serialised in this process, and those that arrive while one
 *   is being stored are stored together next, in one transaction (a group commit, at most
 *   MAX_GROUP): each validated against the ledger and the group's writes before it, each
 *   with its own audit record and result (a conflict refuses that write alone), each
 *   acknowledged only after the commit. The alerts of a group are recorded in one call.
 * - The case's statuses, decisions and
 *   departures as of today are taken just before the append and again after it, from the
 *   live assessment (case-service.ts), which the append updates in place; every benchmark
 *   status, gate decision or departure that differs is recorded as an alert (naming the
 *   entries just written) and handed to the webhook dispatcher. Entries another process
 *   appended in between are in both views' ledgers only if they arrived before the first:
 *   their effect may be attributed to this write.
 */
import { validateEvidenceInput } from '../adapters/case-files/validate-evidence-input.ts';
import { type AlertSubjects, diffAssessments, type StatusChange } from '../core/alerts.ts';
import type { Evidence } from '../core/evidence.ts';
import type { AppendResult, LedgerConflict } from '../ports/ledger-store.ts';
import type { AlertInput, AlertRecord, User } from '../ports/team-store.ts';
import type { ServedCase } from './case-service.ts';
import type { ServerDeps } from './context.ts';
import { evidenceLimitProblems } from './input-limits.ts';
import { evidenceProblem, joinPath, type RequestProblem } from './problems.ts';

export const MAX_BATCH = 1000;

export type WriteOutcome =
  | {
      readonly kind: 'stored';
      readonly added: number;
      readonly unchanged: number;
      readonly ids: readonly string[];
      readonly alerts: readonly AlertRecord[];
    }
  | { readonly kind: 'invalid'; readonly problems: readonly RequestProblem[] }
  | { readonly kind: 'conflict'; readonly problems: readonly RequestProblem[] };

export function todayOf(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** Validates raw entries (as sent) into evidence, with `recorded` set to `today`. */
export async function validateBatch(
  deps: ServerDeps,
  served: ServedCase,
  raws: readonly unknown[],
  today: string,
  base: (i: number) => string,
  earlier: ReadonlySet<string> = new Set(),
): Promise<{ ok: true; entries: Evidence[] } | { ok: false; problems: RequestProblem[] }> {
  const stored = await deps.cases.ids(served.case.id);
  const batchIds = new Set<string>(earlier);
  for (const raw of raws) {
    const id = (raw as { id?: unknown } | null)?.id;
    if (typeof id === 'string') batchIds.add(id);
  }
  // The stored ids and the batch's, without copying the ledger's.
  const ids = {
    has: (id: string) => stored.has(id) || batchIds.has(id),
    *[Symbol.iterator]() {
      yield* stored;
      for (const id of batchIds) if (!stored.has(id)) yield id;
    },
  };
  const problems: RequestProblem[] = [];
  const entries: Evidence[] = [];
  raws.forEach((raw, i) => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      problems.push({ code: 'invalid-type', path: base(i), message: 'expected an evidence item (an object)' });
      return;
    }
    const record = raw as Record<string, unknown>;
    if (record.recorded !== undefined && record.recorded !== today) {
      problems.push({
        code: 'invalid-value',
        path: joinPath(base(i), 'recorded'),
        message: `recorded is the ledger date and is set by the server (today, ${today}); leave it out`,
      });
      return;
    }
    const limited = evidenceLimitProblems(record, base(i));
    problems.push(...limited);
    const result = validateEvidenceInput(served.case, { ...record, recorded: today }, { ids });
    if (result.ok) entries.push(result.evidence);
    else
      for (const p of result.problems.map((q) => evidenceProblem(q, base(i))))
        if (!limited.some((l) => l.path === p.path)) problems.push(p);
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, entries };
}

/** A write waiting for the next group commit of its case. */
interface PendingWrite {
  readonly served: ServedCase;
  readonly raws: readonly unknown[];
  readonly user: User;
  readonly options: { readonly batch: boolean; readonly action?: string };
  readonly now: Date;
  readonly resolve: (outcome: WriteOutcome) => void;
  readonly reject: (error: unknown) => void;
}

/** At most this many writes share one transaction. */
export const MAX_GROUP = 64;

/** Writes waiting, per server (its deps) and case. */
const waiting = new WeakMap<ServerDeps, Map<string, PendingWrite[]>>();

/**
 * Stores a write: validated, appended with its audit record, then the alerts it causes.
 * Writes to one case that arrive while the previous group is being stored wait, and are
 * then stored together, in arrival order, in one transaction (a group commit): each is
 * validated against the ledger and the writes before it, each keeps its own audit record
 * and result, and each is acknowledged only once the transaction has committed.
 */
export function writeEvidence(
  deps: ServerDeps,
  served: ServedCase,
  raws: readonly unknown[],
  user: User,
  options: { readonly batch: boolean; readonly action?: string },
): Promise<WriteOutcome> {
  const caseId = served.case.id;
  let byCase = waiting.get(deps);
  if (byCase === undefined) {
    byCase = new Map();
    waiting.set(deps, byCase);
  }
  let queue = byCase.get(caseId);
  if (queue === undefined) {
    queue = [];
    byCase.set(caseId, queue);
  }
  const q = queue;
  return new Promise<WriteOutcome>((resolve, reject) => {
    q.push({ served, raws, user, options, now: deps.now(), resolve, reject });
    // The first write to wait schedules the next group; later ones join it.
    if (q.length === 1) void deps.cases.serialise(caseId, () => commitWaiting(deps, caseId, q));
  });
}

/** Takes the writes waiting (those of one day, at most MAX_GROUP) and stores them as one group. */
async function commitWaiting(deps: ServerDeps, caseId: string, queue: PendingWrite[]): Promise<void> {
  const today = todayOf((queue[0] as PendingWrite).now);
  let n = 0;
  while (n < queue.length && n < MAX_GROUP && todayOf((queue[n] as PendingWrite).now) === today) n += 1;
  const group = queue.splice(0, n);
  if (queue.length > 0) void deps.cases.serialise(caseId, () => commitWaiting(deps, caseId, queue));
  try {
    await commitGroup(deps, caseId, today, group);
  } catch (error) {
    for (const p of group) p.reject(error);
  }
}

async function commitGroup(deps: ServerDeps, caseId: string, today: string, group: readonly PendingWrite[]): Promise<void> {
  // Validation: each write against the ledger and the writes of the group before it.
  const accepted: { readonly p: PendingWrite; readonly entries: Evidence[] }[] = [];
  const earlier = new Set<string>();
  for (const p of group) {
    const validated = await validateBatch(deps, p.served, p.raws, today, (i) => (p.options.batch ? `entries.${i}` : ''), earlier);
    if (!validated.ok) {
      p.resolve({ kind: 'invalid', problems: validated.problems });
      continue;
    }
    for (const e of validated.entries) earlier.add(e.id);
    accepted.push({ p, entries: validated.entries });
  }
  if (accepted.length === 0) return;
  let before: AlertSubjects = await deps.cases.outcome(caseId, today);
  let count = deps.cases.knownCount(caseId);
  const results = await deps.store.appendEvidenceGroup(
    caseId,
    accepted.map(({ p, entries }) => ({
      entries,
      audit: {
        actor: p.user.name,
        action: p.options.action ?? 'evidence.append',
        at: p.now.toISOString(),
        caseId,
        ids: entries.map((e) => e.id),
        supersedes: entries.flatMap((e) => (e.supersedes === undefined ? [] : [e.supersedes])),
        detail: {},
      },
    })),
  );
  // Committed: each stored write in turn updates the live assessment; its changes are its alerts.
  const outcomes: { readonly p: PendingWrite; readonly outcome: WriteOutcome | 'stored'; alerts: AlertInput[] }[] = [];
  for (const [i, { p, entries }] of accepted.entries()) {
    const result = results[i] as AppendResult;
    if (!result.ok) {
      outcomes.push({ p, outcome: conflictOutcome(result.conflicts, entries, p.options.batch), alerts: [] });
      continue;
    }
    if (count !== undefined) {
      await deps.cases.recordAppend(caseId, count, entries, result.added);
      count += result.added;
    }
    // The store already holds the whole group: read what this process holds, not the store.
    const after = await deps.cases.heldOutcome(caseId, today);
    const alerts = alertInputs(diffAssessments(before, after), caseId, today, entries, p.user, p.now);
    before = after;
    const stored: WriteOutcome = {
      kind: 'stored',
      added: result.added,
      unchanged: result.unchanged,
      ids: entries.map((e) => e.id),
      alerts: [],
    };
    outcomes.push({ p, outcome: stored, alerts });
  }
  // The alerts of the whole group in one transaction, then each write acknowledged with its own.
  const inputs = outcomes.flatMap((o) => o.alerts);
  const recorded = inputs.length === 0 ? [] : await deps.store.recordAlerts(inputs);
  if (recorded.length > 0) deps.alerts?.dispatch(recorded);
  let at = 0;
  for (const o of outcomes) {
    const mine = recorded.slice(at, at + o.alerts.length);
    at += o.alerts.length;
    const outcome = o.outcome as WriteOutcome;
    o.p.resolve(outcome.kind === 'stored' ? { ...outcome, alerts: mine } : outcome);
  }
}

function conflictOutcome(conflicts: readonly LedgerConflict[], entries: readonly Evidence[], batch: boolean): WriteOutcome {
  const at = (id: string) => {
    const i = entries.findIndex((e) => e.id === id);
    return batch && i >= 0 ? `entries.${i}.id` : 'id';
  };
  return {
    kind: 'conflict',
    problems: conflicts.map((c) => ({
      code: 'conflict',
      path: at(c.id),
      message: `${c.id}: ${c.reason}`,
      details: { id: c.id },
    })),
  };
}

function alertInputs(
  changes: readonly StatusChange[],
  caseId: string,
  today: string,
  entries: readonly Evidence[],
  user: User,
  now: Date,
): AlertInput[] {
  return changes.map((ch) => ({
    caseId,
    kind: ch.kind,
    subject: ch.subject,
    from: ch.from,
    to: ch.to,
    asOf: today,
    evidenceIds: entries.map((e) => e.id),
    actor: user.name,
    at: now.toISOString(),
  }));
}
