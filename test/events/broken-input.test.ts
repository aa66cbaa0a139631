/**
 * Broken inputs: each bad row lands in the rejects file with its line number and reason,
 * the good rows around it are kept; empty files are fine; binary and unrecognised files are
 * fatal with nothing stored. Also: idempotence, gzip and zip inputs, CLI exit codes.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { ingest, openStore, REPO, syntheticGdelt2Row, tempDir } from './support.ts';

const good = (i: number) => syntheticGdelt2Row(i);
const withField = (i: number, col: number, value: string) => {
  const c = good(i).split('\t');
  c[col] = value;
  return c.join('\t');
};

function rejects(dir: string): { line: number; code: string; message: string; details: { raw: string }; field?: string }[] {
  return readFileSync(join(dir, 'rejects.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

describe('broken GDELT input', () => {
  it('rejects each bad row with its line number and keeps the good rows around it', async () => {
    const dir = tempDir('broken');
    const file = join(dir, 'broken.export.CSV');
    const lines: (string | Buffer)[] = [
      good(1), // 1
      good(2).split('\t').slice(0, 40).join('\t'), // 2 truncated line
      `${good(3)}\textra`, // 3 extra tab
      withField(4, 1, '20151340'), // 4 bad SQLDATE
      withField(5, 30, 'abc'), // 5 non-numeric Goldstein
      Buffer.concat([Buffer.from(withField(6, 6, 'NAME ')), Buffer.from([0xff, 0xfe, 0x41])]), // 6 invalid UTF-8 (in the last field position? no: replaced below)
      `${good(7).slice(0, 200)}${'x'.repeat(1_100_000)}`, // 7 a >1 MB line
      withField(8, 59, '2015021899'), // 8 bad DATEADDED
      good(9), // 9
      withField(10, 6, 'Zürich ✓'), // 10 valid UTF-8 text: accepted
    ];
    // Line 6: invalid bytes inside the Actor1Name field, column count intact.
    const six = good(6).split('\t');
    lines[5] = Buffer.concat([
      Buffer.from(`${six.slice(0, 6).join('\t')}\t`),
      Buffer.from([0x4e, 0xff, 0xfe]),
      Buffer.from(`\t${six.slice(7).join('\t')}`),
    ]);
    writeFileSync(file, Buffer.concat(lines.flatMap((l) => [Buffer.isBuffer(l) ? l : Buffer.from(l), Buffer.from('\n')])));
    const r = await ingest(dir, [file]);
    assert.equal(r.kind, 'done');
    assert.equal(r.summary.rows, 10);
    assert.equal(r.summary.accepted, 3);
    assert.equal(r.summary.rejected, 7);
    const rej = rejects(dir);
    assert.deepEqual(
      rej.map((x) => [x.line, x.code]),
      [
        [2, 'column-count'],
        [3, 'column-count'],
        [4, 'bad-date'],
        [5, 'bad-number'],
        [6, 'invalid-utf8'],
        [7, 'line-too-long'],
        [8, 'bad-date'],
      ],
    );
    assert.equal(rej[2]?.field, 'SQLDATE');
    assert.match(rej[2]?.message ?? '', /SQLDATE \(column 2\).*20151340/);
    assert.ok(rej[0]?.details.raw.startsWith('500000002\t'));
    const store = await openStore(dir);
    try {
      const ids = (await store.dumpEvents()).map((l) => l.split('|')[1]);
      assert.deepEqual(ids, ['500000001', '500000009', '500000010']);
    } finally {
      await store.close();
    }
  });

  it('keeps a row with a carriage return inside a field (stored as a space), and a CRLF line', async () => {
    const dir = tempDir('cr');
    const file = join(dir, 'cr.export.CSV');
    writeFileSync(file, `${good(1)}\n${withField(2, 6, 'NAME\rUSA')}\n${good(3)}\r\n`);
    const r = await ingest(dir, [file]);
    assert.equal(r.kind, 'done');
    assert.equal(r.kind === 'done' && r.summary.accepted, 3);
    const store = await openStore(dir);
    try {
      const names = (await store.dumpEvents()).map((l) => l.split('|')[6]);
      assert.deepEqual(names, ['NAME USAGOV', 'NAME USA', 'NAME PAKMIL']);
    } finally {
      await store.close();
    }
  });

  it('takes an empty file as zero rows', async () => {
    const dir = tempDir('empty');
    const file = join(dir, 'empty.CSV');
    writeFileSync(file, '');
    const r = await ingest(dir, [file]);
    assert.equal(r.kind, 'done');
    assert.equal(r.summary.rows, 0);
    assert.equal(r.summary.rejected, 0);
  });

  it('records a file whose every row is rejected, beside the stored events, and skips it the next time', async () => {
    const dir = tempDir('all-rejected');
    const first = join(dir, 'first.export.CSV');
    writeFileSync(first, `${[1, 2, 3].map(good).join('\n')}\n`);
    const bad = join(dir, 'bad.export.CSV');
    writeFileSync(bad, `${[4, 5, 6].map((i) => withField(i, 1, '20151340')).join('\n')}\n`);
    assert.equal((await ingest(dir, [first])).kind, 'done');
    const r = await ingest(dir, [bad]);
    assert.equal(r.kind, 'done');
    assert.deepEqual([r.summary.rows, r.summary.accepted, r.summary.rejected, r.summary.inserted], [3, 0, 3, 0]);
    assert.deepEqual(
      rejects(dir).map((x) => x.line),
      [1, 2, 3],
    );
    const again = await ingest(dir, [bad]);
    assert.equal(again.summary.skippedFiles, 1);
    const store = await openStore(dir);
    try {
      assert.equal(await store.count(), 3);
    } finally {
      await store.close();
    }
  });

  it('refuses a binary file as fatal and stores nothing of it', async () => {
    const dir = tempDir('binary');
    const ok = join(dir, 'a.CSV');
    const bin = join(dir, 'b.bin');
    writeFileSync(ok, `${good(1)}\n`);
    writeFileSync(bin, Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 31) % 256)));
    const r = await ingest(dir, [ok, bin]);
    assert.equal(r.kind, 'fatal');
    assert.equal(r.kind === 'fatal' && r.code, 'binary');
    const store = await openStore(dir);
    try {
      assert.equal(await store.count(), 1, 'the file before it is loaded whole, nothing of the binary file');
    } finally {
      await store.close();
    }
  });

  it('reads .gz and .zip, is idempotent, and counts key duplicates', async () => {
    const dir = tempDir('idem');
    const text = `${Array.from({ length: 500 }, (_, i) => good(i)).join('\n')}\n`;
    const plain = join(dir, 'x.export.CSV');
    writeFileSync(plain, text);
    writeFileSync(join(dir, 'x.export.CSV.gz'), gzipSync(text));
    const zipped = join(dir, 'x.export.CSV.zip');
    const z = spawnSync('python3', [
      '-c',
      `import zipfile,sys; zipfile.ZipFile(sys.argv[1],'w',zipfile.ZIP_DEFLATED).write(sys.argv[2],'x.export.CSV')`,
      zipped,
      plain,
    ]);
    assert.equal(z.status, 0, String(z.stderr));
    const first = await ingest(dir, [plain]);
    assert.equal(first.kind === 'done' && first.summary.inserted, 500);
    const before = await (async () => {
      const s = await openStore(dir);
      try {
        return await s.dumpEvents();
      } finally {
        await s.close();
      }
    })();
    const again = await ingest(dir, [plain, join(dir, 'x.export.CSV.gz'), zipped]);
    assert.equal(again.kind, 'done');
    if (again.kind !== 'done') return;
    assert.equal(again.summary.skippedFiles, 1, 'the same file unchanged is skipped');
    assert.equal(again.summary.accepted, 1000);
    assert.equal(again.summary.duplicates, 1000);
    assert.equal(again.summary.inserted, 0);
    const copy = join(dir, 'copy.export.CSV');
    copyFileSync(plain, copy);
    const third = await ingest(dir, [copy]);
    assert.equal(third.kind === 'done' && third.summary.inserted, 0);
    const s = await openStore(dir);
    try {
      assert.deepEqual(await s.dumpEvents(), before);
    } finally {
      await s.close();
    }
  });
});

describe('proviso ingest exit codes', () => {
  const cli = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'test', 'events', 'run-event-cli.ts'), ...args], {
      cwd: REPO,
      encoding: 'utf8',
    });
  it('exits 0 when all accepted, 3 with rejects, 1 on a binary file; --format json gives the summary', () => {
    const dir = tempDir('exit');
    const okFile = join(dir, 'ok.CSV');
    writeFileSync(okFile, `${good(1)}\n${good(2)}\n`);
    const okRun = cli(['ingest', okFile, '--store', dir, '--format', 'json']);
    assert.equal(okRun.status, 0, okRun.stderr);
    const summary = JSON.parse(okRun.stdout);
    assert.deepEqual(
      [summary.files, summary.rows, summary.accepted, summary.rejected, summary.duplicates, summary.rejectsFile],
      [1, 2, 2, 0, 0, null],
    );
    const badFile = join(dir, 'bad.CSV');
    writeFileSync(badFile, `${good(3)}\nnot\tgdelt\n`);
    const badRun = cli(['ingest', badFile, '--store', dir, '--format', 'json']);
    assert.equal(badRun.status, 3, badRun.stderr);
    assert.ok(JSON.parse(badRun.stdout).rejectsFile.endsWith('.jsonl'));
    const bin = join(dir, 'c.bin');
    writeFileSync(bin, Buffer.alloc(100, 0));
    const binRun = cli(['ingest', bin, '--store', dir]);
    assert.equal(binRun.status, 1);
    assert.match(binRun.stderr, /not a text file/);
    const ev = cli(['events', '--store', dir, '--format', 'json', '--by', 'year']);
    assert.equal(ev.status, 0, ev.stderr);
    const rows = JSON.parse(ev.stdout) as { count: number }[];
    assert.equal(
      rows.reduce((a, r) => a + r.count, 0),
      3,
    );
  });

  it('refuses a fold window that is not a number of days, before reading anything', () => {
    const dir = tempDir('fold-window');
    const okFile = join(dir, 'ok.CSV');
    writeFileSync(okFile, `${good(1)}\n`);
    for (const bad of ['-1', '2.5', 'month']) {
      const run = cli(['ingest', okFile, '--store', dir, '--fold-window', bad]);
      assert.equal(run.status, 2, run.stderr);
      assert.match(run.stderr, /--fold-window: expected a number of days/);
    }
    const okRun = cli(
      ['ingest', okFile, '--store', dir, '--fold-window', '7', '--json'] /* the old spelling of --format json still works */,
    );
    assert.equal(okRun.status, 0, okRun.stderr);
    assert.equal(JSON.parse(okRun.stdout).inserted, 1);
  });
});
