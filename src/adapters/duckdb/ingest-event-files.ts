/**
 * Ingest: event files → staged files → the DuckDB event store, one file per transaction.
 *
 * Contract:
 * - Paths may be files or directories (searched recursively, hidden entries skipped);
 *   every path is checked for existence and readability before anything is loaded.
 * - A file already loaded with the same path, size and modification time is skipped.
 * - A fatal file (unreadable, not text, corrupt archive, unknown format) stops the run: the
 *   files before it stay loaded whole, nothing of it is stored.
 * - Rejected rows are appended to `rejectsPath` as JSON lines (created on the first one).
 * - A file's validated rows are staged on disk (never held in memory; a large plain GDELT
 *   file in two parts parsed by two threads), then loaded by the store in one statement
 *   and one transaction; a store that loads while staging (`loadsWhileStaging`) begins the
 *   load first and takes the staged rows as they are written.
 */
import { closeSync, constants, openSync, rmSync, writeSync } from 'node:fs';
import { access, readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { CameoTables } from '../event-formats/cameo-tables.ts';
import {
  type DetectedFormat,
  type InputFormat,
  type ReadEventFileResult,
  type ReadProgress,
  type RejectedRow,
  readEventFile,
} from '../event-formats/read-event-file.ts';
import { type IdRange, StagedWriter } from '../event-formats/staged-events.ts';
import type { DuckDbEventStore, FileLoad, LoadOutcome } from './duckdb-event-store.ts';

export type IngestEvent =
  | { readonly kind: 'file-start'; readonly path: string; readonly index: number; readonly of: number; readonly bytes: number }
  | { readonly kind: 'progress'; readonly path: string; readonly progress: ReadProgress }
  | { readonly kind: 'loading'; readonly path: string; readonly accepted: number }
  | { readonly kind: 'file-skipped'; readonly path: string }
  | { readonly kind: 'file-done'; readonly path: string; readonly report: FileReport };

export interface FileReport {
  readonly path: string;
  readonly formats: readonly DetectedFormat[];
  readonly rows: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly duplicates: number;
  readonly folded: number;
  readonly inserted: number;
  readonly skipped: boolean;
}

export interface IngestSummary {
  readonly files: number;
  readonly rows: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly duplicates: number;
  readonly folded: number;
  readonly inserted: number;
  readonly skippedFiles: number;
  readonly rejectsFile: string | null;
  readonly fileReports: readonly FileReport[];
}

export type IngestResult =
  | { readonly kind: 'done'; readonly summary: IngestSummary }
  | {
      readonly kind: 'fatal';
      readonly file: string;
      readonly code: string;
      readonly message: string;
      readonly summary: IngestSummary;
    };

export interface IngestOptions {
  readonly format: InputFormat;
  readonly tables: CameoTables;
  readonly rejectsPath: string;
  readonly maxLineBytes?: number;
  /** Plain GDELT files from this size on are parsed by two threads (default 64 MiB). */
  readonly splitMinBytes?: number;
  /** Apply the re-emission folding rule (default true). */
  readonly fold?: boolean;
  /** Fold rows of different files added at most this many days apart (default 30; see the event store). */
  readonly foldWindowDays?: number;
  readonly onEvent?: (e: IngestEvent) => void;
}

/** The id range of a file's staged parts; undefined when there are no rows or a part's ids are not exact. */
function idRangeOf(parts: readonly { rows: number; ids: IdRange | undefined }[]): IdRange | undefined {
  const filled = parts.filter((p) => p.rows > 0);
  if (filled.length === 0) return undefined;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const p of filled) {
    if (p.ids === undefined) return undefined;
    min = Math.min(min, p.ids.min);
    max = Math.max(max, p.ids.max);
  }
  return { min, max };
}

/** Expands files and directories into a sorted list of files; reports paths that do not exist. */
export async function expandEventPaths(paths: readonly string[]): Promise<{ files: string[]; missing: string[] }> {
  const files: string[] = [];
  const missing: string[] = [];
  const walk = async (p: string): Promise<void> => {
    const st = await stat(p);
    if (st.isDirectory()) {
      const names = (await readdir(p)).filter((n) => !n.startsWith('.')).sort();
      for (const n of names) await walk(join(p, n));
    } else files.push(p);
  };
  for (const raw of paths) {
    const p = resolve(raw);
    try {
      await access(p, constants.R_OK);
      await walk(p);
    } catch {
      missing.push(raw);
    }
  }
  return { files: [...new Set(files)], missing };
}

export async function ingestEventFiles(
  store: DuckDbEventStore,
  files: readonly string[],
  opts: IngestOptions,
): Promise<IngestResult> {
  const reports: FileReport[] = [];
  let rejectsFd: number | undefined;
  const writeReject = (row: RejectedRow) => {
    rejectsFd ??= openSync(opts.rejectsPath, 'a');
    writeSync(rejectsFd, `${JSON.stringify(row)}\n`);
  };
  const summarise = (): IngestSummary => {
    const sum = (k: 'rows' | 'accepted' | 'rejected' | 'duplicates' | 'folded' | 'inserted') =>
      reports.reduce((a, r) => a + r[k], 0);
    return {
      files: reports.length,
      rows: sum('rows'),
      accepted: sum('accepted'),
      rejected: sum('rejected'),
      duplicates: sum('duplicates'),
      folded: sum('folded'),
      inserted: sum('inserted'),
      skippedFiles: reports.filter((r) => r.skipped).length,
      rejectsFile: rejectsFd === undefined ? null : opts.rejectsPath,
      fileReports: reports,
    };
  };
  try {
    for (const [i, path] of files.entries()) {
      const st = await stat(path);
      opts.onEvent?.({ kind: 'file-start', path, index: i + 1, of: files.length, bytes: st.size });
      if (await store.wasLoaded({ path, size: st.size, mtimeMs: st.mtimeMs })) {
        reports.push({
          path,
          formats: [],
          rows: 0,
          accepted: 0,
          rejected: 0,
          duplicates: 0,
          folded: 0,
          inserted: 0,
          skipped: true,
        });
        opts.onEvent?.({ kind: 'file-skipped', path });
        continue;
      }
      const stagedPath = join(store.stagingDir, `${process.pid}-${i}-${basename(path).replace(/[^A-Za-z0-9._-]/g, '_')}.tsv`);
      const fileRejects: RejectedRow[] = [];
      // The file's transaction starts only once its rows are staged: DuckDB loads them in one
      // statement (statements of a transaction cost far more at commit than one big one).
      const out = new StagedWriter(stagedPath);
      const secondPath = `${stagedPath}.2.tsv`;
      let read: ReadEventFileResult;
      let loaded: LoadOutcome;
      let early: FileLoad | undefined;
      try {
        if (store.loadsWhileStaging === true) {
          early = await store.beginLoad();
          early.follow?.([stagedPath, secondPath]);
        }
        try {
          read = await readEventFile(path, {
            format: opts.format,
            tables: opts.tables,
            out,
            onReject: (row) => (fileRejects.length < 10_000 ? fileRejects.push(row) : writeReject(row)),
            onProgress: (progress) => opts.onEvent?.({ kind: 'progress', path, progress }),
            split: { stagedPath: secondPath, ...(opts.splitMinBytes === undefined ? {} : { minBytes: opts.splitMinBytes }) },
            ...(opts.maxLineBytes === undefined ? {} : { maxLineBytes: opts.maxLineBytes }),
          });
        } finally {
          out.close();
        }
        if (read.kind === 'fatal') {
          await early?.abort();
          return { kind: 'fatal', file: read.file, code: read.code, message: read.message, summary: summarise() };
        }
        for (const row of fileRejects) writeReject(row);
        opts.onEvent?.({ kind: 'loading', path, accepted: read.accepted });
        const load = early ?? (await store.beginLoad());
        try {
          const second = read.second;
          const ids = idRangeOf([
            { rows: out.rowsWritten, ids: out.idRange() },
            ...(second === undefined ? [] : [{ rows: second.rowsWritten, ids: second.ids }]),
          ]);
          const staged = out.rowsWritten + (second?.rowsWritten ?? 0);
          // With nothing accepted (an empty file, or every row rejected) only the file's record is stored.
          if (staged > 0 && second === undefined) {
            await load.insert([stagedPath], { keysIncreasing: out.keysIncreasing, maxRowBytes: out.maxRowBytes, ids });
          } else if (staged > 0 && second !== undefined) {
            // Keys still increase across the two parts when the second starts above the first.
            const increasing =
              out.keysIncreasing &&
              second.keysIncreasing &&
              (out.lastKey === -1 || second.firstKey === -1 || out.lastKey < second.firstKey);
            await load.insert([stagedPath, second.stagedPath], {
              keysIncreasing: increasing,
              maxRowBytes: Math.max(out.maxRowBytes, second.maxRowBytes),
              ids,
            });
          }
          loaded = await load.commit(read.file, read.formats.join('+') || 'empty', {
            fold: opts.fold ?? true,
            ...(opts.foldWindowDays === undefined ? {} : { foldWindowDays: opts.foldWindowDays }),
            staged,
          });
        } catch (err) {
          await load.abort();
          throw err;
        }
      } catch (err) {
        out.close();
        await early?.abort();
        throw err;
      } finally {
        rmSync(stagedPath, { force: true });
        rmSync(secondPath, { force: true });
      }
      const report: FileReport = {
        path,
        formats: read.formats,
        rows: read.rows,
        accepted: read.accepted,
        rejected: read.rejected,
        duplicates: loaded.duplicates,
        folded: loaded.folded,
        inserted: loaded.inserted,
        skipped: false,
      };
      reports.push(report);
      opts.onEvent?.({ kind: 'file-done', path, report });
    }
    return { kind: 'done', summary: summarise() };
  } finally {
    if (rejectsFd !== undefined) closeSync(rejectsFd);
  }
}
