/**
 * Regenerates the golden files on purpose: `npm run golden:update`, then review the diff.
 * CI never runs this.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, REFERENCE_CASE, REPO_ROOT, runCli } from '../test/support/cli-harness.ts';
import {
  COMMANDS,
  ERROR_RUNS,
  ERROR_TABLE_END,
  ERROR_TABLE_START,
  type ErrorGolden,
  errorTable,
  helpGoldenName,
  runErrorCase,
} from '../test/support/cli-surface-cases.ts';
import { EXAMPLE_GOLDENS } from '../test/support/example-goldens.ts';

const tmp = makeTempDir();
const out = join(REPO_ROOT, 'test', 'golden');
const jobs: [string, string[]][] = [
  ['us-pakistan-assess-2023-03-03.json', ['assess', REFERENCE_CASE, '--as-of', '2023-03-03', '--format', 'json']],
  [
    'us-pakistan-history-2015-2023.json',
    ['history', REFERENCE_CASE, '--from', '2015-01-01', '--to', '2023-12-31', '--step', 'month', '--format', 'json'],
  ],
  ...EXAMPLE_GOLDENS.map(({ name, args }) => [name, [...args]] as [string, string[]]),
];
for (const [name, args] of jobs) {
  const r = await runCli(args, tmp.dir);
  if (r.code !== 0) throw new Error(`${name}: exit ${r.code}\n${r.stderr}`);
  writeFileSync(join(out, name), r.stdout);
  console.log(`wrote test/golden/${name}`);
}

mkdirSync(join(out, 'help'), { recursive: true });
for (const words of COMMANDS) {
  const r = await runCli([...words, '--help'], REPO_ROOT);
  if (r.code !== 0) throw new Error(`${words.join(' ')} --help: exit ${r.code}\n${r.stderr}`);
  writeFileSync(join(out, 'help', helpGoldenName(words)), r.stdout);
}
console.log(`wrote test/golden/help/ (${COMMANDS.length} commands)`);

const errors = [];
for (const run of ERROR_RUNS) {
  const r = await runErrorCase(run.args, tmp.dir);
  const last = r.stderr.trimEnd().split('\n').at(-1) as string;
  errors.push({ name: run.name, exit: r.code, error: (JSON.parse(last) as { error: unknown }).error });
}
writeFileSync(join(out, 'cli-errors.json'), `${JSON.stringify(errors, null, 2)}\n`);
console.log('wrote test/golden/cli-errors.json');
const doc = join(REPO_ROOT, 'docs', 'problems.md');
const text = readFileSync(doc, 'utf8');
const start = text.indexOf(ERROR_TABLE_START);
const end = text.indexOf(ERROR_TABLE_END) + ERROR_TABLE_END.length;
writeFileSync(doc, `${text.slice(0, start)}${errorTable(errors as ErrorGolden[])}${text.slice(end)}`);
console.log('wrote the error table of docs/problems.md');
tmp.cleanup();
