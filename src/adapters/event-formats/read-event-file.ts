/**
 * Reads one event file (GDELT 1.0/2.0, ICEWS; plain, gzip or zip) into a staged file,
 * streaming with bounded memory, and reports every rejected row.
 *
 * Contract:
 * - The format is detected per file (per zip entry) unless forced; detection looks at the
 *   first 256 KiB: an ICEWS header line, or the column count most GDELT rows have.
 * - Every physical line is either staged (accepted), reported to `onReject` with its line
 *   number, or is the ICEWS header: `rows = accepted + rejected`.
 * - A file that cannot be read, is not text (a NUL byte in its first 8 KiB), is corrupt
 *   compressed data, or has no recognisable format is a fatal result; the caller must then
 *   discard the staged file.
 */
import { createHash } from 'node:crypto';
import { createReadStream, rmSync } from 'node:fs';
import { open as openFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import type { CameoTables } from './cameo-tables.ts';
import { readFileRange } from './file-chunks.ts';
import { GdeltRowParser } from './gdelt-row.ts';
import { IcewsRowParser, isIcewsHeader } from './icews-row.ts';
import { DEFAULT_MAX_LINE_BYTES, LineScanner } from './line-scanner.ts';
import { detectCompression, hashFile, openEventInput } from './open-event-input.ts';
import { parseRange, type RangeResult, type RangeTask } from './parse-worker.ts';
import { problem, type RejectedRow, type RowProblem, rejectedRow } from './row-problem.ts';

export type { RejectedRow } from './row-problem.ts';

import type { IdRange, StagedWriter } from './staged-events.ts';

export const INPUT_FORMATS = ['auto', 'gdelt', 'icews'] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];
export type DetectedFormat = 'gdelt1' | 'gdelt2' | 'icews' | 'empty';

export interface ReadProgress {
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly rows: number;
}

export interface ReadEventFileOptions {
  readonly format: InputFormat;
  readonly tables: CameoTables;
  readonly out: StagedWriter;
  readonly onReject: (row: RejectedRow) => void;
  readonly onProgress?: (p: ReadProgress) => void;
  readonly maxLineBytes?: number;
  /**
   * Lets a large plain GDELT file be parsed by two threads: the second half goes to a
   * worker that stages it at `stagedPath` (see `SecondPart`). Rows keep their line order:
   * the second part's staged `line_no` values are all greater than the first's.
   */
  readonly split?: { readonly stagedPath: string; readonly minBytes?: number };
}

/** The staged file of a split read's second part, and what its writer knows. */
export interface SecondPart {
  readonly stagedPath: string;
  readonly rowsWritten: number;
  readonly maxRowBytes: number;
  readonly keysIncreasing: boolean;
  readonly firstKey: number;
  readonly lastKey: number;
  /** The range of its event ids (undefined: none, or not exact). */
  readonly ids: IdRange | undefined;
}

export interface FileIdentity {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly sha256: string;
}

export type ReadEventFileResult =
  | {
      readonly kind: 'ok';
      readonly file: FileIdentity;
      readonly formats: readonly DetectedFormat[];
      readonly rows: number;
      readonly accepted: number;
      readonly rejected: number;
      /** Present when a split read staged a second part. */
      readonly second?: SecondPart;
    }
  | { readonly kind: 'fatal'; readonly file: string; readonly code: string; readonly message: string };

const SNIFF_BYTES = 256 * 1024;
const BINARY_PROBE_BYTES = 8 * 1024;

class FatalInput extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function readEventFile(path: string, opts: ReadEventFileOptions): Promise<ReadEventFileResult> {
  try {
    return await readOrThrow(path, opts);
  } catch (err) {
    if (err instanceof FatalInput) return { kind: 'fatal', file: path, code: err.code, message: `${path}: ${err.message}` };
    const e = err as NodeJS.ErrnoException;
    const code = typeof e.code === 'string' ? e.code : 'unreadable';
    return { kind: 'fatal', file: path, code, message: `${path}: cannot read: ${e.message ?? String(err)}` };
  }
}

async function readOrThrow(path: string, opts: ReadEventFileOptions): Promise<ReadEventFileResult> {
  const st = await stat(path);
  if (!st.isFile()) throw new FatalInput('not-a-file', 'is not a regular file');
  const compression = await detectCompression(path);
  if (compression === 'none' && opts.split !== undefined && st.size >= (opts.split.minBytes ?? SPLIT_MIN_BYTES)) {
    const split = await readSplit(path, st.size, st.mtimeMs, opts, opts.split.stagedPath);
    if (split !== undefined) return split;
  }
  const hash = createHash('sha256');
  let bytesDone = 0;
  const counts = { rows: 0, accepted: 0, rejected: 0 };
  let lastProgress = 0;
  const progress = () => opts.onProgress?.({ bytesDone, bytesTotal: st.size, rows: counts.rows });
  const formats: DetectedFormat[] = [];

  for await (const entry of openEventInput(path, compression, (n, chunk) => {
    bytesDone += n;
    if (chunk) hash.update(chunk);
  })) {
    const fileName = entry.name;
    let format: DetectedFormat | undefined;
    let gdelt: GdeltRowParser | undefined;
    let icews: IcewsRowParser | undefined;
    const reject = (p: RowProblem, b: Buffer, s: number, e: number, line: number) => {
      counts.rows++;
      counts.rejected++;
      opts.onReject(rejectedRow(fileName, line, p, b, s, e));
    };
    const scanner = new LineScanner(
      (b, s, e, line) => {
        if (icews !== undefined && line === 1) return; // the header
        if (e === s) {
          // An empty line is not an event; it is reported, never silently dropped.
          reject(problem('column-count', 'empty line'), b, s, e, line);
          return;
        }
        const p = gdelt
          ? gdelt.parse(b, s, e, line, opts.out, scanner.lineIsAscii)
          : (icews as IcewsRowParser).parse(b, s, e, line, opts.out);
        if (p === undefined) {
          counts.rows++;
          counts.accepted++;
        } else reject(p, b, s, e, line);
      },
      (prefix, total, line) =>
        reject(
          problem(
            'line-too-long',
            `line of ${total} bytes exceeds the ${opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES}-byte limit`,
          ),
          prefix,
          0,
          prefix.length,
          line,
        ),
      opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
    );

    let sniff: Buffer[] | undefined = [];
    let sniffBytes = 0;
    const startParsing = (head: Buffer) => {
      format = detectFormat(head, opts.format, fileName);
      formats.push(format);
      if (format === 'gdelt1' || format === 'gdelt2') gdelt = new GdeltRowParser(format === 'gdelt1' ? 1 : 2);
      if (format === 'icews') {
        const nl = head.indexOf(10);
        const header = head.toString('utf8', 0, nl === -1 ? head.length : nl).replace(/\r$/, '');
        icews = new IcewsRowParser(header, opts.tables);
        const missing = icews.missingColumns();
        if (missing.length > 0) throw new FatalInput('bad-header', `ICEWS header lacks ${missing.join(', ')}`);
      }
      scanner.push(head);
    };
    for await (const buf of entry.chunks) {
      if (sniff !== undefined) {
        sniff.push(Buffer.from(buf)); // chunks may be reused
        sniffBytes += buf.length;
        if (sniffBytes < SNIFF_BYTES) continue;
        const head = Buffer.concat(sniff);
        sniff = undefined;
        startParsing(head);
      } else scanner.push(buf);
      if (bytesDone - lastProgress > 1 << 22) {
        lastProgress = bytesDone;
        progress();
      }
    }
    if (sniff !== undefined) {
      const head = Buffer.concat(sniff);
      if (head.length === 0) formats.push('empty');
      else startParsing(head);
    }
    if (format !== 'empty') scanner.end();
  }
  progress();
  const sha256 = compression === 'zip' ? await hashFile(path) : hash.digest('hex');
  return {
    kind: 'ok',
    file: { path, size: st.size, mtimeMs: st.mtimeMs, sha256 },
    formats,
    ...counts,
  };
}

/** Files below this size are parsed by one thread. */
const SPLIT_MIN_BYTES = 64 * 1024 * 1024;
/**
 * The share of a split file this thread parses: a little under half, as it also hashes the
 * whole file (hashing costs about a sixth of what parsing does per byte; bench/README.md).
 */
const FIRST_PART_SHARE = 0.45;
/** Line numbers of the second part of a split read are staged above this. */
const SECOND_PART_LINE_BASE = 1e12;

/** Starts the parsing worker (from TypeScript sources, as under tsx, it registers tsx first). */
function startParseWorker(task: RangeTask): Worker {
  const workerData = { rangeTask: task };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./parse-worker.js', import.meta.url), { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./parse-worker.ts', import.meta.url).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`, {
    eval: true,
    workerData,
  });
}

/**
 * Reads a plain GDELT file in two parts, cut at a line start: this thread parses the
 * first into `opts.out` while a worker parses the second into `secondPath`. Returns
 * undefined, having consumed nothing, when the file is not GDELT or has no cut.
 */
async function readSplit(
  path: string,
  size: number,
  mtimeMs: number,
  opts: ReadEventFileOptions,
  secondPath: string,
): Promise<ReadEventFileResult | undefined> {
  const fh = await openFile(path, 'r');
  let cut = -1;
  let head: Buffer;
  try {
    head = Buffer.alloc(Math.min(SNIFF_BYTES, size));
    await fh.read(head, 0, head.length, 0);
    const window = Buffer.alloc(1 << 16);
    for (let at = Math.floor(size * FIRST_PART_SHARE); cut === -1 && at < size; at += window.length) {
      const { bytesRead } = await fh.read(window, 0, window.length, at);
      const nl = window.subarray(0, bytesRead).indexOf(10);
      if (nl !== -1) cut = at + nl + 1;
      if (bytesRead === 0) break;
    }
  } finally {
    await fh.close();
  }
  const format = detectFormat(head, opts.format, path);
  if ((format !== 'gdelt1' && format !== 'gdelt2') || cut === -1 || cut >= size) return undefined;
  const version = format === 'gdelt1' ? 1 : 2;
  const maxLineBytes = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const rejectsPath = `${secondPath}.rejects.jsonl`;
  const secondTask: RangeTask = {
    path,
    fileName: path,
    start: cut,
    end: size,
    version,
    stagedPath: secondPath,
    rejectsPath,
    lineBase: SECOND_PART_LINE_BASE,
    maxLineBytes,
  };
  let bytesDone = 0;
  let lastProgress = 0;
  let rows = 0;
  let firstRows = 0;
  let secondRows = 0;
  const progress = (force: boolean) => {
    if (force || bytesDone - lastProgress > 1 << 22) {
      lastProgress = bytesDone;
      opts.onProgress?.({ bytesDone, bytesTotal: size, rows });
    }
  };
  const worker = startParseWorker(secondTask);
  const second = new Promise<RangeResult>((ok, fail) => {
    worker.on(
      'message',
      (
        m:
          | { kind: 'progress'; bytes: number; rows: number }
          | { kind: 'done'; result: RangeResult }
          | { kind: 'error'; message: string },
      ) => {
        if (m.kind === 'progress') {
          bytesDone += m.bytes;
          secondRows += m.rows;
          rows = firstRows + secondRows;
          progress(false);
        } else if (m.kind === 'done') ok(m.result);
        else fail(new Error(m.message));
      },
    );
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the parsing worker stopped (exit code ${code})`)));
  });
  second.catch(() => undefined);
  try {
    const hash = createHash('sha256');
    const first = await parseRange(
      { ...secondTask, start: 0, end: cut, stagedPath: opts.out.path, rejectsPath: '', lineBase: 0 },
      opts.out,
      opts.onReject,
      (chunk, seen) => {
        hash.update(chunk);
        bytesDone += chunk.length;
        firstRows = seen;
        rows = firstRows + secondRows;
        progress(false);
      },
    );
    for await (const chunk of readFileRange(path, cut)) hash.update(chunk);
    const rest = await second;
    // The worker's rejected rows, renumbered after the first part's lines, in line order.
    if (rest.rejected > 0) {
      const lines = createInterface({ input: createReadStream(rejectsPath), crlfDelay: Number.POSITIVE_INFINITY });
      for await (const line of lines) {
        const row = JSON.parse(line) as RejectedRow;
        opts.onReject({ ...row, line: row.line + first.lines });
      }
    }
    rows = first.accepted + first.rejected + rest.accepted + rest.rejected;
    progress(true);
    return {
      kind: 'ok',
      file: { path, size, mtimeMs, sha256: hash.digest('hex') },
      formats: [format],
      rows,
      accepted: first.accepted + rest.accepted,
      rejected: first.rejected + rest.rejected,
      second: {
        stagedPath: secondPath,
        rowsWritten: rest.rowsWritten,
        maxRowBytes: rest.maxRowBytes,
        keysIncreasing: rest.keysIncreasing,
        firstKey: rest.firstKey,
        lastKey: rest.lastKey,
        ids: rest.ids,
      },
    };
  } finally {
    await worker.terminate();
    rmSync(rejectsPath, { force: true });
  }
}

/** Decides the format from the first bytes of a file (throws FatalInput when it cannot). */
export function detectFormat(head: Buffer, wanted: InputFormat, name: string): DetectedFormat {
  const probe = head.subarray(0, BINARY_PROBE_BYTES);
  if (probe.includes(0))
    throw new FatalInput(
      'binary',
      'is not a text file (NUL bytes in its first 8 KiB); is it an unpacked archive or another format?',
    );
  const firstNl = head.indexOf(10);
  const firstLine = head.toString('latin1', 0, firstNl === -1 ? Math.min(head.length, 4096) : firstNl);
  if (firstLine.trim() === '' && head.every((c) => c === 10 || c === 13 || c === 32)) return 'empty';
  if (isIcewsHeader(firstLine)) {
    if (wanted === 'gdelt') throw new FatalInput('wrong-format', '--format gdelt, but the first line is an ICEWS header');
    return 'icews';
  }
  if (wanted === 'icews')
    throw new FatalInput(
      'wrong-format',
      '--format icews, but the first line is not an ICEWS header ("Event ID<TAB>Event Date…")',
    );
  let v1 = 0;
  let v2 = 0;
  let start = 0;
  // The last line may be cut by the sniff window, so only whole lines vote.
  for (let nl = head.indexOf(10); nl !== -1; nl = head.indexOf(10, start)) {
    let tabs = 0;
    for (let i = start; i < nl; i++) if (head[i] === 9) tabs++;
    if (tabs === 56 || tabs === 57) v1++;
    else if (tabs === 60) v2++;
    start = nl + 1;
  }
  if (start === 0 || start < head.length) {
    let tabs = 0;
    for (let i = start; i < head.length; i++) if (head[i] === 9) tabs++;
    if (v1 + v2 === 0 && (tabs === 56 || tabs === 57)) v1++;
    else if (v1 + v2 === 0 && tabs === 60) v2++;
  }
  if (v1 === 0 && v2 === 0) {
    const cols = firstLine.split('\t').length;
    throw new FatalInput(
      'unknown-format',
      `${basename(name)}: not a GDELT or ICEWS event file: the first line has ${cols} tab-separated columns; GDELT events have 57, 58 (1.0) or 61 (2.0), ICEWS starts with the header "Event ID<TAB>Event Date…". GDELT mentions and GKG files are not event files.`,
    );
  }
  return v2 > v1 ? 'gdelt2' : 'gdelt1';
}
