#!/usr/bin/env node
import { join } from 'node:path';
import cliProgress from 'cli-progress';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { listExperiments, loadExperiment } from './experiments.js';
import type { ProgressSink } from './pipeline/progress.js';

/** The runner's first phase (see runExperiment). */
const CHECKS = 'checks';

/**
 * A progress bar per phase on a terminal; one line per phase otherwise (logs, CI). `announce` runs
 * once the checks have passed (so a run they refuse prints nothing but its error).
 */
function progressBar(announce: () => void): ProgressSink & { abort(): void } {
  const tty = Boolean(process.stderr.isTTY);
  let bar: cliProgress.SingleBar | undefined;
  let phaseStart = 0;
  let phase = '';
  return {
    start(name, total) {
      if (name !== CHECKS) announce();
      phase = name;
      phaseStart = performance.now();
      if (!tty) return;
      bar = new cliProgress.SingleBar(
        {
          format: `${name.padEnd(18)} {bar} {percentage}% | {eta_formatted} left`,
          stream: process.stderr,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0);
    },
    update(value) {
      bar?.update(value);
    },
    stop() {
      bar?.stop();
      bar = undefined;
      announce();
      if (!tty)
        process.stderr.write(`${phase}: done in ${((performance.now() - phaseStart) / 1000).toFixed(1)} s\n`);
    },
    abort() {
      bar?.stop();
      bar = undefined;
    },
  };
}

const integer = (min: number) => (value: string) => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min)
    throw new InvalidArgumentError(`expected an integer ≥ ${min}`);
  return n;
};
const positive = () => (value: string) => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError('expected a positive number');
  return n;
};

/** Commander's error text as one line naming the option or argument (its own text says "error: …"). */
function commanderLine(error: CommanderError): string {
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

const fmt = (x: unknown) => (typeof x === 'number' ? (x < 0.01 ? x.toExponential(2) : x.toFixed(4)) : '—');

/** The `freqbias` command line. */
export function cli(): Command {
  const program = new Command('freqbias')
    .description('Fourier Features networks vs the frequency-dynamics PDE: train, solve, compare, report.')
    // errors reach the one-line handler below instead of commander's own two-line output
    .exitOverride()
    .configureOutput({ writeErr: () => {} });

  program
    .command('run')
    .description('run an experiment: a config file or the name of a bundled experiment (see `freqbias list`)')
    .argument('<config>', 'config.json or bundled experiment name')
    .option(
      '-o, --out <dir>',
      'output folder (default: out/<name>); a previous report there is replaced, other data never',
    )
    .option('--seed <n>', 'train a single seed n instead of the config’s seeds', integer(0))
    .option('--width <m>', 'network width m (even with mirrored initialisation)', integer(1))
    .option('--time <t>', 'final training time t', positive())
    .option(
      '--max-memory <GiB>',
      'refuse runs estimated to need more memory (default: 75% of this machine’s)',
      positive(),
    )
    .option('--max-steps <n>', 'refuse runs of more time steps (default 1e7)', positive())
    .addHelpText(
      'after',
      '\nExit codes: 0 every claim passed (or none), 1 an error (nothing written), 3 the run finished and some claim failed (report written).',
    )
    .action(
      async (
        ref: string,
        opts: {
          out?: string;
          seed?: number;
          width?: number;
          time?: number;
          maxMemory?: number;
          maxSteps?: number;
        },
      ) => {
        const { config, source, baseDir } = loadExperiment(ref, {
          seed: opts.seed,
          width: opts.width,
          time: opts.time,
        });
        const out = opts.out ?? join('out', config.name);
        // the run, the plots and tfjs load only when needed, so `list` and `--help` start fast
        const [{ runExperiment }, { checkReportFolder, reportFiles, writeReportFolder }] = await Promise.all([
          import('./pipeline/run.js'),
          import('./report/index.js'),
        ]);
        // a previous report is replaced; anything else is refused now, not after a run of minutes
        await checkReportFolder(out, { overwrite: true });
        let announced = false;
        const announce = () => {
          if (!announced) process.stderr.write(`freqbias: running ${config.name} (${source})\n`);
          announced = true;
        };
        const progress = progressBar(announce);
        const result = await runExperiment(config, {
          baseDir,
          progress,
          limits: {
            ...(opts.maxMemory !== undefined ? { memoryBytes: opts.maxMemory * 2 ** 30 } : {}),
            ...(opts.maxSteps !== undefined ? { steps: Math.floor(opts.maxSteps) } : {}),
          },
          onFinding: (f) => {
            announce();
            process.stderr.write(`freqbias: ${f.level}: ${f.field}: ${f.message}\n`);
          },
        }).catch((error: unknown) => {
          progress.abort();
          // a refused run names the config, as config errors do
          if (error instanceof Error && error.name === 'PreflightError')
            error.message = `${source}: ${error.message}`;
          throw error;
        });
        const folder = await writeReportFolder(out, await reportFiles(result.reportData), {
          overwrite: true,
        });
        const { metrics, timings, network, claims } = result.report;
        const lines = [
          `engine ${network.engine} (${network.backend}), η = ${fmt(network.learningRate)}, ${timings.totalSeconds.toFixed(1)} s`,
          ...(['nnVsPde', 'nnVsKernel', 'kernelVsPde'] as const)
            .filter((p) => metrics[p])
            .map((p) => `${p.padEnd(12)} max relL2 ${fmt(metrics[p]!.max)}`),
          ...claims.map((c) => `${c.pass ? 'PASS' : 'FAIL'} ${c.claim}: ${c.measured}`),
          ...(result.report.warnings.some((w) => w.level === 'warning')
            ? [
                `${result.report.warnings.filter((w) => w.level === 'warning').length} warning(s): see report.json`,
              ]
            : []),
          `report: ${join(folder, 'report.html')}`,
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
        if (claims.some((c) => !c.pass)) process.exitCode = EXIT.claimFailed;
      },
    );

  program
    .command('list')
    .description('list the bundled experiments')
    .action(() => {
      const all = listExperiments();
      const width = Math.max(0, ...all.map((e) => e.name.length));
      for (const e of all) process.stdout.write(`${e.name.padEnd(width)}  ${e.description}\n`);
    });
  return program;
}

const program = cli();
program.parseAsync(process.argv).catch((error: unknown) => {
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
});
