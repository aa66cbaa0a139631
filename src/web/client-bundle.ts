/**
 * The static assets of the web UI: the enhancement script, bundled in memory by esbuild
 * from src/web/client/app.ts (served as /static/app.js), and the stylesheet (served as
 * /static/app.css).
 *
 * Contract: `buildClientBundle()` bundles once per process and returns the same text on
 * every later call (a failed build is not cached, so the next call tries again). The
 * bundle is an IIFE for ES2020 browsers, minified, with no source map and no external
 * request, so `script-src 'self'` is all it needs.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export { WEB_CSS } from './styles.ts';

/**
 * Where the script's source is: beside this module when run from source (tsx, tests);
 * from the compiled dist/web/ the TypeScript source is still in the package's src/web/.
 */
const ENTRY_CANDIDATES = ['./client/app.ts', '../../src/web/client/app.ts', './client/app.js'];

function findEntry(): string {
  for (const candidate of ENTRY_CANDIDATES) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error(
    `the web client's source (src/web/client/app.ts) was not found next to ${fileURLToPath(import.meta.url)}; reinstall the package`,
  );
}

async function bundle(): Promise<string> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [findEntry()],
    bundle: true,
    write: false,
    minify: true,
    target: 'es2020',
    format: 'iife',
    platform: 'browser',
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'silent',
    charset: 'utf8',
  });
  const file = result.outputFiles[0];
  if (file === undefined) throw new Error('esbuild produced no output for the web client');
  return file.text;
}

let cached: Promise<string> | undefined;

export async function buildClientBundle(): Promise<string> {
  if (cached === undefined) {
    cached = bundle().catch((err: unknown) => {
      cached = undefined;
      throw err;
    });
  }
  return cached;
}
