/** Composite Simpson on [a, b] split at `breaks` (jumps, kinks), `perSegment` (even) intervals per piece. */
export function simpson1d(
  f: (x: number) => number,
  a: number,
  b: number,
  breaks: number[] = [],
  perSegment = 2000,
): number {
  const cuts = [a, ...breaks.filter((x) => x > a && x < b).sort((x, y) => x - y), b];
  let total = 0;
  for (let s = 0; s + 1 < cuts.length; s++) {
    const lo = cuts[s];
    const h = (cuts[s + 1] - lo) / perSegment;
    // One-sided end values, so a jump at a break counts on its own side only.
    let sum = f(lo + 1e-9 * h) + f(cuts[s + 1] - 1e-9 * h);
    for (let i = 1; i < perSegment; i++) sum += (i % 2 ? 4 : 2) * f(lo + i * h);
    total += (sum * h) / 3;
  }
  return total;
}

/** Tensor-product Simpson over a box, split at per-axis breaks. */
export function simpson2d(
  f: (x: number, y: number) => number,
  box: [number, number, number, number],
  breaks: [number[], number[]] = [[], []],
  perSegment = 400,
): number {
  const [x0, x1, y0, y1] = box;
  return simpson1d(
    (x) => simpson1d((y) => f(x, y), y0, y1, breaks[1], perSegment),
    x0,
    x1,
    breaks[0],
    perSegment,
  );
}

/** Largest distance between the empirical CDF of `samples` and `cdf` (two-sided KS statistic). */
export function ksStatistic(samples: Float64Array, cdf: (x: number) => number): number {
  const s = Float64Array.from(samples).sort();
  const n = s.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const F = cdf(s[i]);
    d = Math.max(d, (i + 1) / n - F, F - i / n);
  }
  return d;
}

/** Critical value of the KS statistic at level α = 0.001 for n samples (asymptotic, c(α) = 1.949). */
export function ksCritical(n: number): number {
  return 1.949 / Math.sqrt(n);
}

/** A CDF tabulated by cumulative trapezoid on a fine grid of [a, b], linearly interpolated. */
export function tabulatedCdf(density: (x: number) => number, a: number, b: number, n = 200_000) {
  const h = (b - a) / n;
  const c = new Float64Array(n + 1);
  let prev = density(a);
  for (let i = 1; i <= n; i++) {
    const cur = density(a + i * h);
    c[i] = c[i - 1] + 0.5 * h * (prev + cur);
    prev = cur;
  }
  return (x: number): number => {
    if (x <= a) return 0;
    if (x >= b) return c[n];
    const t = (x - a) / h;
    const i = Math.floor(t);
    return c[i] + (t - i) * (c[Math.min(n, i + 1)] - c[i]);
  };
}

/** Mean and standard error of f over the samples (flat, `dim` coordinates each). */
export function monteCarlo(samples: Float64Array, dim: number, f: (w: Float64Array) => number) {
  const n = samples.length / dim;
  const w = new Float64Array(dim);
  let sum = 0;
  let sum2 = 0;
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < dim; a++) w[a] = samples[i * dim + a];
    const v = f(w);
    sum += v;
    sum2 += v * v;
  }
  const mean = sum / n;
  const variance = Math.max(0, sum2 / n - mean * mean);
  return { mean, se: Math.sqrt(variance / n) };
}
