import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { documentsCited, type KeyFigureSource, keyFigureAmount, keyFigures } from './key-figures.ts';

const doc = (publisher: string, title: string) => ({ evidence: { sources: [{ publisher, title }] } });

const model: KeyFigureSource = {
  gates: [{ decision: 'unlocked' }, { decision: 'waived' }, { decision: 'locked' }, { decision: 'unknown' }],
  benchmarks: [{ status: 'met' }, { status: 'not-met' }, { status: 'reversed' }],
  justifications: [{ verdict: 'unconvincing' }, { verdict: 'weak' }],
  issueAreas: { rows: [{ convergence: 'align' }, { convergence: 'diverge' }, { convergence: 'unknown' }] },
  citations: [doc('A', 'One'), doc('B', 'Two'), doc('C', 'Three')],
};

describe('key figures', () => {
  it('counts warranted instruments, met benchmarks, unconvincing justifications, aligned areas and documents, in that order', () => {
    assert.deepEqual(keyFigures(model), [
      { number: 2, of: 4, label: 'instruments warranted' },
      { number: 1, of: 3, label: 'benchmarks met' },
      { number: 1, of: 2, label: 'justifications unconvincing' },
      { number: 1, of: 3, label: 'issue areas aligned' },
      { number: 3, label: 'documents cited' },
    ]);
  });

  it('counts departures when the case records what the principal did, and says none when there is none', () => {
    const done = { state: 'notified', engaged: true, since: '2022-09-07', text: 'notified on 2022-09-07', cites: [1] } as const;
    const gates: KeyFigureSource['gates'] = [
      { decision: 'locked', done, departure: 'acted-while-locked' },
      { decision: 'unlocked', done: null, departure: null },
    ];
    assert.deepEqual(keyFigures({ ...model, gates }).slice(0, 2), [
      { number: 1, of: 2, label: 'instruments warranted' },
      { number: 1, label: 'departure from what is warranted' },
    ]);
    const none = keyFigures({ ...model, gates: [{ decision: 'locked', done, departure: null }] });
    assert.deepEqual(none[1], { number: 0, label: 'departures from what is warranted' });
    assert.ok(
      !keyFigures(model).some((f) => f.label.startsWith('departure')),
      'no figure when nothing the principal did is recorded',
    );
  });

  it('counts closed instruments that departed at their close apart, labelled as closed, only when there is one', () => {
    const done = { state: 'notified', engaged: true, since: '2022-09-07', text: 'notified on 2022-09-07', cites: [1] } as const;
    const gates: KeyFigureSource['gates'] = [
      { decision: 'locked', done, departure: 'acted-while-locked' },
      { decision: 'not-applicable' },
    ];
    const one = keyFigures({ ...model, gates, closedDepartures: [{ departure: 'withheld-while-unlocked' }] });
    assert.deepEqual(one.slice(0, 3), [
      { number: 0, of: 1, label: 'instruments warranted' },
      { number: 1, label: 'departure from what is warranted' },
      { number: 1, label: 'closed instrument departed from what was warranted at its close' },
    ]);
    // Nothing recorded of the instruments in force: the closed figure stands alone.
    const two = keyFigures({
      ...model,
      closedDepartures: [{ departure: 'withheld-while-unlocked' }, { departure: 'acted-while-locked' }],
    });
    assert.deepEqual(two[1], { number: 2, label: 'closed instruments departed from what was warranted at their close' });
    for (const closedDepartures of [undefined, []]) {
      const none = keyFigures({ ...model, gates, ...(closedDepartures === undefined ? {} : { closedDepartures }) });
      assert.ok(!none.some((f) => f.label.startsWith('closed')), 'no figure without a closed departure');
    }
  });

  it('counts documents, not citation numbers: a dataset cited point by point is one document', () => {
    const points = Array.from({ length: 40 }, () => doc('US Department of State', 'Voting Practices in the United Nations'));
    assert.equal(documentsCited([...points, doc('Reuters', 'A report'), doc(' reuters ', 'A  report')]), 2);
    const figures = keyFigures({ ...model, citations: [...points, doc('Reuters', 'A report')] });
    assert.deepEqual(figures[figures.length - 1], { number: 2, label: 'documents cited' });
  });

  it('leaves out justifications and issue areas when the case has none', () => {
    const { issueAreas: _omitted, ...rest } = model;
    assert.deepEqual(
      keyFigures({ ...rest, justifications: [] }).map((f) => f.label),
      ['instruments warranted', 'benchmarks met', 'documents cited'],
    );
  });

  it('counts only items in force: an expired or not-yet instrument is neither warranted nor in the total', () => {
    const figures = keyFigures({
      ...model,
      gates: [...model.gates, { decision: 'not-applicable' }, { decision: 'not-applicable' }],
      benchmarks: [...model.benchmarks, { status: 'not-applicable' }],
      justifications: [{ verdict: 'not-applicable' }],
      issueAreas: { rows: [...(model.issueAreas?.rows ?? []), { convergence: 'not-applicable' }] },
    });
    assert.deepEqual(figures.map(keyFigureAmount), ['2 of 4', '1 of 3', '1 of 3', '3']);
    assert.deepEqual(
      figures.map((f) => f.label),
      ['instruments warranted', 'benchmarks met', 'issue areas aligned', 'documents cited'],
      'no justification in force: no justification figure',
    );
  });

  it('writes a share as "n of m" and a count as the number', () => {
    assert.deepEqual(keyFigures(model).map(keyFigureAmount), ['2 of 4', '1 of 3', '1 of 2', '1 of 3', '3']);
  });
});
