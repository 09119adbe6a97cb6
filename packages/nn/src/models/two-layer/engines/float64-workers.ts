import { Worker } from 'node:worker_threads';
import {
  float64ForwardKernel,
  float64JvpKernel,
  float64RunKernel,
  float64VjpKernel,
  type KernelGeometry,
  type KernelOp,
  type KernelViews,
} from './float64-kernels.js';

/** The kernels' arrays in shared memory, for width up to `capacity` and one partial slot a thread. */
export interface SharedViews extends KernelViews {
  readonly capacity: number;
}

/** Allocates the shared buffers for width up to `capacity`. */
export function allocateShared(capacity: number, dim: number, size: number, threads: number): SharedViews {
  const f64 = (n: number) => new Float64Array(new SharedArrayBuffer(8 * Math.max(n, 1)));
  return {
    capacity,
    w: f64(capacity * dim),
    a: f64(capacity),
    b: f64(capacity),
    tw: f64(capacity * dim),
    ta: f64(capacity),
    tb: f64(capacity),
    gw: f64(capacity * dim),
    ga: f64(capacity),
    gb: f64(capacity),
    r: f64(size),
    rx: f64(size),
    partial: f64(threads * 2 * size),
  };
}

/** One request to a worker: features j0 ≤ j < j1 into partial slot `slot`. */
export interface KernelTask {
  readonly op: KernelOp;
  readonly j0: number;
  readonly j1: number;
  readonly slot: number;
  readonly scale: number;
}

/**
 * The body of a worker thread. Self-contained: it is shipped as source text together with the
 * kernels, which is what lets the same code run from TypeScript sources (vitest, tsx) and from dist.
 * The dispatch comes in as a parameter because a module transform may rename imported names.
 */
function float64WorkerMain(
  port: { on(event: 'message', f: (msg: never) => void): void; postMessage(msg: unknown): void },
  runKernel: typeof float64RunKernel,
): void {
  let g: KernelGeometry | undefined;
  let v: SharedViews | undefined;
  port.on(
    'message',
    (msg: { type: string; geometry: KernelGeometry; views: SharedViews; task: KernelTask }) => {
      if (msg.type === 'init') {
        g = msg.geometry;
        return;
      }
      if (msg.type === 'buffers') {
        v = msg.views;
        return;
      }
      if (!g || !v) throw new Error('float64 worker: task before init');
      const { op, j0, j1, slot, scale } = msg.task;
      runKernel(op, v, g, j0, j1, slot, scale);
      port.postMessage('done');
    },
  );
}

function workerSource(): string {
  // `__name` is the helper esbuild (tsx, vitest) may insert to keep function names.
  return [
    "'use strict';",
    'const __name = (f) => f;',
    "const { parentPort } = require('node:worker_threads');",
    ...[float64ForwardKernel, float64VjpKernel, float64JvpKernel, float64RunKernel].map((f) => f.toString()),
    `(${float64WorkerMain.toString()})(parentPort, ${float64RunKernel.name});`,
  ].join('\n');
}

/**
 * A fixed set of worker threads running the Float64 kernels on shared memory. A worker holds the
 * event loop only while it has a task, so an engine that is never disposed does not keep the
 * process alive.
 */
export class Float64WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly pending: ({ resolve: () => void; reject: (e: Error) => void } | undefined)[] = [];

  constructor(count: number, geometry: KernelGeometry) {
    const source = workerSource();
    for (let t = 0; t < count; t++) {
      const worker = new Worker(source, { eval: true });
      worker.unref();
      worker.on('message', () => this.settle(t));
      worker.on('error', (e) => this.settle(t, e));
      worker.on('exit', (code) => this.settle(t, new Error(`float64 worker exited with code ${code}`)));
      worker.postMessage({ type: 'init', geometry });
      this.workers.push(worker);
      this.pending.push(undefined);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /** Hands new shared buffers to every worker. */
  share(views: SharedViews): void {
    for (const worker of this.workers) worker.postMessage({ type: 'buffers', views });
  }

  /** Runs `task` on worker t; resolves when it is done. */
  run(t: number, task: KernelTask): Promise<void> {
    const worker = this.workers[t];
    return new Promise<void>((resolve, reject) => {
      this.pending[t] = { resolve, reject };
      worker.ref();
      worker.postMessage({ type: 'task', task });
    });
  }

  async terminate(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }

  private settle(t: number, error?: Error): void {
    const p = this.pending[t];
    this.pending[t] = undefined;
    this.workers[t]?.unref();
    if (!p) return;
    if (error) p.reject(error);
    else p.resolve();
  }
}
