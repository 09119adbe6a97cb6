import { availableParallelism } from 'node:os';
import type { Grid } from '../grid.js';
import { float64ForwardKernel, float64JvpKernel, float64VjpKernel } from './float64-kernels.js';
import {
  allocateShared,
  Float64WorkerPool,
  type KernelGeometry,
  type KernelTask,
  type SharedViews,
} from './float64-workers.js';
import { checkParameters, checkTangent, resultTangent } from './tangent.js';
import type { TwoLayerEngine, TwoLayerParameters, TwoLayerTangent } from './types.js';

/** Options of {@link createFloat64Engine}. */
export interface Float64EngineOptions {
  /**
   * Threads sharing the features: the calling thread plus `threads − 1` workers (default: the
   * number of cores). 1 disables workers.
   */
  readonly threads?: number;
  /** Use workers only when m·N^d is at least this (default 2^17: below it messages cost more). */
  readonly minParallelWork?: number;
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
  private readonly scratch: { r: Float64Array; rx: Float64Array; p: Float64Array; q: Float64Array };
  private pool: Float64WorkerPool | undefined;
  private shared: SharedViews | undefined;

  constructor(
    readonly grid: Grid,
    options: Float64EngineOptions,
  ) {
    if (!grid || !(grid.size >= 1)) throw new Error('grid: expected a grid with at least one point');
    const threads = options.threads ?? availableParallelism();
    if (!Number.isInteger(threads) || threads < 1) {
      throw new Error(`threads: expected a positive integer, got ${threads}`);
    }
    this.threads = threads;
    this.backend = `float64 (${threads} thread${threads > 1 ? 's' : ''})`;
    this.minParallelWork = options.minParallelWork ?? 2 ** 17;
    const d = grid.dim;
    this.geometry =
      d === 1
        ? { dim: 1, rows: 1, cols: grid.n[0], xr0: 0, hr: 0, xc0: grid.lower[0], hc: grid.h[0] }
        : {
            dim: 2,
            rows: grid.n[0],
            cols: grid.n[1],
            xr0: grid.lower[0],
            hr: grid.h[0],
            xc0: grid.lower[1],
            hc: grid.h[1],
          };
    this.size = grid.size;
    const { cols, xc0, hc } = this.geometry;
    this.xc = new Float64Array(this.size);
    for (let i = 0; i < this.size; i++) this.xc[i] = xc0 + (i % cols) * hc;
    const n = this.size;
    this.scratch = {
      r: new Float64Array(n),
      rx: new Float64Array(n),
      p: new Float64Array(n),
      q: new Float64Array(n),
    };
  }

  async forward(p: TwoLayerParameters, out?: Float64Array): Promise<Float64Array> {
    checkParameters(p, this.grid);
    const result = this.output(out);
    const g = this.geometry;
    const scale = 1 / Math.sqrt(p.width);
    const t = this.threadsFor(p.width);
    if (t === 1) {
      result.fill(0);
      float64ForwardKernel(
        p.w,
        p.a,
        p.b,
        0,
        p.width,
        g.dim,
        g.rows,
        g.cols,
        g.xr0,
        g.hr,
        g.xc0,
        g.hc,
        scale,
        result,
      );
      return result;
    }
    const v = this.prepare(p);
    await this.parallel('forward', p.width, t, scale, (j0, j1, slot) => {
      const part = v.partial.subarray(2 * this.size * slot, 2 * this.size * slot + this.size);
      part.fill(0);
      float64ForwardKernel(
        v.w,
        v.a,
        v.b,
        j0,
        j1,
        g.dim,
        g.rows,
        g.cols,
        g.xr0,
        g.hr,
        g.xc0,
        g.hc,
        scale,
        part,
      );
    });
    this.sumPartials(v, t, 0, result);
    return result;
  }

  async vjp(p: TwoLayerParameters, r: Float64Array, out?: TwoLayerTangent): Promise<TwoLayerTangent> {
    checkParameters(p, this.grid);
    if (r.length !== this.size) throw new Error(`r: expected length ${this.size}, got ${r.length}`);
    const result = resultTangent(p, out);
    const g = this.geometry;
    const scale = 1 / Math.sqrt(p.width);
    const t = this.threadsFor(p.width);
    if (t === 1) {
      const rx = this.scratch.rx;
      for (let i = 0; i < this.size; i++) rx[i] = r[i] * this.xc[i];
      float64VjpKernel(
        p.w,
        p.a,
        p.b,
        r,
        rx,
        0,
        p.width,
        g.dim,
        g.rows,
        g.cols,
        g.xr0,
        g.hr,
        g.xc0,
        g.hc,
        scale,
        result.w,
        result.a,
        result.b,
      );
      return result;
    }
    const v = this.prepare(p);
    for (let i = 0; i < this.size; i++) {
      v.r[i] = r[i];
      v.rx[i] = r[i] * this.xc[i];
    }
    await this.parallel('vjp', p.width, t, scale, (j0, j1) => {
      float64VjpKernel(
        v.w,
        v.a,
        v.b,
        v.r,
        v.rx,
        j0,
        j1,
        g.dim,
        g.rows,
        g.cols,
        g.xr0,
        g.hr,
        g.xc0,
        g.hc,
        scale,
        v.gw,
        v.ga,
        v.gb,
      );
    });
    result.w.set(v.gw.subarray(0, p.width * p.dim));
    result.a.set(v.ga.subarray(0, p.width));
    result.b.set(v.gb.subarray(0, p.width));
    return result;
  }

  async jvp(p: TwoLayerParameters, tangent: TwoLayerTangent, out?: Float64Array): Promise<Float64Array> {
    checkParameters(p, this.grid);
    checkTangent(tangent, p);
    const result = this.output(out);
    const g = this.geometry;
    const scale = 1 / Math.sqrt(p.width);
    const t = this.threadsFor(p.width);
    const n = this.size;
    if (t === 1) {
      const { p: pp, q } = this.scratch;
      pp.fill(0);
      q.fill(0);
      float64JvpKernel(
        p.w,
        p.a,
        p.b,
        tangent.w,
        tangent.a,
        tangent.b,
        0,
        p.width,
        g.dim,
        g.rows,
        g.cols,
        g.xr0,
        g.hr,
        g.xc0,
        g.hc,
        scale,
        pp,
        q,
      );
      for (let i = 0; i < n; i++) result[i] = pp[i] + this.xc[i] * q[i];
      return result;
    }
    const v = this.prepare(p);
    v.tw.set(tangent.w);
    v.ta.set(tangent.a);
    v.tb.set(tangent.b);
    await this.parallel('jvp', p.width, t, scale, (j0, j1, slot) => {
      const pp = v.partial.subarray(2 * n * slot, 2 * n * slot + n);
      const q = v.partial.subarray(2 * n * slot + n, 2 * n * (slot + 1));
      pp.fill(0);
      q.fill(0);
      float64JvpKernel(
        v.w,
        v.a,
        v.b,
        v.tw,
        v.ta,
        v.tb,
        j0,
        j1,
        g.dim,
        g.rows,
        g.cols,
        g.xr0,
        g.hr,
        g.xc0,
        g.hc,
        scale,
        pp,
        q,
      );
    });
    const { p: pp, q } = this.scratch;
    this.sumPartials(v, t, 0, pp);
    this.sumPartials(v, t, n, q);
    for (let i = 0; i < n; i++) result[i] = pp[i] + this.xc[i] * q[i];
    return result;
  }

  async dispose(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    this.shared = undefined;
    if (pool) await pool.terminate();
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

  /** Copies the parameters into shared memory, growing it (and starting workers) when needed. */
  private prepare(p: TwoLayerParameters): SharedViews {
    if (!this.pool) this.pool = new Float64WorkerPool(this.threads - 1, this.geometry);
    if (!this.shared || this.shared.capacity < p.width) {
      this.shared = allocateShared(p.width, p.dim, this.size, this.threads);
      this.pool.share(this.shared);
    }
    const v = this.shared;
    v.w.set(p.w);
    v.a.set(p.a);
    v.b.set(p.b);
    return v;
  }

  /**
   * Splits the features into t contiguous ranges on even boundaries (so mirrored pairs stay
   * together and cancel exactly), runs range 0 here and the others on workers.
   */
  private async parallel(
    op: KernelTask['op'],
    m: number,
    t: number,
    scale: number,
    local: (j0: number, j1: number, slot: number) => void,
  ): Promise<void> {
    const bounds = (s: number) => Math.min(m, 2 * Math.round((s * m) / (2 * t)));
    const jobs: Promise<void>[] = [];
    for (let s = 1; s < t; s++) {
      jobs.push(
        this.pool!.run(s - 1, { op, j0: bounds(s), j1: s === t - 1 ? m : bounds(s + 1), slot: s, scale }),
      );
    }
    local(0, bounds(1), 0);
    await Promise.all(jobs);
  }

  /** out = Σ_slots partial[slot][offset … offset + N), in slot order (deterministic). */
  private sumPartials(v: SharedViews, t: number, offset: number, out: Float64Array): void {
    const n = this.size;
    out.set(v.partial.subarray(offset, offset + n));
    for (let s = 1; s < t; s++) {
      const base = 2 * n * s + offset;
      for (let i = 0; i < n; i++) out[i] += v.partial[base + i];
    }
  }
}
