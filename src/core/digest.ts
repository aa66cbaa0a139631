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

const entryDigests = new WeakMap<object, string>();

/**
 * The digest of one immutable value (an evidence entry), computed once per object: a
 * digest over many entries hashes their digests, so repeated assessments of one ledger
 * (history, briefs) do not re-serialise every entry.
 */
export function digestOfEntry(value: object): string {
  let d = entryDigests.get(value);
  if (d === undefined) {
    d = digestOf(value);
    entryDigests.set(value, d);
  }
  return d;
}
