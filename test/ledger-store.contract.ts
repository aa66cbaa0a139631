/**
 * The contract every `LedgerStore` passes (SQLite now, PostgreSQL later): the promises of
 * `src/ports/ledger-store.ts`, checked through the port only.
 *
 * `open` is called once per test and the test closes what it opened. The stores it
 * returns may share one database: every test works in case ids of its own, so tests do
 * not see each other's entries. Entries are compared as data, and "unchanged" ledgers as
 * their canonical JSON text.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, it } from 'node:test';
import fc from 'fast-check';
import { correctionsFor, ledgerDrift } from '../src/adapters/ledger-drift.ts';
import { canonicalJson } from '../src/core/canonical-json.ts';
import { CREDIBILITIES, RELIABILITIES } from '../src/core/case-model.ts';
import { fromDayNumber, toDayNumber } from '../src/core/dates.ts';
import type { Evidence, EvidenceSource } from '../src/core/evidence.ts';
import type { AppendResult, LedgerStore } from '../src/ports/ledger-store.ts';

/** A valid entry with every required field; `fields` adds or replaces fields. */
export function makeEvidence(id: string, fields: Partial<Evidence> = {}): Evidence {
  return {
    id,
    kind: 'aid-disbursed',
    actors: ['usa', 'ukr'],
    description: `Entry ${id}`,
    occurred: '2024-01-10',
    occurredTo: '2024-01-10',
    reported: '2024-01-12',
    recorded: '2024-01-15',
    sources: [{ publisher: 'Reuters', title: `Report on ${id}`, date: '2024-01-12', reliability: 'B', credibility: 2 }],
    tags: [],
    ...fields,
  };
}

/** A fresh case id, so that tests sharing a database never meet. */
export function newCaseId(label = 'case'): string {
  return `${label}-${randomUUID()}`;
}

export function sortById(entries: readonly Evidence[]): Evidence[] {
  return [...entries].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function expectOk(result: AppendResult): { added: number; unchanged: number } {
  if (!result.ok) assert.fail(`append refused: ${JSON.stringify(result.conflicts)}`);
  return { added: result.added, unchanged: result.unchanged };
}

function conflictIds(result: AppendResult): string[] {
  if (result.ok) return assert.fail('append accepted; a conflict was expected');
  for (const c of result.conflicts) assert.ok(c.reason.length > 0, `conflict on ${c.id} gives no reason`);
  return result.conflicts.map((c) => c.id);
}

export function runLedgerStoreContract(name: string, open: () => Promise<LedgerStore> | LedgerStore): void {
  describe(`LedgerStore contract: ${name}`, () => {
    const opened: LedgerStore[] = [];
    const openStore = async (): Promise<LedgerStore> => {
      const store = await open();
      opened.push(store);
      return store;
    };
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
    });

    /** The case's whole ledger as text, to check that a refused append changed nothing. */
    const snapshot = async (store: LedgerStore, caseId: string): Promise<string> =>
      canonicalJson({ entries: await store.entries(caseId), count: await store.count(caseId) });

    describe('append and read', () => {
      it('reads back what was appended, equal as data, with optional fields kept', async () => {
        const store = await openStore();
        const caseId = newCaseId();
        const batch = [
          makeEvidence('ev-1'),
          makeEvidence('ev-2', {
            amount: 1.5e9,
            currency: 'USD',
            quantity: { value: 12, of: 40, unit: 'vehicles' },
            note: 'the ministry’s claim only — «unconfirmed»',
            tags: ['military', 'pledge'],
            occurredTo: '2024-03-31',
            sources: [
              {
                publisher: 'AP',
                title: 'Wire story',
                date: '2024-01',
                url: 'https://example.org/a?b=1',
                reliability: 'A',
                credibility: 1,
                origin: 'AP',
              },
              {
                publisher: 'Local paper',
                title: 'Reprint',
                date: '2024',
                reliability: 'F',
                credibility: 6,
                origin: 'AP',
              },
            ],
          }),
        ];
        assert.deepEqual(expectOk(await store.append(caseId, batch)), { added: 2, unchanged: 0 });
        assert.deepStrictEqual(await store.entries(caseId), batch);
        assert.equal(await store.count(caseId), 2);
      });

      it('orders entries by id (string order), whatever order they were appended in', async () => {
        const store = await openStore();
        const caseId = newCaseId();
        const ids = ['e-2', 'e-10', 'b', 'E', 'a-1', 'e-1', 'Z9', 'e.1', 'e:1'];
        expectOk(
          await store.append(
            caseId,
            ids.slice(0, 4).map((id) => makeEvidence(id)),
          ),
        );
        expectOk(
          await store.append(
            caseId,
            ids.slice(4).map((id) => makeEvidence(id)),
          ),
        );
        const read = (await store.entries(caseId)).map((e) => e.id);
        assert.deepEqual(read, [...ids].sort());
      });

      it('returns deeply frozen values', async () => {
        const store = await openStore();
        const caseId = newCaseId();
        expectOk(await store.append(caseId, [makeEvidence('ev-1', { quantity: { value: 3 }, tags: ['x'] })]));
        const [entry] = await store.entries(caseId);
        assert.ok(entry !== undefined);
        assert.ok(Object.isFrozen(entry));
        assert.ok(Object.isFrozen(entry.sources));
        assert.ok(Object.isFrozen(entry.sources[0]));
        assert.ok(Object.isFrozen(entry.actors));
        assert.ok(Object.isFrozen(entry.tags));
        assert.ok(Object.isFrozen(entry.quantity));
      });

      it('an unknown case is empty, and an empty batch adds nothing', async () => {
        const store = await openStore();
        const caseId = newCaseId();
        assert.deepEqual(await store.entries(caseId), []);
        assert.equal(await store.count(caseId), 0);
        assert.deepEqual(expectOk(await store.append(caseId, [])), { added: 0, unchanged: 0 });
        assert.equal(await store.count(caseId), 0);
      });
    });

    describe('idempotence', () => {
      it('re-importing the same entries adds nothing and counts them unchanged', async () => {
        const store = await openStore();
        const caseId = newCaseId();
        const batch = ['a', 'b', 'c'].map((id) => makeEvidence(id));
        expectOk(await store.append(caseId, batch));
        const before = await snapshot(store, caseId);
        assert.deepEqual(expectOk(await store.append(caseId, batch)), { added: 0, unchanged: 3 });
        assert.equal(await store.count(caseId), 3);
        assert.equal(await snapshot(store, caseId), before);
      });

      it('a partly new re-import adds only the new entries', async () => {
        const store = await openStore();
        const caseId = newCaseId();
        expectOk(await store.append(caseId, [makeEvidence('a'), makeEvidence('b')]));
        const result = await store.append(caseId, [makeEvidence('b'), makeEvidence('c'), makeEvidence('a')]);
        assert.deepEqual(expectOk(result), { added: 1, unchanged: 2 });
        assert.deepEqual(
          (await store.entries(caseId)).map((e) => e.id),
          ['a', 'b', 'c'],
        );
      });

      it('compares content, not the order of fields or absent optional fields', async () => {
        const store = await openStore();
        const caseId = newCaseId();
        const entry = makeEvidence('a', { note: 'n' });
        expectOk(await store.append(caseId, [entry]));
        const reordered = Object.fromEntries(Object.entries(entry).reverse()) as unknown as Evidence;
        assert.deepEqual(expectOk(await store.append(caseId, [reordered])), { added: 0, unchanged: 1 });
      });

      it('an entry repeated identically within a batch is stored once', async () => {
        const store = await openStore();
        const caseId = newCaseId();
        const result = await store.append(caseId, [makeEvidence('a'), makeEvidence('a')]);
        assert.deepEqual(expectOk(result), { added: 1, unchanged: 1 });
        assert.equal(await store.count(caseId), 1);
      });
    });

    describe('conflicts', () => {
      it('changed content under a stored id refuses the whole batch and leaves the ledger as it was', async () => {
        const store = await openStore();
        const caseId = newCaseId();
        expectOk(await store.append(caseId, [makeEvidence('a'), makeEvidence('b'), makeEvidence('c')]));
        const before = await snapshot(store, caseId);
        const result = await store.append(caseId, [
          makeEvidence('new-1'),
          makeEvidence('a', { description: 'rewritten' }),
          makeEvidence('b'),
          makeEvidence('c', { recorded: '2024-02-01' }),
          makeEvidence('new-2'),
        ]);
        assert.deepEqual(conflictIds(result).sort(), ['a', 'c']);
        assert.equal(await snapshot(store, caseId), before);
      });

      it('one id twice in a batch with different content is refused, and nothing is stored', async () => {
        const store = await openStore();
        const caseId = newCaseId();
        const result = await store.append(caseId, [makeEvidence('x'), makeEvidence('a'), makeEvidence('a', { kind: 'other' })]);
        assert.deepEqual(conflictIds(result), ['a']);
        assert.equal(await store.count(caseId), 0);
      });

      it('supersedes naming an unknown id is refused, and nothing of the batch is stored', async () => {
        const store = await openStore();
        const caseId = newCaseId();
        expectOk(await store.append(caseId, [makeEvidence('a')]));
        const before = await snapshot(store, caseId);
        const result = await store.append(caseId, [makeEvidence('b'), makeEvidence('fix', { supersedes: 'nope' })]);
        assert.deepEqual(conflictIds(result), ['fix']);
        assert.equal(await snapshot(store, caseId), before);
      });

      it('supersedes naming an entry of another case is refused', async () => {
        const store = await openStore();
        const caseA = newCaseId('a');
        const caseB = newCaseId('b');
        expectOk(await store.append(caseA, [makeEvidence('orig')]));
        const result = await store.append(caseB, [makeEvidence('fix', { supersedes: 'orig' })]);
        assert.deepEqual(conflictIds(result), ['fix']);
        assert.equal(await store.count(caseB), 0);
      });

      it('entries superseding themselves, or each other in a loop, are refused', async () => {
        const store = await openStore();
        const caseId = newCaseId();
        assert.deepEqual(conflictIds(await store.append(caseId, [makeEvidence('s', { supersedes: 's' })])), ['s']);
        const loop = await store.append(caseId, [makeEvidence('p', { supersedes: 'q' }), makeEvidence('q', { supersedes: 'p' })]);
        assert.deepEqual(conflictIds(loop).sort(), ['p', 'q']);
        assert.equal(await store.count(caseId), 0);
      });

      it('reports every conflict of a batch, not only the first', async () => {
        const store = await openStore();
        const caseId = newCaseId();
        expectOk(await store.append(caseId, [makeEvidence('a'), makeEvidence('b')]));
        const result = await store.append(caseId, [
          makeEvidence('a', { description: 'changed' }),
          makeEvidence('b', { tags: ['changed'] }),
          makeEvidence('c', { supersedes: 'missing' }),
        ]);
        assert.deepEqual(conflictIds(result).sort(), ['a', 'b', 'c']);
      });
    });

    describe('corrections', () => {
      it('accepts a correction superseding a stored entry, and one superseding an entry of its own batch', async () => {
        const store = await openStore();
        const caseId = newCaseId();
        expectOk(await store.append(caseId, [makeEvidence('a')]));
        const batch = [
          // Listed before the entry it corrects: order within a batch does not matter.
          makeEvidence('b-fix', { supersedes: 'b', description: 'corrected', recorded: '2024-02-01' }),
          makeEvidence('b'),
          makeEvidence('a-retract', { supersedes: 'a', retracted: true, recorded: '2024-02-01' }),
        ];
        assert.deepEqual(expectOk(await store.append(caseId, batch)), { added: 3, unchanged: 0 });
        const read = await store.entries(caseId);
        assert.deepStrictEqual(read, sortById([makeEvidence('a'), ...batch]));
      });

      it('entries read back compare with case-file items by content: drift, and the correction that ends it', async () => {
        const store = await openStore();
        const caseId = newCaseId();
        const folder = [makeEvidence('a', { note: 'n' }), makeEvidence('b')];
        expectOk(await store.append(caseId, folder));
        // Read back, every entry equals its item: no drift.
        assert.deepEqual(ledgerDrift(folder, await store.entries(caseId)).differs, []);
        // An item fixed in the folder differs; the correction of it is accepted and ends the drift.
        const fixed = [makeEvidence('a', { note: 'n, fixed' }), makeEvidence('b')];
        const stored = await store.entries(caseId);
        const drift = ledgerDrift(fixed, stored);
        assert.deepEqual(
          drift.differs.map((d) => d.id),
          ['a'],
        );
        const planned = correctionsFor(fixed, stored, drift, [], '2024-02-01');
        assert.ok(planned.ok);
        assert.deepEqual(
          expectOk(
            await store.append(
              caseId,
              planned.corrections.map((c) => c.entry),
            ),
          ),
          { added: 1, unchanged: 0 },
        );
        const after = await store.entries(caseId);
        assert.deepEqual(ledgerDrift(fixed, after), { notInFolder: [], differs: [], edited: new Set(['a']) });
        // Before the correction's date, the ledger reads as it did.
        assert.deepStrictEqual(await store.entries(caseId, { recordedBy: '2024-01-31' }), stored);
      });

      it('a chain of corrections within one batch is accepted', async () => {
        const store = await openStore();
        const caseId = newCaseId();
        const batch = [makeEvidence('v3', { supersedes: 'v2' }), makeEvidence('v1'), makeEvidence('v2', { supersedes: 'v1' })];
        assert.deepEqual(expectOk(await store.append(caseId, batch)), { added: 3, unchanged: 0 });
      });
    });

    describe('views and cases', () => {
      it('recordedBy keeps the entries recorded on or before that day', async () => {
        const store = await openStore();
        const caseId = newCaseId();
        expectOk(
          await store.append(caseId, [
            makeEvidence('jan', { recorded: '2024-01-01' }),
            makeEvidence('feb', { recorded: '2024-02-01' }),
            makeEvidence('mar', { recorded: '2024-03-01' }),
          ]),
        );
        const ids = async (recordedBy?: string) =>
          (await store.entries(caseId, recordedBy === undefined ? {} : { recordedBy })).map((e) => e.id);
        assert.deepEqual(await ids('2023-12-31'), []);
        assert.deepEqual(await ids('2024-02-01'), ['feb', 'jan']);
        assert.deepEqual(await ids('2024-02-29'), ['feb', 'jan']);
        assert.deepEqual(await ids('2024-03-01'), ['feb', 'jan', 'mar']);
        assert.deepEqual(await ids(), ['feb', 'jan', 'mar']);
      });

      it('keeps cases apart: the same id may hold different content in two cases', async () => {
        const store = await openStore();
        const caseA = newCaseId('a');
        const caseB = newCaseId('b');
        const inA = [makeEvidence('shared', { description: 'in A' }), makeEvidence('only-a')];
        const inB = [makeEvidence('shared', { description: 'in B' })];
        expectOk(await store.append(caseA, inA));
        assert.deepEqual(expectOk(await store.append(caseB, inB)), { added: 1, unchanged: 0 });
        assert.deepStrictEqual(await store.entries(caseA), sortById(inA));
        assert.deepStrictEqual(await store.entries(caseB), inB);
        assert.equal(await store.count(caseA), 2);
        assert.equal(await store.count(caseB), 1);
      });
    });

    describe('properties', () => {
      it('appending entries in any split and order, twice, gives the same ledger as appending them once', async () => {
        const store = await openStore();
        await fc.assert(
          fc.asyncProperty(scenarioArb, async ({ entries, firstPass, secondPass }) => {
            const caseId = newCaseId('split');
            const onceId = newCaseId('once');

            let added = 0;
            for (const batch of batchesOf(entries, firstPass)) {
              added += expectOk(await store.append(caseId, batch)).added;
            }
            assert.equal(added, entries.length);

            let unchanged = 0;
            for (const batch of batchesOf(entries, secondPass)) {
              const r = expectOk(await store.append(caseId, batch));
              assert.equal(r.added, 0);
              unchanged += r.unchanged;
            }
            assert.equal(unchanged, entries.length);

            expectOk(await store.append(onceId, entries));
            const final = await store.entries(caseId);
            assert.deepStrictEqual(final, await store.entries(onceId));
            assert.deepStrictEqual(final, sortById(entries));
            assert.equal(await store.count(caseId), entries.length);
          }),
          { numRuns: 60 },
        );
      });
    });
  });
}

// --- Generators for the property test --------------------------------------------------------

const dateArb = fc.integer({ min: toDayNumber('1990-01-01'), max: toDayNumber('2035-12-31') }).map((day) => fromDayNumber(day));

/** Ids as case files write them, and any well-formed Unicode (past U+FFFF included). */
const idArb = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,11}$/),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }),
);

const textArb = fc.string({ unit: 'binary', maxLength: 12 });

/** JSON keeps every finite double except -0, which it writes as 0. */
const amountArb = fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x));

const sourceArb: fc.Arbitrary<EvidenceSource> = fc.record(
  {
    publisher: textArb,
    title: textArb,
    date: dateArb,
    url: fc.webUrl(),
    reliability: fc.constantFrom(...RELIABILITIES),
    credibility: fc.constantFrom(...CREDIBILITIES),
    origin: textArb,
  },
  { requiredKeys: ['publisher', 'title', 'date', 'reliability', 'credibility'], noNullPrototype: true },
);

type Body = Omit<Evidence, 'id' | 'supersedes'>;

const bodyArb: fc.Arbitrary<Body> = fc
  .record(
    {
      kind: fc.constantFrom('aid-disbursed', 'aid-pledged', 'ceasefire-violation', 'statement'),
      actors: fc.array(fc.constantFrom('usa', 'ukr', 'rus', 'eu'), { maxLength: 3 }),
      description: textArb,
      span: fc.tuple(dateArb, dateArb),
      reported: dateArb,
      recorded: dateArb,
      sources: fc.array(sourceArb, { maxLength: 3 }),
      amount: amountArb,
      currency: fc.constantFrom('USD', 'EUR'),
      quantity: fc.record({ value: amountArb, of: amountArb, unit: textArb }, { requiredKeys: ['value'], noNullPrototype: true }),
      tags: fc.array(textArb, { maxLength: 3 }),
      retracted: fc.boolean(),
      note: textArb,
    },
    {
      requiredKeys: ['kind', 'actors', 'description', 'span', 'reported', 'recorded', 'sources', 'tags'],
      noNullPrototype: true,
    },
  )
  .map(({ span, ...rest }) => {
    const [from, to] = span[0] <= span[1] ? span : [span[1], span[0]];
    return { ...rest, occurred: from, occurredTo: to };
  });

/**
 * A batch plan: for each entry (by index), a sort key giving its place in the order of
 * appending, and the number of the batch it goes into.
 */
type Plan = readonly (readonly [key: number, batch: number])[];

const planArb = (n: number): fc.Arbitrary<Plan> =>
  fc.array(fc.tuple(fc.nat(), fc.nat({ max: 4 })), { minLength: n, maxLength: n });

/**
 * Entries with distinct ids, where entry i may supersede an entry before it (so the
 * supersession graph has no loops), and two independent plans for appending them.
 */
const scenarioArb = fc
  .uniqueArray(fc.tuple(idArb, bodyArb, fc.option(fc.nat(), { nil: undefined })), {
    selector: ([id]) => id,
    maxLength: 25,
  })
  .map((rows) =>
    rows.map(([id, body, pick], i): Evidence => {
      const target = pick === undefined || i === 0 ? undefined : rows[pick % i]?.[0];
      return target === undefined ? { id, ...body } : { id, ...body, supersedes: target };
    }),
  )
  .chain((entries) =>
    fc.record({
      entries: fc.constant(entries),
      firstPass: planArb(entries.length),
      secondPass: planArb(entries.length),
    }),
  );

/**
 * Splits the entries into batches following the plan, moving a correction into a later
 * batch when needed so it never comes before the entry it supersedes (the store would
 * rightly refuse it). Supersedes always names an earlier entry, so one pass suffices.
 */
function batchesOf(entries: readonly Evidence[], plan: Plan): Evidence[][] {
  const index = new Map(entries.map((e, i) => [e.id, i]));
  const batchOf: number[] = [];
  entries.forEach((e, i) => {
    const own = plan[i]?.[1] ?? 0;
    const target = e.supersedes === undefined ? undefined : index.get(e.supersedes);
    batchOf.push(target === undefined ? own : Math.max(own, batchOf[target] ?? 0));
  });
  const order = entries.map((_, i) => i).sort((a, b) => (plan[a]?.[0] ?? 0) - (plan[b]?.[0] ?? 0));
  const batches: Evidence[][] = [];
  for (const i of order) {
    const b = batchOf[i] ?? 0;
    while (batches.length <= b) batches.push([]);
    const entry = entries[i];
    if (entry !== undefined) batches[b]?.push(entry);
  }
  return batches;
}
