/**
 * Digest of an assessment's inputs: SHA-256 over the canonical JSON of the case, the
 * standing evidence and the dates. Same inputs, same digest, on any machine.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { canonicalJson } from './canonical-json.ts';

export function digestOf(value: unknown): string {
  return `sha256:${bytesToHex(sha256(utf8ToBytes(canonicalJson(value))))}`;
}

const canonicalTexts = new WeakMap<object, Uint8Array>();

/** The canonical JSON bytes of an immutable value, serialised once per object. */
function canonicalBytesOf(value: object): Uint8Array {
  let b = canonicalTexts.get(value);
  if (b === undefined) {
    b = utf8ToBytes(canonicalJson(value));
    canonicalTexts.set(value, b);
  }
  return b;
}

/**
 * The digest of a header and a list of immutable entries (evidence): SHA-256 over the
 * canonical JSON of the header, then of each entry in order, each preceded by its length.
 * Entries are serialised once per object, so repeated assessments of one ledger
 * (history, briefs) do not re-serialise them.
 */
export function digestOfEntries(header: unknown, entries: readonly object[]): string {
  const parts: Uint8Array[] = [];
  const push = (b: Uint8Array) => {
    parts.push(utf8ToBytes(`${b.length}:`), b);
  };
  push(utf8ToBytes(canonicalJson(header)));
  for (const e of entries) push(canonicalBytesOf(e));
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
