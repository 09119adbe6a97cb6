import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Limits } from '../pipeline/checks/resources.js';
import { checkReportFolder } from '../report/folder/index.js';
import { type CollectResult, collectStudy, STUDY_ALONGSIDE } from './collect.js';
import { takeSweepLock } from './lock.js';
import { runPool } from './pool.js';
import type { SweepProgress } from './progress.js';
import { isFinished, POINTS, pointTask } from './record.js';
import type { PointOutcome } from './run-point.js';
import type { Study, StudyPoint, StudyRow } from './types.js';

/** Options of {@link sweep}. */
export interface SweepOptions {
  /** The study folder DIR. */
  readonly out: string;
  /** Worker processes. */
  readonly jobs: number;
  readonly limits?: Partial<Limits>;
  readonly progress?: (total: number, before: number) => SweepProgress;
  /** Least time between two collects while points finish (default 2 s; the last one always runs). */
  readonly collectEvery?: number;
}

/** What a sweep did. */
export interface SweepResult {
  /** Points finished before this sweep started (skipped). */
  readonly skipped: number;
  readonly outcomes: readonly PointOutcome[];
  readonly collect: CollectResult;
  /** SIGINT or SIGTERM stopped it before every point had run. */
  readonly interrupted?: NodeJS.Signals;
}

/**
 * Refuses a study folder that holds anything freqbias did not write (before any run), then makes
 * DIR/points.
 *
 * @example
 * await prepareStudyFolder('out/width-scan');
 */
export async function prepareStudyFolder(out: string): Promise<void> {
  await checkReportFolder(out, { overwrite: true, alongside: STUDY_ALONGSIDE });
  mkdirSync(resolve(out, POINTS), { recursive: true });
}

/** A rough cost of a point, to run the largest first (so the pool's workers end together). */
const cost = (p: StudyPoint) => p.config.network.width * p.config.grid.n.reduce((a, n) => a * n, 1);

/**
 * The points of `study` not finished in `out`, largest first.
 *
 * @example
 * unfinished(study, 'out/width-scan').length; // 0 after a complete sweep
 */
export function unfinished(study: Study, out: string): StudyPoint[] {
  return study.points
    .filter((p) => !isFinished(out, p.id))
    .sort((a, b) => cost(b) - cost(a) || a.index - b.index);
}

/** A collect that runs at most every `every` ms, never two at once, and always once more at the end. */
function throttledCollect(study: Study, out: string, every: number, onError: (e: unknown) => void) {
  const cache = new Map<string, StudyRow>();
  let running: Promise<unknown> | undefined;
  let again = false;
  let last = 0;
  let timer: NodeJS.Timeout | undefined;
  const run = (): Promise<unknown> => {
    last = Date.now();
    running = collectStudy(study, out, cache)
      .catch(onError)
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          request();
        }
      });
    return running;
  };
  const request = () => {
    if (running) {
      again = true;
      return;
    }
    if (timer) return;
    timer = setTimeout(
      () => {
        timer = undefined;
        void run();
      },
      Math.max(0, every - (Date.now() - last)),
    );
  };
  const final = async (): Promise<CollectResult> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    again = false;
    await running;
    return collectStudy(study, out, cache);
  };
  return { request, final };
}

/**
 * Runs every unfinished point of `study` in a pool of worker processes, writing each as
 * DIR/points/<id>/ and rebuilding DIR's table and plots as points finish; finished points are
 * skipped, a failed point is recorded and does not stop the others. One sweep at a time per folder
 * (a lock, taken over from a sweep that was killed).
 *
 * @example
 * const { outcomes, collect } = await sweep(loadStudy('width-scan'), { out: 'out/width-scan', jobs: 2 });
 * collect.counts; // { done: 24, failed: 0, pending: 0 }
 */
export async function sweep(study: Study, options: SweepOptions): Promise<SweepResult> {
  const { out } = options;
  await prepareStudyFolder(out);
  const release = takeSweepLock(out);
  try {
    const todo = unfinished(study, out);
    const skipped = study.points.length - todo.length;
    const progress = options.progress?.(study.points.length, skipped);
    const collector = throttledCollect(study, out, options.collectEvery ?? 2000, (error) =>
      progress?.note(`freqbias: warning: collect: ${(error as Error).message.split('\n')[0]}`),
    );
    const byIndex = new Map(study.points.map((p) => [p.index, p]));
    const pool = runPool(
      todo.map((p) => pointTask(study, p)),
      out,
      {
        jobs: options.jobs,
        limits: options.limits,
        onStart: (task, pid) => progress?.started(task, pid),
        onDone: (outcome) => {
          const values = Object.entries(byIndex.get(outcome.index)?.values ?? {})
            .map(([path, v]) => `${path} = ${typeof v === 'string' ? v : JSON.stringify(v)}`)
            .join(', ');
          progress?.finished(outcome, values);
          collector.request();
        },
      },
    );
    let interrupted: NodeJS.Signals | undefined;
    const stop = (signal: NodeJS.Signals) => {
      if (interrupted) return;
      interrupted = signal;
      progress?.note(`freqbias: ${signal}: stopping; finished points are kept, and the next sweep resumes`);
      pool.stop();
    };
    const signals = ['SIGINT', 'SIGTERM'] as const;
    for (const s of signals) process.on(s, stop);
    let outcomes: PointOutcome[];
    try {
      outcomes = await pool.done;
    } finally {
      for (const s of signals) process.off(s, stop);
    }
    const collect = await collector.final();
    progress?.stop();
    return { skipped, outcomes, collect, ...(interrupted ? { interrupted } : {}) };
  } finally {
    release();
  }
}
