/**
 * Every error code the API can answer (`ERROR_CODES`, src/http/api-error.ts: the closed set
 * `ApiError` and the `Error` schema take) is documented: in docs/problems.md's table of HTTP
 * error codes, with its status and what a client should do, and in docs/server.md's table of
 * statuses. A code added without its documentation, or a documented code that no longer
 * exists, fails here.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ERROR_CODES, ERROR_STATUS, type ErrorCode } from '../../src/http/api-error.ts';
import { REPO_ROOT } from '../support/cli-harness.ts';

/** The lines of `markdown` under the heading `heading`, up to the next heading of its level or higher. */
function section(markdown: string, heading: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.indexOf(heading);
  assert.ok(start >= 0, `no heading "${heading}"`);
  const level = heading.indexOf(' ');
  const end = lines.findIndex((l, i) => i > start && /^#+ /.test(l) && l.indexOf(' ') <= level);
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** A table row's cells, trimmed (the leading and trailing pipes dropped). */
const cells = (row: string) =>
  row
    .slice(1, -1)
    .split(' | ')
    .map((c) => c.trim());

describe('every API error code is documented', () => {
  it('in docs/problems.md, with its status and what the client should do', () => {
    const rows = section(readFileSync(join(REPO_ROOT, 'docs', 'problems.md'), 'utf8'), '## HTTP error codes')
      .filter((l) => /^\| `[a-z-]+` \|/.test(l))
      .map(cells);
    const documented = new Map(rows.map((r) => [(r[0] as string).replaceAll('`', ''), r]));
    assert.equal(documented.size, rows.length, 'each code once');
    assert.deepEqual([...documented.keys()].sort(), [...ERROR_CODES].sort(), 'the table lists exactly the codes of ERROR_CODES');
    for (const code of ERROR_CODES) {
      const [, status, when, todo] = documented.get(code) as string[];
      assert.equal(status, String(ERROR_STATUS[code]), `${code}: status`);
      assert.ok((when ?? '').length > 20, `${code}: says when`);
      assert.ok((todo ?? '').length > 10, `${code}: says what the client should do`);
    }
    const row = (code: ErrorCode) => (documented.get(code) as string[]).join(' | ');
    assert.match(row('busy'), /Retry-After/);
    assert.match(row('timeout'), /limitMs/);
    assert.match(row('unavailable'), /out-of-memory/);
  });

  it('in docs/server.md, by status', () => {
    const rows = section(readFileSync(join(REPO_ROOT, 'docs', 'server.md'), 'utf8'), '## API').filter((l) =>
      /^\| \d{3} \| `/.test(l),
    );
    const documented = new Map<string, string>();
    for (const row of rows.map(cells)) {
      for (const m of (row[1] as string).matchAll(/`([a-z-]+)`/g)) documented.set(m[1] as string, row[0] as string);
    }
    assert.deepEqual([...documented.keys()].sort(), [...ERROR_CODES].sort());
    for (const code of ERROR_CODES) assert.equal(documented.get(code), String(ERROR_STATUS[code]), `${code}: status`);
  });
});
