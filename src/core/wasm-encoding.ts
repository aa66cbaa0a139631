/**
 * The bytes of a WebAssembly binary module that the core's hand-assembled kernels share
 * (sha256-kernel.ts, convergence/dyad-kernel.ts): LEB128 numbers, vectors, sections, names.
 * Pure.
 */

/** Unsigned LEB128 of a 32-bit value. */
export function unsignedLeb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/**
 * Signed LEB128 of a 64-bit value, or of a number read as a signed 32-bit one (as
 * `i32.const` takes it); an i32 constant encodes the same sign-extended either way.
 */
export function signedLeb(value: number | bigint): number[] {
  const out: number[] = [];
  let v = BigInt.asIntN(64, typeof value === 'number' ? BigInt(value | 0) : value);
  for (;;) {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    if ((v === 0n && (byte & 0x40) === 0) || (v === -1n && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/** A vector: its length, then its items. */
export const vector = (items: readonly (readonly number[])[]): number[] => [...unsignedLeb(items.length), ...items.flat()];
/** A section: its id, its size, then its body. */
export const section = (id: number, body: readonly number[]): number[] => [id, ...unsignedLeb(body.length), ...body];
/** A name (ASCII). */
export const name = (text: string): number[] => vector([...text].map((ch) => [ch.charCodeAt(0)]));
