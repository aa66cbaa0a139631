/**
 * A finding no benchmark reads is named (issue 14): a finding about a benchmark that reads
 * one assessor's findings, recorded under another assessor's name, does not count, and
 * `assess` says so on stderr (text and JSON), without failing; the status stays what the
 * read findings give.
 */
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { makeTempDir, REPO_ROOT, runCli } from './support/cli-harness.ts';

const EXAMPLE = join(REPO_ROOT, 'docs', 'examples', 'roadmap-72');

describe('findings by another assessor than the benchmark reads', () => {
  const tmp = makeTempDir();
  after(tmp.cleanup);
  it('are named in a warning; the example itself gives none', async () => {
    const clean = await runCli(['assess', EXAMPLE, '--as-of', '2024-06-01', '--scratch'], tmp.dir);
    assert.equal(clean.code, 0);
    assert.doesNotMatch(clean.stderr, /unread|not counted/);

    const dir = join(tmp.dir, 'roadmap');
    cpSync(EXAMPLE, dir, { recursive: true });
    const path = join(dir, 'evidence', 'findings.jsonl');
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[0] = (lines[0] as string).replace('"assessor": "Commission"', '"assessor": "EU Delegation"');
    writeFileSync(path, lines.join('\n'));

    const text = await runCli(['assess', dir, '--as-of', '2024-06-01', '--scratch'], tmp.dir);
    assert.equal(text.code, 0);
    assert.match(
      text.stderr,
      /proviso: warning: 1 finding is not counted, because the benchmark reads another assessor's findings: report-2022-b1-01 \(by "EU Delegation"\) about b1-01, which reads findings by "Commission"/,
    );
    const json = await runCli(['assess', dir, '--as-of', '2024-06-01', '--scratch', '--format', 'json'], tmp.dir);
    const warnings = json.stderr
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l).warning);
    assert.deepEqual(
      warnings.map((w) => [w.code, w.ids]),
      [['unread-finding', ['report-2022-b1-01']]],
    );
  });
});
