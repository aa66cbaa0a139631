/**
 * The docs and validate agree: every YAML example of docs/case-format.md, placed in a small
 * case that defines what the example refers to, validates without a problem.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatProblem, parseCaseFiles } from '../src/adapters/case-files/load-case.ts';
import { REPO_ROOT } from './support/cli-harness.ts';

/** What the examples refer to: actors, interests, instruments, indicators, a review calendar, evidence. */
const CONTEXT = `case: {id: docs, title: Docs, principal: usa, counterpart: pakistan}
actors:
  - {id: usa, name: United States, kind: state}
  - {id: pakistan, name: Pakistan, kind: state}
  - {id: hafiz-saeed, name: Hafiz Saeed, kind: person}
interests:
  - {id: counter-terrorism, title: Counter-terrorism, rank: 1, weight: 1}
instruments:
  - {id: senior-dialogue, title: Senior dialogue, tier: 1}
  - {id: targeted-ct-cooperation, title: Targeted CT cooperation, tier: 2}
  - {id: f16-sustainment, title: F-16 sustainment, tier: 3}
  - {id: caatsa-231-sanctions, title: Sanctions, tier: 2, kind: sanction}
benchmarks:
  - {id: significant-transaction, title: Significant transaction, condition: "saeed_in_custody == 1"}
  - {id: system-divested, title: System divested, condition: "saeed_in_custody == 0"}
reviews:
  - {id: fatf-2019-10, calendar: fatf, title: FATF plenary, date: 2019-10}
`;
const CONTEXT_INDICATORS = `indicators:
  - {id: saeed_in_custody, title: Saeed in custody, kind: state, subjects: [hafiz-saeed], on: [arrest], off: [release], initial: off}
  - {id: attacks_on_india, title: Attacks, kind: count, kinds: [attack], window: P12M}
`;
const SOURCE = '{publisher: P, title: T, date: 2019-07-17, reliability: B, credibility: 2}';
const CONTEXT_EVIDENCE = `- {id: ev-2018-2020-essay-pakistan-helped-taliban-talks, kind: assessment, actors: [pakistan], description: d, occurred: 2019, reported: 2023-03-03, recorded: 2026-11-28, sources: [${SOURCE}]}
- {id: ev-2019-07-17-saeed-arrest-first-report, kind: arrest, actors: [hafiz-saeed], description: d, occurred: 2019-07-17, reported: 2019-07-17, recorded: 2026-11-28, sources: [${SOURCE}]}
`;

/** The section each fenced YAML example stands for, by the heading above it. */
function sectionOf(heading: string): string | undefined {
  const known: [RegExp, string][] = [
    [/`series` indicators/, 'indicators'],
    [/`benchmarks`/, 'benchmarks'],
    [/`groups`/, 'groups'],
    [/`gates`/, 'gates'],
    [/`issueAreas`/, 'issueAreas'],
    [/`monitoring`/, 'monitoring'],
    [/^## Evidence/, 'evidence'],
  ];
  return known.find(([re]) => re.test(heading))?.[1];
}

function examples(): { heading: string; section: string | undefined; yaml: string }[] {
  const text = readFileSync(join(REPO_ROOT, 'docs', 'case-format.md'), 'utf8');
  const out: { heading: string; section: string | undefined; yaml: string }[] = [];
  let heading = '';
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.startsWith('#')) heading = line;
    if (line.trim() === '```yaml') {
      const body: string[] = [];
      for (i++; i < lines.length && (lines[i] as string).trim() !== '```'; i++) body.push(lines[i] as string);
      out.push({ heading, section: sectionOf(heading), yaml: `${body.join('\n')}\n` });
    }
  }
  return out;
}

const indent = (yaml: string) =>
  yaml
    .split('\n')
    .map((l) => (l === '' ? l : `  ${l}`))
    .join('\n');

describe('docs/case-format.md examples', () => {
  const found = examples();
  it('are all placed (every YAML example has a section this test knows)', () => {
    assert.ok(found.length >= 5, `${found.length} examples`);
    assert.deepEqual(
      found.filter((e) => e.section === undefined).map((e) => e.heading),
      [],
    );
  });

  for (const e of found) {
    it(`validates: ${e.heading.replace(/^#+ /, '')}`, () => {
      const files =
        e.section === 'evidence'
          ? [{ name: 'evidence/example.yaml', text: `${CONTEXT_EVIDENCE}${e.yaml}` }]
          : [
              { name: 'example.yaml', text: `${e.section}:\n${indent(e.yaml)}` },
              { name: 'evidence/context.yaml', text: CONTEXT_EVIDENCE },
            ];
      const withIndicators = e.section === 'indicators' ? CONTEXT_INDICATORS.replace('indicators:\n', '') : CONTEXT_INDICATORS;
      const context =
        e.section === 'indicators'
          ? [
              { name: 'context.yaml', text: CONTEXT },
              { name: 'example-more.yaml', text: `indicators:\n${withIndicators}` },
            ]
          : [{ name: 'context.yaml', text: `${CONTEXT}${CONTEXT_INDICATORS}` }];
      const r = parseCaseFiles('docs', [...context, ...files]);
      assert.deepEqual(r.ok ? [] : r.problems.map(formatProblem), []);
    });
  }
});
