/*
 * The many-parameter families of the design (issue 12): ρ_w as a smooth function of unconstrained
 * parameters θ, with the exact derivative of ρ_s at any points, so that the PDE's adjoint gradient
 * with respect to nodal ρ_s (from @freqbias/fem) pulls back to dJ/dθ.
 *
 * - mixture: ρ = Σ_k π_k N(c_k, s_k² I), π = softmax(θ_π), each centre coordinate
 *   c = lo + (hi − lo)·sig(θ_c), each width log s = log lo + (log hi − log lo)·sig(θ_s): every θ
 *   gives a member inside the family's ranges.
 * - free: per axis a table of values v_j = e^{θ_j} at |ξ| = jB/n, j = 0…n, mirrored to [−B, B],
 *   piecewise linear, 0 beyond, normalised by its exact integral (2D: the product of two tables).
 * ρ_s(ξ) = ½(ρ(ξ) + ρ(−ξ)) is what the PDE sees (a free table is symmetric already).
 */

/** A family of ρ_w parametrised by unconstrained θ, with exact derivatives of ρ_s. */
export interface DensityFamily {
  readonly kind: 'mixture' | 'free';
  readonly dim: 1 | 2;
  /** θ of the starting guess. */
  readonly start: Float64Array;
  /** ρ_s at `points` (flat, dim numbers per point). */
  density(theta: Float64Array, points: Float64Array): Float64Array;
  /** (∂ρ_s(points)/∂θ)ᵀ g: the gradient in θ of Σ_i g_i ρ_s(points_i). */
  pullback(theta: Float64Array, points: Float64Array, g: Float64Array): Float64Array;
  /** The distribution block of the member θ, usable as-is in a config. */
  distribution(theta: Float64Array): Record<string, unknown>;
  /** The member's natural parameters (weights, centres, widths; or the table's values), named. */
  parameters(theta: Float64Array): { names: string[]; values: number[] };
  /** Coordinates per axis that a PDE mesh should have as nodes (a table's nodes). */
  readonly breakpoints: number[][];
  /**
   * A roughness of the member (0 when smooth), with its gradient; the design adds it, scaled, to the
   * goal so that a free table does not zigzag where the goal does not care. Absent: none.
   */
  roughness?(theta: Float64Array): { value: number; gradient: Float64Array };
}

const sig = (x: number) => 1 / (1 + Math.exp(-x));
const logit = (p: number) => Math.log(p / (1 - p));
/** θ of a value inside (lo, hi) mapped by lo + (hi − lo)·sig(θ), kept off the ends. */
// kept 1e-3 inside the box: at its very ends the sigmoid's slope (≈ the distance) would freeze the parameter
const inverseBox = (v: number, lo: number, hi: number) =>
  logit(Math.min(1 - 1e-3, Math.max(1e-3, (v - lo) / (hi - lo))));

/** Options of {@link mixtureFamily}. */
export interface MixtureFamilyOptions {
  readonly dim: 1 | 2;
  readonly components: number;
  /** Range of each centre coordinate. */
  readonly center: readonly [number, number];
  /** Range of the widths s_k (σ of each Gaussian component). */
  readonly width: readonly [number, number];
  readonly start?: {
    readonly weights?: readonly number[];
    readonly centers?: readonly (number | readonly number[])[];
    readonly widths?: readonly number[];
  };
}

/**
 * A mixture of isotropic Gaussians with free weights, centres and widths. The default start: equal
 * weights, centres spread evenly over the centre range's part ≥ 0 in 1D (in 2D on a half circle of
 * half the range's radius when the range holds 0, else along the diagonal) so that no two are mirror
 * images, widths at the geometric middle of their range.
 *
 * @example
 * const f = mixtureFamily({ dim: 1, components: 2, center: [0, 30], width: [2, 20] });
 * f.distribution(f.start); // { kind: 'mixture', weights: [0.5, 0.5], components: [{ kind: 'gaussian', sigma: 6.32, center: 7.5 }, …] }
 */
export function mixtureFamily(options: MixtureFamilyOptions): DensityFamily {
  const { dim: d, components: K } = options;
  const [cLo, cHi] = options.center;
  const [sLo, sHi] = options.width;
  const lsLo = Math.log(sLo);
  const lsSpan = Math.log(sHi) - lsLo;
  // θ layout: K logits, K·d centre coordinates, K widths
  const offC = K;
  const offS = K + K * d;
  const unpack = (theta: Float64Array) => {
    let max = -Infinity;
    for (let k = 0; k < K; k++) max = Math.max(max, theta[k]);
    const pi = new Float64Array(K);
    let sum = 0;
    for (let k = 0; k < K; k++) sum += pi[k] = Math.exp(theta[k] - max);
    for (let k = 0; k < K; k++) pi[k] /= sum;
    const c = new Float64Array(K * d);
    const dc = new Float64Array(K * d);
    for (let i = 0; i < K * d; i++) {
      const q = sig(theta[offC + i]);
      c[i] = cLo + (cHi - cLo) * q;
      dc[i] = (cHi - cLo) * q * (1 - q);
    }
    const s = new Float64Array(K);
    const ds = new Float64Array(K);
    for (let k = 0; k < K; k++) {
      const q = sig(theta[offS + k]);
      s[k] = Math.exp(lsLo + lsSpan * q);
      ds[k] = s[k] * lsSpan * q * (1 - q);
    }
    return { pi, c, dc, s, ds };
  };
  /** G_k at +ξ and −ξ, and the squared distances. */
  const gauss = (c: Float64Array, s: Float64Array, k: number, xi: Float64Array, p: number, sign: 1 | -1) => {
    let r2 = 0;
    for (let a = 0; a < d; a++) r2 += (sign * xi[p * d + a] - c[k * d + a]) ** 2;
    const v = s[k] * s[k];
    return { g: Math.exp(-r2 / (2 * v)) / (2 * Math.PI * v) ** (d / 2), r2 };
  };
  const start = new Float64Array(K + K * d + K);
  const st = options.start ?? {};
  // default centres: no two mirror images of each other (ρ_s could not tell them apart, and their
  // gradients would keep them so): in 1D spread over the range's part ≥ 0; in 2D, when the range holds 0,
  // on a half circle, else along the diagonal
  const lo1 = cHi > 0 ? Math.max(cLo, 0) : cLo;
  const radius = 0.5 * Math.min(-cLo, cHi);
  const defaultCentre = (k: number, a: number) => {
    if (d === 2 && cLo < 0 && cHi > 0) {
      const angle = (Math.PI * (k + 0.5)) / K;
      return radius * (a === 0 ? Math.cos(angle) : Math.sin(angle));
    }
    return (d === 1 ? lo1 : cLo) + ((d === 1 ? cHi - lo1 : cHi - cLo) * (k + 0.5)) / K;
  };
  for (let k = 0; k < K; k++) {
    start[k] = Math.log(Math.max(st.weights?.[k] ?? 1, 1e-12));
    const ck = st.centers?.[k];
    for (let a = 0; a < d; a++) {
      const value = ck === undefined ? defaultCentre(k, a) : typeof ck === 'number' ? ck : ck[a];
      start[offC + k * d + a] = inverseBox(value, cLo, cHi);
    }
    start[offS + k] = inverseBox(Math.log(st.widths?.[k] ?? Math.sqrt(sLo * sHi)), lsLo, lsLo + lsSpan);
  }
  return {
    kind: 'mixture',
    dim: d,
    start,
    breakpoints: [],
    density(theta, points) {
      const { pi, c, s } = unpack(theta);
      const n = points.length / d;
      const out = new Float64Array(n);
      for (let p = 0; p < n; p++) {
        let v = 0;
        for (let k = 0; k < K; k++)
          v += 0.5 * pi[k] * (gauss(c, s, k, points, p, 1).g + gauss(c, s, k, points, p, -1).g);
        out[p] = v;
      }
      return out;
    },
    pullback(theta, points, gIn) {
      const { pi, c, dc, s, ds } = unpack(theta);
      const n = points.length / d;
      const out = new Float64Array(theta.length);
      const gk = new Float64Array(K);
      for (let p = 0; p < n; p++) {
        const w = gIn[p];
        if (w === 0) continue;
        let rho = 0;
        for (let k = 0; k < K; k++) {
          const plus = gauss(c, s, k, points, p, 1);
          const minus = gauss(c, s, k, points, p, -1);
          gk[k] = 0.5 * (plus.g + minus.g);
          rho += pi[k] * gk[k];
          const v = s[k] * s[k];
          for (let a = 0; a < d; a++) {
            const x = points[p * d + a];
            const dCentre = (0.5 * (plus.g * (x - c[k * d + a]) + minus.g * (-x - c[k * d + a]))) / v;
            out[offC + k * d + a] += w * pi[k] * dCentre * dc[k * d + a];
          }
          const dWidth =
            0.5 * (plus.g * (plus.r2 / (v * s[k]) - d / s[k]) + minus.g * (minus.r2 / (v * s[k]) - d / s[k]));
          out[offS + k] += w * pi[k] * dWidth * ds[k];
        }
        for (let k = 0; k < K; k++) out[k] += w * pi[k] * (gk[k] - rho);
      }
      return out;
    },
    distribution(theta) {
      const { pi, c, s } = unpack(theta);
      return {
        kind: 'mixture',
        weights: Array.from(pi, round),
        components: Array.from({ length: K }, (_, k) => ({
          kind: 'gaussian',
          sigma: round(s[k]),
          center: d === 1 ? round(c[k]) : [round(c[2 * k]), round(c[2 * k + 1])],
          ...(d === 2 ? { dim: 2 } : {}),
        })),
      };
    },
    parameters(theta) {
      const { pi, c, s } = unpack(theta);
      const names: string[] = [];
      const values: number[] = [];
      for (let k = 0; k < K; k++) {
        names.push(`weight[${k}]`);
        values.push(pi[k]);
        for (let a = 0; a < d; a++) {
          names.push(d === 1 ? `center[${k}]` : `center[${k}][${a}]`);
          values.push(c[k * d + a]);
        }
        names.push(`width[${k}]`);
        values.push(s[k]);
      }
      return { names, values };
    },
  };
}

/** 12 significant digits: the block stays readable and reproduces the member to rounding. */
function round(x: number): number {
  return Number(x.toPrecision(12));
}

/** Options of {@link freeFamily}. */
export interface FreeFamilyOptions {
  readonly dim: 1 | 2;
  /** B: the table covers |ξ_a| ≤ B on each axis (ρ_w is 0 beyond). */
  readonly support: number;
  /** Cells n of the table on [0, B] (n + 1 values per axis). */
  readonly cells: number;
  /**
   * The starting guess: ρ_s of a distribution along each axis (through the origin), tabulated;
   * values below 10⁻⁶ of the largest are raised to it (θ = log v must stay finite).
   */
  readonly start: (xi: Float64Array) => number;
}

/**
 * A free nonnegative density: a table of n + 1 values per axis on [0, B], mirrored, piecewise linear,
 * normalised by its exact integral; in 2D the product of two such tables. θ_j = log v_j.
 *
 * @example
 * const f = freeFamily({ dim: 1, support: 40, cells: 20, start: (xi) => Math.exp(-(xi[0] ** 2) / 200) });
 * f.distribution(f.start); // { kind: 'tabulated', support: [-40, 40], values: [41 values] }
 */
export function freeFamily(options: FreeFamilyOptions): DensityFamily {
  const { dim: d, support: B, cells: n } = options;
  const h = B / n;
  const per = n + 1;
  // the integral of one mirrored table over [−B, B]: 2·trapezoid on [0, B] (the value at 0 counted once each side)
  const trapezoid = (j: number) => (j === 0 || j === n ? h / 2 : h) * 2;
  const nodes = Array.from({ length: 2 * n + 1 }, (_, i) => (i - n) * h);
  const start = new Float64Array(per * d);
  for (let a = 0; a < d; a++) {
    const v = Array.from({ length: per }, (_, j) => {
      const xi = new Float64Array(d);
      xi[a] = j * h;
      return options.start(xi);
    });
    const max = Math.max(...v);
    if (!(max > 0) || !Number.isFinite(max))
      throw new Error(`family.start: its density is not positive anywhere on the table's axis ${a}`);
    v.forEach((x, j) => {
      // floored at 1e-3 of the maximum: a start that vanishes somewhere (a box) keeps a jump of
      // log 10³ in log ρ, which the descent can still move and the roughness measures moderately
      start[a * per + j] = Math.log(Math.max(x, 1e-3 * max));
    });
  }
  const tables = (theta: Float64Array) =>
    Array.from({ length: d }, (_, a) => {
      const v = Float64Array.from({ length: per }, (_, j) => Math.exp(theta[a * per + j]));
      let Z = 0;
      for (let j = 0; j < per; j++) Z += trapezoid(j) * v[j];
      return { v, Z };
    });
  /** The cell of |x| and its hat weights, or none beyond B. */
  const locate = (x: number): { j: number; t: number } | null => {
    const r = Math.abs(x) / h;
    if (r > n) return null;
    const j = Math.min(Math.floor(r), n - 1);
    return { j, t: r - j };
  };
  const axisValue = (v: Float64Array, Z: number, x: number) => {
    const l = locate(x);
    return l === null ? 0 : ((1 - l.t) * v[l.j] + l.t * v[l.j + 1]) / Z;
  };
  return {
    kind: 'free',
    dim: d,
    start,
    breakpoints: Array.from({ length: d }, () => nodes),
    density(theta, points) {
      const t = tables(theta);
      const count = points.length / d;
      const out = new Float64Array(count);
      for (let p = 0; p < count; p++) {
        let v = 1;
        for (let a = 0; a < d; a++) v *= axisValue(t[a].v, t[a].Z, points[p * d + a]);
        out[p] = v;
      }
      return out;
    },
    pullback(theta, points, g) {
      const t = tables(theta);
      const count = points.length / d;
      const out = new Float64Array(theta.length);
      const f = new Float64Array(d);
      for (let p = 0; p < count; p++) {
        if (g[p] === 0) continue;
        for (let a = 0; a < d; a++) f[a] = axisValue(t[a].v, t[a].Z, points[p * d + a]);
        for (let a = 0; a < d; a++) {
          // the other axes' factor
          let other = 1;
          for (let b = 0; b < d; b++) if (b !== a) other *= f[b];
          const w = g[p] * other;
          if (w === 0) continue;
          const { v, Z } = t[a];
          const l = locate(points[p * d + a]);
          // ∂(P(x)/Z)/∂v_j = φ_j(x)/Z − (P(x)/Z)·trapezoid_j/Z, then ∂v_j/∂θ_j = v_j
          if (l !== null) {
            out[a * per + l.j] += (w * (1 - l.t) * v[l.j]) / Z;
            out[a * per + l.j + 1] += (w * l.t * v[l.j + 1]) / Z;
          }
          if (f[a] !== 0)
            for (let j = 0; j < per; j++) out[a * per + j] -= (w * f[a] * trapezoid(j) * v[j]) / Z;
        }
      }
      return out;
    },
    distribution(theta) {
      const t = tables(theta);
      const axis = (a: number) => ({
        support: [-B, B],
        values: nodes.map((x) => round(t[a].v[Math.round(Math.abs(x) / h)] / t[a].Z)),
      });
      return d === 1 ? { kind: 'tabulated', ...axis(0) } : { kind: 'tabulated', axes: [axis(0), axis(1)] };
    },
    roughness(theta) {
      // mean squared second difference of log ρ along each axis (mirror-symmetric at ξ = 0: θ_{−1} = θ_1)
      const gradient = new Float64Array(theta.length);
      let value = 0;
      const count = d * per;
      for (let a = 0; a < d; a++)
        for (let j = 0; j < n; j++) {
          const o = a * per;
          const left = j === 0 ? o + 1 : o + j - 1;
          const r = theta[left] - 2 * theta[o + j] + theta[o + j + 1];
          value += (r * r) / count;
          gradient[left] += (2 * r) / count;
          gradient[o + j] -= (4 * r) / count;
          gradient[o + j + 1] += (2 * r) / count;
        }
      return { value, gradient };
    },
    parameters(theta) {
      const t = tables(theta);
      const names: string[] = [];
      const values: number[] = [];
      for (let a = 0; a < d; a++)
        for (let j = 0; j < per; j++) {
          names.push(d === 1 ? `rho(${round(j * h)})` : `rho[${a}](${round(j * h)})`);
          values.push(t[a].v[j] / t[a].Z);
        }
      return { names, values };
    },
  };
}
