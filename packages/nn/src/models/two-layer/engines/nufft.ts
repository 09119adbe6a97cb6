import { availableParallelism } from 'node:os';
import type { Grid } from '../../../grid.js';
import { NufftPlan } from '../../../nufft/plan.js';
import { upsamplingFor } from '../../../nufft/upsampling.js';
import type { WorkerLoop } from '../../../parallel/loop.js';
import { parallelFor, splitThreads, WorkerPool } from '../../../parallel/pool.js';
import { allocate, isShared, slices } from '../../../parallel/shared.js';
import type { TwoLayerEngine, TwoLayerParameters, TwoLayerTangent } from '../engine.js';
import { descentLoop, gradientsLoop, phasesLoop, strengthsLoop } from './nufft-loops.js';

/** Options of {@link createNufftEngine}. */
export interface NufftEngineOptions {
  /** Relative accuracy of every transform (default 1e-12). */
  readonly tolerance?: number;
  /**
   * Threads of every split loop (locating the points, spreading, interpolation, the per-feature
   * loops): the caller plus threads − 1 workers of a pool the engine starts (default: the number of
   * cores). 1 disables workers. Ignored when `pool` is given.
   */
  readonly threads?: number;
  /** A pool to run on instead (the caller's: the engine does not stop it); threads = pool.size + 1. */
  readonly pool?: WorkerPool;
  /** Use workers only from this width on (default 2^15: below it messages cost more than they save). */
  readonly minParallelWidth?: number;
  /** Upsampling σ of the fine grid (default {@link upsamplingFor}(grid.n, width)). */
  readonly upsampling?: 2 | 4;
  /** WebAssembly SIMD spreading and interpolation (default true; see NufftPlanOptions.simd). */
  readonly simd?: boolean;
}

/**
 * The two-layer network on a uniform grid as non-uniform FFTs (issue 5). THEORY.md §1:
 *
 *     f(x) = (1/√m) Σ_j [a_j cos(w_j·x) + b_j sin(w_j·x)] = Re Σ_j c_j e^{i w_j·x},  c_j = (a_j − i b_j)/√m.
 *
 * On the grid x_i = x_s + k h (per axis; x_s the point of index s = ⌊n/2⌋, k = i − s the centred
 * mode of the transforms), w_j·x_i = ψ_j + Σ_d k_d θ_jd with ψ_j = w_j·x_s and θ_jd = w_jd h_d
 * (any real value: beyond Nyquist it aliases on the grid exactly as the direct sum does). So, with
 * T1⁺ and T2⁻ the type-1 (sign +) and type-2 (sign −) transforms of `NufftPlan`:
 *
 * - forward: f = Re T1⁺[c_j e^{iψ_j}].
 * - vjp: G_j = Σ_i r_i e^{−i w_j·x_i} = e^{−iψ_j} T2⁻[r]_j and H_jd = Σ_i r_i x_id e^{−i w_j·x_i} =
 *   e^{−iψ_j} T2⁻[r ⊙ x_d]_j. From ∂f/∂a_j = cos/√m, ∂f/∂b_j = sin/√m and
 *   ∂f/∂w_jd = x_d (b_j cos − a_j sin)/√m: ∂a_j = Re G_j/√m, ∂b_j = −Im G_j/√m,
 *   ∂w_jd = (a_j Im H_jd + b_j Re H_jd)/√m.
 * - jvp: J t = Re T1⁺[(t_a − i t_b) e^{iψ}/√m] + Σ_d x_d ⊙ Re T1⁺[t_wd (b + i a) e^{iψ}/√m], since
 *   Re[(t_a − i t_b) e^{iφ}] = t_a cos φ + t_b sin φ and Re[(b + i a) e^{iφ}] = b cos φ − a sin φ.
 *
 * One plan serves all calls; where the points sit on its fine grid depends only on w, so it is
 * recomputed only when w changes (compared by value) and shared by the forward pass, the gradient
 * and the NTK products of a step. Locating, spreading, interpolation and the per-feature loops
 * split over the threads of one pool (the engine's own, or the caller's `pool`) for large widths.
 *
 * @example
 * const grid = uniformGrid({ dim: 1, halfWidth: 8, n: 512 });
 * const engine = createNufftEngine(grid);
 * const f = await engine.forward({ dim: 1, width: 2, w: new Float64Array([1, 2]),
 *   a: new Float64Array([1, 0]), b: new Float64Array([0, 1]) });
 * // f[i] = (cos(x_i) + sin(2 x_i)) / √2 to about 1e-13
 * await engine.dispose();
 */
export function createNufftEngine(grid: Grid, options: NufftEngineOptions = {}): TwoLayerEngine {
  return new NufftEngine(grid, options);
}

class NufftEngine implements TwoLayerEngine {
  readonly name = 'nufft';
  private plan: NufftPlan;
  private readonly options: NufftEngineOptions & { threads: number };
  private pool: WorkerPool | undefined;
  private readonly ownsPool: boolean;
  private readonly minParallel: number;
  /** Grid coordinates per axis at every grid point, for r ⊙ x_d and x_d ⊙ (…). */
  private readonly coords: Float64Array[];
  /** x_s per axis (the grid point of the zero mode); ψ_j = w_j·x_s. */
  private readonly origin: number[];
  private readonly centred: boolean;
  /** The w the plan's points were set from; compared by value, since training updates in place. */
  private pointsOf: Float64Array = new Float64Array(0);
  /** Copies of a and b on shared memory, for the workers' slices of the per-feature loops. */
  private aShared: Float64Array = new Float64Array(0);
  private bShared: Float64Array = new Float64Array(0);
  /** Gradients of the workers' slices, copied into the caller's arrays afterwards. */
  private gradShared: { w: Float64Array; a: Float64Array; b: Float64Array } = {
    w: new Float64Array(0),
    a: new Float64Array(0),
    b: new Float64Array(0),
  };
  private phaseCos: Float64Array = new Float64Array(0);
  private phaseSin: Float64Array = new Float64Array(0);
  private strengths: Float64Array[] = [];
  private values: Float64Array[] = [];
  private readonly modes: Float64Array[];

  constructor(
    readonly grid: Grid,
    options: NufftEngineOptions,
  ) {
    if (!grid || !(grid.size >= 1)) throw new Error('grid: expected a grid with at least one point');
    const requested = options.threads ?? availableParallelism();
    if (!options.pool && (!Number.isInteger(requested) || requested < 1)) {
      throw new Error(`threads: expected a positive integer, got ${requested}`);
    }
    this.ownsPool = !options.pool && requested > 1;
    this.pool = options.pool ?? (requested > 1 ? new WorkerPool(requested - 1) : undefined);
    const threads = this.pool?.threads ?? 1;
    this.options = { ...options, threads };
    this.minParallel = options.minParallelWidth ?? 2 ** 15;
    this.plan = this.createPlan(options.upsampling ?? upsamplingFor(grid.n));
    const d = grid.dim;
    this.origin = grid.n.map((n, a) => grid.lower[a] + Math.floor(n / 2) * grid.h[a]);
    this.centred = this.origin.every((x) => x === 0);
    this.coords = grid.n.map((_, a) => {
      const x = new Float64Array(grid.size);
      for (let i = 0; i < grid.size; i++) x[i] = grid.points[i * d + a];
      return x;
    });
    this.modes = Array.from({ length: d + 1 }, () => new Float64Array(2 * grid.size));
  }

  get backend(): string {
    const fine = this.plan.fine.join('×');
    const threads = this.options.threads;
    const t = `${threads} thread${threads > 1 ? 's' : ''}`;
    return `nufft (ES kernel w=${this.plan.kernel.width}, fine grid ${fine}, ${t}, ${this.plan.loops} loops)`;
  }

  private createPlan(upsampling: 2 | 4): NufftPlan {
    return new NufftPlan(this.grid.n, {
      tolerance: this.options.tolerance ?? 1e-12,
      pool: this.pool,
      minParallelPoints: this.minParallel,
      upsampling,
      simd: this.options.simd,
    });
  }

  /** σ for width m (see NufftEngineOptions.upsampling). */
  private upsamplingFor(m: number): 2 | 4 {
    return this.options.upsampling ?? upsamplingFor(this.grid.n, m);
  }

  async forward(p: TwoLayerParameters, out?: Float64Array): Promise<Float64Array> {
    await this.setPoints(p);
    const m = p.width;
    const scale = 1 / Math.sqrt(m);
    const c = this.strengths[0];
    const bounds = this.slicesFor(m, [c]);
    const a = this.sharedCopy(p.a, this.aShared, bounds, 1);
    const b = this.sharedCopy(p.b, this.bShared, bounds, 1);
    const { phaseCos: cs, phaseSin: sn, centred } = this;
    await this.parallel(
      strengthsLoop,
      m,
      (t) => [t === 0 ? p.a : a, t === 0 ? p.b : b, c, scale, cs, sn, centred],
      [c],
    );
    const [modes] = await this.plan.type1ManyAsync([c], 1, [this.modes[0]]);
    const result = this.output(out);
    for (let i = 0; i < result.length; i++) result[i] = modes[2 * i];
    return result;
  }

  async vjp(p: TwoLayerParameters, r: Float64Array, out?: TwoLayerTangent): Promise<TwoLayerTangent> {
    const m = p.width;
    const d = p.dim;
    const vals = await this.transformsOf(p, r);
    const result = out ?? { w: new Float64Array(m * d), a: new Float64Array(m), b: new Float64Array(m) };
    checkTangent(result, p);
    // Per feature, in the threads' slices: undo the phase, then the three gradients. Workers write
    // into shared scratch unless the caller's arrays are shared, copied over afterwards.
    const scale = 1 / Math.sqrt(m);
    const bounds = this.slicesFor(m, vals);
    const a = this.sharedCopy(p.a, this.aShared, bounds, 1);
    const b = this.sharedCopy(p.b, this.bShared, bounds, 1);
    const scratch = this.gradShared;
    const direct = isShared(result.w) && isShared(result.a) && isShared(result.b);
    const into = direct ? result : scratch;
    const { phaseCos: cs, phaseSin: sn, centred } = this;
    const [g, ...h] = vals;
    await this.parallel(
      gradientsLoop,
      m,
      (t) => {
        const o = t === 0 ? result : into;
        return [g, h, t === 0 ? p.a : a, t === 0 ? p.b : b, o.a, o.b, o.w, scale, cs, sn, centred];
      },
      vals,
    );
    if (!direct) {
      for (let t = 1; t + 1 < bounds.length; t++) {
        const [from, to] = [bounds[t], bounds[t + 1]];
        result.a.set(scratch.a.subarray(from, to), from);
        result.b.set(scratch.b.subarray(from, to), from);
        result.w.set(scratch.w.subarray(from * d, to * d), from * d);
      }
    }
    return result;
  }

  /**
   * θ ← θ + step·Jᵀr in place (w only if trainW): the vjp and the update in one pass over the
   * features (descentLoop), bit for bit vjp followed by θ += step·∇. Split over the threads when
   * p's arrays are on shared memory ({@link float64}), else on the calling thread.
   */
  async descend(p: TwoLayerParameters, r: Float64Array, step: number, trainW: boolean): Promise<void> {
    const vals = await this.transformsOf(p, r);
    const m = p.width;
    const scale = 1 / Math.sqrt(m);
    const { phaseCos: cs, phaseSin: sn, centred } = this;
    const [g, ...h] = vals;
    const args = [g, h, p.a, p.b, p.w, step, scale, cs, sn, centred, trainW];
    await this.parallel(descentLoop, m, () => args, [...vals, p.a, p.b, p.w]);
  }

  /** An array on shared memory when the engine has threads (parameters there are never copied). */
  float64(length: number): Float64Array {
    return allocate(length, this.pool !== undefined);
  }

  async jvp(p: TwoLayerParameters, t: TwoLayerTangent, out?: Float64Array): Promise<Float64Array> {
    await this.setPoints(p);
    checkTangent(t, p);
    const m = p.width;
    const d = p.dim;
    const scale = 1 / Math.sqrt(m);
    const s = this.strengths;
    for (let j = 0; j < m; j++) {
      s[0][2 * j] = t.a[j] * scale;
      s[0][2 * j + 1] = -t.b[j] * scale;
      for (let a = 0; a < d; a++) {
        const tw = t.w[j * d + a] * scale;
        s[a + 1][2 * j] = tw * p.b[j];
        s[a + 1][2 * j + 1] = tw * p.a[j];
      }
    }
    for (const c of s) this.rotate(c, m, 1);
    const modes = await this.plan.type1ManyAsync(s, 1, this.modes);
    const result = this.output(out);
    for (let i = 0; i < result.length; i++) {
      let v = modes[0][2 * i];
      for (let a = 0; a < d; a++) v += this.coords[a][i] * modes[a + 1][2 * i];
      result[i] = v;
    }
    return result;
  }

  async dispose(): Promise<void> {
    await this.plan.dispose();
    const pool = this.pool;
    this.pool = undefined;
    if (this.ownsPool) await pool?.dispose();
    this.pointsOf = new Float64Array(0);
    this.strengths = [];
    this.values = [];
  }

  /** G = T2⁻[r] and H_d = T2⁻[r ⊙ x_d] at the points of p (before the phases e^{−iψ_j}). */
  private async transformsOf(p: TwoLayerParameters, r: Float64Array): Promise<Float64Array[]> {
    await this.setPoints(p);
    if (r.length !== this.grid.size) throw new Error(`r: expected length ${this.grid.size}, got ${r.length}`);
    const d = p.dim;
    const modes = this.modes;
    for (let i = 0; i < r.length; i++) {
      modes[0][2 * i] = r[i];
      modes[0][2 * i + 1] = 0;
      for (let a = 0; a < d; a++) {
        modes[a + 1][2 * i] = r[i] * this.coords[a][i];
        modes[a + 1][2 * i + 1] = 0;
      }
    }
    return this.plan.type2ManyAsync(modes, -1, this.values);
  }

  /** Sets the plan's points from w unless they were set from the same values. */
  private async setPoints(p: TwoLayerParameters): Promise<void> {
    if (p.dim !== this.grid.dim) {
      throw new Error(`parameters: dimension ${p.dim} does not match the grid's ${this.grid.dim}`);
    }
    const m = p.width;
    const d = p.dim;
    if (!Number.isInteger(m) || m < 1) throw new Error(`width: expected an integer ≥ 1, got ${m}`);
    if (p.w.length !== m * d || p.a.length !== m || p.b.length !== m) {
      throw new Error(`parameters: expected w of length ${m * d} and a, b of length ${m}`);
    }
    let from = this.pointsOf.length === p.w.length ? firstDifference(this.pointsOf, p.w) : 0;
    if (from === p.w.length) return;
    if (this.pointsOf.length !== p.w.length) {
      const sigma = this.upsamplingFor(m);
      if ((this.plan.kernel.upsampling ?? 2) !== sigma) {
        void this.plan.dispose();
        this.plan = this.createPlan(sigma);
      }
      this.allocate(m, d);
      from = 0;
    }
    const w = this.pointsOf;
    w.set(from === 0 ? p.w : p.w.subarray(from), from);
    // θ_jd = w_jd h_d, computed where the points are located (split over the threads).
    await this.plan.setPointsAsync(w, m, this.grid.h);
    if (this.centred) return;
    const { phaseCos: cs, phaseSin: sn, origin } = this;
    await this.parallel(phasesLoop, m, () => [w, origin, cs, sn], [w]);
  }

  private allocate(m: number, d: number): void {
    const shared = this.pool !== undefined;
    const f64 = (length: number) => allocate(length, shared);
    this.pointsOf = this.plan.float64(m * d);
    this.phaseCos = f64(this.centred ? 0 : m);
    this.phaseSin = f64(this.centred ? 0 : m);
    this.aShared = f64(m);
    this.bShared = f64(m);
    this.gradShared = { w: f64(m * d), a: f64(m), b: f64(m) };
    // where the plan's loops read and write them without copies (its wasm heap)
    this.strengths = Array.from({ length: d + 1 }, () => this.plan.float64(2 * m));
    this.values = Array.from({ length: d + 1 }, () => this.plan.float64(2 * m));
  }

  /** The slices of [0, m) the per-feature loops use (one when they would not split). */
  private slicesFor(m: number, arrays: readonly Float64Array[]): number[] {
    return slices(m, splitThreads(this.pool, m, arrays, this.minParallel));
  }

  private parallel(
    loop: WorkerLoop,
    m: number,
    argsFor: (thread: number) => readonly unknown[],
    arrays: readonly Float64Array[],
  ): Promise<number[]> {
    return parallelFor(this.pool, loop, m, argsFor, arrays, this.minParallel);
  }

  /** c_j ← c_j e^{±iψ_j} (nothing to do on a grid whose zero mode sits at x = 0). */
  private rotate(c: Float64Array, m: number, sign: 1 | -1): void {
    if (this.centred) return;
    const cs = this.phaseCos;
    const sn = this.phaseSin;
    for (let j = 0; j < m; j++) {
      const re = c[2 * j];
      const im = c[2 * j + 1];
      const s = sign * sn[j];
      c[2 * j] = re * cs[j] - im * s;
      c[2 * j + 1] = re * s + im * cs[j];
    }
  }

  /**
   * x itself if it is on shared memory, else `copy` with the slices of threads ≥ 1 (bounds from
   * slicesFor, `stride` values per feature) copied from x: thread 0 reads x directly.
   */
  private sharedCopy(x: Float64Array, copy: Float64Array, bounds: number[], stride: number): Float64Array {
    if (isShared(x)) return x;
    for (let t = 1; t + 1 < bounds.length; t++) {
      copy.set(x.subarray(bounds[t] * stride, bounds[t + 1] * stride), bounds[t] * stride);
    }
    return copy;
  }

  private output(out?: Float64Array): Float64Array {
    if (!out) return new Float64Array(this.grid.size);
    if (out.length !== this.grid.size)
      throw new Error(`out: expected length ${this.grid.size}, got ${out.length}`);
    return out;
  }
}

/** The first index where x and y (of equal length) differ; their length if nowhere. */
function firstDifference(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  let i = 0;
  while (i < n && x[i] === y[i]) i++;
  return i;
}

function checkTangent(t: TwoLayerTangent, p: TwoLayerParameters): void {
  if (t.w.length !== p.w.length || t.a.length !== p.a.length || t.b.length !== p.b.length) {
    throw new Error(`tangent: expected w of length ${p.w.length} and a, b of length ${p.width}`);
  }
}
