import { describe, expect, it } from 'vitest';
import {
  errorSpectrum,
  nextPowerOfTwo,
  spectrumAt,
  spectrumPoints,
  type UniformGrid,
} from '../src/spectrum/index.js';

function grid1(X: number, N: number): UniformGrid {
  return { dim: 1, n: [N], lower: [-X], h: [(2 * X) / N] };
}
function grid2(X: [number, number], N: [number, number]): UniformGrid {
  return { dim: 2, n: N, lower: [-X[0], -X[1]], h: [(2 * X[0]) / N[0], (2 * X[1]) / N[1]] };
}
function sample1(g: UniformGrid, f: (x: number) => number) {
  return Float64Array.from({ length: g.n[0] }, (_, i) => f(g.lower[0] + i * g.h[0]));
}
function sample2(g: UniformGrid, f: (x: number, y: number) => number) {
  const [n0, n1] = g.n;
  const u = new Float64Array(n0 * n1);
  for (let i0 = 0; i0 < n0; i0++)
    for (let i1 = 0; i1 < n1; i1++) u[i0 * n1 + i1] = f(g.lower[0] + i0 * g.h[0], g.lower[1] + i1 * g.h[1]);
  return u;
}
/** ∫ e^{−(x−a)²/(2σ²)} e^{−iξx} dx = √(2π) σ e^{−σ²ξ²/2} e^{−iξa}. */
function gaussHat(xi: number, sigma: number, a = 0): [number, number] {
  const m = Math.sqrt(2 * Math.PI) * sigma * Math.exp(-(sigma * sigma * xi * xi) / 2);
  return [m * Math.cos(xi * a), -m * Math.sin(xi * a)];
}

describe('errorSpectrum', () => {
  it('pads to the next power of two', () => {
    expect(nextPowerOfTwo(1)).toBe(2);
    expect(nextPowerOfTwo(512)).toBe(512);
    expect(nextPowerOfTwo(513)).toBe(1024);
    const s = errorSpectrum(grid1(8, 300), new Float64Array(300), { pad: 3 });
    expect(s.shape).toEqual([1024]);
    const f = s.frequencies[0];
    expect(f[512]).toBe(0);
    expect(f[1] - f[0]).toBeCloseTo((2 * Math.PI) / (1024 * (16 / 300)), 14);
    expect(f[0]).toBeCloseTo(-Math.PI / (16 / 300), 12);
  });

  it('matches the analytic transform of a shifted Gaussian (1D) to rounding error', () => {
    const g = grid1(8, 512);
    const sigma = 0.7;
    const a = 0.9;
    const s = errorSpectrum(
      g,
      sample1(g, (x) => Math.exp(-((x - a) ** 2) / (2 * sigma * sigma))),
      { pad: 2 },
    );
    const f = s.frequencies[0];
    let err = 0;
    for (let k = 0; k < f.length; k++) {
      const [re, im] = gaussHat(f[k], sigma, a);
      err = Math.max(err, Math.abs(s.re[k] - re), Math.abs(s.im[k] - im));
    }
    expect(err).toBeLessThan(1e-13);
  });

  it('matches the analytic transform of a windowed sine', () => {
    // u = e^{−x²/2} sin(κx):  û = −(i/2)(G(ξ−κ) − G(ξ+κ)),  G(ξ) = √(2π) e^{−ξ²/2}
    const g = grid1(8, 512);
    const kappa = 10;
    const s = errorSpectrum(
      g,
      sample1(g, (x) => Math.exp(-(x * x) / 2) * Math.sin(kappa * x)),
    );
    const f = s.frequencies[0];
    let err = 0;
    for (let k = 0; k < f.length; k++) {
      const im = -0.5 * (gaussHat(f[k] - kappa, 1)[0] - gaussHat(f[k] + kappa, 1)[0]);
      err = Math.max(err, Math.abs(s.re[k]), Math.abs(s.im[k] - im));
    }
    expect(err).toBeLessThan(1e-13);
  });

  it('matches a 2D anisotropic Gaussian on a non-square grid (axis 0 slowest)', () => {
    const g = grid2([8, 9], [60, 96]);
    const [s0, s1, a0, a1] = [0.8, 1.1, 0.5, -0.7];
    const u = sample2(g, (x, y) =>
      Math.exp(-((x - a0) ** 2) / (2 * s0 * s0) - (y - a1) ** 2 / (2 * s1 * s1)),
    );
    const s = errorSpectrum(g, u, { pad: 2 });
    expect(s.shape).toEqual([128, 256]);
    const [f0, f1] = s.frequencies;
    let err = 0;
    for (let k0 = 0; k0 < f0.length; k0++)
      for (let k1 = 0; k1 < f1.length; k1++) {
        const [ar, ai] = gaussHat(f0[k0], s0, a0);
        const [br, bi] = gaussHat(f1[k1], s1, a1);
        const idx = k0 * f1.length + k1;
        err = Math.max(
          err,
          Math.abs(s.re[idx] - (ar * br - ai * bi)),
          Math.abs(s.im[idx] - (ar * bi + ai * br)),
        );
      }
    expect(err).toBeLessThan(1e-13);
  });
});

describe('spectrumAt', () => {
  it('agrees with the FFT at the FFT frequencies (1D)', () => {
    const g = grid1(8, 512);
    const u = sample1(
      g,
      (x) => Math.exp(-(x * x) / 2) * (Math.sin(3 * x) + Math.sin(10 * x + 0.3) + Math.sin(25 * x)),
    );
    const s = errorSpectrum(g, u, { pad: 2 });
    const d = spectrumAt(g, u, s.frequencies[0]);
    for (let k = 0; k < s.re.length; k++) {
      expect(Math.abs(d.re[k] - s.re[k])).toBeLessThan(1e-12);
      expect(Math.abs(d.im[k] - s.im[k])).toBeLessThan(1e-12);
    }
  });

  it('agrees with the FFT at the FFT frequencies (2D) and with the analytic transform off the grid', () => {
    const g = grid2([8, 8.5], [64, 72]);
    const u = sample2(g, (x, y) => Math.exp(-(x * x + y * y) / 2) * Math.cos(3 * x - 2 * y));
    const s = errorSpectrum(g, u);
    const d = spectrumAt(g, u, spectrumPoints(s));
    let err = 0;
    for (let k = 0; k < s.re.length; k++)
      err = Math.max(err, Math.abs(d.re[k] - s.re[k]), Math.abs(d.im[k] - s.im[k]));
    expect(err).toBeLessThan(1e-12);

    const gauss = sample2(g, (x, y) => Math.exp(-((x - 0.3) ** 2 + (y + 0.2) ** 2) / 2));
    const xi = [0.37, -1.91, 2.5, 0.1, -3.3, 2.2];
    const at = spectrumAt(g, gauss, xi);
    for (let q = 0; q < 3; q++) {
      const [ar, ai] = gaussHat(xi[2 * q], 1, 0.3);
      const [br, bi] = gaussHat(xi[2 * q + 1], 1, -0.2);
      expect(at.re[q]).toBeCloseTo(ar * br - ai * bi, 12);
      expect(at.im[q]).toBeCloseTo(ar * bi + ai * br, 12);
    }
  });

  it('keeps the recurrence accurate over long grids', () => {
    const g = grid1(40, 8192);
    const u = sample1(g, (x) => Math.exp(-(x * x) / 8));
    const at = spectrumAt(g, u, [0.123, 7.77, -31.4]);
    for (const [q, xi] of [0.123, 7.77, -31.4].entries()) {
      const [re, im] = gaussHat(xi, 2);
      expect(Math.abs(at.re[q] - re)).toBeLessThan(1e-12);
      expect(Math.abs(at.im[q] - im)).toBeLessThan(1e-12);
    }
  });
});
