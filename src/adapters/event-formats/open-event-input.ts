/**
 * Opens an event file as one or more byte streams of text: plain, gzip (`node:zlib`) or
 * zip (`yauzl`, every file entry in order). Compression is recognised by its magic bytes,
 * not by the file name.
 *
 * Contract: the raw bytes of plain and gzip files pass through `onRawBytes` (for progress
 * and the SHA-256 of the file as stored); for zip files only the compressed size of each
 * finished entry is reported, and the file is hashed in a separate pass. A chunk of a plain
 * file is valid only until the next one is asked for (one buffer is reused, so reading
 * allocates nothing per chunk and memory stays flat).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import yauzl from 'yauzl';
import { CHUNK_BYTES, readFileRange } from './file-chunks.ts';

export const COMPRESSIONS = ['none', 'gzip', 'zip'] as const;
export type Compression = (typeof COMPRESSIONS)[number];

export interface EventInputEntry {
  /** The file name, or `file.zip!entry.csv` for a zip entry. */
  readonly name: string;
  /** The entry's text bytes; see the contract for how long a chunk stays valid. */
  readonly chunks: AsyncIterable<Buffer>;
}

export async function detectCompression(path: string): Promise<Compression> {
  const fh = await openFile(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await fh.read(head, 0, 4, 0);
    if (bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
    if (bytesRead >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5)) return 'zip';
    return 'none';
  } finally {
    await fh.close();
  }
}

export async function hashFile(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of readFileRange(path)) h.update(chunk);
  return h.digest('hex');
}

/** Yields the text streams of a file. The caller consumes each stream before asking for the next. */
export async function* openEventInput(
  path: string,
  compression: Compression,
  onRawBytes: (bytes: number, chunk?: Buffer) => void,
): AsyncGenerator<EventInputEntry> {
  if (compression === 'none') {
    yield {
      name: path,
      chunks: (async function* () {
        for await (const chunk of readFileRange(path)) {
          onRawBytes(chunk.length, chunk);
          yield chunk;
        }
      })(),
    };
    return;
  }
  if (compression === 'gzip') {
    const raw = createReadStream(path, { highWaterMark: CHUNK_BYTES });
    raw.on('data', (c) => onRawBytes((c as Buffer).length, c as Buffer));
    const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
    raw.on('error', (err) => gunzip.destroy(err));
    yield { name: path, chunks: raw.pipe(gunzip) };
    return;
  }
  const zip = await new Promise<yauzl.ZipFile>((ok, fail) =>
    yauzl.open(path, { lazyEntries: true, autoClose: true }, (err, z) => (err ? fail(err) : ok(z))),
  );
  try {
    while (true) {
      const entry = await new Promise<yauzl.Entry | undefined>((ok, fail) => {
        const onEntry = (e: yauzl.Entry) => {
          cleanup();
          ok(e);
        };
        const onEnd = () => {
          cleanup();
          ok(undefined);
        };
        const onError = (err: Error) => {
          cleanup();
          fail(err);
        };
        const cleanup = () => {
          zip.off('entry', onEntry);
          zip.off('end', onEnd);
          zip.off('error', onError);
        };
        zip.on('entry', onEntry);
        zip.on('end', onEnd);
        zip.on('error', onError);
        zip.readEntry();
      });
      if (entry === undefined) return;
      if (entry.fileName.endsWith('/')) continue;
      const stream = await new Promise<Readable>((ok, fail) => zip.openReadStream(entry, (err, s) => (err ? fail(err) : ok(s))));
      stream.on('end', () => onRawBytes(entry.compressedSize));
      yield { name: `${path}!${entry.fileName}`, chunks: stream };
    }
  } finally {
    zip.close();
  }
}
