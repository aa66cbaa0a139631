/**
 * Splits a byte stream into lines without decoding it.
 *
 * Contract:
 * - Lines end at `\n`; a trailing `\r` is dropped; a last line without `\n` is still a line.
 * - Line numbers are 1-based physical line numbers.
 * - A line longer than `maxLineBytes` is never held whole in memory: `onOverlong` receives
 *   its first `keepBytes` bytes and its full length, and scanning resumes at the next line.
 * - The `buf` passed to `onLine` is only valid during the call (it may be a reused chunk).
 * - During `onLine`, `lineIsAscii` is true when the line is known to hold no byte ≥ 0x80
 *   (checked natively once per chunk); false means "not known", so a handler that needs
 *   UTF-8 validity checks itself.
 */
import { isAscii } from 'node:buffer';

export type LineHandler = (buf: Buffer, start: number, end: number, lineNo: number) => void;
export type OverlongHandler = (prefix: Buffer, totalBytes: number, lineNo: number) => void;

export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;
const KEEP_BYTES = 4096;

export class LineScanner {
  private carry: Buffer[] = [];
  private carryBytes = 0;
  private overlong = false;
  private lineNo = 0;
  /** See the contract: valid during `onLine`. */
  lineIsAscii = false;

  constructor(
    private readonly onLine: LineHandler,
    private readonly onOverlong: OverlongHandler,
    private readonly maxLineBytes: number = DEFAULT_MAX_LINE_BYTES,
  ) {}

  /** Physical lines seen so far. */
  get lines(): number {
    return this.lineNo;
  }

  push(chunk: Buffer): void {
    let pos = 0;
    if (this.carryBytes > 0 || this.overlong) {
      const nl = chunk.indexOf(10);
      if (nl === -1) {
        this.addCarry(chunk, 0, chunk.length);
        return;
      }
      this.addCarry(chunk, 0, nl);
      this.flushCarry();
      pos = nl + 1;
    }
    const len = chunk.length;
    this.lineIsAscii = isAscii(chunk);
    while (pos < len) {
      const nl = chunk.indexOf(10, pos);
      if (nl === -1) break;
      this.emit(chunk, pos, nl);
      pos = nl + 1;
    }
    if (pos < len) this.addCarry(chunk, pos, len);
  }

  /** Call once at end of input: emits a last line that has no newline. */
  end(): void {
    if (this.carryBytes > 0 || this.overlong) this.flushCarry();
  }

  private emit(buf: Buffer, start: number, end: number): void {
    this.lineNo++;
    if (end - start > this.maxLineBytes) {
      this.onOverlong(Buffer.from(buf.subarray(start, start + KEEP_BYTES)), end - start, this.lineNo);
      return;
    }
    if (end > start && buf[end - 1] === 13) end--;
    this.onLine(buf, start, end, this.lineNo);
  }

  private addCarry(chunk: Buffer, start: number, end: number): void {
    const n = end - start;
    if (!this.overlong && this.carryBytes + n > this.maxLineBytes) {
      // Keep only a prefix for the rejects file; count the rest.
      const whole = Buffer.concat([...this.carry, chunk.subarray(start, end)]);
      this.carry = [Buffer.from(whole.subarray(0, KEEP_BYTES))];
      this.overlong = true;
      this.carryBytes += n;
      return;
    }
    if (!this.overlong) this.carry.push(Buffer.from(chunk.subarray(start, end)));
    this.carryBytes += n;
  }

  private flushCarry(): void {
    if (this.overlong) {
      this.lineNo++;
      this.onOverlong(this.carry[0] ?? Buffer.alloc(0), this.carryBytes, this.lineNo);
    } else {
      const line = this.carry.length === 1 ? (this.carry[0] as Buffer) : Buffer.concat(this.carry);
      this.lineIsAscii = isAscii(line);
      this.emit(line, 0, line.length);
    }
    this.carry = [];
    this.carryBytes = 0;
    this.overlong = false;
  }
}
