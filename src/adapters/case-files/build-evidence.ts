/**
 * Checks and conversion of evidence items, from validated raw items to `Evidence`.
 *
 * Contract: problems go through the `CaseChecker`; items are returned in input order with
 * dates converted (a partial `occurred` spans its first to last day, a partial `reported`
 * means its last day) and absent optional fields omitted. The result is meaningful only if
 * no problem was reported.
 */
import { firstDayOf, lastDayOf } from '../../core/dates.ts';
import type { Evidence, EvidenceSource } from '../../core/evidence.ts';
import { type CaseChecker, hasKey, type Valid } from './case-checker.ts';
import type { RawEvidence } from './case-schema.ts';

export function buildEvidence(ck: CaseChecker, items: readonly Valid<RawEvidence>[]): Evidence[] {
  // Ledgers repeat a few thousand dates: each is converted once.
  const firsts = new Map<string, string>();
  const lasts = new Map<string, string>();
  const days: Days = {
    first: (text) => remember(firsts, text, firstDayOf),
    last: (text) => remember(lasts, text, lastDayOf),
  };
  return items.map((v) => {
    const d = v.data;
    const span = checkOccurrence(ck, v, days);
    const reportedWritten = ck.checkPartialDate(v, ['reported'], d.reported);
    const reported = days.last(reportedWritten ?? String(d.reported));
    if (reportedWritten !== undefined && span.known && reported < span.occurred) {
      ck.reportAt(
        v.entry,
        ['reported'],
        'bad-date',
        `${v.label}: reported ${reportedWritten} is before it occurred (${span.occurred}); an event cannot be reported before it happens: correct one of the dates`,
      );
    }
    const recorded = ck.checkDate(v, ['recorded'], d.recorded) ?? d.recorded;
    ck.requireCurrency(v, d.amount, d.currency);
    if (d.retracted === true && !hasKey(v, 'supersedes')) {
      ck.reportAt(
        v.entry,
        ['retracted'],
        'inconsistent',
        `${v.label}: retracted: true withdraws the entry named by "supersedes"; add supersedes: <the id of the entry it withdraws>`,
      );
    }
    if (d.supersedes === d.id) {
      ck.reportAt(v.entry, ['supersedes'], 'inconsistent', `${v.label} supersedes itself; name the entry this one corrects`);
    } else if (d.supersedes !== undefined) {
      ck.referTo('evidence', d.supersedes, v.entry, () => v.entry.locator.valueAt(['supersedes']), v.label, d.id);
    }
    ck.referList('actor', d.actors, v, ['actors']);
    if (d.action !== undefined) ck.referAt('instrument', d.action.instrument, v, ['action', 'instrument']);
    if (d.finding !== undefined) ck.referAt('benchmark', d.finding.benchmark, v, ['finding', 'benchmark']);
    if (d.flow !== undefined) {
      ck.referAt('actor', d.flow.payer, v, ['flow', 'payer']);
      ck.referAt('actor', d.flow.payee, v, ['flow', 'payee']);
      if (d.amount === undefined) {
        ck.reportAt(v.entry, ['flow'], 'inconsistent', `${v.label}: a flow moves an amount; add amount and currency`);
      }
    }
    const sources: EvidenceSource[] = d.sources.map((s, i) => ({
      publisher: s.publisher,
      title: s.title,
      date: ck.checkPartialDate(v, ['sources', i, 'date'], s.date) ?? String(s.date),
      ...(s.url === undefined ? {} : { url: s.url }),
      reliability: s.reliability,
      credibility: s.credibility,
      ...(s.origin === undefined ? {} : { origin: s.origin }),
    }));
    const q = d.quantity;
    return {
      id: d.id,
      kind: d.kind,
      actors: d.actors,
      description: d.description,
      occurred: span.occurred,
      occurredTo: span.occurredTo,
      reported,
      recorded,
      sources,
      ...(d.amount === undefined ? {} : { amount: d.amount }),
      ...(d.currency === undefined ? {} : { currency: d.currency }),
      ...(q === undefined
        ? {}
        : {
            quantity: {
              value: q.value,
              ...(q.of === undefined ? {} : { of: q.of }),
              ...(q.unit === undefined ? {} : { unit: q.unit }),
            },
          }),
      tags: d.tags ?? [],
      ...(d.supersedes === undefined ? {} : { supersedes: d.supersedes }),
      ...(d.retracted === undefined ? {} : { retracted: d.retracted }),
      ...(d.note === undefined ? {} : { note: d.note }),
      ...(d.action === undefined ? {} : { action: { instrument: d.action.instrument, kind: d.action.kind } }),
      ...(d.claim === undefined ? {} : { claim: d.claim }),
      ...(d.flow === undefined ? {} : { flow: { kind: d.flow.kind, payer: d.flow.payer, payee: d.flow.payee } }),
      ...(d.finding === undefined
        ? {}
        : { finding: { benchmark: d.finding.benchmark, grade: d.finding.grade, assessor: d.finding.assessor } }),
    };
  });
}

interface Occurrence {
  readonly occurred: string;
  readonly occurredTo: string;
  /** Whether the start is a real date (so orderings against it mean something). */
  readonly known: boolean;
}

/** `firstDayOf` and `lastDayOf`, remembered. */
interface Days {
  readonly first: (text: string) => string;
  readonly last: (text: string) => string;
}

function remember(memo: Map<string, string>, text: string, f: (text: string) => string): string {
  let day = memo.get(text);
  if (day === undefined) {
    day = f(text);
    memo.set(text, day);
  }
  return day;
}

function checkOccurrence(ck: CaseChecker, v: Valid<RawEvidence>, days: Days): Occurrence {
  const o = v.data.occurred;
  if (typeof o !== 'object') {
    const written = ck.checkPartialDate(v, ['occurred'], o);
    return {
      occurred: days.first(written ?? String(o)),
      occurredTo: days.last(written ?? String(o)),
      known: written !== undefined,
    };
  }
  const from = ck.checkPartialDate(v, ['occurred', 'from'], o.from);
  const to = ck.checkPartialDate(v, ['occurred', 'to'], o.to);
  const occurred = days.first(from ?? String(o.from));
  const occurredTo = days.last(to ?? String(o.to));
  if (from !== undefined && to !== undefined && occurredTo < occurred) {
    ck.reportAt(
      v.entry,
      ['occurred', 'to'],
      'bad-date',
      `${v.label} occurred: the interval ends (${to}) before it begins (${from}); swap or correct the dates`,
    );
  }
  return { occurred, occurredTo, known: from !== undefined };
}
