import { type Command, CommanderError } from 'commander';

/** Commander's error text as one line naming the option or argument (its own text says "error: …"). */
export function commanderLine(error: CommanderError): string {
  const text = error.message.replace(/^error: /, '').replace(/\.$/, '');
  const invalid = /^option '(-\w, )?(--[\w-]+)[^']*' argument '(.*)' is invalid\. (.*)$/.exec(text);
  if (invalid) return `${invalid[2]}: ${invalid[4]}, got ${JSON.stringify(invalid[3])}`;
  const unknown = /^unknown (option|command) '(.*)'(.*)$/.exec(text);
  if (unknown) return `${unknown[2]}: unknown ${unknown[1]}${unknown[3]} (see freqbias --help)`;
  const missing = /^missing required argument '(.*)'$/.exec(text);
  if (missing) return `${missing[1]}: missing required argument (see freqbias run --help)`;
  const noValue = /^option '(-\w, )?(--[\w-]+)[^']*' argument missing$/.exec(text);
  if (noValue) return `${noValue[2]}: expected a value`;
  return `${text} (see freqbias --help)`;
}

/** Exit codes (documented in the README): 0 all claims pass, 1 an error, 3 the run finished and a claim failed. */
export const EXIT = { ok: 0, error: 1, claimFailed: 3 } as const;

/**
 * Reports an error of the command line as one `freqbias: …` line on stderr and sets the exit code
 * (help and version requests are not errors; `freqbias` alone prints the help and exits 1).
 */
export function reportError(program: Command, error: unknown): void {
  if (error instanceof CommanderError) {
    // --help, --version, and `freqbias` alone (help, then exit code 1 from commander)
    if (['commander.helpDisplayed', 'commander.version'].includes(error.code)) return;
    if (error.code === 'commander.help') {
      process.stderr.write(program.helpInformation());
      process.exitCode = EXIT.error;
      return;
    }
    process.stderr.write(`freqbias: ${commanderLine(error)}\n`);
    process.exitCode = EXIT.error;
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`freqbias: ${message.split('\n')[0]}\n`);
  process.exitCode = EXIT.error;
}
