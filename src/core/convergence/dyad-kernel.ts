/**
 * The all-dyads counting kernel as a small WebAssembly module, assembled here from the
 * listings below (no build step, no binary file): JavaScript has no popcount instruction —
 * the SWAR popcount of all-dyads.ts costs about twelve operations per 32 roll calls —
 * while WebAssembly's `i64.popcnt` is one machine instruction for 64 roll calls.
 *
 * The functions share one linear memory:
 * - `pack(countries, rollCalls, votes, masks, words) → i32`: reads the vote codes
 *   (`votes[c·rollCalls + r]`, one byte each, 0 absent, 1 yes, 2 abstain, 3 no), eight at a
 *   time, and writes, for country c and 64-bit word w, the four masks voted / yes / abstain /
 *   no at `masks + (c·words + w)·32` (bit r & 63 of word r >>> 6 = roll call r). Returns the
 *   index of the first code above 3, or −1. The votes must be followed by at least 7
 *   readable bytes (eight-byte loads; the bytes past a row's end are masked off).
 * - `count1`, `count2`, `count3` (one, two or three words a country: up to 192 roll calls,
 *   row i's masks held in locals) and `count` (any number of words, `words` a parameter),
 *   all `(i0, i1, countries, [words,] masks, out)`: for the rows i0 ≤ i < i1 and every
 *   j > i, in pair order, write the seven tallies of a DyadCountsTable as u32 — field f of
 *   the block's k-th pair at `out + f·FIELD_BYTES + 4k` — each the popcount of the same
 *   AND/OR expression as countAllDyadsBitParallel, 64 roll calls per `i64.popcnt`.
 *
 * Pure: no I/O, no clock. {@link dyadKernel} returns null where WebAssembly is unavailable
 * (e.g. `node --jitless`); callers then use the JavaScript bit-parallel path.
 */
import { name, section, signedLeb, unsignedLeb, vector } from '../wasm-encoding.ts';

/** Most pairs one count call writes; field f of its output starts `f · FIELD_BYTES` after the block. */
export const KERNEL_BLOCK_PAIRS = 1 << 15;
const FIELD_BYTES = 4 * KERNEL_BLOCK_PAIRS;
/** Bytes of one count call's output block (seven u32 fields). */
export const KERNEL_BLOCK_BYTES = 7 * FIELD_BYTES;

/** What the listings are written with: the WebAssembly text-format name, its opcode and immediate. */
const OPS: Readonly<Record<string, readonly [number, ('block' | 'depth' | 'local' | 'i32' | 'i64' | 'memory')?, number?]>> = {
  block: [0x02, 'block'],
  loop: [0x03, 'block'],
  if: [0x04, 'block'],
  end: [0x0b],
  br: [0x0c, 'depth'],
  br_if: [0x0d, 'depth'],
  return: [0x0f],
  select: [0x1b],
  'local.get': [0x20, 'local'],
  'local.set': [0x21, 'local'],
  'local.tee': [0x22, 'local'],
  'i64.load': [0x29, 'memory', 3],
  'i32.store': [0x36, 'memory', 2],
  'i64.store': [0x37, 'memory', 3],
  'i32.const': [0x41, 'i32'],
  'i64.const': [0x42, 'i64'],
  'i32.lt_u': [0x49],
  'i32.ge_u': [0x4f],
  'i64.ne': [0x52],
  'i32.add': [0x6a],
  'i32.sub': [0x6b],
  'i32.mul': [0x6c],
  'i32.shl': [0x74],
  'i32.shr_u': [0x76],
  'i64.ctz': [0x7a],
  'i64.popcnt': [0x7b],
  'i64.add': [0x7c],
  'i64.sub': [0x7d],
  'i64.mul': [0x7e],
  'i64.and': [0x83],
  'i64.or': [0x84],
  'i64.xor': [0x85],
  'i64.shl': [0x86],
  'i64.shr_u': [0x88],
  'i32.wrap_i64': [0xa7],
  'i64.extend_i32_u': [0xad],
};

const I32 = 0x7f;
const I64 = 0x7e;

interface FunctionSource {
  readonly name: string;
  /** all i32 */
  readonly params: readonly string[];
  /** an i32 result */
  readonly result: boolean;
  readonly i32: readonly string[];
  readonly i64: readonly string[];
  /** flat WebAssembly text: one instruction after another, `$name` for locals, `;;` comments */
  readonly code: string;
}

/** Encodes one function body from its flat text listing. */
function assembleBody(f: FunctionSource): number[] {
  const locals = [...f.params, ...f.i32, ...f.i64];
  const tokens = f.code
    .replace(/;;[^\n]*/g, '')
    .split(/\s+/)
    .filter((t) => t !== '');
  const out: number[] = vector([
    [...unsignedLeb(f.i32.length), I32],
    [...unsignedLeb(f.i64.length), I64],
  ]);
  for (let at = 0; at < tokens.length; at++) {
    const token = tokens[at] as string;
    const op = OPS[token];
    if (op === undefined) throw new Error(`dyad kernel ${f.name}: unknown instruction ${token}`);
    const [code, immediate, align] = op;
    out.push(code);
    if (immediate === undefined) continue;
    if (immediate === 'block') {
      out.push(0x40);
      continue;
    }
    if (immediate === 'memory') {
      const next = tokens[at + 1];
      let offset = 0;
      if (next?.startsWith('offset=')) {
        offset = Number(next.slice('offset='.length));
        at++;
      }
      out.push(align as number, ...unsignedLeb(offset));
      continue;
    }
    const arg = tokens[++at];
    if (arg === undefined) throw new Error(`dyad kernel ${f.name}: ${token} needs an argument`);
    if (immediate === 'local') {
      const index = locals.indexOf(arg.slice(1));
      if (!arg.startsWith('$') || index < 0) throw new Error(`dyad kernel ${f.name}: unknown local ${arg}`);
      out.push(...unsignedLeb(index));
    } else if (immediate === 'depth') {
      out.push(...unsignedLeb(Number(arg)));
    } else {
      const value = BigInt(arg);
      out.push(...signedLeb(immediate === 'i32' ? BigInt.asIntN(32, value) : value));
    }
  }
  out.push(0x0b);
  return out;
}

/** Eight vote bytes → eight bits: the low bit of byte k, times this, lands in bit 56 + k. */
const GATHER = '0x0102040810204080';
const LOW_BITS = '0x0101010101010101';
const HIGH_SIX = '0xfcfcfcfcfcfcfcfc';

const PACK: FunctionSource = {
  name: 'pack',
  params: ['n', 'r', 'votes', 'masks', 'words'],
  result: true,
  i32: ['c', 'w', 'g', 'rr', 'row', 'dst'],
  i64: ['x', 'lo', 'hi', 'y', 'a', 'no'],
  code: `
    local.get $masks  local.set $dst
    block
      loop                                        ;; each country c
        local.get $c  local.get $n  i32.ge_u  br_if 1
        local.get $c  local.get $r  i32.mul  local.get $votes  i32.add  local.set $row
        i32.const 0  local.set $w
        i32.const 0  local.set $rr
        block
          loop                                    ;; each 64-bit word w
            local.get $w  local.get $words  i32.ge_u  br_if 1
            i64.const 0  local.set $y
            i64.const 0  local.set $a
            i64.const 0  local.set $no
            i32.const 0  local.set $g
            block
              loop                                ;; each group of eight roll calls rr..rr+7 of word w
                local.get $g  i32.const 8  i32.ge_u  br_if 1
                local.get $rr  local.get $r  i32.ge_u  br_if 1
                ;; x = the eight codes, the bytes past the row's end cleared
                local.get $row  local.get $rr  i32.add  i64.load
                i64.const -1
                i64.const 1  local.get $r  local.get $rr  i32.sub  i32.const 3  i32.shl  i64.extend_i32_u  i64.shl
                i64.const 1  i64.sub
                local.get $r  local.get $rr  i32.sub  i32.const 8  i32.ge_u
                select
                i64.and  local.set $x
                ;; a code above 3: return its index
                local.get $x  i64.const ${HIGH_SIX}  i64.and  i64.const 0  i64.ne
                if
                  local.get $row  local.get $votes  i32.sub  local.get $rr  i32.add
                  local.get $x  i64.const ${HIGH_SIX}  i64.and  i64.ctz  i32.wrap_i64  i32.const 3  i32.shr_u
                  i32.add  return
                end
                local.get $x  i64.const ${LOW_BITS}  i64.and  local.set $lo
                local.get $x  i64.const 1  i64.shr_u  i64.const ${LOW_BITS}  i64.and  local.set $hi
                ;; yes = 1 (low bit only), abstain = 2 (high bit only), no = 3 (both)
                local.get $y
                local.get $lo  local.get $hi  i64.const ${LOW_BITS}  i64.xor  i64.and
                i64.const ${GATHER}  i64.mul  i64.const 56  i64.shr_u  local.get $rr  i64.extend_i32_u  i64.shl
                i64.or  local.set $y
                local.get $a
                local.get $hi  local.get $lo  i64.const ${LOW_BITS}  i64.xor  i64.and
                i64.const ${GATHER}  i64.mul  i64.const 56  i64.shr_u  local.get $rr  i64.extend_i32_u  i64.shl
                i64.or  local.set $a
                local.get $no
                local.get $lo  local.get $hi  i64.and
                i64.const ${GATHER}  i64.mul  i64.const 56  i64.shr_u  local.get $rr  i64.extend_i32_u  i64.shl
                i64.or  local.set $no
                local.get $rr  i32.const 8  i32.add  local.set $rr
                local.get $g  i32.const 1  i32.add  local.set $g
                br 0
              end
            end
            local.get $dst  local.get $y  local.get $a  i64.or  local.get $no  i64.or  i64.store
            local.get $dst  local.get $y  i64.store offset=8
            local.get $dst  local.get $a  i64.store offset=16
            local.get $dst  local.get $no  i64.store offset=24
            local.get $dst  i32.const 32  i32.add  local.set $dst
            local.get $w  i32.const 1  i32.add  local.set $w
            br 0
          end
        end
        local.get $c  i32.const 1  i32.add  local.set $c
        br 0
      end
    end
    i32.const -1`,
};

/**
 * The seven tallies of one pair as listing text, given how to read word w of row i's and
 * row j's masks (plane 0 voted, 1 yes, 2 abstain, 3 no) — each field summed over the words
 * and stored at `$q + f·FIELD_BYTES`.
 */
function pairTallies(words: number, i: (w: number, plane: number) => string, j: (w: number, plane: number) => string): string {
  const field = (f: number, comment: string, term: (w: number) => string) =>
    [
      `;; ${comment}`,
      'local.get $q',
      ...Array.from({ length: words }, (_, w) => `${term(w)}  i64.popcnt${w > 0 ? '  i64.add' : ''}`),
      `i32.wrap_i64  i32.store offset=${f * FIELD_BYTES}`,
    ].join('\n');
  return [
    field(0, 'n: both voted', (w) => `${i(w, 0)}  ${j(w, 0)}  i64.and`),
    field(
      1,
      'same: yes-yes, abstain-abstain, no-no',
      (w) => `${i(w, 1)}  ${j(w, 1)}  i64.and  ${i(w, 2)}  ${j(w, 2)}  i64.and  i64.or  ${i(w, 3)}  ${j(w, 3)}  i64.and  i64.or`,
    ),
    field(2, 'opposite: yes against no', (w) => `${i(w, 1)}  ${j(w, 3)}  i64.and  ${i(w, 3)}  ${j(w, 1)}  i64.and  i64.or`),
    field(3, "a's yes where both voted", (w) => `${i(w, 1)}  ${j(w, 0)}  i64.and`),
    field(4, "a's abstentions where both voted", (w) => `${i(w, 2)}  ${j(w, 0)}  i64.and`),
    field(5, "b's yes where both voted", (w) => `${i(w, 0)}  ${j(w, 1)}  i64.and`),
    field(6, "b's abstentions where both voted", (w) => `${i(w, 0)}  ${j(w, 2)}  i64.and`),
  ].join('\n');
}

const PLANES = ['v', 'y', 'a', 'n'] as const;

/** Rows of `words` words (1–3): row i's 4·words masks read once into locals, row j's read from memory. */
function countUnrolled(words: number): FunctionSource {
  const stride = words * 32;
  const local = (w: number, plane: number) => `${PLANES[plane]}i${w}`;
  const all = Array.from({ length: words }, (_, w) => PLANES.map((_, plane) => local(w, plane))).flat();
  return {
    name: `count${words}`,
    params: ['i0', 'i1', 'n', 'masks', 'out'],
    result: false,
    i32: ['i', 'j', 'pi', 'pj', 'q'],
    i64: all,
    code: `
    local.get $i0  local.set $i
    local.get $i0  i32.const ${stride}  i32.mul  local.get $masks  i32.add  local.set $pi
    local.get $out  local.set $q
    block
      loop                                        ;; each row i0 <= i < i1
        local.get $i  local.get $i1  i32.ge_u  br_if 1
        ${all.map((l, k) => `local.get $pi  i64.load offset=${k * 8}  local.set $${l}`).join('\n')}
        local.get $i  i32.const 1  i32.add  local.set $j
        local.get $pi  i32.const ${stride}  i32.add  local.set $pj
        block
          loop                                    ;; each j > i
            local.get $j  local.get $n  i32.ge_u  br_if 1
            ${pairTallies(
              words,
              (w, plane) => `local.get $${local(w, plane)}`,
              (w, plane) => `local.get $pj  i64.load offset=${w * 32 + plane * 8}`,
            )}
            local.get $q  i32.const 4  i32.add  local.set $q
            local.get $j  i32.const 1  i32.add  local.set $j
            local.get $pj  i32.const ${stride}  i32.add  local.set $pj
            br 0
          end
        end
        local.get $i  i32.const 1  i32.add  local.set $i
        local.get $pi  i32.const ${stride}  i32.add  local.set $pi
        br 0
      end
    end`,
  };
}

/** Rows of any number of words: a loop over the words, seven running sums. */
const COUNT: FunctionSource = {
  name: 'count',
  params: ['i0', 'i1', 'n', 'words', 'masks', 'out'],
  result: false,
  i32: ['i', 'j', 'pi', 'pj', 'a', 'b', 'e', 'q', 'stride'],
  i64: ['vi', 'yi', 'ai', 'ni', 'vj', 'yj', 'aj', 'nj', 'cn', 'cs', 'co', 'cay', 'caa', 'cby', 'cba'],
  code: `
    local.get $words  i32.const 32  i32.mul  local.set $stride
    local.get $i0  local.set $i
    local.get $i0  local.get $stride  i32.mul  local.get $masks  i32.add  local.set $pi
    local.get $out  local.set $q
    block
      loop                                        ;; each row i0 <= i < i1
        local.get $i  local.get $i1  i32.ge_u  br_if 1
        local.get $i  i32.const 1  i32.add  local.set $j
        local.get $pi  local.get $stride  i32.add  local.tee $e  local.set $pj
        block
          loop                                    ;; each j > i
            local.get $j  local.get $n  i32.ge_u  br_if 1
            i64.const 0  local.set $cn
            i64.const 0  local.set $cs
            i64.const 0  local.set $co
            i64.const 0  local.set $cay
            i64.const 0  local.set $caa
            i64.const 0  local.set $cby
            i64.const 0  local.set $cba
            local.get $pi  local.set $a
            local.get $pj  local.set $b
            loop                                  ;; each word (words >= 1)
              local.get $a  i64.load  local.set $vi
              local.get $a  i64.load offset=8  local.set $yi
              local.get $a  i64.load offset=16  local.set $ai
              local.get $a  i64.load offset=24  local.set $ni
              local.get $b  i64.load  local.set $vj
              local.get $b  i64.load offset=8  local.set $yj
              local.get $b  i64.load offset=16  local.set $aj
              local.get $b  i64.load offset=24  local.set $nj
              local.get $cn  local.get $vi  local.get $vj  i64.and  i64.popcnt  i64.add  local.set $cn
              local.get $cs
              local.get $yi  local.get $yj  i64.and  local.get $ai  local.get $aj  i64.and  i64.or
              local.get $ni  local.get $nj  i64.and  i64.or
              i64.popcnt  i64.add  local.set $cs
              local.get $co
              local.get $yi  local.get $nj  i64.and  local.get $ni  local.get $yj  i64.and  i64.or
              i64.popcnt  i64.add  local.set $co
              local.get $cay  local.get $yi  local.get $vj  i64.and  i64.popcnt  i64.add  local.set $cay
              local.get $caa  local.get $ai  local.get $vj  i64.and  i64.popcnt  i64.add  local.set $caa
              local.get $cby  local.get $vi  local.get $yj  i64.and  i64.popcnt  i64.add  local.set $cby
              local.get $cba  local.get $vi  local.get $aj  i64.and  i64.popcnt  i64.add  local.set $cba
              local.get $b  i32.const 32  i32.add  local.set $b
              local.get $a  i32.const 32  i32.add  local.tee $a  local.get $e  i32.lt_u  br_if 0
            end
            local.get $q  local.get $cn  i32.wrap_i64  i32.store
            local.get $q  local.get $cs  i32.wrap_i64  i32.store offset=${FIELD_BYTES}
            local.get $q  local.get $co  i32.wrap_i64  i32.store offset=${2 * FIELD_BYTES}
            local.get $q  local.get $cay  i32.wrap_i64  i32.store offset=${3 * FIELD_BYTES}
            local.get $q  local.get $caa  i32.wrap_i64  i32.store offset=${4 * FIELD_BYTES}
            local.get $q  local.get $cby  i32.wrap_i64  i32.store offset=${5 * FIELD_BYTES}
            local.get $q  local.get $cba  i32.wrap_i64  i32.store offset=${6 * FIELD_BYTES}
            local.get $q  i32.const 4  i32.add  local.set $q
            local.get $j  i32.const 1  i32.add  local.set $j
            local.get $pj  local.get $stride  i32.add  local.set $pj
            br 0
          end
        end
        local.get $i  i32.const 1  i32.add  local.set $i
        local.get $e  local.set $pi
        br 0
      end
    end`,
};

const FUNCTIONS: readonly FunctionSource[] = [PACK, countUnrolled(1), countUnrolled(2), countUnrolled(3), COUNT];

/** The module's bytes: one type and body per function, one memory, everything exported by name. */
function dyadKernelBytes(): Uint8Array {
  const type = (f: FunctionSource) => [0x60, ...vector(f.params.map(() => [I32])), ...vector(f.result ? [[I32]] : [])];
  const body = (f: FunctionSource) => {
    const b = assembleBody(f);
    return [...unsignedLeb(b.length), ...b];
  };
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(FUNCTIONS.map(type))),
    ...section(3, vector(FUNCTIONS.map((_, k) => unsignedLeb(k)))),
    ...section(5, vector([[0x00, 0x01]])),
    ...section(7, vector([...FUNCTIONS.map((f, k) => [...name(f.name), 0x00, ...unsignedLeb(k)]), [...name('memory'), 0x02, 0]])),
    ...section(10, vector(FUNCTIONS.map(body))),
  ]);
}

/** The instantiated kernel. Its memory is reused from call to call: read results out before the next call. */
export interface DyadKernel {
  /** The memory, grown to at least `bytes`; the returned buffer is valid until the next `reserve`. */
  reserve(bytes: number): ArrayBuffer;
  pack(countries: number, rollCalls: number, votes: number, masks: number, words: number): number;
  /** Counts rows i0 ≤ i < i1 (at most KERNEL_BLOCK_PAIRS pairs) into the block at `out`. */
  count(i0: number, i1: number, countries: number, words: number, masks: number, out: number): void;
}

/** The subset of the WebAssembly JS API used here (the project's TypeScript libs do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
type Count = (i0: number, i1: number, countries: number, masks: number, out: number) => void;

/**
 * Largest memory the kernel is given (bytes); larger inputs go to the JavaScript path. The
 * memory grows to the largest matrix counted so far and is kept for the next call (a year of
 * 200 countries and 160 roll calls needs about 1 MB, most of it one output block).
 */
export const DYAD_KERNEL_MAX_BYTES = 1 << 28;

let cached: DyadKernel | null | undefined;

/** The kernel, compiled once per process; null when WebAssembly is unavailable. */
export function dyadKernel(): DyadKernel | null {
  if (cached !== undefined) return cached;
  cached = null;
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (api === undefined) return cached;
  try {
    const { exports } = new api.Instance(new api.Module(dyadKernelBytes()));
    const memory = exports.memory as WasmMemory;
    const unrolled = [exports.count1, exports.count2, exports.count3] as Count[];
    const anyWords = exports.count as (i0: number, i1: number, n: number, words: number, masks: number, out: number) => void;
    cached = {
      reserve(bytes) {
        if (bytes > DYAD_KERNEL_MAX_BYTES) throw new RangeError(`dyad kernel: ${bytes} bytes is over the limit`);
        const have = memory.buffer.byteLength;
        if (have < bytes) memory.grow(Math.ceil((bytes - have) / 65536));
        return memory.buffer;
      },
      pack: exports.pack as DyadKernel['pack'],
      count(i0, i1, countries, words, masks, out) {
        const f = unrolled[words - 1];
        if (f === undefined) anyWords(i0, i1, countries, words, masks, out);
        else f(i0, i1, countries, masks, out);
      },
    };
  } catch {
    cached = null;
  }
  return cached;
}
