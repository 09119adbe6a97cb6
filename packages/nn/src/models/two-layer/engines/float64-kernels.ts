/**
 * The three hot loops of the Float64 engine, for the features j0 ≤ j < j1 of a two-layer FF network
 * (THEORY.md §1) on a uniform grid seen as `rows × cols` points: in 2D rows run along axis 0 and
 * columns along axis 1; in 1D there is one row and the row frequency is 0.
 *
 * No trig call per (grid point, feature) pair: along a row, cos/sin of θ_{k+1} = θ_k + w_c h_c come
 * from those of θ_k by the angle-addition formulas, and exact trig re-seeds them every
 * `reseed` points ({@link RESEED} by default), which bounds the drift of the recurrence to a few
 * hundred ulps.
 *
 * These functions must stay self-contained (no imports, no module-level names apart from `Math` and
 * each other): a pool's workers rebuild them from `Function.prototype.toString` ({@link float64Loop}).
 */

import { functionLoop } from '../../../parallel/loop.js';

/** Points between exact re-seeds of the recurrence, unless the engine is told otherwise. */
export const RESEED = 64;

/** Grid geometry as the kernels see it: `rows × cols` points. */
export interface KernelGeometry {
  readonly dim: number;
  readonly rows: number;
  readonly cols: number;
  readonly xr0: number;
  readonly hr: number;
  readonly xc0: number;
  readonly hc: number;
  /** Points between exact re-seeds of the recurrence along a row ({@link RESEED}). */
  readonly reseed: number;
}

/**
 * The arrays the kernels read and write: parameters (w, a, b), tangent (tw, ta, tb), gradient
 * (gw, ga, gb), residual r with rx = r ⊙ x_c, and per-thread partial outputs: slot s is
 * partial[2Ns, 2N(s + 1)), the forward output or P then Q of the jvp.
 */
export interface KernelViews {
  readonly w: Float64Array;
  readonly a: Float64Array;
  readonly b: Float64Array;
  readonly tw: Float64Array;
  readonly ta: Float64Array;
  readonly tb: Float64Array;
  readonly gw: Float64Array;
  readonly ga: Float64Array;
  readonly gb: Float64Array;
  readonly r: Float64Array;
  readonly rx: Float64Array;
  readonly partial: Float64Array;
}

/** The products a kernel computes. */
export type KernelOp = 'forward' | 'vjp' | 'jvp';

/**
 * Runs `op` for features j0 ≤ j < j1 into partial slot `slot` (cleared first; the vjp writes its
 * features' entries of gw, ga, gb instead). The one dispatch both the calling thread and the
 * workers use.
 */
export function float64RunKernel(
  op: KernelOp,
  v: KernelViews,
  g: KernelGeometry,
  j0: number,
  j1: number,
  slot: number,
  scale: number,
): void {
  if (op === 'vjp') {
    float64VjpKernel(v, g, j0, j1, scale);
    return;
  }
  const n = g.rows * g.cols;
  const p = v.partial.subarray(2 * n * slot, 2 * n * slot + n);
  p.fill(0);
  if (op === 'forward') {
    float64ForwardKernel(v, g, j0, j1, scale, p);
    return;
  }
  const q = v.partial.subarray(2 * n * slot + n, 2 * n * (slot + 1));
  q.fill(0);
  float64JvpKernel(v, g, j0, j1, scale, p, q);
}

/**
 * Adds scale·Σ_j [a_j cos θ_j(x) + b_j sin θ_j(x)] over j0 ≤ j < j1 into `out` (length rows·cols).
 */
export function float64ForwardKernel(
  v: KernelViews,
  g: KernelGeometry,
  j0: number,
  j1: number,
  scale: number,
  out: Float64Array,
): void {
  const { w, a, b } = v;
  const { dim, rows, cols, xr0, hr, xc0, hc, reseed } = g;
  // Two features per pass: two independent recurrences hide each other's latency. An odd last
  // feature is paired with itself at zero amplitude.
  for (let j = j0; j < j1; j += 2) {
    const odd = j + 1 === j1;
    const l = odd ? j : j + 1;
    const wr1 = dim === 2 ? w[2 * j] : 0;
    const wc1 = dim === 2 ? w[2 * j + 1] : w[j];
    const wr2 = dim === 2 ? w[2 * l] : 0;
    const wc2 = dim === 2 ? w[2 * l + 1] : w[l];
    const rc1 = Math.cos(wc1 * hc);
    const rs1 = Math.sin(wc1 * hc);
    const rc2 = Math.cos(wc2 * hc);
    const rs2 = Math.sin(wc2 * hc);
    const A1 = scale * a[j];
    const B1 = scale * b[j];
    const A2 = odd ? 0 : scale * a[l];
    const B2 = odd ? 0 : scale * b[l];
    for (let r = 0; r < rows; r++) {
      const xr = xr0 + r * hr;
      const base = r * cols;
      for (let k0 = 0; k0 < cols; k0 += reseed) {
        const xc = xc0 + k0 * hc;
        const theta1 = wr1 * xr + wc1 * xc;
        const theta2 = wr2 * xr + wc2 * xc;
        let c1 = Math.cos(theta1);
        let s1 = Math.sin(theta1);
        let c2 = Math.cos(theta2);
        let s2 = Math.sin(theta2);
        const end = base + Math.min(k0 + reseed, cols);
        for (let i = base + k0; i < end; i++) {
          out[i] += A1 * c1 + B1 * s1 + (A2 * c2 + B2 * s2);
          // inlined, not numeric/phasors.ts: workers rebuild this function from its source alone
          const t1 = c1 * rc1 - s1 * rs1;
          s1 = s1 * rc1 + c1 * rs1;
          c1 = t1;
          const t2 = c2 * rc2 - s2 * rs2;
          s2 = s2 * rc2 + c2 * rs2;
          c2 = t2;
        }
      }
    }
  }
}

/**
 * Writes the gradient of Σ_i r_i f(x_i) for features j0 ≤ j < j1 into ga, gb and gw (flat,
 * feature-major like w) of `v`, from `v.r` and `v.rx` = r ⊙ x_c.
 * ∂f/∂a_j = scale·cos θ_j, ∂f/∂b_j = scale·sin θ_j, ∇_{w_j} f = scale·x (b_j cos θ_j − a_j sin θ_j).
 */
export function float64VjpKernel(
  v: KernelViews,
  g: KernelGeometry,
  j0: number,
  j1: number,
  scale: number,
): void {
  const { w, a, b, r, rx, gw, ga, gb } = v;
  const { dim, rows, cols, xr0, hr, xc0, hc, reseed } = g;
  // Two features per pass, as in the forward kernel; an odd last feature is paired with itself
  // (its sums are computed twice and written twice, identically).
  for (let j = j0; j < j1; j += 2) {
    const l = j + 1 === j1 ? j : j + 1;
    const wr1 = dim === 2 ? w[2 * j] : 0;
    const wc1 = dim === 2 ? w[2 * j + 1] : w[j];
    const wr2 = dim === 2 ? w[2 * l] : 0;
    const wc2 = dim === 2 ? w[2 * l + 1] : w[l];
    const rc1 = Math.cos(wc1 * hc);
    const rs1 = Math.sin(wc1 * hc);
    const rc2 = Math.cos(wc2 * hc);
    const rs2 = Math.sin(wc2 * hc);
    // Σ r c, Σ r s, Σ r x_c c, Σ r x_c s, Σ r x_r c, Σ r x_r s per feature.
    let sumC1 = 0;
    let sumS1 = 0;
    let sumXcC1 = 0;
    let sumXcS1 = 0;
    let sumXrC1 = 0;
    let sumXrS1 = 0;
    let sumC2 = 0;
    let sumS2 = 0;
    let sumXcC2 = 0;
    let sumXcS2 = 0;
    let sumXrC2 = 0;
    let sumXrS2 = 0;
    for (let q = 0; q < rows; q++) {
      const xr = xr0 + q * hr;
      const base = q * cols;
      let rowC1 = 0;
      let rowS1 = 0;
      let rowC2 = 0;
      let rowS2 = 0;
      for (let k0 = 0; k0 < cols; k0 += reseed) {
        const xc = xc0 + k0 * hc;
        const theta1 = wr1 * xr + wc1 * xc;
        const theta2 = wr2 * xr + wc2 * xc;
        let c1 = Math.cos(theta1);
        let s1 = Math.sin(theta1);
        let c2 = Math.cos(theta2);
        let s2 = Math.sin(theta2);
        const end = base + Math.min(k0 + reseed, cols);
        for (let i = base + k0; i < end; i++) {
          const ri = r[i];
          const rxi = rx[i];
          rowC1 += ri * c1;
          rowS1 += ri * s1;
          sumXcC1 += rxi * c1;
          sumXcS1 += rxi * s1;
          rowC2 += ri * c2;
          rowS2 += ri * s2;
          sumXcC2 += rxi * c2;
          sumXcS2 += rxi * s2;
          // inlined, not numeric/phasors.ts: workers rebuild this function from its source alone
          const t1 = c1 * rc1 - s1 * rs1;
          s1 = s1 * rc1 + c1 * rs1;
          c1 = t1;
          const t2 = c2 * rc2 - s2 * rs2;
          s2 = s2 * rc2 + c2 * rs2;
          c2 = t2;
        }
      }
      sumC1 += rowC1;
      sumS1 += rowS1;
      sumXrC1 += xr * rowC1;
      sumXrS1 += xr * rowS1;
      sumC2 += rowC2;
      sumS2 += rowS2;
      sumXrC2 += xr * rowC2;
      sumXrS2 += xr * rowS2;
    }
    ga[j] = scale * sumC1;
    gb[j] = scale * sumS1;
    ga[l] = scale * sumC2;
    gb[l] = scale * sumS2;
    const a1 = a[j];
    const b1 = b[j];
    const a2 = a[l];
    const b2 = b[l];
    if (dim === 2) {
      gw[2 * j] = scale * (b1 * sumXrC1 - a1 * sumXrS1);
      gw[2 * j + 1] = scale * (b1 * sumXcC1 - a1 * sumXcS1);
      gw[2 * l] = scale * (b2 * sumXrC2 - a2 * sumXrS2);
      gw[2 * l + 1] = scale * (b2 * sumXcC2 - a2 * sumXcS2);
    } else {
      gw[j] = scale * (b1 * sumXcC1 - a1 * sumXcS1);
      gw[l] = scale * (b2 * sumXcC2 - a2 * sumXcS2);
    }
  }
}

/**
 * Adds the contribution of features j0 ≤ j < j1 to J t, split as J t = P + x_c ⊙ Q so that the
 * inner loop needs no coordinate: P_i += α c + β s and Q_i += γ c + δ s, with (per row, x_r fixed)
 * α = scale (t_a + x_r t_{w,r} b), β = scale (t_b − x_r t_{w,r} a), γ = scale t_{w,c} b,
 * δ = −scale t_{w,c} a.
 */
export function float64JvpKernel(
  v: KernelViews,
  g: KernelGeometry,
  j0: number,
  j1: number,
  scale: number,
  p: Float64Array,
  q: Float64Array,
): void {
  const { w, a, b, tw, ta, tb } = v;
  const { dim, rows, cols, xr0, hr, xc0, hc, reseed } = g;
  for (let j = j0; j < j1; j++) {
    const wr = dim === 2 ? w[2 * j] : 0;
    const wc = dim === 2 ? w[2 * j + 1] : w[j];
    const twr = dim === 2 ? tw[2 * j] : 0;
    const twc = dim === 2 ? tw[2 * j + 1] : tw[j];
    const rc = Math.cos(wc * hc);
    const rs = Math.sin(wc * hc);
    const aj = a[j];
    const bj = b[j];
    const gamma = scale * twc * bj;
    const delta = -scale * twc * aj;
    for (let row = 0; row < rows; row++) {
      const xr = xr0 + row * hr;
      const alpha = scale * (ta[j] + xr * twr * bj);
      const beta = scale * (tb[j] - xr * twr * aj);
      const base = row * cols;
      for (let k0 = 0; k0 < cols; k0 += reseed) {
        const theta = wr * xr + wc * (xc0 + k0 * hc);
        let c = Math.cos(theta);
        let s = Math.sin(theta);
        const end = base + Math.min(k0 + reseed, cols);
        for (let i = base + k0; i < end; i++) {
          p[i] += alpha * c + beta * s;
          q[i] += gamma * c + delta * s;
          // inlined, not numeric/phasors.ts: workers rebuild this function from its source alone
          const t = c * rc - s * rs;
          s = s * rc + c * rs;
          c = t;
        }
      }
    }
  }
}

/**
 * {@link float64RunKernel} as a loop over the features [j0, j1), the form a {@link WorkerPool} runs
 * (it lives here so that its calls are to names of this module, which no transform renames).
 *
 * @example
 * await pool.run(float64Loop, [{ from: j0, to: j1, args: ['forward', views, geometry, 1, scale] }]);
 */
export function float64Slice(
  j0: number,
  j1: number,
  op: KernelOp,
  v: KernelViews,
  g: KernelGeometry,
  slot: number,
  scale: number,
): void {
  float64RunKernel(op, v, g, j0, j1, slot, scale);
}

/** The Float64 kernels for a pool's workers. */
export const float64Loop = functionLoop(float64Slice, [
  float64ForwardKernel,
  float64VjpKernel,
  float64JvpKernel,
  float64RunKernel,
]);
