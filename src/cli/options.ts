/**
 * What every command's options share, kept light: the CLI loads it for `--help` and for
 * every command, before it loads any command's own modules.
 */
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
