import type { Grid } from '../grid.js';
import { checkPositive } from '../numeric/checks.js';
import { checkGridDim, perItem, pointList, type Target } from './types.js';

/** Options of {@link gaussianBumps}. */
export interface GaussianBumpsOptions {
  /** Centres c_k: numbers in 1D, [x, y] pairs in 2D. */
  readonly centers: readonly (number | readonly number[])[];
  /** Widths s_k > 0 (one per bump, or one for all; default 1). */
  readonly widths?: number | readonly number[];
  /** Amplitudes A_k (default 1 each). */
  readonly amplitudes?: readonly number[];
}

/**
 * A sum of Gaussian bumps g(x) = Σ_k A_k exp(−|x − c_k|²/(2 s_k²)).
 *
 * @example
 * const g = gaussianBumps({ centers: [-1, 2], widths: 0.5, amplitudes: [1, -2] });
 * g.evaluate(uniformGrid({ dim: 1, halfWidth: 8, n: 16 }))[10]; // x = 2: −2 + e^{−18} ≈ −2
 */
export function gaussianBumps(options: GaussianBumpsOptions): Target {
  const { dim, points: centers } = pointList('centers', options.centers);
  const widths =
    typeof options.widths === 'number' || options.widths === undefined
      ? Array<number>(centers.length).fill(checkPositive('widths', options.widths ?? 1))
      : perItem('widths', options.widths, centers.length, 1).map((w, k) => checkPositive(`widths[${k}]`, w));
  const amplitudes = perItem('amplitudes', options.amplitudes, centers.length, 1);
  const target = {
    dim,
    name: `bumps(${centers.length})`,
    evaluate(grid: Grid): Float64Array {
      checkGridDim(target, grid);
      const out = new Float64Array(grid.size);
      for (let i = 0; i < grid.size; i++) {
        let sum = 0;
        for (let k = 0; k < centers.length; k++) {
          let r2 = 0;
          for (let a = 0; a < dim; a++) r2 += (grid.points[i * dim + a] - centers[k][a]) ** 2;
          sum += amplitudes[k] * Math.exp((-0.5 * r2) / (widths[k] * widths[k]));
        }
        out[i] = sum;
      }
      return out;
    },
  };
  return target;
}
