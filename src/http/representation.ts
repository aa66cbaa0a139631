/**
 * Answers computed once and served many times: the bytes of a response with a strong ETag,
 * compressed on demand per content coding, and a bounded cache of them.
 *
 * Contracts:
 * - A `Representation` is immutable bytes of one media type. Its ETag is strong: a hash of
 *   the bytes, so equal ETags mean equal bytes. Each content coding is its own
 *   representation with its own ETag (the identity ETag with `-gzip` or `-br` before the
 *   closing quote), computed the first time a client accepts it, in libuv's thread pool
 *   (node:zlib's asynchronous calls), never on the event loop, and kept.
 * - `answerRepresentation` negotiates the coding from `Accept-Encoding` (q-values honoured;
 *   `br` preferred to `gzip` at equal weight; identity when neither is acceptable or the body
 *   is under `COMPRESS_MIN_BYTES`), answers 304 with no body when `If-None-Match` names the
 *   chosen representation's ETag (or is `*`), and always says `Vary: Accept-Encoding` and
 *   `Cache-Control: private, no-cache` (a browser may keep the answer, but must ask again,
 *   with its ETag, before using it; shared caches must not keep it).
 * - `RepresentationCache` keeps representations by key, least recently used first out,
 *   within a byte budget (each counted at twice its identity size, room for its compressed
 *   forms); concurrent requests for a missing key share one computation.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, gzip, constants as zlibConstants } from 'node:zlib';
import type { Context } from 'hono';

export const CONTENT_CODINGS = ['br', 'gzip'] as const;
export type ContentCoding = (typeof CONTENT_CODINGS)[number];

/** Bodies smaller than this are answered uncompressed (a compressed tiny body saves nothing). */
export const COMPRESS_MIN_BYTES = 1024;

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** A strong entity tag of `body`: 27 characters of its SHA-256 (162 bits), quoted. */
export function strongEtag(body: Uint8Array): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

function codedEtag(etag: string, coding: ContentCoding): string {
  return `${etag.slice(0, -1)}-${coding}"`;
}

async function compress(body: Uint8Array, coding: ContentCoding): Promise<Buffer> {
  if (coding === 'gzip') return gzipAsync(body, { level: 6 });
  return brotliAsync(body, {
    params: {
      [zlibConstants.BROTLI_PARAM_QUALITY]: 9,
      [zlibConstants.BROTLI_PARAM_SIZE_HINT]: body.byteLength,
      [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT,
    },
  });
}

export interface Variant {
  readonly body: Uint8Array;
  readonly etag: string;
  /** Undefined: identity. */
  readonly coding?: ContentCoding;
}

export class Representation {
  readonly body: Uint8Array;
  readonly type: string;
  readonly etag: string;
  readonly #coded = new Map<ContentCoding, Promise<Variant>>();

  constructor(body: Uint8Array, type: string, etag: string = strongEtag(body)) {
    this.body = body;
    this.type = type;
    this.etag = etag;
  }

  /** The representation in `coding`; identity when compressing would not make it smaller. */
  variant(coding: ContentCoding | undefined): Promise<Variant> | Variant {
    if (coding === undefined || this.body.byteLength < COMPRESS_MIN_BYTES) return { body: this.body, etag: this.etag };
    let coded = this.#coded.get(coding);
    if (coded === undefined) {
      coded = compress(this.body, coding).then((bytes) =>
        bytes.byteLength < this.body.byteLength
          ? { body: bytes, etag: codedEtag(this.etag, coding), coding }
          : { body: this.body, etag: this.etag },
      );
      this.#coded.set(coding, coded);
      // A failed compression is retried by the next request that asks for it.
      coded.catch(() => this.#coded.delete(coding));
    }
    return coded;
  }
}

/**
 * The content coding to answer with, from an `Accept-Encoding` value: the acceptable coding
 * (q > 0, named or through `*`) with the highest weight, `br` before `gzip` on a tie;
 * undefined (identity) when neither is acceptable or the header is absent.
 */
export function negotiateEncoding(header: string | undefined): ContentCoding | undefined {
  if (header === undefined || header === '') return undefined;
  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.split(';');
    const coding = name.trim().toLowerCase();
    if (coding === '') continue;
    let q = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(p);
      if (m !== null) q = Number(m[1]);
    }
    weights.set(coding, q);
  }
  let best: ContentCoding | undefined;
  let bestQ = 0;
  for (const coding of CONTENT_CODINGS) {
    const q = weights.get(coding) ?? weights.get('*') ?? 0;
    if (q > bestQ) {
      best = coding;
      bestQ = q;
    }
  }
  return best;
}

/** Whether an `If-None-Match` value names `etag` (weak comparison, as RFC 9110 §13.1.2 says), or is `*`. */
export function noneMatchHits(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const opaque = etag.startsWith('W/') ? etag.slice(2) : etag;
  for (const raw of header.split(',')) {
    const tag = raw.trim();
    if ((tag.startsWith('W/') ? tag.slice(2) : tag) === opaque) return true;
  }
  return false;
}

/** The headers of every answer of a representation, besides its ETag and media type. */
export const REPRESENTATION_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  Vary: 'Accept-Encoding',
  'Cache-Control': 'private, no-cache',
});

/** Answers `rep` as the request negotiates: its coding, or 304 when the client holds it. */
export async function answerRepresentation(c: Context, rep: Representation): Promise<Response> {
  const chosen = await rep.variant(negotiateEncoding(c.req.header('accept-encoding')));
  const headers: Record<string, string> = { ...REPRESENTATION_HEADERS, ETag: chosen.etag };
  if (noneMatchHits(c.req.header('if-none-match'), chosen.etag)) return c.body(null, 304, headers);
  headers['Content-Type'] = rep.type;
  if (chosen.coding !== undefined) headers['Content-Encoding'] = chosen.coding;
  return c.body(chosen.body as Uint8Array<ArrayBuffer>, 200, headers);
}

/** Representations by key within a byte budget; one computation per missing key at a time. */
export class RepresentationCache {
  readonly #maxBytes: number;
  readonly #held = new Map<string, Representation>();
  readonly #making = new Map<string, Promise<Representation>>();
  #bytes = 0;

  constructor(maxBytes: number) {
    if (!(maxBytes >= 0)) throw new Error(`RepresentationCache: maxBytes must be ≥ 0, got ${maxBytes}`);
    this.#maxBytes = maxBytes;
  }

  /** Bytes counted against the budget now. */
  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#held.size;
  }

  /** The representation held for `key` (now the most recently used), or undefined. */
  peek(key: string): Representation | undefined {
    const hit = this.#held.get(key);
    if (hit !== undefined) {
      this.#held.delete(key);
      this.#held.set(key, hit);
    }
    return hit;
  }

  /** The representation for `key`: held, being made, or made now by `make` and kept. */
  get(key: string, make: () => Promise<Representation>): Promise<Representation> {
    const hit = this.peek(key);
    if (hit !== undefined) return Promise.resolve(hit);
    const making = this.#making.get(key);
    if (making !== undefined) return making;
    const made = make().then(
      (rep) => {
        this.#making.delete(key);
        this.#keep(key, rep);
        return rep;
      },
      (err: unknown) => {
        this.#making.delete(key);
        throw err;
      },
    );
    this.#making.set(key, made);
    return made;
  }

  #keep(key: string, rep: Representation): void {
    const cost = 2 * rep.body.byteLength;
    if (cost > this.#maxBytes) return;
    const old = this.#held.get(key);
    if (old !== undefined) {
      this.#held.delete(key);
      this.#bytes -= 2 * old.body.byteLength;
    }
    this.#held.set(key, rep);
    this.#bytes += cost;
    for (const [k, r] of this.#held) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#held.delete(k);
      this.#bytes -= 2 * r.body.byteLength;
    }
  }
}
