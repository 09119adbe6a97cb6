import { Worker } from 'node:worker_threads';
import type { LoopSource } from './codegen.js';

/**
 * The body of a loop worker, shipped as source text (`new Worker(code, { eval: true })`), so that
 * it runs the same from TypeScript sources (vitest, tsx) and from dist. It compiles each generated
 * loop once and runs it on shared typed arrays.
 */
const workerSource = `
const { parentPort } = require('node:worker_threads');
const loops = new Map();
parentPort.on('message', (msg) => {
  let loop = loops.get(msg.key);
  if (!loop) {
    loop = new Function(...msg.params, msg.body);
    loops.set(msg.key, loop);
  }
  loop(msg.from, msg.to, ...msg.args);
  parentPort.postMessage(0);
});
`;

/** One slice of a generated loop for a worker: points [from, to), arguments on shared memory. */
export interface LoopTask {
  readonly from: number;
  readonly to: number;
  readonly args: readonly unknown[];
}

/**
 * Worker threads that run slices of generated loops on SharedArrayBuffer-backed arrays. Idle
 * workers are unref'd, so a forgotten pool does not keep the process alive.
 *
 * @example
 * const pool = new LoopPool(1);
 * await pool.run(source, [{ from: half, to: count, args }]);
 * await pool.dispose();
 */
export class LoopPool {
  private readonly workers: Worker[];

  constructor(readonly size: number) {
    this.workers = Array.from({ length: size }, () => {
      const worker = new Worker(workerSource, { eval: true });
      worker.unref();
      return worker;
    });
  }

  /** Runs task t on worker t (tasks.length ≤ size) and resolves when all are done. */
  run(source: LoopSource, tasks: readonly LoopTask[]): Promise<void> {
    return Promise.all(
      tasks.map(
        (task, t) =>
          new Promise<void>((resolve, reject) => {
            const worker = this.workers[t];
            const onError = (e: Error) => {
              worker.off('message', onMessage);
              worker.unref();
              reject(e);
            };
            const onMessage = () => {
              worker.off('error', onError);
              worker.unref();
              resolve();
            };
            worker.ref();
            worker.once('message', onMessage);
            worker.once('error', onError);
            worker.postMessage({ key: source.key, params: source.params, body: source.body, ...task });
          }),
      ),
    ).then(() => undefined);
  }

  async dispose(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** A Float64Array on shared memory (usable by the pool's workers). */
export function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(8 * Math.max(1, length)));
}

/** An Int32Array on shared memory. */
export function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * Math.max(1, length)));
}

/** True if the array lives on shared memory. */
export function isShared(a: Float64Array): boolean {
  return a.buffer instanceof SharedArrayBuffer;
}
