/**
 * The output of `GET /api/cases/{caseId}/history` (`History` of src/core/history.ts, without
 * the optional full assessment the API never asks for) as strict zod schemas, for the
 * OpenAPI description. test/http/response-schemas.test.ts parses real histories with them;
 * the check at the end keeps the core type assignable to them.
 */
import { z } from '@hono/zod-openapi';
import { BENCHMARK_FLAGS, BENCHMARK_STATUSES } from '../core/benchmark-stream.ts';
import { STEPS } from '../core/dates.ts';
import { ACTION_KINDS } from '../core/evidence.ts';
import { GATE_DECISIONS } from '../core/gates.ts';
import { type History, TRANSITION_KINDS } from '../core/history.ts';
import { CONVERGENCES } from '../core/issue-areas.ts';
import { VERDICTS } from '../core/justifications.ts';
import { DEPARTURES } from '../core/principal-actions.ts';
import type { Assignable, Expect, Wire } from './wire.ts';

const date = z.string().meta({ format: 'date' });
const byId = <T extends z.ZodType>(value: T, description: string) => z.record(z.string(), value).meta({ description });

export const HistoryPointSchema = z
  .strictObject({
    asOf: date,
    benchmarks: byId(z.enum(BENCHMARK_STATUSES), 'Status per benchmark id.'),
    instruments: byId(z.enum(GATE_DECISIONS), 'Gate decision per instrument id.'),
    justifications: byId(z.enum(VERDICTS), 'Verdict per justification id.'),
    issueAreas: byId(z.enum(CONVERGENCES), 'Convergence per issue area id.'),
    flags: byId(z.array(z.enum(BENCHMARK_FLAGS)), 'Flags per benchmark id.'),
    actions: byId(z.enum(ACTION_KINDS), 'Per instrument the principal acted on: its latest action as known then.'),
    departures: byId(z.enum(DEPARTURES), 'Per instrument whose use departs from what its gate warrants: the departure.'),
  })
  .openapi('HistoryPoint', { description: 'Statuses and decisions as of one step date.' });

export const TransitionSchema = z
  .strictObject({
    date: date.meta({ description: 'The day the change took effect.' }),
    asOf: date.meta({ description: 'The step at which the change was first seen.' }),
    kind: z.enum(TRANSITION_KINDS),
    id: z.string(),
    from: z.string().nullable(),
    to: z.string().nullable(),
    evidence: z.array(z.string()),
    rule: z.string().meta({ description: 'Why it happened on that day.' }),
  })
  .openapi('Transition');

export const HistorySchema = z
  .strictObject({
    case: z.string(),
    from: date,
    to: date,
    step: z.enum(STEPS),
    recordedBy: date.nullable(),
    digest: z.string(),
    engine: z.string(),
    points: z.array(HistoryPointSchema),
    transitions: z.array(TransitionSchema),
  })
  .openapi('History', { description: 'Statuses at each step and the transitions between steps.' });

type _HistoryIsDescribed = Expect<Assignable<History, Wire<z.output<typeof HistorySchema>>>>;
