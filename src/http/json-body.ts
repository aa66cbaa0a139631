/**
 * Reading a JSON request body strictly, for the routes that take one (route-kit.ts
 * `writeRoute`), after the role check and before the route's schema sees the body.
 *
 * Contracts:
 * - A route that takes a body gets one: no body at all (whatever the content type) is a
 *   400 with a problem `required` at `''`. A body sent with another content type, or
 *   with none, is left to the route's media-type check (415).
 * - The body is decoded as UTF-8 strictly: invalid bytes are a 400 `invalid-utf8` naming
 *   the field whose text holds them (`''` when they are outside any string or the field
 *   cannot be told), with the byte offset in `details.offset`, never replaced by U+FFFD.
 *   A `\u` escape of half a surrogate pair is refused the same way: no UTF-8 text can
 *   encode it, and the stores could not keep it.
 * - A body that is not JSON is a 400 `syntax` at `''`, with the parser's message.
 * - On success the decoded text is what the route's JSON validator parses, so the bytes
 *   are decoded once.
 */
import type { MiddlewareHandler } from 'hono';
import { invalidRequest } from './api-error.ts';
import type { RequestProblem } from './problems.ts';

const JSON_MEDIA_TYPE = /^application\/([a-z.-]+\+)?json/i;
/** Stands in for an invalid byte sequence while the field holding it is looked for; valid UTF-8 never decodes to it. */
const MARK = '\uDBFF';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');
/** Problems reported per body at most. */
const MAX_PROBLEMS = 20;

/** The route middleware: reads the body strictly (see the module contract), then lets the route validate it. */
export function strictJsonBody(): MiddlewareHandler {
  return async (c, next) => {
    const type = c.req.header('content-type');
    if (type !== undefined && type !== '' && !JSON_MEDIA_TYPE.test(type)) return next();
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    if (bytes.byteLength === 0) {
      const message = 'this route takes a JSON body: send one with Content-Type: application/json';
      throw invalidRequest(message, [{ code: 'required', path: '', message }]);
    }
    if (type === undefined || type === '') return next();
    const text = decodeStrictly(bytes);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      const message = `the body is not JSON: ${(err as Error).message}`;
      throw invalidRequest(message, [{ code: 'syntax', path: '', message }]);
    }
    const lone = fieldsWith(value, '', (s) => LONE_SURROGATE.test(s));
    if (lone.length > 0)
      throw invalidRequest(
        'the body holds text that is not well-formed Unicode',
        lone.map((path) => ({
          code: 'invalid-utf8',
          path: printablePath(path),
          message: 'a \\u escape of half a surrogate pair is not a character: send the whole pair, or the character in UTF-8',
        })),
      );
    (c.req.bodyCache as { text?: unknown }).text = Promise.resolve(text);
    return next();
  };
}

/** The body as text, or a 400 naming where its invalid UTF-8 is. */
export function decodeStrictly(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalidRequest('the body is not valid UTF-8; nothing was read', invalidUtf8Problems(bytes));
  }
}

/**
 * One problem per field holding invalid UTF-8, or one at `''` when the invalid bytes are
 * outside strings or the body is not JSON anyway; `details.offset` is the first invalid
 * byte of the body.
 */
export function invalidUtf8Problems(bytes: Uint8Array): RequestProblem[] {
  const { text, offsets } = decodeMarkingInvalid(bytes);
  const offset = offsets[0] ?? 0;
  const message = 'not valid UTF-8: send text encoded as UTF-8 (invalid bytes are not replaced or guessed)';
  const whole: RequestProblem[] = [
    { code: 'invalid-utf8', path: '', message: `invalid UTF-8 at byte ${offset} of the body`, details: { offset } },
  ];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return whole;
  }
  const paths = fieldsWith(value, '', (s) => s.includes(MARK));
  return paths.length === 0
    ? whole
    : paths.map((path) => ({ code: 'invalid-utf8', path: printablePath(path), message, details: { offset } }));
}

/**
 * A path whose keys may hold what is being refused (invalid bytes, marked; half a surrogate
 * pair) with each such unit shown as U+FFFD: the answer itself must be Unicode text, which
 * strict JSON parsers insist on.
 */
function printablePath(path: string): string {
  return path.replace(LONE_SURROGATES, '\uFFFD');
}

/** Paths (dot-joined) of the strings and keys in a parsed JSON value that `test` holds for, at most `MAX_PROBLEMS`. */
function fieldsWith(value: unknown, path: string, test: (s: string) => boolean, out: string[] = []): string[] {
  if (out.length >= MAX_PROBLEMS) return out;
  if (typeof value === 'string') {
    if (test(value)) out.push(path);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => {
      fieldsWith(v, path === '' ? String(i) : `${path}.${i}`, test, out);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const at = path === '' ? k : `${path}.${k}`;
      if (test(k)) out.push(at);
      fieldsWith(v, at, test, out);
    }
  }
  return out.slice(0, MAX_PROBLEMS);
}

/**
 * Decodes UTF-8 with each maximal invalid subpart (as the WHATWG decoder delimits them)
 * replaced by `MARK`, and the byte offsets where those subparts start.
 */
export function decodeMarkingInvalid(bytes: Uint8Array): { text: string; offsets: number[] } {
  const decoder = new TextDecoder('utf-8');
  const offsets: number[] = [];
  let text = '';
  let start = 0;
  let i = 0;
  while (i < bytes.length) {
    const length = validSequenceLength(bytes, i);
    if (length > 0) {
      i += length;
      continue;
    }
    text += decoder.decode(bytes.subarray(start, i));
    offsets.push(i);
    text += MARK;
    i += invalidSubpartLength(bytes, i);
    start = i;
  }
  text += decoder.decode(bytes.subarray(start));
  return { text, offsets };
}

/** The bounds of the second byte after each lead byte (Unicode 15, table 3-7); later bytes are 0x80–0xBF. */
function secondByteRange(lead: number): readonly [number, number, number] | undefined {
  if (lead >= 0xc2 && lead <= 0xdf) return [0x80, 0xbf, 2];
  if (lead === 0xe0) return [0xa0, 0xbf, 3];
  if ((lead >= 0xe1 && lead <= 0xec) || lead === 0xee || lead === 0xef) return [0x80, 0xbf, 3];
  if (lead === 0xed) return [0x80, 0x9f, 3];
  if (lead === 0xf0) return [0x90, 0xbf, 4];
  if (lead >= 0xf1 && lead <= 0xf3) return [0x80, 0xbf, 4];
  if (lead === 0xf4) return [0x80, 0x8f, 4];
  return undefined;
}

/** How many bytes of well-formed sequence start at `i` (0 when none does). */
function validSequenceLength(bytes: Uint8Array, i: number): number {
  const lead = bytes[i] as number;
  if (lead < 0x80) return 1;
  const range = secondByteRange(lead);
  if (range === undefined) return 0;
  const [lo, hi, length] = range;
  if (i + length > bytes.length) return 0;
  const second = bytes[i + 1] as number;
  if (second < lo || second > hi) return 0;
  for (let k = 2; k < length; k += 1) {
    const b = bytes[i + k] as number;
    if (b < 0x80 || b > 0xbf) return 0;
  }
  return length;
}

/** How many bytes the invalid subpart starting at `i` spans: the lead and the continuation bytes that fit it. */
function invalidSubpartLength(bytes: Uint8Array, i: number): number {
  const range = secondByteRange(bytes[i] as number);
  if (range === undefined) return 1;
  const [lo, hi, length] = range;
  let n = 1;
  for (let k = 1; k < length && i + k < bytes.length; k += 1) {
    const b = bytes[i + k] as number;
    const ok = k === 1 ? b >= lo && b <= hi : b >= 0x80 && b <= 0xbf;
    if (!ok) break;
    n += 1;
  }
  return n;
}
