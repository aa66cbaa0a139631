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
 * - Writes to one case are serialised in this process. The case's statuses, decisions and
 *   departures as of today are taken just before the append and again after it, from the
 *   live assessment (case-service.ts), which the append updates in place; every benchmark
 *   status, gate decision or departure that differs is recorded as an alert (naming the
 *   entries just written) and handed to the webhook dispatcher. Entries another process
 *   appended in between are in both views' ledgers only if they arrived before the first:
 *   their effect may be attributed to this write.
 */
import { validateEvidenceInput } from '../adapters/case-files/validate-evidence-input.ts';
import { type AlertSubjects, diffAssessments } from '../core/alerts.ts';
import type { Evidence } from '../core/evidence.ts';
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
): Promise<{ ok: true; entries: Evidence[] } | { ok: false; problems: RequestProblem[] }> {
  const stored = await deps.cases.ids(served.case.id);
  const batchIds = new Set<string>();
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

export async function writeEvidence(
  deps: ServerDeps,
  served: ServedCase,
  raws: readonly unknown[],
  user: User,
  options: { readonly batch: boolean; readonly action?: string },
): Promise<WriteOutcome> {
  const now = deps.now();
  const today = todayOf(now);
  const caseId = served.case.id;
  return deps.cases.serialise(caseId, async () => {
    const validated = await validateBatch(deps, served, raws, today, (i) => (options.batch ? `entries.${i}` : ''));
    if (!validated.ok) return { kind: 'invalid', problems: validated.problems };
    const entries = validated.entries;
    const before = await deps.cases.outcome(caseId, today);
    const count = deps.cases.knownCount(caseId);
    const supersedes = entries.flatMap((e) => (e.supersedes === undefined ? [] : [e.supersedes]));
    const result = await deps.store.appendEvidence(caseId, entries, {
      actor: user.name,
      action: options.action ?? 'evidence.append',
      at: now.toISOString(),
      caseId,
      ids: entries.map((e) => e.id),
      supersedes,
      detail: {},
    });
    if (!result.ok) {
      const at = (id: string) => {
        const i = entries.findIndex((e) => e.id === id);
        return options.batch && i >= 0 ? `entries.${i}.id` : 'id';
      };
      const problems = result.conflicts.map((c) => ({
        code: 'conflict',
        path: at(c.id),
        message: `${c.id}: ${c.reason}`,
        details: { id: c.id },
      }));
      return { kind: 'conflict', problems };
    }
    if (count !== undefined) await deps.cases.recordAppend(caseId, count, entries, result.added);
    const alerts = await checkForAlerts(deps, before, caseId, today, entries, user, now);
    return { kind: 'stored', added: result.added, unchanged: result.unchanged, ids: entries.map((e) => e.id), alerts };
  });
}

async function checkForAlerts(
  deps: ServerDeps,
  before: AlertSubjects,
  caseId: string,
  today: string,
  entries: readonly Evidence[],
  user: User,
  now: Date,
): Promise<AlertRecord[]> {
  const after = await deps.cases.outcome(caseId, today);
  const changes = diffAssessments(before, after);
  if (changes.length === 0) return [];
  const inputs: AlertInput[] = changes.map((ch) => ({
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
  const recorded = await deps.store.recordAlerts(inputs);
  deps.alerts?.dispatch(recorded);
  return recorded;
}
