/**
 * Ingest progress, through `ingestCommand` with injected effects: on a terminal (a progress
 * stream with `isTTY: true`) one bar with bytes, rows, rows/s and ETA is redrawn in place;
 * on anything else, plain lines every few seconds and no control characters. A fake clock
 * makes the rates and times exact.
 */
import assert from 'node:assert/strict';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { type EventEffects, INGEST_EXIT, ingestCommand } from '../../src/cli/event-commands.ts';
import { captureEffects, syntheticGdelt2Row, tempDir } from './support.ts';

const ROWS = 60_000; // about 11.8 MB: the reader reports progress every 4 MiB, then at the end

function writeFile(dir: string): { path: string; mb: string } {
  const path = join(dir, 'part.export.CSV');
  const rows: string[] = [];
  for (let i = 0; i < ROWS; i++) rows.push(syntheticGdelt2Row(i));
  writeFileSync(path, `${rows.join('\n')}\n`);
  return { path, mb: (statSync(path).size / 1e6).toFixed(1) };
}

/** A progress stream that records what is written, and a clock that moves `stepMs` per reading. */
function fakeTerminal(isTTY: boolean, stepMs: number): { ev: EventEffects; written: () => string } {
  let text = '';
  let now = 0;
  return {
    ev: {
      progress: {
        isTTY,
        columns: 200,
        write: (t: string) => {
          text += t;
        },
      },
      nowMs: () => {
        now += stepMs;
        return now;
      },
    },
    written: () => text,
  };
}

describe('ingest progress', () => {
  it('draws one bar with bytes, rows/s and ETA on a terminal, redrawn in place', async () => {
    const dir = tempDir('progress-tty');
    const { path, mb } = writeFile(dir);
    const { effects, stdout, stderr } = captureEffects(dir);
    const term = fakeTerminal(true, 1000);
    const code = await ingestCommand(
      [path],
      { inputFormat: 'auto', format: 'text', store: join(dir, 'store') },
      effects,
      term.ev,
    );
    assert.equal(code, INGEST_EXIT.ok);
    const out = term.written();
    const frames = out
      .split('\n')[0]
      ?.split('\r')
      .filter((f) => f !== '') as string[];
    // The first frame, drawn at the file's start: nothing read yet.
    assert.equal(frames[0], `1/1 part.export.CSV [${'░'.repeat(20)}]   0%  0.0/${mb} MB  0 rows  0 rows/s  ETA --\x1b[K`);
    // Frames in between: a partly filled bar, bytes of the total, rows, a rate and a time left.
    const between = frames.slice(1, -1);
    assert.ok(between.length >= 1, out);
    for (const f of between) {
      assert.match(
        f,
        new RegExp(
          `^1/1 part\\.export\\.CSV \\[█+░+\\] +\\d{1,2}%  \\d+\\.\\d/${mb} MB  [\\d,]+ rows  [\\d,]+ rows/s  ETA \\d+s\\x1b\\[K$`,
        ),
      );
    }
    // The last frame: the clock read 1 s per event, so 60,000 rows over the 3 s since the
    // file started (three progress reports) is 20,000 rows/s.
    assert.equal(
      frames.at(-1),
      `1/1 part.export.CSV [${'█'.repeat(20)}] 100%  ${mb}/${mb} MB  60,000 rows  20,000 rows/s  ETA 0s\x1b[K`,
    );
    // Then the bar's line is ended and the load is announced.
    assert.ok(out.endsWith('\x1b[K\n  storing 60,000 accepted rows\n'), JSON.stringify(out.slice(-80)));
    assert.equal(stderr(), '');
    assert.match(stdout(), /^1 file \(0 unchanged, skipped\): 60,000 rows read, 60,000 accepted, 0 rejected/);
  });

  it('writes plain periodic lines when the output is not a terminal', async () => {
    const dir = tempDir('progress-plain');
    const { path, mb } = writeFile(dir);
    const { effects, stdout } = captureEffects(dir);
    // 3 s per clock reading: the second progress report comes 6 s after the file started,
    // past the 5 s between plain lines; the first (3 s) and the final one are not printed.
    const term = fakeTerminal(false, 3000);
    const code = await ingestCommand(
      [path],
      { inputFormat: 'auto', format: 'text', store: join(dir, 'store') },
      effects,
      term.ev,
    );
    assert.equal(code, INGEST_EXIT.ok);
    const lines = term.written().split('\n');
    assert.equal(lines.at(-1), '', 'every line is ended');
    assert.equal(lines.length, 4, term.written());
    assert.equal(lines[0], `ingest 1/1: ${path} (${mb} MB)`);
    assert.match(lines[1] as string, new RegExp(`^  \\d{1,2}%  \\d+\\.\\d/${mb} MB  [\\d,]+ rows  [\\d,]+ rows/s  ETA \\d+s$`));
    // Rows over 6 s: the rate printed is the rows printed divided by 6.
    const [, rows, rate] = /([\d,]+) rows {2}([\d,]+) rows\/s/.exec(lines[1] as string) ?? [];
    const n = (x: string | undefined) => Number((x ?? '').replaceAll(',', ''));
    assert.equal(n(rate), Math.round(n(rows) / 6));
    assert.equal(lines[2], '  storing 60,000 accepted rows');
    assert.ok(!term.written().includes('\r') && !term.written().includes('\x1b'), 'no carriage returns or escape sequences');
    assert.match(stdout(), /60,000 accepted/);
  });

  it('says when a file is skipped as unchanged, on a terminal and off it', async () => {
    const dir = tempDir('progress-skip');
    const { path } = writeFile(dir);
    const { effects } = captureEffects(dir);
    const store = join(dir, 'store');
    await ingestCommand([path], { inputFormat: 'auto', format: 'text', store }, effects, fakeTerminal(false, 1000).ev);
    const tty = fakeTerminal(true, 1000);
    await ingestCommand([path], { inputFormat: 'auto', format: 'text', store }, effects, tty.ev);
    assert.ok(tty.written().endsWith('\r1/1 part.export.CSV: unchanged since it was loaded; skipped\x1b[K\n'), tty.written());
    const plain = fakeTerminal(false, 1000);
    await ingestCommand([path], { inputFormat: 'auto', format: 'text', store }, effects, plain.ev);
    assert.equal(
      plain.written(),
      `ingest 1/1: ${path} (${(statSync(path).size / 1e6).toFixed(1)} MB)\n  unchanged since it was loaded; skipped\n`,
    );
  });
});
