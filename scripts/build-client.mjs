// Bundles the web UI's enhancement script (src/web/client/app.ts) into
// dist/web/client.bundle.js at build time (`npm run build`), so the server reads a file and
// esbuild is needed only to build, not to run.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { CLIENT_BUILD_OPTIONS } from '../dist/web/client-build-options.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'web', 'client.bundle.js');
const result = await build({ ...CLIENT_BUILD_OPTIONS, entryPoints: [join(root, 'src', 'web', 'client', 'app.ts')] });
const file = result.outputFiles[0];
if (file === undefined) throw new Error('esbuild produced no output for the web client');
await mkdir(dirname(out), { recursive: true });
await writeFile(out, file.text, 'utf8');
console.log(`wrote ${out} (${(file.text.length / 1024).toFixed(1)} KiB)`);
