/**
 * What every command's options share, kept light: the CLI loads it for `--help` and for
 * every command, before it loads any command's own modules.
 */
import { InvalidArgumentError, Option } from 'commander';
import { dateProblem } from '../core/dates.ts';
import { CliError, EXIT } from './effects.ts';

/** The store folder: the ledger (ledger.sqlite) and, once data is loaded, the event and series stores. */
export const DEFAULT_STORE = '.proviso';
export const LEDGER_FILE = 'ledger.sqlite';
/** The ledger `--scratch` runs on: private to the command, in memory, discarded at its end. */
export const SCRATCH_LEDGER = ':memory:';

/** A date option's value, checked (YYYY-MM-DD, a real day); a usage error names the option. */
export function parseDateOption(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const problem = dateProblem(value);
  if (problem !== undefined) throw new CliError(`--${name}: ${problem}`, EXIT.usage, 'bad-option');
  return value;
}

/** What a command prints its results as: `text` for people, `json` and `csv` for programs. */
export const OUTPUT_FORMATS = ['text', 'json', 'csv'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/**
 * `--format text|json|csv` (or the subset a command offers); errors follow it: JSON errors
 * with json. `aliases` are old spellings still taken (events' and series' `table` is `text`).
 */
export function formatOption(
  formats: readonly OutputFormat[] = OUTPUT_FORMATS,
  aliases: Readonly<Record<string, OutputFormat>> = {},
): Option {
  const option = new Option('--format <format>', `output format: ${formats.join(', ')} (with json, errors are JSON on stderr)`);
  if (Object.keys(aliases).length === 0) return option.choices([...formats]).default('text');
  return option
    .argParser((v: string) => {
      const f = aliases[v] ?? v;
      if ((formats as readonly string[]).includes(f)) return f;
      throw new InvalidArgumentError(`Allowed choices are ${formats.join(', ')}.`);
    })
    .default('text');
}

/** What `--store` holds, said once; serve adds the PostgreSQL URL it also takes. */
export const STORE_HELP = `store folder: the SQLite ledger and the event and series stores (default ${DEFAULT_STORE})`;

export function storeOption(help: string = STORE_HELP): Option {
  return new Option('--store <dir>', help);
}

export function asOfOption(): Option {
  return new Option('--as-of <date>', 'assessment date YYYY-MM-DD (default: today, UTC)');
}

export function recordedByOption(): Option {
  return new Option(
    '--recorded-by <date>',
    'use only ledger entries recorded by this date YYYY-MM-DD (reproduces an earlier assessment exactly)',
  );
}

export function scratchOption(): Option {
  return new Option(
    '--scratch',
    'run on the case folder alone (an in-memory ledger and series store): nothing in the store folder is read, written or created',
  ).conflicts('store');
}

/**
 * `--from` and `--to` checked once: each a real day (YYYY-MM-DD) and from not after to; a
 * usage error names the option. `defaults` fill in what was not given before the order is checked.
 */
export function parseDateRange(
  opts: DateRangeInput,
  defaults: { readonly from: (to: string) => string; readonly to: () => string },
): { readonly from: string; readonly to: string };
export function parseDateRange(opts: DateRangeInput): { readonly from: string | undefined; readonly to: string | undefined };
export function parseDateRange(
  opts: DateRangeInput,
  defaults?: { readonly from: (to: string) => string; readonly to: () => string },
): { readonly from: string | undefined; readonly to: string | undefined } {
  const given = parseDateOption('to', opts.to);
  const to = given ?? defaults?.to();
  const from = parseDateOption('from', opts.from) ?? (to === undefined ? undefined : defaults?.from(to));
  if (from !== undefined && to !== undefined && from > to) {
    throw new CliError(`--from ${from} is after --to ${to}`, EXIT.usage, 'bad-option');
  }
  return { from, to };
}

interface DateRangeInput {
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}
