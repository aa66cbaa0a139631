import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatProblem, parseCaseFiles } from './load-case.ts';

const base = `case: {id: c, title: C, principal: usa, counterpart: pak}
actors:
  - {id: usa, name: United States, kind: state}
  - {id: pak, name: Pakistan, kind: state}
`;

describe('series indicators in case files', () => {
  it('loads an event-data indicator and a structural one', () => {
    const text = `${base}indicators:
  - id: clashes
    title: Material conflict by Pakistan-based militants against India
    kind: series
    source: {events: {actor1: [PAK, SASREB], actor2: [IND], root: ["18", "19", "20"], quad: [4]}}
    aggregate: sum
    window: P12M
    dataset: {publisher: GDELT Project, title: GDELT 2.0 event exports, date: 2024}
    reliability: C
    credibility: 3
  - id: un_agreement
    title: US–Pakistan UN voting coincidence
    kind: series
    source: {series: coincidence, dyad: [USA, PAK]}
    aggregate: latest
    dataset: {publisher: US Department of State, title: Voting Practices in the United Nations, date: 2024}
    reliability: A
    credibility: 2
benchmarks:
  - {id: quiet, title: Quiet, condition: "clashes <= 10.0 && un_agreement > 0.3"}
`;
    const r = parseCaseFiles('case', [{ name: 'case.yaml', text }]);
    assert.ok(r.ok, r.ok ? '' : r.problems.map(formatProblem).join('\n'));
    const clashes = r.case.indicators[0];
    assert.equal(clashes?.kind, 'series');
    assert.deepEqual(clashes?.kind === 'series' ? clashes.source : undefined, {
      store: 'events',
      actor1: ['PAK', 'SASREB'],
      actor2: ['IND'],
      either: false,
      rootCodes: ['18', '19', '20'],
      quadClasses: [4],
      measure: 'count',
    });
    assert.deepEqual(r.case.benchmarks[0]?.indicators, ['clashes', 'un_agreement']);
  });

  it('reports a bad source at its position', () => {
    const text = `${base}indicators:
  - id: clashes
    title: T
    kind: series
    source: {events: {root: [18]}}
    aggregate: total
    dataset: {publisher: P, title: T, date: 2024}
    reliability: C
    credibility: 3
`;
    const r = parseCaseFiles('case', [{ name: 'case.yaml', text }]);
    assert.equal(r.ok, false);
    const lines = r.ok ? [] : r.problems.map(formatProblem);
    assert.ok(
      lines.some((l) => l.startsWith('case/case.yaml:9:')),
      lines.join('\n'),
    );
    assert.ok(
      lines.some((l) => l.startsWith('case/case.yaml:10:') && l.includes('aggregate')),
      lines.join('\n'),
    );
  });

  const weighted = (measure: string) => `${base}indicators:
  - id: clashes
    title: T
    kind: series
    source: {events: {actor1: [PAK]}, measure: ${measure}}
    aggregate: sum
    dataset: {publisher: GDELT Project, title: GDELT 2.0 event exports, date: 2024}
    reliability: C
    credibility: 3
`;

  it('takes a measure: count, articles, sources or goldstein-sum', () => {
    for (const measure of ['count', 'articles', 'sources', 'goldstein-sum']) {
      const r = parseCaseFiles('case', [{ name: 'case.yaml', text: weighted(measure) }]);
      assert.ok(r.ok, r.ok ? '' : r.problems.map(formatProblem).join('\n'));
      const ind = r.case.indicators[0];
      assert.equal(ind?.kind === 'series' && ind.source.store === 'events' ? ind.source.measure : undefined, measure);
    }
  });

  it('refuses another measure at its position, naming the measures and the closest one', () => {
    const cases: [string, string][] = [
      ['article', '; did you mean "articles"?'],
      ['Sources', '; did you mean "sources"?'],
      ['goldstein', '; did you mean "goldstein-sum"?'],
      ['tone', ''],
    ];
    for (const [measure, hint] of cases) {
      const r = parseCaseFiles('case', [{ name: 'case.yaml', text: weighted(measure) }]);
      assert.equal(r.ok, false);
      const lines = r.ok ? [] : r.problems.map(formatProblem);
      assert.equal(lines.length, 1, lines.join('\n'));
      assert.ok(lines[0]?.startsWith('case/case.yaml:9:'), lines[0]);
      assert.ok(
        lines[0]?.endsWith(
          `indicator "clashes" source.measure: expected one of "count", "articles", "sources", "goldstein-sum", got "${measure}"${hint}`,
        ),
        lines[0],
      );
    }
  });
});
