import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { listExperiments, loadExperiment } from '../config/index.js';
import { EXIT } from './errors.js';
import { progressBar } from './progress.js';

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

const slurmTime = () => (value: string) => {
  if (!/^(?:\d+-)?\d+(?::\d+){0,2}$|^(?:UNLIMITED|INFINITE)$/.test(value))
    throw new InvalidArgumentError(
      'expected a Slurm time limit: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS',
    );
  return value;
};
const slurmWord = (what: string, pattern: RegExp) => (value: string) => {
  if (!pattern.test(value)) throw new InvalidArgumentError(`expected ${what}`);
  return value;
};
const collectArgs = (value: string, previous: string[] = []) => [...previous, value];

const fmt = (x: unknown) => (typeof x === 'number' ? (x < 0.01 ? x.toExponential(2) : x.toFixed(4)) : '—');

/** The `freqbias` command line. */
export function cli(): Command {
  const program = new Command('freqbias')
    .description('Fourier Features networks vs the frequency-dynamics PDE: train, solve, compare, report.')
    // errors reach reportError (cli/errors.ts) instead of commander's own two-line output
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
          import('../pipeline/run.js'),
          import('../report/index.js'),
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
    .command('sweep')
    .description(
      'run a study: every point of a sweep over config paths, in a pool of worker processes or as a Slurm job array',
    )
    .argument('<study>', 'study.json or bundled study name (width-scan, sigma-w-scan, sigma-a-scan)')
    .option(
      '-o, --out <dir>',
      'study folder (default: out/<name>): DIR/points/<id>/, DIR/study.csv, DIR/study.html',
    )
    .option('-j, --jobs <n>', 'worker processes (default: the number of cores)', integer(1))
    .option('--index <k>', 'run point k alone, here (what a scheduler task runs)', integer(0))
    .option(
      '--dry-run',
      'list the points, their ids and status; run nothing (with --slurm: write the job script only)',
    )
    .option('--collect', 'rebuild study.csv, study.json, the plots and study.html from the point folders')
    .option(
      '--slurm',
      'write DIR/sweep.sbatch (one array task per unfinished point) and submit it with sbatch',
    )
    .option('--wait', 'with --slurm: wait for the job array, show its progress, then collect')
    .option(
      '--partition <name>',
      'with --slurm: the partition',
      slurmWord('a partition name', /^[\w.-]+(,[\w.-]+)*$/),
    )
    .option('--time <limit>', 'with --slurm: the time limit per point (e.g. 30, 2:00:00, 1-00)', slurmTime())
    .option('--cpus-per-task <n>', 'with --slurm: cores per point', integer(1))
    .option(
      '--mem <size>',
      'with --slurm: memory per point (e.g. 8G)',
      slurmWord('a size like 8G or 16000M', /^\d+[KMGT]?$/),
    )
    .option(
      '--account <name>',
      'with --slurm: the account to charge',
      slurmWord('an account name', /^[\w.-]+$/),
    )
    .option('--parallel <n>', 'with --slurm: array tasks running at once, at most', integer(1))
    .option(
      '--sbatch-option <opt>',
      'with --slurm: a further #SBATCH line, e.g. --qos=short (repeatable)',
      collectArgs,
    )
    .option(
      '--max-memory <GiB>',
      'refuse points estimated to need more memory (default: 75% of the machine’s)',
      positive(),
    )
    .option('--max-steps <n>', 'refuse points of more time steps (default 1e7)', positive())
    .addHelpText(
      'after',
      '\nA second sweep skips every finished point. Exit codes: 0 every point finished and every claim passed, 1 an error or some point failed (recorded in DIR/points/<id>/point.json; the next sweep runs it again), 3 every point finished and some claim failed.',
    )
    .action(async (ref: string, opts: Record<string, unknown>) => {
      const { sweepCommand } = await import('../study/command.js');
      process.exitCode = await sweepCommand(ref, opts);
    });

  program
    .command('design')
    .description(
      'design ρ_w from the PDE: search a family for a goal (fastest loss decay, a learning-time profile), then check it by training',
    )
    .argument(
      '<spec>',
      'design spec (a config without distribution, plus goal and family) or bundled design name',
    )
    .option(
      '-o, --out <dir>',
      'output folder (default: out/<name>): design.json, design.html, the verification runs in designed/ and start/',
    )
    .option('--no-verify', 'skip training: the PDE prediction only')
    .addHelpText(
      'after',
      '\nExit codes: 0 done (and the designed ρ_w beats the start on the trained network), 1 an error (nothing written), 3 the designed ρ_w did not beat the start on the trained network, or with --no-verify on the PDE (folder written).',
    )
    .action(async (ref: string, opts: { out?: string; verify?: boolean }) => {
      const { designCommand } = await import('../design/command.js');
      process.exitCode = await designCommand(ref, opts);
    });

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
