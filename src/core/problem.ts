/**
 * One problem type for every edge: case files, evidence inputs, ingest and import rejects,
 * HTTP and CLI errors.
 *
 * Contract: a problem is plain data. `code` is a stable kebab-case word a program may switch
 * on; `message` says what is wrong and what to write instead. It is placed either by `path`
 * (a dot path into a document or request: `sources.0.date`) or by `file` with a 1-based
 * `line` (and `col` when known); `field` names a column or option when one is at fault.
 * `details` carries anything else a machine reader may want (the rejected line, an id).
 * There is one text renderer (`problemText`) and one JSON envelope (`errorEnvelope`).
 */

export interface Problem {
  readonly code: string;
  readonly message: string;
  /** A dot path into a document or a request: `sources.0.date`, `actors.1`; `''` for the whole item. */
  readonly path?: string;
  readonly file?: string;
  /** 1-based; 0 when the problem concerns the file as a whole. */
  readonly line?: number;
  /** 1-based. */
  readonly col?: number;
  /** The column, header or option at fault (`EventDate`, `--from`). */
  readonly field?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** A problem placed in a file, as case files and rejected rows always are. */
export interface FileProblem extends Problem {
  readonly file: string;
  readonly line: number;
}

/** Where a problem is, as editors and terminals link to it: `file:line:col`, `file:line`, `file`, or the path. */
export function problemPlace(p: Problem): string | undefined {
  if (p.file !== undefined) {
    if (p.line === undefined || p.line === 0) return p.file;
    return p.col === undefined ? `${p.file}:${p.line}` : `${p.file}:${p.line}:${p.col}`;
  }
  if (p.path !== undefined && p.path !== '') return p.path;
  return undefined;
}

/** The one text rendering: `place: message`, with the field named when the place does not name it. */
export function problemText(p: Problem): string {
  const place = problemPlace(p);
  const field = p.field !== undefined && p.path === undefined ? ` (${p.field})` : '';
  return place === undefined ? `${p.message}${field}` : `${place}${field}: ${p.message}`;
}

/** The one JSON shape of a failure, in the CLI (`--format json`, on stderr) and the HTTP API. */
export interface ErrorEnvelope {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly problems?: readonly Problem[];
    readonly details?: Readonly<Record<string, unknown>>;
  };
}

export function errorEnvelope(
  code: string,
  message: string,
  extra: { readonly problems?: readonly Problem[]; readonly details?: Readonly<Record<string, unknown>> } = {},
): ErrorEnvelope {
  return {
    error: {
      code,
      message,
      ...(extra.problems === undefined ? {} : { problems: extra.problems }),
      ...(extra.details === undefined ? {} : { details: extra.details }),
    },
  };
}
