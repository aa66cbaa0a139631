import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadCase } from '../adapters/case-files/load-case.ts';
import { diffAssessments } from './alerts.ts';
import { type Assessment, assess } from './assess.ts';
import type { Case, Waiver } from './case-model.ts';
import type { Evidence } from './evidence.ts';

const REFERENCE_CASE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'us-pakistan');
const AS_OF = '2023-03-03';

/** The hypothetical entry of test/reference-case.test.ts: Masood Azhar convicted and imprisoned. */
const azhar: Evidence = {
  id: 'ev-test-azhar-imprisoned',
  kind: 'conviction',
  actors: ['masood-azhar', 'pakistan'],
  description: 'Hypothetical test entry: Masood Azhar convicted and imprisoned.',
  occurred: '2022-01-10',
  occurredTo: '2022-01-10',
  reported: '2022-01-10',
  recorded: '2026-11-28',
  sources: [{ publisher: 'Test Wire', title: 'Hypothetical', date: '2022-01-10', reliability: 'A', credibility: 1 }],
  tags: [],
};

const f16Waiver: Waiver = {
  id: 'test-f16-waiver',
  instrument: 'f16-sustainment',
  authority: 'Test authority',
  start: '2023-01-01',
  expiry: '2023-12-31',
  rationale: 'Hypothetical waiver for the test.',
};

let c: Case;
let ledger: Evidence[];
let base: Assessment;

before(async () => {
  const loaded = await loadCase(REFERENCE_CASE);
  assert.ok(loaded.ok, 'the reference case is valid');
  c = loaded.case;
  ledger = loaded.evidence;
  base = assess(c, ledger, AS_OF);
});

describe('diffAssessments on the reference case', () => {
  it('identical assessments give no changes', () => {
    assert.deepEqual(diffAssessments(base, base), []);
    assert.deepEqual(diffAssessments(base, assess(c, ledger, AS_OF)), []);
  });

  it('an imprisonment record for Masood Azhar moves the leadership benchmark, and nothing else', () => {
    const after = assess(c, [...ledger, azhar], AS_OF);
    assert.deepEqual(diffAssessments(base, after), [
      { kind: 'benchmark-status', subject: 'let-jem-leaders-imprisoned', from: 'not-met', to: 'pending' },
    ]);
  });

  it('does not report a flag that comes or goes without a status change', () => {
    // A weak (E5) report of Saeed's release contests his verified custody: met, now flagged.
    const weakRelease: Evidence = {
      ...azhar,
      id: 'ev-test-weak-saeed-release',
      kind: 'release',
      actors: ['hafiz-saeed', 'pakistan'],
      description: 'Hypothetical test entry: an unconfirmed report of a release, after his last sentencing.',
      occurred: '2022-06-01',
      occurredTo: '2022-06-01',
      reported: '2022-06-01',
      sources: [{ publisher: 'Test Blog', title: 'Rumour', date: '2022-06-01', reliability: 'E', credibility: 5 }],
    };
    const after = assess(c, [...ledger, weakRelease], AS_OF);
    const flagsOf = (a: Assessment) => a.benchmarks.find((b) => b.id === 'let-chief-in-custody')?.flags ?? [];
    assert.ok(!flagsOf(base).includes('contested'));
    assert.ok(flagsOf(after).includes('contested'));
    assert.deepEqual(diffAssessments(base, after), []);
  });

  it('reports a gate decision change (a waiver in force lifts the F-16 lock), and the notification no longer departs', () => {
    const waived: Case = { ...c, waivers: [...c.waivers, f16Waiver] };
    assert.deepEqual(diffAssessments(base, assess(waived, ledger, AS_OF)), [
      { kind: 'gate-decision', subject: 'f16-sustainment', from: 'locked', to: 'waived' },
      { kind: 'departure', subject: 'f16-sustainment', from: 'acted-while-locked', to: 'none' },
    ]);
  });

  it('lists benchmark changes before gate changes before departures, and is the reverse when swapped', () => {
    const waived: Case = { ...c, waivers: [...c.waivers, f16Waiver] };
    const after = assess(waived, [...ledger, azhar], AS_OF);
    assert.deepEqual(diffAssessments(base, after), [
      { kind: 'benchmark-status', subject: 'let-jem-leaders-imprisoned', from: 'not-met', to: 'pending' },
      { kind: 'gate-decision', subject: 'f16-sustainment', from: 'locked', to: 'waived' },
      { kind: 'departure', subject: 'f16-sustainment', from: 'acted-while-locked', to: 'none' },
    ]);
    assert.deepEqual(diffAssessments(after, base), [
      { kind: 'benchmark-status', subject: 'let-jem-leaders-imprisoned', from: 'pending', to: 'not-met' },
      { kind: 'gate-decision', subject: 'f16-sustainment', from: 'waived', to: 'locked' },
      { kind: 'departure', subject: 'f16-sustainment', from: 'none', to: 'acted-while-locked' },
    ]);
  });
});

describe('departure alerts', () => {
  /** The ledger with no recorded principal actions, so the test adds its own. */
  const withoutActions = () => ledger.map(({ action: _action, ...e }) => e as Evidence);
  const notified: Evidence = {
    ...azhar,
    id: 'ev-test-f16-notified',
    kind: 'arms-sale-notification',
    actors: ['usa', 'pakistan'],
    description: 'Hypothetical test entry: the principal notifies the F-16 package.',
    action: { instrument: 'f16-sustainment', kind: 'notified' },
  };

  it('a recorded act on a locked instrument raises a departure alert, and its end raises one back to none', () => {
    const quiet = assess(c, withoutActions(), AS_OF);
    const acted = assess(c, [...withoutActions(), notified], AS_OF);
    assert.equal(acted.instruments.find((i) => i.id === 'f16-sustainment')?.decision, 'locked');
    assert.deepEqual(diffAssessments(quiet, acted), [
      { kind: 'departure', subject: 'f16-sustainment', from: 'none', to: 'acted-while-locked' },
    ]);
    const suspended: Evidence = {
      ...notified,
      id: 'ev-test-f16-suspended',
      occurred: '2022-02-01',
      occurredTo: '2022-02-01',
      reported: '2022-02-01',
      action: { instrument: 'f16-sustainment', kind: 'suspended' },
    };
    const ended = assess(c, [...withoutActions(), notified, suspended], AS_OF);
    assert.deepEqual(diffAssessments(acted, ended), [
      { kind: 'departure', subject: 'f16-sustainment', from: 'acted-while-locked', to: 'none' },
    ]);
  });

  it('an act on an instrument the benchmarks warrant raises no alert', () => {
    const talk: Evidence = { ...notified, id: 'ev-test-dialogue', action: { instrument: 'senior-dialogue', kind: 'provided' } };
    const quiet = assess(c, withoutActions(), AS_OF);
    assert.deepEqual(diffAssessments(quiet, assess(c, [...withoutActions(), talk], AS_OF)), []);
  });
});

describe('diffAssessments order and scope', () => {
  /** `base` with some statuses and decisions replaced. */
  function edit(a: Assessment, statuses: Record<string, string>, decisions: Record<string, string>): Assessment {
    return {
      ...a,
      benchmarks: a.benchmarks.map((b) => (statuses[b.id] === undefined ? b : { ...b, status: statuses[b.id] as never })),
      instruments: a.instruments.map((i) => (decisions[i.id] === undefined ? i : { ...i, decision: decisions[i.id] as never })),
    };
  }

  it('keeps case order whatever order the changes are made in', () => {
    const after = edit(
      base,
      { 'militant-violence-against-india-low': 'met', 'let-chief-in-custody': 'reversed', 'un-voting-convergence': 'unverified' },
      { 'broader-security-assistance': 'unknown', 'senior-dialogue': 'locked' },
    );
    assert.deepEqual(
      diffAssessments(base, after).map((ch) => `${ch.kind} ${ch.subject} ${ch.from}→${ch.to}`),
      [
        'benchmark-status let-chief-in-custody met→reversed',
        'benchmark-status un-voting-convergence unknown→unverified',
        'benchmark-status militant-violence-against-india-low unknown→met',
        'gate-decision senior-dialogue unlocked→locked',
        'gate-decision broader-security-assistance locked→unknown',
      ],
    );
  });

  it('ignores flags, since and evidence when the status kind is unchanged', () => {
    const after: Assessment = {
      ...base,
      benchmarks: base.benchmarks.map((b) => ({ ...b, flags: ['contested'], since: '1999-01-01', evidence: ['x'] })),
      instruments: base.instruments.map((i) => ({ ...i, missing: [], reasons: [], waiver: 'w' })),
    };
    assert.deepEqual(diffAssessments(base, after), []);
  });

  it('ignores subjects present in only one assessment', () => {
    const after: Assessment = {
      ...base,
      benchmarks: [...base.benchmarks.slice(1), { ...(base.benchmarks[0] as Assessment['benchmarks'][number]), id: 'new-one' }],
      instruments: base.instruments.slice(1),
    };
    assert.deepEqual(diffAssessments(base, after), []);
  });
});
