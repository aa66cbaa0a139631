/**
 * The static assets of the web UI: the enhancement script (served as /static/app.js) and
 * the stylesheet (served as /static/app.css).
 *
 * Contract: the script is bundled at build time (`npm run build` writes
 * dist/web/client.bundle.js with esbuild, a devDependency) and read from that file; only
 * when running from source (tsx, tests), where no bundle sits beside this module, is it
 * bundled in memory with the same options (client-build-options.ts). `buildClientBundle()`
 * reads or bundles once per process and returns the same text on every later call (a
 * failure is not cached, so the next call tries again). The bundle needs only
 * `script-src 'self'`.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { CLIENT_BUILD_OPTIONS } from './client-build-options.ts';

export { WEB_CSS } from './styles.ts';

/** The bundle `npm run build` writes beside the compiled module (dist/web/). */
const BUILT = new URL('./client.bundle.js', import.meta.url);
/** The script's source beside this module, when run from source. */
const SOURCE = new URL('./client/app.ts', import.meta.url);

async function bundle(): Promise<string> {
  const built = fileURLToPath(BUILT);
  if (existsSync(built)) return readFile(built, 'utf8');
  const source = fileURLToPath(SOURCE);
  if (!existsSync(source)) {
    throw new Error(`the web client's bundle (${built}) is missing: run \`npm run build\``);
  }
  // From source only: esbuild is a devDependency.
  const { build } = await import('esbuild');
  const result = await build({ ...CLIENT_BUILD_OPTIONS, entryPoints: [source] });
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
