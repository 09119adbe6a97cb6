/**
 * The smallest power of two ≥ max(x, 2): the FFT lengths of fft.js (radix 4/2, powers of two ≥ 2).
 *
 * @example
 * nextPowerOfTwo(100); // 128
 * nextPowerOfTwo(1); // 2
 */
export function nextPowerOfTwo(x: number): number {
  let p = 2;
  while (p < x) p *= 2;
  return p;
}
