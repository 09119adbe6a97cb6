#!/usr/bin/env node
// The `freqbias` executable (package.json's bin, and what the CLI tests run): the program is in cli/.
import { reportError } from './cli/errors.js';
import { cli } from './cli/program.js';

export { EXIT } from './cli/errors.js';
export { cli } from './cli/program.js';

const program = cli();
program.parseAsync(process.argv).catch((error: unknown) => reportError(program, error));
