/**
 * The live assessment a server keeps (appends routed to the streams) against `assess` on
 * the same entries: statuses, decisions, departures and the whole record, digest included,
 * whatever the split of the ledger into appends and their order.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { evidence, source } from '../../test/support/builders.ts';
import { closeActArb, closeDayArb, dayArb, rawItemArb, richCase, toLedger } from '../../test/support/property-ledgers.ts';
import { assess } from './assess.ts';
import type { Evidence } from './evidence.ts';
import { LiveAssessment } from './live-assessment.ts';

/** The ledger cut into appends at the given points, in a shuffled order of the pieces. */
function pieces(ledger: readonly Evidence[], cuts: readonly number[], order: readonly number[]): Evidence[][] {
  const at = [...new Set(cuts.map((c) => c % (ledger.length + 1)))].sort((a, b) => a - b);
  const out: Evidence[][] = [];
  let from = 0;
  for (const to of [...at, ledger.length]) {
    out.push(ledger.slice(from, to));
    from = to;
  }
  return out
    .map((p, i) => ({ p, k: order[i] ?? i }))
    .sort((a, b) => a.k - b.k)
    .map((x) => x.p);
}

describe('a live assessment fed by appends equals assess on the same entries', () => {
  it('after every append: outcome and full record', () => {
    const c = richCase();
    fc.assert(
      fc.property(
        fc.array(rawItemArb, { maxLength: 25 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.constantFrom(1, 0),
        // Any day, or one around the loan's close (judged at its close once it has passed).
        fc.oneof(dayArb, closeDayArb),
        fc.array(closeActArb, { maxLength: 4 }),
        (raw, fixes, cuts, order, startWith, asOf, acts) => {
          const ledger = toLedger([...raw, ...acts], fixes);
          const parts = pieces(ledger, cuts, order);
          const first = startWith === 1 ? (parts.shift() ?? []) : [];
          const live = new LiveAssessment(c, first, asOf);
          const given: Evidence[] = [...first];
          for (const part of parts) {
            live.append(part);
            given.push(...part);
            const expected = assess(c, given, asOf);
            assert.deepEqual(live.outcome(), {
              benchmarks: expected.benchmarks.map((b) => ({ id: b.id, status: b.status })),
              instruments: expected.instruments.map((i) => ({ id: i.id, decision: i.decision, departure: i.departure })),
            });
          }
          assert.deepEqual(live.assessment(), assess(c, given, asOf));
        },
      ),
      { numRuns: 80 },
    );
  });

  it('an entry appended again, and entries not yet known on the date, change nothing', () => {
    const c = richCase();
    const a = evidence('a', 'arrest', '2016-05-01', {
      sources: [source({ reliability: 'A', credibility: 1, date: '2016-05-01' })],
    });
    const later = evidence('b', 'release', '2016-06-01', { reported: '2017-02-01' });
    const live = new LiveAssessment(c, [a], '2016-12-31');
    const before = live.assessment();
    live.append([a, later]);
    assert.deepEqual(live.assessment(), before);
    assert.deepEqual(live.assessment(), assess(c, [a, later], '2016-12-31'));
  });
});
