/**
 * bench:brief-cli — `proviso brief` as an analyst runs it, on a case folder whose evidence
 * holds 100,000 items, against the floor every loader pays, in the same run.
 *
 *   npm run bench:brief-cli [-- --evidence 100000]
 *
 * The case is the reference case (examples/us-pakistan) copied to a temporary folder with
 * one more evidence file, `zz-synthetic.jsonl`, of N valid items (deterministic; they name
 * the counterpart and match no benchmark, so the engine's own load stays that of the
 * reference case: bench:brief measures the engine on 100,000 items that do match). Steps,
 * each a fresh process of the built CLI (`npm run build` runs first):
 *   floor   — node reads the evidence files and JSON.parses every line, nothing else;
 *   first   — `proviso brief` into an empty store: validate the case, import N+ items
 *             into the SQLite ledger, read it back, brief (HTML);
 *   again   — the same command once the ledger holds them (the import finds them unchanged).
 * Printed: wall time, peak RSS, and each run's ratio to the floor. Numbers are for notes,
 * never asserted.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchArg } from './bench-args.ts';

const repo = resolve(fileURLToPath(new URL('..', import.meta.url)));
const n = Number(benchArg('evidence', '100000'));
const dir = mkdtempSync(join(tmpdir(), 'proviso-bench-brief-cli-'));
const caseDir = join(dir, 'case');

/** Peak RSS of the child, printed on its exit (a preloaded module: no change to the program). */
const REPORT_RSS = `data:text/javascript,process.on('exit',()=>process.stderr.write('\\nmaxrss '+process.resourceUsage().maxRSS+'\\n'))`;

function run(label: string, args: readonly string[]): { ms: number; rssMb: number } {
  const t = performance.now();
  const r = spawnSync(process.execPath, ['--import', REPORT_RSS, ...args], { cwd: dir, encoding: 'utf8' });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`${label} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  const kb = Number(/maxrss (\d+)/.exec(r.stderr)?.[1] ?? Number.NaN);
  return { ms, rssMb: kb / 1024 };
}

try {
  console.log('building the CLI (npm run build)…');
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: repo, stdio: 'inherit' });
  cpSync(join(repo, 'examples', 'us-pakistan'), caseDir, { recursive: true });
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const day = new Date(Date.UTC(2010, 0, 1) + (i % 4700) * 86_400_000).toISOString().slice(0, 10);
    lines.push(
      JSON.stringify({
        id: `ev-synth-${String(i).padStart(7, '0')}`,
        kind: 'synthetic-report',
        actors: ['pakistan'],
        description: `Synthetic report ${i}, a sentence of ordinary length describing what was reported.`,
        occurred: day,
        reported: day,
        recorded: '2026-11-28',
        tags: ['synthetic'],
        sources: [{ publisher: `Wire ${i % 17}`, title: `Report ${i}`, date: day, reliability: 'B', credibility: 2 }],
      }),
    );
  }
  writeFileSync(join(caseDir, 'evidence', 'zz-synthetic.jsonl'), `${lines.join('\n')}\n`);
  console.log(`case: examples/us-pakistan + ${n.toLocaleString('en-US')} JSONL evidence items, in ${dir}`);

  const floorScript = `
    const { readdirSync, readFileSync } = require('node:fs');
    const dir = ${JSON.stringify(join(caseDir, 'evidence'))};
    let items = 0;
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.jsonl')))
      for (const line of readFileSync(dir + '/' + f, 'utf8').split('\\n')) if (line.trim() !== '') { JSON.parse(line); items++; }
    if (items < ${n}) process.exit(1);`;
  const cli = join(repo, 'bin', 'proviso.js');
  const brief = ['brief', caseDir, '--as-of', '2023-03-03', '--store', join(dir, 'store'), '--out', join(dir, 'brief.html')];
  const floor = run('floor', ['-e', floorScript]);
  const first = run('first', [cli, ...brief]);
  const again = run('again', [cli, ...brief]);
  const row = (label: string, r: { ms: number; rssMb: number }, ratio: boolean) =>
    console.log(
      `  ${label.padEnd(58)} ${(r.ms / 1000).toFixed(2).padStart(6)} s  peak RSS ${r.rssMb.toFixed(0).padStart(5)} MB${
        ratio ? `  ${(r.ms / floor.ms).toFixed(1)}× the floor` : ''
      }`,
    );
  row('floor: node reads + JSON.parses the evidence lines', floor, false);
  row('proviso brief, empty store (validate, import, read, brief)', first, true);
  row('proviso brief again (ledger already holds the items)', again, true);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
