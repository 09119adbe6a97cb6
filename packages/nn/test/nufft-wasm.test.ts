import { describe, expect, it } from 'vitest';
import { createNufftPlan } from '../src/nufft/index.js';
import { locatePoints } from '../src/nufft/points.js';
import { compileWasmLoop, wasmArgs } from '../src/nufft/wasm/compile.js';
import { WasmHeap } from '../src/nufft/wasm/heap.js';
import { locateSource } from '../src/nufft/wasm/wat.js';
import { WorkerPool } from '../src/parallel/pool.js';
import { sharedFloat64 } from '../src/parallel/shared.js';
import { createRng } from '../src/random.js';
import { relErr } from './helpers/relative.js';

function randomArray(length: number, seed: number, scale = 1): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length }, () => scale * (2 * rng.uniform() - 1));
}

/**
 * Direct sums over the centred modes k (plan.ts): type 1 F_k = Σ_j c_j e^{sign·i k·θ_j} (x = c),
 * type 2 c_j = Σ_k F_k e^{sign·i k·θ_j} (x = F).
 */
function direct(
  n: readonly number[],
  theta: Float64Array,
  x: Float64Array,
  sign: 1 | -1,
  type: 'type1' | 'type2',
): Float64Array {
  const d = n.length;
  const n1 = d === 2 ? n[1] : 1;
  const size = n[0] * n1;
  const m = theta.length / d;
  const out = new Float64Array(2 * (type === 'type1' ? size : m));
  for (let i = 0; i < size; i++) {
    const k0 = Math.floor(i / n1) - Math.floor(n[0] / 2);
    const k1 = d === 2 ? (i % n1) - Math.floor(n1 / 2) : 0;
    for (let j = 0; j < m; j++) {
      const ph = sign * (k0 * theta[j * d] + (d === 2 ? k1 * theta[j * d + 1] : 0));
      const [cs, sn] = [Math.cos(ph), Math.sin(ph)];
      const [from, to] = type === 'type1' ? [j, i] : [i, j];
      out[2 * to] += x[2 * from] * cs - x[2 * from + 1] * sn;
      out[2 * to + 1] += x[2 * from] * sn + x[2 * from + 1] * cs;
    }
  }
  return out;
}

describe('NUFFT wasm SIMD loops (nufft/wasm)', () => {
  it('spreading and interpolation equal the JS loops to rounding: 1D and 2D, K = 1..3, sorted or not, one or two threads', async () => {
    const pool = new WorkerPool(1);
    for (const n of [[48], [20, 17]]) {
      const d = n.length;
      const m = 4000;
      const theta = randomArray(m * d, 3, 15);
      for (const sortPoints of [false, true]) {
        for (const threads of [1, 2]) {
          const common = {
            sortPoints,
            upsampling: 4 as const,
            minParallelPoints: 1,
            ...(threads > 1 ? { pool } : {}),
          };
          const js = createNufftPlan(n, { ...common, simd: false });
          const wasm = createNufftPlan(n, { ...common, simd: true });
          js.setPoints(theta);
          await wasm.setPointsAsync(theta, m);
          for (const kk of [1, 2, 3]) {
            // caller arrays not on the plan's heap: staged in, copied back out
            const cs = Array.from({ length: kk }, (_, q) => {
              const c = threads > 1 ? sharedFloat64(2 * m) : new Float64Array(2 * m);
              c.set(randomArray(2 * m, 10 + q));
              return c;
            });
            const expected = await js.type1ManyAsync(cs, 1);
            const got = await wasm.type1ManyAsync(cs, 1);
            expect(wasm.loops).toBe('wasm-simd');
            expect(js.loops).toBe('js');
            for (let q = 0; q < kk; q++) expect(relErr(got[q], expected[q])).toBeLessThan(1e-14);
            const fs = Array.from({ length: kk }, (_, q) => randomArray(2 * js.modeCount, 20 + q));
            // outputs longer than 2·count: only the first 2·count entries are written
            const outs = (plan: 'js' | 'wasm') =>
              fs.map(() =>
                (threads > 1 || plan === 'js' ? sharedFloat64(2 * m + 6) : new Float64Array(2 * m + 6)).fill(
                  7,
                ),
              );
            const a = await js.type2ManyAsync(fs, -1, outs('js'));
            const b = await wasm.type2ManyAsync(fs, -1, outs('wasm'));
            for (let q = 0; q < kk; q++) {
              expect(relErr(b[q].subarray(0, 2 * m), a[q].subarray(0, 2 * m))).toBeLessThan(1e-14);
              expect([...b[q].subarray(2 * m)]).toEqual([7, 7, 7, 7, 7, 7]);
            }
            // the synchronous transforms use the compiled loops too
            expect(relErr(wasm.type2Many(fs, -1)[0], a[0].subarray(0, 2 * m))).toBeLessThan(1e-14);
          }
          await js.dispose();
          await wasm.dispose();
        }
      }
    }
    await pool.dispose();
  });

  it('fused (fma) and unfused wasm loops equal the JS loops to rounding, odd kernel widths included, and meet 1e-12 against direct sums', async () => {
    // tolerance 1e-9 gives odd widths (w = 11 at σ = 2, 9 at σ = 4): the last tap outside the pairs
    for (const [n, upsampling, tolerance] of [
      [[40], 4, 1e-12],
      [[40], 2, 1e-9],
      [[21, 18], 2, 1e-12],
      [[21, 18], 4, 1e-9],
    ] as const) {
      const d = n.length;
      const m = 700;
      const theta = randomArray(m * d, 41, 15);
      const opts = { upsampling, tolerance, sortPoints: d === 2 };
      const js = createNufftPlan(n, { ...opts, simd: false });
      js.setPoints(theta);
      const cs = [0, 1, 2].map((q) => randomArray(2 * m, 50 + q));
      const fs = [0, 1, 2].map((q) => randomArray(2 * js.modeCount, 60 + q));
      const expected1 = js.type1Many(cs, 1);
      const expected2 = js.type2Many(fs, -1);
      if (tolerance === 1e-9) expect(js.kernel.width % 2).toBe(1);
      for (const fma of [false, true]) {
        const wasm = createNufftPlan(n, { ...opts, fma });
        await wasm.setPointsAsync(theta, m);
        const got1 = await wasm.type1ManyAsync(cs, 1);
        const got2 = await wasm.type2ManyAsync(
          fs,
          -1,
          fs.map(() => new Float64Array(2 * m)),
        );
        expect(wasm.loops).toBe('wasm-simd');
        for (let q = 0; q < 3; q++) {
          expect(relErr(got1[q], expected1[q])).toBeLessThan(1e-14);
          expect(relErr(got2[q], expected2[q])).toBeLessThan(1e-14);
        }
        const bound = tolerance === 1e-12 ? 1e-12 : 1e-9;
        expect(relErr(got1[0], direct(n, theta, cs[0], 1, 'type1'))).toBeLessThan(bound);
        expect(relErr(got2[0], direct(n, theta, fs[0], -1, 'type2'))).toBeLessThan(bound);
        await wasm.dispose();
      }
    }
  });

  it('simd: false keeps the JS loops, and a plan without simd never compiles', async () => {
    const plan = createNufftPlan([32], { simd: false });
    plan.setPoints(randomArray(100, 1, 5));
    await plan.type1ManyAsync([randomArray(200, 2)], 1);
    expect(plan.loops).toBe('js');
  });

  it('wasm point location equals locatePoints exactly: angles far beyond 2π, 1D and 2D strides, pairs and an odd last point', async () => {
    const heap = new WasmHeap();
    const loop = await compileWasmLoop(locateSource());
    const m = 20_002;
    const x = heap.float64(m);
    x.set(randomArray(m, 5, 40));
    for (let j = 0; j < m; j += 97) x[j] *= 1e4; // aliasing angles
    x[1] = 0;
    x[2] = -1e-17;
    x[3] = -0;
    for (const [fine, width, intervals, stride, axis] of [
      [2048, 12, 1024, 1, 0],
      [60, 7, 256, 1, 0],
      [256, 14, 256, 2, 1], // 10,001 points: an odd count
    ]) {
      const count = m / stride;
      const cellSize = 5 * width;
      const js = { base: new Int32Array(count), cell: new Int32Array(count), u: new Float64Array(count) };
      const wa = { base: heap.int32(count), cell: heap.int32(count), u: heap.float64(count) };
      locatePoints(0, count, x, 0.37, js.base, js.cell, js.u, stride, axis, fine, width, intervals, cellSize);
      const args = wasmArgs(heap, [
        x,
        wa.base,
        wa.cell,
        wa.u,
        0.37,
        stride,
        axis,
        fine,
        width,
        intervals,
        cellSize,
      ]);
      // in two calls, the first of an odd length: pairs from an odd start, a last point alone
      const run = loop.run as (from: number, to: number, ...a: unknown[]) => void;
      run(0, 4999, ...args);
      run(4999, count, ...args);
      expect([...wa.base]).toEqual([...js.base]);
      expect([...wa.cell]).toEqual([...js.cell]);
      expect([...wa.u]).toEqual([...js.u]);
    }
  });

  it('the heap hands out 16-byte aligned arrays that stay valid when it grows', () => {
    const heap = new WasmHeap();
    const a = heap.float64(3);
    a.set([1, 2, 3]);
    const b = heap.int32(5);
    const big = heap.float64(3 * 65536); // grows the memory
    big[big.length - 1] = 9;
    expect([...a]).toEqual([1, 2, 3]);
    for (const v of [a, b, big]) expect(heap.offsetOf(v) % 16).toBe(0);
    expect(heap.holds(a)).toBe(true);
    expect(heap.holds(new Float64Array(3))).toBe(false);
    expect(() => heap.offsetOf(new Float64Array(3))).toThrow(/not allocated by this heap/);
    expect(() => heap.float64(2 ** 30)).toThrow(/exceed wasm32's 4 GiB/);
  });
});
