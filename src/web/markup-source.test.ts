/**
 * Escaping by default, kept so by reading the sources of the pages and the HTML brief:
 * markup is built only with the escaping `html` template (src/report/markup.ts), raw markup
 * enters only through `trustedMarkup` with a reason, and attribute values are quoted.
 * See docs/web-rendering.md.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = join(import.meta.dirname, '..', '..');
const HELPER = 'src/report/markup.ts';

/** The page and brief sources: src/web/*.ts (not the browser script), the HTML and PDF brief, chart code, the helper. */
function sources(): string[] {
  const inDir = (dir: string, recursive = false) =>
    readdirSync(join(ROOT, dir), { recursive, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => join(dir, f));
  return [
    ...inDir('src/web'),
    'src/report/html-brief.ts',
    'src/report/pdf-brief.ts',
    'src/report/brief-visuals.ts',
    ...inDir('src/report/charts', true),
    HELPER,
  ];
}

const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** The source with its comments blanked out (line numbers kept), so that prose about markup is not taken for code. */
function code(file: string): string {
  return read(file)
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
    .replace(/^(\s*)\/\/.*$/gm, '$1');
}

/** `file:line: text` for every line of code matching `re`. */
function findLines(files: readonly string[], re: RegExp): string[] {
  const out: string[] = [];
  for (const f of files) {
    code(f)
      .split('\n')
      .forEach((line, i) => {
        if (re.test(line)) out.push(`${f}:${i + 1}: ${line.trim()}`);
      });
  }
  return out;
}

/** The argument text of each call `name(...)` in `text` (balanced parentheses, quotes skipped). */
function callArguments(text: string, name: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`\\b${name}\\(`, 'g');
  for (const m of text.matchAll(re)) {
    let depth = 1;
    let i = (m.index ?? 0) + m[0].length;
    const start = i;
    let quote: string | undefined;
    for (; i < text.length && depth > 0; i++) {
      const ch = text[i];
      if (quote !== undefined) {
        if (ch === '\\') i++;
        else if (ch === quote) quote = undefined;
      } else if (ch === "'" || ch === '"' || ch === '`') quote = ch;
      else if (ch === '(') depth++;
      else if (ch === ')') depth--;
    }
    out.push(text.slice(start, i - 1));
  }
  return out;
}

/** The last top-level argument of an argument list. */
function lastArgument(args: string): string {
  let depth = 0;
  let quote: string | undefined;
  let cut = 0;
  for (let i = 0; i < args.length; i++) {
    const ch = args[i];
    if (quote !== undefined) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"' || ch === '`') quote = ch;
    else if ('([{'.includes(ch ?? '')) depth++;
    else if (')]}'.includes(ch ?? '')) depth--;
    else if (ch === ',' && depth === 0 && args.slice(i + 1).trim() !== '') cut = i + 1;
  }
  return args.slice(cut).trim().replace(/,$/, '').trim();
}

describe('page and brief sources build markup only with the escaping template', () => {
  const files = sources();

  it('finds the sources it reads', () => {
    for (const f of ['src/web/layout.ts', 'src/web/dashboard-page.ts', 'src/report/html-brief.ts', HELPER]) {
      assert.ok(files.includes(f), f);
    }
  });

  it('has no escapeHtml: text is escaped by the template, never by hand', () => {
    assert.deepEqual(findLines(files, /\bescapeHtml\s*\(/), []);
  });

  it('takes raw markup only through trustedMarkup, which markup.ts alone defines from hono/html', () => {
    const others = files.filter((f) => f !== HELPER);
    assert.deepEqual(
      findLines(others, /['"]hono\/html['"]|['"]hono\/utils\/html['"]/),
      [],
      'hono/html imported outside markup.ts',
    );
    assert.deepEqual(findLines(others, /(?<![\w.])raw\s*\(/), [], 'a raw() call outside markup.ts');
    assert.deepEqual(findLines(files, /\.innerHTML\b|\bdangerouslySetInnerHTML\b/), []);
  });

  it('gives every trustedMarkup a reason, as a string literal', () => {
    let uses = 0;
    const bad: string[] = [];
    for (const f of files) {
      for (const args of callArguments(code(f), 'trustedMarkup')) {
        if (f === HELPER && args.startsWith('markup: string')) continue; // the definition
        uses++;
        const reason = lastArgument(args);
        const literal = /^'(?:[^'\\\n]|\\.){10,}'$|^"(?:[^"\\\n]|\\.){10,}"$/;
        if (args.trim() === reason || !literal.test(reason)) bad.push(`${f}: trustedMarkup(${args})`);
      }
    }
    assert.deepEqual(bad, [], 'a trustedMarkup without a reason (a second argument, a string of 10 characters or more)');
    assert.ok(uses > 0, 'the check saw the uses it guards');
  });

  it('writes markup in html templates only, not in plain strings', () => {
    // An untagged template or a quoted string holding a tag would bypass the escaping.
    assert.deepEqual(findLines(files, /(?<![\w$])`\s*<[a-zA-Z!/]/), [], 'an untagged template literal starting with a tag');
    assert.deepEqual(findLines(files, /(['"])\s*<[a-zA-Z/][^'"\n]*>[^'"\n]*\1/), [], 'a quoted string holding a tag');
  });

  it('quotes every interpolated attribute value', () => {
    // `name=${value}` without quotes: a space in the value would start a new attribute.
    assert.deepEqual(findLines(files, /\s[a-zA-Z-]+=\$\{/), []);
  });

  it('keeps the renderers the server and the CLI call returning a plain string', () => {
    const exported = files.flatMap((f) =>
      [...read(f).matchAll(/export function (render[A-Z]\w*)\([^)]*\): ([^{]+)\{/g)].map(
        (m) => `${relative(ROOT, join(ROOT, f))} ${m[1]}: ${(m[2] ?? '').trim()}`,
      ),
    );
    assert.ok(exported.length >= 10, exported.join('\n'));
    for (const e of exported) {
      if (/ render(BriefCharts|SvgChart|\w+Chart):/.test(e)) continue; // data, not a document
      assert.match(e, /: string$/, e);
    }
  });
});
