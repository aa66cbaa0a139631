/**
 * `proviso serve` reading its events from ClickHouse, end to end, as a team runs it: one
 * GDELT file ingested through the CLI into a ClickHouse event store (the store folder then
 * names it in `event-store.url`) and, for comparison, into a store folder's DuckDB file;
 * a user and a token; `serve` started on each folder in a process of its own. The events API
 * must answer what the file says (counts worked out here from the rows), and the same as the
 * DuckDB-backed server; the reference case's brief, whose GDELT indicator reads the event
 * store, must be the same document from both, with the indicator's count from the file.
 *
 * Without a clickhouse-server binary these tests are skipped with a message saying how to
 * install one; with PROVISO_REQUIRE_CLICKHOUSE=1 (CI) they fail instead.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { type ClickHouseKeeper, findClickHouseServer, startClickHouseKeeper } from '../../scripts/clickhouse-server.mjs';
import { REPO, syntheticGdelt2Row, tempDir } from './support.ts';

const CLI = join(REPO, 'test', 'events', 'run-event-cli.ts');
const MISSING =
  'no clickhouse-server binary: apt-get install clickhouse-server clickhouse-client (Debian), or set PROVISO_CLICKHOUSE_SERVER';
const found = findClickHouseServer();
if (found === undefined && process.env.PROVISO_REQUIRE_CLICKHOUSE === '1')
  throw new Error(`${MISSING} (PROVISO_REQUIRE_CLICKHOUSE=1)`);

const day = (start: string, plus: number) => {
  const t = new Date(`${start}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + plus);
  return t.toISOString().slice(0, 10);
};
const compact = (d: string) => d.replaceAll('-', '');

/**
 * One event a day from 2021-01-01 to 2022-03-31, each added the day it happened (so every
 * day is covered): USA–GBR cooperation; every 4th day PAKREB against India (QuadClass 4,
 * what the reference case's GDELT indicator counts); every 6th day USA–PAK, either way.
 */
function rows(): { line: string; date: string; actor1: string; actor2: string; quad: number }[] {
  const out = [];
  for (let i = 0; i < 455; i++) {
    const date = day('2021-01-01', i);
    const [actor1, actor2, code, quad] =
      i % 4 === 0
        ? ['PAKREB', 'IND', '190', 4]
        : i % 6 === 0
          ? i % 12 === 0
            ? ['USA', 'PAK', '042', 1]
            : ['PAKMIL', 'USAGOV', '173', 4]
          : ['USA', 'GBR', '042', 1];
    const c = syntheticGdelt2Row(i).split('\t');
    c[0] = String(900_000_000 + i);
    c[1] = compact(date);
    c[2] = compact(date).slice(0, 6);
    c[3] = date.slice(0, 4);
    c[4] = '';
    c[5] = actor1;
    c[6] = `NAME ${actor1}`;
    c[7] = actor1.slice(0, 3);
    c[12] = actor1.slice(3);
    c[15] = actor2;
    c[16] = `NAME ${actor2}`;
    c[17] = actor2.slice(0, 3);
    c[22] = actor2.slice(3);
    c[26] = code;
    c[27] = code;
    c[28] = code.slice(0, 2);
    c[29] = String(quad);
    c[59] = `${compact(date)}120000`;
    c[60] = `https://example.org/serve/${i}`;
    out.push({ line: c.join('\t'), date, actor1, actor2, quad });
  }
  return out;
}

function cli(args: readonly string[], input = '') {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: REPO, input, encoding: 'utf8' });
  assert.equal(r.status, 0, `proviso ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** `proviso serve --port 0 --store DIR`: resolves with its URL once it prints it. */
async function serve(store: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', '--port', '0', '--store', store], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  for await (const line of createInterface({ input: child.stdout as NodeJS.ReadableStream })) {
    const m = /at (http:\/\/\S+) \(store: /.exec(line);
    if (m) return { url: m[1] as string, child };
  }
  throw new Error(`serve did not start: ${stderr}`);
}

describe('proviso serve on a ClickHouse event store', { skip: found === undefined ? MISSING : false }, () => {
  const data = rows();
  let keeper: ClickHouseKeeper;
  const servers: Record<'clickhouse' | 'duckdb', { url: string; child: ChildProcess; token: string }> = {} as never;
  before(async () => {
    keeper = await startClickHouseKeeper({ shards: 1 });
    const dir = tempDir('ch-serve');
    const file = join(dir, '20220331.export.CSV');
    writeFileSync(file, `${data.map((r) => r.line).join('\n')}\n`);
    const url = `clickhouse://${(keeper.urls[0] as string).replace(/^http:\/\//, '')}/served`;
    for (const [name, extra] of [
      ['clickhouse', ['--events', url]],
      ['duckdb', []],
    ] as const) {
      const store = join(dir, name);
      cli(['ingest', file, '--store', store, ...extra]);
      cli(['user', 'add', 'ana', '--role', 'viewer', '--password-stdin', '--store', store], 'a long enough passphrase\n');
      const token = cli(['token', 'create', '--user', 'ana', '--store', store]).trim();
      servers[name] = { ...(await serve(store)), token };
    }
  });
  after(async () => {
    for (const s of Object.values(servers)) s.child.kill('SIGTERM');
    await keeper?.stop();
  });

  const get = async (name: 'clickhouse' | 'duckdb', path: string) => {
    const s = servers[name];
    const r = await fetch(`${s.url}${path}`, { headers: { Authorization: `Bearer ${s.token}` } });
    assert.equal(r.status, 200, `${name} ${path}: ${await r.clone().text()}`);
    return r;
  };

  it('answers the events API from ClickHouse with the counts of the file, as the DuckDB store does', async () => {
    const count = (keep: (r: (typeof data)[number]) => boolean, period: (d: string) => string) => {
      const m = new Map<string, number>();
      for (const r of data.filter(keep)) m.set(period(r.date), (m.get(period(r.date)) ?? 0) + 1);
      return [...m].sort().map(([p, n]) => ({ period: p, count: n }));
    };
    const queries: [string, ReturnType<typeof count>][] = [
      [
        '?by=year',
        count(
          () => true,
          (d) => d.slice(0, 4),
        ),
      ],
      [
        '?actor1=USA&actor2=PAK&either=true&by=month',
        count(
          (r) =>
            (r.actor1.startsWith('USA') && r.actor2.startsWith('PAK')) ||
            (r.actor1.startsWith('PAK') && r.actor2.startsWith('USA')),
          (d) => d.slice(0, 7),
        ),
      ],
      [
        '?actor1=PAKREB&actor2=IND&quad=4&from=2021-06-01&to=2021-06-30&by=day',
        count(
          (r) => r.actor1 === 'PAKREB' && r.date >= '2021-06-01' && r.date <= '2021-06-30',
          (d) => d,
        ),
      ],
    ];
    for (const [query, expected] of queries) {
      const fromClickHouse = (await (await get('clickhouse', `/api/events${query}`)).json()) as {
        rows: { period: string; count: number }[];
      };
      assert.deepEqual(
        fromClickHouse.rows.map(({ period, count }) => ({ period, count })),
        expected,
        query,
      );
      assert.ok(expected.length > 0, query);
      // The same as DuckDB's; sums and means to 1e-9 (the engines add in different orders).
      const fromDuckDb = await (await get('duckdb', `/api/events${query}`)).json();
      const rounded = (x: unknown) =>
        JSON.parse(JSON.stringify(x, (_k, v) => (typeof v === 'number' ? Number(v.toPrecision(10)) : v)));
      assert.deepEqual(rounded(fromClickHouse), rounded(fromDuckDb), query);
    }
  });

  it("writes the same brief from ClickHouse as from DuckDB, citing the GDELT indicator's days from the file", async () => {
    const path = '/api/cases/us-pakistan/brief?asOf=2022-03-31&format=md';
    const brief = await (await get('clickhouse', path)).text();
    assert.equal(brief, await (await get('duckdb', path)).text());
    // The indicator counts PAKREB/SASREB → IND material-conflict events a day: each day it cites is one of the file's.
    const perDay = new Map<string, number>();
    for (const r of data.filter((r) => r.actor1 === 'PAKREB')) perDay.set(r.date, (perDay.get(r.date) ?? 0) + 1);
    const cited = [...brief.matchAll(/`series:militant_conflict_vs_india:(\d{4}-\d{2}-\d{2}):[^`]*` — [^:]+: (\d+) for \1/g)];
    assert.ok(cited.length > 50, `the brief cites the indicator's days (${cited.length})`);
    for (const [, date, value] of cited) assert.equal(Number(value), perDay.get(date as string), date);
  });
});
