import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  benchmark,
  type CaseParts,
  custodyIndicator,
  evidence,
  makeCase,
  parseDuration,
  source,
} from '../../test/support/builders.ts';
import { assess } from './assess.ts';

function statusOf(c: ReturnType<typeof makeCase>, ledger: Parameters<typeof assess>[1], asOf: string) {
  const a = assess(c, ledger, asOf);
  const b = a.benchmarks[0];
  assert.ok(b);
  return b;
}

describe('benchmark status', () => {
  const c = makeCase();

  it('is not-met with no custody record when the case says a leader starts at large — on the default, not on evidence', () => {
    const b = statusOf(c, [], '2020-01-01');
    assert.equal(b.status, 'not-met');
    assert.equal(b.since, null);
    assert.equal(b.basis.kind, 'default');
    assert.match(b.basis.summary, /^not met — on the case's default: no record for leader \(in_custody takes off\)/);
    assert.deepEqual(b.basis.defaults, [{ indicator: 'in_custody', subjects: ['leader'], state: 'off' }]);
  });

  it('is pending while the required duration has not elapsed, then met', () => {
    const ledger = [evidence('a1', 'arrest', '2019-07-17')];
    const early = statusOf(c, ledger, '2020-01-01');
    assert.equal(early.status, 'pending');
    assert.equal(early.since, '2019-07-17');
    assert.deepEqual(early.evidence, ['a1']);
    const later = statusOf(c, ledger, '2020-07-17');
    assert.equal(later.status, 'met');
    assert.equal(later.since, '2020-07-17');
    assert.ok(later.reasons.some((r) => r.startsWith('met:')));
  });

  it('is reversed when a release ends the custody, and names the release', () => {
    const ledger = [evidence('d1', 'detention', '2017-01-30'), evidence('r1', 'release', '2017-11-24')];
    const b = statusOf(c, ledger, '2018-01-01');
    assert.equal(b.status, 'reversed');
    assert.equal(b.since, '2017-11-24');
    assert.ok(b.evidence.includes('r1'));
    assert.ok(b.reasons.some((r) => r.includes('release (r1)')));
    // A documented release is told apart from a missing record.
    assert.equal(b.basis.kind, 'evidence');
    assert.equal(b.basis.summary, 'reversed — on evidence: release on 2017-11-24 (r1)');
    assert.deepEqual(b.basis.defaults, []);
  });

  it('a new arrest after a reversal starts a new pending run', () => {
    const ledger = [
      evidence('d1', 'detention', '2017-01-30'),
      evidence('r1', 'release', '2017-11-24'),
      evidence('a2', 'arrest', '2019-07-17'),
    ];
    assert.equal(statusOf(c, ledger, '2019-08-01').status, 'pending');
  });

  it('is unknown, listing the missing input, when the initial state is unknown and nothing is recorded', () => {
    const cu = makeCase({ indicators: [custodyIndicator({ initial: 'unknown' })] });
    const b = statusOf(cu, [], '2020-01-01');
    assert.equal(b.status, 'unknown');
    assert.deepEqual(b.missing, ['in_custody']);
    assert.ok(b.reasons.some((r) => r.includes('not assumed either way')));
    assert.equal(b.basis.kind, 'missing');
    assert.match(b.basis.summary, /no record for leader \(the case sets no default\)/);
  });

  it('is unverified when only evidence below the bar supports it', () => {
    const weak = evidence('w1', 'arrest', '2019-01-01', { sources: [source({ reliability: 'D', credibility: 4 })] });
    const b = statusOf(c, [weak], '2021-01-01');
    assert.equal(b.status, 'unverified');
    assert.ok(b.reasons.some((r) => r.includes('w1 (D4')));
  });

  it('counts copies of one report once for corroboration', () => {
    const strict = makeCase({
      benchmarks: [benchmark({ verification: { minReliability: 'B', minCredibility: 3, minSources: 2 } })],
    });
    const copies = evidence('c1', 'arrest', '2019-01-01', {
      sources: [source({ publisher: 'Paper A', origin: 'Wire X' }), source({ publisher: 'Paper B', origin: 'Wire X' })],
    });
    assert.equal(statusOf(strict, [copies], '2021-01-01').status, 'unverified');
    const independent = evidence('c1', 'arrest', '2019-01-01', {
      sources: [source({ publisher: 'Paper A' }), source({ publisher: 'Paper B' })],
    });
    assert.equal(statusOf(strict, [independent], '2021-01-01').status, 'met');
  });

  it('flags a lower-grade report of a reversal as contesting a verified status', () => {
    const ledger = [
      evidence('a1', 'arrest', '2019-01-01'),
      evidence('r1', 'release', '2020-06-01', { sources: [source({ reliability: 'E', credibility: 5 })] }),
    ];
    const b = statusOf(c, ledger, '2021-01-01');
    assert.equal(b.status, 'met');
    // The weak report of a release does not undo the verified custody; the verified evidence
    // (the 2019 arrest) is also more than 12 months old by now.
    assert.deepEqual(b.flags, ['contested', 'stale']);
    assert.ok(b.reasons.some((r) => r.startsWith('contested: evidence below the verification bar says otherwise (reversed')));
  });

  it('sees only what was reported by the as-of date, and what was recorded by recordedBy', () => {
    const late = evidence('a1', 'arrest', '2019-01-01', { reported: '2019-06-01', recorded: '2025-01-01' });
    assert.equal(statusOf(c, [late], '2019-03-01').status, 'not-met');
    assert.equal(statusOf(c, [late], '2019-07-01').status, 'pending');
    const a = assess(c, [late], '2020-07-01', { recordedBy: '2024-12-31' });
    assert.equal(a.benchmarks[0]?.status, 'not-met');
  });

  it('applies a correction that supersedes an entry, and drops a retracted one', () => {
    const wrong = evidence('a1', 'arrest', '2019-01-01');
    const corrected = evidence('a1-fix', 'arrest', '2019-09-01', { supersedes: 'a1', reported: '2019-09-02' });
    assert.equal(statusOf(c, [wrong, corrected], '2020-03-01').status, 'pending');
    const retraction = evidence('a1-x', 'arrest', '2019-01-01', { supersedes: 'a1', retracted: true, reported: '2019-02-01' });
    assert.equal(statusOf(c, [wrong, retraction], '2020-03-01').status, 'not-met');
    assert.equal(statusOf(c, [wrong, retraction], '2019-01-15').status, 'pending');
  });
});

describe('review timing', () => {
  const reviews = [{ id: 'plenary-2020-02', calendar: 'fatf', title: 'Plenary', date: '2020-02-16', written: '2020-02-16' }];
  const c = makeCase({
    reviews,
    benchmarks: [
      benchmark({
        duration: parseDuration('P0D'),
        review: { calendar: 'fatf', window: parseDuration('P30D'), countAfterReview: true },
      }),
    ],
  });

  it('counts progress just before a review only from the review, flagging it once the benchmark holds', () => {
    const ledger = [evidence('conv', 'conviction', '2020-02-12')];
    const before = statusOf(c, ledger, '2020-02-14');
    assert.equal(before.status, 'not-met');
    assert.deepEqual(before.flags, [], 'never flagged while not met');
    const after = statusOf(c, ledger, '2020-02-16');
    assert.equal(after.status, 'met');
    assert.equal(after.since, '2020-02-16');
    assert.deepEqual(after.flags, ['timed-to-review']);
    assert.ok(
      after.reasons.some((r) =>
        r.includes('the condition began to hold with conv (conviction, 2020-02-12), 4 days before review plenary-2020-02'),
      ),
    );
  });

  it("never flags the review's own finding, nor an item that moves nothing toward met", () => {
    // An item on the review's day is its finding, not an action before it.
    const finding = statusOf(c, [evidence('f', 'conviction', '2020-02-16')], '2020-03-01');
    assert.deepEqual(finding.flags, []);
    assert.equal(finding.status, 'met');
    // Already in custody: a conviction just before the review completes nothing and counts at once.
    const held = statusOf(c, [evidence('a', 'arrest', '2019-07-17'), evidence('conv', 'conviction', '2020-02-12')], '2020-03-01');
    assert.deepEqual(held.flags, []);
    assert.equal(held.since, '2019-07-17');
  });

  it('does not count an action undone before the review', () => {
    const ledger = [evidence('conv', 'conviction', '2020-02-12'), evidence('rel', 'release', '2020-02-14')];
    const b = statusOf(c, ledger, '2020-03-01');
    assert.equal(b.status, 'not-met');
    assert.ok(b.reasons.some((r) => r.includes('undone before its review')));
  });

  it('does not flag actions outside the window', () => {
    const b = statusOf(c, [evidence('a', 'arrest', '2019-07-17')], '2020-03-01');
    assert.deepEqual(b.flags, []);
    assert.equal(b.status, 'met');
  });
});

describe('window indicators', () => {
  const parts: CaseParts = {
    actors: [
      { id: 'grp', name: 'Group', kind: 'group', aliases: [], cameo: [], memberOf: [] },
      { id: 'leader', name: 'L', kind: 'person', aliases: [], cameo: [], memberOf: ['grp'] },
    ],
    indicators: [
      {
        id: 'attacks',
        title: 'Attacks',
        kind: 'count',
        filter: { kinds: ['attack'], actors: ['grp'] },
        window: parseDuration('P36M'),
      },
    ],
    benchmarks: [
      benchmark({ conditions: ['attacks == 0'], indicators: ['attacks'], duration: parseDuration('P0D'), reversals: [] }),
    ],
  };
  const c = makeCase(parts);

  it('counts items of members of the named group inside the trailing window only — a lower bound without monitoring', () => {
    const ledger = [evidence('x', 'attack', '2019-02-14', { actors: ['leader'] })];
    const during = statusOf(c, ledger, '2022-02-13');
    assert.equal(during.status, 'not-met');
    assert.equal(during.basis.kind, 'evidence');
    // Once the attack leaves the window, nobody was watching: silence is not compliance.
    const after = statusOf(c, ledger, '2022-02-14');
    assert.equal(after.status, 'unknown');
    assert.equal(after.since, '2022-02-14');
    assert.deepEqual(after.indicators, [{ id: 'attacks', value: null, atLeast: 0 }]);
    assert.match(after.basis.summary, /the P36M to 2022-02-14 is not monitored/);
  });

  it('with monitoring, an empty monitored window is met on monitored absence', () => {
    const watched = makeCase({
      ...parts,
      monitoring: [
        {
          id: 'incident-list',
          title: 'Incident list',
          indicators: ['attacks'],
          from: '2015-01-01',
          source: { publisher: 'Watcher', title: 'Incidents', date: '2015' },
        },
      ],
    });
    const ledger = [evidence('x', 'attack', '2019-02-14', { actors: ['leader'] })];
    assert.equal(statusOf(watched, ledger, '2022-02-13').status, 'not-met');
    const met = statusOf(watched, ledger, '2022-02-14');
    assert.equal(met.status, 'met');
    assert.equal(met.since, '2022-02-14');
    assert.equal(met.basis.kind, 'monitoring');
    assert.deepEqual(met.basis.monitoring, ['incident-list']);
    // Before the monitored span covers a whole window, the answer is unknown.
    assert.equal(statusOf(watched, [], '2017-06-01').status, 'unknown');
    assert.equal(statusOf(watched, [], '2018-01-01').status, 'met');
  });
});

describe('reversal needs a held condition', () => {
  it('a release with no prior custody is not-met, not reversed', () => {
    const cu = makeCase({ indicators: [custodyIndicator({ initial: 'unknown' })] });
    const b = statusOf(cu, [evidence('r', 'release', '2019-01-01')], '2019-06-01');
    assert.equal(b.status, 'not-met');
  });
});
