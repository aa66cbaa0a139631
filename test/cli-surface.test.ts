/**
 * One CLI vocabulary: every command's --help is a reviewed golden file; every command that
 * prints results takes --format (text, json, and csv where a table fits) and, with json,
 * fails with one error envelope on stderr; --store means the same everywhere.
 * Regenerate on purpose with `npm run golden:update` and review the diff.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Command } from 'commander';
import { buildProgram, realEffects } from '../src/cli/main.ts';
import { STORE_HELP } from '../src/cli/options.ts';
import { makeTempDir, REPO_ROOT, runCli } from './support/cli-harness.ts';
import {
  COMMANDS,
  ERROR_RUNS,
  type ErrorGolden,
  errorTable,
  helpGoldenName,
  runErrorCase,
  WITHOUT_JSON,
} from './support/cli-surface-cases.ts';

const GOLDEN = join(REPO_ROOT, 'test', 'golden');

function leaves(c: Command, words: readonly string[] = []): { words: string[]; command: Command }[] {
  if (c.commands.length === 0) return [{ words: [...words], command: c }];
  return c.commands.flatMap((s) => leaves(s, [...words, s.name()]));
}

const program = buildProgram(realEffects(), () => {});
const commands = leaves(program);

describe('the CLI surface', () => {
  it('has a help golden for every command', () => {
    const listed = new Set(COMMANDS.map((w) => w.join(' ')));
    assert.deepEqual(
      commands.map((c) => c.words.join(' ')).filter((w) => !listed.has(w)),
      [],
    );
  });

  for (const words of COMMANDS) {
    it(`proviso ${words.join(' ')} --help matches test/golden/help/${helpGoldenName(words)}`, async () => {
      const r = await runCli([...words, '--help'], REPO_ROOT);
      assert.equal(r.code, 0);
      assert.equal(r.stdout, readFileSync(join(GOLDEN, 'help', helpGoldenName(words)), 'utf8'));
    });
  }

  it('every command that prints results takes --format text|json (and csv where it prints a table)', () => {
    for (const { words, command } of commands) {
      const format = command.options.find((o) => o.long === '--format');
      if ((WITHOUT_JSON as readonly string[]).includes(words[0] as string)) continue;
      assert.ok(format !== undefined, `${words.join(' ')} has no --format`);
      assert.equal(format.defaultValue, 'text', `${words.join(' ')}: --format defaults to text`);
    }
    const csv = commands.filter(({ command }) => command.options.some((o) => o.long === '--format' && /csv/.test(o.description)));
    assert.deepEqual(
      csv.map((c) => c.words.join(' ')),
      ['validate', 'assess', 'unlock', 'history', 'correct', 'ingest', 'events', 'import', 'series'],
    );
  });

  it('--store says the same everywhere (serve, user and token add the PostgreSQL URL)', () => {
    for (const { words, command } of commands) {
      const store = command.options.find((o) => o.long === '--store');
      if (store === undefined) continue;
      assert.ok(store.description.startsWith(STORE_HELP), `${words.join(' ')}: ${store.description}`);
    }
  });
});

describe('errors under --format json', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  before(() => {
    tmp = makeTempDir();
  });
  after(() => tmp.cleanup());

  it('covers every command that prints results', () => {
    const covered = new Set(
      ERROR_RUNS.map((r) => r.args.slice(0, r.args[0] === 'user' || r.args[0] === 'token' ? 2 : 1).join(' ')),
    );
    assert.deepEqual(
      commands.map((c) => c.words.join(' ')).filter((w) => !(WITHOUT_JSON as readonly string[]).includes(w) && !covered.has(w)),
      [],
    );
  });

  it('is one envelope, the last line of JSON Lines on stderr, nothing on stdout, as test/golden/cli-errors.json records', async () => {
    const golden = JSON.parse(readFileSync(join(GOLDEN, 'cli-errors.json'), 'utf8')) as {
      name: string;
      exit: number;
      error: unknown;
    }[];
    const seen = [];
    for (const run of ERROR_RUNS) {
      const r = await runErrorCase(run.args, tmp.dir);
      assert.equal(r.stdout, '', `${run.name}: stdout`);
      // stderr is JSON Lines: warnings (one object each), then the error.
      const lines = r.stderr.trimEnd().split('\n');
      const objects = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      for (const o of objects.slice(0, -1)) assert.deepEqual(Object.keys(o), ['warning'], `${run.name}: ${JSON.stringify(o)}`);
      const parsed = objects.at(-1) as { error: Record<string, unknown> };
      assert.deepEqual(Object.keys(parsed), ['error']);
      for (const k of Object.keys(parsed.error)) assert.ok(['code', 'message', 'problems', 'details'].includes(k), k);
      for (const p of (parsed.error.problems ?? []) as Record<string, unknown>[]) {
        assert.equal(typeof p.code, 'string');
        assert.equal(typeof p.message, 'string');
      }
      seen.push({ name: run.name, exit: r.code, error: parsed.error });
    }
    assert.deepEqual(seen, golden);
  });

  it('is tabled in docs/problems.md as the golden runs give it', () => {
    const golden = JSON.parse(readFileSync(join(GOLDEN, 'cli-errors.json'), 'utf8')) as ErrorGolden[];
    const doc = readFileSync(join(REPO_ROOT, 'docs', 'problems.md'), 'utf8');
    assert.ok(doc.includes(errorTable(golden)), 'docs/problems.md: run npm run golden:update and review the table');
  });
});
