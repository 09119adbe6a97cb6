import { describe, expect, it } from 'vitest';
import {
  bandBox,
  interpolateSpectrum,
  matchTimes,
  pick,
  resampleTrajectory,
  selectBand,
} from '../src/analysis/index.js';
import { errorSpectrum, spectrumAt, type UniformGrid } from '../src/spectrum/index.js';

const g1: UniformGrid = { dim: 1, n: [256], lower: [-8], h: [1 / 16] };
const g2: UniformGrid = { dim: 2, n: [48, 40], lower: [-8, -7.5], h: [1 / 3, 3 / 8] };
const windowed = (x: number) => Math.exp(-(x * x) / 2) * (Math.sin(3 * x) + Math.sin(10 * x));
const u1 = Float64Array.from({ length: 256 }, (_, i) => windowed(-8 + i / 16));
const u2 = new Float64Array(48 * 40);
for (let i0 = 0; i0 < 48; i0++)
  for (let i1 = 0; i1 < 40; i1++) {
    const x = -8 + i0 / 3;
    const y = -7.5 + (i1 * 3) / 8;
    u2[i0 * 40 + i1] = Math.exp(-(x * x + y * y) / 2) * Math.cos(2 * x + y + 0.4);
  }

describe('selectBand', () => {
  it("'auto' keeps exactly the frequencies with |û(ξ,0)| ≥ 1e-3·max", () => {
    const s = errorSpectrum(g1, u1, { pad: 2 });
    const band = selectBand(s, 'auto');
    const abs = Array.from(s.re, (r, k) => Math.hypot(r, s.im[k]));
    const max = Math.max(...abs);
    const expected = abs.flatMap((a, k) => (a >= 1e-3 * max ? [k] : []));
    expect(Array.from(band.indices)).toEqual(expected);
    // two bumps at ±3 and ±10 of width ~ 2√(2 ln 10³) ≈ 7.4 around each
    expect(band.box.upper[0]).toBeGreaterThan(13);
    expect(band.box.upper[0]).toBeLessThan(14.5);
    expect(Array.from(band.points)).toEqual(expected.map((k) => s.frequencies[0][k]));
    expect(band.weights[0]).toBeCloseTo(Math.PI / 16, 14);
  });

  it('accepts Ξ, a box and a [[lo],[hi]] pair, and intersects with `within`', () => {
    const s = errorSpectrum(g2, u2);
    expect(bandBox(2, 2)).toEqual({ lower: [-2, -2], upper: [2, 2] });
    const a = selectBand(s, { lower: [-1, 0], upper: [2, 3] });
    const b = selectBand(s, [
      [-1, 0],
      [2, 3],
    ]);
    expect(Array.from(a.indices)).toEqual(Array.from(b.indices));
    for (let q = 0; q < a.indices.length; q++) {
      expect(a.points[2 * q]).toBeGreaterThanOrEqual(-1);
      expect(a.points[2 * q + 1]).toBeLessThanOrEqual(3);
    }
    const c = selectBand(s, 5, { within: { lower: [0, 0], upper: [10, 10] } });
    expect(c.box.lower).toEqual([0, 0]);
    expect(c.box.upper[0]).toBeLessThanOrEqual(5);
  });
});

describe('pick and interpolateSpectrum', () => {
  it('pick returns the FFT values at band points; interpolation reproduces them exactly on the grid', () => {
    const s = errorSpectrum(g2, u2);
    const band = selectBand(s, 'auto');
    const picked = pick(s, band.indices);
    const interp = interpolateSpectrum(s, band.points);
    for (let q = 0; q < band.indices.length; q++) {
      expect(interp.re[q]).toBeCloseTo(picked.re[q], 14);
      expect(interp.im[q]).toBeCloseTo(picked.im[q], 14);
    }
  });

  it('interpolates between FFT frequencies (padded ⇒ close to the direct sum)', () => {
    const s = errorSpectrum(g1, u1, { pad: 8 });
    const xi = [0.1234, 2.999, -9.87, 17.3];
    const exact = spectrumAt(g1, u1, xi);
    const approx = interpolateSpectrum(s, xi);
    for (let q = 0; q < xi.length; q++) {
      expect(Math.abs(approx.re[q] - exact.re[q])).toBeLessThan(2e-3);
      expect(Math.abs(approx.im[q] - exact.im[q])).toBeLessThan(2e-3);
    }
  });

  it('reaches ξ = +π/h through periodicity, in 1D and 2D', () => {
    const g: UniformGrid = { dim: 1, n: [30], lower: [-2.3], h: [0.17] }; // x_0/h not an integer
    const u = Float64Array.from({ length: 30 }, (_, i) => Math.cos(1.3 * i) + 0.2 * i);
    const s = errorSpectrum(g, u);
    const nyquist = Math.PI / 0.17;
    const at = interpolateSpectrum(s, [nyquist, -nyquist]);
    const exact = spectrumAt(g, u, [nyquist, -nyquist]);
    expect(at.re[0]).toBeCloseTo(exact.re[0], 12);
    expect(at.im[0]).toBeCloseTo(exact.im[0], 12);
    expect(at.re[1]).toBeCloseTo(exact.re[1], 12);
    const s2 = errorSpectrum(g2, u2);
    const corner = [Math.PI * 3, Math.PI / (3 / 8)];
    const at2 = interpolateSpectrum(s2, corner);
    const ex2 = spectrumAt(g2, u2, corner);
    expect(at2.re[0]).toBeCloseTo(ex2.re[0], 12);
    expect(at2.im[0]).toBeCloseTo(ex2.im[0], 12);
    expect(() => interpolateSpectrum(s, [nyquist * 1.1])).toThrow(/outside the spectrum/);
  });
});

describe('time alignment', () => {
  it('matches nearest and linear neighbours', () => {
    expect(matchTimes([0, 1.5, 2], [0, 1, 2])).toEqual([
      { time: 0, lower: 0, upper: 0, weight: 0 },
      { time: 1.5, lower: 1, upper: 2, weight: 0.5 },
      { time: 2, lower: 2, upper: 2, weight: 0 },
    ]);
    expect(matchTimes([1.4, 1.6, 9], [0, 1, 2], 'nearest').map((m) => m.lower)).toEqual([1, 2, 2]);
    expect(() => matchTimes([2.5], [0, 1, 2])).toThrow(/outside the snapshots/);
    expect(() => matchTimes([1], [0, 2, 1])).toThrow(/strictly increasing/);
  });

  it('recovers a linear-in-time synthetic trajectory exactly at other times', () => {
    // û(ξ_k, t) = (1 + k) (1 − t/10) + i k t: linear in t, so linear resampling is exact.
    const truth = (t: number) => ({
      re: Float64Array.from({ length: 5 }, (_, k) => (1 + k) * (1 - t / 10)),
      im: Float64Array.from({ length: 5 }, (_, k) => k * t),
    });
    const gdTimes = Array.from({ length: 13 }, (_, k) => 0.37 * k * 2); // η k, not the PDE's grid
    const pdeTimes = [0, 1, 2.5, 4, 8];
    const resampled = resampleTrajectory(
      gdTimes,
      gdTimes.map((t) => truth(t)),
      pdeTimes,
    );
    pdeTimes.forEach((t, j) => {
      const e = truth(t);
      for (let k = 0; k < 5; k++) {
        expect(resampled[j].re[k]).toBeCloseTo(e.re[k], 12);
        expect(resampled[j].im[k]).toBeCloseTo(e.im[k], 12);
      }
    });
  });
});
