/**
 * The core stays pure and dependencies point inward: src/core imports nothing but itself
 * and two pure libraries, reads no clock and no randomness; ports import only the core;
 * nothing in core or ports imports an adapter or an entry point.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { describe, it } from 'node:test';

function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => join(dir, f));
}

const CORE = resolve('src/core');

const importRe = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(importRe)].map((m) => (m[1] ?? m[2]) as string);
}

describe('architecture', () => {
  it('src/core imports only itself, @marcbachmann/cel-js and @noble/hashes', () => {
    const bad: string[] = [];
    for (const f of sources('src/core')) {
      for (const spec of importsOf(f)) {
        // A relative import must stay inside src/core (a subfolder may import its parent's files).
        const inCore = spec.startsWith('.') && resolve(dirname(f), spec).startsWith(`${CORE}${sep}`);
        const ok = inCore || spec === '@marcbachmann/cel-js' || spec.startsWith('@noble/hashes/');
        if (!ok) bad.push(`${f} imports ${spec}`);
      }
    }
    assert.deepEqual(bad, []);
  });

  it('src/core reads no clock, randomness, environment or global I/O', () => {
    const forbidden = [
      /Date\.now\(/,
      /new Date\(/,
      /Math\.random\(/,
      /\bprocess\.(env|argv|exit|cwd|stdout|stderr|hrtime|memoryUsage)/,
      /\brequire\(/,
      /\bfetch\(/,
      /setTimeout\(/,
      /performance\.now/,
      /crypto\./,
    ];
    const bad: string[] = [];
    for (const f of sources('src/core')) {
      const lines = readFileSync(f, 'utf8').split('\n');
      lines.forEach((line, i) => {
        for (const re of forbidden) if (re.test(line)) bad.push(`${f}:${i + 1}: ${line.trim()}`);
      });
    }
    assert.deepEqual(bad, []);
  });

  it('ports depend only on the core; adapters never on entry points', () => {
    const bad: string[] = [];
    for (const f of sources('src/ports')) {
      for (const spec of importsOf(f))
        if (!spec.startsWith('../core/') && !spec.startsWith('./')) bad.push(`${f} imports ${spec}`);
    }
    for (const f of sources('src/adapters')) {
      for (const spec of importsOf(f)) if (/\/(cli|http|web|report)\//.test(spec)) bad.push(`${f} imports ${spec}`);
    }
    assert.deepEqual(bad, []);
  });

  it('entry points do not depend on each other: report and web on neither CLI nor server, the server not on the CLI', () => {
    const rules: [string, RegExp][] = [
      ['src/report', /\/(cli|http|web)\//],
      ['src/web', /\/(cli|http)\//],
      ['src/http', /\/cli\//],
    ];
    const bad: string[] = [];
    for (const [dir, forbidden] of rules)
      for (const f of sources(dir)) for (const spec of importsOf(f)) if (forbidden.test(spec)) bad.push(`${f} imports ${spec}`);
    assert.deepEqual(bad, []);
  });
});
