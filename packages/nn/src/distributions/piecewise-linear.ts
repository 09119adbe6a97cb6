/**
 * A nonnegative piecewise-linear density on nodes x_0 < … < x_m with values f_i, normalised by its
 * exact integral Σ_i h_i (f_i + f_{i+1})/2, and 0 outside [x_0, x_m]. Everything here is exact for
 * that interpolant: density, CDF, inverse CDF (a quadratic per cell) and the characteristic function
 * (a closed form per cell). It is one axis of a {@link tabulated} density.
 */
export interface PiecewiseLinear {
  readonly nodes: Float64Array;
  /** Values normalised so the interpolant integrates to 1. */
  readonly values: Float64Array;
  /** C_i = ∫_{x_0}^{x_i} ρ, C_0 = 0, C_m = 1. */
  readonly cumulative: Float64Array;
  density(x: number): number;
  cdf(x: number): number;
  /** F⁻¹(u) for u in [0, 1]: the smallest x with F(x) = u (solving the cell's quadratic). */
  quantile(u: number): number;
  /** ∫ ρ(ξ) e^{iξz} dξ as [re, im]. */
  characteristic(z: number): [number, number];
  /** The node of the largest value. */
  readonly argmax: number;
}

/**
 * The density of the checked, nonnegative `values` on increasing `nodes` (the caller checks them).
 *
 * @example
 * const hat = piecewiseLinear(Float64Array.of(-1, 0, 1), Float64Array.of(0, 1, 0));
 * hat.cdf(0); // 0.5
 * hat.quantile(0.125); // −0.5
 */
export function piecewiseLinear(nodes: Float64Array, raw: Float64Array): PiecewiseLinear {
  const m = nodes.length - 1;
  let total = 0;
  for (let i = 0; i < m; i++) total += 0.5 * (nodes[i + 1] - nodes[i]) * (raw[i] + raw[i + 1]);
  const values = raw.map((v) => v / total);
  const cumulative = new Float64Array(m + 1);
  for (let i = 0; i < m; i++)
    cumulative[i + 1] = cumulative[i] + 0.5 * (nodes[i + 1] - nodes[i]) * (values[i] + values[i + 1]);
  cumulative[m] = 1;
  let argmax = 0;
  for (let i = 1; i <= m; i++) if (values[i] > values[argmax]) argmax = i;
  const lo = nodes[0];
  const hi = nodes[m];
  /** The cell i with x_i ≤ x < x_{i+1} (x inside [x_0, x_m)). */
  const cellOf = (x: number): number => {
    let a = 0;
    let b = m;
    while (b - a > 1) {
      const mid = (a + b) >> 1;
      if (nodes[mid] <= x) a = mid;
      else b = mid;
    }
    return a;
  };
  return {
    nodes,
    values,
    cumulative,
    argmax: nodes[argmax],
    density(x) {
      if (!(x >= lo && x <= hi)) return 0;
      if (x === hi) return values[m];
      const i = cellOf(x);
      const t = (x - nodes[i]) / (nodes[i + 1] - nodes[i]);
      return (1 - t) * values[i] + t * values[i + 1];
    },
    cdf(x) {
      if (Number.isNaN(x)) return Number.NaN;
      if (x <= lo) return 0;
      if (x >= hi) return 1;
      const i = cellOf(x);
      const h = nodes[i + 1] - nodes[i];
      const t = x - nodes[i];
      return Math.min(1, cumulative[i] + values[i] * t + (0.5 * (values[i + 1] - values[i]) * t * t) / h);
    },
    quantile(u) {
      if (!(u >= 0 && u <= 1)) return Number.NaN;
      // the first cell with C_{i+1} > u (skips zero-mass cells, so F⁻¹ stays inside the support)
      let a = 0;
      let b = m; // invariant: C_a ≤ u < C_b, or b = m
      while (b - a > 1) {
        const mid = (a + b) >> 1;
        if (cumulative[mid] <= u) a = mid;
        else b = mid;
      }
      const h = nodes[a + 1] - nodes[a];
      // within the cell ρ(t) = f0 + s t, so ∫₀ᵗ ρ = f0 t + s t²/2 = r; the stable root 2r/(f0 + √(f0² + 2 s r))
      const r = Math.max(0, u - cumulative[a]);
      const f0 = values[a];
      const slope = (values[a + 1] - f0) / h;
      const denom = f0 + Math.sqrt(Math.max(0, f0 * f0 + 2 * slope * r));
      const t = denom > 0 ? (2 * r) / denom : 0;
      return nodes[a] + Math.min(h, Math.max(0, t));
    },
    characteristic(z) {
      let re = 0;
      let im = 0;
      for (let i = 0; i < m; i++) {
        const h = nodes[i + 1] - nodes[i];
        const [gr, gi, hr, hi2] = cellWeights(h * z);
        // h e^{i z x_i} (f_i G + f_{i+1} H)
        const wr = h * (values[i] * gr + values[i + 1] * hr);
        const wi = h * (values[i] * gi + values[i + 1] * hi2);
        const c = Math.cos(z * nodes[i]);
        const s = Math.sin(z * nodes[i]);
        re += c * wr - s * wi;
        im += c * wi + s * wr;
      }
      return [re, im];
    },
  };
}

/**
 * G(a) = ∫₀¹ (1 − s) e^{ias} ds and H(a) = ∫₀¹ s e^{ias} ds as [Re G, Im G, Re H, Im H]: the
 * weights of a cell's left and right values in its transform, by their Taylor series for |a| < 0.01.
 */
function cellWeights(a: number): [number, number, number, number] {
  const a2 = a * a;
  if (Math.abs(a) < 1e-2) {
    return [
      0.5 - a2 / 24 + (a2 * a2) / 720,
      a * (1 / 6 - a2 / 120 + (a2 * a2) / 5040),
      0.5 - a2 / 8 + (a2 * a2) / 144,
      a * (1 / 3 - a2 / 30 + (a2 * a2) / 840),
    ];
  }
  const c = Math.cos(a);
  const s = Math.sin(a);
  const gr = (1 - c) / a2;
  const gi = (a - s) / a2;
  return [gr, gi, s / a - gr, (1 - c) / a - gi];
}
