/**
 * The full brief model: what the HTML, PDF and Markdown briefs and the web dashboard show,
 * from one sweep over the ledger.
 */

import { nativeSha256 } from '../adapters/native-sha256.ts';
import type { Case } from '../core/case-model.ts';
import { type IsoDate, minDate, parseDuration, STEPS, type Step, stepDates, subtractDuration } from '../core/dates.ts';
import type { Evidence } from '../core/evidence.ts';
import { type History, history } from '../core/history.ts';
import { type SeriesCoverage, type SeriesInputs, seriesEvidence } from '../core/series.ts';
import { type BriefModel, buildBriefModel } from './brief-model.ts';

/** Node's native SHA-256 for the input digests: the same digests as the core's pure-JavaScript one, several times faster. */

/** How far back the status timeline reaches for a case with neither evidence nor a dated item by the date. */
export const TIMELINE_SPAN = parseDuration('P8Y');

/**
 * The case's start as known on `asOf`: the earliest of its first evidence (the occurrence
 * of the earliest entry reported by then) and its first dated item (a validity window
 * opening, a waiver starting, a monitoring claim beginning); undefined when it has none by
 * then. Never after `asOf`. An entry that only records an assertion (`claim`: the case
 * author's or the analysis's, such as "since 1947, Pakistan has …") is not an observation
 * and does not start the case.
 */
export function caseStart(c: Case, ledger: readonly Evidence[], asOf: IsoDate): IsoDate | undefined {
  let start: IsoDate | undefined;
  const consider = (d: IsoDate | undefined) => {
    if (d !== undefined && d <= asOf && (start === undefined || d < start)) start = d;
  };
  for (const e of ledger) if (e.reported <= asOf && e.claim === undefined) consider(e.occurred);
  const items = [...c.instruments, ...c.benchmarks, ...c.gates, ...c.justifications, ...(c.issueAreas ?? [])];
  for (const x of items) consider(x.validity?.from);
  for (const w of c.waivers) if (w.known === undefined || w.known <= asOf) consider(w.start);
  for (const m of c.monitoring ?? []) if (m.known === undefined || m.known <= asOf) consider(m.from);
  return start;
}

/** The latest day on `asOf`'s monthly grid (asOf minus whole months) on or before `start`. */
function onGridBefore(asOf: IsoDate, start: IsoDate): IsoDate {
  let months = (Number(asOf.slice(0, 4)) - Number(start.slice(0, 4))) * 12 + Number(asOf.slice(5, 7)) - Number(start.slice(5, 7));
  months = Math.max(0, months);
  let from = subtractDuration(asOf, { years: 0, months, days: 0, text: `P${months}M` });
  while (from > start) {
    months += 1;
    from = subtractDuration(asOf, { years: 0, months, days: 0, text: `P${months}M` });
  }
  return from;
}

/** The external series a brief's assessment reads, with their coverage (as `assess` takes them). */
export interface BriefInputs {
  readonly series?: SeriesInputs;
  readonly coverage?: SeriesCoverage;
}

/**
 * Where the status timeline starts: at the case's start (`caseStart`, moved back onto the
 * date's monthly grid), or eight years before the date for a case without one, or at
 * --since if that is earlier. With a later --since, the start is moved back onto the
 * monthly grid of --since (at most a month earlier), so that the timeline's steps from
 * --since on are exactly the steps of a history from --since and one sweep serves both.
 */
export function timelineStart(asOf: IsoDate, since: IsoDate | undefined, start?: IsoDate): IsoDate {
  const span = start === undefined ? subtractDuration(asOf, TIMELINE_SPAN) : onGridBefore(asOf, minDate(start, asOf));
  if (since === undefined) return span;
  if (since <= span) return since;
  let months = 0;
  let from = since;
  while (from > span) {
    months += 1;
    from = subtractDuration(since, { years: 0, months, days: 0, text: `P${months}M` });
  }
  return from;
}

/** The most steps a status timeline sweeps: many for a hand-made ledger, few for a bulk one (each step re-explains every benchmark). */
export const MAX_TIMELINE_STEPS = 130;
export const MAX_TIMELINE_STEPS_BULK = 30;
/** From this many ledger entries on, a ledger counts as bulk. */
export const BULK_LEDGER = 10_000;

/**
 * The status timeline's step: the finest of month, quarter and year that keeps the sweep
 * within `MAX_TIMELINE_STEPS` steps (`MAX_TIMELINE_STEPS_BULK` for a ledger of
 * `BULK_LEDGER` entries or more). The reference case (about 150 entries, from 1999) steps
 * quarterly; bench:brief's synthetic case (100,000 entries over 20 years) yearly, which
 * keeps that sweep within the brief's time goal (measurements: bench/README.md). Every
 * transition is still dated on its own day; only the chart's columns are coarser.
 */
export function timelineStep(from: IsoDate, asOf: IsoDate, entries = 0): Step {
  const most = entries >= BULK_LEDGER ? MAX_TIMELINE_STEPS_BULK : MAX_TIMELINE_STEPS;
  for (const step of STEPS) if (stepDates(from, asOf, step).length <= most) return step;
  return 'year';
}

/** The transitions of a monthly history from `since` to the timeline's end, read off the timeline when its steps allow. */
function changesSince(timeline: History, since: IsoDate): Pick<History, 'transitions'> | undefined {
  if (since === timeline.from) return timeline;
  const wanted = stepDates(since, timeline.to, 'month');
  const have = timeline.points.filter((p) => p.asOf >= since);
  if (have.length !== wanted.length || have.some((p, i) => p.asOf !== wanted[i])) return undefined;
  // Each point depends only on its date, so the steps after `since` change exactly as in a history from `since`.
  return { transitions: timeline.transitions.filter((t) => t.asOf > since) };
}

/**
 * The brief model with everything the HTML and PDF show (and the Markdown uses).
 *
 * The status timeline runs from the case's start (`caseStart`) to the date, in monthly
 * steps (quarterly or yearly for long spans: `timelineStep`). The ledger is
 * evaluated once: one history sweep gives the status timeline, the
 * transitions since --since and, at its last step, the full assessment (equal to
 * `assess` as of the date); a quarterly or yearly timeline steps monthly from --since on.
 * Only when --since falls off the timeline's monthly grid (a day 29–31 that months clamp)
 * does a second history run for the changes. The input
 * digests are hashed with Node's SHA-256 (the same digests, without the cost of hashing
 * every entry's text twice in JavaScript).
 */
export function buildFullBrief(
  c: Case,
  ledger: readonly Evidence[],
  asOf: string,
  since: string | undefined,
  inputs: BriefInputs = {},
): BriefModel {
  const options = { ...inputs, sha256: nativeSha256 };
  const from = timelineStart(asOf, since, caseStart(c, ledger, asOf));
  const step = timelineStep(from, asOf, ledger.length);
  // A coarse timeline steps monthly from --since on, so the same sweep gives the changes.
  const timeline = history(c, ledger, from, asOf, step, {
    ...options,
    withAssessment: true,
    ...(since === undefined ? {} : { monthlyFrom: since }),
  });
  const changes =
    since === undefined ? undefined : (changesSince(timeline, since) ?? history(c, ledger, since, asOf, 'month', options));
  // Series points cite their dataset like evidence entries.
  const citable = [...ledger, ...seriesEvidence(c, inputs.series).items];
  return buildBriefModel(c, timeline.assessment, citable, {
    timeline,
    ...(changes === undefined ? {} : { changes }),
    ...(since === undefined ? {} : { since }),
    ...(inputs.coverage === undefined ? {} : { coverage: inputs.coverage }),
  });
}
