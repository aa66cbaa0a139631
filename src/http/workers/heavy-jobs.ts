/**
 * The server's heavy computations as jobs: plain data in, the bytes of the answer out.
 * The worker threads (heavy-worker.ts) run them; nothing here knows about threads or HTTP.
 *
 * Contracts:
 * - A job is structured-cloneable data naming the case and the request's parameters; what
 *   it reads besides is the case as served (`ServedCaseData`, given to each worker once) and
 *   the case's ledger (given once per ledger change, see ledger-shipping.ts).
 * - `computeHeavyJob` answers exactly what the main thread answered before these jobs
 *   existed: the same functions on the same inputs, serialised the same way (JSON text as
 *   `JSON.stringify`, HTML and Markdown as rendered), as UTF-8. test/http/heavy-work.test.ts
 *   compares the two byte for byte.
 * - The caches below hold results per ledger version (a number the caller increments on
 *   every ledger change); they only spare repeated work and never change a result.
 */
import { nativeSha256 } from '../../adapters/native-sha256.ts';
import { type Assessment, assess } from '../../core/assess.ts';
import type { Case } from '../../core/case-model.ts';
import type { Step } from '../../core/dates.ts';
import type { Evidence } from '../../core/evidence.ts';
import { history } from '../../core/history.ts';
import type { SeriesCoverage, SeriesInputs } from '../../core/series.ts';
import type { AlertRecord } from '../../ports/team-store.ts';
import type { BriefModel } from '../../report/brief-model.ts';
import { buildFullBrief } from '../../report/full-brief.ts';
import { renderHtmlBrief } from '../../report/html-brief.ts';
import { renderMarkdownBrief } from '../../report/markdown-brief.ts';
import { renderBenchmarkPage } from '../../web/benchmark-page.ts';
import { renderDashboardPage } from '../../web/dashboard-page.ts';
import { renderJustificationsPage } from '../../web/justifications-page.ts';
import type { PageContext } from '../../web/layout.ts';

/** A served case as a worker receives it: the case as loaded at start, and its series inputs. */
export interface ServedCaseData {
  readonly case: Case;
  readonly series: SeriesInputs;
  readonly coverage: SeriesCoverage;
}

export const HEAVY_JOB_KINDS = [
  'assessment',
  'history',
  'brief',
  'dashboard-page',
  'benchmark-page',
  'justifications-page',
] as const;
export type HeavyJobKind = (typeof HEAVY_JOB_KINDS)[number];

/** What a route asks a worker to compute. Dates are checked by the route before. */
export type HeavyJob =
  | { readonly kind: 'assessment'; readonly caseId: string; readonly asOf: string; readonly recordedBy?: string }
  | {
      readonly kind: 'history';
      readonly caseId: string;
      readonly from: string;
      readonly to: string;
      readonly step: Step;
      readonly recordedBy?: string;
    }
  | {
      readonly kind: 'brief';
      readonly caseId: string;
      readonly asOf: string;
      readonly since?: string;
      readonly format: 'html' | 'md';
    }
  | {
      readonly kind: 'dashboard-page';
      readonly caseId: string;
      readonly asOf: string;
      readonly ctx: PageContext;
      readonly alerts: readonly AlertRecord[];
    }
  | {
      readonly kind: 'benchmark-page';
      readonly caseId: string;
      readonly asOf: string;
      readonly benchmarkId: string;
      readonly ctx: PageContext;
    }
  | { readonly kind: 'justifications-page'; readonly caseId: string; readonly asOf: string; readonly ctx: PageContext };

/**
 * A job's answer: its text, and its media type. `missing` (benchmark pages only) says the
 * case has no benchmark of that id: the route answers its 404 page.
 */
export type HeavyOutput =
  | { readonly kind: 'text'; readonly text: string; readonly type: string }
  | { readonly kind: 'missing'; readonly what: string };

export const JSON_TYPE = 'application/json';
export const HTML_TYPE = 'text/html; charset=utf-8';
export const MARKDOWN_TYPE = 'text/markdown; charset=utf-8';

/** What `computeHeavyJob` reads: the served case, its ledger at some version, and the caches. */
export interface JobInputs {
  readonly served: ServedCaseData;
  readonly entries: readonly Evidence[];
  /** Changes whenever `entries` does (keys the caches). */
  readonly version: number;
  readonly caches: JobCaches;
}

/** Least-recently-used caches of the results pages reuse: assessments and brief models. */
export class JobCaches {
  readonly #assessments = new LruMap<Assessment>(16);
  readonly #briefs = new LruMap<BriefModel>(4);

  assessment(inputs: Omit<JobInputs, 'caches'>, asOf: string, recordedBy: string | undefined): Assessment {
    const key = JSON.stringify([inputs.served.case.id, inputs.version, asOf, recordedBy ?? null]);
    return this.#assessments.getOrSet(key, () =>
      // As CaseService assesses (src/http/case-service.ts).
      assess(inputs.served.case, inputs.entries, asOf, {
        series: inputs.served.series,
        coverage: inputs.served.coverage,
        sha256: nativeSha256,
        ...(recordedBy === undefined ? {} : { recordedBy }),
      }),
    );
  }

  brief(inputs: Omit<JobInputs, 'caches'>, asOf: string, since: string | undefined): BriefModel {
    const key = JSON.stringify([inputs.served.case.id, inputs.version, asOf, since ?? null]);
    return this.#briefs.getOrSet(key, () =>
      buildFullBrief(inputs.served.case, inputs.entries, asOf, since, {
        series: inputs.served.series,
        coverage: inputs.served.coverage,
      }),
    );
  }
}

export function computeHeavyJob(job: HeavyJob, inputs: JobInputs): HeavyOutput {
  const { served, entries, caches } = inputs;
  switch (job.kind) {
    case 'assessment':
      return { kind: 'text', text: JSON.stringify(caches.assessment(inputs, job.asOf, job.recordedBy)), type: JSON_TYPE };
    case 'history': {
      // As CaseService traces a history (src/http/case-service.ts), serialised as `c.json` does.
      const h = history(served.case, entries, job.from, job.to, job.step, {
        series: served.series,
        coverage: served.coverage,
        ...(job.recordedBy === undefined ? {} : { recordedBy: job.recordedBy }),
      });
      return { kind: 'text', text: JSON.stringify(h), type: JSON_TYPE };
    }
    case 'brief': {
      const model = caches.brief(inputs, job.asOf, job.since);
      return job.format === 'md'
        ? { kind: 'text', text: renderMarkdownBrief(model), type: MARKDOWN_TYPE }
        : { kind: 'text', text: renderHtmlBrief(model), type: HTML_TYPE };
    }
    case 'dashboard-page': {
      const brief = caches.brief(inputs, job.asOf, undefined);
      const text = renderDashboardPage(job.ctx, { case: served.case, brief, alerts: job.alerts });
      return { kind: 'text', text, type: HTML_TYPE };
    }
    case 'benchmark-page': {
      const a = caches.assessment(inputs, job.asOf, undefined);
      const result = a.benchmarks.find((b) => b.id === job.benchmarkId);
      if (result === undefined) return { kind: 'missing', what: job.benchmarkId };
      const text = renderBenchmarkPage(job.ctx, { case: served.case, result, asOf: job.asOf, ledger: entries });
      return { kind: 'text', text, type: HTML_TYPE };
    }
    case 'justifications-page': {
      const assessment = caches.assessment(inputs, job.asOf, undefined);
      return { kind: 'text', text: renderJustificationsPage(job.ctx, { case: served.case, assessment }), type: HTML_TYPE };
    }
  }
}

/** A map that forgets its least recently used key beyond `limit` entries. */
class LruMap<V> {
  readonly #map = new Map<string, V>();
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  getOrSet(key: string, make: () => V): V {
    const hit = this.#map.get(key);
    if (hit !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, hit);
      return hit;
    }
    const value = make();
    this.#map.set(key, value);
    if (this.#map.size > this.#limit) {
      const oldest = this.#map.keys().next().value;
      if (oldest !== undefined) this.#map.delete(oldest);
    }
    return value;
  }
}
