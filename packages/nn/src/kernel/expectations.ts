import type { FrequencyDistribution } from '../distributions/types.js';
import type { Grid } from '../grid.js';
import { gaussLegendre } from '../nufft/gauss-legendre.js';
import type { DifferentialOperator } from '../operators/operator.js';
import { symbolsAt } from '../operators/operator.js';
import { createRng } from '../random.js';

/*
 * Expectations over ρ_w of polynomial-in-p integrands times e^{iw·z}, at every offset z of a
 * uniform grid's lattice: the lattice functions of the operator kernels (THEORY.md §7). A tensor
 * quadrature over w (the trapezoid rule for smooth densities, Gauss–Legendre panels split at jumps
 * and peaks otherwise) on the box where ρ_w |w|^{2·order + 2} is not negligible, then separable
 * Fourier sums: O(nodes · offsets) in 1D, O(nodes₀ · nodes₁ · offsets₁ + …) in 2D.
 */

/** Options of the quadrature over w behind the operator kernels ({@link latticeExpectations}). */
export interface OperatorKernelOptions {
  /**
   * 'auto' (default): the trapezoid rule on a uniform w-grid when ρ_w has no jumps and a spacing 3/4
   * as large agrees to `ruleTolerance` (smooth densities: Gaussians and their mixtures), else
   * Gauss–Legendre panels split at the jumps and peaks.
   */
  readonly rule?: 'auto' | 'trapezoid' | 'gauss-legendre';
  /** Agreement the trapezoid rule must reach, relative to the largest expectation (default 1e-11). */
  readonly ruleTolerance?: number;
  /** Gauss–Legendre nodes per panel (default 16). */
  readonly order?: number;
  /** Largest panel length times the largest |z| on the grid (default 10: about 1.6 oscillations per panel). */
  readonly panelPhase?: number;
  /** Tail: ρ_w |w|^{2·order + 2} at the cut relative to its mean over ρ_w (default 1e-14). */
  readonly tailTolerance?: number;
}

/** E[v_f(w) e^{iw·z}] at every lattice offset ([offset][f], re and im), and how they were computed. */
export interface LatticeExpectations {
  readonly re: Float64Array;
  readonly im: Float64Array;
  /** Quadrature nodes per axis. */
  readonly nodes: readonly number[];
  readonly rule: 'trapezoid' | 'gauss-legendre';
}

/**
 * The nf expectations E_w[v_f(p(w), ∇p(w)) e^{iw·z}] at every offset z = (δ₀h₀, δ₁h₁), |δ_a| < n_a,
 * offset index (δ₀ + n₀ − 1)·(2n₁ − 1) + (δ₁ + n₁ − 1). 2 ≤ nf ≤ 4.
 *
 * @example
 * const e = latticeExpectations(grid, gaussian(6), helmholtz(2), {}, 2, (pr, pi, gr, gi, re, im, at) => {
 *   re[at] = pr * pr + pi * pi; im[at] = 0; re[at + 1] = pr; im[at + 1] = pi;
 * }); // e.re[(grid.size − 1) * 2] = E[|p|²] at z = 0 (1D)
 */
export function latticeExpectations(
  grid: Grid,
  distribution: FrequencyDistribution,
  operator: DifferentialOperator,
  options: OperatorKernelOptions,
  nf: number,
  integrand: Integrand,
): LatticeExpectations {
  if (!(Number.isInteger(nf) && nf >= 2 && nf <= 4))
    throw new Error(`nf: expected 2, 3 or 4 integrands, got ${nf}`);
  const d = grid.dim;
  const shape = Array.from({ length: d }, (_, a) => 2 * grid.n[a] - 1);
  const choice = options.rule ?? 'auto';
  if (!['auto', 'trapezoid', 'gauss-legendre'].includes(choice))
    throw new Error(`rule: expected 'auto', 'trapezoid' or 'gauss-legendre', got ${JSON.stringify(choice)}`);
  const box = quadratureBox(grid, distribution, operator, options.tailTolerance ?? 1e-14);
  const sumsOf = (rule: QuadratureRule) =>
    fourierSums(rule, grid, shape, nf, (row, re, im) =>
      integrands(rule, row, d, distribution, operator, nf, integrand, re, im),
    );
  const zmax = grid.n.map((na, a) => Math.max((na - 1) * grid.h[a], 1e-12));
  if (choice === 'trapezoid' || (choice === 'auto' && box.breaks.every((b) => b.jumps === 0))) {
    // Spectrally accurate for a smooth density decaying fast: a spacing Δ < 2π/z_max leaves the
    // aliased copies of E[v e^{iw·z}] a distance 2π/Δ − z_max away. Accepted when a spacing 3/4 as
    // large agrees (a kink or an unresolved density fails that), else refined once, else Gauss–Legendre.
    for (const start of [1.6, 0.8]) {
      const spacing = zmax.map((z, a) => Math.min((start * Math.PI) / z, box.W[a] / 16));
      const coarse = trapezoidRule(box.W, spacing);
      const fine = trapezoidRule(
        box.W,
        spacing.map((s) => 0.75 * s),
      );
      const [sc, sf] = [sumsOf(coarse), sumsOf(fine)];
      if (choice === 'trapezoid' || agree(sc, sf, options.ruleTolerance ?? 1e-11))
        return { ...sf, nodes: fine.perAxis, rule: 'trapezoid' };
    }
  }
  const rule = gaussLegendreRule(box, zmax, options.order ?? 16, options.panelPhase ?? 10);
  return { ...sumsOf(rule), nodes: rule.perAxis, rule: 'gauss-legendre' };
}

/** Whether two quadratures' sums agree to `tolerance` relative to the largest of them. */
function agree(
  x: { re: Float64Array; im: Float64Array },
  y: { re: Float64Array; im: Float64Array },
  tolerance: number,
): boolean {
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < x.re.length; i++) {
    scale = Math.max(scale, Math.abs(y.re[i]), Math.abs(y.im[i]));
    worst = Math.max(worst, Math.abs(x.re[i] - y.re[i]), Math.abs(x.im[i] - y.im[i]));
  }
  return worst <= tolerance * scale;
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

/** The nf integrands at one node from p and ∇p there (pr + i pi, gr[k] + i gi[k]), written to re/im[at …]. */
export type Integrand = (
  pr: number,
  pi: number,
  gr: Float64Array,
  gi: Float64Array,
  re: Float64Array,
  im: Float64Array,
  at: number,
) => void;

/**
 * The weighted integrands at the nodes of one row of the rule (all nodes in 1D, row = 0; the nodes
 * (w₀[row], w₁[·]) in 2D), node-major with nf entries each: ω ρ_w · integrand(p, ∇p).
 */
function integrands(
  rule: QuadratureRule,
  row: number,
  d: 1 | 2,
  distribution: FrequencyDistribution,
  operator: DifferentialOperator,
  nf: number,
  integrand: Integrand,
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
  const gq = new Float64Array(d);
  const hq = new Float64Array(d);
  for (let q = 0; q < count; q++) {
    for (let k = 0; k < d; k++) {
      gq[k] = gr[q * d + k];
      hq[k] = gi[q * d + k];
    }
    integrand(pr[q], pi[q], gq, hq, re, im, q * nf);
    for (let f = 0; f < nf; f++) {
      re[q * nf + f] *= weights[q];
      im[q * nf + f] *= weights[q];
    }
  }
}

/** Entries of a 1D phase table built at once (2^21: 32 MB of cos and sin). */
const PHASE_BLOCK = 2 ** 21;

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
  /** cos, sin of w_q z_e for the nodes q ∈ [from, to) of axis a and every offset e. */
  const phases = (a: number, from = 0, to = rule.axes[a].nodes.length) => {
    const nodes = rule.axes[a].nodes;
    const nz = shape[a];
    const nq = to - from;
    const c = new Float64Array(nq * nz);
    const s = new Float64Array(nq * nz);
    for (let q = 0; q < nq; q++) {
      for (let e = 0; e < nz; e++) {
        const z = (e - (grid.n[a] - 1)) * grid.h[a];
        c[q * nz + e] = Math.cos(nodes[from + q] * z);
        s[q * nz + e] = Math.sin(nodes[from + q] * z);
      }
    }
    return { c, s, nz, nq, from };
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
    const { c, s, nz, nq, from } = ph;
    const vr = new Float64Array(4);
    const vi = new Float64Array(4);
    for (let q = 0; q < nq; q++) {
      for (let f = 0; f < 4; f++) {
        vr[f] = f < nf ? inRe[(from + q) * nf + f] : 0;
        vi[f] = f < nf ? inIm[(from + q) * nf + f] : 0;
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
        if (nf > 2) {
          outRe[dst + 2] += r2 * cr - i2 * ci;
          outIm[dst + 2] += r2 * ci + i2 * cr;
        }
        if (nf > 3) {
          outRe[dst + 3] += r3 * cr - i3 * ci;
          outIm[dst + 3] += r3 * ci + i3 * cr;
        }
      }
    }
  };
  const innerNodes = rule.axes[d - 1].nodes.length;
  const rowRe = new Float64Array(innerNodes * nf);
  const rowIm = new Float64Array(innerNodes * nf);
  if (d === 1) {
    // one row: its phases a block of nodes at a time (the whole table is nodes × (2n − 1), 0.9 GB
    // at n = 65,536), accumulated in the same order
    const nz = shape[0];
    const outRe = new Float64Array(nz * nf);
    const outIm = new Float64Array(nz * nf);
    row(0, rowRe, rowIm);
    const block = Math.max(1, Math.floor(PHASE_BLOCK / nz));
    for (let from = 0; from < innerNodes; from += block)
      transformRow(rowRe, rowIm, 0, phases(0, from, Math.min(innerNodes, from + block)), outRe, outIm);
    return { re: outRe, im: outIm };
  }
  const inner = phases(d - 1);
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
