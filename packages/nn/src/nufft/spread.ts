/**
 * Spreading (type 1) and interpolation (type 2) between non-uniform points and a padded fine grid:
 * the hot loops of the transforms. Self-contained functions (no imports, no closures, no
 * allocation) over typed arrays, so that their sources can also run in a worker.
 *
 * A padded fine grid holds K complex values per fine point, interleaved: value q of padded point p
 * is (pad[2(pK + q)], pad[2(pK + q) + 1]). In 2D, padded point (p0, p1) is p0·cols + p1. Sources
 * and outputs are K complex arrays, interleaved (re, im) per non-uniform point.
 */

/**
 * pad += Σ_j c_j φ(· − t_j) over points [from, to) in 1D.
 *
 * @example
 * // see NufftPlan.type1
 */
export function spread1d(
  from: number,
  to: number,
  sources: readonly Float64Array[],
  base: Int32Array,
  weights: Float64Array,
  width: number,
  pad: Float64Array,
): void {
  const kk = sources.length;
  if (kk === 1) {
    const c = sources[0];
    for (let j = from; j < to; j++) {
      const cr = c[2 * j];
      const ci = c[2 * j + 1];
      let l = 2 * base[j];
      const o = j * width;
      for (let k = 0; k < width; k++) {
        const f = weights[o + k];
        pad[l] += cr * f;
        pad[l + 1] += ci * f;
        l += 2;
      }
    }
    return;
  }
  for (let j = from; j < to; j++) {
    const o = j * width;
    for (let q = 0; q < kk; q++) {
      const c = sources[q];
      const cr = c[2 * j];
      const ci = c[2 * j + 1];
      let l = 2 * (base[j] * kk + q);
      for (let k = 0; k < width; k++) {
        const f = weights[o + k];
        pad[l] += cr * f;
        pad[l + 1] += ci * f;
        l += 2 * kk;
      }
    }
  }
}

/**
 * out_j = Σ_l pad_l φ(l − t_j) over points [from, to) in 1D.
 *
 * @example
 * // see NufftPlan.type2
 */
export function interp1d(
  from: number,
  to: number,
  pad: Float64Array,
  base: Int32Array,
  weights: Float64Array,
  width: number,
  outs: readonly Float64Array[],
): void {
  const kk = outs.length;
  if (kk === 1) {
    const out = outs[0];
    for (let j = from; j < to; j++) {
      let l = 2 * base[j];
      const o = j * width;
      let sr = 0;
      let si = 0;
      for (let k = 0; k < width; k++) {
        const f = weights[o + k];
        sr += pad[l] * f;
        si += pad[l + 1] * f;
        l += 2;
      }
      out[2 * j] = sr;
      out[2 * j + 1] = si;
    }
    return;
  }
  for (let j = from; j < to; j++) {
    const o = j * width;
    for (let q = 0; q < kk; q++) {
      let l = 2 * (base[j] * kk + q);
      let sr = 0;
      let si = 0;
      for (let k = 0; k < width; k++) {
        const f = weights[o + k];
        sr += pad[l] * f;
        si += pad[l + 1] * f;
        l += 2 * kk;
      }
      const out = outs[q];
      out[2 * j] = sr;
      out[2 * j + 1] = si;
    }
  }
}

/**
 * pad += Σ_j c_j φ(· − t_j) over points [from, to) in 2D (separable kernel, cols = padded row length).
 *
 * @example
 * // see NufftPlan.type1
 */
export function spread2d(
  from: number,
  to: number,
  sources: readonly Float64Array[],
  base0: Int32Array,
  weights0: Float64Array,
  base1: Int32Array,
  weights1: Float64Array,
  width: number,
  cols: number,
  pad: Float64Array,
): void {
  const kk = sources.length;
  const step = 2 * kk;
  for (let j = from; j < to; j++) {
    const o = j * width;
    const b1 = base1[j];
    for (let q = 0; q < kk; q++) {
      const c = sources[q];
      const cr = c[2 * j];
      const ci = c[2 * j + 1];
      let row = base0[j] * cols + b1;
      for (let k0 = 0; k0 < width; k0++) {
        const f0 = weights0[o + k0];
        const ar = cr * f0;
        const ai = ci * f0;
        let l = 2 * (row * kk + q);
        for (let k1 = 0; k1 < width; k1++) {
          const f = weights1[o + k1];
          pad[l] += ar * f;
          pad[l + 1] += ai * f;
          l += step;
        }
        row += cols;
      }
    }
  }
}

/**
 * out_j = Σ_l pad_l φ(l − t_j) over points [from, to) in 2D.
 *
 * @example
 * // see NufftPlan.type2
 */
export function interp2d(
  from: number,
  to: number,
  pad: Float64Array,
  base0: Int32Array,
  weights0: Float64Array,
  base1: Int32Array,
  weights1: Float64Array,
  width: number,
  cols: number,
  outs: readonly Float64Array[],
): void {
  const kk = outs.length;
  const step = 2 * kk;
  for (let j = from; j < to; j++) {
    const o = j * width;
    const b1 = base1[j];
    for (let q = 0; q < kk; q++) {
      let row = base0[j] * cols + b1;
      let sr = 0;
      let si = 0;
      for (let k0 = 0; k0 < width; k0++) {
        let l = 2 * (row * kk + q);
        let rr = 0;
        let ri = 0;
        for (let k1 = 0; k1 < width; k1++) {
          const f = weights1[o + k1];
          rr += pad[l] * f;
          ri += pad[l + 1] * f;
          l += step;
        }
        const f0 = weights0[o + k0];
        sr += rr * f0;
        si += ri * f0;
        row += cols;
      }
      const out = outs[q];
      out[2 * j] = sr;
      out[2 * j + 1] = si;
    }
  }
}
