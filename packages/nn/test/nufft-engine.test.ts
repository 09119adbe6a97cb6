import { describe, expect, it } from 'vitest';
import { type Grid, uniformGrid } from '../src/grid.js';
import type { TwoLayerParameters, TwoLayerTangent } from '../src/models/two-layer/engine.js';
import { createNufftEngine } from '../src/models/two-layer/engines/nufft.js';
import { createRng } from '../src/random.js';
import { randomParameters } from './helpers/random.js';
import { relErr } from './helpers/relative.js';

/** Direct Float64 evaluation of THEORY.md §1 and its Jacobian products (the reference). */
function direct(grid: Grid, p: TwoLayerParameters) {
  const d = grid.dim;
  const m = p.width;
  const s = 1 / Math.sqrt(m);
  const phase = (i: number, j: number) => {
    let v = 0;
    for (let a = 0; a < d; a++) v += p.w[j * d + a] * grid.points[i * d + a];
    return v;
  };
  return {
    forward(): Float64Array {
      const f = new Float64Array(grid.size);
      for (let i = 0; i < grid.size; i++) {
        for (let j = 0; j < m; j++)
          f[i] += s * (p.a[j] * Math.cos(phase(i, j)) + p.b[j] * Math.sin(phase(i, j)));
      }
      return f;
    },
    vjp(r: Float64Array): TwoLayerTangent {
      const g = { w: new Float64Array(m * d), a: new Float64Array(m), b: new Float64Array(m) };
      for (let i = 0; i < grid.size; i++) {
        for (let j = 0; j < m; j++) {
          const c = Math.cos(phase(i, j));
          const sn = Math.sin(phase(i, j));
          g.a[j] += s * r[i] * c;
          g.b[j] += s * r[i] * sn;
          for (let a = 0; a < d; a++)
            g.w[j * d + a] += s * r[i] * grid.points[i * d + a] * (p.b[j] * c - p.a[j] * sn);
        }
      }
      return g;
    },
    jvp(t: TwoLayerTangent): Float64Array {
      const out = new Float64Array(grid.size);
      for (let i = 0; i < grid.size; i++) {
        for (let j = 0; j < m; j++) {
          const c = Math.cos(phase(i, j));
          const sn = Math.sin(phase(i, j));
          let xt = 0;
          for (let a = 0; a < d; a++) xt += grid.points[i * d + a] * t.w[j * d + a];
          out[i] += s * (t.a[j] * c + t.b[j] * sn + xt * (p.b[j] * c - p.a[j] * sn));
        }
      }
      return out;
    },
  };
}

function randomVector(length: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length }, () => rng.normal());
}

/** A grid whose zero mode is not at x = 0, to exercise the origin phase. */
function shiftedGrid(base: Grid, shift: number[]): Grid {
  const points = Float64Array.from(base.points, (x, k) => x + shift[k % base.dim]);
  return { ...base, lower: base.lower.map((l, a) => l + shift[a]), points };
}

// σ_w up to 60 on grids with Nyquist frequency π/h ≈ 6–25: most frequencies lie beyond Nyquist.
const cases: { name: string; grid: Grid; width: number; sigma: number }[] = [
  { name: '1D N=64, m=1', grid: uniformGrid({ dim: 1, halfWidth: 8, n: 64 }), width: 1, sigma: 10 },
  { name: '1D N=63, m=3000', grid: uniformGrid({ dim: 1, halfWidth: 8, n: 63 }), width: 3000, sigma: 30 },
  {
    name: '1D N=100 shifted, m=500',
    grid: shiftedGrid(uniformGrid({ dim: 1, halfWidth: 4, n: 100 }), [1.3]),
    width: 500,
    sigma: 60,
  },
  { name: '2D 16×16, m=1', grid: uniformGrid({ dim: 2, halfWidth: 3, n: 16 }), width: 1, sigma: 5 },
  {
    name: '2D 15×22, m=800',
    grid: uniformGrid({ dim: 2, halfWidth: [3, 4], n: [15, 22] }),
    width: 800,
    sigma: 8,
  },
  {
    name: '2D 12×9 shifted, m=300',
    grid: shiftedGrid(uniformGrid({ dim: 2, halfWidth: 2, n: [12, 9] }), [-0.7, 2.1]),
    width: 300,
    sigma: 12,
  },
  {
    // m ≥ 3/4 of the σ = 4 fine grid (32×32): the engine switches to σ = 4.
    name: '2D 8×7 shifted, m=900 (σ = 4)',
    grid: shiftedGrid(uniformGrid({ dim: 2, halfWidth: 2, n: [8, 7] }), [0.4, -1.1]),
    width: 900,
    sigma: 9,
  },
];

describe('nufft engine against a direct Float64 evaluation', () => {
  for (const { name, grid, width, sigma } of cases) {
    it(`${name}: forward, vjp (w, a, b) and jvp to 1e-10`, async () => {
      const seed = grid.size + width;
      const p = randomParameters(grid.dim, width, sigma, seed);
      const ref = direct(grid, p);
      const engine = createNufftEngine(grid, { threads: 2, minParallelWidth: 256 });
      expect(engine.name).toBe('nufft');
      expect(relErr(await engine.forward(p), ref.forward())).toBeLessThan(1e-10);
      const r = randomVector(grid.size, seed + 1);
      const g = await engine.vjp(p, r);
      const gRef = ref.vjp(r);
      expect(relErr(g.a, gRef.a)).toBeLessThan(1e-10);
      expect(relErr(g.b, gRef.b)).toBeLessThan(1e-10);
      expect(relErr(g.w, gRef.w)).toBeLessThan(1e-10);
      const t = {
        w: randomVector(width * grid.dim, seed + 2),
        a: randomVector(width, seed + 3),
        b: randomVector(width, seed + 4),
      };
      expect(relErr(await engine.jvp(p, t), ref.jvp(t))).toBeLessThan(1e-10);
      if (name.includes('σ = 4')) expect(engine.backend).toContain('fine grid 32×32');
      await engine.dispose();
    });
  }

  it('follows in-place updates of w and meets a looser tolerance', async () => {
    const grid = uniformGrid({ dim: 2, halfWidth: 4, n: [20, 18] });
    const p = randomParameters(2, 400, 6, 99);
    const engine = createNufftEngine(grid, { tolerance: 1e-6 });
    const out = new Float64Array(grid.size);
    await engine.forward(p, out);
    for (let k = 0; k < p.w.length; k++) p.w[k] += 0.37;
    const ref = direct(grid, p);
    const err = relErr(await engine.forward(p, out), ref.forward());
    expect(err).toBeLessThan(1e-6);
    expect(err).toBeGreaterThan(1e-12);
    const r = randomVector(grid.size, 5);
    expect(relErr((await engine.vjp(p, r)).w, ref.vjp(r).w)).toBeLessThan(1e-6);
  });

  it('descend is vjp followed by θ += step·Jᵀr, bit for bit, on one thread and two', async () => {
    const grids = [
      uniformGrid({ dim: 1, halfWidth: 8, n: 512 }), // centred: zero mode at x = 0
      shiftedGrid(uniformGrid({ dim: 1, halfWidth: 4, n: 100 }), [1.3]),
      uniformGrid({ dim: 2, halfWidth: 3, n: 16 }),
      shiftedGrid(uniformGrid({ dim: 2, halfWidth: 2, n: [12, 9] }), [-0.7, 2.1]),
    ];
    for (const grid of grids) {
      for (const threads of [1, 2]) {
        const engine = createNufftEngine(grid, { threads, minParallelWidth: 256 });
        for (const trainW of [true, false]) {
          const p = randomParameters(grid.dim, 1000, 20, grid.size);
          const r = randomVector(grid.size, 3);
          const step = -0.37;
          const g = await engine.vjp(p, r);
          const expected = {
            w: trainW ? p.w.map((x, k) => x + step * g.w[k]) : p.w.slice(),
            a: p.a.map((x, j) => x + step * g.a[j]),
            b: p.b.map((x, j) => x + step * g.b[j]),
          };
          // the engine's own arrays (shared memory with two threads: the update splits)
          const own = (x: Float64Array) => {
            const y = engine.float64!(x.length);
            y.set(x);
            return y;
          };
          const q = { ...p, w: own(p.w), a: own(p.a), b: own(p.b) };
          expect(q.a.buffer instanceof SharedArrayBuffer).toBe(threads > 1);
          await engine.descend!(q, r, step, trainW);
          await engine.descend!(p, r, step, trainW);
          for (const x of [q, p]) {
            expect(x.w).toEqual(expected.w);
            expect(x.a).toEqual(expected.a);
            expect(x.b).toEqual(expected.b);
          }
        }
        await engine.dispose();
      }
    }
  });

  it('rejects mismatched shapes', async () => {
    const engine = createNufftEngine(uniformGrid({ dim: 1, halfWidth: 1, n: 8 }));
    const p = randomParameters(1, 4, 1, 1);
    await expect(engine.vjp(p, new Float64Array(7))).rejects.toThrow(/r: expected length 8/);
    await expect(engine.forward({ ...p, a: new Float64Array(3) })).rejects.toThrow(/parameters/);
    await expect(engine.jvp(p, { w: p.w, a: p.a, b: new Float64Array(1) })).rejects.toThrow(/tangent/);
  });
});
