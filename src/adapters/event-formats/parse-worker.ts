/**
 * A worker thread that parses one byte range of a plain GDELT file into its own staged
 * file, so that two threads share a large file (see `readEventFile`).
 *
 * Contract: the range starts at a line start and ends after a newline (or at the end of the
 * file). Line numbers are relative to the range (1 = its first line): staged `line_no`
 * values are `lineBase + line`, rejected rows go to `rejectsPath` as JSON lines with
 * relative line numbers, for the caller to renumber (the thread's own range reports them
 * directly). Progress is posted as `{ kind: 'progress', bytes, rows }` (both counted since
 * the last message), the end as `{ kind: 'done', result }` or `{ kind: 'error', message }`.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { readFileRange } from './file-chunks.ts';
import { GdeltRowParser } from './gdelt-row.ts';
import { LineScanner } from './line-scanner.ts';
import { problem, type RejectedRow, type RowProblem, rejectedRow } from './row-problem.ts';
import { type IdRange, StagedWriter } from './staged-events.ts';

export interface RangeTask {
  readonly path: string;
  /** The file name rejected rows carry. */
  readonly fileName: string;
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
  readonly version: 1 | 2;
  readonly stagedPath: string;
  readonly rejectsPath: string;
  readonly lineBase: number;
  readonly maxLineBytes: number;
}

export interface RangeResult {
  readonly lines: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly rowsWritten: number;
  readonly maxRowBytes: number;
  readonly keysIncreasing: boolean;
  readonly firstKey: number;
  readonly lastKey: number;
  readonly ids: IdRange | undefined;
}

/**
 * Parses `task`'s range into `out`, reporting rejected rows (relative line numbers) and
 * every chunk read, with the rows seen so far. Used by the worker, and by the calling
 * thread for its own range.
 */
export async function parseRange(
  task: RangeTask,
  out: StagedWriter,
  onReject: (row: RejectedRow) => void,
  onChunk: (chunk: Buffer, rows: number) => void,
): Promise<RangeResult> {
  const parser = new GdeltRowParser(task.version);
  let accepted = 0;
  let rejected = 0;
  const reject = (p: RowProblem, b: Buffer, s: number, e: number, line: number) => {
    rejected++;
    onReject(rejectedRow(task.fileName, line, p, b, s, e));
  };
  const scanner = new LineScanner(
    (b, s, e, line) => {
      if (e === s) {
        reject(problem('column-count', 'empty line'), b, s, e, line);
        return;
      }
      const p = parser.parse(b, s, e, task.lineBase + line, out, scanner.lineIsAscii);
      if (p === undefined) accepted++;
      else reject(p, b, s, e, line);
    },
    (prefix, total, line) =>
      reject(
        problem('line-too-long', `line of ${total} bytes exceeds the ${task.maxLineBytes}-byte limit`),
        prefix,
        0,
        prefix.length,
        line,
      ),
    task.maxLineBytes,
  );
  try {
    if (task.end > task.start) {
      for await (const chunk of readFileRange(task.path, task.start, task.end)) {
        scanner.push(chunk);
        onChunk(chunk, accepted + rejected);
      }
      scanner.end();
    }
  } finally {
    out.close();
  }
  return {
    lines: scanner.lines,
    accepted,
    rejected,
    rowsWritten: out.rowsWritten,
    maxRowBytes: out.maxRowBytes,
    keysIncreasing: out.keysIncreasing,
    firstKey: out.firstKey,
    lastKey: out.lastKey,
    ids: out.idRange(),
  };
}

if (parentPort !== null && (workerData as { rangeTask?: RangeTask } | undefined)?.rangeTask !== undefined) {
  const port = parentPort;
  const task = (workerData as { rangeTask: RangeTask }).rangeTask;
  let pending = 0;
  let rowsPosted = 0;
  let rowsSeen = 0;
  let rejectsFd: number | undefined;
  const writeReject = (row: RejectedRow) => {
    rejectsFd ??= openSync(task.rejectsPath, 'w');
    writeSync(rejectsFd, `${JSON.stringify(row)}\n`);
  };
  parseRange(task, new StagedWriter(task.stagedPath), writeReject, (chunk, rows) => {
    pending += chunk.length;
    rowsSeen = rows;
    if (pending >= 1 << 22) {
      port.postMessage({ kind: 'progress', bytes: pending, rows: rowsSeen - rowsPosted });
      pending = 0;
      rowsPosted = rowsSeen;
    }
  })
    .finally(() => {
      if (rejectsFd !== undefined) closeSync(rejectsFd);
    })
    .then(
      (result) => {
        if (pending > 0)
          port.postMessage({ kind: 'progress', bytes: pending, rows: result.accepted + result.rejected - rowsPosted });
        port.postMessage({ kind: 'done', result });
      },
      (err: unknown) => port.postMessage({ kind: 'error', message: err instanceof Error ? err.message : String(err) }),
    );
}
