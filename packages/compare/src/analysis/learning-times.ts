import type { ComplexLike } from '../spectrum/types.js';

/**
 * Per-frequency learning times (THEORY.md §5.7): the first time |û(ξ,t)| falls below |û(ξ,t_0)|/e,
 * interpolated linearly in log|û| between the two snapshots that bracket the crossing (exact for
 * exponential decay). `null` where it is not reached within the snapshots, or |û(ξ,t_0)| = 0.
 * `band` optionally restricts to storage indices (e.g. a `BandSelection`); default: every value.
 *
 * @example
 * // |û| = e^{−t/τ} with τ = 2 at one frequency:
 * learningTimes([0, 1, 3], [0, 1, 3].map((t) => ({ re: [Math.exp(-t / 2)], im: [0] }))); // [2]
 */
export function learningTimes(
  times: readonly number[],
  spectra: readonly ComplexLike[],
  band?: { readonly indices: ArrayLike<number> },
): (number | null)[] {
  if (spectra.length !== times.length)
    throw new RangeError('learningTimes: times and spectra differ in length');
  if (spectra.length === 0) return [];
  const count = band ? band.indices.length : spectra[0].re.length;
  const abs = (j: number, q: number) => {
    const k = band ? band.indices[q] : q;
    return Math.hypot(spectra[j].re[k], spectra[j].im[k]);
  };
  const out: (number | null)[] = new Array(count).fill(null);
  for (let q = 0; q < count; q++) {
    const a0 = abs(0, q);
    if (!(a0 > 0)) continue;
    const logThreshold = Math.log(a0) - 1;
    let prev = a0;
    for (let j = 1; j < times.length; j++) {
      const aj = abs(j, q);
      if (Math.log(aj) < logThreshold) {
        const lp = Math.log(prev);
        const fraction = aj > 0 ? (lp - logThreshold) / (lp - Math.log(aj)) : 0;
        out[q] = times[j - 1] + fraction * (times[j] - times[j - 1]);
        break;
      }
      prev = aj;
    }
  }
  return out;
}
