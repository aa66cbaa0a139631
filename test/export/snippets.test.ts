/**
 * The pandas and R snippets of docs/export.md run as they stand. The docs mark each fenced
 * block with a comment line before it: `<!-- snippet: export -->` (the export commands),
 * `<!-- snippet: pandas csv|jsonl -->` and `<!-- snippet: r csv|jsonl -->` (run here), and
 * `<!-- snippet: not run (…) -->` (Parquet: pyarrow, fastparquet and R's arrow are not on
 * the test machine). The test ingests real GDELT and ICEWS files, runs the export commands
 * of the docs through the CLI, then each snippet with `python3` (pandas) or `Rscript`
 * (jsonlite) in the folder of the exports, and checks the row count and the count of
 * CAMEO codes with a leading zero it prints (codes read as numbers would lose it) against
 * DuckDB's reading of the same file.
 *
 * Without python3 + pandas or Rscript + jsonlite the runs are skipped with a message, unless
 * PROVISO_REQUIRE_SNIPPET_TOOLS=1 (CI), which makes a missing tool a failure. The Python
 * used is PROVISO_PYTHON if set, else the first of `python3` and `/usr/bin/python3` that
 * imports pandas (a pyenv `python3` may shadow the system's, where Debian puts pandas).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { makeTempDir, REPO_ROOT } from '../support/cli-harness.ts';
import { SHARED_DATA } from '../support/shared-data.ts';
import { cli, type Format, readBack } from './read-back.ts';

const run = promisify(execFile);

const DOC = join(REPO_ROOT, 'docs', 'export.md');
const FILES = [
  join(SHARED_DATA, 'gdelt', 'spark-gdelt_events_v2_export_20150218230000+20200318104500.tsv'),
  join(SHARED_DATA, 'gdelt', 'spark-gdelt_events_v1_mixed_57_58col.tsv'),
  join(SHARED_DATA, 'icews', 'icews_events.2018.sample.tab'),
];
const REQUIRE_TOOLS = process.env.PROVISO_REQUIRE_SNIPPET_TOOLS === '1';

interface Snippet {
  /** The marker's text: `export`, `pandas csv`, `r jsonl`, `not run (…)`. */
  readonly tag: string;
  readonly lang: string;
  readonly code: string;
  /** 1-based line of the marker in the doc. */
  readonly line: number;
}

/** Every fenced block preceded (on the line before its fence) by a `<!-- snippet: … -->` marker. */
function markedSnippets(text: string): Snippet[] {
  const lines = text.split('\n');
  const out: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^<!-- snippet: (.+?) -->$/.exec(lines[i] as string);
    if (m === null) continue;
    const fence = /^```(\w*)$/.exec(lines[i + 1] ?? '');
    assert.ok(fence !== null, `${DOC}:${i + 1}: a snippet marker must be followed by a fence`);
    const end = lines.indexOf('```', i + 2);
    assert.ok(end > i, `${DOC}:${i + 2}: unclosed fence`);
    out.push({ tag: m[1] as string, lang: fence[1] as string, code: `${lines.slice(i + 2, end).join('\n')}\n`, line: i + 1 });
    i = end;
  }
  return out;
}

/** The tool that runs a snippet, or why there is none. */
async function findPython(): Promise<string | { missing: string }> {
  const candidates = process.env.PROVISO_PYTHON !== undefined ? [process.env.PROVISO_PYTHON] : ['python3', '/usr/bin/python3'];
  for (const exe of candidates) {
    try {
      await run(exe, ['-c', 'import pandas'], { timeout: 60_000 });
      return exe;
    } catch {
      // the next candidate
    }
  }
  return { missing: `no Python with pandas (tried ${candidates.join(', ')})` };
}

async function findRscript(): Promise<string | { missing: string }> {
  try {
    await run('Rscript', ['-e', 'library(jsonlite)'], { timeout: 60_000 });
    return 'Rscript';
  } catch {
    return { missing: 'no Rscript with jsonlite' };
  }
}

/** The column of CAMEO codes in an export, by the file's name. */
function codeColumn(file: string): string {
  if (file.startsWith('gdelt')) return 'EventCode';
  if (file.startsWith('icews')) return 'CAMEO Code';
  return 'event_code';
}

const snippets = markedSnippets(readFileSync(DOC, 'utf8'));
const runnable = snippets.filter((s) => /^(pandas|r) (csv|jsonl)$/.test(s.tag));
const exportBlock = snippets.filter((s) => s.tag === 'export');

describe('docs/export.md: the pandas and R snippets run', () => {
  it('marks the export commands, the runnable snippets and the ones not run', () => {
    assert.equal(exportBlock.length, 1, 'one block of export commands');
    const tags = runnable.map((s) => s.tag);
    for (const t of ['pandas csv', 'pandas jsonl', 'r csv', 'r jsonl']) assert.ok(tags.includes(t), `a "${t}" snippet`);
    for (const s of runnable) {
      assert.equal(s.lang, s.tag.startsWith('pandas') ? 'python' : 'r', `${DOC}:${s.line}: ${s.tag} is a ${s.lang} block`);
    }
    // Every other marker says why the block is not run, and every Parquet snippet is one of them.
    for (const s of snippets.filter((x) => !runnable.includes(x) && !exportBlock.includes(x))) {
      assert.match(s.tag, /^not run \(.+\)$/, `${DOC}:${s.line}`);
    }
    for (const s of runnable) assert.doesNotMatch(s.code, /parquet/i, `${DOC}:${s.line}: a Parquet read in a run snippet`);
    assert.ok(snippets.some((s) => s.tag.startsWith('not run') && /parquet/.test(s.code)));
  });

  let tmp: ReturnType<typeof makeTempDir>;
  let python: string | { missing: string };
  let rscript: string | { missing: string };
  /** The files the export commands wrote, with the row count each reported. */
  const written = new Map<string, number>();

  before(async () => {
    [python, rscript] = await Promise.all([findPython(), findRscript()]);
    tmp = makeTempDir('proviso-snippets-');
    const store = join(tmp.dir, 'store');
    await cli(['ingest', ...FILES, '--store', store, '--format', 'json'], tmp.dir);
    for (const line of (exportBlock[0] as Snippet).code.split('\n').filter((l) => l.trim() !== '')) {
      const words = line.trim().split(/\s+/);
      assert.equal(words[0], 'proviso', `an export command: ${line}`);
      const r = await cli([...words.slice(1), '--store', store], tmp.dir);
      const m = /wrote ([\d,]+) rows? \(events\) to (\S+)/.exec(r.stderr);
      assert.ok(m !== null, r.stderr);
      written.set(m[2] as string, Number((m[1] as string).replaceAll(',', '')));
    }
  });
  after(() => tmp?.cleanup());

  for (const s of runnable) {
    it(`${s.tag} (docs/export.md:${s.line}) prints the row count and the codes DuckDB reads`, async (t) => {
      const tool = s.tag.startsWith('pandas') ? python : rscript;
      if (typeof tool !== 'string') {
        const message = `${tool.missing}: install them (Debian: apt-get install python3-pandas r-base-core r-cran-jsonlite) to run the snippets`;
        if (REQUIRE_TOOLS) assert.fail(`PROVISO_REQUIRE_SNIPPET_TOOLS=1 and ${message}`);
        t.skip(message);
        return;
      }
      const file = /"(\w+\.(csv|jsonl))"/.exec(s.code)?.[1];
      assert.ok(file !== undefined, `${DOC}:${s.line}: the snippet names the file it reads`);
      assert.ok(written.has(file) && existsSync(join(tmp.dir, file)), `${file} is written by the export commands`);
      const script = join(tmp.dir, `snippet-${s.line}.${s.lang === 'python' ? 'py' : 'R'}`);
      writeFileSync(script, s.code);
      const { stdout } = await run(tool, [script], { cwd: tmp.dir, timeout: 120_000 });
      const rows = /^(\d+) rows$/m.exec(stdout)?.[1];
      const zeros = /^(\d+) codes with a leading zero$/m.exec(stdout)?.[1];
      assert.ok(rows !== undefined && zeros !== undefined, `the snippet printed:\n${stdout}`);

      const back = await readBack(join(tmp.dir, file), file.endsWith('.csv') ? 'csv' : ('jsonl' as Format));
      try {
        const col = `"${codeColumn(file)}"`;
        const duck = await back.one(
          `SELECT count(*)::INTEGER AS n, count(*) FILTER (WHERE CAST(${col} AS VARCHAR) LIKE '0%')::INTEGER AS zeros FROM {src}`,
        );
        assert.ok((duck.n as number) > 0 && (duck.zeros as number) > 0, `${file}: ${JSON.stringify(duck)}`);
        assert.equal(duck.n, written.get(file), 'DuckDB reads the rows the export wrote');
        assert.deepEqual({ n: Number(rows), zeros: Number(zeros) }, duck, `${s.tag}: printed\n${stdout}`);
      } finally {
        back.close();
      }
    });
  }
});
