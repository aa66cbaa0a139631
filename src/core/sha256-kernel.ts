/**
 * SHA-256 (FIPS 180-4) with its compression function in a small WebAssembly module,
 * assembled here (no build step, no binary file): the digest of an assessment hashes some
 * 25 MB for a ledger of 100,000 entries, and the pure-JavaScript SHA-256 (@noble/hashes)
 * runs at about a third of the speed of the same rounds in WebAssembly.
 *
 * The module exports `compress(state, data, blocks)`: the eight 32-bit words of the state
 * at `state` (native order), updated in place by the `blocks` 64-byte blocks at `data`.
 * Rounds are unrolled, with the working variables renamed from round to round instead of
 * moved, and the message schedule kept in sixteen locals. Padding, lengths and output are
 * done in JavaScript. The digests are the standard ones (tested against Node's).
 *
 * Pure: no I/O, no clock. {@link wasmSha256} returns null where WebAssembly is unavailable
 * (e.g. `node --jitless`); the digest then uses @noble/hashes.
 */
import { name, section, signedLeb, unsignedLeb, vector } from './wasm-encoding.ts';

/** Round constants: the first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
const K = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
  0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
  0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
  0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
  0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
] as const;

/** The initial state: the first 32 bits of the fractional parts of the square roots of the first 8 primes. */
const INITIAL = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19] as const;

const OP = {
  block: 0x02,
  loop: 0x03,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  get: 0x20,
  set: 0x21,
  tee: 0x22,
  load: 0x28,
  store: 0x36,
  const: 0x41,
  eqz: 0x45,
  add: 0x6a,
  sub: 0x6b,
  and: 0x71,
  or: 0x72,
  xor: 0x73,
  shrU: 0x76,
  rotl: 0x77,
  rotr: 0x78,
} as const;
const I32 = 0x7f;

/** Locals of `compress`: its three parameters, then the state, the working variables, the schedule and a temporary. */
const P_STATE = 0;
const P_DATA = 1;
const P_BLOCKS = 2;
const S0 = 3; // s0..s7: 3..10
const V0 = 11; // a..h: 11..18
const W0 = 19; // w0..w15: 19..34
const T1 = 35;
const LOCALS = T1 + 1 - 3;

/** The body of `compress`. */
function compressBody(): number[] {
  const c: number[] = [];
  const get = (l: number) => c.push(OP.get, ...unsignedLeb(l));
  const set = (l: number) => c.push(OP.set, ...unsignedLeb(l));
  const tee = (l: number) => c.push(OP.tee, ...unsignedLeb(l));
  const k = (v: number) => c.push(OP.const, ...signedLeb(v));
  const op = (o: number) => c.push(o);
  const load = (offset: number) => c.push(OP.load, 2, ...unsignedLeb(offset));
  const store = (offset: number) => c.push(OP.store, 2, ...unsignedLeb(offset));
  /** x rotated right by n, XORed for each n: pushes rotr(x, n0) ^ rotr(x, n1) ^ … */
  const rotrs = (x: number, ns: readonly number[]) => {
    ns.forEach((n, i) => {
      get(x);
      k(n);
      op(OP.rotr);
      if (i > 0) op(OP.xor);
    });
  };

  // The state into s0..s7.
  for (let i = 0; i < 8; i++) {
    get(P_STATE);
    load(4 * i);
    set(S0 + i);
  }
  c.push(OP.block, 0x40, OP.loop, 0x40);
  get(P_BLOCKS);
  op(OP.eqz);
  c.push(OP.brIf, 1);
  // Working variables from the state.
  for (let i = 0; i < 8; i++) {
    get(S0 + i);
    set(V0 + i);
  }
  // The sixteen message words, big-endian: bswap(x) = rotl(x & 0xff00ff00, 8) | rotr(x & 0x00ff00ff, 8).
  for (let i = 0; i < 16; i++) {
    get(P_DATA);
    load(4 * i);
    tee(T1);
    k(0xff00ff00);
    op(OP.and);
    k(8);
    op(OP.rotl);
    get(T1);
    k(0x00ff00ff);
    op(OP.and);
    k(8);
    op(OP.rotr);
    op(OP.or);
    set(W0 + i);
  }
  for (let r = 0; r < 64; r++) {
    // The variables' roles at round r: a..h are V0 + (role - r) mod 8.
    const v = (role: number) => V0 + ((((role - r) % 8) + 8) % 8);
    const [a, b, cc, d, e, f, g, h] = [v(0), v(1), v(2), v(3), v(4), v(5), v(6), v(7)];
    const w = W0 + (r & 15);
    // T1 = h + Σ1(e) + Ch(e, f, g) + K[r] + W[r]
    get(h);
    rotrs(e, [6, 11, 25]);
    op(OP.add);
    get(g);
    get(e);
    get(f);
    get(g);
    op(OP.xor);
    op(OP.and);
    op(OP.xor);
    op(OP.add);
    k(K[r] as number);
    op(OP.add);
    if (r < 16) get(w);
    else {
      // W[r] = σ1(W[r-2]) + W[r-7] + σ0(W[r-15]) + W[r-16], in place of W[r-16].
      const w2 = W0 + ((r - 2) & 15);
      const w15 = W0 + ((r - 15) & 15);
      rotrs(w2, [17, 19]);
      get(w2);
      k(10);
      op(OP.shrU);
      op(OP.xor);
      get(W0 + ((r - 7) & 15));
      op(OP.add);
      rotrs(w15, [7, 18]);
      get(w15);
      k(3);
      op(OP.shrU);
      op(OP.xor);
      op(OP.add);
      get(w);
      op(OP.add);
      tee(w);
    }
    op(OP.add);
    set(T1);
    // d += T1
    get(d);
    get(T1);
    op(OP.add);
    set(d);
    // h = T1 + Σ0(a) + Maj(a, b, c), with Maj = (a & b) | (c & (a | b))
    get(T1);
    rotrs(a, [2, 13, 22]);
    op(OP.add);
    get(a);
    get(b);
    op(OP.and);
    get(cc);
    get(a);
    get(b);
    op(OP.or);
    op(OP.and);
    op(OP.or);
    op(OP.add);
    set(h);
  }
  // After 64 rounds the roles are back where they began: the state adds a..h.
  for (let i = 0; i < 8; i++) {
    get(S0 + i);
    get(V0 + i);
    op(OP.add);
    set(S0 + i);
  }
  get(P_DATA);
  k(64);
  op(OP.add);
  set(P_DATA);
  get(P_BLOCKS);
  k(1);
  op(OP.sub);
  set(P_BLOCKS);
  c.push(OP.br, 0, OP.end, OP.end);
  for (let i = 0; i < 8; i++) {
    get(P_STATE);
    get(S0 + i);
    store(4 * i);
  }
  c.push(OP.end);
  return [...vector([[...unsignedLeb(LOCALS), I32]]), ...c];
}

function kernelBytes(): Uint8Array {
  const body = compressBody();
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector([[0x60, ...vector([[I32], [I32], [I32]]), ...vector([])]])),
    ...section(3, vector([unsignedLeb(0)])),
    ...section(5, vector([[0x00, ...unsignedLeb(MEMORY_PAGES)]])),
    ...section(
      7,
      vector([
        [...name('compress'), 0x00, 0],
        [...name('memory'), 0x02, 0],
      ]),
    ),
    ...section(10, vector([[...unsignedLeb(body.length), ...body]])),
  ]);
}

/** Where the state is passed, where the blocks are, and how many bytes of blocks one call takes. */
const STATE_AT = 0;
const DATA_AT = 64;
const SLICE_BYTES = 1 << 18;
const MEMORY_PAGES = Math.ceil((DATA_AT + SLICE_BYTES) / 65536);

/** The subset of the WebAssembly JS API used here (the project's TypeScript libs do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}

interface Kernel {
  readonly bytes: Uint8Array;
  readonly words: Int32Array;
  readonly compress: (state: number, data: number, blocks: number) => void;
}

let cached: Kernel | null | undefined;

function kernel(): Kernel | null {
  if (cached !== undefined) return cached;
  cached = null;
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (api === undefined) return cached;
  try {
    const { exports } = new api.Instance(new api.Module(kernelBytes()));
    const buffer = (exports.memory as { readonly buffer: ArrayBuffer }).buffer;
    cached = {
      bytes: new Uint8Array(buffer),
      words: new Int32Array(buffer),
      compress: exports.compress as Kernel['compress'],
    };
  } catch {
    cached = null;
  }
  return cached;
}

/** One SHA-256 computation: bytes in parts, then the 32-byte digest (once). */
class Sha256Hash {
  private readonly state = Int32Array.from(INITIAL);
  /** Bytes not yet in a whole block. */
  private readonly pending = new Uint8Array(64);
  private pendingLength = 0;
  private length = 0;

  constructor(private readonly k: Kernel) {}

  /** Compresses the `blocks` whole blocks already copied to the kernel's data area. */
  private run(blocks: number): void {
    const words = this.k.words;
    words.set(this.state, STATE_AT / 4);
    this.k.compress(STATE_AT, DATA_AT, blocks);
    this.state.set(words.subarray(STATE_AT / 4, STATE_AT / 4 + 8));
  }

  update(bytes: Uint8Array): this {
    this.length += bytes.length;
    let at = 0;
    if (this.pendingLength > 0) {
      const take = Math.min(64 - this.pendingLength, bytes.length);
      this.pending.set(bytes.subarray(0, take), this.pendingLength);
      this.pendingLength += take;
      at = take;
      if (this.pendingLength < 64) return this;
      this.k.bytes.set(this.pending, DATA_AT);
      this.run(1);
      this.pendingLength = 0;
    }
    while (bytes.length - at >= 64) {
      const n = Math.min(SLICE_BYTES, (bytes.length - at) & ~63);
      this.k.bytes.set(bytes.subarray(at, at + n), DATA_AT);
      this.run(n / 64);
      at += n;
    }
    this.pending.set(bytes.subarray(at), 0);
    this.pendingLength = bytes.length - at;
    return this;
  }

  digest(): Uint8Array {
    // Padding: 0x80, zeros, and the length in bits as a 64-bit big-endian number.
    const tail = new Uint8Array(this.pendingLength < 56 ? 64 : 128);
    tail.set(this.pending.subarray(0, this.pendingLength));
    tail[this.pendingLength] = 0x80;
    const high = Math.floor(this.length / 0x20000000);
    const low = (this.length % 0x20000000) * 8;
    const view = new DataView(tail.buffer);
    view.setUint32(tail.length - 8, high);
    view.setUint32(tail.length - 4, low);
    this.k.bytes.set(tail, DATA_AT);
    this.run(tail.length / 64);
    const out = new Uint8Array(32);
    const outView = new DataView(out.buffer);
    for (let i = 0; i < 8; i++) outView.setUint32(4 * i, (this.state[i] as number) >>> 0);
    return out;
  }
}

/**
 * A fresh SHA-256 over the WebAssembly kernel (compiled once per process), or null when
 * WebAssembly is unavailable.
 */
export function wasmSha256(): (() => { update(bytes: Uint8Array): unknown; digest(): Uint8Array }) | null {
  const k = kernel();
  return k === null ? null : () => new Sha256Hash(k);
}
