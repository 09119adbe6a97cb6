import { availableParallelism } from 'node:os';
import type { Grid } from '../../../grid.js';
import { WorkerPool } from '../../../parallel/pool.js';
import type { TwoLayerEngine, TwoLayerParameters, TwoLayerTangent } from '../engine.js';
import { checkParameters, checkTangent, resultTangent } from '../tangent.js';
import {
  float64Loop,
  float64RunKernel,
  type KernelGeometry,
  type KernelOp,
  type KernelViews,
  RESEED,
} from './float64-kernels.js';
import { allocateShared, type SharedViews } from './float64-workers.js';

/** Options of {@link createFloat64Engine}. */
export interface Float64EngineOptions {
  /**
   * Threads sharing the features: the calling thread plus `threads − 1` workers of a pool the
   * engine starts when first needed (default: the number of cores). 1 disables workers. Ignored
   * when `pool` is given.
   */
  readonly threads?: number;
  /** A pool to run on instead (the caller's: the engine does not stop it); threads = pool.size + 1. */
  readonly pool?: WorkerPool;
  /** Use workers only when m·N^d is at least this (default 2^17: below it messages cost more). */
  readonly minParallelWork?: number;
  /**
   * Points between exact re-seeds of the cos/sin recurrence along a grid row (default 64). A test
   * knob: `Infinity` runs the recurrence along whole rows, to show what re-seeding buys.
   */
  readonly reseedEvery?: number;
}

/** The Float64 engine: a {@link TwoLayerEngine} that also reports its thread count. */
export interface Float64Engine extends TwoLayerEngine {
  readonly name: 'float64';
  /** Threads available to it (1 = no workers). */
  readonly threads: number;
}

/**
 * A Float64 engine for two-layer FF networks (THEORY.md §1) on a uniform 1D or 2D grid, with
 * hand-derived gradients, angle-addition recurrences along the grid axes instead of a trig call per
 * (point, feature) pair, and worker threads splitting the features when m·N^d is large.
 *
 * @example
 * const grid = uniformGrid({ dim: 1, halfWidth: 8, n: 512 });
 * const engine = createFloat64Engine(grid);
 * const f = await engine.forward({ dim: 1, width: 2, w: new Float64Array([1, 2]),
 *   a: new Float64Array([1, 0]), b: new Float64Array([0, 1]) });
 * // f[i] = (cos(x_i) + sin(2 x_i)) / √2
 * await engine.dispose();
 */
export function createFloat64Engine(grid: Grid, options: Float64EngineOptions = {}): Float64Engine {
  return new Float64EngineImpl(grid, options);
}

class Float64EngineImpl implements Float64Engine {
  readonly name = 'float64';
  readonly threads: number;
  readonly backend: string;
  private readonly geometry: KernelGeometry;
  private readonly size: number;
  private readonly minParallelWork: number;
  /** Column coordinate of every point: J t = P + x_c ⊙ Q and r x_c in the vjp. */
  private readonly xc: Float64Array;
  /** On the calling thread alone: rx, the one partial slot, and the sums P and Q of the jvp. */
  private readonly scratch: { rx: Float64Array; partial: Float64Array; p: Float64Array; q: Float64Array };
  private pool: WorkerPool | undefined;
  /** Whether the engine started `pool` itself (and so stops it). */
  private ownsPool: boolean;
  private shared: SharedViews | undefined;

  constructor(
    readonly grid: Grid,
    options: Float64EngineOptions,
  ) {
    if (!grid || !(grid.size >= 1)) throw new Error('grid: expected a grid with at least one point');
    const threads = options.pool ? options.pool.threads : (options.threads ?? availableParallelism());
    if (!Number.isInteger(threads) || threads < 1) {
      throw new Error(`threads: expected a positive integer, got ${threads}`);
    }
    this.threads = threads;
    this.pool = options.pool;
    this.ownsPool = !options.pool;
    this.backend = `float64 (${threads} thread${threads > 1 ? 's' : ''})`;
    this.minParallelWork = options.minParallelWork ?? 2 ** 17;
    const reseed = options.reseedEvery ?? RESEED;
    if (!(Number.isInteger(reseed) && reseed >= 1) && reseed !== Number.POSITIVE_INFINITY) {
      throw new Error(`reseedEvery: expected an integer ≥ 1 or Infinity, got ${reseed}`);
    }
    const d = grid.dim;
    this.geometry =
      d === 1
        ? { dim: 1, rows: 1, cols: grid.n[0], xr0: 0, hr: 0, xc0: grid.lower[0], hc: grid.h[0], reseed }
        : {
            dim: 2,
            rows: grid.n[0],
            cols: grid.n[1],
            xr0: grid.lower[0],
            hr: grid.h[0],
            xc0: grid.lower[1],
            hc: grid.h[1],
            reseed,
          };
    this.size = grid.size;
    const { cols, xc0, hc } = this.geometry;
    this.xc = new Float64Array(this.size);
    for (let i = 0; i < this.size; i++) this.xc[i] = xc0 + (i % cols) * hc;
    const n = this.size;
    this.scratch = {
      rx: new Float64Array(n),
      partial: new Float64Array(2 * n),
      p: new Float64Array(n),
      q: new Float64Array(n),
    };
  }

  async forward(p: TwoLayerParameters, out?: Float64Array): Promise<Float64Array> {
    checkParameters(p, this.grid);
    const result = this.output(out);
    const t = this.threadsFor(p.width);
    const v = await this.run('forward', p, t);
    this.sumPartials(v, t, 0, result);
    return result;
  }

  async vjp(p: TwoLayerParameters, r: Float64Array, out?: TwoLayerTangent): Promise<TwoLayerTangent> {
    checkParameters(p, this.grid);
    if (r.length !== this.size) throw new Error(`r: expected length ${this.size}, got ${r.length}`);
    const result = resultTangent(p, out);
    const t = this.threadsFor(p.width);
    const v = await this.run('vjp', p, t, { r, gradient: result });
    if (t > 1) {
      result.w.set(v.gw.subarray(0, p.width * p.dim));
      result.a.set(v.ga.subarray(0, p.width));
      result.b.set(v.gb.subarray(0, p.width));
    }
    return result;
  }

  async jvp(p: TwoLayerParameters, tangent: TwoLayerTangent, out?: Float64Array): Promise<Float64Array> {
    checkParameters(p, this.grid);
    checkTangent(tangent, p);
    const result = this.output(out);
    const t = this.threadsFor(p.width);
    const v = await this.run('jvp', p, t, { tangent });
    const { p: pp, q } = this.scratch;
    this.sumPartials(v, t, 0, pp);
    this.sumPartials(v, t, this.size, q);
    for (let i = 0; i < this.size; i++) result[i] = pp[i] + this.xc[i] * q[i];
    return result;
  }

  async dispose(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    this.shared = undefined;
    if (pool && this.ownsPool) await pool.dispose();
  }

  private output(out?: Float64Array): Float64Array {
    if (!out) return new Float64Array(this.size);
    if (out.length !== this.size) throw new Error(`out: expected length ${this.size}, got ${out.length}`);
    return out;
  }

  /** Threads worth using for width m: all of them once m·N^d pays for the messages. */
  private threadsFor(m: number): number {
    if (this.threads === 1 || m * this.size < this.minParallelWork) return 1;
    return Math.max(1, Math.min(this.threads, Math.floor(m / 2)));
  }

  /**
   * Runs `op` over all m features and returns the arrays it used. On one thread (t = 1) those are
   * the caller's own arrays; otherwise copies in shared memory (grown, and workers started, when
   * needed). The features are split into t contiguous ranges on even boundaries (so mirrored pairs
   * stay together and cancel exactly); range 0 runs here, the others on workers.
   */
  private async run(
    op: KernelOp,
    p: TwoLayerParameters,
    t: number,
    io: KernelInputs = {},
  ): Promise<KernelViews> {
    const v = t === 1 ? this.local(p, io) : this.prepare(p, io);
    if (io.r) for (let i = 0; i < this.size; i++) v.rx[i] = io.r[i] * this.xc[i];
    const scale = 1 / Math.sqrt(p.width);
    const m = p.width;
    const bounds = (s: number) => Math.min(m, 2 * Math.round((s * m) / (2 * t)));
    const tasks = [];
    for (let s = 1; s < t; s++) {
      const to = s === t - 1 ? m : bounds(s + 1);
      tasks.push({ from: bounds(s), to, args: [op, v, this.geometry, s, scale] });
    }
    const done = tasks.length > 0 ? this.pool!.run(float64Loop, tasks) : undefined;
    float64RunKernel(op, v, this.geometry, 0, bounds(1), 0, scale);
    await done;
    return v;
  }

  /** The caller's arrays as kernel views, with this engine's scratch for rx and the partial slot. */
  private local(
    p: TwoLayerParameters,
    { tangent = NONE, gradient = NONE, r = EMPTY }: KernelInputs,
  ): KernelViews {
    const { rx, partial } = this.scratch;
    const { w: tw, a: ta, b: tb } = tangent;
    const { w: gw, a: ga, b: gb } = gradient;
    return { w: p.w, a: p.a, b: p.b, tw, ta, tb, gw, ga, gb, r, rx, partial };
  }

  /** Copies the inputs into shared memory, growing it (and starting workers) when needed. */
  private prepare(p: TwoLayerParameters, { tangent, r }: KernelInputs): SharedViews {
    if (!this.pool) {
      this.pool = new WorkerPool(this.threads - 1);
      this.ownsPool = true;
    }
    if (!this.shared || this.shared.capacity < p.width) {
      this.shared = allocateShared(p.width, p.dim, this.size, this.threads);
    }
    const v = this.shared;
    v.w.set(p.w);
    v.a.set(p.a);
    v.b.set(p.b);
    if (tangent) {
      v.tw.set(tangent.w);
      v.ta.set(tangent.a);
      v.tb.set(tangent.b);
    }
    if (r) v.r.set(r);
    return v;
  }

  /** out = Σ_slots partial[slot][offset … offset + N), in slot order (deterministic). */
  private sumPartials(v: KernelViews, t: number, offset: number, out: Float64Array): void {
    const n = this.size;
    out.set(v.partial.subarray(offset, offset + n));
    for (let s = 1; s < t; s++) {
      const base = 2 * n * s + offset;
      for (let i = 0; i < n; i++) out[i] += v.partial[base + i];
    }
  }
}

/** What a product reads besides the parameters (tangent, residual) or writes (gradient). */
interface KernelInputs {
  readonly tangent?: TwoLayerTangent;
  readonly r?: Float64Array;
  readonly gradient?: TwoLayerTangent;
}

const EMPTY = new Float64Array(0);
const NONE: TwoLayerTangent = { w: EMPTY, a: EMPTY, b: EMPTY };
