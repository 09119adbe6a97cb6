import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { EXIT } from '../cli/errors.js';
import { progressBar } from '../cli/progress.js';
import type { Limits } from '../pipeline/checks/resources.js';
import type { CollectResult } from './collect.js';
import { loadStudy } from './load.js';
import { type SweepProgress, sweepProgress } from './progress.js';
import { isFinished, pointDir, pointTask, readPointRecord } from './record.js';
import type { PointOutcome } from './run-point.js';
import type { SlurmOptions, SweepCommand } from './slurm.js';
import type { SweepResult } from './sweep.js';
import type { Study } from './types.js';

/*
 * `freqbias sweep`: the command's modes (a local pool, one point by --index, --dry-run, --collect,
 * --slurm with or without --wait) over the library calls of study/. Returns the exit code.
 */

/** The options of `freqbias sweep` as commander parses them. */
export interface SweepCliOptions {
  readonly out?: string;
  readonly jobs?: number;
  readonly index?: number;
  readonly dryRun?: boolean;
  readonly collect?: boolean;
  readonly slurm?: boolean;
  readonly wait?: boolean;
  readonly partition?: string;
  readonly time?: string;
  readonly cpusPerTask?: number;
  readonly mem?: string;
  readonly account?: string;
  readonly parallel?: number;
  readonly sbatchOption?: string[];
  readonly maxMemory?: number;
  readonly maxSteps?: number;
}

const SLURM_ONLY = [
  'wait',
  'partition',
  'time',
  'cpusPerTask',
  'mem',
  'account',
  'parallel',
  'sbatchOption',
] as const;
const flag = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** Options that cannot go together, as one line naming the first. */
function checkCombination(opts: SweepCliOptions): void {
  const given = (key: keyof SweepCliOptions) => opts[key] !== undefined && opts[key] !== false;
  for (const key of SLURM_ONLY)
    if (given(key) && !opts.slurm) throw new Error(`${flag(key)}: only with --slurm`);
  const modes = (['index', 'collect', 'slurm'] as const).filter(given);
  if (modes.length > 1) throw new Error(`${flag(modes[1])}: cannot be combined with ${flag(modes[0])}`);
  if (given('jobs') && (opts.slurm || opts.collect || given('index')))
    throw new Error(`--jobs: only for a local sweep (not with ${flag(modes[0])})`);
  if (opts.dryRun && (opts.collect || given('index')))
    throw new Error(`--dry-run: cannot be combined with ${flag(modes[0])}`);
}

function limitsOf(opts: SweepCliOptions): Partial<Limits> {
  return {
    ...(opts.maxMemory !== undefined ? { memoryBytes: opts.maxMemory * 2 ** 30 } : {}),
    ...(opts.maxSteps !== undefined ? { steps: Math.floor(opts.maxSteps) } : {}),
  };
}

const valuesText = (values: Readonly<Record<string, unknown>>) =>
  Object.entries(values)
    .map(([path, v]) => `${path} = ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');

const out = (line: string) => process.stdout.write(`${line}\n`);

/** The summary lines of a collect, and the exit code its state means. */
function summary(study: Study, collect: CollectResult, head: string): number {
  const { done, failed, pending } = collect.counts;
  out(
    `study ${study.name}: ${head}${head ? '; ' : ''}${done} done, ${failed} failed, ${pending} pending of ${study.points.length}`,
  );
  for (const s of collect.slopes)
    out(
      `${s.metric} against ${s.x}${s.series ? ` (${s.series})` : ''}: log–log slope ${s.mean.toFixed(3)}${s.seeds.length > 1 ? ` ± ${s.sd.toFixed(3)} (s.d. over ${s.seeds.length} seeds; slope of the mean ${s.slope.toFixed(3)})` : ''}`,
    );
  out(`table: ${join(collect.folder, 'study.csv')}`);
  out(`page: ${join(collect.folder, 'study.html')}`);
  if (failed > 0) {
    const first = collect.rows.find((r) => r.status === 'failed')!;
    process.stderr.write(
      `freqbias: ${failed} of ${study.points.length} points failed (first: points[${first.index}] ${first.id}: ${first.error}); a new sweep runs them again\n`,
    );
    return EXIT.error;
  }
  if (pending > 0) return EXIT.error;
  return collect.rows.some((r) => r.claims && r.claims.passed < r.claims.total) ? EXIT.claimFailed : EXIT.ok;
}

/**
 * Runs `freqbias sweep` and returns its exit code: 0 every point finished and every claim passed,
 * 1 an error or some point failed (or is still pending), 3 every point finished and some claim failed.
 *
 * @example
 * process.exitCode = await sweepCommand('width-scan', { out: 'out/width-scan', jobs: 2 });
 */
export async function sweepCommand(ref: string, opts: SweepCliOptions): Promise<number> {
  checkCombination(opts);
  const study = loadStudy(ref);
  const dir = resolve(opts.out ?? join('out', study.name));
  if (opts.index !== undefined && opts.index >= study.points.length)
    throw new Error(
      `--index: expected a point index in 0…${study.points.length - 1} (the study has ${study.points.length} points), got ${opts.index}`,
    );
  if (opts.dryRun && !opts.slurm) return dryRun(study, dir);
  const { collectStudy } = await import('./collect.js');
  const { prepareStudyFolder } = await import('./sweep.js');
  await prepareStudyFolder(dir);
  if (opts.collect) return summary(study, await collectStudy(study, dir), 'collected');
  if (opts.index !== undefined) return runIndex(study, dir, opts.index, opts);
  if (opts.slurm) return runSlurm(study, dir, opts);
  const { sweep } = await import('./sweep.js');
  const jobs = opts.jobs ?? availableParallelism();
  const started = performance.now();
  const result: SweepResult = await sweep(study, {
    out: dir,
    jobs,
    limits: limitsOf(opts),
    progress: sweepProgress,
  });
  const ran = result.outcomes.length;
  const seconds = (performance.now() - started) / 1000;
  const code = summary(
    study,
    result.collect,
    ran === 0
      ? 'every point finished before; nothing to run'
      : `${ran} run now with ${Math.min(jobs, ran)} worker(s) in ${seconds.toFixed(1)} s, ${result.skipped} finished before`,
  );
  if (result.interrupted) return result.interrupted === 'SIGINT' ? 130 : 143;
  return code;
}

/** `--dry-run`: the points, their ids and where they stand; writes nothing. */
function dryRun(study: Study, dir: string): number {
  const width = String(study.points.length - 1).length;
  for (const p of study.points) {
    const record = existsSync(pointDir(dir, p.id)) ? readPointRecord(dir, p.id) : undefined;
    const status = isFinished(dir, p.id) ? 'done' : record?.status === 'failed' ? 'failed' : 'pending';
    out(`${String(p.index).padStart(width)} ${p.id} ${status.padEnd(7)} ${valuesText(p.values)}`);
  }
  return EXIT.ok;
}

/** `--index K`: point K alone, here (what a scheduler's task runs). */
async function runIndex(study: Study, dir: string, index: number, opts: SweepCliOptions): Promise<number> {
  const point = study.points[index];
  const head = `points[${index}] ${point.id} (${valuesText(point.values)})`;
  if (isFinished(dir, point.id)) {
    out(`${head}: finished before, in ${pointDir(dir, point.id)}`);
    return EXIT.ok;
  }
  const { runPoint } = await import('./run-point.js');
  const progress = progressBar(() => {});
  process.stderr.write(`freqbias: running ${head}\n`);
  const outcome = await runPoint(pointTask(study, point), dir, { limits: limitsOf(opts), progress });
  if (outcome.status === 'failed') throw new Error(`${study.file}: ${head}: ${outcome.error}`);
  out(`${head}: done in ${outcome.seconds.toFixed(1)} s, ${pointDir(dir, point.id)}`);
  out(`when every point has run: freqbias sweep ${study.file} --out ${dir} --collect`);
  return outcome.claimsFailed ? EXIT.claimFailed : EXIT.ok;
}

/** A point's outcome read back from its folder (for the progress of a Slurm sweep). */
function outcomeOf(dir: string, index: number, id: string): PointOutcome | undefined {
  const record = readPointRecord(dir, id);
  if (!record) return undefined;
  if (record.status === 'failed')
    return { index, id, status: 'failed', seconds: record.seconds, error: record.error };
  if (!isFinished(dir, id)) return undefined;
  try {
    const report = JSON.parse(readFileSync(join(pointDir(dir, id), 'report.json'), 'utf8'));
    return {
      index,
      id,
      status: 'done',
      seconds: record.seconds,
      engine: report.network?.engine,
      learningRate: report.network?.learningRate,
      nnVsPde: report.metrics?.nnVsPde?.max,
    };
  } catch {
    return { index, id, status: 'done', seconds: record.seconds };
  }
}

/** `--slurm`: the job array of the unfinished points; with --wait, their progress and the collect. */
async function runSlurm(study: Study, dir: string, opts: SweepCliOptions): Promise<number> {
  const { sbatchScript, submitArray, submitCollect, writeSbatch } = await import('./slurm.js');
  const { collectStudy } = await import('./collect.js');
  const { unfinished } = await import('./sweep.js');
  const todo = unfinished(study, dir);
  if (todo.length === 0)
    return summary(study, await collectStudy(study, dir), 'every point finished before; nothing to submit');
  const command: SweepCommand = {
    node: process.execPath,
    nodeArgs: process.execArgv,
    cli: resolve(process.argv[1]),
    study: study.path,
    out: dir,
    cwd: process.cwd(),
    pointArgs: [
      ...(opts.maxMemory !== undefined ? ['--max-memory', String(opts.maxMemory)] : []),
      ...(opts.maxSteps !== undefined ? ['--max-steps', String(opts.maxSteps)] : []),
    ],
  };
  const slurm: SlurmOptions = {
    partition: opts.partition,
    time: opts.time,
    cpusPerTask: opts.cpusPerTask,
    mem: opts.mem,
    account: opts.account,
    parallel: opts.parallel,
    extra: opts.sbatchOption,
  };
  const script = writeSbatch(
    dir,
    sbatchScript(
      study.name,
      todo.map((p) => p.index),
      command,
      slurm,
    ),
  );
  if (opts.dryRun) {
    out(
      `wrote ${script} (${todo.length} task(s) of ${study.points.length} points); not submitted (--dry-run)`,
    );
    return EXIT.ok;
  }
  const submittedAt = new Date().toISOString();
  if (!opts.wait) {
    const jobs = await submitArray(script, todo.length, slurm, false);
    const collectJob = await submitCollect(study.name, command, jobs, slurm);
    out(
      `submitted ${script}: job ${jobs.join(', ')} (${todo.length} array task(s)), then job ${collectJob} collects`,
    );
    out(`logs: ${join(dir, 'slurm')}; the table: ${join(dir, 'study.csv')} when job ${collectJob} has run`);
    out(`by hand: freqbias sweep ${study.file} --out ${dir} --collect`);
    return EXIT.ok;
  }
  const progress: SweepProgress = sweepProgress(study.points.length, study.points.length - todo.length);
  const reported = new Set<string>();
  const poll = () => {
    for (const p of todo) {
      if (reported.has(p.id)) continue;
      const record = readPointRecord(dir, p.id);
      if (!record || record.finishedAt < submittedAt) continue;
      const outcome = outcomeOf(dir, p.index, p.id);
      if (!outcome) continue;
      reported.add(p.id);
      progress.finished(outcome, valuesText(p.values));
    }
  };
  const timer = setInterval(poll, 2000);
  let jobs: string[];
  try {
    jobs = await submitArray(script, todo.length, slurm, true, (id) =>
      progress.note(`submitted ${script} as job ${id} (${todo.length} array task(s)); waiting`),
    );
  } finally {
    clearInterval(timer);
  }
  poll();
  progress.stop();
  return summary(study, await collectStudy(study, dir), `job ${jobs.join(', ')} ended`);
}
