/**
 * Per-point kernel weights along one axis: the hot set-up loop of a plan. Self-contained (no
 * imports, no closures) so that its source can also run in a worker.
 *
 * For point j with angle θ = theta[j·stride + axis] the fine-grid position is
 * t = (θ mod 2π)·M/(2π) ∈ [0, M); its w taps are the fine points ⌈t − w/2⌉ + k, k = 0..w−1, and
 * base[j] receives the first tap's index in a grid padded by w on each side (so spreading needs no
 * wrap-around). weights[j·w + k] = φ(⌈t − w/2⌉ + k − t) from the piecewise-polynomial table.
 *
 * @example
 * // see NufftPlan.setPoints, which calls this once per axis
 */
export function axisWeights(
  from: number,
  to: number,
  theta: Float64Array,
  stride: number,
  axis: number,
  fine: number,
  width: number,
  intervals: number,
  degree: number,
  coeffs: Float64Array,
  base: Int32Array,
  weights: Float64Array,
): void {
  const scale = fine / (2 * Math.PI);
  const half = width / 2;
  const n = degree + 1;
  for (let j = from; j < to; j++) {
    let t = theta[j * stride + axis] * scale;
    t -= fine * Math.floor(t / fine);
    if (t >= fine) t -= fine;
    const lo = t - half;
    const b = Math.ceil(lo);
    const x = (b - lo) * intervals;
    let s = Math.floor(x);
    if (s >= intervals) s = intervals - 1;
    const u = 2 * (x - s) - 1;
    base[j] = b + width;
    const o = j * width;
    const c = s * n * width;
    const top = c + degree * width;
    for (let k = 0; k < width; k++) weights[o + k] = coeffs[top + k];
    for (let d = degree - 1; d >= 0; d--) {
      const cd = c + d * width;
      for (let k = 0; k < width; k++) weights[o + k] = weights[o + k] * u + coeffs[cd + k];
    }
  }
}
