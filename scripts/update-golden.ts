/**
 * Regenerates the golden files on purpose: `npm run golden:update`, then review the diff.
 * CI never runs this.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, REFERENCE_CASE, REPO_ROOT, runCli } from '../test/support/cli-harness.ts';

const tmp = makeTempDir();
const out = join(REPO_ROOT, 'test', 'golden');
const jobs: [string, string[]][] = [
  ['us-pakistan-assess-2023-03-03.json', ['assess', REFERENCE_CASE, '--as-of', '2023-03-03', '--format', 'json']],
  [
    'us-pakistan-history-2015-2023.json',
    ['history', REFERENCE_CASE, '--from', '2015-01-01', '--to', '2023-12-31', '--step', 'month', '--format', 'json'],
  ],
];
for (const [name, args] of jobs) {
  const r = await runCli(args, tmp.dir);
  if (r.code !== 0) throw new Error(`${name}: exit ${r.code}\n${r.stderr}`);
  writeFileSync(join(out, name), r.stdout);
  console.log(`wrote test/golden/${name}`);
}
tmp.cleanup();
