import { advection, helmholtz, polynomialOperator, uniformGrid } from '@freqbias/nn';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/config/index.js';
import { symbolZero } from '../src/config/operator.js';
import { applyOnGrid } from '../src/pipeline/source.js';

// the `operator` and `targetIs` fields of a config (THEORY.md §7), and s = L g on the grid

const base = (extra: Record<string, unknown> = {}) => ({
  name: 'op',
  grid: { dim: 1, halfWidth: 8, n: 256 },
  target: { kind: 'sines', frequencies: [1, 4] },
  distribution: { kind: 'gaussian', sigma: 6 },
  network: { kind: 'twoLayer', width: 64, sigmaA: 1 },
  training: { time: 0.1, snapshots: 5 },
  ...extra,
});

function messageOf(json: unknown): string {
  try {
    parseConfig(json, 'bad.json');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected parseConfig to throw');
}

describe('config: operator', () => {
  it('a plain config resolves without operator keys (its runs and ids are unchanged)', () => {
    const c = parseConfig(base(), 'x.json');
    expect('operator' in c).toBe(false);
    expect('targetIs' in c).toBe(false);
  });

  it('an operator resolves with targetIs "source" by default, or as given', () => {
    const c = parseConfig(base({ operator: { kind: 'helmholtz', k: 2 } }), 'x.json');
    expect(c.operator).toEqual({ kind: 'helmholtz', k: 2 });
    expect(c.targetIs).toBe('source');
    const g = parseConfig(
      base({ operator: { kind: 'advection', c: [1], mu: 1 }, targetIs: 'solution' }),
      'x.json',
    );
    expect(g.targetIs).toBe('solution');
  });

  it('bad operator fields are one-line errors naming the field', () => {
    expect(messageOf(base({ operator: { kind: 'helmholtz', k: 'two' } }))).toMatch(/operator\.k: expected/);
    expect(messageOf(base({ operator: { kind: 'helmholtz', k: 2, q: 1 } }))).toMatch(/operator.*q/);
    expect(messageOf(base({ operator: { kind: 'laplace' } }))).toMatch(/operator.*helmholtz/);
    expect(messageOf(base({ operator: { kind: 'advection', c: [1, 0], mu: 1 } }))).toMatch(
      /operator\.c: advection with 2 value\(s\) of c is 2D but grid\.dim is 1/,
    );
    expect(messageOf(base({ targetIs: 'solution' }))).toMatch(/targetIs: "solution" needs an operator/);
    expect(messageOf(base({ operator: { kind: 'helmholtz', k: 2 }, targetIs: 'g' }))).toMatch(
      /targetIs: expected/,
    );
    expect(
      messageOf(
        base({
          operator: { kind: 'helmholtz', k: 2 },
          network: { kind: 'deep', width: 16 },
          pde: { enabled: false },
        }),
      ),
    ).toMatch(/operator: only a twoLayer network/);
  });

  it('a symbol vanishing on the PDE box is refused before any run, naming operator', () => {
    const m = messageOf(base({ operator: { kind: 'advection', c: [1] } }));
    expect(m).toMatch(/operator: \|p\(ξ\)\| = 0 at ξ = 0 on the PDE's box \[−50\.27, 50\.27\]\^1/);
    expect(m.split('\n')).toHaveLength(1);
    expect(messageOf(base({ operator: { kind: 'helmholtz', k: 0 } }))).toMatch(
      /operator: \|p\(ξ\)\| = 0 at ξ = 0/,
    );
    // off the box, or without the PDE, the zero does not matter
    expect(() =>
      parseConfig(base({ operator: { kind: 'advection', c: [1], mu: 0.5 } }), 'x.json'),
    ).not.toThrow();
    expect(() =>
      parseConfig(base({ operator: { kind: 'advection', c: [1] }, pde: { enabled: false } }), 'x.json'),
    ).not.toThrow();
  });

  it('symbolZero finds zeros away from ξ = 0 too (p = 9 − ξ², zero at ξ = ±3)', () => {
    const op = polynomialOperator([
      { coefficient: 1, alpha: [2] },
      { coefficient: 9, alpha: [0] },
    ]);
    const z = symbolZero(op, 1, 10);
    expect(z).toBeDefined();
    expect(Math.abs(Math.abs(z!.xi[0]) - 3)).toBeLessThan(1e-12);
    expect(symbolZero(helmholtz(1), 2, 10)).toBeUndefined();
    expect(symbolZero(advection([1, 1]), 2, 10)?.abs).toBe(0); // the line ξ₁ = −ξ₂
  });
});

describe('applyOnGrid: s = L g spectrally', () => {
  const gauss = (x: number) => Math.exp(-(x * x) / 2);
  for (const n of [256, 200]) {
    it(`Helmholtz k = 2 of a Gaussian is (5 − x²) e^{−x²/2} (N = ${n}${n === 200 ? ', direct DFT' : ''})`, () => {
      const grid = uniformGrid({ dim: 1, halfWidth: 10, n });
      const g = Float64Array.from(grid.points, gauss);
      const s = applyOnGrid(grid, helmholtz(2), g);
      let err = 0;
      grid.points.forEach((x, i) => {
        err = Math.max(err, Math.abs(s[i] - (5 - x * x) * gauss(x)));
      });
      expect(err).toBeLessThan(1e-10);
    });
  }

  it('advection c = 3, μ = 1 of x e^{−x²/2}: 3(1 − x²) e^{−x²/2} + x e^{−x²/2} (an odd derivative)', () => {
    const grid = uniformGrid({ dim: 1, halfWidth: 10, n: 256 });
    const g = Float64Array.from(grid.points, (x) => x * gauss(x));
    const s = applyOnGrid(grid, advection([3], 1), g);
    let err = 0;
    grid.points.forEach((x, i) => {
      err = Math.max(err, Math.abs(s[i] - (3 * (1 - x * x) + x) * gauss(x)));
    });
    expect(err).toBeLessThan(1e-10);
  });

  it('2D: −Δ + 1 of e^{−|x|²/2} on a 64 × 48 grid is (3 − |x|²) e^{−|x|²/2}; ∂₁ alone is −x₁ e^{…}', () => {
    const grid = uniformGrid({ dim: 2, halfWidth: [9, 9], n: [64, 48] });
    const m = grid.size;
    const g = Float64Array.from(
      { length: m },
      (_, i) => gauss(grid.points[2 * i]) * gauss(grid.points[2 * i + 1]),
    );
    const s = applyOnGrid(grid, helmholtz(1), g);
    const d1 = applyOnGrid(grid, advection([1, 0]), g);
    let err = 0;
    let err1 = 0;
    for (let i = 0; i < m; i++) {
      const [x, y] = [grid.points[2 * i], grid.points[2 * i + 1]];
      err = Math.max(err, Math.abs(s[i] - (3 - x * x - y * y) * g[i]));
      err1 = Math.max(err1, Math.abs(d1[i] + x * g[i]));
    }
    expect(err).toBeLessThan(1e-8);
    expect(err1).toBeLessThan(1e-8);
  });

  it('a wrong number of values is refused, naming g', () => {
    const grid = uniformGrid({ dim: 1, halfWidth: 8, n: 16 });
    expect(() => applyOnGrid(grid, helmholtz(1), new Float64Array(3))).toThrow(/^g: expected 16 values/);
  });
});
