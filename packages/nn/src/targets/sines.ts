import type { Grid } from '../grid.js';
import { checkPositive } from '../numeric/checks.js';
import { checkGridDim, gaussianWindow, perItem, pointList, type Target } from './types.js';

/** Options of {@link windowedSines}. */
export interface WindowedSinesOptions {
  /** Frequency vectors κ_k: numbers in 1D, [κ₁, κ₂] pairs in 2D. */
  readonly frequencies: readonly (number | readonly number[])[];
  /** Amplitudes c_k (default 1 each). */
  readonly amplitudes?: readonly number[];
  /** Phases φ_k in radians (default 0 each). */
  readonly phases?: readonly number[];
  /** Width s of the Gaussian window (default 1). */
  readonly window?: number;
}

/**
 * The target of THEORY.md §5.2: g(x) = exp(−|x|²/(2 s²)) Σ_k c_k sin(κ_k·x + φ_k).
 *
 * @example
 * const g = windowedSines({ frequencies: [3, 10, 25] });
 * g.evaluate(uniformGrid({ dim: 1, halfWidth: 8, n: 512 })); // Float64Array(512)
 * windowedSines({ frequencies: [[3, 0]], phases: [Math.PI / 2] }).evaluate(grid2d); // e^{−|x|²/2} cos(3x₁)
 */
export function windowedSines(options: WindowedSinesOptions): Target {
  const { dim, points: kappa } = pointList('frequencies', options.frequencies);
  const c = perItem('amplitudes', options.amplitudes, kappa.length, 1);
  const phi = perItem('phases', options.phases, kappa.length, 0);
  const s = checkPositive('window', options.window ?? 1);
  const target = {
    dim,
    name: `sines(κ=[${kappa.map((k) => (dim === 1 ? k[0] : `(${k.join(', ')})`)).join(', ')}], s=${s})`,
    evaluate(grid: Grid): Float64Array {
      checkGridDim(target, grid);
      const out = new Float64Array(grid.size);
      for (let i = 0; i < grid.size; i++) {
        let sum = 0;
        for (let k = 0; k < kappa.length; k++) {
          let phase = phi[k];
          for (let a = 0; a < dim; a++) phase += kappa[k][a] * grid.points[i * dim + a];
          sum += c[k] * Math.sin(phase);
        }
        out[i] = gaussianWindow(grid, i, s) * sum;
      }
      return out;
    },
  };
  return target;
}
