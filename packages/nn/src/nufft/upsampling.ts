import { nextPowerOfTwo } from '../numeric/power-of-two.js';

/**
 * The upsampling σ of the fine grid, chosen here and only here. 1D: 4 — σ = 4 needs two kernel
 * points fewer at 1e-12 (12 instead of 14; see esKernelFor) for an FFT of twice the length, a clear
 * gain where the fine grid is tiny next to m·w. 2D: the 4× larger FFTs eat that gain unless there
 * are many points, so 4 from `points` ≥ 3/4 of the σ = 4 fine grid's size on (about 10% less work
 * at 128×128, m = 2^18), else 2 (also when the number of points is not known yet).
 *
 * @example
 * upsamplingFor([512]); // 4
 * upsamplingFor([128, 128], 2 ** 18); // 4 (the σ = 4 fine grid has 512² = 2^18 points)
 * upsamplingFor([128, 128], 2 ** 16); // 2
 */
export function upsamplingFor(n: readonly number[], points?: number): 2 | 4 {
  if (n.length === 1) return 4;
  if (points === undefined) return 2;
  const fine4 = n.reduce((p, nd) => p * nextPowerOfTwo(4 * nd), 1);
  return points >= 0.75 * fine4 ? 4 : 2;
}
