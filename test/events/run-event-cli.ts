/** Runs the CLI as a program of its own (for child-process tests): argv → exit code, errors mapped as `proviso` maps them. */
import { main } from '../../src/cli/main.ts';

process.exitCode = await main(process.argv.slice(2));
