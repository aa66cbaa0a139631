/**
 * The side effects commands may use, passed in so tests can swap them. The CLI's
 * composition root (main.ts) builds the real ones; nothing else reads the environment,
 * the clock or the file system directly.
 */
import type { Problem } from '../core/problem.ts';
import type { EventStore } from '../ports/event-store.ts';
import type { LedgerReader, LedgerStore } from '../ports/ledger-store.ts';
import type { SeriesStore } from '../ports/series-store.ts';

export interface Effects {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Today's date (YYYY-MM-DD) in UTC — the default as-of date. */
  readonly today: () => string;
  readonly cwd: string;
  /** Opens the SQLite ledger file (creating it); `:memory:` (`SCRATCH_LEDGER`) opens a private in-memory ledger. */
  readonly openLedger: (path: string) => LedgerStore | Promise<LedgerStore>;
  /**
   * Opens an existing ledger file for reading only, writing nothing (no migration, no file
   * beside it), or returns undefined when there is no such file. Without it, `validate`
   * does not compare the folder with the ledger.
   */
  readonly readLedger?: (path: string) => Promise<LedgerReader | undefined>;
  /** Opens the event store in a store folder, or undefined if nothing was ingested there. */
  readonly openEventStore?: (storeDir: string) => Promise<EventStore | undefined>;
  /**
   * Imports a case's data files (`<case>/data/<kind>/*`) into the series store of a store
   * folder; idempotent. Returns how many series values were added.
   */
  readonly importCaseData?: (caseDir: string, storeDir: string) => Promise<{ readonly files: number; readonly added: number }>;
  /**
   * Imports a case's data files into a private in-memory series store (for `--scratch`),
   * or returns undefined when the case has none. The caller closes the store, which
   * discards it; nothing is written anywhere.
   */
  readonly importCaseDataInMemory?: (
    caseDir: string,
  ) => Promise<
    { readonly store: SeriesStore; readonly files: number; readonly added: number; readonly rejected: number } | undefined
  >;
  /** Opens the structural series store in a store folder, or undefined if nothing was imported. */
  readonly openSeriesStore?: (storeDir: string) => Promise<SeriesStore | undefined>;
  readonly writeFile: (path: string, text: string) => Promise<void>;
  /** Where the package's own files (examples/) live. */
  readonly packageRoot: string;
  /** Help text width and no colours (fixed in tests and golden files); the terminal's when absent. */
  readonly helpWidth?: number;
}

/**
 * An expected failure, mapped once to an exit code and output at the edge (main.ts): in
 * text, each problem as `place: message` and then `proviso: message`; with `--format json`,
 * the error envelope of src/core/problem.ts on stderr.
 */
export class CliError extends Error {
  readonly problems: readonly Problem[] | undefined;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  constructor(
    message: string,
    readonly exitCode: number,
    readonly code: string,
    extra: { readonly problems?: readonly Problem[]; readonly details?: Readonly<Record<string, unknown>> } = {},
  ) {
    super(message);
    this.name = 'CliError';
    this.problems = extra.problems;
    this.details = extra.details;
  }
}

/** Exit codes: 0 done; 1 problems in the input; 2 a usage error; 70 an internal error (EX_SOFTWARE). `ingest` adds 3 (some rows rejected). */
export const EXIT = { ok: 0, problems: 1, usage: 2, internal: 70 } as const;
