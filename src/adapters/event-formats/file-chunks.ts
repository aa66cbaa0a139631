/**
 * Reading a plain file in chunks of one reused buffer: no allocation per chunk, so a long
 * read keeps memory flat (streams allocate a fresh buffer for every chunk, and the freed
 * ones stay in the allocator's arenas, counted in the process's RSS).
 */
import { open as openFile } from 'node:fs/promises';

/** Bytes read per chunk. */
export const CHUNK_BYTES = 1 << 20;

/**
 * Reads `path` from `start` to `end` (exclusive; default: the end of the file) in chunks of
 * one reused buffer: each chunk is valid only until the next is asked for.
 */
export async function* readFileRange(path: string, start = 0, end = Number.POSITIVE_INFINITY): AsyncGenerator<Buffer> {
  const fh = await openFile(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK_BYTES);
    let at = start;
    while (at < end) {
      const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, end - at), at);
      if (bytesRead === 0) return;
      at += bytesRead;
      yield buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}
