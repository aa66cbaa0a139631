/**
 * `proviso ingest --list`: a local mirror of GDELT's master file list (size, MD5 and URL a
 * line). The real GDELT 2.0 samples, zipped as GDELT ships them and named as GDELT names
 * them, listed with their sizes and MD5s beside mentions and GKG entries; files found in the
 * mirror, downloaded from a local HTTP server when missing, or refused when they do not match
 * the list. Expected totals come from ingesting the same files by name.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { crc32, deflateRawSync } from 'node:zlib';
import { isEventFile, localPathOf, parseMasterFileList } from '../../src/cli/master-file-list.ts';
import { REPO, SHARED, tempDir } from './support.ts';

const CLI = join(REPO, 'test', 'events', 'run-event-cli.ts');

/** A zip archive holding one deflated file (what GDELT's .zip files are). */
function zipOne(name: string, data: Buffer): Buffer {
  const body = deflateRawSync(data);
  const fileName = Buffer.from(name);
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8); // deflated
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(body.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(body.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + fileName.length, 12);
  end.writeUInt32LE(30 + fileName.length + body.length, 16);
  return Buffer.concat([local, fileName, body, central, fileName, end]);
}

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
const line = (b: Buffer, url: string) => `${b.length} ${md5(b)} ${url}`;

interface IngestRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The JSON summary's totals. */
  json(): Record<'files' | 'rows' | 'inserted' | 'folded' | 'duplicates' | 'skippedFiles', number>;
}

/** `proviso ingest … --format json` in a process of its own (asynchronously: this process may be serving its downloads). */
async function ingest(args: readonly string[]): Promise<IngestRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'ingest', ...args, '--format', 'json'], { cwd: REPO });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const code = await new Promise<number | null>((r) => child.on('close', r));
  return { code, stdout, stderr, json: () => JSON.parse(stdout) };
}

/** GDELT's two sample batches, as GDELT names and zips them. */
const EXPORT = zipOne(
  '20150218230000.export.CSV',
  readFileSync(join(SHARED, 'gdelt', 'spark-gdelt_events_v2_export_20150218230000+20200318104500.tsv')),
);
const TRANSLATION = zipOne(
  '20150218224500.translation.export.CSV',
  readFileSync(join(SHARED, 'gdelt', 'spark-gdelt_events_v2_translingual_20150218224500+20200318103000.tsv')),
);
const V2 = 'http://data.gdeltproject.org/gdeltv2';

describe('master file lists', () => {
  it('reads size, MD5 and URL a line, keeps the event files, and names every bad line', () => {
    const text = [
      line(EXPORT, `${V2}/20150218230000.export.CSV.zip`),
      `12 ${'a'.repeat(32)} ${V2}/20150218230000.mentions.CSV.zip`,
      `13 ${'B'.repeat(32)} ${V2}/20150218230000.gkg.csv.zip`,
      '',
      `14 ${'c'.repeat(32)} http://data.gdeltproject.org/events/20130401.export.CSV.zip\r`,
      `15 ${'d'.repeat(32)} ${V2}/20150218224500.translation.export.CSV.zip`,
      `x1 ${'e'.repeat(32)} ${V2}/a.export.CSV.zip`,
      `16 notmd5 ${V2}/b.export.CSV.zip`,
      `17 ${'f'.repeat(32)}`,
    ].join('\n');
    const { entries, problems } = parseMasterFileList(text, '/m/masterfilelist.txt');
    assert.deepEqual(
      entries.map((e) => [e.line, e.size, isEventFile(e)]),
      [
        [1, EXPORT.length, true],
        [2, 12, false],
        [3, 13, false],
        [5, 14, true],
        [6, 15, true],
      ],
    );
    assert.equal(entries[2]?.md5, 'b'.repeat(32), 'MD5s are compared in lower case');
    assert.deepEqual(
      problems.map((p) => [p.line, p.col, p.field]),
      [
        [7, 1, 'size'],
        [8, 4, 'md5'],
        [9, 1, 'line'],
      ],
    );
    const [web, , , daily] = entries as [(typeof entries)[number], unknown, unknown, (typeof entries)[number]];
    assert.equal(localPathOf(web, '/m/masterfilelist.txt', '/mirror'), '/mirror/20150218230000.export.CSV.zip');
    assert.equal(localPathOf(daily, '/m/masterfilelist.txt', '/mirror'), '/mirror/20130401.export.CSV.zip');
    assert.equal(localPathOf({ ...web, url: 'files/x.export.CSV.zip' }, '/m/list.txt', '/mirror'), '/m/files/x.export.CSV.zip');
    assert.equal(
      localPathOf({ ...web, url: 'file:///data/x.export.CSV.zip' }, '/m/list.txt', '/mirror'),
      '/data/x.export.CSV.zip',
    );
  });

  describe('proviso ingest --list', () => {
    let server: Server;
    let base = '';
    /** What the local server answers per path (a GDELT mirror reachable over HTTP). */
    const served = new Map<string, Buffer>();
    before(async () => {
      server = createServer((req, res) => {
        const body = served.get(req.url ?? '');
        if (body === undefined) res.writeHead(404).end();
        else res.writeHead(200, { 'content-length': body.length }).end(body);
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => server.close());

    it('ingests the event files of a mirror as the same files given by name, and skips them when run again', async () => {
      const dir = tempDir('list-mirror');
      const mirror = join(dir, 'mirror');
      mkdirSync(mirror);
      writeFileSync(join(mirror, '20150218230000.export.CSV.zip'), EXPORT);
      writeFileSync(join(mirror, '20150218224500.translation.export.CSV.zip'), TRANSLATION);
      const list = join(mirror, 'masterfilelist.txt');
      writeFileSync(
        list,
        `${[
          line(TRANSLATION, `${V2}/20150218224500.translation.export.CSV.zip`),
          `7 ${'0'.repeat(32)} ${V2}/20150218224500.translation.mentions.CSV.zip`,
          line(EXPORT, `${V2}/20150218230000.export.CSV.zip`),
          `9 ${'1'.repeat(32)} ${V2}/20150218230000.gkg.csv.zip`,
        ].join('\n')}\n`,
      );
      const byList = await ingest(['--list', list, '--store', join(dir, 'a')]);
      assert.equal(byList.code, 0, byList.stderr);
      assert.match(byList.stderr, /2 event files \(0 downloaded\), 2 other entries \(mentions, GKG\) left out/);
      const byName = await ingest([
        join(mirror, '20150218224500.translation.export.CSV.zip'),
        join(mirror, '20150218230000.export.CSV.zip'),
        '--store',
        join(dir, 'b'),
      ]);
      assert.equal(byName.code, 0, byName.stderr);
      for (const k of ['files', 'rows', 'inserted', 'folded', 'duplicates'] as const)
        assert.equal(byList.json()[k], byName.json()[k], k);
      assert.equal(byList.json().inserted + byList.json().folded, 200);
      const again = await ingest(['--list', list, '--store', join(dir, 'a')]);
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual([again.json().skippedFiles, again.json().inserted], [2, 0]);
    });

    it('downloads a missing file into the mirror, and refuses one that does not match the list', async () => {
      const dir = tempDir('list-download');
      const mirror = join(dir, 'mirror');
      served.set('/gdeltv2/20150218230000.export.CSV.zip', EXPORT);
      const good = join(dir, 'good.txt');
      writeFileSync(good, `${line(EXPORT, `${base}/gdeltv2/20150218230000.export.CSV.zip`)}\n`);
      const r = await ingest(['--list', good, '--mirror', mirror, '--store', join(dir, 's')]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /downloaded http:\/\/127\.0\.0\.1:\d+\/gdeltv2\/20150218230000\.export\.CSV\.zip/);
      assert.deepEqual(readFileSync(join(mirror, '20150218230000.export.CSV.zip')), EXPORT);
      assert.equal(r.json().inserted + r.json().folded, 100);

      // The server answers other bytes than the list says: nothing is stored, nothing is left.
      served.set('/gdeltv2/20150218224500.translation.export.CSV.zip', EXPORT);
      const bad = join(dir, 'bad.txt');
      writeFileSync(bad, `${line(TRANSLATION, `${base}/gdeltv2/20150218224500.translation.export.CSV.zip`)}\n`);
      const refused = await ingest(['--list', bad, '--mirror', mirror, '--store', join(dir, 't')]);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /"code":"download-mismatch"/);
      assert.match(refused.stderr, /the list says \d+ bytes, MD5 [0-9a-f]{32}/);
      assert.deepEqual(readdirSync(mirror), ['20150218230000.export.CSV.zip']);
      const events = spawnSync(
        process.execPath,
        ['--import', 'tsx', CLI, 'events', '--store', join(dir, 't'), '--format', 'json'],
        {
          cwd: REPO,
          encoding: 'utf8',
        },
      );
      assert.deepEqual(JSON.parse(events.stdout), [], 'nothing was stored');

      // A file named by a path (not a URL) that does not match is refused, naming the list's line.
      writeFileSync(join(dir, 'local.export.CSV.zip'), TRANSLATION);
      const local = join(dir, 'local.txt');
      writeFileSync(local, `${EXPORT.length} ${md5(EXPORT)} local.export.CSV.zip\n`);
      const mismatch = await ingest(['--list', local, '--store', join(dir, 'u')]);
      assert.equal(mismatch.code, 1);
      assert.match(mismatch.stderr, /"code":"list-mismatch"/);
      assert.match(mismatch.stderr, /"line":1/);
    });

    it('refuses a list with bad lines, all of them named, before anything is read', async () => {
      const dir = tempDir('list-bad');
      const list = join(dir, 'list.txt');
      writeFileSync(list, `${line(EXPORT, `${V2}/x.export.CSV.zip`)}\nnot a line at all\n12 zz ${V2}/y.export.CSV.zip\n`);
      const r = await ingest(['--list', list, '--store', join(dir, 's')]);
      assert.equal(r.code, 1);
      const error = JSON.parse(r.stderr.trim().split('\n').pop() as string) as {
        error: { code: string; problems: { line: number; col: number }[] };
      };
      assert.equal(error.error.code, 'bad-list');
      assert.deepEqual(
        error.error.problems.map((p) => [p.line, p.col]),
        [
          [2, 1],
          [3, 4],
        ],
      );
      const none = await ingest(['--store', join(dir, 's')]);
      assert.equal(none.code, 2);
      assert.match(none.stderr, /give event files or folders, or a master file list with --list/);
    });
  });
});
