/**
 * The cases a server serves, and their assessments over the shared ledger.
 *
 * Contracts:
 * - A case's definition comes from its folder (loaded once, at start); its evidence lives
 *   in the store's ledger, which other processes may append to. Every read asks the store
 *   for the ledger's size first: since the ledger is append-only, an unchanged size means
 *   unchanged entries, so the cached entries (and assessments computed from them) are
 *   still exact. A size that differs from what this process knows makes it read the
 *   ledger again (another process wrote).
 * - A write through this process (`recordAppend`) updates the cached entries, their ids
 *   and the live assessment as of today in place: nothing is read back, and only the
 *   benchmarks that read the new entries are evaluated again (core/live-assessment.ts).
 *   When the store's size afterwards is not the size before plus what the write added,
 *   the cache is dropped and the next read reads the ledger again.
 * - The assessment as of today (no `recordedBy`) comes from the live assessment; others
 *   are cached by (case, ledger size, as-of, recorded-by); that cache is bounded (least
 *   recently used goes first).
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
import { type AssessmentOutcome, LiveAssessment } from '../core/live-assessment.ts';
import { byId } from '../core/order.ts';
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

/** What this process holds of one case's ledger. */
interface LedgerCache {
  count: number;
  /** Every entry, in the order read and appended (only this class sees it). */
  readonly list: Evidence[];
  /** `list` in id order, frozen: built when first asked for after a change. */
  sorted: readonly Evidence[] | undefined;
  readonly ids: Set<string>;
  /** The live assessment as of one day (today, when last asked), built on first use. */
  live?: LiveAssessment;
  /** The live assessment serialised, with the record it was serialised from. */
  liveJson?: { readonly of: Assessment; readonly text: JsonText<Assessment> };
}

export class CaseService {
  readonly #cases: ReadonlyMap<string, ServedCase>;
  readonly #ledger: LedgerStore;
  readonly #ledgers = new Map<string, LedgerCache>();
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

  /** The case's ledger as stored now (every entry, all recording dates), in id order. */
  async entries(caseId: string): Promise<readonly Evidence[]> {
    const cache = await this.#current(caseId);
    cache.sorted ??= Object.freeze([...cache.list].sort(byId));
    return cache.sorted;
  }

  /** The number of entries in the case's ledger as stored now (no sort, no copy). */
  async size(caseId: string): Promise<number> {
    return (await this.#current(caseId)).count;
  }

  /** The ids of the case's ledger as stored now. */
  async ids(caseId: string): Promise<ReadonlySet<string>> {
    return (await this.#current(caseId)).ids;
  }

  async #current(caseId: string): Promise<LedgerCache> {
    const count = await this.#ledger.count(caseId);
    const cached = this.#ledgers.get(caseId);
    if (cached !== undefined && cached.count === count) return cached;
    const entries = Object.freeze(await this.#ledger.entries(caseId));
    // Another writer may have appended between count and entries: key by what was read.
    const next: LedgerCache = {
      count: entries.length,
      list: [...entries],
      sorted: entries,
      ids: new Set(entries.map((e) => e.id)),
    };
    // The ledger only grows: the live assessment takes the entries it has not seen.
    if (cached?.live !== undefined) {
      cached.live.append(entries);
      next.live = cached.live;
    }
    this.#ledgers.set(caseId, next);
    return next;
  }

  /**
   * Records a write this process made: `entries` were appended (`added` of them new) to a
   * ledger of `before` entries. The caller serialises writes to the case (`serialise`).
   */
  async recordAppend(caseId: string, before: number, entries: readonly Evidence[], added: number): Promise<void> {
    const cached = this.#ledgers.get(caseId);
    if (cached === undefined || cached.count !== before) return;
    const fresh = entries.filter((e) => !cached.ids.has(e.id));
    if (fresh.length !== added) {
      this.#ledgers.delete(caseId);
      return;
    }
    if (added === 0) return;
    for (const e of fresh) {
      cached.ids.add(e.id);
      cached.list.push(e);
    }
    cached.count = before + added;
    cached.sorted = undefined;
    cached.live?.append(fresh);
  }

  /** The size of the case's ledger as this process last read or wrote it (undefined: not read). */
  knownCount(caseId: string): number | undefined {
    return this.#ledgers.get(caseId)?.count;
  }

  /** Benchmark statuses, gate decisions and departures as of `today`, from the live assessment. */
  async outcome(caseId: string, today: string): Promise<AssessmentOutcome> {
    return (await this.#live(caseId, today)).outcome();
  }

  /**
   * The same, from what this process holds, without asking the store for its size: for a
   * writer between the `recordAppend`s of one group commit, when the store already holds
   * the whole group. Falls back to `outcome` when nothing is held for the day.
   */
  async heldOutcome(caseId: string, today: string): Promise<AssessmentOutcome> {
    const live = this.#ledgers.get(caseId)?.live;
    return live !== undefined && live.asOf === today ? live.outcome() : this.outcome(caseId, today);
  }

  async assessment(caseId: string, asOf: string, recordedBy?: string): Promise<Assessment> {
    if (recordedBy === undefined && asOf === this.#liveDay(caseId)) return (await this.#live(caseId, asOf)).assessment();
    return (await this.#cached(caseId, asOf, recordedBy)).assessment;
  }

  /** The assessment as JSON text (serialised once per cached assessment). */
  async assessmentJson(caseId: string, asOf: string, recordedBy?: string): Promise<JsonText<Assessment>> {
    if (recordedBy === undefined && asOf === this.#liveDay(caseId)) {
      const live = await this.#live(caseId, asOf);
      const cache = this.#ledgers.get(caseId);
      const assessment = live.assessment();
      if (cache !== undefined && cache.live === live) {
        if (cache.liveJson?.of !== assessment) cache.liveJson = { of: assessment, text: jsonText(assessment) };
        return cache.liveJson.text;
      }
      return jsonText(assessment);
    }
    const entry = await this.#cached(caseId, asOf, recordedBy);
    entry.json ??= jsonText(entry.assessment);
    return entry.json;
  }

  #liveDay(caseId: string): string | undefined {
    return this.#ledgers.get(caseId)?.live?.asOf;
  }

  /** The live assessment as of `day`, built over the ledger when the day changes. */
  async #live(caseId: string, day: string): Promise<LiveAssessment> {
    const served = this.#require(caseId);
    const cache = await this.#current(caseId);
    if (cache.live === undefined || cache.live.asOf !== day) {
      cache.live = new LiveAssessment(served.case, cache.list, day, {
        series: served.series,
        coverage: served.coverage,
        sha256: nativeSha256,
      });
      delete cache.liveJson;
    }
    return cache.live;
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
