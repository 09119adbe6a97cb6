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
    .command('list')
    .description('list the bundled experiments')
    .action(() => {
      const all = listExperiments();
      const width = Math.max(0, ...all.map((e) => e.name.length));
      for (const e of all) process.stdout.write(`${e.name.padEnd(width)}  ${e.description}\n`);
    });
  return program;
}
