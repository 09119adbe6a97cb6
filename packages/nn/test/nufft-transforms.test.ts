import { describe, expect, it } from 'vitest';
import { createNufftPlan, type NufftSign } from '../src/nufft/index.js';
import { PointLocation } from '../src/nufft/points.js';
import { functionLoop } from '../src/parallel/loop.js';
import { WorkerPool } from '../src/parallel/pool.js';
import { arrayAllocator, sharedFloat64 } from '../src/parallel/shared.js';
import { createRng } from '../src/random.js';
import { relErr } from './helpers/relative.js';

/** Direct F_k = Σ_j c_j e^{sign·i k·θ_j} over the centred modes (the definition in plan.ts). */
function directType1(n: number[], theta: Float64Array, c: Float64Array, sign: NufftSign): Float64Array {
  const d = n.length;
  const m = c.length / 2;
  const n1 = d === 2 ? n[1] : 1;
  const size = n[0] * n1;
  const out = new Float64Array(2 * size);
  for (let i = 0; i < size; i++) {
    const k0 = Math.floor(i / n1) - Math.floor(n[0] / 2);
    const k1 = d === 2 ? (i % n1) - Math.floor(n1 / 2) : 0;
    let re = 0;
    let im = 0;
    for (let j = 0; j < m; j++) {
      const ph = sign * (k0 * theta[j * d] + (d === 2 ? k1 * theta[j * d + 1] : 0));
      const cs = Math.cos(ph);
      const sn = Math.sin(ph);
      re += c[2 * j] * cs - c[2 * j + 1] * sn;
      im += c[2 * j] * sn + c[2 * j + 1] * cs;
    }
    out[2 * i] = re;
    out[2 * i + 1] = im;
  }
  return out;
}

/** Direct c_j = Σ_k F_k e^{sign·i k·θ_j}. */
function directType2(
  n: number[],
  theta: Float64Array,
  f: Float64Array,
  sign: NufftSign,
  m: number,
): Float64Array {
  const d = n.length;
  const n1 = d === 2 ? n[1] : 1;
  const size = n[0] * n1;
  const out = new Float64Array(2 * m);
  for (let j = 0; j < m; j++) {
    let re = 0;
    let im = 0;
    for (let i = 0; i < size; i++) {
      const k0 = Math.floor(i / n1) - Math.floor(n[0] / 2);
      const k1 = d === 2 ? (i % n1) - Math.floor(n1 / 2) : 0;
      const ph = sign * (k0 * theta[j * d] + (d === 2 ? k1 * theta[j * d + 1] : 0));
      const cs = Math.cos(ph);
      const sn = Math.sin(ph);
      re += f[2 * i] * cs - f[2 * i + 1] * sn;
      im += f[2 * i] * sn + f[2 * i + 1] * cs;
    }
    out[2 * j] = re;
    out[2 * j + 1] = im;
  }
  return out;
}

function randomArray(length: number, seed: number, scale = 1): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length }, () => scale * (2 * rng.uniform() - 1));
}

// Angles up to ±12 rad: far beyond Nyquist (|θ| ≤ π) so that aliasing is exercised.
const cases: { n: number[]; m: number }[] = [
  { n: [1], m: 3 },
  { n: [64], m: 1 },
  { n: [63], m: 2000 },
  { n: [100], m: 777 },
  { n: [16, 16], m: 1 },
  { n: [17, 24], m: 600 },
  { n: [9, 31], m: 333 },
];

describe('NUFFT type 1 and type 2 against direct sums', () => {
  for (const { n, m } of cases) {
    for (const sign of [1, -1] as const) {
      it(`n=${n.join('×')}, m=${m}, sign ${sign}: 1e-10 at the default tolerance`, () => {
        const seed = n.reduce((p, v) => p * 31 + v, m) + (sign > 0 ? 1 : 2);
        const theta = randomArray(m * n.length, seed, 12);
        const plan = createNufftPlan(n);
        plan.setPoints(theta);
        const c = randomArray(2 * m, seed + 1);
        expect(relErr(plan.type1(c, sign), directType1(n, theta, c, sign))).toBeLessThan(1e-10);
        const f = randomArray(2 * plan.modeCount, seed + 2);
        expect(relErr(plan.type2(f, sign), directType2(n, theta, f, sign, m))).toBeLessThan(1e-10);
      });
    }
  }

  it('upsampling σ = 2 and σ = 4 both meet the tolerance in 1D and 2D (σ = 4: narrower kernel)', () => {
    for (const n of [[77], [17, 24]]) {
      const m = 400;
      const theta = randomArray(m * n.length, 21, 12);
      const c = randomArray(2 * m, 22);
      const f = randomArray(2 * n.reduce((p, v) => p * v, 1), 23);
      const widths: number[] = [];
      for (const upsampling of [2, 4] as const) {
        for (const tolerance of [1e-12, 1e-6]) {
          const plan = createNufftPlan(n, { upsampling, tolerance });
          expect(plan.fine[0]).toBeGreaterThanOrEqual(upsampling * n[0]);
          plan.setPoints(theta);
          const bound = tolerance === 1e-12 ? 1e-10 : tolerance;
          expect(relErr(plan.type1(c, -1), directType1(n, theta, c, -1))).toBeLessThan(bound);
          expect(relErr(plan.type2(f, 1), directType2(n, theta, f, 1, m))).toBeLessThan(bound);
          if (tolerance === 1e-12) widths.push(plan.kernel.width);
        }
      }
      expect(widths[1]).toBeLessThan(widths[0]);
    }
  });

  it('meets a looser tolerance, and with a narrower kernel', () => {
    for (const n of [[200], [20, 30]]) {
      const m = 500;
      const theta = randomArray(m * n.length, 5, 9);
      const c = randomArray(2 * m, 6);
      const fine = createNufftPlan(n);
      const plan = createNufftPlan(n, { tolerance: 1e-6 });
      expect(plan.kernel.width).toBeLessThan(fine.kernel.width);
      plan.setPoints(theta);
      const err1 = relErr(plan.type1(c, -1), directType1(n, theta, c, -1));
      expect(err1).toBeLessThan(1e-6);
      expect(err1).toBeGreaterThan(1e-12);
      const f = randomArray(2 * plan.modeCount, 7);
      expect(relErr(plan.type2(f, 1), directType2(n, theta, f, 1, m))).toBeLessThan(1e-6);
    }
  });

  it('batched transforms equal single ones and the plan is reusable with new points', () => {
    const n = [12, 10];
    const plan = createNufftPlan(n);
    for (const seed of [11, 12]) {
      const m = 50 + seed;
      const theta = randomArray(2 * m, seed, 7);
      plan.setPoints(theta);
      const cs = [0, 1, 2].map((q) => randomArray(2 * m, seed * 10 + q));
      const many = plan.type1Many(cs, 1);
      cs.forEach((c, q) => {
        expect(relErr(many[q], directType1(n, theta, c, 1))).toBeLessThan(1e-10);
      });
      const fs = [0, 1].map((q) => randomArray(2 * plan.modeCount, seed * 20 + q));
      const vals = plan.type2Many(fs, -1);
      fs.forEach((f, q) => {
        expect(relErr(vals[q], directType2(n, theta, f, -1, m))).toBeLessThan(1e-10);
      });
    }
  });

  it('points sorted into bins give the unsorted results to 1e-13 (1D and 2D, batched, one and two threads)', async () => {
    const pool = new WorkerPool(1);
    for (const n of [[48], [40, 36]]) {
      const m = 5000;
      const d = n.length;
      const theta = sharedFloat64(m * d);
      theta.set(randomArray(m * d, 51, 20));
      const plans = [false, true].map((sortPoints) =>
        createNufftPlan(n, { sortPoints, pool, minParallelPoints: 1, upsampling: 4 }),
      );
      const cs = [0, 1].map((q) => {
        const c = sharedFloat64(2 * m);
        c.set(randomArray(2 * m, 60 + q));
        return c;
      });
      const fs = [0, 1, 2].map((q) => randomArray(2 * plans[0].modeCount, 70 + q));
      const results = [];
      for (const [k, plan] of plans.entries()) {
        if (k === 0) plan.setPoints(theta);
        else await plan.setPointsAsync(theta, m);
        const t1 = plan.type1Many(cs, 1);
        const t1Async = await plan.type1ManyAsync(cs, 1);
        const vals = fs.map(() => sharedFloat64(2 * m));
        await plan.type2ManyAsync(fs, -1, vals);
        results.push({ t1, t1Async, t2: plan.type2Many(fs, -1), vals });
      }
      const [plain, sorted] = results;
      for (let q = 0; q < 2; q++) {
        expect(relErr(sorted.t1[q], plain.t1[q])).toBeLessThan(1e-13);
        expect(relErr(sorted.t1Async[q], plain.t1[q])).toBeLessThan(1e-13);
      }
      for (let q = 0; q < 3; q++) {
        expect(relErr(sorted.t2[q], plain.t2[q])).toBeLessThan(1e-13);
        expect(relErr(sorted.vals[q], plain.t2[q])).toBeLessThan(1e-13);
      }
      expect(relErr(sorted.t2[0], directType2(n, theta, fs[0], -1, m))).toBeLessThan(1e-10);
      for (const plan of plans) await plan.dispose();
    }
    await pool.dispose();
  });

  it('the counting sort on two threads gives the serial order: stable by bin (1D and 2D)', async () => {
    const pool = new WorkerPool(1);
    for (const fine of [[256], [64, 128]]) {
      const d = fine.length;
      const m = 20_001; // odd: unequal slices
      const theta = sharedFloat64(m * d);
      theta.set(randomArray(m * d, 90 + d, 20));
      const geometry = { fine, width: 12, intervals: 256, degree: 4, sort: true, bin: 16 };
      const serial = new PointLocation({ ...geometry, allocator: arrayAllocator(false) });
      const split = new PointLocation({ ...geometry, allocator: arrayAllocator(true) });
      serial.set(theta, m);
      await split.setAsync(pool, theta, m, undefined, 1);
      expect(Array.from(split.order)).toEqual(Array.from(serial.order));
      for (let a = 0; a < d; a++) {
        expect(split.base[a]).toEqual(serial.base[a]);
        expect(split.cell[a]).toEqual(serial.cell[a]);
        expect(split.local[a]).toEqual(serial.local[a]);
      }
      // a permutation, bins non-decreasing (row-major), points increasing within a bin
      const nb1 = d === 2 ? ((fine[1] + 24) >> 4) + 1 : 1;
      const binOf = (p: number) =>
        d === 1 ? serial.base[0][p] >> 4 : (serial.base[0][p] >> 4) * nb1 + (serial.base[1][p] >> 4);
      expect(new Set(serial.order).size).toBe(m);
      for (let p = 1; p < m; p++) {
        const [b, prev] = [binOf(p), binOf(p - 1)];
        expect(b > prev || (b === prev && serial.order[p] > serial.order[p - 1])).toBe(true);
      }
    }
    await pool.dispose();
  });

  it('async transforms on two threads (a caller pool, or deprecated threads) equal the single-thread ones', async () => {
    const pool = new WorkerPool(1);
    const cases: [number[], boolean][] = [
      [[40], false],
      [[14, 11], false],
      [[40], true],
    ];
    for (const [n, own] of cases) {
      const m = 3000;
      const plan = createNufftPlan(
        n,
        own ? { threads: 2, minParallelPoints: 1 } : { pool, minParallelPoints: 1 },
      );
      expect(plan.threads).toBe(2);
      const theta = randomArray(m * n.length, 21, 10);
      plan.setPoints(theta);
      const cs = [0, 1].map((q) => {
        const c = sharedFloat64(2 * m);
        c.set(randomArray(2 * m, 30 + q));
        return c;
      });
      const single = plan.type1Many(cs, 1);
      const outs = [sharedFloat64(2 * plan.modeCount), sharedFloat64(2 * plan.modeCount)];
      const parallel = await plan.type1ManyAsync(cs, 1, outs);
      expect(relErr(parallel[1], single[1])).toBeLessThan(1e-14);
      expect(relErr(parallel[0], directType1(n, theta, cs[0], 1))).toBeLessThan(1e-10);
      const f = randomArray(2 * plan.modeCount, 40);
      const vals = [sharedFloat64(2 * m)];
      await plan.type2ManyAsync([f], -1, vals);
      expect(relErr(vals[0], plan.type2(f, -1))).toBeLessThan(1e-14);
      expect(relErr(vals[0], directType2(n, theta, f, -1, m))).toBeLessThan(1e-10);
      await plan.dispose();
    }
    // the caller's pool outlives the plans
    const x = sharedFloat64(4);
    await pool.run(functionLoop(fill), [{ from: 0, to: 4, args: [x, 3] }]);
    expect([...x]).toEqual([3, 3, 3, 3]);
    await pool.dispose();
  });
});

function fill(from: number, to: number, x: Float64Array, v: number): void {
  for (let j = from; j < to; j++) x[j] = v;
}
