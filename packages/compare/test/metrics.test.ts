import { describe, expect, it } from 'vitest';
import { discrepancy, ensembleMean, learningTimes, relL2 } from '../src/analysis/index.js';

describe('relL2', () => {
  it('is the relative norm of the complex difference, with weights', () => {
    expect(relL2({ re: [1, 0], im: [0, 1] }, { re: [1, 0], im: [0, 2] })).toBeCloseTo(1 / Math.sqrt(5), 15);
    // weight 4 on the second point: √(4·1 / (1 + 4·4))
    expect(relL2({ re: [1, 0], im: [0, 1] }, { re: [1, 0], im: [0, 2] }, [1, 4])).toBeCloseTo(
      Math.sqrt(4 / 17),
      15,
    );
    expect(relL2({ re: [0], im: [0] }, { re: [0], im: [0] })).toBe(0);
    expect(relL2({ re: [1], im: [0] }, { re: [0], im: [0] })).toBe(Number.POSITIVE_INFINITY);
  });

  it('discrepancy reports every snapshot and the max', () => {
    const b = { re: [1, 1], im: [0, 0] };
    const d = discrepancy(
      [0, 1, 2],
      [b, { re: [1.1, 1], im: [0, 0] }, { re: [1, 1], im: [0.2, 0] }],
      [b, b, b],
    );
    expect(d.perSnapshot.map((s) => s.time)).toEqual([0, 1, 2]);
    expect(d.perSnapshot[1].relL2).toBeCloseTo(0.1 / Math.SQRT2, 14);
    expect(d.max).toBeCloseTo(0.2 / Math.SQRT2, 14);
  });
});

describe('learningTimes', () => {
  it('recovers the time constants of synthetic exponentials exactly, with null when not reached', () => {
    const taus = [0.3, 2, 7.5, 40];
    const phases = [0, 1, -2, 0.5];
    const times = [0, 0.5, 1, 2, 3.5, 5, 8, 12, 20];
    const spectra = times.map((t) => ({
      re: Float64Array.from(taus, (tau, k) => 3 * Math.exp(-t / tau) * Math.cos(phases[k] + t)),
      im: Float64Array.from(taus, (tau, k) => 3 * Math.exp(-t / tau) * Math.sin(phases[k] + t)),
    }));
    const lt = learningTimes(times, spectra);
    expect(lt[0]).toBeCloseTo(0.3, 12);
    expect(lt[1]).toBeCloseTo(2, 12);
    expect(lt[2]).toBeCloseTo(7.5, 12);
    expect(lt[3]).toBeNull();
    // restricted to a band
    expect(learningTimes(times, spectra, { indices: [2, 0] }).map((t) => t?.toFixed(6))).toEqual([
      '7.500000',
      '0.300000',
    ]);
  });

  it('takes the first crossing and handles a zero initial value', () => {
    const times = [0, 1, 2, 3];
    const values = [1, 0.2, 1, 0]; // crosses 1/e between t = 0 and 1, recovers, then vanishes
    const spectra = times.map((_, j) => ({ re: [values[j], 0], im: [0, 0] }));
    const lt = learningTimes(times, spectra);
    expect(lt[0]).toBeCloseTo(1 / Math.log(5), 12); // log-linear: e^{−t ln 5} = 1/e
    expect(lt[1]).toBeNull();
  });
});

describe('ensembleMean', () => {
  it('averages seeds snapshot by snapshot', () => {
    const m = ensembleMean([
      [
        { re: [1], im: [0] },
        { re: [2], im: [2] },
      ],
      [
        { re: [3], im: [2] },
        { re: [0], im: [0] },
      ],
    ]);
    expect(Array.from(m[0].re)).toEqual([2]);
    expect(Array.from(m[0].im)).toEqual([1]);
    expect(Array.from(m[1].re)).toEqual([1]);
  });
});
