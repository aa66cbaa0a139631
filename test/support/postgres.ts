/**
 * PostgreSQL for tests: `postgresUrlForTests()` gives the URL of a fresh, empty database
 * (CREATE DATABASE with a random name) on
 * - the server whose admin URL is `PROVISO_TEST_PG_URL`, if set (`scripts/run-tests.mjs`
 *   sets it to the one embedded server it starts for the whole run), or else
 * - an embedded server started on first use, once per test process, by a keeper process
 *   (`scripts/embedded-postgres.mjs`).
 *
 * After the test file (a top-level `after` hook, registered on import): databases created
 * on a given server are dropped, and an embedded server is stopped and its files removed.
 * Should the test process die first, the keeper notices (its stdin closes) and cleans up.
 */
import { randomUUID } from 'node:crypto';
import { after } from 'node:test';
import pg from 'pg';
import { type PostgresKeeper, startPostgresKeeper } from '../../scripts/embedded-postgres.mjs';

interface TestServer {
  readonly adminUrl: string;
  /** Present when this process started the server. */
  readonly keeper?: PostgresKeeper;
}

let server: Promise<TestServer> | undefined;
const created: string[] = [];

function testServer(): Promise<TestServer> {
  server ??= (async (): Promise<TestServer> => {
    const given = process.env.PROVISO_TEST_PG_URL;
    if (given !== undefined && given !== '') return { adminUrl: given };
    const keeper = await startPostgresKeeper();
    return { adminUrl: keeper.url, keeper };
  })();
  return server;
}

async function asAdmin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The URL of a new, empty database (see the module comment). */
export async function postgresUrlForTests(): Promise<string> {
  const { adminUrl } = await testServer();
  const name = `proviso_test_${randomUUID().replaceAll('-', '')}`;
  await asAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`));
  created.push(name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

after(async () => {
  if (server === undefined) return;
  const started = await server.catch(() => undefined);
  if (started === undefined) return;
  if (started.keeper !== undefined) {
    await started.keeper.stop();
    return;
  }
  // A server we were given: leave it as we found it.
  await asAdmin(started.adminUrl, async (client) => {
    for (const name of created.splice(0)) {
      await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
    }
  });
});
