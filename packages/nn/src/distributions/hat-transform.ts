import { phasors } from '../numeric/phasors.js';

/**
 * Fourier transforms T_i(z) = ∫ φ_i(ξ) e^{iξz} dξ of the hat functions φ_i of the uniform nodes
 * ξ_i = lo + i h, i = 0..m, per axis. With a = h z:
 * interior nodes T_i = e^{iξ_i z} h sinc²(a/2); the first node (half hat) T_0 = e^{iξ_0 z} h G(a),
 * the last T_m = e^{iξ_m z} h conj(G(a)), where G(a) = ∫₀¹ (1 − s) e^{ias} ds = (1 + ia − e^{ia})/a².
 * Σ_i f_i T_i(z) is then the exact transform of the piecewise-linear interpolant of f (tensor
 * products in 2D).
 */
export function hatTransforms(
  lo: readonly number[],
  h: readonly number[],
  m: number,
  z: ArrayLike<number>,
): { re: Float64Array; im: Float64Array }[] {
  return lo.map((l, axis) => {
    const re = new Float64Array(m + 1);
    const im = new Float64Array(m + 1);
    const step = h[axis];
    const zz = z[axis];
    const a = step * zz;
    const s = Math.abs(a) < 1e-4 ? 1 - (a * a) / 24 : Math.sin(a / 2) / (a / 2);
    const interior = step * s * s;
    const [gr, gi] = halfHat(a);
    phasors(zz, l, step, m + 1, re, im); // e^{iξ_i z}, then times each node's factor in place
    for (let i = 0; i <= m; i++) {
      const er = re[i];
      const ei = im[i];
      if (i === 0) {
        re[i] = step * (er * gr - ei * gi);
        im[i] = step * (er * gi + ei * gr);
      } else if (i === m) {
        re[i] = step * (er * gr + ei * gi);
        im[i] = step * (ei * gr - er * gi);
      } else {
        re[i] = interior * er;
        im[i] = interior * ei;
      }
    }
    return { re, im };
  });
}

/** G(a) = (1 + ia − e^{ia})/a² as [re, im], by its Taylor series for small a. */
function halfHat(a: number): [number, number] {
  if (Math.abs(a) < 1e-3) {
    const a2 = a * a;
    return [0.5 - a2 / 24, a / 6 - (a * a2) / 120];
  }
  const a2 = a * a;
  return [(1 - Math.cos(a)) / a2, (a - Math.sin(a)) / a2];
}
