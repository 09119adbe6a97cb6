import { discrepancy, learningTimes } from '../../src/analysis/index.js';
import type { ReportData } from '../../src/report/build.js';
import type { ComplexArray } from '../../src/spectrum/index.js';

/** A deterministic pseudo-random sequence in [−1, 1). */
function noise(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return ((s >>> 0) / 2 ** 32) * 2 - 1;
  };
}

/**
 * Synthetic report data shaped like gaussian-1d / gaussian-2d: the σ_a = 0 solution
 * û(ξ,t) = û(ξ,0) e^{−(2π)^d ρ_s(ξ) t} for a Gaussian ρ_w (σ = 10) as "PDE", the network a noisy copy.
 */
export function syntheticReport(dim: 1 | 2): ReportData {
  const sigma = 10;
  const rho = (xi: number[]) =>
    Math.exp(-xi.reduce((s, x) => s + x * x, 0) / (2 * sigma * sigma)) /
    (Math.sqrt(2 * Math.PI) * sigma) ** dim;
  const n = dim === 1 ? 241 : 61;
  const axis = Float64Array.from({ length: n }, (_, j) => -30 + (60 * j) / (n - 1));
  const axes = dim === 1 ? [axis] : [axis, axis];
  const kappas =
    dim === 1
      ? [[3], [10], [25]]
      : [
          [3, 0],
          [0, 12],
        ];
  const points: number[][] = [];
  if (dim === 1) for (const x of axis) points.push([x]);
  else for (const x of axis) for (const y of axis) points.push([x, y]);
  const u0 = points.map((xi) =>
    kappas.reduce((s, k) => {
      const g = (sign: number) => Math.exp(-xi.reduce((q, x, a) => q + (x - sign * k[a]) ** 2, 0) / 2);
      return s + 0.5 * (g(1) - g(-1));
    }, 0),
  );
  const times = Array.from({ length: 31 }, (_, j) => 2 * j);
  const rate = points.map((xi) => (2 * Math.PI) ** dim * rho(xi));
  const pde: ComplexArray[] = times.map((t) => ({
    re: new Float64Array(points.length),
    im: Float64Array.from(u0, (u, q) => -u * Math.exp(-rate[q] * t)),
  }));
  const rand = noise(7);
  const perturb = (level: number) =>
    pde.map((s, j) => ({
      re: Float64Array.from(s.re, () => (j === 0 ? 0 : level * 1e-3 * rand())),
      im: Float64Array.from(s.im, (v) => (j === 0 ? v : v * (1 + level * rand()))),
    }));
  const nn = perturb(0.1);
  const kernel = perturb(0.002);
  const frequencies = points;
  return {
    title: `synthetic-${dim}d`,
    description: 'Synthetic data for the report tests.',
    config: { name: `synthetic-${dim}d`, grid: { dim } },
    report: {
      metrics: {
        nnVsPde: discrepancy(times, nn, pde),
        nnVsKernel: discrepancy(times, nn, kernel),
        kernelVsPde: discrepancy(times, kernel, pde),
        learningTimes: {
          frequencies,
          nn: learningTimes(times, nn),
          pde: learningTimes(times, pde),
          kernel: learningTimes(times, kernel),
        },
      },
      timings: { trainingSeconds: 1, pdeSeconds: 0.5, totalSeconds: 2 },
    },
    spectra: { dim, axes, times, nn, pde, kernel },
    reference: { frequencies, values: rate.map((r) => 1 / r) },
    highlights: kappas,
  };
}
