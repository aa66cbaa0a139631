/**
 * The one error a handler or middleware throws to answer with an error: its `code` fixes
 * the status (`ERROR_STATUS`), and `app.onError` (app.ts) turns it into the one envelope
 * (`errorEnvelope` of src/core/problem.ts). Anything else thrown is a bug or broken
 * infrastructure: logged, and answered 500 `internal` with no detail.
 */
import type { ClientErrorStatusCode, ServerErrorStatusCode } from 'hono/utils/http-status';
import type { Problem } from '../core/problem.ts';

export const ERROR_CODES = [
  'invalid-request',
  'unauthenticated',
  'forbidden',
  'csrf',
  'not-found',
  'method-not-allowed',
  'conflict',
  'too-large',
  'unsupported-media-type',
  'unavailable',
  'busy',
  'timeout',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ERROR_STATUS = {
  'invalid-request': 400,
  unauthenticated: 401,
  forbidden: 403,
  csrf: 403,
  'not-found': 404,
  'method-not-allowed': 405,
  conflict: 409,
  'too-large': 413,
  'unsupported-media-type': 415,
  unavailable: 503,
  busy: 503,
  timeout: 504,
  internal: 500,
} as const satisfies Record<ErrorCode, ClientErrorStatusCode | ServerErrorStatusCode>;
export type ErrorStatus = (typeof ERROR_STATUS)[ErrorCode];

export interface ApiErrorExtra {
  readonly problems?: readonly Problem[];
  readonly details?: Readonly<Record<string, unknown>>;
  /** Response headers the status calls for (`WWW-Authenticate` with 401, `Allow` with 405). */
  readonly headers?: Readonly<Record<string, string>>;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: ErrorStatus;
  readonly code: ErrorCode;
  readonly problems: readonly Problem[] | undefined;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: ErrorCode, message: string, extra: ApiErrorExtra = {}) {
    super(message);
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.problems = extra.problems;
    this.details = extra.details;
    this.headers = extra.headers ?? {};
  }
}

/** 400 with the problems found, one per field. */
export function invalidRequest(message: string, problems: readonly Problem[]): ApiError {
  return new ApiError('invalid-request', message, { problems });
}

/** 401, with the `WWW-Authenticate` challenge. */
export function unauthenticated(): ApiError {
  return new ApiError('unauthenticated', 'sign in or send a token (Authorization: Bearer …)', {
    headers: { 'WWW-Authenticate': 'Bearer realm="proviso"' },
  });
}

export function notFound(message: string): ApiError {
  return new ApiError('not-found', message);
}
