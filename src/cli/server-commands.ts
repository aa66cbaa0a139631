/**
 * The server commands' options (`proviso serve`, `user add`, `token create`) and their
 * effects; the commands themselves (serve-command.ts, with the HTTP stack, the case parser
 * and the webhooks) load when one of them runs.
 */
import { type Command, Option } from 'commander';
import type { EventQueryFn } from '../http/context.ts';
import { ROLES, type TeamStore } from '../ports/team-store.ts';
import type { Effects } from './effects.ts';
import { formatOption, STORE_HELP } from './options.ts';
import type { ServeOpts, TokenCreateOpts, UserAddOpts } from './serve-command.ts';

const implementation = () => import('./serve-command.ts');

export function isPostgresUrl(spec: string): boolean {
  return /^postgres(ql)?:\/\//i.test(spec);
}

export interface ServerEffects extends Effects {
  /** Opens the team store: a folder (SQLite) or a postgres:// URL. */
  readonly openTeamStore: (spec: string) => Promise<TeamStore>;
  /** Reads standard input to its end. */
  readonly readStdin: () => Promise<string>;
  /** The wall clock (timestamps of audit records and sessions). */
  readonly now: () => Date;
  /** Listens; resolves with the URL once listening. */
  readonly listen: (
    fetch: (req: Request) => Response | Promise<Response>,
    port: number,
    host: string,
  ) => Promise<{ url: string; close: () => Promise<void> }>;
  /** Resolves when the process is asked to stop (SIGINT, SIGTERM). */
  readonly untilShutdown: () => Promise<void>;
  readonly bundleClient?: () => Promise<string>;
  readonly openEventQuery?: (dataDir: string) => Promise<EventQueryFn | undefined>;
}

/**
 * The ranges `proviso serve` accepts for the worker pool's limits (src/http/workers/work-pool.ts),
 * whole numbers: worker threads, jobs waiting, a job's running time in seconds, a worker's heap in MiB.
 */
export const WORK_POOL_FLAGS = {
  workers: { min: 1, max: 256 },
  queue: { min: 0, max: 10_000 },
  'job-timeout': { min: 1, max: 3600 },
  'worker-memory': { min: 64, max: 65_536 },
} as const;

function range(flag: keyof typeof WORK_POOL_FLAGS): string {
  const r = WORK_POOL_FLAGS[flag];
  return `${r.min}–${r.max}`;
}

export function registerServeCommands(program: Command, effects: () => ServerEffects, setExit: (code: number) => void): void {
  const teamStoreOption = () =>
    new Option('--store <dir|url>', `${STORE_HELP}, or a postgres:// URL (multi-user: users, sessions and the ledger)`);
  const run = (p: Promise<number>) => p.then(setExit);
  program
    .command('serve')
    .description('serve the HTTP API (/api, /openapi.json) and the web UI for a team')
    .option('--port <n>', 'port to listen on (0: any free port)', '8080')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .addOption(teamStoreOption())
    .option('--data <dir>', 'folder with the event and series stores (default: the store folder; .proviso with PostgreSQL)')
    .option('--case <dir...>', 'case folders to serve (default: the reference case in examples/)')
    .option('--secure-cookies', 'mark cookies Secure (when served behind HTTPS)')
    .option(
      '--trust-proxy',
      'count sign-in attempts by the last X-Forwarded-For address (only behind a reverse proxy that sets it)',
    )
    .option(
      '--allow-private-webhooks',
      'accept webhook URLs on localhost and loopback, private or link-local addresses (refused by default)',
    )
    .option(
      '--workers <n>',
      `worker threads for heavy work: assessments, histories, briefs, case pages (${range('workers')}; default: one less than the cores, at least 1)`,
    )
    .option(
      '--queue <n>',
      `heavy requests that may wait for a worker; more are answered 503 busy (${range('queue')}; default: 8 per worker, at least 16)`,
    )
    .option(
      '--job-timeout <seconds>',
      `longest a heavy request may compute; it is then stopped and answered 504 timeout (${range('job-timeout')}; default 30)`,
    )
    .option(
      '--worker-memory <MiB>',
      `heap limit of each worker thread; a request over it is answered 503 unavailable (${range('worker-memory')}; default: Node's)`,
    )
    .action((o: ServeOpts) => run(implementation().then((m) => m.serveCommand(o, effects()))));

  const user = program.command('user').description('manage the server’s users');
  user
    .command('add <name>')
    .description(`add a user; roles: ${ROLES.join(', ')}. Without --password-stdin a password is generated and printed once`)
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--password-stdin', 'read the password from the first line of standard input')
    .addOption(formatOption(['text', 'json']))
    .addOption(teamStoreOption())
    .action((name: string, o: UserAddOpts) => run(implementation().then((m) => m.userAddCommand(name, o, effects()))));

  const token = program.command('token').description('manage API tokens');
  token
    .command('create')
    .description('create an API token for a user; the token is printed once on stdout (stored hashed)')
    .requiredOption('--user <name>', 'the user the token acts as')
    .option('--name <label>', 'a label for the token (e.g. laptop)')
    .addOption(formatOption(['text', 'json']))
    .addOption(teamStoreOption())
    .action((o: TokenCreateOpts) => run(implementation().then((m) => m.tokenCreateCommand(o, effects()))));
}
