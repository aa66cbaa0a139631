/**
 * Which event store a command uses: the store folder's DuckDB file (the default), or a
 * ClickHouse database (`--events clickhouse://host:port/db`, docs/scale-out.md).
 *
 * Contract:
 * - `--events URL` names the ClickHouse event store for `ingest` and `events`. An ingest
 *   with `--events` records the URL in `<store>/event-store.url` (mode 600: it may hold a
 *   password), so that every command reading that store folder (assess, history, brief,
 *   serve, events) reads its events from ClickHouse too. A folder that names another URL is
 *   refused, never silently repointed.
 * - A bad URL is a usage error; an unreachable server or a missing store a problem (exit 1)
 *   saying which server and what to do.
 * - `export events` reads the ClickHouse store a store folder names, as the other readers do.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Option } from 'commander';
import {
  ClickHouseError,
  type ClickHouseTarget,
  describeClickHouseTarget,
  parseClickHouseUrl,
} from '../adapters/clickhouse/clickhouse-connection.ts';
import type { ClickHouseEventStore, OpenClickHouseEventStoreOptions } from '../adapters/clickhouse/clickhouse-event-store.ts';
import type { ClickHouseEventExportOptions } from '../adapters/clickhouse/export-events.ts';
import type { EventExportFormat, EventExportResult } from '../adapters/duckdb/export-events.ts';
import { loadCameoTables } from '../adapters/event-formats/cameo-tables.ts';
import type { EventFilter } from '../ports/event-store.ts';
import { CliError, EXIT } from './effects.ts';

/** The file of a store folder naming its ClickHouse event store. */
export const EVENT_STORE_URL_FILE = 'event-store.url';

export function eventsOption(): Option {
  return new Option(
    '--events <url>',
    "a ClickHouse event store, clickhouse://[user[:password]@]host[:port]/database (default: the store folder's DuckDB file, or the URL it names in event-store.url)",
  );
}

/** The ClickHouse URL a command uses: `--events`, else the one the store folder names, else none (DuckDB). */
export function eventStoreUrl(option: string | undefined, storeDir: string): ClickHouseTarget | undefined {
  const file = join(storeDir, EVENT_STORE_URL_FILE);
  const text = option ?? (existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined);
  if (text === undefined) return undefined;
  try {
    return parseClickHouseUrl(text);
  } catch (err) {
    const where = option === undefined ? `${file}: ` : '--events: ';
    throw new CliError(`${where}${(err as Error).message}`, option === undefined ? EXIT.problems : EXIT.usage, 'bad-option');
  }
}

/** Records `target` as the store folder's event store (see the contract). */
export function recordEventStoreUrl(storeDir: string, target: ClickHouseTarget): void {
  const file = join(storeDir, EVENT_STORE_URL_FILE);
  const url = urlOf(target);
  if (existsSync(file)) {
    const had = readFileSync(file, 'utf8').trim();
    if (had !== url && describeClickHouseTarget(parseClickHouseUrl(had)) !== describeClickHouseTarget(target))
      throw new CliError(
        `${file} names another event store (${describeClickHouseTarget(parseClickHouseUrl(had))}); remove the file to point this store folder at ${describeClickHouseTarget(target)}`,
        EXIT.problems,
        'store-mismatch',
      );
    return;
  }
  writeFileSync(file, `${url}\n`, { mode: 0o600 });
}

function urlOf(t: ClickHouseTarget): string {
  const auth =
    t.username === 'default' && t.password === ''
      ? ''
      : `${encodeURIComponent(t.username)}${t.password === '' ? '' : `:${encodeURIComponent(t.password)}`}@`;
  const scheme = t.url.startsWith('https:') ? 'clickhouses' : 'clickhouse';
  const host = t.url.replace(/^https?:\/\//, '');
  const cluster =
    t.cluster === undefined
      ? ''
      : `?cluster=${t.cluster.name}&shards=${t.cluster.shards.map((s) => s.replace(/^https?:\/\//, '')).join(',')}`;
  return `${scheme}://${auth}${host}/${t.database}${cluster}`;
}

/**
 * Runs `work` on the ClickHouse store at `target`: an unreachable server becomes the CLI error
 * `store-unreachable`, a missing store `no-store` (both exit 1, naming the server), worded by
 * `noStore` from the adapter's message and followed by what to run first.
 */
async function asCliError<T>(target: ClickHouseTarget, work: () => Promise<T>, noStore: (message: string) => string): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ClickHouseError && err.code === undefined)
      throw new CliError(err.message, EXIT.problems, 'store-unreachable', {
        details: { store: describeClickHouseTarget(target) },
      });
    if (err instanceof Error && /no event store here/.test(err.message))
      throw new CliError(
        `${noStore(err.message)}: run \`proviso ingest <files>… --events ${describeClickHouseTarget(target)}\` first`,
        EXIT.problems,
        'no-store',
      );
    throw err;
  }
}

/** Opens the ClickHouse event store; its failures become CLI errors (exit 1) naming the server. */
export async function openClickHouseAsCliError(
  target: ClickHouseTarget,
  opts: OpenClickHouseEventStoreOptions,
): Promise<ClickHouseEventStore> {
  const { openClickHouseEventStore } = await import('../adapters/clickhouse/clickhouse-event-store.ts');
  return asCliError(
    target,
    () => openClickHouseEventStore(target, opts),
    (message) => message,
  );
}

/** Exports events from the ClickHouse event store (see `export-events.ts`); its failures become CLI errors naming the server. */
export async function exportFromClickHouseAsCliError(
  target: ClickHouseTarget,
  filter: EventFilter,
  format: EventExportFormat,
  path: string,
  opts: ClickHouseEventExportOptions,
): Promise<EventExportResult> {
  const { exportClickHouseEvents } = await import('../adapters/clickhouse/export-events.ts');
  return asCliError(
    target,
    () => exportClickHouseEvents(target, filter, format, path, opts),
    () => `${describeClickHouseTarget(target)}: no event store here`,
  );
}

/** The ClickHouse event store for reading indicators, or undefined when nothing was ingested there. */
export async function openClickHouseIfPresent(
  target: ClickHouseTarget,
  tablesDir: string,
): Promise<ClickHouseEventStore | undefined> {
  const { clickHouseEventStoreExists } = await import('../adapters/clickhouse/clickhouse-event-store.ts');
  try {
    if (!(await clickHouseEventStoreExists(target))) return undefined;
  } catch (err) {
    if (err instanceof ClickHouseError && err.code === undefined)
      throw new CliError(err.message, EXIT.problems, 'store-unreachable', {
        details: { store: describeClickHouseTarget(target) },
      });
    throw err;
  }
  const tables = loadCameoTables(tablesDir);
  return openClickHouseAsCliError(target, { groupNames: (c) => tables.groupNames.get(c), readOnly: true });
}
