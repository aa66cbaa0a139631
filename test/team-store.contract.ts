/**
 * The contract every `TeamStore` passes (SQLite and PostgreSQL): the promises of
 * `src/ports/team-store.ts`, checked through the port only. The ledger it holds passes
 * `test/ledger-store.contract.ts` too: run that one with `openLedgerOf(open)`.
 *
 * `open` is called once per test and the test closes what it opened. The stores it
 * returns may share one database, and other test files may write to that database at the
 * same time: every test works in case ids, user names, actions and webhook ids of its
 * own (random suffixes), and reads unfiltered lists only to look for its own records.
 *
 * Where the port leaves a choice, the contract fixes it (implementations must agree, the
 * server relies on it):
 * - The audit record of `appendEvidence` holds the caller's detail plus the store's own
 *   counts, `added` and `unchanged` (the caller cannot know them before the transaction);
 *   its `caseId` is the case appended to, whether or not the caller repeated it.
 * - Values come back as plain objects, optional fields absent rather than `undefined`,
 *   and never with a password or token hash outside `StoredUser.passwordHash`.
 * - Delivery records outlive the webhook they were sent to.
 * - Lists whose order the port leaves open (users, tokens, webhooks, deliveries) are
 *   compared sorted; audit records and alerts are compared in `seq` order (oldest first).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, it } from 'node:test';
import type { Evidence } from '../src/core/evidence.ts';
import type { AppendResult, LedgerStore } from '../src/ports/ledger-store.ts';
import type {
  AlertInput,
  AlertRecord,
  ApiToken,
  AuditInput,
  AuditRecord,
  DeliveryRecord,
  NewUser,
  Role,
  TeamStore,
  User,
  Webhook,
} from '../src/ports/team-store.ts';
import { makeEvidence, newCaseId } from './ledger-store.contract.ts';

/** A fresh name with a label, so that tests sharing a database never meet. */
function unique(label: string): string {
  return `${label}-${randomUUID()}`;
}

/** A fixed ISO timestamp on 2026-11-28, `minutes` after noon (UTC): never today's clock. */
function at(minutes: number, extraMs = 0): string {
  return new Date(Date.UTC(2026, 10, 28, 12, minutes, 0, extraMs)).toISOString();
}

/** A SHA-256-looking hex string (the store only compares hashes, it never computes them). */
function fakeHash(): string {
  return (randomUUID() + randomUUID()).replaceAll('-', '').padEnd(64, '0').slice(0, 64);
}

function expectOk(result: AppendResult): { added: number; unchanged: number } {
  if (!result.ok) assert.fail(`append refused: ${JSON.stringify(result.conflicts)}`);
  return { added: result.added, unchanged: result.unchanged };
}

function newUser(role: Role = 'analyst', label = 'user'): NewUser {
  return { id: unique('u'), name: unique(label), role, passwordHash: `scrypt$16384$8$1$${fakeHash()}`, created: at(0) };
}

/** The public part of a user: what every method but the find-by methods returns. */
function publicUser(user: NewUser): User {
  return { id: user.id, name: user.name, role: user.role, created: user.created };
}

function assertSeqsIncrease(records: readonly { readonly seq: number }[]): void {
  for (const r of records) assert.ok(Number.isSafeInteger(r.seq) && r.seq > 0, `seq ${r.seq} is not a positive integer`);
  for (let i = 1; i < records.length; i++) {
    const prev = records[i - 1]?.seq ?? 0;
    const cur = records[i]?.seq ?? 0;
    assert.ok(cur > prev, `seq ${cur} follows ${prev}: not increasing`);
  }
}

const bySeq = (a: { readonly seq: number }, b: { readonly seq: number }): number => a.seq - b.seq;
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A `LedgerStore` opener for `runLedgerStoreContract`: the ledger of a freshly opened team
 * store, whose `close` closes the whole team store (so the ledger contract leaks nothing).
 */
export function openLedgerOf(open: () => Promise<TeamStore>): () => Promise<LedgerStore> {
  return async () => {
    const store = await open();
    const { ledger } = store;
    return {
      append: (caseId, entries) => ledger.append(caseId, entries),
      entries: (caseId, options) => ledger.entries(caseId, options),
      count: (caseId) => ledger.count(caseId),
      close: () => store.close(),
    };
  };
}

export function runTeamStoreContract(name: string, open: () => Promise<TeamStore>): void {
  describe(`TeamStore contract: ${name}`, () => {
    const opened: TeamStore[] = [];
    const openStore = async (): Promise<TeamStore> => {
      const store = await open();
      opened.push(store);
      return store;
    };
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
    });

    const appendAudit = (caseId: string, ids: readonly string[], fields: Partial<AuditInput> = {}): AuditInput => ({
      actor: 'analyst-1',
      action: 'evidence.append',
      at: at(1),
      caseId,
      ids,
      ...fields,
    });

    describe('appendEvidence', () => {
      it('stores the entries and one audit record holding what the caller gave plus the counts', async () => {
        const store = await openStore();
        const caseId = newCaseId();
        const batch = [makeEvidence('ev-1'), makeEvidence('ev-2', { amount: 5, currency: 'EUR' })];
        const audit = appendAudit(caseId, ['ev-1', 'ev-2'], { detail: { source: 'api', file: 'import.yaml' } });
        assert.deepEqual(expectOk(await store.appendEvidence(caseId, batch, audit)), { added: 2, unchanged: 0 });

        assert.deepStrictEqual(await store.ledger.entries(caseId), batch);
        const records = await store.audit({ caseId });
        assert.equal(records.length, 1);
        const [record] = records;
        assert.ok(record !== undefined, 'no audit record');
        assert.deepStrictEqual(record, {
          seq: record.seq,
          actor: 'analyst-1',
          action: 'evidence.append',
          at: at(1),
          caseId,
          ids: ['ev-1', 'ev-2'],
          supersedes: [],
          detail: { source: 'api', file: 'import.yaml', added: 2, unchanged: 0 },
        });
        assertSeqsIncrease(records);
      });

      it('an append that adds nothing still records its audit record, with added: 0 and the detail given', async () => {
        const store = await openStore();
        const caseId = newCaseId();
        const batch = [makeEvidence('a'), makeEvidence('b')];
        expectOk(await store.appendEvidence(caseId, batch, appendAudit(caseId, ['a', 'b'])));
        const again = await store.appendEvidence(
          caseId,
          batch,
          appendAudit(caseId, ['a', 'b'], { actor: 'analyst-2', at: at(2), detail: { note: 're-import' } }),
        );
        assert.deepEqual(expectOk(again), { added: 0, unchanged: 2 });
        assert.equal(await store.ledger.count(caseId), 2);

        const records = await store.audit({ caseId });
        assert.equal(records.length, 2);
        assertSeqsIncrease(records);
        assert.deepStrictEqual(records[1], {
          seq: records[1]?.seq,
          actor: 'analyst-2',
          action: 'evidence.append',
          at: at(2),
          caseId,
          ids: ['a', 'b'],
          supersedes: [],
          detail: { note: 're-import', added: 0, unchanged: 2 },
        });
      });

      it('an empty batch adds nothing and records its audit record', async () => {
        const store = await openStore();
        const caseId = newCaseId();
        assert.deepEqual(expectOk(await store.appendEvidence(caseId, [], appendAudit(caseId, []))), { added: 0, unchanged: 0 });
        const records = await store.audit({ caseId });
        assert.deepEqual(
          records.map((r) => r.detail),
          [{ added: 0, unchanged: 0 }],
        );
      });

      it('a refused batch stores neither its entries nor an audit record', async () => {
        const store = await openStore();
        const caseId = newCaseId();
        expectOk(await store.appendEvidence(caseId, [makeEvidence('a')], appendAudit(caseId, ['a'])));

        const changed = await store.appendEvidence(
          caseId,
          [makeEvidence('new'), makeEvidence('a', { description: 'rewritten' })],
          appendAudit(caseId, ['new', 'a'], { at: at(5) }),
        );
        if (changed.ok) assert.fail('a batch rewriting a stored entry was accepted');
        assert.deepEqual(
          changed.conflicts.map((c) => c.id),
          ['a'],
        );
        const dangling = await store.appendEvidence(
          caseId,
          [makeEvidence('fix', { supersedes: 'nowhere' })],
          appendAudit(caseId, ['fix'], { at: at(6), supersedes: ['nowhere'] }),
        );
        assert.equal(dangling.ok, false);

        assert.deepStrictEqual(await store.ledger.entries(caseId), [makeEvidence('a')]);
        const records = await store.audit({ caseId });
        assert.deepEqual(
          records.map((r) => r.at),
          [at(1)],
        );
      });

      it('the audit record names the appended case even when the caller left it out, and keeps supersedes', async () => {
        const store = await openStore();
        const caseId = newCaseId();
        expectOk(await store.appendEvidence(caseId, [makeEvidence('a')], appendAudit(caseId, ['a'])));
        const { caseId: _omitted, ...withoutCase } = appendAudit(caseId, ['a-fix'], {
          at: at(3),
          supersedes: ['a'],
        });
        const correction = makeEvidence('a-fix', { supersedes: 'a', recorded: '2024-02-01' });
        expectOk(await store.appendEvidence(caseId, [correction], withoutCase));

        const records = await store.audit({ caseId });
        assert.equal(records.length, 2);
        assert.equal(records[1]?.caseId, caseId);
        assert.deepEqual(records[1]?.ids, ['a-fix']);
        assert.deepEqual(records[1]?.supersedes, ['a']);
        assert.deepStrictEqual(await store.ledger.entries(caseId), [makeEvidence('a'), correction]);
      });

      it('the ledger sees what appendEvidence stored, and ledger.append records no audit record', async () => {
        const store = await openStore();
        const caseId = newCaseId();
        expectOk(await store.ledger.append(caseId, [makeEvidence('direct')]));
        assert.deepEqual(await store.audit({ caseId }), []);
        expectOk(await store.appendEvidence(caseId, [makeEvidence('audited')], appendAudit(caseId, ['audited'])));
        assert.deepEqual(
          (await store.ledger.entries(caseId)).map((e) => e.id),
          ['audited', 'direct'],
        );
        assert.equal(await store.ledger.count(caseId), 2);
        // A conflict with an entry stored through the ledger is still a conflict.
        const refused = await store.appendEvidence(
          caseId,
          [makeEvidence('direct', { note: 'changed' })],
          appendAudit(caseId, ['direct'], { at: at(9) }),
        );
        assert.equal(refused.ok, false);
        assert.equal((await store.audit({ caseId })).length, 1);
      });
    });

    describe('appendEvidenceGroup', () => {
      it('stores each write with its audit record in order; a refused write stores nothing of itself, the others stand', async () => {
        const store = await openStore();
        const caseId = newCaseId();
        expectOk(await store.appendEvidence(caseId, [makeEvidence('a')], appendAudit(caseId, ['a'])));
        const fix = makeEvidence('b-fix', { supersedes: 'b', recorded: '2024-02-01' });
        const results = await store.appendEvidenceGroup(caseId, [
          { entries: [makeEvidence('b')], audit: appendAudit(caseId, ['b'], { at: at(2) }) },
          // Rewrites a stored entry: refused, with its new entry.
          {
            entries: [makeEvidence('c'), makeEvidence('a', { description: 'rewritten' })],
            audit: appendAudit(caseId, ['c', 'a'], { at: at(3) }),
          },
          // Supersedes an entry of an earlier write of the same group.
          { entries: [fix], audit: appendAudit(caseId, ['b-fix'], { at: at(4), supersedes: ['b'] }) },
          // Supersedes the refused write's entry: refused too.
          {
            entries: [makeEvidence('c-fix', { supersedes: 'c' })],
            audit: appendAudit(caseId, ['c-fix'], { at: at(5), supersedes: ['c'] }),
          },
          // The same content again: unchanged.
          { entries: [makeEvidence('a')], audit: appendAudit(caseId, ['a'], { at: at(6) }) },
        ]);
        assert.deepEqual(
          results.map((r) => (r.ok ? { added: r.added, unchanged: r.unchanged } : r.conflicts.map((c) => c.id))),
          [{ added: 1, unchanged: 0 }, ['a'], { added: 1, unchanged: 0 }, ['c-fix'], { added: 0, unchanged: 1 }],
        );
        assert.deepStrictEqual(await store.ledger.entries(caseId), [makeEvidence('a'), makeEvidence('b'), fix]);
        assert.equal(await store.ledger.count(caseId), 3);
        const records = await store.audit({ caseId });
        assert.deepEqual(
          records.map((r) => [r.at, r.ids, r.detail]),
          [
            [at(1), ['a'], { added: 1, unchanged: 0 }],
            [at(2), ['b'], { added: 1, unchanged: 0 }],
            [at(4), ['b-fix'], { added: 1, unchanged: 0 }],
            [at(6), ['a'], { added: 0, unchanged: 1 }],
          ],
        );
      });
    });

    describe('audit log', () => {
      it('recordAudit returns the stored record, with null, empty lists and {} for what was left out', async () => {
        const store = await openStore();
        const action = unique('contract.bare');
        const bare = await store.recordAudit({ actor: 'admin', action, at: at(7, 123) });
        assert.deepStrictEqual(bare, {
          seq: bare.seq,
          actor: 'admin',
          action,
          at: at(7, 123),
          caseId: null,
          ids: [],
          supersedes: [],
          detail: {},
        });
        assert.deepStrictEqual(await store.audit({ action }), [bare]);

        const caseId = newCaseId();
        const full: AuditInput = {
          actor: 'Ana María',
          action: unique('contract.full'),
          at: at(8),
          caseId,
          ids: ['tok-1', 'ünïcode-✓'],
          supersedes: ['old-1'],
          detail: { role: 'admin', url: 'https://example.org/hook?x=1', nested: { list: [1, 'two', null, true] }, n: 2.5 },
        };
        const stored = await store.recordAudit(full);
        assert.deepStrictEqual(stored, {
          seq: stored.seq,
          actor: 'Ana María',
          action: full.action,
          at: at(8),
          caseId,
          ids: ['tok-1', 'ünïcode-✓'],
          supersedes: ['old-1'],
          detail: { role: 'admin', url: 'https://example.org/hook?x=1', nested: { list: [1, 'two', null, true] }, n: 2.5 },
        });
        assert.deepStrictEqual(await store.audit({ caseId }), [stored]);
        assert.ok(stored.seq > bare.seq, 'a later record has a larger seq');
      });

      it('filters by case, action, afterSeq and limit, combined, oldest first', async () => {
        const store = await openStore();
        const caseA = newCaseId('a');
        const caseB = newCaseId('b');
        const x = unique('contract.x');
        const y = unique('contract.y');
        const plan: [string | undefined, string][] = [
          [caseA, x],
          [caseB, x],
          [caseA, y],
          [caseA, x],
          [undefined, x],
        ];
        const r: AuditRecord[] = [];
        for (const [i, [caseId, action]] of plan.entries()) {
          r.push(await store.recordAudit({ actor: 'a', action, at: at(i), ...(caseId === undefined ? {} : { caseId }) }));
        }
        assertSeqsIncrease(r);
        const [r0, r1, r2, r3, r4] = r as [AuditRecord, AuditRecord, AuditRecord, AuditRecord, AuditRecord];

        assert.deepStrictEqual(await store.audit({ caseId: caseA }), [r0, r2, r3]);
        assert.deepStrictEqual(await store.audit({ caseId: caseB }), [r1]);
        assert.deepStrictEqual(await store.audit({ action: x }), [r0, r1, r3, r4]);
        assert.deepStrictEqual(await store.audit({ action: y }), [r2]);
        assert.deepStrictEqual(await store.audit({ caseId: caseA, action: x }), [r0, r3]);
        assert.deepStrictEqual(await store.audit({ caseId: caseA, afterSeq: r0.seq }), [r2, r3]);
        assert.deepStrictEqual(await store.audit({ caseId: caseA, limit: 2 }), [r0, r2]);
        assert.deepStrictEqual(await store.audit({ action: x, afterSeq: r1.seq, limit: 1 }), [r3]);
        assert.deepStrictEqual(await store.audit({ caseId: caseA, afterSeq: r3.seq }), []);
        assert.deepStrictEqual(await store.audit({ caseId: newCaseId('none') }), []);

        // Unfiltered and afterSeq-only reads see other tests' records too: look for ours.
        const all = await store.audit();
        assertSeqsIncrease(all);
        assert.deepStrictEqual(
          all.filter((rec) => rec.action === x || rec.action === y),
          r,
        );
        const after = await store.audit({ afterSeq: r1.seq });
        assert.deepEqual(
          after.filter((rec) => rec.seq <= r1.seq),
          [],
        );
        assert.deepStrictEqual(
          after.filter((rec) => rec.action === x || rec.action === y),
          [r2, r3, r4],
        );
        const limited = await store.audit({ afterSeq: r0.seq - 1, limit: 3 });
        assert.equal(limited.length, 3);
        assert.deepStrictEqual(limited[0], r0);
      });

      it('pages through a case with afterSeq and limit, without gaps or repeats', async () => {
        const store = await openStore();
        const caseId = newCaseId();
        const written: AuditRecord[] = [];
        for (let i = 0; i < 7; i++) {
          written.push(await store.recordAudit({ actor: 'a', action: 'case.note', at: at(i), caseId, ids: [`n${i}`] }));
        }
        const pages: AuditRecord[][] = [];
        let afterSeq = 0;
        for (;;) {
          const page = await store.audit({ caseId, afterSeq, limit: 3 });
          if (page.length === 0) break;
          pages.push(page);
          afterSeq = page[page.length - 1]?.seq ?? assert.fail('empty page');
          assert.ok(pages.length < 10, 'paging does not end');
        }
        assert.deepEqual(
          pages.map((p) => p.length),
          [3, 3, 1],
        );
        assert.deepStrictEqual(pages.flat(), written);
      });

      it('concurrent recordAudit calls each get a seq of their own', async () => {
        const store = await openStore();
        const caseId = newCaseId();
        const records = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            store.recordAudit({ actor: 'a', action: 'case.note', at: at(i), caseId, ids: [`n${i}`] }),
          ),
        );
        assert.equal(new Set(records.map((r) => r.seq)).size, 20);
        const read = await store.audit({ caseId });
        assertSeqsIncrease(read);
        assert.deepStrictEqual(read, [...records].sort(bySeq));
      });
    });

    describe('users', () => {
      it('creates a user and finds it by name and by id, with its password hash', async () => {
        const store = await openStore();
        const user = newUser('admin');
        assert.deepStrictEqual(await store.createUser(user), { ok: true, value: publicUser(user) });
        assert.deepStrictEqual(await store.findUserByName(user.name), user);
        assert.deepStrictEqual(await store.findUserById(user.id), user);
      });

      it('refuses a name already taken with reason "exists", and keeps the first user', async () => {
        const store = await openStore();
        const first = newUser('analyst');
        assert.equal((await store.createUser(first)).ok, true);
        const second: NewUser = { ...newUser('admin'), name: first.name };
        assert.deepStrictEqual(await store.createUser(second), { ok: false, reason: 'exists' });
        assert.deepStrictEqual(await store.findUserByName(first.name), first);
        assert.equal(await store.findUserById(second.id), undefined);
      });

      it('names are case-sensitive', async () => {
        const store = await openStore();
        const lower = newUser('viewer', 'ann');
        const upper: NewUser = { ...newUser('analyst'), name: lower.name.toUpperCase() };
        assert.equal((await store.createUser(lower)).ok, true);
        assert.equal((await store.createUser(upper)).ok, true);
        assert.equal((await store.findUserByName(upper.name))?.id, upper.id);
        assert.equal((await store.findUserByName(lower.name))?.id, lower.id);
      });

      it('an unknown name or id finds nothing', async () => {
        const store = await openStore();
        assert.equal(await store.findUserByName(unique('nobody')), undefined);
        assert.equal(await store.findUserById(unique('no-id')), undefined);
      });

      it('listUsers lists every user, without password hashes', async () => {
        const store = await openStore();
        const mine = [newUser('viewer'), newUser('analyst'), newUser('admin')];
        for (const user of mine) assert.equal((await store.createUser(user)).ok, true);
        const listed = await store.listUsers();
        for (const user of listed) assert.ok(!('passwordHash' in user), `listUsers exposes the hash of ${user.name}`);
        const ids = new Set(mine.map((u) => u.id));
        assert.deepStrictEqual(
          listed.filter((u) => ids.has(u.id)).sort((a, b) => byText(a.id, b.id)),
          mine.map(publicUser).sort((a, b) => byText(a.id, b.id)),
        );
      });

      it('concurrent creations of one name: exactly one succeeds', async () => {
        const store = await openStore();
        const name = unique('race');
        const results = await Promise.all(Array.from({ length: 10 }, () => store.createUser({ ...newUser(), name })));
        assert.equal(results.filter((r) => r.ok).length, 1);
        assert.deepEqual(
          results.filter((r) => !r.ok && r.reason !== 'exists'),
          [],
        );
        const winner = results.find((r) => r.ok);
        assert.equal((await store.findUserByName(name))?.id, winner?.ok ? winner.value.id : undefined);
      });
    });

    describe('API tokens', () => {
      it('createToken returns the token without its hash; findToken by hash gives the token and its user', async () => {
        const store = await openStore();
        const user = newUser('analyst');
        await store.createUser(user);
        const tokenHash = fakeHash();
        const token = await store.createToken({ id: unique('tok'), userId: user.id, name: 'laptop', tokenHash, created: at(4) });
        const expected: ApiToken = { id: token.id, userId: user.id, name: 'laptop', created: at(4) };
        assert.deepStrictEqual(token, expected);
        assert.deepStrictEqual(await store.findToken(tokenHash), { token: expected, user: publicUser(user) });
        assert.equal(await store.findToken(fakeHash()), undefined);
      });

      it('a revoked token is no longer found; revoking it again, or an unknown token, gives false', async () => {
        const store = await openStore();
        const user = newUser('admin');
        await store.createUser(user);
        const hashes = [fakeHash(), fakeHash()];
        const [kept, revoked] = await Promise.all(
          hashes.map((tokenHash, i) =>
            store.createToken({ id: unique('tok'), userId: user.id, name: `t${i}`, tokenHash, created: at(i) }),
          ),
        );
        assert.ok(kept !== undefined && revoked !== undefined, 'createToken returned nothing');
        assert.equal(await store.revokeToken(revoked.id, at(30)), true);
        assert.equal(await store.findToken(hashes[1] ?? ''), undefined);
        assert.equal(await store.revokeToken(revoked.id, at(31)), false);
        assert.equal(await store.revokeToken(unique('no-token'), at(31)), false);
        assert.deepStrictEqual((await store.findToken(hashes[0] ?? ''))?.token, kept);
        const listed = (await store.listTokens(user.id)).sort((a, b) => byText(a.id, b.id));
        assert.deepStrictEqual(
          listed,
          [kept, { ...revoked, revoked: at(30) }].sort((a, b) => byText(a.id, b.id)),
        );
      });

      it("listTokens lists one user's tokens, revoked ones included, and nobody else's", async () => {
        const store = await openStore();
        const [one, two] = [newUser(), newUser()];
        await store.createUser(one);
        await store.createUser(two);
        const a = await store.createToken({ id: unique('a'), userId: one.id, name: 'a', tokenHash: fakeHash(), created: at(1) });
        const b = await store.createToken({ id: unique('b'), userId: one.id, name: 'b', tokenHash: fakeHash(), created: at(2) });
        const c = await store.createToken({ id: unique('c'), userId: two.id, name: 'c', tokenHash: fakeHash(), created: at(3) });
        assert.equal(await store.revokeToken(b.id, at(9)), true);
        const sorted = (tokens: ApiToken[]) => tokens.sort((p, q) => byText(p.id, q.id));
        assert.deepStrictEqual(sorted(await store.listTokens(one.id)), sorted([a, { ...b, revoked: at(9) }]));
        assert.deepStrictEqual(await store.listTokens(two.id), [c]);
        assert.deepStrictEqual(await store.listTokens(unique('nobody')), []);
      });
    });

    describe('sessions', () => {
      it('finds a session and its user before its expiry, not at it nor after it', async () => {
        const store = await openStore();
        const user = newUser('viewer');
        await store.createUser(user);
        const idHash = fakeHash();
        const session = { userId: user.id, csrfToken: unique('csrf'), created: at(0), expires: at(60) };
        await store.createSession({ ...session, idHash });

        assert.deepStrictEqual(await store.findSession(idHash, at(0)), { session, user: publicUser(user) });
        assert.deepStrictEqual(await store.findSession(idHash, at(59, 59_999)), { session, user: publicUser(user) });
        assert.equal(await store.findSession(idHash, at(60)), undefined);
        assert.equal(await store.findSession(idHash, at(60, 1)), undefined);
        assert.equal(await store.findSession(idHash, '2027-01-01T00:00:00.000Z'), undefined);
        assert.equal(await store.findSession(fakeHash(), at(1)), undefined);
      });

      it('deleteSession removes that session only; deleting an unknown one is harmless', async () => {
        const store = await openStore();
        const user = newUser('analyst');
        await store.createUser(user);
        const [gone, stays] = [fakeHash(), fakeHash()];
        const base = { userId: user.id, created: at(0), expires: at(90) };
        await store.createSession({ ...base, csrfToken: 'c1', idHash: gone });
        await store.createSession({ ...base, csrfToken: 'c2', idHash: stays });
        await store.deleteSession(gone);
        assert.equal(await store.findSession(gone, at(1)), undefined);
        assert.equal((await store.findSession(stays, at(1)))?.session.csrfToken, 'c2');
        await store.deleteSession(gone);
        await store.deleteSession(fakeHash());
        assert.equal((await store.findSession(stays, at(1)))?.user.id, user.id);
      });

      it('deleteExpiredSessions deletes the sessions expired as of the time given, expiry included, and keeps the others', async () => {
        const store = await openStore();
        const user = newUser('analyst');
        await store.createUser(user);
        // In 2001, long before any other test's sessions, so that purging cannot touch theirs.
        const t = (minutes: number, extraMs = 0): string => new Date(Date.UTC(2001, 0, 1, 12, minutes, 0, extraMs)).toISOString();
        const [expiredBefore, expiredAt, liveJustAfter, liveLater] = [fakeHash(), fakeHash(), fakeHash(), fakeHash()];
        const sessionOf = (idHash: string, expires: string) => ({
          idHash,
          userId: user.id,
          csrfToken: unique('csrf'),
          created: t(0),
          expires,
        });
        await store.createSession(sessionOf(expiredBefore, t(29, 999)));
        await store.createSession(sessionOf(expiredAt, t(30)));
        await store.createSession(sessionOf(liveJustAfter, t(30, 1)));
        await store.createSession(sessionOf(liveLater, t(90)));

        const deleted = await store.deleteExpiredSessions(t(30));
        // At least ours: another test sharing the database may have had sessions expired then.
        assert.ok(deleted >= 2, `deleted ${deleted} sessions, expected at least the 2 expired ones`);
        // Looked up as of a time when all four were live: the expired ones are gone for good.
        assert.equal(await store.findSession(expiredBefore, t(1)), undefined);
        assert.equal(await store.findSession(expiredAt, t(1)), undefined);
        assert.equal((await store.findSession(liveJustAfter, t(1)))?.user.id, user.id);
        assert.equal((await store.findSession(liveLater, t(1)))?.user.id, user.id);

        await store.deleteExpiredSessions(t(30));
        assert.equal((await store.findSession(liveJustAfter, t(1)))?.user.id, user.id, 'purging again changes nothing');
        await store.deleteExpiredSessions(t(60));
        assert.equal(await store.findSession(liveJustAfter, t(1)), undefined);
        assert.equal((await store.findSession(liveLater, t(1)))?.session.expires, t(90));
      });

      it('deleteExpiredSessions refuses a time that is not a Date#toISOString timestamp, deleting nothing', async () => {
        const store = await openStore();
        const user = newUser('viewer');
        await store.createUser(user);
        const idHash = fakeHash();
        await store.createSession({ idHash, userId: user.id, csrfToken: unique('csrf'), created: at(0), expires: at(60) });
        // As text '2026-11-28T14:00:00Z' sorts after at(60), so a lax store would delete it.
        await assert.rejects(store.deleteExpiredSessions('2026-11-28T14:00:00Z'), RangeError);
        assert.equal((await store.findSession(idHash, at(1)))?.user.id, user.id);
      });
    });

    describe('alerts', () => {
      const alertOf = (caseId: string, subject: string, fields: Partial<AlertInput> = {}): AlertInput => ({
        caseId,
        kind: 'benchmark-status',
        subject,
        from: 'unmet',
        to: 'met',
        asOf: '2024-03-01',
        evidenceIds: ['ev-1', 'ev-2'],
        actor: 'analyst-1',
        at: at(10),
        ...fields,
      });

      it('recordAlerts returns the records with increasing seqs, and alerts reads them back filtered', async () => {
        const store = await openStore();
        const caseA = newCaseId('a');
        const caseB = newCaseId('b');
        const inputs = [
          alertOf(caseA, 'b-1'),
          alertOf(caseB, 'b-1', { kind: 'gate-decision', from: 'hold', to: 'release', evidenceIds: [] }),
          alertOf(caseA, 'i-2', { kind: 'gate-decision', from: 'release', to: 'suspend', at: at(11) }),
        ];
        const records = await store.recordAlerts(inputs);
        assert.equal(records.length, 3);
        assertSeqsIncrease(records);
        assert.deepStrictEqual(
          records,
          inputs.map((input, i) => ({ ...input, seq: records[i]?.seq })),
        );
        const [r0, r1, r2] = records as [AlertRecord, AlertRecord, AlertRecord];

        assert.deepStrictEqual(await store.alerts({ caseId: caseA }), [r0, r2]);
        assert.deepStrictEqual(await store.alerts({ caseId: caseB }), [r1]);
        assert.deepStrictEqual(await store.alerts({ caseId: caseA, afterSeq: r0.seq }), [r2]);
        assert.deepStrictEqual(await store.alerts({ caseId: caseA, limit: 1 }), [r0]);
        assert.deepStrictEqual(await store.alerts({ caseId: caseA, afterSeq: r2.seq }), []);
        const all = await store.alerts();
        assertSeqsIncrease(all);
        assert.deepStrictEqual(
          all.filter((a) => a.caseId === caseA || a.caseId === caseB),
          records,
        );
        const after = await store.alerts({ afterSeq: r0.seq, limit: 1 });
        assert.equal(after.length, 1);
        assert.ok((after[0]?.seq ?? 0) > r0.seq, `afterSeq ${r0.seq} gave seq ${after[0]?.seq}`);

        const later = await store.recordAlerts([alertOf(caseA, 'b-3', { at: at(12) })]);
        assert.ok((later[0]?.seq ?? 0) > r2.seq, 'a later batch gets larger seqs');
        assert.deepStrictEqual(await store.recordAlerts([]), []);
      });
    });

    describe('webhooks and deliveries', () => {
      const webhookOf = (): Webhook => ({
        id: unique('hook'),
        url: `https://hooks.example.org/${randomUUID()}?sig=1`,
        secret: fakeHash(),
        created: at(20),
      });

      it('webhooks lists what was added, with its secret; removeWebhook removes it once', async () => {
        const store = await openStore();
        const [one, two] = [webhookOf(), webhookOf()];
        await store.addWebhook(one);
        await store.addWebhook(two);
        const mine = async () =>
          (await store.webhooks()).filter((w) => w.id === one.id || w.id === two.id).sort((a, b) => byText(a.id, b.id));
        assert.deepStrictEqual(
          await mine(),
          [one, two].sort((a, b) => byText(a.id, b.id)),
        );
        assert.equal(await store.removeWebhook(one.id), true);
        assert.deepStrictEqual(await mine(), [two]);
        assert.equal(await store.removeWebhook(one.id), false);
        assert.equal(await store.removeWebhook(unique('no-hook')), false);
      });

      it('records deliveries and lists them all or by alert; they outlive their webhook', async () => {
        const store = await openStore();
        const caseId = newCaseId();
        const alert = (subject: string): AlertInput => ({
          caseId,
          kind: 'benchmark-status',
          subject,
          from: 'met',
          to: 'unmet',
          asOf: '2024-05-01',
          evidenceIds: ['e'],
          actor: 'a',
          at: at(21),
        });
        const [first, second] = (await store.recordAlerts([alert('b-1'), alert('b-2')])) as [AlertRecord, AlertRecord];
        const hook = webhookOf();
        await store.addWebhook(hook);

        const sent: DeliveryRecord[] = [
          {
            alertSeq: first.seq,
            webhookId: hook.id,
            attempt: 1,
            at: at(22),
            status: 503,
            ok: false,
            error: 'Service Unavailable',
          },
          { alertSeq: first.seq, webhookId: hook.id, attempt: 2, at: at(23), status: 200, ok: true },
          {
            alertSeq: second.seq,
            webhookId: hook.id,
            attempt: 1,
            at: at(24),
            status: 0,
            ok: false,
            error: 'connect ECONNREFUSED',
          },
        ];
        for (const delivery of sent) await store.recordDelivery(delivery);

        const order = (list: DeliveryRecord[]) => list.sort((a, b) => a.alertSeq - b.alertSeq || a.attempt - b.attempt);
        const mine = async () => order((await store.deliveries()).filter((d) => d.webhookId === hook.id));
        assert.deepStrictEqual(order(await store.deliveries(first.seq)), sent.slice(0, 2));
        assert.deepStrictEqual(await store.deliveries(second.seq), sent.slice(2));
        assert.deepStrictEqual(await mine(), sent);

        assert.equal(await store.removeWebhook(hook.id), true);
        assert.deepStrictEqual(await mine(), sent);
      });
    });

    describe('concurrency', () => {
      it('20 concurrent appendEvidence calls with distinct entries are all stored, each with its audit record', async () => {
        const store = await openStore();
        const caseId = newCaseId();
        const entries = Array.from({ length: 20 }, (_, i) => makeEvidence(`ev-${String(i).padStart(2, '0')}`));
        const results = await Promise.all(
          entries.map((entry, i) => store.appendEvidence(caseId, [entry], appendAudit(caseId, [entry.id], { at: at(i) }))),
        );
        for (const result of results) assert.deepEqual(expectOk(result), { added: 1, unchanged: 0 });
        assert.deepStrictEqual(await store.ledger.entries(caseId), entries);
        assert.equal(await store.ledger.count(caseId), 20);

        const records = await store.audit({ caseId });
        assert.equal(records.length, 20);
        assertSeqsIncrease(records);
        assert.deepEqual(records.flatMap((r) => r.ids).sort(byText), entries.map((e) => e.id).sort(byText));
        assert.deepEqual(
          records.map((r) => [r.detail.added, r.detail.unchanged]),
          records.map(() => [1, 0]),
        );
      });

      it('concurrent appends of one entry store it once: one adds it, the others find it unchanged', async () => {
        const store = await openStore();
        const caseId = newCaseId();
        const entry: Evidence = makeEvidence('same');
        const results = (
          await Promise.all(
            Array.from({ length: 10 }, (_, i) =>
              store.appendEvidence(caseId, [entry], appendAudit(caseId, ['same'], { at: at(i) })),
            ),
          )
        ).map(expectOk);
        assert.equal(
          results.reduce((n, r) => n + r.added, 0),
          1,
        );
        assert.equal(
          results.reduce((n, r) => n + r.unchanged, 0),
          9,
        );
        assert.equal(await store.ledger.count(caseId), 1);
        assert.equal((await store.audit({ caseId })).length, 10);
      });
    });

    describe('lifecycle', () => {
      it('reports where it lives, and closing twice is harmless', async () => {
        const store = await open();
        assert.equal(typeof store.location, 'string');
        assert.ok(store.location.length > 0, 'location is empty');
        assert.ok(!/:[^:/@]+@/.test(store.location), `location ${store.location} seems to carry a password`);
        await store.close();
        await store.close();
      });
    });
  });
}
