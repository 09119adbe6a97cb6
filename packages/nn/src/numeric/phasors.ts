/** Steps between exact re-seeds of {@link phasors}' recurrence, unless told otherwise. */
export const PHASOR_RESEED = 64;

/**
 * Fills re[i] + i·im[i] = e^{iξ(x0 + i·h)} for i < n by the angle-addition recurrence
 * e^{iξ(x + h)} = e^{iξx}·e^{iξh}, re-seeded with exact trig every `reseed` steps so the rounding
 * stays O(reseed·ε) instead of growing along the row. The one copy outside the Float64 engine's
 * kernels (those are shipped to workers as source and keep their own, inlined). For e^{−iξx} pass −ξ
 * (cos and sin are exactly even and odd, so the values are the negated-sine ones bit for bit).
 *
 * @example
 * const re = new Float64Array(3);
 * const im = new Float64Array(3);
 * phasors(Math.PI / 2, 0, 1, 3, re, im); // re ≈ [1, 0, −1], im ≈ [0, 1, 0]
 */
export function phasors(
  xi: number,
  x0: number,
  h: number,
  n: number,
  re: Float64Array,
  im: Float64Array,
  reseed = PHASOR_RESEED,
): void {
  const cr = Math.cos(xi * h);
  const ci = Math.sin(xi * h);
  let er = 0;
  let ei = 0;
  for (let i = 0; i < n; i++) {
    if (i % reseed === 0) {
      const phase = (x0 + i * h) * xi;
      er = Math.cos(phase);
      ei = Math.sin(phase);
    } else {
      const next = er * cr - ei * ci;
      ei = er * ci + ei * cr;
      er = next;
    }
    re[i] = er;
    im[i] = ei;
  }
}
