/**
 * Digest of an assessment's inputs: SHA-256 over the canonical JSON of the case, the
 * standing evidence and the dates. Same inputs, same digest, on any machine.
 *
 * The bytes hashed by `digestOfEntries` are fixed (digests are stored and compared): the
 * header's canonical JSON, then each entry's canonical JSON, each part preceded by its
 * UTF-8 byte length and a colon. How they are produced (one text per entry, encoded in
 * large chunks, hashed incrementally) is free.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { canonicalJson } from './canonical-json.ts';
import type { Evidence } from './evidence.ts';
import { wasmSha256 } from './sha256-kernel.ts';

export function digestOf(value: unknown): string {
  return `sha256:${bytesToHex(sha256(utf8ToBytes(canonicalJson(value))))}`;
}

const NON_ASCII = /[\u0080-\uffff]/;

/** The number of bytes of `s` in UTF-8 (as `TextEncoder` writes it: a lone surrogate becomes U+FFFD, 3 bytes). */
function utf8Length(s: string): number {
  if (!NON_ASCII.test(s)) return s.length;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i += 1;
    } else n += 3;
  }
  return n;
}

/** `<byte length>:` followed by the text, so concatenated parts cannot be confused. */
function withLengthPrefix(text: string): string {
  return `${utf8Length(text)}:${text}`;
}

const canonicalTexts = new WeakMap<object, string>();

/**
 * The canonical JSON of an evidence entry: an array of its fields in a fixed order
 * (absent optional fields as null), so key order never matters and no sorted copy is
 * built. Kept per object when `keep` (entries are never edited).
 */
function canonicalTextOf(e: Evidence, keep: boolean): string {
  let text = canonicalTexts.get(e);
  if (text === undefined) {
    text = JSON.stringify([
      e.id,
      e.kind,
      e.actors,
      e.description,
      e.occurred,
      e.occurredTo,
      e.reported,
      e.recorded,
      e.sources.map((x) => [x.publisher, x.title, x.date, x.url ?? null, x.reliability, x.credibility, x.origin ?? null]),
      e.amount ?? null,
      e.currency ?? null,
      e.quantity === undefined ? null : [e.quantity.value, e.quantity.of ?? null, e.quantity.unit ?? null],
      e.tags,
      e.supersedes ?? null,
      e.retracted ?? null,
      e.note ?? null,
    ]);
    if (keep) canonicalTexts.set(e, text);
  }
  return text;
}

/**
 * SHA-256 as the digests use it: a fresh hash that takes bytes in parts and gives the
 * 32-byte digest. The core's own is pure (sha256-kernel.ts, or @noble/hashes); an entry point may
 * pass its platform's native SHA-256 (in Node, `() => createHash('sha256')`), which gives
 * the same digests faster.
 */
export type Sha256 = () => { update(bytes: Uint8Array): unknown; digest(): Uint8Array };

type Hash = ReturnType<Sha256>;

/** The core's own: the WebAssembly kernel where WebAssembly runs (the same digests, faster), else @noble/hashes. */
let ownSha256: Sha256 | undefined;
const defaultSha256: Sha256 = () => {
  ownSha256 ??= wasmSha256() ?? sha256.create;
  return ownSha256();
};

/** Bytes gathered before a chunk is hashed: large enough that per-chunk costs vanish. */
const CHUNK_BYTES = 1 << 19;
const encoder = new TextEncoder();
/** Encoding buffer, reused: each chunk is hashed before the next is written. */
let encoded = new Uint8Array(2 * CHUNK_BYTES);

/** Room for `text` in UTF-8 (at most 3 bytes per UTF-16 code unit) and its length prefix. */
function roomFor(text: string): number {
  return 3 * text.length + 24;
}

/** The UTF-8 bytes of `text`, in the shared buffer (valid until it is next written). */
function encode(text: string): Uint8Array {
  if (encoded.length < roomFor(text)) encoded = new Uint8Array(roomFor(text));
  return encoded.subarray(0, encoder.encodeInto(text, encoded).written);
}

function decimalDigits(n: number): number {
  let digits = 1;
  for (let x = n; x >= 10; x = Math.floor(x / 10)) digits += 1;
  return digits;
}

/**
 * Writes `<byte length>:` and the UTF-8 bytes of `text` into the shared buffer at `at`
 * (with room for them); returns where they end. The text is encoded in place, after room
 * for the prefix its length in characters would take (the byte length is rarely longer),
 * so no byte length is computed beforehand and no prefixed copy of the text is made.
 */
function writePrefixed(text: string, at: number): number {
  const guess = decimalDigits(text.length) + 1;
  const written = encoder.encodeInto(text, encoded.subarray(at + guess)).written;
  const prefix = `${written}:`;
  if (prefix.length !== guess) encoded.copyWithin(at + prefix.length, at + guess, at + guess + written);
  for (let k = 0; k < prefix.length; k++) encoded[at + k] = prefix.charCodeAt(k);
  return at + prefix.length + written;
}

/**
 * Hashes the length-prefixed canonical texts of `entries`, in order, into `all`, and
 * those of the entries `inSubset` holds for into `subset`. The texts are encoded straight
 * into a chunk buffer; `subset` is given the byte ranges of its entries.
 */
function hashEntries(
  entries: readonly Evidence[],
  keep: boolean,
  all: Hash,
  subset?: { readonly hash: Hash; readonly inSubset: (e: Evidence) => boolean },
): void {
  let at = 0;
  /** [start, end) byte ranges of the chunk that go to `subset`, adjacent ones merged. */
  let ranges: number[] = [];
  const flush = () => {
    const chunk = encoded.subarray(0, at);
    all.update(chunk);
    for (let r = 0; r < ranges.length; r += 2) subset?.hash.update(chunk.subarray(ranges[r], ranges[r + 1]));
    at = 0;
    ranges = [];
  };
  // Index loops: a one-off pass over every entry runs unoptimised at first, where `for…of` allocates.
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i] as Evidence;
    const text = canonicalTextOf(e, keep);
    if (at + roomFor(text) > encoded.length) {
      flush();
      if (roomFor(text) > encoded.length) encoded = new Uint8Array(roomFor(text));
    }
    const start = at;
    at = writePrefixed(text, at);
    if (subset?.inSubset(e) === true) {
      if (ranges.length > 0 && ranges[ranges.length - 1] === start) ranges[ranges.length - 1] = at;
      else ranges.push(start, at);
    }
    if (at >= CHUNK_BYTES) flush();
  }
  flush();
}

function started(sha: Sha256, header: unknown): Hash {
  const hash = sha();
  hash.update(encode(withLengthPrefix(canonicalJson(header))));
  return hash;
}

function hexOf(hash: Hash): string {
  return `sha256:${bytesToHex(hash.digest())}`;
}

/**
 * The digest of a header and a list of evidence entries: SHA-256 over the canonical JSON
 * of the header, then the canonical JSON of each entry in order, each preceded by its
 * byte length.
 * With `keep`, each entry's text is kept with the object, so repeated digests of one
 * ledger (a live assessment, a history) do not re-serialise them; without it, texts
 * already kept are used but none is added (keeping one costs a weak-map entry per object,
 * more than making the text: worth it only for objects digested again). The texts are
 * encoded a chunk at a time and hashed incrementally, with no per-entry byte arrays.
 */
export function digestOfEntries(header: unknown, entries: readonly Evidence[], sha: Sha256 = defaultSha256, keep = true): string {
  const hash = started(sha, header);
  hashEntries(entries, keep, hash);
  return hexOf(hash);
}

/**
 * Two digests in one pass, as `digestOfEntries` gives them: of `header` and `entries`, and
 * of `subsetHeader` and the entries for which `inSubset` holds (in the same order).
 * Texts already made are used, but the ones made here are not kept: one pass needs each
 * once, and keeping them (a weak map entry per object) costs about half as much again as
 * making them — worth it only for objects digested repeatedly, as `digestOfEntries` does.
 */
export function digestsOfEntriesAndSubset(
  header: unknown,
  entries: readonly Evidence[],
  subsetHeader: unknown,
  inSubset: (e: Evidence) => boolean,
  sha: Sha256 = defaultSha256,
): { readonly all: string; readonly subset: string } {
  const all = started(sha, header);
  const subset = started(sha, subsetHeader);
  hashEntries(entries, false, all, { hash: subset, inSubset });
  return { all: hexOf(all), subset: hexOf(subset) };
}
