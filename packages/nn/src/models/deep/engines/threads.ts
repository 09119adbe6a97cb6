import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Grid } from '../../../grid.js';
import { checkGrid } from '../../../numeric/checks.js';
import type { TfjsBackendChoice, TfjsEngineName } from '../../tfjs-backend.js';
import type {
  DeepEngine,
  DeepGradients,
  DeepNetwork,
  DeepOptimizer,
  DeepOptimizerSettings,
} from '../engine.js';
import { TfjsDeepEngine } from './tfjs.js';
import type { ShardMessage, ShardReply, ShardRequest } from './threads-worker.js';

/**
 * Work per step, N·(2m·width + (depth − 1)·width² + width) multiply-adds, from which `threads: 'auto'`
 * splits a grid over two threads (measured for issue 10 on tfjs-wasm: below it a step is a few
 * milliseconds and a worker's round trip eats the gain).
 */
export const DEEP_THREADS_MIN_WORK = 2 ** 26;

/** The thread count of a {@link ThreadedDeepEngine}: a number ≥ 1, or 'auto' (see {@link deepThreadsFor}). */
export type DeepThreads = number | 'auto';

/**
 * The threads a {@link ThreadedDeepEngine} splits a grid of `size` points over: `threads` itself (at
 * most one per point) when a number, else ('auto') two when the machine has two cores and the step's
 * work (see {@link DEEP_THREADS_MIN_WORK}) pays for a worker, one otherwise.
 *
 * @example
 * deepThreadsFor('auto', 512, { features: 256, width: 256, depth: 3 }); // 2 on a two-core machine
 * deepThreadsFor('auto', 64, { features: 24, width: 16, depth: 3 }); // 1
 */
export function deepThreadsFor(
  threads: DeepThreads,
  size: number,
  shape: { readonly features: number; readonly width: number; readonly depth: number },
): number {
  if (threads !== 'auto') return Math.max(1, Math.min(threads, size));
  const { features, width, depth } = shape;
  const work = size * (2 * features * width + (depth - 1) * width * width + width);
  return work >= DEEP_THREADS_MIN_WORK && availableParallelism() >= 2 && size >= 2 ? 2 : 1;
}

/**
 * Checks a `threads` option: 'auto' or an integer ≥ 1.
 *
 * @example
 * checkDeepThreads(2); // ok; checkDeepThreads(0) throws
 */
export function checkDeepThreads(threads: DeepThreads): void {
  if (threads !== 'auto' && (!Number.isInteger(threads) || threads < 1)) {
    throw new Error(`threads: expected 'auto' or an integer ≥ 1, got ${threads}`);
  }
}

/**
 * The {@link DeepEngine} split over threads by grid points (data parallelism): the calling thread
 * and `threads − 1` worker threads each hold a {@link TfjsDeepEngine} with the same weights and take
 * a slice of the points. L and its gradient are sums over the points, so each thread computes its
 * slice's ({@link DeepShard}) and copies it to shared memory; every thread then adds the same
 * partial gradients in the same order and steps with its own copy of the optimiser (GD and Adam are
 * deterministic given the gradient), so the weights stay equal without being sent. forward and the
 * residual are split the same way (the residual is the one the loss passed through); ntk, the
 * power iteration's J Jᵀ v for the learning rate, is Jᵀ v by the backward pass on each slice,
 * summed, then J t in forward mode on each slice (tfjs autodiff on the calling thread with
 * gradients 'autodiff'). A grid too small to pay for a worker ({@link deepThreadsFor}) runs the
 * same code on the calling thread alone. Workers start on first use, are unref'd while idle (a
 * forgotten engine does not keep the process alive) and end with dispose; a worker's error rejects
 * the call that waited on it.
 *
 * @example
 * const engine = new ThreadedDeepEngine(network, { threads: 2 });
 * const optimizer = await engine.optimizer(grid, target, { optimizer: 'gd', learningRate: 1e-3 });
 * await optimizer.loss(); // both threads' halves, summed
 * optimizer.step();
 * optimizer.dispose();
 * engine.dispose();
 */
export class ThreadedDeepEngine implements DeepEngine {
  /** The calling thread's engine: its weights are the network's (the workers hold copies). */
  readonly local: TfjsDeepEngine;
  private readonly threads: DeepThreads;
  private readonly backendChoice: TfjsBackendChoice;
  private readonly gradients: DeepGradients;
  private readonly workers: ShardWorker[] = [];
  /** Per worker: whether its weights equal the local ones. */
  private readonly synced: boolean[] = [];
  private starting: Promise<void> = Promise.resolve();
  private nextId = 0;
  /** Whether the local weights may differ from the initial ones. */
  private moved = false;
  private disposed = false;

  constructor(
    private readonly net: DeepNetwork,
    options: { threads?: DeepThreads; backend?: TfjsBackendChoice; gradients?: DeepGradients } = {},
  ) {
    this.threads = options.threads ?? 'auto';
    checkDeepThreads(this.threads);
    this.backendChoice = options.backend ?? 'auto';
    this.gradients = options.gradients ?? 'manual';
    this.local = new TfjsDeepEngine(net, this.backendChoice, this.gradients);
  }

  ready(): Promise<{ engine: TfjsEngineName; backend: string }> {
    return this.local.ready();
  }

  /**
   * The threads a grid's calls split over (1: the calling thread alone).
   *
   * @example
   * engine.threadsFor(grid); // 2 for N = 512, 3×256 with threads 'auto' on two cores
   */
  threadsFor(grid: Grid): number {
    checkGrid(grid);
    // shapes[1]: the first kernel, 2m × width
    const [rows, width] = this.net.shapes[1];
    return deepThreadsFor(this.threads, grid.size, { features: rows / 2, width, depth: this.net.depth });
  }

  async forward(grid: Grid): Promise<Float64Array> {
    const threads = this.threadsFor(grid);
    this.checkDimension(grid);
    if (threads === 1)
      return Float64Array.from(await this.local.forwardPoints(Float32Array.from(grid.points)));
    const workers = await this.workersFor(threads - 1);
    const { points, bounds } = split(grid, threads);
    const dim = grid.dim;
    const remote = workers.map((w, k) =>
      w.request<Float32Array>({
        type: 'forward',
        points: points.slice(dim * bounds[k + 1], dim * bounds[k + 2]),
      }),
    );
    const parts = await settleAll(this.local.forwardPoints(points.subarray(0, dim * bounds[1])), remote);
    const f = new Float64Array(grid.size);
    parts.forEach((part, k) => {
      f.set(part, bounds[k]);
    });
    return f;
  }

  /**
   * J Jᵀ v as Jᵀ v (the backward pass, each thread on its slice of v, summed) then J t (forward
   * mode, each thread on its slice of the points); with gradients 'autodiff', tfjs's autodiff on the
   * calling thread ({@link TfjsDeepEngine.ntk}).
   */
  async ntk(grid: Grid, v: Float64Array, out: Float64Array): Promise<void> {
    if (this.gradients === 'autodiff') return this.local.ntk(grid, v, out);
    const threads = this.threadsFor(grid);
    this.checkDimension(grid);
    if (v.length !== grid.size || out.length !== grid.size) {
      throw new Error(
        `v, out: expected ${grid.size} values (one per grid point), got ${v.length} and ${out.length}`,
      );
    }
    const { points, bounds } = split(grid, threads);
    const e = Float32Array.from(v);
    const dim = grid.dim;
    const rows = (t: number) => points.subarray(dim * bounds[t], dim * bounds[t + 1]);
    const size = (await this.local.trainableVariables()).reduce((s, w) => s + w.size, 0);
    if (threads === 1) {
      const t = new Float32Array(size);
      await this.local.vjpPoints(points, e, t);
      out.set(await this.local.jvpPoints(points, t));
      return;
    }
    const workers = await this.workersFor(threads - 1);
    const partials = Array.from({ length: threads }, () => new Float32Array(new SharedArrayBuffer(4 * size)));
    await settleAll(
      this.local.vjpPoints(rows(0), e.subarray(0, bounds[1]), partials[0]),
      workers.map((w, k) =>
        w.request<void>({
          type: 'vjp',
          points: rows(k + 1).slice(),
          e: e.slice(bounds[k + 1], bounds[k + 2]),
          out: partials[k + 1].buffer as SharedArrayBuffer,
        }),
      ),
    );
    const tangent = new Float32Array(new SharedArrayBuffer(4 * size));
    for (const partial of partials) {
      for (let i = 0; i < size; i++) tangent[i] += partial[i];
    }
    const parts = await settleAll(
      this.local.jvpPoints(rows(0), tangent),
      workers.map((w, k) =>
        w.request<Float32Array>({
          type: 'jvp',
          points: rows(k + 1).slice(),
          tangent: tangent.buffer as SharedArrayBuffer,
        }),
      ),
    );
    parts.forEach((part, k) => {
      out.set(part, bounds[k]);
    });
  }

  async optimizer(
    grid: Grid,
    target: ArrayLike<number>,
    settings: DeepOptimizerSettings,
  ): Promise<DeepOptimizer> {
    const threads = this.threadsFor(grid);
    if (target.length !== grid.size) {
      throw new Error(`target: expected ${grid.size} values (one per grid point), got ${target.length}`);
    }
    this.checkDimension(grid);
    // the local weights may have been assigned directly (DeepFF.variables): a split run starts
    // synced; workers left out of it (all of them on one thread) take the weights at their next use
    this.synced.fill(false);
    const workers = threads > 1 ? await this.workersFor(threads - 1) : [];
    const { points, bounds } = split(grid, threads);
    const values = Float32Array.from(target);
    const dim = grid.dim;
    const id = this.nextId++;
    const shard = await this.local.shard(
      points.subarray(0, dim * bounds[1]),
      values.subarray(0, bounds[1]),
      grid.cellVolume,
      settings,
    );
    const size = shard.size;
    // [slot][thread]: see ShardRequest 'shard'
    const partials = [0, 1].map(() =>
      Array.from({ length: threads }, () => new Float32Array(new SharedArrayBuffer(4 * size))),
    );
    try {
      await settleAll(
        Promise.resolve(),
        workers.map((w, k) =>
          w.request({
            type: 'shard',
            id,
            points: points.slice(dim * bounds[k + 1], dim * bounds[k + 2]),
            target: values.slice(bounds[k + 1], bounds[k + 2]),
            cellVolume: grid.cellVolume,
            settings,
            thread: k + 1,
            partials: partials.map((slot) => slot.map((p) => p.buffer as SharedArrayBuffer)),
          }),
        ),
      );
    } catch (e) {
      shard.dispose();
      for (const w of workers) w.post({ type: 'release', id });
      throw e;
    }
    let slot = 0;
    let kept = false;
    let released = false;
    let stepError: Error | undefined;
    const moved = () => {
      this.moved = true;
    };
    const markDesync = () => this.synced.fill(false);
    return {
      async loss() {
        if (stepError) throw stepError;
        const remote = workers.map((w) => w.request<number>({ type: 'loss', id, slot }));
        const losses = await settleAll(shard.lossAndGradient(partials[slot][0]), remote);
        kept = true;
        return losses.reduce((a, b) => a + b, 0);
      },
      async residual() {
        const remote = workers.map((w) => w.request<Float32Array>({ type: 'residual', id }));
        const parts = await settleAll(shard.residual(), remote);
        const u = new Float64Array(grid.size);
        parts.forEach((part, k) => {
          u.set(part, bounds[k]);
        });
        return u;
      },
      step() {
        if (!kept) throw new Error('step: call loss() first');
        if (stepError) throw stepError;
        for (const w of workers) {
          // answered before the next loss; an error is thrown there
          w.request({ type: 'step', id, slot }).catch((e: Error) => {
            stepError ??= e;
            markDesync();
          });
        }
        // every thread adds the same partial gradients in thread order: the same sum everywhere
        shard.step(partials[slot].map((p, t) => (t === 0 ? undefined : p)));
        moved();
        slot = 1 - slot;
        kept = false;
      },
      dispose() {
        if (released) return;
        released = true;
        shard.dispose();
        for (const w of workers) w.post({ type: 'release', id });
      },
    };
  }

  async reset(): Promise<void> {
    await this.local.reset();
    await this.starting;
    await Promise.all(this.workers.map((w) => w.request({ type: 'reset' })));
    this.synced.fill(true);
    this.moved = false;
  }

  dispose(): void {
    this.disposed = true;
    this.local.dispose();
    for (const w of this.workers) w.terminate();
    this.workers.length = 0;
    this.synced.length = 0;
  }

  /** The first `count` workers, started and holding the local weights. */
  private async workersFor(count: number): Promise<ShardWorker[]> {
    if (this.disposed) throw new Error('deep engine: used after dispose()');
    const { backend } = await this.local.ready();
    const start = async () => {
      const fresh: Promise<unknown>[] = [];
      while (this.workers.length < count) {
        const worker = new ShardWorker();
        this.workers.push(worker);
        // the backend the caller resolved, so that every thread runs the same kernels
        fresh.push(
          worker.request({
            type: 'init',
            network: this.net,
            backend: backend as TfjsBackendChoice,
            gradients: this.gradients,
          }),
        );
        // a new worker holds the initial weights: synced unless the local ones have moved
        this.synced[this.workers.length - 1] = !this.moved;
      }
      await Promise.all(fresh);
    };
    this.starting = this.starting.then(start);
    await this.starting;
    const workers = this.workers.slice(0, count);
    if (workers.some((_, k) => !this.synced[k])) {
      const values = await this.local.weights();
      await Promise.all(
        workers.map(async (w, k) => {
          if (this.synced[k]) return;
          await w.request({ type: 'weights', values });
          this.synced[k] = true;
        }),
      );
    }
    return workers;
  }

  private checkDimension(grid: Grid): void {
    if (grid.dim !== this.net.dim) {
      throw new Error(`grid: dimension ${grid.dim} does not match the network's ${this.net.dim}`);
    }
  }
}

/** The grid's points as float32 and the bounds of `threads` slices of them. */
function split(grid: Grid, threads: number): { points: Float32Array; bounds: number[] } {
  const bounds = Array.from({ length: threads + 1 }, (_, t) => Math.round((t * grid.size) / threads));
  return { points: Float32Array.from(grid.points), bounds };
}

/**
 * Awaits the caller's own part and the workers' answers; if any fails, waits for all the others
 * (so that none is left running or unhandled) and throws the first error.
 */
async function settleAll<T>(own: Promise<T>, remote: readonly Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled([own, ...remote]);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

/**
 * The worker's entry: from dist, the built threads-worker.js; from TypeScript sources (vitest, tsx),
 * a bootstrap that registers tsx's loader in the worker (Node 20 does not apply `--import` in
 * workers) and then imports threads-worker.ts.
 */
function workerEntry(): { entry: URL | string; eval: boolean } {
  if (!import.meta.url.endsWith('.ts'))
    return { entry: new URL('./threads-worker.js', import.meta.url), eval: false };
  let api: string;
  try {
    const tsx = createRequire(import.meta.url).resolve('tsx/package.json');
    api = pathToFileURL(join(dirname(tsx), 'dist/esm/api/index.mjs')).href;
  } catch {
    throw new Error('threads: running the deep engine from TypeScript sources needs tsx installed');
  }
  const worker = new URL('./threads-worker.ts', import.meta.url).href;
  const code = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(worker)}); });`;
  return { entry: code, eval: true };
}

/**
 * One worker thread running threads-worker: requests in, replies matched by sequence number. From
 * TypeScript sources (vitest, tsx) it runs threads-worker.ts under tsx, from dist the built .js.
 * Unref'd while nothing is pending; if it dies, every pending and later request rejects.
 */
class ShardWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private seq = 0;
  private failure: Error | undefined;

  constructor() {
    const { entry, eval: isCode } = workerEntry();
    this.worker = new Worker(entry, { eval: isCode, execArgv: [] });
    this.worker.unref();
    this.worker.on('message', (reply: ShardReply) => {
      const p = this.pending.get(reply.seq);
      if (!p) return;
      this.pending.delete(reply.seq);
      if (this.pending.size === 0) this.worker.unref();
      if (reply.error !== undefined) p.reject(new Error(`deep engine worker: ${reply.error}`));
      else p.resolve(reply.value);
    });
    this.worker.on('error', (e) => this.fail(e instanceof Error ? e : new Error(String(e))));
    this.worker.on('messageerror', (e) => this.fail(new Error(`deep engine worker: ${String(e)}`)));
    this.worker.on('exit', (code) => this.fail(new Error(`deep engine worker: exited with code ${code}`)));
  }

  request<T = unknown>(request: ShardRequest): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const seq = this.seq++;
    if (this.pending.size === 0) this.worker.ref();
    return new Promise<T>((resolve, reject) => {
      this.pending.set(seq, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ seq, request } satisfies ShardMessage);
    });
  }

  /** A request whose answer nobody waits for (errors are dropped). */
  post(request: ShardRequest): void {
    this.request(request).catch(() => undefined);
  }

  terminate(): void {
    this.fail(new Error('deep engine: used after dispose()'));
    void this.worker.terminate();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const p of this.pending.values()) p.reject(this.failure);
    this.pending.clear();
    this.worker.unref();
  }
}
