import { Worker } from 'node:worker_threads';
import type { WorkerLoop } from './loop.js';
import { isShared, slices } from './shared.js';

/**
 * The body of every worker, shipped as source text (`new Worker(code, { eval: true })`), so that it
 * runs the same from TypeScript sources (vitest, tsx) and from dist. It compiles each loop's code
 * once and runs slices of it on shared typed arrays; an error is sent back, not thrown.
 */
const workerSource = `
const { parentPort } = require('node:worker_threads');
const loops = new Map();
parentPort.on('message', (msg) => {
  try {
    let loop = loops.get(msg.key);
    if (!loop) {
      loop = new Function(msg.code)();
      loops.set(msg.key, loop);
    }
    loop(msg.from, msg.to, ...msg.args);
    parentPort.postMessage(null);
  } catch (e) {
    parentPort.postMessage(String(e && e.stack || e));
  }
});
`;

/** One slice of a loop for a worker: [from, to), arguments (typed arrays on shared memory). */
export interface LoopTask {
  readonly from: number;
  readonly to: number;
  readonly args: readonly unknown[];
}

/**
 * The worker threads of nn, one kind for every engine (float64, nufft) and the NUFFT plan: each
 * runs slices of {@link WorkerLoop}s on SharedArrayBuffer-backed arrays. Threads are the caller's
 * resource: a model makes one pool and hands it to its engines; an engine or plan given none makes
 * its own. Workers start on the first run (a pool nobody needs costs nothing) and answer in order,
 * so several users may share a pool. Idle workers are unref'd, so a forgotten pool does not keep
 * the process alive.
 *
 * @example
 * const pool = new WorkerPool(1); // the caller plus one worker: 2 threads
 * await parallelFor(pool, loop, count, () => [x, 2], [x]);
 * await pool.dispose();
 */
export class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly pending: { resolve: () => void; reject: (e: Error) => void }[][];
  private disposed = false;

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 0) throw new Error(`size: expected an integer ≥ 0, got ${size}`);
    this.pending = Array.from({ length: size }, () => []);
  }

  /** Threads a loop can split over: the caller plus the workers. */
  get threads(): number {
    return this.size + 1;
  }

  /** Runs task t on worker t (tasks.length ≤ size) and resolves when all are done. */
  run(loop: WorkerLoop, tasks: readonly LoopTask[]): Promise<void> {
    if (tasks.length > this.size)
      throw new Error(`tasks: ${tasks.length} for a pool of ${this.size} workers`);
    if (this.disposed) throw new Error('pool: used after dispose()');
    if (this.workers.length === 0) this.start();
    return Promise.all(
      tasks.map(
        (task, t) =>
          new Promise<void>((resolve, reject) => {
            const worker = this.workers[t];
            if (this.pending[t].length === 0) worker.ref();
            this.pending[t].push({ resolve, reject });
            worker.postMessage({ key: loop.key, code: loop.code, ...task });
          }),
      ),
    ).then(() => undefined);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }

  private start(): void {
    for (let t = 0; t < this.size; t++) {
      const worker = new Worker(workerSource, { eval: true });
      worker.unref();
      worker.on('message', (error: string | null) => this.settle(t, error ? new Error(error) : undefined));
      worker.on('error', (e) => this.settle(t, e));
      this.workers.push(worker);
    }
  }

  private settle(t: number, error?: Error): void {
    const p = this.pending[t].shift();
    if (this.pending[t].length === 0) this.workers[t]?.unref();
    if (!p) return;
    if (error) p.reject(error);
    else p.resolve();
  }
}

/**
 * Runs `loop` over [0, count): slice t of {@link slices} with arguments argsFor(t), slice 0 on the
 * calling thread, the others on the pool's workers (whose arguments must live on shared memory).
 * Splits only with a pool, count ≥ minCount and every array of `arrays` shared; returns the bounds
 * it used (one slice when it did not split).
 *
 * @example
 * await parallelFor(pool, loop, m, (t) => [c, a, b], [c], 2 ** 15);
 */
export async function parallelFor(
  pool: WorkerPool | undefined,
  loop: WorkerLoop,
  count: number,
  argsFor: (thread: number) => readonly unknown[],
  arrays: readonly (Float64Array | Int32Array)[] = [],
  minCount = 0,
): Promise<number[]> {
  const bounds = slices(count, splitThreads(pool, count, arrays, minCount));
  const tasks: LoopTask[] = [];
  for (let t = 1; t + 1 < bounds.length; t++) {
    tasks.push({ from: bounds[t], to: bounds[t + 1], args: argsFor(t) });
  }
  const done = tasks.length > 0 ? pool!.run(loop, tasks) : undefined;
  (loop.run as (from: number, to: number, ...args: unknown[]) => void)(bounds[0], bounds[1], ...argsFor(0));
  await done;
  return bounds;
}

/** The threads {@link parallelFor} would split `count` over (1: not at all). */
export function splitThreads(
  pool: WorkerPool | undefined,
  count: number,
  arrays: readonly (Float64Array | Int32Array)[] = [],
  minCount = 0,
): number {
  const ok = pool !== undefined && pool.size > 0 && count >= minCount && arrays.every(isShared);
  return ok ? pool.threads : 1;
}
