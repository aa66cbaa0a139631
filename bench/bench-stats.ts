/** Helpers the event benchmarks share: a synthetic GDELT 2.0 export file, and medians. */
import { createWriteStream } from 'node:fs';

/**
 * Writes synthetic GDELT 2.0 rows `row(0)` … `row(rows - 1)`; by default the rows of
 * `syntheticGdelt2Row` (the generator of the event tests: event ids 500,000,000 on, one URL
 * each), 10,000 lines a write, waiting for the stream to drain.
 */
export async function generateGdelt2File(path: string, rows: number, row?: (i: number) => string): Promise<void> {
  const { syntheticGdelt2Row } = await import('../test/events/support.ts');
  const make = row ?? syntheticGdelt2Row;
  const w = createWriteStream(path);
  let batch: string[] = [];
  for (let i = 0; i < rows; i++) {
    batch.push(make(i));
    if (batch.length === 10_000) {
      if (!w.write(`${batch.join('\n')}\n`)) await new Promise<void>((r) => w.once('drain', () => r()));
      batch = [];
    }
  }
  if (batch.length > 0) w.write(`${batch.join('\n')}\n`);
  await new Promise<void>((r) => w.end(r));
}

/** The median of a non-empty list (the mean of the middle two for an even length). */
export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
