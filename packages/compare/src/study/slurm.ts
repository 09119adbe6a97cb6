import { spawn } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SBATCH_FILE, SLURM_LOGS } from './record.js';

/*
 * A study on a Slurm cluster (issue 11): DIR/sweep.sbatch is a job array with one task per
 * unfinished point, each task running `freqbias sweep STUDY --out DIR --index K` (so a task is one
 * point, written whole into the shared DIR/points/<id>/). Tasks run from the submitting folder with
 * the same node and freqbias as the submission (override node with FREQBIAS_NODE); temporary files
 * go to the node's local scratch (SLURM_TMPDIR or TMPDIR). Without --wait a last job, dependent on
 * the array, collects the table.
 */

/** Array tasks per job at most: Slurm's default MaxArraySize is 1001 (indices 0…1000). */
export const ARRAY_CHUNK = 1000;

/** sbatch options of a `--slurm` sweep. */
export interface SlurmOptions {
  readonly partition?: string;
  /** Time limit per task, in Slurm's format (`30`, `2:00:00`, `1-12`). */
  readonly time?: string;
  readonly cpusPerTask?: number;
  readonly mem?: string;
  readonly account?: string;
  /** Array tasks running at once, at most (`--array=…%N`). */
  readonly parallel?: number;
  /** Further sbatch options, each one `#SBATCH` line (`--qos=short`). */
  readonly extra?: readonly string[];
}

/** What the job script runs: node with its flags, the freqbias CLI, the study and DIR (absolute paths). */
export interface SweepCommand {
  readonly node: string;
  readonly nodeArgs: readonly string[];
  readonly cli: string;
  readonly study: string;
  readonly out: string;
  /** Where the tasks run (the folder the sweep was started in). */
  readonly cwd: string;
  /** Options passed on to every `--index` run (`--max-memory 8`). */
  readonly pointArgs: readonly string[];
}

/** A word for bash, single-quoted unless plainly safe. */
export const shellWord = (word: string) =>
  /^[\w./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;

const arrayRange = (count: number, parallel?: number) => `0-${count - 1}${parallel ? `%${parallel}` : ''}`;

/**
 * The job script: a Slurm array over `indices` (point indices of the study), task i running point
 * indices[i + FREQBIAS_OFFSET].
 *
 * @example
 * sbatchScript('width-scan', [0, 5, 7], command, { time: '1:00:00' });
 * // '#!/bin/bash\n#SBATCH --job-name=freqbias-width-scan\n#SBATCH --array=0-2\n…'
 */
export function sbatchScript(
  name: string,
  indices: readonly number[],
  command: SweepCommand,
  options: SlurmOptions = {},
): string {
  const directive = (option: string) => `#SBATCH ${option}`;
  const run = [
    `"\${FREQBIAS_NODE:-${command.node}}"`,
    ...command.nodeArgs.map(shellWord),
    shellWord(command.cli),
    'sweep',
    shellWord(command.study),
    '--out',
    shellWord(command.out),
    '--index',
    '"$K"',
    ...command.pointArgs.map(shellWord),
  ].join(' ');
  const points = [];
  for (let j = 0; j < indices.length; j += 20) points.push(`  ${indices.slice(j, j + 20).join(' ')}`);
  return [
    '#!/bin/bash',
    `# freqbias sweep ${name}: one array task per unfinished point (written by freqbias sweep --slurm;`,
    '# each --slurm sweep writes it anew). Submit again with: sbatch <this file>',
    directive(`--job-name=freqbias-${name}`),
    directive(`--array=${arrayRange(Math.min(indices.length, ARRAY_CHUNK), options.parallel)}`),
    directive(`--output=${join(command.out, SLURM_LOGS, '%A_%a.out')}`),
    directive(`--chdir=${command.cwd}`),
    ...(options.partition ? [directive(`--partition=${options.partition}`)] : []),
    ...(options.time ? [directive(`--time=${options.time}`)] : []),
    ...(options.cpusPerTask ? [directive(`--cpus-per-task=${options.cpusPerTask}`)] : []),
    ...(options.mem ? [directive(`--mem=${options.mem}`)] : []),
    ...(options.account ? [directive(`--account=${options.account}`)] : []),
    ...(options.extra ?? []).map(directive),
    'set -u',
    '# the study points of the tasks, in task order (a job of more than 1000 tasks is submitted in',
    '# chunks, each with FREQBIAS_OFFSET set to its first task)',
    'POINTS=(',
    ...points,
    ')',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: bash's parameter expansion, not a template
    'K=${POINTS[$((SLURM_ARRAY_TASK_ID + ${FREQBIAS_OFFSET:-0}))]}',
    '# temporary files on the node-local scratch; the study folder itself is on the shared file system',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: bash's parameter expansion, not a template
    'export TMPDIR="${SLURM_TMPDIR:-${TMPDIR:-/tmp}}"',
    'rc=0',
    `${run} || rc=$?`,
    '# exit code 3 means the point ran and one of its claims failed: not a failure of the task',
    'if [ "$rc" -eq 3 ]; then rc=0; fi',
    'exit "$rc"',
    '',
  ].join('\n');
}

/**
 * Writes DIR/sweep.sbatch (atomically: a whole file or the previous one) and makes DIR/slurm for the
 * tasks' logs. Returns the script's path.
 *
 * @example
 * writeSbatch('out/width-scan', script); // 'out/width-scan/sweep.sbatch'
 */
export function writeSbatch(out: string, script: string): string {
  mkdirSync(join(out, SLURM_LOGS), { recursive: true });
  const path = join(out, SBATCH_FILE);
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, script, { mode: 0o755 });
  renameSync(tmp, path);
  return path;
}

/** Runs a Slurm command; resolves with its stdout, rejects with one line naming it. */
export function slurmCommand(command: string, args: readonly string[]): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', (error: NodeJS.ErrnoException) =>
      fail(
        new Error(
          error.code === 'ENOENT'
            ? `--slurm: ${command} not found on PATH (run the sweep on a Slurm login node)`
            : `--slurm: ${command}: ${error.message}`,
        ),
      ),
    );
    child.on('close', (code) => {
      if (code === 0) done(stdout);
      else
        fail(
          new Error(
            `--slurm: ${command} ${args.join(' ')} exited with code ${code}: ${stderr.trim().split('\n').at(-1) ?? ''}`,
          ),
        );
    });
  });
}

/**
 * Submits the job script: one sbatch per chunk of {@link ARRAY_CHUNK} tasks; with `wait`, resolves
 * when every task has ended (`sbatch --wait`; a failed task does not reject, the points' records
 * tell). Returns the job ids.
 *
 * @example
 * const jobs = await submitArray('out/s/sweep.sbatch', 24, { parallel: 8 }, false); // ['4711']
 */
export async function submitArray(
  script: string,
  count: number,
  options: SlurmOptions,
  wait: boolean,
  onSubmitted?: (jobId: string) => void,
): Promise<string[]> {
  const chunks = [];
  for (let offset = 0; offset < count; offset += ARRAY_CHUNK)
    chunks.push({ offset, size: Math.min(ARRAY_CHUNK, count - offset) });
  return Promise.all(
    chunks.map(async ({ offset, size }) => {
      const args = [
        '--parsable',
        `--array=${arrayRange(size, options.parallel)}`,
        `--export=ALL,FREQBIAS_OFFSET=${offset}`,
        ...(wait ? ['--wait'] : []),
        script,
      ];
      if (!wait) {
        const id = (await slurmCommand('sbatch', args)).trim().split(';')[0];
        onSubmitted?.(id);
        return id;
      }
      // sbatch --wait prints the id at submission and exits when the job ends (non-zero if a task failed)
      return new Promise<string>((done, fail) => {
        const child = spawn('sbatch', args, { stdio: ['ignore', 'pipe', 'pipe'] });
        let id = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => {
          const first = id === '';
          id += d.toString();
          if (first && /\n/.test(id)) onSubmitted?.(id.trim().split(';')[0]);
        });
        child.stderr.on('data', (d) => {
          stderr += d;
        });
        child.on('error', (error: NodeJS.ErrnoException) =>
          fail(
            new Error(
              error.code === 'ENOENT'
                ? '--slurm: sbatch not found on PATH (run the sweep on a Slurm login node)'
                : `--slurm: sbatch: ${error.message}`,
            ),
          ),
        );
        child.on('close', (code) => {
          const jobId = id.trim().split(';')[0];
          if (!jobId)
            fail(
              new Error(
                `--slurm: sbatch exited with code ${code}: ${stderr.trim().split('\n').at(-1) ?? ''}`,
              ),
            );
          else done(jobId);
        });
      });
    }),
  );
}

/**
 * Submits the job that collects the study once the array jobs have ended (whatever their outcome).
 *
 * @example
 * await submitCollect(command, ['4711'], options); // '4712'
 */
export async function submitCollect(
  name: string,
  command: SweepCommand,
  jobs: readonly string[],
  options: SlurmOptions,
): Promise<string> {
  const run = [
    command.node,
    ...command.nodeArgs,
    command.cli,
    'sweep',
    command.study,
    '--out',
    command.out,
    '--collect',
  ]
    .map(shellWord)
    .join(' ');
  const args = [
    '--parsable',
    `--job-name=freqbias-${name}-collect`,
    `--dependency=afterany:${jobs.join(':')}`,
    `--output=${join(command.out, SLURM_LOGS, 'collect-%j.out')}`,
    `--chdir=${command.cwd}`,
    ...(options.partition ? [`--partition=${options.partition}`] : []),
    ...(options.account ? [`--account=${options.account}`] : []),
    ...(options.time ? [`--time=${options.time}`] : []),
    `--wrap=${run}`,
  ];
  return (await slurmCommand('sbatch', args)).trim().split(';')[0];
}
