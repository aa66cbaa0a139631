/**
 * The all-dyads counting kernel as a small WebAssembly module, assembled here from the
 * listing below (no build step, no binary file): JavaScript has no popcount instruction —
 * the SWAR popcount of all-dyads.ts costs about twelve operations per 32 roll calls —
 * while WebAssembly's `i64.popcnt` is one machine instruction for 64 roll calls.
 *
 * Two functions share one linear memory:
 * - `pack(countries, rollCalls, votes, masks, words) → i32`: reads the vote codes
 *   (`votes[c·rollCalls + r]`, one byte each, 0 absent, 1 yes, 2 abstain, 3 no) and writes,
 *   for country c and 64-bit word w, the four masks voted / yes / abstain / no at
 *   `masks + (c·words + w)·32` (bit r & 63 of word r >>> 6 = roll call r). Returns the index
 *   of the first code above 3, or −1.
 * - `count(i0, i1, countries, words, masks, out, fieldBytes)`: for the rows i0 ≤ i < i1 and
 *   every j > i, in pair order, writes the seven tallies of {@link DyadCountsTable} as u32 —
 *   field f of the block's k-th pair at `out + f·fieldBytes + 4k` — each a popcount of the
 *   same AND/OR expression as countAllDyadsBitParallel, over 64 roll calls per step.
 *
 * Pure: no I/O, no clock. {@link dyadKernel} returns null where WebAssembly is unavailable
 * (e.g. `node --jitless`); callers then use the JavaScript bit-parallel path.
 */

/** What the kernel's functions are written with: the WebAssembly text-format name, its opcode and immediate. */
const OPS: Readonly<Record<string, readonly [number, ('block' | 'depth' | 'local' | 'const' | 'memory')?, number?]>> = {
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
  'i32.load8_u': [0x2d, 'memory', 0],
  'i32.store': [0x36, 'memory', 2],
  'i64.store': [0x37, 'memory', 3],
  'i32.const': [0x41, 'const'],
  'i64.const': [0x42, 'const'],
  'i32.eq': [0x46],
  'i32.lt_u': [0x49],
  'i32.gt_u': [0x4b],
  'i32.ge_u': [0x4f],
  'i32.add': [0x6a],
  'i32.sub': [0x6b],
  'i32.mul': [0x6c],
  'i64.popcnt': [0x7b],
  'i64.add': [0x7c],
  'i64.and': [0x83],
  'i64.or': [0x84],
  'i64.shl': [0x86],
  'i32.wrap_i64': [0xa7],
  'i64.extend_i32_u': [0xad],
};

const I32 = 0x7f;
const I64 = 0x7e;

function unsignedLeb(value: number): number[] {
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

function signedLeb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const vector = (items: readonly (readonly number[])[]): number[] => [...unsignedLeb(items.length), ...items.flat()];
const section = (id: number, body: readonly number[]): number[] => [id, ...unsignedLeb(body.length), ...body];
const name = (text: string): number[] => vector([...text].map((ch) => [ch.charCodeAt(0)]));

interface FunctionSource {
  readonly params: readonly string[];
  readonly result: boolean;
  readonly i32: readonly string[];
  readonly i64: readonly string[];
  /** flat WebAssembly text: one instruction after another, `$name` for locals, `;;` comments */
  readonly code: string;
}

/** Encodes one function body from its flat text listing (params are i32). */
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
    if (op === undefined) throw new Error(`dyad kernel: unknown instruction ${token}`);
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
    if (arg === undefined) throw new Error(`dyad kernel: ${token} needs an argument`);
    if (immediate === 'local') {
      const index = locals.indexOf(arg.slice(1));
      if (!arg.startsWith('$') || index < 0) throw new Error(`dyad kernel: unknown local ${arg}`);
      out.push(...unsignedLeb(index));
    } else if (immediate === 'depth') {
      out.push(...unsignedLeb(Number(arg)));
    } else {
      out.push(...signedLeb(Number(arg)));
    }
  }
  out.push(0x0b);
  return out;
}

const PACK: FunctionSource = {
  params: ['n', 'r', 'votes', 'masks', 'words'],
  result: true,
  i32: ['c', 'w', 'rr', 'end', 'code', 'row', 'dst'],
  i64: ['bit', 'y', 'a', 'no'],
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
            ;; end = min(rr + 64, r)
            local.get $rr  i32.const 64  i32.add  local.tee $end
            local.get $r
            local.get $end  local.get $r  i32.lt_u
            select  local.set $end
            block
              loop                                ;; each roll call rr of word w
                local.get $rr  local.get $end  i32.ge_u  br_if 1
                local.get $row  local.get $rr  i32.add  i32.load8_u  local.tee $code
                i32.const 3  i32.gt_u
                if
                  local.get $row  local.get $votes  i32.sub  local.get $rr  i32.add  return
                end
                i64.const 1  local.get $rr  i64.extend_i32_u  i64.shl  local.set $bit
                local.get $y  local.get $bit  i64.const 0  local.get $code  i32.const 1  i32.eq  select  i64.or  local.set $y
                local.get $a  local.get $bit  i64.const 0  local.get $code  i32.const 2  i32.eq  select  i64.or  local.set $a
                local.get $no  local.get $bit  i64.const 0  local.get $code  i32.const 3  i32.eq  select  i64.or  local.set $no
                local.get $rr  i32.const 1  i32.add  local.set $rr
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

const COUNT: FunctionSource = {
  params: ['i0', 'i1', 'n', 'words', 'masks', 'out', 'field'],
  result: false,
  i32: ['i', 'j', 'pi', 'pj', 'a', 'b', 'e', 'q', 't', 'stride'],
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
              ;; n: both voted
              local.get $cn  local.get $vi  local.get $vj  i64.and  i64.popcnt  i64.add  local.set $cn
              ;; same: yes-yes, abstain-abstain, no-no
              local.get $cs
              local.get $yi  local.get $yj  i64.and  local.get $ai  local.get $aj  i64.and  i64.or
              local.get $ni  local.get $nj  i64.and  i64.or
              i64.popcnt  i64.add  local.set $cs
              ;; opposite: yes against no
              local.get $co
              local.get $yi  local.get $nj  i64.and  local.get $ni  local.get $yj  i64.and  i64.or
              i64.popcnt  i64.add  local.set $co
              ;; marginals over the roll calls both voted on
              local.get $cay  local.get $yi  local.get $vj  i64.and  i64.popcnt  i64.add  local.set $cay
              local.get $caa  local.get $ai  local.get $vj  i64.and  i64.popcnt  i64.add  local.set $caa
              local.get $cby  local.get $yj  local.get $vi  i64.and  i64.popcnt  i64.add  local.set $cby
              local.get $cba  local.get $aj  local.get $vi  i64.and  i64.popcnt  i64.add  local.set $cba
              local.get $b  i32.const 32  i32.add  local.set $b
              local.get $a  i32.const 32  i32.add  local.tee $a  local.get $e  i32.lt_u  br_if 0
            end
            local.get $q  local.get $cn  i32.wrap_i64  i32.store
            local.get $q  local.get $field  i32.add  local.tee $t  local.get $cs  i32.wrap_i64  i32.store
            local.get $t  local.get $field  i32.add  local.tee $t  local.get $co  i32.wrap_i64  i32.store
            local.get $t  local.get $field  i32.add  local.tee $t  local.get $cay  i32.wrap_i64  i32.store
            local.get $t  local.get $field  i32.add  local.tee $t  local.get $caa  i32.wrap_i64  i32.store
            local.get $t  local.get $field  i32.add  local.tee $t  local.get $cby  i32.wrap_i64  i32.store
            local.get $t  local.get $field  i32.add  local.tee $t  local.get $cba  i32.wrap_i64  i32.store
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

/** The module's bytes: types, the two functions, one memory, exports `pack`, `count`, `memory`. */
export function dyadKernelBytes(): Uint8Array {
  const type = (f: FunctionSource) => [0x60, ...vector(f.params.map(() => [I32])), ...vector(f.result ? [[I32]] : [])];
  const body = (f: FunctionSource) => {
    const b = assembleBody(f);
    return [...unsignedLeb(b.length), ...b];
  };
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector([type(PACK), type(COUNT)])),
    ...section(3, vector([[0], [1]])),
    ...section(5, vector([[0x00, 0x01]])),
    ...section(
      7,
      vector([
        [...name('pack'), 0x00, 0],
        [...name('count'), 0x00, 1],
        [...name('memory'), 0x02, 0],
      ]),
    ),
    ...section(10, vector([body(PACK), body(COUNT)])),
  ]);
}

/** The instantiated kernel. Its memory is reused from call to call: read results out before the next call. */
export interface DyadKernel {
  /** The memory, grown to at least `bytes`; the returned buffer is valid until the next `reserve`. */
  reserve(bytes: number): ArrayBuffer;
  pack(countries: number, rollCalls: number, votes: number, masks: number, words: number): number;
  count(i0: number, i1: number, countries: number, words: number, masks: number, out: number, fieldBytes: number): void;
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

/** Largest memory the kernel is given (bytes); larger inputs go to the JavaScript path. */
export const DYAD_KERNEL_MAX_BYTES = 1 << 30;

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
    const pack = exports.pack as DyadKernel['pack'];
    const count = exports.count as DyadKernel['count'];
    cached = {
      reserve(bytes) {
        if (bytes > DYAD_KERNEL_MAX_BYTES) throw new RangeError(`dyad kernel: ${bytes} bytes is over the limit`);
        const have = memory.buffer.byteLength;
        if (have < bytes) memory.grow(Math.ceil((bytes - have) / 65536));
        return memory.buffer;
      },
      pack,
      count,
    };
  } catch {
    cached = null;
  }
  return cached;
}
