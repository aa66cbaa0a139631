/** Runs the event commands as a program of their own (for child-process tests): argv → exit code. */
import { Command, CommanderError } from 'commander';
import { CliError } from '../../src/cli/effects.ts';
import { registerEventCommands } from '../../src/cli/event-commands.ts';
import { realEffects } from '../../src/cli/main.ts';

const effects = realEffects();
let code = 0;
const program = new Command('proviso').exitOverride();
registerEventCommands(program, effects, (c) => {
  code = c;
});
try {
  await program.parseAsync(process.argv.slice(2), { from: 'user' });
} catch (err) {
  if (err instanceof CliError) {
    process.stderr.write(`proviso: ${err.message}\n`);
    code = err.exitCode;
  } else if (err instanceof CommanderError) code = 2;
  else throw err;
}
process.exitCode = code;
