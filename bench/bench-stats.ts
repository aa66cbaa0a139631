/**
 * Helpers the event benchmarks share: their compiled bundle, a synthetic GDELT 2.0 export
 * file, and medians.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

/**
 * Writes synthetic GDELT 2.0 rows `row(0)` … `row(rows - 1)`; by default the rows of
 * `syntheticGdelt2Row` (the generator of the event tests: event ids 500,000,000 on, one URL
 * each), 10,000 lines a write, waiting for the stream to drain.
 */
export async function generateGdelt2File(path: string, rows: number, row?: (i: number) => string): Promise<void> {
  const { syntheticGdelt2Row } = await import('../test/events/support.ts');
  const make = row ?? syntheticGdelt2Row;
  const w = createWriteStream(path);
  let batch: string[] = [];
  for (let i = 0; i < rows; i++) {
    batch.push(make(i));
    if (batch.length === 10_000) {
      if (!w.write(`${batch.join('\n')}\n`)) await new Promise<void>((r) => w.once('drain', () => r()));
      batch = [];
    }
  }
  if (batch.length > 0) w.write(`${batch.join('\n')}\n`);
  await new Promise<void>((r) => w.end(r));
}

/** The median of a non-empty list (the mean of the middle two for an even length). */
export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

/**
 * A benchmark compiled as `proviso` runs once built: the benchmark file (`entry`, bundled as
 * `<name>.js`) and the parse worker bundled into `outdir`, ESM for Node 20. Imports matching
 * `external` stay outside the bundle: a package (`@…`) resolved from this checkout, a
 * relative file by its path. Returns the bundle's path.
 */
export async function bundleBench(outdir: string, repo: string, name: string, entry: string, external: RegExp): Promise<string> {
  const { build } = await import('esbuild');
  const requireHere = createRequire(join(repo, 'package.json'));
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: {
      [name]: entry,
      // read-event-file starts `./parse-worker.js` beside itself, i.e. beside the bundle.
      'parse-worker': join(repo, 'src', 'adapters', 'event-formats', 'parse-worker.ts'),
    },
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    // CommonJS dependencies bundled into ESM still call require() for Node's modules.
    banner: {
      js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);",
    },
    plugins: [
      {
        name: 'externals',
        setup(b) {
          b.onResolve({ filter: external }, (a) => ({
            path: a.path.startsWith('@') ? requireHere.resolve(a.path) : resolve(a.resolveDir, a.path),
            external: true,
          }));
        },
      },
    ],
  });
  return join(outdir, `${name}.js`);
}
