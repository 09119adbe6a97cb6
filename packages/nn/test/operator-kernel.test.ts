import { describe, expect, it } from 'vitest';
import { cauchy } from '../src/distributions/cauchy.js';
import { gaussian } from '../src/distributions/gaussian.js';
import { laplace } from '../src/distributions/laplace.js';
import type { FrequencyDistribution } from '../src/distributions/types.js';
import { uniformBox } from '../src/distributions/uniform-box.js';
import { uniformDisk } from '../src/distributions/uniform-disk.js';
import { type Grid, uniformGrid } from '../src/grid.js';
import { kernelDynamics } from '../src/kernel/dynamics.js';
import { kernelMatrix } from '../src/kernel/operator.js';
import {
  crossKernelMatrix,
  crossKernelOperator,
  operatorKernelMatrix,
  operatorKernelOperator,
  operatorKernelTables,
} from '../src/kernel/operator-kernel.js';
import { createFloat64Engine } from '../src/models/two-layer/engines/float64.js';
import { TwoLayerFF } from '../src/models/two-layer/model.js';
import { zeroTangent } from '../src/models/two-layer/tangent.js';
import { operatorEngine } from '../src/operators/engine.js';
import {
  advection,
  biharmonic,
  type DifferentialOperator,
  helmholtz,
  identityOperator,
  polynomialOperator,
  scaleOperator,
} from '../src/operators/operator.js';
import { simpson1d } from './helpers/quadrature.js';
import { relErr, relMax } from './helpers/relative.js';

/**
 * THEORY.md §7's K_L for −d²/dx² + k², Gaussian ρ_w = N(0, σ²), by hand: E[w^n e^{iwz}] = (−i)^n g^{(n)}(z),
 * g = e^{−σ²z²/2}, g^{(n)}(z) = (−σ)^n He_n(σz) g(z). So E[P² c] = g'''' − 2k² g'' + k⁴ g,
 * E[wP s] = g''' − k² g', E[4w² c] = −4 g''.
 */
function theoryHelmholtz(x: number, y: number, sigma: number, k: number, sigmaA: number): number {
  const z = x - y;
  const t = sigma * z;
  const g = Math.exp(-0.5 * t * t);
  const dn = (n: number) => {
    const he = [1, t, t * t - 1, t ** 3 - 3 * t, t ** 4 - 6 * t * t + 3][n];
    return (-sigma) ** n * he * g;
  };
  const p2c = dn(4) - 2 * k * k * dn(2) + k ** 4 * dn(0);
  const wps = dn(3) - k * k * dn(1);
  const w2c = -dn(2);
  return p2c + sigmaA ** 2 * (p2c * x * y + 2 * (y - x) * wps + 4 * w2c);
}

/** J Jᵀ v of the L-applied network with m features at initialisation (all parameters trained). */
async function empiricalNtk(
  grid: Grid,
  distribution: FrequencyDistribution,
  sigmaA: number,
  op: DifferentialOperator,
  width: number,
  v: Float64Array,
  seed: number,
): Promise<Float64Array> {
  const net = new TwoLayerFF({
    width,
    distribution,
    sigmaA,
    seed,
    mirrored: false,
    engine: 'float64',
    threads: 1,
  });
  const engine = operatorEngine(createFloat64Engine(grid, { threads: 1 }), op);
  const g = await engine.vjp(net.parameters, v, zeroTangent(grid.dim, width));
  const out = await engine.jvp(net.parameters, g);
  await engine.dispose();
  await net.dispose();
  return out;
}

const smooth = (grid: Grid) =>
  Float64Array.from({ length: grid.size }, (_, i) => {
    let r2 = 0;
    let ph = 0;
    for (let a = 0; a < grid.dim; a++) {
      const x = grid.points[i * grid.dim + a];
      r2 += x * x;
      ph += (a + 1) * x;
    }
    return Math.exp(-r2 / 4) * (1 + Math.sin(1.7 * ph));
  });

describe('K_L, the NTK of the L-applied network (THEORY.md §7)', () => {
  it("is THEORY.md §7's formula for −d²/dx² + k² (N = 256 on [−8, 8), σ_w = 6, σ_a = 1, k = 2)", () => {
    const grid = uniformGrid({ dim: 1, halfWidth: 8, n: 256 });
    const K = operatorKernelMatrix(grid, gaussian(6), 1, helmholtz(2));
    const n = grid.size;
    const ref = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) ref[i * n + j] = theoryHelmholtz(grid.points[i], grid.points[j], 6, 2, 1);
    expect(relMax(K, ref)).toBeLessThan(1e-11);
  });

  it('is L_x L_y K for advection c·∇ + μ (an imaginary symbol), from the closed-form K of a Gaussian, 1D and 2D', () => {
    // K = (1 + σ_a² x·y) g(z), g = exp(−½ Σ σ_a² z_a²): K_L = Σ c_a c_b ∂x_a ∂y_b K + μ c·(∇_x + ∇_y) K + μ² K.
    const sA = 0.8;
    const mu = 0.6;
    for (const [grid, sig, c] of [
      [uniformGrid({ dim: 1, halfWidth: 4, n: 24 }), [2.5], [1.5]],
      [uniformGrid({ dim: 2, halfWidth: 3, n: [8, 9] }), [2, 3], [1, -2]],
    ] as [Grid, number[], number[]][]) {
      const d = grid.dim;
      const n = grid.size;
      const K = operatorKernelMatrix(grid, gaussian(d === 1 ? sig[0] : sig), sA, advection(c, mu));
      const ref = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const x = grid.points.slice(i * d, i * d + d);
          const y = grid.points.slice(j * d, j * d + d);
          const z = x.map((v, a) => v - y[a]);
          const g = Math.exp(-0.5 * z.reduce((t, v, a) => t + (sig[a] * v) ** 2, 0));
          const dg = z.map((v, a) => -(sig[a] ** 2) * v * g);
          const ddg = (a: number, b: number) =>
            (sig[a] ** 2 * sig[b] ** 2 * z[a] * z[b] - (a === b ? sig[a] ** 2 : 0)) * g;
          const w = 1 + sA * sA * x.reduce((t, v, a) => t + v * y[a], 0);
          let v = mu * mu * w * g;
          for (let a = 0; a < d; a++) {
            const dx = sA * sA * y[a] * g + w * dg[a];
            const dy = sA * sA * x[a] * g - w * dg[a];
            v += mu * c[a] * (dx + dy);
            for (let b = 0; b < d; b++) {
              const dxy =
                (a === b ? sA * sA * g : 0) - sA * sA * y[a] * dg[b] + sA * sA * x[b] * dg[a] - w * ddg(a, b);
              v += c[a] * c[b] * dxy;
            }
          }
          ref[i * n + j] = v;
        }
      }
      expect(relMax(K, ref)).toBeLessThan(1e-11);
    }
  });

  it('the cross kernel ∇f·∇(Lf) is L_y K (advection and Helmholtz), its FFT product the matrix, its limit the empirical one', async () => {
    const sA = 0.8;
    const mu = 0.6;
    for (const [grid, sig, c] of [
      [uniformGrid({ dim: 1, halfWidth: 4, n: 24 }), [2.5], [1.5]],
      [uniformGrid({ dim: 2, halfWidth: 3, n: [8, 9] }), [2, 3], [1, -2]],
    ] as [Grid, number[], number[]][]) {
      const d = grid.dim;
      const n = grid.size;
      const rho = gaussian(d === 1 ? sig[0] : sig);
      const X = crossKernelMatrix(grid, rho, sA, advection(c, mu));
      const H = crossKernelMatrix(grid, rho, sA, helmholtz(1.5));
      const refX = new Float64Array(n * n);
      const refH = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const x = grid.points.slice(i * d, i * d + d);
          const y = grid.points.slice(j * d, j * d + d);
          const z = x.map((v, a) => v - y[a]);
          const g = Math.exp(-0.5 * z.reduce((t, v, a) => t + (sig[a] * v) ** 2, 0));
          const dg = z.map((v, a) => -(sig[a] ** 2) * v * g);
          const w = 1 + sA * sA * x.reduce((t, v, a) => t + v * y[a], 0);
          // K = w g(x − y): ∂y_a K = σ_a² x_a g − w ∂_a g, ∂y_a² K = −2σ_a² x_a ∂_a g + w ∂_a² g
          let vx = mu * w * g;
          let vh = 1.5 ** 2 * w * g;
          for (let a = 0; a < d; a++) {
            vx += c[a] * (sA * sA * x[a] * g - w * dg[a]);
            const dda = (sig[a] ** 4 * z[a] * z[a] - sig[a] ** 2) * g;
            vh -= -2 * sA * sA * x[a] * dg[a] + w * dda;
          }
          refX[i * n + j] = vx;
          refH[i * n + j] = vh;
        }
      }
      expect(relMax(X, refX)).toBeLessThan(1e-11);
      expect(relMax(H, refH)).toBeLessThan(1e-11);
      const u = smooth(grid);
      const dense = new Float64Array(n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) dense[i] += X[i * n + j] * u[j];
      const out = new Float64Array(n);
      crossKernelOperator(grid, rho, sA, advection(c, mu)).apply(u, out);
      expect(relErr(out, dense)).toBeLessThan(1e-12);
    }
    // Monte Carlo: J_f (J_{Lf}ᵀ v) of a wide network
    const grid = uniformGrid({ dim: 1, halfWidth: 4, n: 40 });
    const op = advection([2], 1.5);
    const v = smooth(grid);
    const exact = new Float64Array(grid.size);
    crossKernelOperator(grid, gaussian(3), 0.9, op).apply(v, exact);
    let error = 0;
    for (let seed = 1; seed <= 4; seed++) {
      const width = 16384;
      const net = new TwoLayerFF({
        width,
        distribution: gaussian(3),
        sigmaA: 0.9,
        seed,
        mirrored: false,
        engine: 'float64',
        threads: 1,
      });
      const base = createFloat64Engine(grid, { threads: 1 });
      const g = await operatorEngine(base, op).vjp(net.parameters, v, zeroTangent(1, width));
      error += relErr(await base.jvp(net.parameters, g), exact) / 4;
      await base.dispose();
      await net.dispose();
    }
    expect(error).toBeLessThan(8 / Math.sqrt(16384));
  });

  it('L = c·I gives c² K, the identity K (closed form, any ρ_w, even Cauchy)', () => {
    const grid = uniformGrid({ dim: 1, halfWidth: 4, n: 16 });
    const K = kernelMatrix(grid, cauchy(2), 0.7);
    expect(relMax(operatorKernelMatrix(grid, cauchy(2), 0.7, identityOperator()), K)).toBeLessThan(1e-15);
    const K3 = operatorKernelMatrix(grid, cauchy(2), 0.7, scaleOperator(-3, identityOperator()));
    expect(
      relMax(
        K3,
        K.map((v) => 9 * v),
      ),
    ).toBeLessThan(1e-15);
  });

  it('the FFT product equals the matrix, 1D and 2D, real and imaginary symbols', () => {
    const cases: [Grid, FrequencyDistribution, DifferentialOperator][] = [
      [uniformGrid({ dim: 1, halfWidth: 6, n: 50 }), gaussian(3), advection([1.5], 0.7)],
      [uniformGrid({ dim: 1, halfWidth: 6, n: 50 }), uniformBox(4), biharmonic()],
      [uniformGrid({ dim: 2, halfWidth: 3, n: [9, 12] }), gaussian([2, 3]), advection([1, -0.5], 0.4)],
      [
        uniformGrid({ dim: 2, halfWidth: 3, n: 10 }),
        gaussian(2, 2),
        polynomialOperator([
          { coefficient: 0.5, alpha: [1, 1] },
          { coefficient: -1, alpha: [2, 0] },
          { coefficient: 0.3, alpha: [0, 3] },
          { coefficient: 1, alpha: [0, 0] },
        ]),
      ],
    ];
    for (const [grid, rho, op] of cases) {
      const K = operatorKernelMatrix(grid, rho, 0.8, op);
      const n = grid.size;
      // symmetric
      let asym = 0;
      let size = 0;
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          asym = Math.max(asym, Math.abs(K[i * n + j] - K[j * n + i]));
          size = Math.max(size, Math.abs(K[i * n + j]));
        }
      expect(asym).toBeLessThan(1e-12 * size);
      const u = smooth(grid);
      const dense = new Float64Array(n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) dense[i] += K[i * n + j] * u[j];
      const out = new Float64Array(n);
      operatorKernelOperator(grid, rho, 0.8, op).apply(u, out);
      expect(relErr(out, dense)).toBeLessThan(1e-12);
    }
  });

  it('is the limit of the empirical NTK J Jᵀ of wide networks, error falling like 1/√m', async () => {
    // With each case a control: an operator whose K_L differs only in part (−c flips the sign of
    // the cross terms C_k, D_k alone; k = 1 changes |p|²), which the empirical NTK must tell apart.
    const cases: [Grid, FrequencyDistribution, DifferentialOperator, DifferentialOperator][] = [
      [uniformGrid({ dim: 1, halfWidth: 4, n: 40 }), gaussian(3), helmholtz(2), helmholtz(1)],
      [uniformGrid({ dim: 1, halfWidth: 4, n: 40 }), gaussian(3), advection([2], 1.5), advection([-2], 1.5)],
      [
        uniformGrid({ dim: 2, halfWidth: 2, n: 10 }),
        gaussian(2, 2),
        advection([1, -2], 1),
        advection([-1, 2], 1),
      ],
    ];
    for (const [grid, rho, op, control] of cases) {
      const v = smooth(grid);
      const exact = new Float64Array(grid.size);
      operatorKernelOperator(grid, rho, 0.9, op).apply(v, exact);
      const errors: number[] = [];
      for (const m of [1024, 16384]) {
        // (width 16384 costs 16384·N per product on the float64 engine)
        // the mean over 4 seeds of the relative error
        let e = 0;
        for (let seed = 1; seed <= 4; seed++)
          e += relErr(await empiricalNtk(grid, rho, 0.9, op, m, v, seed), exact) / 4;
        errors.push(e);
      }
      // 16× the width: 4× smaller (1/√m), within the noise of 4 seeds; measured ≈ 5/√m
      expect(errors[0] / errors[1]).toBeGreaterThan(2.5);
      expect(errors[0] / errors[1]).toBeLessThan(6.5);
      expect(errors[1]).toBeLessThan(8 / Math.sqrt(16384));
      const wrong = new Float64Array(grid.size);
      operatorKernelOperator(grid, rho, 0.9, control).apply(v, wrong);
      expect(relErr(wrong, exact)).toBeGreaterThan(5 * errors[1]);
    }
  });

  it('its quadratures over w are exact for jumps (box), kinks (Laplace) and smooth densities alike', () => {
    const grid = uniformGrid({ dim: 1, halfWidth: 4, n: 32 });
    const n = grid.size;
    // A(z) = E[|p|² cos(wz)] by composite Simpson split at the jumps and kinks: the reference
    const reference = (rho: FrequencyDistribution, op: DifferentialOperator, W: number, breaks: number[]) =>
      Float64Array.from({ length: 2 * n - 1 }, (_, e) => {
        const z = (e - (n - 1)) * grid.h[0];
        return simpson1d(
          (w) => {
            const p = op.symbol([w]);
            return rho.density([w]) * (p.re * p.re + p.im * p.im) * Math.cos(w * z);
          },
          -W,
          W,
          breaks,
          20000,
        );
      });
    const box = operatorKernelTables(grid, uniformBox(3), 1, biharmonic());
    expect(box.rule).toBe('gauss-legendre');
    expect(relMax(box.a, reference(uniformBox(3), biharmonic(), 3, [-3, 3]))).toBeLessThan(1e-10);
    const lap = operatorKernelTables(grid, laplace(0.5), 1, helmholtz(1));
    expect(lap.rule).toBe('gauss-legendre'); // the kink at 0 fails the trapezoid's check
    expect(relMax(lap.a, reference(laplace(0.5), helmholtz(1), 40, [0]))).toBeLessThan(1e-9);
    // a Gaussian passes it; both rules agree, in 2D too
    const g2 = uniformGrid({ dim: 2, halfWidth: 3, n: 12 });
    const op = advection([1, 2], 0.5);
    const auto = operatorKernelTables(g2, gaussian([2, 3]), 1, op);
    const gl = operatorKernelTables(g2, gaussian([2, 3]), 1, op, { rule: 'gauss-legendre' });
    expect(auto.rule).toBe('trapezoid');
    for (const key of ['a', 'aPlusB'] as const) expect(relMax(auto[key], gl[key])).toBeLessThan(1e-11);
    expect(relMax(auto.c[1], gl.c[1])).toBeLessThan(1e-11);
    // the disk's circular jump cuts through the tensor panels: A(0) = E|w|⁴ = B⁴/3 to 1e-3 only
    const disk = operatorKernelTables(g2, uniformDisk(2), 1, helmholtz(0));
    expect(Math.abs(disk.a[(disk.a.length - 1) / 2] / (16 / 3) - 1)).toBeLessThan(1e-3);
  });

  it('refuses a heavy-tailed ρ_w for an operator with derivatives, and an operator of another dimension', () => {
    const grid = uniformGrid({ dim: 1, halfWidth: 4, n: 16 });
    expect(() => operatorKernelMatrix(grid, cauchy(1), 1, helmholtz(1))).toThrow(
      /^operator: ρ_w = cauchy.* has too heavy tails for helmholtz\(k=1\)/,
    );
    expect(() => operatorKernelOperator(grid, gaussian(1), 1, advection([1, 1]))).toThrow(
      /^operator: advection\(c=\[1, 1\], μ=0\) is 2D but the grid is 1D$/,
    );
  });
});

describe('kernelDynamics with an operator: r_{k+1} = r_k − η h^d K_L r_k', () => {
  const grid = uniformGrid({ dim: 1, halfWidth: 6, n: 64 });
  const s = grid.points.map((x) => Math.exp((-x * x) / 2) * Math.sin(2 * x));
  const r0 = s.map((v) => -v);

  it('fft, matrix and eigen agree; the residual decays; identity is the plain kernel', () => {
    const base = { grid, distribution: gaussian(3), sigmaA: 1, u0: r0, operator: helmholtz(1) };
    const fft = kernelDynamics({ ...base, learningRate: 'auto', times: [0, 0.005, 0.025] });
    const eta = fft.learningRate;
    const matrix = kernelDynamics({ ...base, method: 'matrix', learningRate: eta, times: [0, 0.005, 0.025] });
    const eigen = kernelDynamics({ ...base, method: 'eigen', learningRate: eta, times: [0, 0.005, 0.025] });
    for (let j = 1; j < 3; j++) {
      expect(relErr(fft.snapshots[j], matrix.snapshots[j])).toBeLessThan(1e-10);
      expect(relErr(eigen.snapshots[j], matrix.snapshots[j])).toBeLessThan(1e-8);
    }
    expect(fft.losses[2]).toBeLessThan(0.5 * fft.losses[0]);
    // λ_max of h K_L far above that of h K: the operator speeds the dynamics up by |p|²
    const plain = kernelDynamics({ ...base, operator: undefined, learningRate: 'auto', times: [0] });
    expect(fft.lambdaMax).toBeGreaterThan(10 * plain.lambdaMax);
    const same = kernelDynamics({ ...base, operator: identityOperator(), learningRate: 0.01, times: [0, 1] });
    const noop = kernelDynamics({ ...base, operator: undefined, learningRate: 0.01, times: [0, 1] });
    expect(same.snapshots[1]).toEqual(noop.snapshots[1]);
  });

  it('moves the solution error by K_×: methods agree, 2I gives e = r/2, and a wide network agrees', async () => {
    // g = e^{−x²/2} sin(2x), s = (∂ + 1) g by hand
    const g = grid.points.map((x) => Math.exp((-x * x) / 2) * Math.sin(2 * x));
    const src = grid.points.map(
      (x, i) => Math.exp((-x * x) / 2) * (2 * Math.cos(2 * x) - x * Math.sin(2 * x)) + g[i],
    );
    const op = advection([1], 1);
    const base = {
      grid,
      distribution: gaussian(3),
      sigmaA: 1,
      operator: op,
      u0: src.map((v) => -v),
      solutionU0: g.map((v) => -v),
    };
    const times = [0, 0.03, 0.07];
    const fft = kernelDynamics({ ...base, learningRate: 'auto', times });
    const eta = fft.learningRate;
    const matrix = kernelDynamics({ ...base, method: 'matrix', learningRate: eta, times });
    const eigen = kernelDynamics({ ...base, method: 'eigen', learningRate: eta, times });
    const fe = fft.solutionErrors ?? [];
    expect(fe).toHaveLength(3);
    expect(fe[0]).toEqual(Float64Array.from(base.solutionU0));
    for (let j = 1; j < 3; j++) {
      expect(relErr(fe[j], matrix.solutionErrors?.[j] ?? [])).toBeLessThan(1e-10);
      expect(relErr(eigen.solutionErrors?.[j] ?? [], fe[j])).toBeLessThan(1e-8);
    }
    const moved = relErr(fe[2], fe[0]);
    expect(moved).toBeGreaterThan(0.1);
    // L = 2I, g = s/2: e = f − s/2 = r/2 at every step
    const twice = kernelDynamics({
      ...base,
      operator: scaleOperator(2, identityOperator()),
      solutionU0: s.map((v) => -v / 2),
      u0: s.map((v) => -v),
      learningRate: 0.01,
      times: [0, 0.5],
    });
    expect(
      relMax(
        twice.solutionErrors?.[1] ?? [],
        twice.snapshots[1].map((v) => v / 2),
      ),
    ).toBeLessThan(1e-13);
    // a wide network trained on the same loss
    const { train } = await import('../src/training/train.js');
    const net = new TwoLayerFF({
      width: 16384,
      distribution: gaussian(3),
      seed: 9,
      engine: 'float64',
      threads: 1,
    });
    const run = await train(net, { grid, target: src, solution: g, operator: op, learningRate: eta, times });
    await net.dispose();
    expect(relErr(run.solutionErrors?.[2] ?? [], fe[2])).toBeLessThan(0.1 * moved);
    expect(() => kernelDynamics({ ...base, operator: undefined, learningRate: eta, times })).toThrow(
      /^solutionU0: needs an operator/,
    );
  });

  it('matches a wide network trained on ½ h Σ (L f − s)² at early times', async () => {
    const times = [0, 0.03, 0.07];
    const kd = kernelDynamics({
      grid,
      distribution: gaussian(3),
      sigmaA: 1,
      u0: r0,
      operator: advection([1], 1),
      learningRate: 'auto',
      times,
    });
    const { train } = await import('../src/training/train.js');
    const net = new TwoLayerFF({
      width: 16384,
      distribution: gaussian(3),
      seed: 7,
      engine: 'float64',
      threads: 1,
    });
    const run = await train(net, {
      grid,
      target: s,
      operator: advection([1], 1),
      learningRate: kd.learningRate,
      times,
    });
    await net.dispose();
    expect(run.steps).toEqual(kd.steps);
    const moved = relErr(kd.snapshots[2], r0);
    expect(moved).toBeGreaterThan(0.2);
    expect(relErr(run.snapshots[2], kd.snapshots[2])).toBeLessThan(0.1 * moved);
  });
});

describe('K_L on a long 1D grid (the quadrature sums a block of nodes at a time)', () => {
  it('A(z) = E[(w² + k²)² cos(wz)] for a Gaussian ρ_w, in closed form, at every offset of n = 4096', () => {
    const grid = uniformGrid({ dim: 1, halfWidth: 8, n: 4096 });
    const [sigma, k] = [6, 2];
    const t = operatorKernelTables(grid, gaussian(sigma), 1, helmholtz(k));
    // φ(z) = e^{−σ²z²/2}: E[w² cos wz] = −φ'' and E[w⁴ cos wz] = φ''''
    const u = sigma * sigma;
    const exact = Float64Array.from({ length: 2 * 4096 - 1 }, (_, e) => {
      const z = (e - 4095) * grid.h[0];
      const phi = Math.exp((-u * z * z) / 2);
      const d2 = (u * u * z * z - u) * phi;
      const d4 = (u ** 4 * z ** 4 - 6 * u ** 3 * z * z + 3 * u * u) * phi;
      return d4 - 2 * k * k * d2 + k ** 4 * phi;
    });
    // more nodes than one block of phases holds: 2^21 / 8191 = 256 per block
    expect(t.nodes[0]).toBeGreaterThan(256);
    expect(relMax(t.a, exact)).toBeLessThan(1e-12);
  });
});
