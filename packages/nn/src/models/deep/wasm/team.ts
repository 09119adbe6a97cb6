import '../../../nufft/wasm/webassembly.js';
import { Worker } from 'node:worker_threads';
import type { DeepKernels } from './kernels.js';

/** The ops a {@link KernelTeam} splits, by code (0 ends the workers). */
export type TeamOp = 'gemm' | 'embed' | 'wgrad';
const OP_CODES: Record<TeamOp | 'quit', number> = { quit: 0, gemm: 1, embed: 2, wgrad: 3 };

/** Bytes of a team's control block in the shared memory. */
export const TEAM_CONTROL_BYTES = 4 * 64;

// Int32 slots of the control block: the op, its range [0, TOTAL) claimed CHUNK at a time through
// COUNTER, its arguments; then per worker t its state (STATES + t) and its pack space (PACKS + t).
const OP = 0;
const TOTAL = 1;
const CHUNK = 2;
const COUNTER = 3;
const NARGS = 4;
const ARGS = 8;
const STATES = 40;
const PACKS = 52;
// A worker's state (0 before its first op): posted (the op waits for it), running, done, cancelled (the caller
// finished the op before the worker woke), failed.
const [POSTED, RUNNING, DONE, CANCELLED, FAILED] = [1, 2, 3, 4, 5];
/** Polls of a state before a thread sleeps on it (the ops of a step are microseconds apart). */
const SPIN = 20_000;

/**
 * One chunk [from, to) of an op on kernels k with arguments a; `first` is the thread's first chunk
 * of the op (a gemm packs B then, and reuses the packing after: mode bit 32). JavaScript source,
 * shared by the calling thread and the workers.
 */
const PART = `function part(k, op, a, from, to, first, pack) {
  if (op === 1) {
    k.gemm(to - from, a[1], a[2], a[3] + 4 * from * a[4], a[4], a[5], a[6], a[7], a[8],
      a[9] + 4 * from * a[10], a[10], first ? a[11] : a[11] | 32, a[12] + 4 * from * a[13], a[13], pack);
  } else if (op === 2) k.embed(from, to, a[0], a[1], a[2], a[3], a[4], a[5]);
  else k.wgrad(from, to, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]);
}
function claim(ctl, k, op, a, pack) {
  const total = ctl[${TOTAL}];
  const chunk = ctl[${CHUNK}];
  let first = true;
  for (;;) {
    const from = Atomics.add(ctl, ${COUNTER}, 1) * chunk;
    if (from >= total) return;
    part(k, op, a, from, Math.min(total, from + chunk), first, pack);
    first = false;
  }
}`;

const partAndClaim = new Function(`${PART}\nreturn { part, claim };`)() as {
  claim: (ctl: Int32Array, k: DeepKernels, op: number, a: number[], pack: number) => void;
};

// The worker: instantiates the module on the shared memory, then sleeps on its state until the
// calling thread posts an op, takes it (posted → running, unless the caller cancelled it), claims
// chunks of it until none are left, and reports done. No message passes per op.
const WORKER = `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { module, memory, control, index } = workerData;
const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
const ctl = new Int32Array(memory.buffer, control, ${TEAM_CONTROL_BYTES / 4});
const state = ${STATES} + index;
${PART}
parentPort.postMessage('ready');
for (;;) {
  const s = Atomics.load(ctl, state);
  if (s !== ${POSTED}) {
    let spin = ${SPIN};
    while (Atomics.load(ctl, state) === s && spin-- > 0);
    Atomics.wait(ctl, state, s);
    continue;
  }
  if (Atomics.compareExchange(ctl, state, ${POSTED}, ${RUNNING}) !== ${POSTED}) continue;
  const op = ctl[${OP}];
  if (op === 0) break;
  const a = Array.from(ctl.subarray(${ARGS}, ${ARGS} + ctl[${NARGS}]));
  try {
    claim(ctl, k, op, a, ctl[${PACKS} + index]);
  } catch (e) {
    Atomics.store(ctl, state, ${FAILED});
    Atomics.notify(ctl, state);
    throw e;
  }
  Atomics.store(ctl, state, ${DONE});
  Atomics.notify(ctl, state);
}`;

/**
 * Worker threads that run the deep engine's kernels on one shared WebAssembly.Memory with the
 * calling thread: an op (a product, the embedding, ∂L/∂W) is a range of rows or frequencies that
 * every thread claims chunk by chunk from a shared counter (Atomics.add), so that a worker the OS
 * has not scheduled yet costs nothing: the caller takes the chunks it would have taken, and cancels
 * its share if it never woke. The caller writes the op into a control block in that memory and
 * wakes the workers with Atomics.notify; no message passes per op. Each output element is the
 * same sum whichever thread computes it. Workers are unref'd (a forgotten team does not keep the
 * process alive).
 *
 * @example
 * const team = await KernelTeam.start(module, memory, control, [pack1]);
 * team.run(kernels, 'embed', n, 16, [x, dim, w, m, h, ld], pack0);
 * team.dispose();
 */
export class KernelTeam {
  private disposed = false;

  private constructor(
    private readonly workers: Worker[],
    private readonly ctl: Int32Array,
  ) {}

  /** Starts one worker per pack offset on the memory; the control block at `control`. */
  static async start(
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    control: number,
    packs: readonly number[],
  ): Promise<KernelTeam> {
    const ctl = new Int32Array(memory.buffer as SharedArrayBuffer, control, TEAM_CONTROL_BYTES / 4);
    if (packs.length > PACKS - STATES) throw new Error(`threads: at most ${PACKS - STATES + 1}`);
    ctl.fill(0);
    const workers: Worker[] = [];
    for (let t = 0; t < packs.length; t++) {
      ctl[PACKS + t] = packs[t];
      const worker = new Worker(WORKER, { eval: true, workerData: { module, memory, control, index: t } });
      await new Promise<void>((resolve, reject) => {
        worker.once('message', () => resolve());
        worker.once('error', reject);
      });
      worker.unref();
      workers.push(worker);
    }
    return new KernelTeam(workers, ctl);
  }

  /** The number of workers. */
  get size(): number {
    return this.workers.length;
  }

  /** Sets worker t's pack space (when the workspace moves). */
  setPack(t: number, pack: number): void {
    this.ctl[PACKS + t] = pack;
  }

  /**
   * Runs op over [0, total) in chunks of `chunk` on the calling thread (kernels k, pack space
   * `pack`) and the workers; returns when every chunk is done.
   */
  run(k: DeepKernels, op: TeamOp, total: number, chunk: number, args: readonly number[], pack: number): void {
    if (this.disposed) throw new Error('KernelTeam: disposed');
    const ctl = this.ctl;
    const code = OP_CODES[op];
    ctl[OP] = code;
    ctl[TOTAL] = total;
    ctl[CHUNK] = chunk;
    ctl[NARGS] = args.length;
    for (let a = 0; a < args.length; a++) ctl[ARGS + a] = args[a];
    Atomics.store(ctl, COUNTER, 0);
    for (let t = 0; t < this.workers.length; t++) {
      Atomics.store(ctl, STATES + t, POSTED);
      Atomics.notify(ctl, STATES + t);
    }
    partAndClaim.claim(ctl, k, code, args as number[], pack);
    for (let t = 0; t < this.workers.length; t++) {
      const state = STATES + t;
      // a worker that has not taken the op yet never will: every chunk is claimed
      if (Atomics.compareExchange(ctl, state, POSTED, CANCELLED) === POSTED) continue;
      let spin = SPIN;
      for (;;) {
        const s = Atomics.load(ctl, state);
        if (s === DONE) break;
        if (s === FAILED) throw new Error('KernelTeam: a worker failed');
        if (spin-- > 0) continue;
        Atomics.wait(ctl, state, s, 1000);
      }
    }
  }

  /** Ends the workers. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.ctl[OP] = OP_CODES.quit;
    for (let t = 0; t < this.workers.length; t++) {
      Atomics.store(this.ctl, STATES + t, POSTED);
      Atomics.notify(this.ctl, STATES + t);
    }
    for (const w of this.workers) void w.terminate();
  }
}
