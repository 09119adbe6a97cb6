#!/usr/bin/env node
// The `freqbias` executable (package.json's bin, and what the CLI tests run): the program is in cli/.
import { reportError } from './cli/errors.js';
import { cli } from './cli/program.js';

export { EXIT } from './cli/errors.js';
export { cli } from './cli/program.js';

// a reader that stops early (`freqbias list | head`) closes the pipe: stop quietly, as Unix tools do
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const program = cli();
program.parseAsync(process.argv).catch((error: unknown) => reportError(program, error));
