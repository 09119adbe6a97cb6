import { type ChildProcess, fork } from 'node:child_process';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Limits } from '../pipeline/checks/resources.js';
import { type PointTask, recordFailure } from './record.js';
import type { PointOutcome } from './run-point.js';

/*
 * The local pool of a sweep: N worker processes (worker.ts), each running one point at a time with
 * runExperiment. A worker that dies while running a point (killed, out of memory) fails that point
 * only: its failure is recorded and a new worker takes the next point. Processes, not threads: a
 * point's network already uses threads of its own, and a crash or a leak stays in its process.
 */

/** Options of {@link runPool}. */
export interface PoolOptions {
  /** Worker processes at most (fewer when there are fewer points). */
  readonly jobs: number;
  readonly limits?: Partial<Limits>;
  /** A worker started `task` (its process id, for logs and tests). */
  readonly onStart?: (task: PointTask, pid: number) => void;
  /** A point ended. */
  readonly onDone?: (outcome: PointOutcome) => void;
}

/** A running pool: its outcome, and a way to stop it early (the points in flight are abandoned). */
export interface Pool {
  readonly done: Promise<PointOutcome[]>;
  stop(): void;
}

const here = fileURLToPath(import.meta.url);
/** worker.js next to this file (worker.ts when run from the sources, through the same loader). */
const WORKER = join(dirname(here), `worker${extname(here)}`);
/** The tail of a worker's stderr kept for the error of the point it was running. */
const STDERR_TAIL = 2000;

/**
 * Runs `tasks` in up to `jobs` worker processes, in the given order; resolves with every point's
 * outcome once all have ended (failures included, never rejected).
 *
 * @example
 * const pool = runPool(study.points.map((p) => pointTask(study, p)), 'out/s', { jobs: 2 });
 * const outcomes = await pool.done; // [{ index: 0, status: 'done', … }, …]
 */
export function runPool(tasks: readonly PointTask[], out: string, options: PoolOptions): Pool {
  const queue = [...tasks];
  const outcomes: PointOutcome[] = [];
  const workers = new Set<ChildProcess>();
  let stopped = false;
  let settle: (value: PointOutcome[]) => void = () => {};
  const done = new Promise<PointOutcome[]>((resolve) => {
    settle = resolve;
  });
  const finishIfIdle = () => {
    if (workers.size === 0 && (queue.length === 0 || stopped)) settle(outcomes);
  };

  const start = () => {
    const child = fork(WORKER, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' });
    workers.add(child);
    let current: PointTask | undefined;
    let ready = false;
    let startedAt = 0;
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-STDERR_TAIL);
    });
    const next = () => {
      current = stopped ? undefined : queue.shift();
      if (!current) {
        child.disconnect();
        return;
      }
      startedAt = performance.now();
      child.send({ type: 'run', task: current, out, limits: options.limits });
      options.onStart?.(current, child.pid ?? 0);
    };
    child.on('message', (message: { type: string; outcome?: PointOutcome }) => {
      if (message.type === 'ready') {
        ready = true;
        next();
      } else if (message.type === 'done' && message.outcome) {
        outcomes.push(message.outcome);
        options.onDone?.(message.outcome);
        next();
      }
    });
    child.on('error', () => {}); // reported by 'exit'
    child.on('exit', async (code, signal) => {
      workers.delete(child);
      const task = current;
      current = undefined;
      if (task && !stopped) {
        const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
        const last = stderr.trim().split('\n').filter(Boolean).at(-1);
        const error = `worker process ${child.pid} ${how} while running the point${last ? `: ${last}` : ''}`;
        const seconds = (performance.now() - startedAt) / 1000;
        const recorded = await recordFailure(out, task, error, seconds).catch(() => true);
        const outcome: PointOutcome = recorded
          ? { index: task.index, id: task.id, status: 'failed', seconds, error }
          : { index: task.index, id: task.id, status: 'done', seconds };
        outcomes.push(outcome);
        options.onDone?.(outcome);
        if (queue.length > 0) start();
      } else if (!ready && !stopped && workers.size === 0) {
        // a worker that cannot even start (a broken install) would fail every point the same way
        const last = stderr.trim().split('\n').filter(Boolean).at(-1);
        const error = `worker process ${child.pid} could not start (${signal ?? `exit code ${code}`})${last ? `: ${last}` : ''}`;
        for (const task of queue.splice(0)) {
          await recordFailure(out, task, error, 0).catch(() => true);
          const outcome: PointOutcome = {
            index: task.index,
            id: task.id,
            status: 'failed',
            seconds: 0,
            error,
          };
          outcomes.push(outcome);
          options.onDone?.(outcome);
        }
      }
      finishIfIdle();
    });
  };

  for (let j = 0; j < Math.min(Math.max(1, options.jobs), queue.length); j++) start();
  finishIfIdle();
  return {
    done,
    stop() {
      stopped = true;
      for (const child of workers) child.kill('SIGTERM');
      finishIfIdle();
    },
  };
}
