/**
 * The cases a server serves, and their assessments over the shared ledger.
 *
 * Contracts:
 * - A case's definition comes from its folder (loaded once, at start); its evidence lives
 *   in the store's ledger, which other processes may append to. Every read asks the store
 *   for the ledger's size first: since the ledger is append-only, an unchanged size means
 *   unchanged entries, so the cached entries (and assessments computed from them) are
 *   still exact.
 * - Assessments are cached by (case, ledger size, as-of, recorded-by); the cache is
 *   bounded (least recently used goes first).
 * - `watch` computes alerts: it keeps, per case, the last assessment as of "today" that it
 *   compared, and diffs the next one against it. Calls for one case are serialised, so two
 *   appends arriving together neither double-report nor miss a change.
 */
import { nativeSha256 } from '../adapters/native-sha256.ts';
import { type Assessment, assess } from '../core/assess.ts';
import type { Case } from '../core/case-model.ts';
import type { Step } from '../core/dates.ts';
import type { Evidence } from '../core/evidence.ts';
import { type History, history } from '../core/history.ts';
import type { SeriesCoverage, SeriesInputs } from '../core/series.ts';
import type { LedgerStore } from '../ports/ledger-store.ts';
import { type JsonText, jsonText } from './wire.ts';

export interface ServedCase {
  readonly case: Case;
  /** The case folder, for messages. */
  readonly dir: string;
  readonly series: SeriesInputs;
  readonly coverage: SeriesCoverage;
}

const CACHE_LIMIT = 64;

export class CaseService {
  readonly #cases: ReadonlyMap<string, ServedCase>;
  readonly #ledger: LedgerStore;
  readonly #entries = new Map<string, { count: number; entries: readonly Evidence[] }>();
  readonly #assessments = new Map<string, { readonly assessment: Assessment; json?: JsonText<Assessment> }>();
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(cases: readonly ServedCase[], ledger: LedgerStore) {
    this.#cases = new Map(cases.map((c) => [c.case.id, c]));
    this.#ledger = ledger;
  }

  list(): ServedCase[] {
    return [...this.#cases.values()];
  }

  get(caseId: string): ServedCase | undefined {
    return this.#cases.get(caseId);
  }

  /** The case's ledger as stored now (every entry, all recording dates). */
  async entries(caseId: string): Promise<readonly Evidence[]> {
    const count = await this.#ledger.count(caseId);
    const cached = this.#entries.get(caseId);
    if (cached !== undefined && cached.count === count) return cached.entries;
    const entries = Object.freeze(await this.#ledger.entries(caseId));
    // Another writer may have appended between count and entries: key by what was read.
    this.#entries.set(caseId, { count: entries.length, entries });
    return entries;
  }

  async assessment(caseId: string, asOf: string, recordedBy?: string): Promise<Assessment> {
    return (await this.#cached(caseId, asOf, recordedBy)).assessment;
  }

  /** The assessment as JSON text (serialised once per cached assessment). */
  async assessmentJson(caseId: string, asOf: string, recordedBy?: string): Promise<JsonText<Assessment>> {
    const entry = await this.#cached(caseId, asOf, recordedBy);
    entry.json ??= jsonText(entry.assessment);
    return entry.json;
  }

  async #cached(
    caseId: string,
    asOf: string,
    recordedBy?: string,
  ): Promise<{ readonly assessment: Assessment; json?: JsonText<Assessment> }> {
    const served = this.#require(caseId);
    const entries = await this.entries(caseId);
    const key = JSON.stringify([caseId, entries.length, asOf, recordedBy ?? null]);
    const hit = this.#assessments.get(key);
    if (hit !== undefined) {
      this.#assessments.delete(key);
      this.#assessments.set(key, hit);
      return hit;
    }
    const assessment = assess(served.case, entries, asOf, {
      series: served.series,
      coverage: served.coverage,
      sha256: nativeSha256,
      ...(recordedBy === undefined ? {} : { recordedBy }),
    });
    const entry: { readonly assessment: Assessment; json?: JsonText<Assessment> } = { assessment };
    this.#assessments.set(key, entry);
    if (this.#assessments.size > CACHE_LIMIT) {
      const oldest = this.#assessments.keys().next().value;
      if (oldest !== undefined) this.#assessments.delete(oldest);
    }
    return entry;
  }

  async history(caseId: string, from: string, to: string, step: Step, recordedBy?: string): Promise<History> {
    const served = this.#require(caseId);
    const entries = await this.entries(caseId);
    return history(served.case, entries, from, to, step, {
      series: served.series,
      coverage: served.coverage,
      ...(recordedBy === undefined ? {} : { recordedBy }),
    });
  }

  /** Runs `task` after every earlier task for the same case has finished. */
  serialise<T>(caseId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(caseId) ?? Promise.resolve();
    const next = previous.then(task, task);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.#queues.set(caseId, settled);
    void settled.then(() => {
      if (this.#queues.get(caseId) === settled) this.#queues.delete(caseId);
    });
    return next;
  }

  #require(caseId: string): ServedCase {
    const served = this.#cases.get(caseId);
    if (served === undefined) throw new Error(`unknown case ${caseId}`);
    return served;
  }
}
