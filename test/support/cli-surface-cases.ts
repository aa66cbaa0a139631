/**
 * The CLI's surface as golden files: every command's `--help`, and one failing run of
 * every command that prints results, under `--format json`. Shared by the test
 * (test/cli-surface.test.ts) and `npm run golden:update`.
 */
import { join } from 'node:path';
import { REFERENCE_CASE, REPO_ROOT, type RunResult, runCli } from './cli-harness.ts';

/** Every command, by its words; the golden file of its help is test/golden/help/<words joined by ->.txt. */
export const COMMANDS: readonly (readonly string[])[] = [
  [],
  ['validate'],
  ['assess'],
  ['unlock'],
  ['history'],
  ['brief'],
  ['demo'],
  ['correct'],
  ['ingest'],
  ['events'],
  ['import'],
  ['series'],
  ['export'],
  ['serve'],
  ['user', 'add'],
  ['token', 'create'],
];

export function helpGoldenName(words: readonly string[]): string {
  return `${words.length === 0 ? 'proviso' : words.join('-')}.txt`;
}

/**
 * Commands that print no results of their own (a brief's format is html, pdf or md; an
 * export's is csv, parquet or jsonl; demo and serve print progress): their errors are text.
 */
export const WITHOUT_JSON = ['brief', 'demo', 'export', 'serve'] as const;

/** One failing run per command (and one usage error), with `--format json`; `{tmp}` is an empty folder. */
export const ERROR_RUNS: readonly { readonly name: string; readonly args: readonly string[] }[] = [
  { name: 'usage', args: ['assess', REFERENCE_CASE, '--no-such-option', '--format', 'json'] },
  {
    name: 'validate',
    args: ['validate', join(REPO_ROOT, 'test', 'fixtures', 'cases', 'invalid-impossible-date'), '--format', 'json'],
  },
  { name: 'assess', args: ['assess', '{tmp}/no-case', '--format', 'json', '--scratch'] },
  { name: 'unlock', args: ['unlock', REFERENCE_CASE, '--instrument', 'nope', '--format', 'json', '--scratch'] },
  {
    name: 'history',
    args: ['history', REFERENCE_CASE, '--from', '2020-01-01', '--to', '2019-01-01', '--format', 'json', '--scratch'],
  },
  { name: 'correct', args: ['correct', REFERENCE_CASE, '--store', '{tmp}/empty', '--format', 'json'] },
  { name: 'ingest', args: ['ingest', '{tmp}/nope.tsv', '--store', '{tmp}/store', '--format', 'json'] },
  { name: 'events', args: ['events', '--from', '2018-02-31', '--store', '{tmp}/store', '--format', 'json'] },
  { name: 'import', args: ['import', 'unga-coincidence', '{tmp}/nope.csv', '--store', '{tmp}/store', '--format', 'json'] },
  {
    name: 'series',
    args: ['series', '--measure', 'agreement', '--dyad', 'USA,PAK', '--store', '{tmp}/empty', '--format', 'json'],
  },
  // export's --format is the file's format: asking for json is a usage error (its other errors are text).
  { name: 'export', args: ['export', 'events', '--out', '{tmp}/events.json', '--format', 'json'] },
  { name: 'user add', args: ['user', 'add', 'ann', '--role', 'nobody', '--store', '{tmp}/store', '--format', 'json'] },
  { name: 'token create', args: ['token', 'create', '--user', 'nobody', '--store', '{tmp}/store', '--format', 'json'] },
];

/** Runs one error case in `tmp` and returns the result with the machine's paths replaced by placeholders. */
export async function runErrorCase(args: readonly string[], tmp: string): Promise<RunResult> {
  const r = await runCli(
    args.map((a) => a.replaceAll('{tmp}', tmp)),
    tmp,
  );
  const place = (t: string) => t.replaceAll(tmp, '{tmp}').replaceAll(REPO_ROOT, '{repo}');
  return { code: r.code, stdout: place(r.stdout), stderr: place(r.stderr) };
}

export interface ErrorGolden {
  readonly name: string;
  readonly exit: number;
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly problems?: readonly Record<string, unknown>[];
    readonly details?: Readonly<Record<string, unknown>>;
  };
}

export const ERROR_TABLE_START = '<!-- cli-errors:start (written by npm run golden:update) -->';
export const ERROR_TABLE_END = '<!-- cli-errors:end -->';

/** The table of docs/problems.md: every command's error under --format json, from the golden runs. */
export function errorTable(golden: readonly ErrorGolden[]): string {
  const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');
  const rows = golden.map((g) => {
    const run = ERROR_RUNS.find((r) => r.name === g.name);
    const args = (run?.args ?? []).map((a) => (a.startsWith('/') ? '…' : a)).join(' ');
    const problems = g.error.problems ?? [];
    const placed = [...new Set(problems.map((p) => ['file', 'line', 'col', 'path', 'field'].filter((k) => k in p).join('+')))];
    const shape =
      problems.length === 0
        ? '—'
        : `${problems.length} × {${[...new Set(problems.map((p) => String(p.code)))].join(', ')}} placed by ${placed.join(' / ') || 'nothing'}`;
    return `| \`${cell(args)}\` | ${g.exit} | \`${g.error.code}\` | ${cell(shape)} | ${g.error.details === undefined ? '—' : Object.keys(g.error.details).join(', ')} |`;
  });
  return [
    ERROR_TABLE_START,
    '| run (`--format json`) | exit | `error.code` | `error.problems` | `error.details` |',
    '| --- | ---: | --- | --- | --- |',
    ...rows,
    ERROR_TABLE_END,
  ].join('\n');
}
