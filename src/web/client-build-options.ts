/**
 * How the web client is bundled: one set of esbuild options for the build
 * (scripts/build-client.mjs) and for runs from source (client-bundle.ts), so both give the
 * same script. An IIFE for ES2020 browsers, minified, no source map, no external request.
 */
export const CLIENT_BUILD_OPTIONS = {
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
} as const;
