/**
 * The CLI's composition root: parses arguments once, builds the real effects, runs a
 * command and maps its outcome to an exit code. Errors go to stderr (as JSON with
 * `--format json`).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { BRIEF_FORMATS } from './brief-command.ts';
import type { Format } from './commands.ts';
import { CliError, type Effects, EXIT } from './effects.ts';
import { openEventStoreForReading, registerEventCommands } from './event-commands.ts';
import { asOfOption, formatOption, LEDGER_FILE, recordedByOption, scratchOption, storeOption } from './options.ts';
import { failureJson, failureText } from './problems.ts';
import { registerSeriesCommands } from './series-commands.ts';
import { isPostgresUrl, registerServeCommands, type ServerEffects } from './server-commands.ts';

/**
 * The case commands and the stores, loaded by the commands that use them: the CLI starts
 * with commander and the commands' options only (an ingest never loads the case parser).
 */
const caseCommands = () => import('./commands.ts');

export function realEffects(): Effects {
  const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    today: () => new Date().toISOString().slice(0, 10),
    cwd: process.cwd(),
    openLedger: async (path) => (await import('../adapters/sqlite/sqlite-ledger-store.ts')).openSqliteLedgerStore(path),
    readLedger: async (path) =>
      (await import('../adapters/sqlite/sqlite-ledger-reader.ts')).openSqliteLedgerReaderIfPresent(path),
    openSeriesStore: async (storeDir) =>
      (await import('../adapters/structural/sqlite-series-store.ts')).openSeriesStoreIfPresent(storeDir),
    openEventStore: (storeDir) =>
      openEventStoreForReading(storeDir, join(packageRoot, 'data', 'cameo'), (t) => process.stderr.write(t), process.cwd()),
    importCaseData: async (caseDir, storeDir) =>
      (await import('../adapters/structural/import-case-data.ts')).importCaseData(caseDir, storeDir),
    importCaseDataInMemory: async (caseDir) =>
      (await import('../adapters/structural/import-case-data.ts')).importCaseDataInMemory(caseDir),
    writeFile: async (path, text) => {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, text, 'utf8');
    },
    packageRoot,
  };
}

/** The server commands' effects: the team store, stdin, the wall clock, a listening socket and signals. */
export function realServerEffects(base: Effects): ServerEffects {
  return {
    ...base,
    openTeamStore: async (spec) => {
      if (isPostgresUrl(spec)) {
        const { openPostgresTeamStore } = await import('../adapters/postgres/postgres-team-store.ts');
        return openPostgresTeamStore(spec);
      }
      const { openSqliteTeamStore } = await import('../adapters/sqlite/sqlite-team-store.ts');
      return openSqliteTeamStore(join(spec, LEDGER_FILE));
    },
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    now: () => new Date(),
    listen: async (fetch, port, host) => {
      const { serve } = await import('@hono/node-server');
      return new Promise((resolveListen) => {
        const server = serve({ fetch, port, hostname: host }, (info) => {
          const shown = info.family === 'IPv6' ? `[${info.address}]` : info.address;
          resolveListen({
            url: `http://${shown}:${info.port}`,
            close: () =>
              new Promise<void>((done) => {
                server.close(() => done());
                // A keep-alive connection whose request is still running when the server
                // closes would stay open for its keep-alive timeout (5 s) once answered: close
                // idle connections until the last one is gone.
                if ('closeIdleConnections' in server) {
                  const idle = server as { closeIdleConnections(): void };
                  idle.closeIdleConnections();
                  const sweep = setInterval(() => idle.closeIdleConnections(), 50);
                  sweep.unref();
                  server.once('close', () => clearInterval(sweep));
                }
              }),
          });
        });
      });
    },
    untilShutdown: () =>
      new Promise<void>((done) => {
        process.once('SIGINT', () => done());
        process.once('SIGTERM', () => done());
      }),
    bundleClient: async () => (await import('../web/client-bundle.ts')).buildClientBundle(),
    openEventQuery: async (dataDir) => {
      const store = await openEventStoreForReading(dataDir, join(base.packageRoot, 'data', 'cameo'), base.stderr, base.cwd);
      if (store === undefined) return undefined;
      return (filter, by) => store.periodAggregates(filter, by);
    },
  };
}

/** A fixed help width and no colours, when the effects ask for them (tests, golden files). */
function fixedHelp(width: number | undefined) {
  if (width === undefined) return {};
  return {
    getOutHelpWidth: () => width,
    getErrHelpWidth: () => width,
    getOutHasColors: () => false,
    getErrHasColors: () => false,
  };
}

/** The exit codes every command uses, as --help and the README list them. */
export const EXIT_CODES_HELP = [
  'Exit codes:',
  `  ${EXIT.ok}   done`,
  `  ${EXIT.problems}   problems in the input (bad case files, unreadable files, an unknown case); nothing stored`,
  `  ${EXIT.usage}   usage error (an unknown option, an impossible date)`,
  '  3   ingest only: some rows were rejected (listed in the rejects file); the rest were stored (import reports its rejected lines and exits 0)',
  `  ${EXIT.internal}  internal error (please report it)`,
  'With --format json, errors are printed on stderr as one JSON document {"error": {"code", "message", "problems"?, "details"?}},',
  'each problem {"code", "message", "file"?, "line"?, "col"?, "path"?, "field"?, "details"?} (docs/problems.md).',
].join('\n');

/**
 * The program and its commands. With `quietUsage` (the words ask for JSON) commander's own
 * usage text is not printed: the error envelope main() prints carries the message instead.
 */
export function buildProgram(
  effects: Effects,
  setExit: (code: number) => void,
  serverEffects?: ServerEffects,
  quietUsage = false,
): Command {
  const program = new Command('proviso')
    .description('Conditional engagement, made checkable: benchmarks, gates and justification verdicts from sourced evidence.')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({
      writeOut: effects.stdout,
      writeErr: quietUsage ? () => {} : effects.stderr,
      ...fixedHelp(effects.helpWidth),
    })
    .showHelpAfterError()
    .addHelpText('after', `\n${EXIT_CODES_HELP}`);
  const run = (p: Promise<number>) => p.then(setExit);

  program
    .command('validate <case>')
    .description(
      'check a case folder; prints every problem as file:line:col: message (exit 1 on any problem), and warns where the ledger differs from the folder',
    )
    .addOption(formatOption())
    .addOption(storeOption())
    .addOption(scratchOption())
    .action((dir: string, o: { format: Format; store?: string; scratch?: boolean }) =>
      run(caseCommands().then((m) => m.validateCommand(dir, o, effects))),
    );

  program
    .command('assess <case>')
    .description('benchmark statuses, gate decisions and justification verdicts as of a date')
    .addOption(asOfOption())
    .addOption(recordedByOption())
    .addOption(formatOption())
    .addOption(storeOption())
    .addOption(scratchOption())
    .action((dir: string, o: { asOf?: string; recordedBy?: string; format: Format; store?: string; scratch?: boolean }) =>
      run(caseCommands().then((m) => m.assessCommand(dir, o, effects))),
    );

  program
    .command('unlock <case>')
    .description(
      'what each instrument still needs to be unlocked (blockers, what would satisfy them, the earliest day), beside what the principal did, and how firmly each decision stands',
    )
    .option('--instrument <id>', 'only this instrument')
    .addOption(asOfOption())
    .addOption(recordedByOption())
    .addOption(formatOption())
    .addOption(storeOption())
    .addOption(scratchOption())
    .action(
      (
        dir: string,
        o: { instrument?: string; asOf?: string; recordedBy?: string; format: Format; store?: string; scratch?: boolean },
      ) => run(caseCommands().then((m) => m.unlockCommand(dir, o, effects))),
    );

  program
    .command('history <case>')
    .description('statuses at each step between two dates, and the transitions between them')
    .option('--from <date>', 'first date (default: ten years before --to)')
    .option('--to <date>', 'last date (default: today, UTC)')
    .addOption(new Option('--step <step>', 'step between points').choices(['month', 'quarter', 'year']).default('month'))
    .addOption(recordedByOption())
    .addOption(formatOption())
    .addOption(storeOption())
    .addOption(scratchOption())
    .action(
      (
        dir: string,
        o: { from?: string; to?: string; step: string; recordedBy?: string; format: Format; store?: string; scratch?: boolean },
      ) => run(caseCommands().then((m) => m.historyCommand(dir, o, effects))),
    );

  program
    .command('brief <case>')
    .description('write a brief with charts and citations (.html, .pdf or .md, chosen by the --out extension)')
    .addOption(asOfOption())
    .option('--since <date>', 'add a "what changed" section since this date')
    .requiredOption('--out <file>', 'output file (.html, .pdf or .md)')
    .addOption(new Option('--format <format>', 'brief format (default: from the --out extension)').choices([...BRIEF_FORMATS]))
    .addOption(storeOption())
    .addOption(scratchOption())
    .action(
      (
        dir: string,
        o: {
          asOf?: string;
          since?: string;
          out: string;
          format?: (typeof BRIEF_FORMATS)[number];
          store?: string;
          scratch?: boolean;
        },
      ) => run(caseCommands().then((m) => m.briefCommand(dir, o, effects))),
    );

  program
    .command('demo')
    .description(
      'the main job: assess the US–Pakistan reference case today and on 2023-03-03, and write Markdown and HTML briefs',
    )
    .addOption(storeOption())
    .addOption(scratchOption())
    .option('--out-dir <dir>', 'where to write the brief (default: out)')
    .action((o: { store?: string; outDir?: string; scratch?: boolean }) =>
      run(caseCommands().then((m) => m.demoCommand(o, effects))),
    );

  program
    .command('correct <case> [ids...]')
    .description(
      "record the folder's version of evidence items that differ from their ledger entries, as corrections superseding them (all such items if no ids are given)",
    )
    .option('--recorded <date>', "the corrections' recorded date YYYY-MM-DD (default: today, UTC)")
    .addOption(formatOption())
    .addOption(storeOption())
    .action((dir: string, ids: string[], o: { recorded?: string; format: Format; store?: string }) =>
      run(import('./correct-command.ts').then((m) => m.correctCommand(dir, ids, o, effects))),
    );

  program
    .command('export <kind> [case]')
    .description(
      'write events, a series, or a case’s assessment, history or evidence to a file for R, pandas or DuckDB (kind: events, series, assessment, history or evidence; the case kinds need <case>)',
    )
    .requiredOption('--out <file>', 'the file to write (its folder must exist); written whole or not at all')
    .addOption(
      new Option('--format <format>', 'file format: CSV, Parquet or JSON Lines (default: from the --out extension)').choices([
        'csv',
        'parquet',
        'jsonl',
      ]),
    )
    .addOption(storeOption())
    .addOption(scratchOption())
    .addOption(
      new Option(
        '--columns <view>',
        "events: the columns: common (the default; every source under one set of names), gdelt or icews (that source's events, every column under its codebook's names)",
      ).choices(['common', 'gdelt', 'icews']),
    )
    .option('--actor1 <codes>', 'events: CAMEO actor code prefixes or known groups, as `proviso events` takes them')
    .option('--actor2 <codes>', 'events: as --actor1, for the target actor')
    .option('--either', 'events: match the dyad in either direction')
    .option('--root <codes>', 'events: CAMEO root codes, comma-separated (14,18,19)')
    .option('--quad <classes>', 'events: QuadClasses 1–4, comma-separated')
    .option('--from <date>', 'events: first event day; series: first year or date; history: first date')
    .option('--to <date>', 'events: last event day; series: last year or date; history: last date')
    .option('--measure <measure>', 'series: the measure, as `proviso series --measure` takes it')
    .option('--dyad <codes>', 'series: one or two ISO3 codes, e.g. USA,PAK (required for series)')
    .option('--body <body>', 'series, vote measures: ga (default), sc or all')
    .option('--issue <topic>', 'series, vote measures: only roll calls on this issue topic')
    .addOption(asOfOption())
    .addOption(recordedByOption())
    .addOption(new Option('--step <step>', 'history: step between points (default month)').choices(['month', 'quarter', 'year']))
    .addHelpText(
      'after',
      '\nOptions by kind: events --columns --actor1 --actor2 --either --root --quad --from --to; series --measure --dyad --from --to --body --issue;\nassessment and evidence --as-of --recorded-by; history --from --to --step --recorded-by; the case kinds also --scratch.\nErrors are printed as text (--format is the file format). See docs/export.md for the columns of each kind.',
    )
    .action((kind: string, dir: string | undefined, o: import('./export-command.ts').ExportOpts) =>
      run(import('./export-command.ts').then((m) => m.exportCommand(kind, dir, o, effects))),
    );

  registerEventCommands(program, effects, setExit);
  registerSeriesCommands(program, effects, setExit);
  registerServeCommands(program, () => serverEffects ?? realServerEffects(effects), setExit);
  return program;
}

export async function main(argv: readonly string[], effects: Effects = realEffects()): Promise<number> {
  let exitCode: number = EXIT.ok;
  // JSON errors when the command that ran asked for JSON output (`--format json`, or
  // ingest's old `--json`), read from its parsed options; before parsing gets that far (a
  // usage error), from the words given.
  const wantsJsonWords =
    argv.includes('--json') || argv.includes('--format=json') || argv.some((a, i) => a === '--format' && argv[i + 1] === 'json');
  const program = buildProgram(
    effects,
    (code) => {
      exitCode = code;
    },
    undefined,
    wantsJsonWords,
  );
  let parsedJson: boolean | undefined;
  program.hook('preAction', (_program, action) => {
    const o = action.opts() as { format?: unknown; json?: unknown };
    parsedJson = o.format === 'json' || o.json === true;
  });
  const jsonErrors = () => parsedJson ?? wantsJsonWords;
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help')
        return EXIT.ok;
      // In text, commander has printed the message and the usage; in JSON, only the envelope is printed.
      if (jsonErrors())
        effects.stderr(
          failureJson({ code: 'usage', message: err.message.replace(/^error: /, ''), details: { commander: err.code } }),
        );
      return EXIT.usage;
    }
    if (err instanceof CliError) {
      const failure = { code: err.code, message: err.message, problems: err.problems, details: err.details };
      effects.stderr(jsonErrors() ? failureJson(failure) : failureText(failure));
      return err.exitCode;
    }
    const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
    if (jsonErrors()) effects.stderr(failureJson({ code: 'internal', message: String(err) }));
    else effects.stderr(`proviso: internal error (please report): ${message}\n`);
    return EXIT.internal;
  }
}
