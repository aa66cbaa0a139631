/**
 * The full brief model: what the HTML, PDF and Markdown briefs and the web dashboard show,
 * from one sweep over the ledger.
 */
import { createHash } from 'node:crypto';
import type { Case } from '../core/case-model.ts';
import { type IsoDate, parseDuration, stepDates, subtractDuration } from '../core/dates.ts';
import type { Sha256 } from '../core/digest.ts';
import type { Evidence } from '../core/evidence.ts';
import { type History, history } from '../core/history.ts';
import { type SeriesCoverage, type SeriesInputs, seriesEvidence } from '../core/series.ts';
import { type BriefModel, buildBriefModel } from './brief-model.ts';

/** Node's native SHA-256 for the input digests: the same digests as the core's pure-JavaScript one, several times faster. */
const nativeSha256: Sha256 = () => createHash('sha256');

/** How far back the status timeline reaches when --since does not reach further. */
export const TIMELINE_SPAN = parseDuration('P8Y');

/** The external series a brief's assessment reads, with their coverage (as `assess` takes them). */
export interface BriefInputs {
  readonly series?: SeriesInputs;
  readonly coverage?: SeriesCoverage;
}

/**
 * Where the status timeline starts: eight years before the date, or at --since if that is
 * earlier. With a later --since, the start is moved back onto the monthly grid of --since
 * (at most a month earlier), so that the timeline's steps from --since on are exactly the
 * steps of a history from --since and one sweep serves both.
 */
export function timelineStart(asOf: IsoDate, since: IsoDate | undefined): IsoDate {
  const span = subtractDuration(asOf, TIMELINE_SPAN);
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
 * The ledger is evaluated once: one monthly history sweep gives the status timeline, the
 * transitions since --since and, at its last step, the full assessment (equal to
 * `assess` as of the date). Only when --since falls off the timeline's monthly grid (a
 * day 29–31 that months clamp) does a second history run for the changes. The input
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
  const timeline = history(c, ledger, timelineStart(asOf, since), asOf, 'month', { ...options, withAssessment: true });
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
