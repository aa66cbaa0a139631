/** Runs the whole CLI as a program of its own (for child-process tests): argv → exit code. */
import { main } from '../../src/cli/main.ts';

process.exitCode = await main(process.argv.slice(2));
