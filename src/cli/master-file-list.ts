/**
 * GDELT's master file lists (`masterfilelist.txt`, `masterfilelist-translation.txt`, and a
 * local mirror's copy of them) as input of `proviso ingest --list`.
 *
 * Contract:
 * - A list is text, one file a line: its size in bytes, its MD5 (32 hex digits) and its URL,
 *   separated by blanks; blank lines are skipped. Every malformed line is a problem placed at
 *   its file, line and column, all of them reported at once (nothing is loaded then).
 * - An entry is an event file when its URL's last segment ends in `.export.CSV.zip` (GDELT
 *   2.0's 15-minute exports and their translated counterparts, GDELT 1.0's daily files;
 *   any case); mentions and GKG files are left out and counted.
 * - Where an entry's file is: an `http:` or `https:` URL names a file of the mirror folder
 *   under the URL's last segment; a `file:` URL or a plain path names that file (a relative
 *   path from the list's folder).
 * - A file is ingested only when its size and MD5 are the list's. A mirror file that is
 *   missing or does not match is downloaded from its URL into the mirror, under a temporary
 *   name renamed over it once whole and matching; a local file that does not match, or a
 *   download that fails or does not match, is a problem naming the file, the list's line
 *   and what differs. Files already loaded are left as they are, unread.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import type { Problem } from '../core/problem.ts';

export interface ListEntry {
  readonly size: number;
  readonly md5: string;
  readonly url: string;
  /** 1-based line of the list. */
  readonly line: number;
}

export interface ParsedList {
  readonly entries: readonly ListEntry[];
  readonly problems: readonly Problem[];
}

/** Parses a master file list (see the contract); `file` places its problems. */
export function parseMasterFileList(text: string, file: string): ParsedList {
  const entries: ListEntry[] = [];
  const problems: Problem[] = [];
  const lines = text.split('\n');
  for (const [i, raw] of lines.entries()) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') continue;
    const at = (col: number, message: string, field: string) =>
      problems.push({ code: 'bad-list-line', message, file, line: i + 1, col, field, details: { raw: line } });
    const fields = [...line.matchAll(/\S+/g)];
    if (fields.length !== 3) {
      at(1, `expected "size md5 url" (3 fields separated by blanks), got ${fields.length}`, 'line');
      continue;
    }
    const [size, md5, url] = fields as [RegExpMatchArray, RegExpMatchArray, RegExpMatchArray];
    const col = (m: RegExpMatchArray) => (m.index ?? 0) + 1;
    if (!/^\d{1,15}$/.test(size[0])) at(col(size), `size "${size[0]}" is not a whole number of bytes`, 'size');
    else if (!/^[0-9a-fA-F]{32}$/.test(md5[0])) at(col(md5), `MD5 "${md5[0]}" is not 32 hex digits`, 'md5');
    else entries.push({ size: Number(size[0]), md5: md5[0].toLowerCase(), url: url[0], line: i + 1 });
  }
  return { entries, problems };
}

/** True when the entry names an event file (see the contract). */
export function isEventFile(entry: ListEntry): boolean {
  return /\.export\.csv\.zip$/i.test(lastSegment(entry.url));
}

function lastSegment(url: string): string {
  return basename(url.replace(/[?#].*$/, ''));
}

const isWebUrl = (url: string) => /^https?:\/\//i.test(url);

/** The file an entry names (see the contract). */
export function localPathOf(entry: ListEntry, listFile: string, mirrorDir: string): string {
  if (isWebUrl(entry.url)) return join(mirrorDir, lastSegment(entry.url));
  if (/^file:/i.test(entry.url)) return fileURLToPath(entry.url);
  return isAbsolute(entry.url) ? entry.url : resolve(dirname(listFile), entry.url);
}

/** The MD5 of a file, read once. */
async function md5Of(path: string): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** What differs between a file and its entry, or undefined when it matches (size first: it costs no read). */
async function mismatch(path: string, entry: ListEntry): Promise<string | undefined> {
  if (!existsSync(path)) return 'missing';
  const size = statSync(path).size;
  if (size !== entry.size) return `${size} bytes, the list says ${entry.size}`;
  const md5 = await md5Of(path);
  return md5 === entry.md5 ? undefined : `MD5 ${md5}, the list says ${entry.md5}`;
}

export type Fetch = (url: string) => Promise<Response>;

/**
 * Makes the entry's file at `path` the file the list names: checked, or downloaded (see the
 * contract). Resolves with what was done, or a problem.
 */
export async function ensureListedFile(
  entry: ListEntry,
  path: string,
  listFile: string,
  fetchUrl: Fetch = fetch,
): Promise<{ readonly kind: 'present' | 'downloaded' } | { readonly kind: 'problem'; readonly problem: Problem }> {
  const problem = (code: string, message: string) =>
    ({
      kind: 'problem',
      problem: { code, message, file: listFile, line: entry.line, details: { url: entry.url, path } },
    }) as const;
  const differs = await mismatch(path, entry);
  if (differs === undefined) return { kind: 'present' };
  if (!isWebUrl(entry.url)) return problem('list-mismatch', `${path}: ${differs}; fix the file or the list`);
  const part = join(dirname(path), `.${basename(path)}.${process.pid}.part`);
  try {
    const r = await fetchUrl(entry.url);
    if (!r.ok || r.body === null) return problem('download-failed', `${entry.url}: HTTP ${r.status} ${r.statusText}`);
    const hash = createHash('md5');
    let bytes = 0;
    const count = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    await pipeline(Readable.fromWeb(r.body as import('node:stream/web').ReadableStream), count, createWriteStream(part));
    const md5 = hash.digest('hex');
    if (bytes !== entry.size || md5 !== entry.md5)
      return problem(
        'download-mismatch',
        `${entry.url}: downloaded ${bytes} bytes with MD5 ${md5}; the list says ${entry.size} bytes, MD5 ${entry.md5}`,
      );
    renameSync(part, path);
    return { kind: 'downloaded' };
  } catch (err) {
    return problem('download-failed', `${entry.url}: ${(err as Error).message}`);
  } finally {
    rmSync(part, { force: true });
  }
}
