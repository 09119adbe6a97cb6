import '../../../nufft/wasm/webassembly.js';
import { Worker } from 'node:worker_threads';

/** The kernels a worker of a {@link KernelTeam} runs, by op code (0 ends the worker). */
export const TEAM_OPS = ['quit', 'gemm', 'embed', 'wgrad'] as const;

/** Int32 slots of the control block: sequence number, done number, op code, then arguments. */
const CONTROL_INTS = 32;
/** Polls of the control block before a thread sleeps on it (a step's ops are a few µs apart). */
const SPIN = 20_000;

// The worker: instantiates the module on the shared memory, then sleeps on the control block until
// the calling thread bumps its sequence number, runs the op with the arguments found there, and
// reports the sequence number back as done. No message passes per op.
const WORKER = `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { module, memory, control, ops } = workerData;
const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
const fns = ops.map((name) => k[name]);
const ctl = new Int32Array(memory.buffer, control, ${CONTROL_INTS});
parentPort.postMessage('ready');
let seen = 0;
for (;;) {
  let spin = ${SPIN};
  while (Atomics.load(ctl, 0) === seen && spin-- > 0);
  Atomics.wait(ctl, 0, seen);
  seen = Atomics.load(ctl, 0);
  const op = ctl[2];
  if (op === 0) break;
  const count = ctl[3];
  const args = [];
  for (let a = 0; a < count; a++) args.push(ctl[4 + a]);
  try {
    fns[op](...args);
  } catch (e) {
    ctl[1] = -1;
    Atomics.notify(ctl, 1);
    throw e;
  }
  Atomics.store(ctl, 1, seen);
  Atomics.notify(ctl, 1);
}`;

/**
 * Worker threads that run the deep engine's kernels on one shared WebAssembly.Memory beside the
 * calling thread, each on its own part of an op (rows of a product, frequencies of ∂L/∂W): the
 * calling thread writes the op and its arguments into a control block in that memory and wakes the
 * workers with Atomics.notify, runs its own part, then waits (Atomics.wait) until each has set its
 * done number. Workers are unref'd (a forgotten team does not keep the process alive).
 *
 * @example
 * const team = await KernelTeam.start(module, memory, controlOffset, 1);
 * team.post(0, 'gemm', args); // worker 0 runs gemm(...args)
 * kernels.gemm(...mine);
 * team.wait();
 * team.dispose();
 */
export class KernelTeam {
  private readonly seqs: number[];
  private readonly posted: boolean[];
  private disposed = false;

  private constructor(
    private readonly workers: Worker[],
    private readonly controls: Int32Array[],
  ) {
    this.posted = workers.map(() => false);
    this.seqs = workers.map(() => 0);
  }

  /** Starts `count` workers on the memory; control blocks at `control` (count · 128 bytes). */
  static async start(
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    control: number,
    count: number,
  ): Promise<KernelTeam> {
    const workers: Worker[] = [];
    const controls: Int32Array[] = [];
    for (let t = 0; t < count; t++) {
      const offset = control + 4 * CONTROL_INTS * t;
      const ctl = new Int32Array(memory.buffer as SharedArrayBuffer, offset, CONTROL_INTS);
      ctl.fill(0);
      const worker = new Worker(WORKER, {
        eval: true,
        workerData: { module, memory, control: offset, ops: TEAM_OPS },
      });
      await new Promise<void>((resolve, reject) => {
        worker.once('message', () => resolve());
        worker.once('error', reject);
      });
      worker.unref();
      workers.push(worker);
      controls.push(ctl);
    }
    return new KernelTeam(workers, controls);
  }

  /** The number of workers. */
  get size(): number {
    return this.workers.length;
  }

  /** Starts op `op` with i32 arguments on worker t (its part; the caller runs its own). */
  post(t: number, op: (typeof TEAM_OPS)[number], args: readonly number[]): void {
    if (this.disposed) throw new Error('KernelTeam: disposed');
    const ctl = this.controls[t];
    ctl[2] = TEAM_OPS.indexOf(op);
    ctl[3] = args.length;
    for (let a = 0; a < args.length; a++) ctl[4 + a] = args[a];
    Atomics.store(ctl, 0, ++this.seqs[t]);
    Atomics.notify(ctl, 0);
    this.posted[t] = true;
  }

  /** Waits until every worker posted to since the last wait is done. */
  wait(): void {
    for (let t = 0; t < this.workers.length; t++) {
      if (!this.posted[t]) continue;
      this.posted[t] = false;
      const ctl = this.controls[t];
      let spin = SPIN;
      for (;;) {
        const done = Atomics.load(ctl, 1);
        if (done === this.seqs[t]) break;
        if (done === -1) throw new Error('KernelTeam: a worker failed');
        if (spin-- > 0) continue;
        Atomics.wait(ctl, 1, done, 1000);
      }
    }
  }

  /** Ends the workers. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.controls.forEach((ctl, t) => {
      ctl[2] = 0;
      Atomics.store(ctl, 0, ++this.seqs[t]);
      Atomics.notify(ctl, 0);
    });
    for (const w of this.workers) void w.terminate();
  }
}
