import type { FrequencyDistribution } from '../distributions/types.js';
import type { Grid } from '../grid.js';
import { gaussLegendre } from '../nufft/gauss-legendre.js';
import { GridFft } from '../numeric/fft.js';
import { nextPowerOfTwo } from '../numeric/power-of-two.js';
import { checkOperator, type DifferentialOperator, symbolsAt } from '../operators/operator.js';
import { createRng } from '../random.js';
import type { KernelOperator } from './operator.js';

/*
 * The infinite-width NTK of L f (THEORY.md §7). With φ(w, x) = p(w) e^{iw·x}, L f =
 * (1/√m) Σ Re((a_j − i b_j) φ(w_j, x)); its gradients are Re φ, Im φ (in a, b) and
 * Re((a − ib)(∇p + i x p) e^{iw·x}) (in w), so with a, b ~ N(0, σ_a²) independent of w,
 *
 *   K_L(x, y) = E_w Re[ (|p|² (1 + σ_a² x·y) + σ_a² |∇p|² + i σ_a² Σ_k (x_k q_k − y_k q̄_k)) e^{iw·z} ],
 *
 * z = x − y, q_k = p ∂_k p̄. That is, with the lattice functions of z
 *
 *   A = E[|p|² cos(w·z)],  B = E[|∇p|² cos(w·z)],  C_k = Im E[q_k e^{iw·z}],  D_k(z) = −C_k(−z),
 *
 *   K_L(x, y) = (1 + σ_a² x·y) A + σ_a² B + σ_a² Σ_k (y_k D_k − x_k C_k).
 *
 * For L = −d²/dx² + k² this is THEORY.md §7's formula. p = c (order 0) gives c² K exactly (A = c² k);
 * otherwise the expectations are Gauss–Legendre quadratures over w of the density ρ_w, on panels
 * split at its jumps and peaks, out to where ρ_w |w|^{2·order + 2} is negligible.
 */

/** The lattice functions of {@link operatorKernelTables}: values at z = (δ₀h₀, δ₁h₁), |δ_a| < n_a. */
export interface OperatorKernelTables {
  readonly grid: Grid;
  readonly sigmaA: number;
  /** Offsets per axis: 2n_a − 1; value of offset δ at index (δ₀ + n₀ − 1)·s₁ + (δ₁ + n₁ − 1), s₁ = 2n₁ − 1 (1 in 1D). */
  readonly shape: readonly number[];
  /** A + σ_a² B (the kernel of u), A (of x_k u), C_k, D_k (k < d). */
  readonly a: Float64Array;
  readonly aPlusB: Float64Array;
  readonly c: readonly Float64Array[];
  readonly dd: readonly Float64Array[];
  /** Quadrature nodes per axis (0 for the closed form of order 0). */
  readonly nodes: readonly number[];
  /** How the expectations over w were computed. */
  readonly rule: 'closed form' | 'trapezoid' | 'gauss-legendre';
}

/** Options of the quadrature behind {@link operatorKernelOperator} and {@link operatorKernelMatrix}. */
export interface OperatorKernelOptions {
  /**
   * 'auto' (default): the trapezoid rule on a uniform w-grid when ρ_w has no jumps and a spacing 3/4
   * as large agrees to `ruleTolerance` (smooth densities: Gaussians and their mixtures), else
   * Gauss–Legendre panels split at the jumps and peaks.
   */
  readonly rule?: 'auto' | 'trapezoid' | 'gauss-legendre';
  /** Agreement the trapezoid rule must reach, relative to A(0) + B(0) (default 1e-11). */
  readonly ruleTolerance?: number;
  /** Gauss–Legendre nodes per panel (default 16). */
  readonly order?: number;
  /** Largest panel length times the largest |z| on the grid (default 10: about 1.6 oscillations per panel). */
  readonly panelPhase?: number;
  /** Tail: ρ_w |w|^{2·order + 2} at the cut relative to its mean over ρ_w (default 1e-14). */
  readonly tailTolerance?: number;
}

/**
 * The lattice functions A, A + σ_a² B, C_k, D_k of K_L on the grid's offsets (see the file's
 * comment and THEORY.md §7). One quadrature over w for the whole grid.
 *
 * @example
 * const t = operatorKernelTables(uniformGrid({ dim: 1, halfWidth: 8, n: 256 }), gaussian(6), 1, helmholtz(2));
 * t.a[255]; // A(0) = E[(w² + 4)²] = 3σ⁴ + 8σ² + 16 = 4192
 */
export function operatorKernelTables(
  grid: Grid,
  distribution: FrequencyDistribution,
  sigmaA: number,
  operator: DifferentialOperator,
  options: OperatorKernelOptions = {},
): OperatorKernelTables {
  if (distribution?.dim !== grid?.dim)
    throw new Error(`distribution: dimension ${distribution?.dim} differs from the grid's ${grid?.dim}`);
  if (typeof sigmaA !== 'number' || !Number.isFinite(sigmaA) || sigmaA < 0)
    throw new Error(`sigmaA: expected a finite number ≥ 0, got ${sigmaA}`);
  checkOperator('operator', operator, grid.dim);
  const d = grid.dim;
  const n = grid.n;
  const shape = Array.from({ length: d }, (_, a) => 2 * n[a] - 1);
  const size = shape.reduce((s, v) => s * v, 1);
  const s2 = sigmaA * sigmaA;
  const tables = {
    a: new Float64Array(size),
    aPlusB: new Float64Array(size),
    c: Array.from({ length: d }, () => new Float64Array(size)),
    dd: Array.from({ length: d }, () => new Float64Array(size)),
  };
  const offsetZ = (index: number, z: Float64Array) => {
    let rest = index;
    for (let a = d - 1; a >= 0; a--) {
      z[a] = ((rest % shape[a]) - (n[a] - 1)) * grid.h[a];
      rest = Math.floor(rest / shape[a]);
    }
  };
  if (operator.order === 0) {
    // p ≡ c real: K_L = c² K, from the closed-form k.
    const c = operator.terms.length === 0 ? 0 : operator.terms[0].coefficient;
    const z = new Float64Array(d);
    for (let i = 0; i < size; i++) {
      offsetZ(i, z);
      tables.a[i] = c * c * distribution.kernel(z);
    }
    tables.aPlusB.set(tables.a);
    return { grid, sigmaA, shape, ...tables, nodes: new Array(d).fill(0), rule: 'closed form' };
  }
  const box = quadratureBox(grid, distribution, operator, options.tailTolerance ?? 1e-14);
  const nf = 2 + d;
  const sumsOf = (rule: QuadratureRule) =>
    fourierSums(rule, grid, shape, nf, (row, re, im) =>
      integrands(rule, row, d, distribution, operator, re, im),
    );
  const zmax = grid.n.map((na, a) => Math.max((na - 1) * grid.h[a], 1e-12));
  let sums: { re: Float64Array; im: Float64Array } | undefined;
  let rule: QuadratureRule | undefined;
  let kind: OperatorKernelTables['rule'] = 'gauss-legendre';
  const choice = options.rule ?? 'auto';
  if (!['auto', 'trapezoid', 'gauss-legendre'].includes(choice))
    throw new Error(`rule: expected 'auto', 'trapezoid' or 'gauss-legendre', got ${JSON.stringify(choice)}`);
  if (choice === 'trapezoid' || (choice === 'auto' && box.breaks.every((b) => b.jumps === 0))) {
    // Spectrally accurate for a smooth density decaying fast: spacing below 2π/(2 z_max) leaves the
    // aliased copies of E[Q e^{iw·z}] a distance z_max away. Accepted when a spacing 3/4 as large
    // agrees (a kink or an unresolved density fails that), else refined once, else Gauss–Legendre.
    for (const start of [1.6, 0.8]) {
      const coarse = trapezoidRule(
        box.W,
        zmax.map((z, a) => Math.min((start * Math.PI) / z, box.W[a] / 16)),
      );
      const fine = trapezoidRule(
        box.W,
        zmax.map((z, a) => 0.75 * Math.min((start * Math.PI) / z, box.W[a] / 16)),
      );
      const [sc, sf] = [sumsOf(coarse), sumsOf(fine)];
      if (choice === 'trapezoid' || agree(sc, sf, nf, options.ruleTolerance ?? 1e-11)) {
        sums = sf;
        rule = fine;
        kind = 'trapezoid';
        break;
      }
    }
  }
  if (!sums || !rule) {
    rule = gaussLegendreRule(box, zmax, options.order ?? 16, options.panelPhase ?? 10);
    sums = sumsOf(rule);
  }
  // sums at each offset, [offset][f]: E[Q_f e^{iw·z}] for Q = |p|², |∇p|², q_0, (q_1).
  for (let i = 0; i < size; i++) {
    const A = sums.re[i * nf];
    const B = sums.re[i * nf + 1];
    tables.a[i] = A;
    tables.aPlusB[i] = A + s2 * B;
    for (let k = 0; k < d; k++) tables.c[k][i] = sums.im[i * nf + 2 + k];
  }
  // D_k(z) = −C_k(−z): the offset −δ sits at index size − 1 − i.
  for (let k = 0; k < d; k++) for (let i = 0; i < size; i++) tables.dd[k][i] = -tables.c[k][size - 1 - i];
  return { grid, sigmaA, shape, ...tables, nodes: rule.perAxis, rule: kind };
}

/** Whether two quadratures' sums agree to `tolerance` relative to the scale A(0) + B(0) of all of them. */
function agree(
  x: { re: Float64Array; im: Float64Array },
  y: { re: Float64Array; im: Float64Array },
  nf: number,
  tolerance: number,
): boolean {
  const centre = ((x.re.length / nf - 1) / 2) * nf;
  const scale = Math.abs(y.re[centre]) + Math.abs(y.re[centre + 1]);
  let worst = 0;
  for (let i = 0; i < x.re.length; i++)
    worst = Math.max(worst, Math.abs(x.re[i] - y.re[i]), Math.abs(x.im[i] - y.im[i]));
  return worst <= tolerance * scale;
}

/**
 * K_L u on a uniform grid in O(N log N) (THEORY.md §7): the infinite-width NTK of the L-applied
 * network, matrix-free, by circulant embedding of its lattice functions
 * ({@link operatorKernelTables}):
 *
 *     K_L u = (A + σ_a²B)*u + σ_a² Σ_k [ D_k*(x_k u) + x_k ⊙ (A*(x_k u) − C_k*u) ].
 *
 * Without the cell volume h^d, like {@link kernelOperator}, whose place it takes in the kernel dynamics.
 *
 * @example
 * const grid = uniformGrid({ dim: 1, halfWidth: 8, n: 256 });
 * const K = operatorKernelOperator(grid, gaussian(6), 1, helmholtz(2));
 * K.apply(u, out); // out = K_L u
 */
export function operatorKernelOperator(
  grid: Grid,
  distribution: FrequencyDistribution,
  sigmaA: number,
  operator: DifferentialOperator,
  options: OperatorKernelOptions = {},
): KernelOperator & { readonly tables: OperatorKernelTables } {
  const tables = operatorKernelTables(grid, distribution, sigmaA, operator, options);
  const d = grid.dim;
  const N = grid.size;
  const n0 = grid.n[0];
  const n1 = d === 2 ? grid.n[1] : 1;
  const p0 = nextPowerOfTwo(2 * n0 - 1);
  const p1 = d === 2 ? nextPowerOfTwo(2 * n1 - 1) : 1;
  const total = p0 * p1;
  const fft = new GridFft(d === 2 ? [p0, p1] : [p0]);
  const columns = Int32Array.from({ length: p1 }, (_, c) => c);
  const spectrum = (values: Float64Array): Float64Array => {
    const buf = new Float64Array(2 * total);
    const s1 = d === 2 ? 2 * n1 - 1 : 1;
    for (let e0 = -(n0 - 1); e0 < n0; e0++) {
      for (let e1 = -(n1 - 1); e1 < n1; e1++) {
        const v = values[(e0 + n0 - 1) * s1 + (e1 + n1 - 1)];
        buf[2 * (mod(e0, p0) * p1 + mod(e1, p1))] = v;
      }
    }
    fft.transform(buf, -1, columns, false);
    return buf;
  };
  const s2 = sigmaA * sigmaA;
  const sAB = spectrum(tables.aPlusB);
  const sA = s2 === 0 ? sAB : spectrum(tables.a);
  const sC = s2 === 0 ? [] : tables.c.map(spectrum);
  const sD = s2 === 0 ? [] : tables.dd.map(spectrum);
  const inputs = Array.from({ length: d + 1 }, () => new Float64Array(2 * total));
  const outputs = Array.from({ length: d + 1 }, () => new Float64Array(2 * total));
  const load = (buf: Float64Array, u: ArrayLike<number>, axis: number) => {
    buf.fill(0);
    for (let i0 = 0; i0 < n0; i0++) {
      for (let i1 = 0; i1 < n1; i1++) {
        const src = i0 * n1 + i1;
        buf[2 * (i0 * p1 + i1)] = axis < 0 ? u[src] : u[src] * grid.points[src * d + axis];
      }
    }
    fft.transform(buf, -1, columns, false);
  };
  /** out += s · x̂ ŷ (complex, pointwise). */
  const mulAdd = (out: Float64Array, x: Float64Array, y: Float64Array, s: number) => {
    for (let i = 0; i < total; i++) {
      const xr = x[2 * i];
      const xi = x[2 * i + 1];
      const yr = y[2 * i];
      const yi = y[2 * i + 1];
      out[2 * i] += s * (xr * yr - xi * yi);
      out[2 * i + 1] += s * (xr * yi + xi * yr);
    }
  };
  return {
    grid,
    tables,
    apply(u, out) {
      const terms = s2 === 0 ? 0 : d;
      load(inputs[0], u, -1);
      for (let k = 0; k < terms; k++) load(inputs[k + 1], u, k);
      for (const o of outputs) o.fill(0);
      mulAdd(outputs[0], sAB, inputs[0], 1);
      for (let k = 0; k < terms; k++) {
        mulAdd(outputs[0], sD[k], inputs[k + 1], s2);
        mulAdd(outputs[k + 1], sA, inputs[k + 1], s2);
        mulAdd(outputs[k + 1], sC[k], inputs[0], -s2);
      }
      for (let k = 0; k <= terms; k++) fft.transform(outputs[k], 1, columns, false);
      for (let i0 = 0; i0 < n0; i0++) {
        for (let i1 = 0; i1 < n1; i1++) {
          const i = i0 * n1 + i1;
          const at = 2 * (i0 * p1 + i1);
          let v = outputs[0][at];
          for (let k = 0; k < terms; k++) v += grid.points[i * d + k] * outputs[k + 1][at];
          out[i] = v;
        }
      }
      if (out.length !== N) throw new Error(`out: expected ${N} values`);
    },
  };
}

/**
 * The explicit N×N matrix of K_L (THEORY.md §7), row-major, from the lattice functions of
 * {@link operatorKernelTables}: the reference for {@link operatorKernelOperator} and the input of the
 * eigendecomposition. 8N² bytes: for small grids.
 *
 * @example
 * const K = operatorKernelMatrix(uniformGrid({ dim: 1, halfWidth: 1, n: 2 }), gaussian(1), 1, helmholtz(0));
 * // K[0] = E[w⁴](1 + x₀²) + E[4w²] = 3·2 + 4 = 10
 */
export function operatorKernelMatrix(
  grid: Grid,
  distribution: FrequencyDistribution,
  sigmaA: number,
  operator: DifferentialOperator,
  options: OperatorKernelOptions = {},
): Float64Array {
  const t = operatorKernelTables(grid, distribution, sigmaA, operator, options);
  const d = grid.dim;
  const N = grid.size;
  const n1 = d === 2 ? grid.n[1] : 1;
  const s1 = d === 2 ? 2 * n1 - 1 : 1;
  const s2 = sigmaA * sigmaA;
  const out = new Float64Array(N * N);
  for (let i = 0; i < N; i++) {
    const i0 = Math.floor(i / n1);
    const i1 = i % n1;
    for (let j = 0; j < N; j++) {
      const j0 = Math.floor(j / n1);
      const j1 = j % n1;
      const at = (i0 - j0 + grid.n[0] - 1) * s1 + (d === 2 ? i1 - j1 + n1 - 1 : 0);
      let xy = 0;
      let cross = 0;
      for (let k = 0; k < d; k++) {
        const xk = grid.points[i * d + k];
        const yk = grid.points[j * d + k];
        xy += xk * yk;
        cross += yk * t.dd[k][at] - xk * t.c[k][at];
      }
      out[i * N + j] = t.aPlusB[at] + s2 * (xy * t.a[at] + cross);
    }
  }
  return out;
}

/** Tensor Gauss–Legendre rule over w (the weights without ρ_w). */
interface QuadratureRule {
  /** Per-axis nodes and weights; in 2D the nodes are the pairs, axis 0 slowest. */
  readonly axes: readonly { nodes: Float64Array; weights: Float64Array }[];
  readonly perAxis: readonly number[];
}

/** The box [−W, W]^d that holds ρ_w |w|^{2·order + 2} to `tolerance`, and ρ_w's jumps and peaks per axis. */
interface QuadratureBox {
  readonly W: readonly number[];
  readonly breaks: readonly { readonly points: readonly number[]; readonly jumps: number }[];
}

function quadratureBox(
  grid: Grid,
  distribution: FrequencyDistribution,
  operator: DifferentialOperator,
  tolerance: number,
): QuadratureBox {
  const d = grid.dim;
  const power = 2 * operator.order + 2;
  // A scale for the cut: the largest |w_a| of a few thousand samples, and the mean of the envelope.
  const rng = createRng(0x5eed);
  const samples = distribution.sample(4096, rng);
  const reach = new Array(d).fill(0);
  let mean = 0;
  for (let s = 0; s < 4096; s++) {
    let r = 0;
    for (let a = 0; a < d; a++) {
      const v = samples[s * d + a];
      reach[a] = Math.max(reach[a], Math.abs(v));
      r += v * v;
    }
    mean += (1 + Math.sqrt(r)) ** power / 4096;
  }
  const breaks = Array.from({ length: d }, (_, a) =>
    [...(distribution.jumps[a] ?? []), ...(distribution.peaks[a] ?? [])].filter(Number.isFinite),
  );
  for (let a = 0; a < d; a++) for (const b of breaks[a]) reach[a] = Math.max(reach[a], Math.abs(b));
  // Grow the box [−W, W]^d until the envelope ρ |w|^power on its boundary is negligible.
  const W = reach.map((r) => Math.max(r, 1e-3));
  const envelopeOnBoundary = (): number => {
    let worst = 0;
    const probe = new Float64Array(d);
    for (let a = 0; a < d; a++) {
      for (const sign of [-1, 1]) {
        const steps = d === 2 ? 64 : 1;
        for (let t = 0; t < steps; t++) {
          probe[a] = sign * W[a];
          if (d === 2) {
            const b = 1 - a;
            probe[b] = -W[b] + ((t + 0.5) * 2 * W[b]) / steps;
          }
          let r = 0;
          for (let c = 0; c < d; c++) r += probe[c] * probe[c];
          const volume = W.reduce((v, x) => v * 2 * x, 1);
          worst = Math.max(worst, distribution.density(probe) * (1 + Math.sqrt(r)) ** power * volume);
        }
      }
    }
    return worst;
  };
  let grown = 0;
  while (envelopeOnBoundary() > tolerance * mean) {
    for (let a = 0; a < d; a++) W[a] *= 1.25;
    if (++grown > 30)
      throw new Error(
        `operator: ρ_w = ${distribution.name} has too heavy tails for ${operator.name}: E_w[|p(w)|²] (order ${2 * operator.order} moments) is infinite or beyond quadrature`,
      );
  }
  return {
    W,
    breaks: breaks.map((points, a) => ({ points, jumps: (distribution.jumps[a] ?? []).length })),
  };
}

/** Uniform nodes jΔ_a, |jΔ_a| ≤ W_a + Δ_a, with weights Δ_a (the trapezoid rule; ρ_w ≈ 0 at the ends). */
function trapezoidRule(W: readonly number[], spacing: readonly number[]): QuadratureRule {
  const axes = W.map((w, a) => {
    const h = spacing[a];
    const J = Math.ceil(w / h) + 1;
    const nodes = Float64Array.from({ length: 2 * J + 1 }, (_, j) => (j - J) * h);
    return { nodes, weights: new Float64Array(2 * J + 1).fill(h) };
  });
  return { axes, perAxis: axes.map((x) => x.nodes.length) };
}

/** Gauss–Legendre panels of `order` nodes on [−W_a, W_a], split at the breaks, phase ≤ panelPhase at z_max. */
function gaussLegendreRule(
  box: QuadratureBox,
  zmax: readonly number[],
  order: number,
  panelPhase: number,
): QuadratureRule {
  const { W } = box;
  const gl = gaussLegendre(order);
  const axes = W.map((_, a) => {
    const inside = box.breaks[a].points.filter((b) => b > -W[a] && b < W[a]);
    const cuts = [-W[a], ...inside, W[a]].sort((x, y) => x - y);
    const longest = Math.min(panelPhase / zmax[a], (2 * W[a]) / 32);
    const nodes: number[] = [];
    const weights: number[] = [];
    for (let s = 0; s + 1 < cuts.length; s++) {
      const lo = cuts[s];
      const hi = cuts[s + 1];
      if (!(hi > lo)) continue;
      const pieces = Math.ceil((hi - lo) / longest);
      const len = (hi - lo) / pieces;
      for (let p = 0; p < pieces; p++) {
        const mid = lo + (p + 0.5) * len;
        for (let g = 0; g < order; g++) {
          nodes.push(mid + 0.5 * len * gl.nodes[g]);
          weights.push(0.5 * len * gl.weights[g]);
        }
      }
    }
    return { nodes: Float64Array.from(nodes), weights: Float64Array.from(weights) };
  });
  const perAxis = axes.map((x) => x.nodes.length);
  return { axes, perAxis };
}

/**
 * The weighted integrands at the nodes of one row of the rule (all nodes in 1D, row = 0; the nodes
 * (w₀[row], w₁[·]) in 2D), node-major with nf entries each: ω ρ_w · (|p|², |∇p|², q_k = p ∂_k p̄).
 */
function integrands(
  rule: QuadratureRule,
  row: number,
  d: 1 | 2,
  distribution: FrequencyDistribution,
  operator: DifferentialOperator,
  re: Float64Array,
  im: Float64Array,
): void {
  const inner = rule.axes[d - 1];
  const count = inner.nodes.length;
  const points = new Float64Array(count * d);
  const weights = new Float64Array(count);
  const xi = new Float64Array(d);
  for (let q = 0; q < count; q++) {
    let w = inner.weights[q];
    if (d === 2) {
      xi[0] = rule.axes[0].nodes[row];
      xi[1] = inner.nodes[q];
      w *= rule.axes[0].weights[row];
    } else xi[0] = inner.nodes[q];
    for (let a = 0; a < d; a++) points[q * d + a] = xi[a];
    weights[q] = w * distribution.density(xi);
  }
  const pr = new Float64Array(count);
  const pi = new Float64Array(count);
  const gr = new Float64Array(count * d);
  const gi = new Float64Array(count * d);
  symbolsAt(operator, points, d, pr, pi, gr, gi);
  const nf = 2 + d;
  for (let q = 0; q < count; q++) {
    const wq = weights[q];
    const base = q * nf;
    re[base] = wq * (pr[q] * pr[q] + pi[q] * pi[q]);
    im[base] = 0;
    let grad2 = 0;
    for (let k = 0; k < d; k++) grad2 += gr[q * d + k] ** 2 + gi[q * d + k] ** 2;
    re[base + 1] = wq * grad2;
    im[base + 1] = 0;
    for (let k = 0; k < d; k++) {
      const xr = gr[q * d + k];
      const xim = gi[q * d + k];
      re[base + 2 + k] = wq * (pr[q] * xr + pi[q] * xim);
      im[base + 2 + k] = wq * (pi[q] * xr - pr[q] * xim);
    }
  }
}

/**
 * S_f(z) = Σ_q v_f(w_q) e^{i w_q·z} at every lattice offset, [offset][f], for the nf integrands
 * that `row` writes: in 2D separably, over w₁ for each w₀ node (one row at a time), then over w₀.
 */
function fourierSums(
  rule: QuadratureRule,
  grid: Grid,
  shape: readonly number[],
  nf: number,
  row: (index: number, re: Float64Array, im: Float64Array) => void,
): { re: Float64Array; im: Float64Array } {
  const d = grid.dim;
  const phases = (a: number) => {
    const nodes = rule.axes[a].nodes;
    const nz = shape[a];
    const c = new Float64Array(nodes.length * nz);
    const s = new Float64Array(nodes.length * nz);
    for (let q = 0; q < nodes.length; q++) {
      for (let e = 0; e < nz; e++) {
        const z = (e - (grid.n[a] - 1)) * grid.h[a];
        c[q * nz + e] = Math.cos(nodes[q] * z);
        s[q * nz + e] = Math.sin(nodes[q] * z);
      }
    }
    return { c, s, nz, nq: nodes.length };
  };
  /** out[(r·nz + e)·nf + f] += Σ_q in[(q)·nf + f] e^{i w_q z_e} for one input row r. */
  const transformRow = (
    inRe: Float64Array,
    inIm: Float64Array,
    r: number,
    ph: ReturnType<typeof phases>,
    outRe: Float64Array,
    outIm: Float64Array,
  ): void => {
    const { c, s, nz, nq } = ph;
    const vr = new Float64Array(4);
    const vi = new Float64Array(4);
    for (let q = 0; q < nq; q++) {
      for (let f = 0; f < 4; f++) {
        vr[f] = f < nf ? inRe[q * nf + f] : 0;
        vi[f] = f < nf ? inIm[q * nf + f] : 0;
      }
      const [r0, r1, r2, r3] = vr;
      const [i0, i1, i2, i3] = vi;
      const row = q * nz;
      for (let e = 0; e < nz; e++) {
        const cr = c[row + e];
        const ci = s[row + e];
        const dst = (r * nz + e) * nf;
        outRe[dst] += r0 * cr - i0 * ci;
        outIm[dst] += r0 * ci + i0 * cr;
        outRe[dst + 1] += r1 * cr - i1 * ci;
        outIm[dst + 1] += r1 * ci + i1 * cr;
        outRe[dst + 2] += r2 * cr - i2 * ci;
        outIm[dst + 2] += r2 * ci + i2 * cr;
        if (nf === 4) {
          outRe[dst + 3] += r3 * cr - i3 * ci;
          outIm[dst + 3] += r3 * ci + i3 * cr;
        }
      }
    }
  };
  const inner = phases(d - 1);
  const rowRe = new Float64Array(inner.nq * nf);
  const rowIm = new Float64Array(inner.nq * nf);
  if (d === 1) {
    const outRe = new Float64Array(inner.nz * nf);
    const outIm = new Float64Array(inner.nz * nf);
    row(0, rowRe, rowIm);
    transformRow(rowRe, rowIm, 0, inner, outRe, outIm);
    return { re: outRe, im: outIm };
  }
  // Stage 1 over w₁, one w₀ row at a time: first[q0][e1][f].
  const n0q = rule.perAxis[0];
  const nz1 = shape[1];
  const firstRe = new Float64Array(n0q * nz1 * nf);
  const firstIm = new Float64Array(n0q * nz1 * nf);
  for (let q0 = 0; q0 < n0q; q0++) {
    row(q0, rowRe, rowIm);
    transformRow(rowRe, rowIm, q0, inner, firstRe, firstIm);
  }
  // Stage 2 over w₀ for each e1: gather the column first[·][e1][·] as one input row.
  const outer = phases(0);
  const nz0 = shape[0];
  const colRe = new Float64Array(n0q * nf);
  const colIm = new Float64Array(n0q * nf);
  const secondRe = new Float64Array(nz1 * nz0 * nf);
  const secondIm = new Float64Array(nz1 * nz0 * nf);
  for (let e1 = 0; e1 < nz1; e1++) {
    for (let q0 = 0; q0 < n0q; q0++) {
      for (let f = 0; f < nf; f++) {
        colRe[q0 * nf + f] = firstRe[(q0 * nz1 + e1) * nf + f];
        colIm[q0 * nf + f] = firstIm[(q0 * nz1 + e1) * nf + f];
      }
    }
    transformRow(colRe, colIm, e1, outer, secondRe, secondIm);
  }
  const outRe = new Float64Array(nz0 * nz1 * nf);
  const outIm = new Float64Array(nz0 * nz1 * nf);
  for (let e1 = 0; e1 < nz1; e1++) {
    for (let e0 = 0; e0 < nz0; e0++) {
      for (let f = 0; f < nf; f++) {
        outRe[(e0 * nz1 + e1) * nf + f] = secondRe[(e1 * nz0 + e0) * nf + f];
        outIm[(e0 * nz1 + e1) * nf + f] = secondIm[(e1 * nz0 + e0) * nf + f];
      }
    }
  }
  return { re: outRe, im: outIm };
}

function mod(i: number, p: number): number {
  return ((i % p) + p) % p;
}
