import { describe, expect, it } from 'vitest';
import { phasors } from '../src/numeric/phasors.js';

describe('phasors', () => {
  it('equals exact trig to a few hundred ulps, re-seeded; e^{−iξx} by −ξ bit for bit', () => {
    const n = 1000;
    const re = new Float64Array(n);
    const im = new Float64Array(n);
    const [xi, x0, h] = [37.3, -8, 16 / n];
    phasors(xi, x0, h, n, re, im);
    let worst = 0;
    for (let i = 0; i < n; i++) {
      const phase = (x0 + i * h) * xi;
      worst = Math.max(worst, Math.abs(re[i] - Math.cos(phase)), Math.abs(im[i] - Math.sin(phase)));
    }
    expect(worst).toBeLessThan(1e-13);
    const re2 = new Float64Array(n);
    const im2 = new Float64Array(n);
    phasors(-xi, x0, h, n, re2, im2);
    expect(re2).toEqual(re);
    expect(im2).toEqual(im.map((v) => -v));
  });
});
