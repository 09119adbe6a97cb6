import { afterAll, describe, expect, it } from 'vitest';
import { type Grid, uniformGrid } from '../src/grid.js';
import type { TwoLayerParameters, TwoLayerTangent } from '../src/models/two-layer/engine.js';
import { createFloat64Engine, type Float64EngineOptions } from '../src/models/two-layer/engines/float64.js';
import { RESEED } from '../src/models/two-layer/engines/float64-kernels.js';
import { createRng } from '../src/random.js';
import { randomParameters } from './helpers/random.js';
import { relMax } from './helpers/relative.js';

function randomTangent(p: TwoLayerParameters, seed: number): TwoLayerTangent {
  const rng = createRng(seed);
  const r = (n: number) => Float64Array.from({ length: n }, () => rng.normal());
  return { w: r(p.w.length), a: r(p.width), b: r(p.width) };
}

/** The direct sums with one exact trig call per (point, feature) pair: the reference. */
function direct(grid: Grid, p: TwoLayerParameters, r: Float64Array, t: TwoLayerTangent) {
  const d = grid.dim;
  const n = grid.size;
  const s = 1 / Math.sqrt(p.width);
  const f = new Float64Array(n);
  const jt = new Float64Array(n);
  const g = { w: new Float64Array(p.w.length), a: new Float64Array(p.width), b: new Float64Array(p.width) };
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p.width; j++) {
      let theta = 0;
      let xt = 0;
      for (let k = 0; k < d; k++) {
        theta += p.w[j * d + k] * grid.points[i * d + k];
        xt += t.w[j * d + k] * grid.points[i * d + k];
      }
      const c = Math.cos(theta);
      const sn = Math.sin(theta);
      const dw = p.b[j] * c - p.a[j] * sn;
      f[i] += s * (p.a[j] * c + p.b[j] * sn);
      jt[i] += s * (t.a[j] * c + t.b[j] * sn + xt * dw);
      g.a[j] += s * r[i] * c;
      g.b[j] += s * r[i] * sn;
      for (let k = 0; k < d; k++) g.w[j * d + k] += s * r[i] * grid.points[i * d + k] * dw;
    }
  }
  return { f, jt, g };
}

const cases = [
  { label: '1D, N = 300', grid: uniformGrid({ dim: 1, halfWidth: 8, n: 300 }), sigma: 10 },
  { label: '2D, 37 × 70', grid: uniformGrid({ dim: 2, halfWidth: [3, 5], n: [37, 70] }), sigma: 6 },
] as const;

describe('float64 engine', () => {
  const engines = cases.map((c) => createFloat64Engine(c.grid, { threads: 1 }));
  afterAll(() => Promise.all(engines.map((e) => e.dispose())));

  cases.forEach(({ label, grid, sigma }, k) => {
    const p = randomParameters(grid.dim, 41, sigma, 7 + k);
    const t = randomTangent(p, 8 + k);
    const rng = createRng(9 + k);
    const r = Float64Array.from({ length: grid.size }, () => rng.normal());

    it(`recurrences equal direct trig to 1e-11 (${label})`, async () => {
      const engine = engines[k];
      const ref = direct(grid, p, r, t);
      expect(relMax(await engine.forward(p), ref.f)).toBeLessThan(1e-11);
      expect(relMax(await engine.jvp(p, t), ref.jt)).toBeLessThan(1e-11);
      const g = await engine.vjp(p, r);
      expect(relMax(g.w, ref.g.w)).toBeLessThan(1e-11);
      expect(relMax(g.a, ref.g.a)).toBeLessThan(1e-11);
      expect(relMax(g.b, ref.g.b)).toBeLessThan(1e-11);
    });

    it(`jvp and vjp match central finite differences to 1e-6 (${label})`, async () => {
      const engine = engines[k];
      const eps = 1e-5;
      const shifted = (sign: number): TwoLayerParameters => ({
        ...p,
        w: p.w.map((v, i) => v + sign * eps * t.w[i]),
        a: p.a.map((v, i) => v + sign * eps * t.a[i]),
        b: p.b.map((v, i) => v + sign * eps * t.b[i]),
      });
      const fp = await engine.forward(shifted(1));
      const fm = await engine.forward(shifted(-1));
      const fd = fp.map((v, i) => (v - fm[i]) / (2 * eps));
      expect(relMax(await engine.jvp(p, t), fd)).toBeLessThan(1e-6);
      // vjp: the directional derivative of Σ r_i f(x_i) along t is ⟨Jᵀ r, t⟩.
      const g = await engine.vjp(p, r);
      let dot = 0;
      for (const key of ['w', 'a', 'b'] as const)
        for (let i = 0; i < g[key].length; i++) dot += g[key][i] * t[key][i];
      let fdDot = 0;
      for (let i = 0; i < grid.size; i++) fdDot += r[i] * fd[i];
      expect(Math.abs(dot - fdDot) / Math.abs(fdDot)).toBeLessThan(1e-6);
      // and per component, for a few single parameters
      for (const [key, index] of [
        ['w', 3],
        ['a', 5],
        ['b', 40],
      ] as const) {
        const bump = (sign: number): TwoLayerParameters => {
          const q = { ...p, [key]: p[key].slice() } as TwoLayerParameters;
          (q[key] as Float64Array)[index] += sign * eps;
          return q;
        };
        const up = await engine.forward(bump(1));
        const down = await engine.forward(bump(-1));
        let partial = 0;
        for (let i = 0; i < grid.size; i++) partial += (r[i] * (up[i] - down[i])) / (2 * eps);
        expect(Math.abs(g[key][index] - partial) / Math.abs(partial)).toBeLessThan(1e-6);
      }
    });
  });

  it('workers on and off give the same numbers', async () => {
    for (const { grid } of cases) {
      const p = randomParameters(grid.dim, 402, 8, 3);
      const t = randomTangent(p, 4);
      const r = await createFloat64Engine(grid, { threads: 1 }).forward(randomParameters(grid.dim, 6, 1, 5));
      const serial = createFloat64Engine(grid, { threads: 1 });
      const parallel = createFloat64Engine(grid, { threads: 2, minParallelWork: 0 });
      try {
        expect(relMax(await parallel.forward(p), await serial.forward(p))).toBeLessThan(1e-13);
        expect(relMax(await parallel.jvp(p, t), await serial.jvp(p, t))).toBeLessThan(1e-13);
        const gs = await serial.vjp(p, r);
        const gp = await parallel.vjp(p, r);
        expect(gp.w).toEqual(gs.w);
        expect(gp.a).toEqual(gs.a);
        expect(gp.b).toEqual(gs.b);
        // widths change between calls: the shared buffers grow; odd widths split too
        for (const width of [1001, 3]) {
          const q = randomParameters(grid.dim, width, 8, 6);
          expect(relMax(await parallel.forward(q), await serial.forward(q))).toBeLessThan(1e-13);
          expect((await parallel.vjp(q, r)).w).toEqual((await serial.vjp(q, r)).w);
        }
      } finally {
        await parallel.dispose();
      }
    }
  });

  it('refuses mismatched shapes and empty grids', async () => {
    const engine = engines[0];
    const p = randomParameters(2, 4, 1, 1);
    await expect(engine.forward(p)).rejects.toThrow(/dimension/);
    expect(() => createFloat64Engine({ ...cases[0].grid, size: 0, points: new Float64Array(0) })).toThrow(
      /grid/,
    );
    expect(() => createFloat64Engine(cases[0].grid, { threads: 0 })).toThrow(/threads/);
  });
});

describe('float64 engine: re-seeding the recurrences', () => {
  // One 1D row of 2^18 points: the recurrence alone drifts by about N·ε ≈ 1e-11 along it. The
  // frequencies (|w| ≲ 150) stay far below Nyquist (≈ 5·10^4) so that the reference itself, with
  // its rounding of w·x (about ε·|w·x|), is good to ~1e-14; near Nyquist that rounding is as large
  // as the drift and the comparison would not tell the two apart.
  const grid = uniformGrid({ dim: 1, halfWidth: 8, n: 2 ** 18 });
  const p = randomParameters(1, 16, 50, 3);
  const t = randomTangent(p, 4);
  const rng = createRng(5);
  const r = Float64Array.from({ length: grid.size }, () => rng.normal());
  const ref = direct(grid, p, r, t);
  const errors = async (options: Float64EngineOptions) => {
    const engine = createFloat64Engine(grid, options);
    try {
      const g = await engine.vjp(p, r);
      return [
        relMax(await engine.forward(p), ref.f),
        relMax(await engine.jvp(p, t), ref.jt),
        relMax(g.w, ref.g.w),
        relMax(g.a, ref.g.a),
        relMax(g.b, ref.g.b),
      ];
    } finally {
      await engine.dispose();
    }
  };

  for (const threads of [1, 2])
    it(`every ${RESEED} points keeps forward, jvp and vjp at 1e-12; never re-seeding does not (${threads} thread(s))`, async () => {
      for (const e of await errors({ threads })) expect(e).toBeLessThan(1e-12);
      // the negative control: the same engine with the recurrence run along the whole row
      for (const e of await errors({ threads, reseedEvery: Number.POSITIVE_INFINITY }))
        expect(e).toBeGreaterThan(1e-12);
    });

  it('refuses a bad reseedEvery', () => {
    expect(() => createFloat64Engine(grid, { reseedEvery: 0 })).toThrow(/^reseedEvery:/);
    expect(() => createFloat64Engine(grid, { reseedEvery: 2.5 })).toThrow(/^reseedEvery:/);
  });
});
