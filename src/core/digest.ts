/**
 * Digest of an assessment's inputs: SHA-256 over the canonical JSON of the case, the
 * standing evidence and the dates. Same inputs, same digest, on any machine.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { canonicalJson } from './canonical-json.ts';
import type { Evidence } from './evidence.ts';

export function digestOf(value: unknown): string {
  return `sha256:${bytesToHex(sha256(utf8ToBytes(canonicalJson(value))))}`;
}

const canonicalTexts = new WeakMap<object, Uint8Array>();

/** `<byte length>:` followed by the bytes, so concatenated parts cannot be confused. */
function withLengthPrefix(bytes: Uint8Array): Uint8Array {
  const prefix = utf8ToBytes(`${bytes.length}:`);
  const out = new Uint8Array(prefix.length + bytes.length);
  out.set(prefix, 0);
  out.set(bytes, prefix.length);
  return out;
}

/**
 * The canonical bytes of an evidence entry: a JSON array of its fields in a fixed order
 * (absent optional fields as null), so key order never matters and no sorted copy is
 * built. Serialised once per object.
 */
function canonicalBytesOf(e: Evidence): Uint8Array {
  let b = canonicalTexts.get(e);
  if (b === undefined) {
    const json = utf8ToBytes(
      JSON.stringify([
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
      ]),
    );
    b = withLengthPrefix(json);
    canonicalTexts.set(e, b);
  }
  return b;
}

/**
 * The digest of a header and a list of evidence entries: SHA-256 over the canonical JSON
 * of the header, then the canonical bytes of each entry in order, each preceded by its
 * length.
 * Entries are serialised once per object, so repeated assessments of one ledger
 * (history, briefs) do not re-serialise them.
 */
export function digestOfEntries(header: unknown, entries: readonly Evidence[]): string {
  const parts: Uint8Array[] = [withLengthPrefix(utf8ToBytes(canonicalJson(header)))];
  for (const e of entries) parts.push(canonicalBytesOf(e));
  let total = 0;
  for (const p of parts) total += p.length;
  // One contiguous buffer hashes much faster than many small updates.
  const all = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return `sha256:${bytesToHex(sha256(all))}`;
}
