import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/index.js';
import { runContext } from '../src/pipeline/context.js';
import { pdeMesh, runExperiment } from '../src/pipeline/index.js';
import { solvePde } from '../src/pipeline/pde.js';
import { reportFiles } from '../src/report/index.js';
import type { ComplexLike } from '../src/spectrum/types.js';

/*
 * Training on an operator end to end (THEORY.md §7), on configs small enough for a few seconds: the
 * kernel K_L of the L-applied network against the PDE for v = p̄ r̂, for a real symbol (Helmholtz)
 * and an imaginary one (advection–reaction, p = 1 + iξ), with a negative control that keeps |p|²
 * but drops the phase of p, and the residual's and the solution's loss at t = 0.
 */

/** A small 1D experiment on an operator; the target is the solution g. */
function tiny(operator: Record<string, unknown>, time: number, patch: Record<string, unknown> = {}) {
  return parseConfig({
    name: 'tiny-operator',
    grid: { dim: 1, halfWidth: 8, n: 128 },
    operator,
    targetIs: 'solution',
    target: { kind: 'sines', frequencies: [1, 4] },
    distribution: { kind: 'gaussian', sigma: 6 },
    network: { kind: 'twoLayer', width: 256, sigmaA: 1 },
    training: { time, snapshots: 6, flowTolerance: 0.002 },
    pde: { degree: 2, cellsPerAxis: 256, dt: time / 1000 },
    ...patch,
  });
}

/** max over snapshots of ‖a − b‖ / ‖b‖. */
function maxRelL2(a: readonly ComplexLike[], b: readonly ComplexLike[]): number {
  let worst = 0;
  a.forEach((x, j) => {
    let num = 0;
    let den = 0;
    for (let k = 0; k < x.re.length; k++) {
      num += (x.re[k] - b[j].re[k]) ** 2 + (x.im[k] - b[j].im[k]) ** 2;
      den += b[j].re[k] ** 2 + b[j].im[k] ** 2;
    }
    worst = Math.max(worst, Math.sqrt(num / den));
  });
  return worst;
}

describe('runExperiment with an operator (THEORY.md §7)', () => {
  it('advection–reaction (p = 1 + iξ): kernel K_L vs the v = p̄ r̂ PDE ≤ 0.5%; dropping the phase of p is ≥ 10× off', async () => {
    const config = tiny({ kind: 'advection', c: [1], mu: 1 }, 1);
    const { report, reportData } = await runExperiment(config);
    const kernelVsPde = report.metrics.kernelVsPde?.max ?? Number.NaN;
    expect(kernelVsPde).toBeLessThan(0.005);
    expect(report.operator).toMatchObject({ name: 'advection(c=[1], μ=1)', targetIs: 'solution' });
    const files = await reportFiles(reportData);
    expect(String(files['report.html'])).toContain('L = advection(c=[1], μ=1): every spectrum');
    expect(JSON.parse(String(files['report.json'])).operator.errors).toMatch(/^residuals r = L f − s/);
    // the control: the same |p|² with a real symbol |p|, so v = |p| r̂ and no mixing of re and im
    const ctx = runContext(config, {});
    const fake = {
      ...ctx.operator!,
      symbol: (xi: ArrayLike<number>) => ({ re: Math.hypot(1, xi[0]), im: 0 }),
    };
    const u0 = Float64Array.from(ctx.target, (s) => -s); // mirrored: r₀ = −s
    const control = solvePde(
      { ...ctx, operator: fake },
      pdeMesh(config, ctx.distribution),
      u0,
      report.times,
      undefined,
    );
    const points = Float64Array.from(reportData.spectra.axes[0]);
    const kernel = reportData.spectra.kernel!;
    const pde = reportData.spectra.pde!;
    expect(maxRelL2(kernel, pde)).toBeLessThan(0.005);
    expect(maxRelL2(kernel, control.at(points))).toBeGreaterThan(10 * maxRelL2(kernel, pde));
  }, 120_000);

  it('Helmholtz k = 2: kernel vs PDE ≤ 0.5%; losses are of the residual L f − s and of the solution f − g', async () => {
    const config = tiny({ kind: 'helmholtz', k: 2 }, 0.05);
    const ctx = runContext(config, {});
    const { report } = await runExperiment(config);
    expect(report.metrics.kernelVsPde?.max).toBeLessThan(0.005);
    const loss = report.metrics.loss!;
    const h = ctx.grid.cellVolume;
    const half = (v: Float64Array) => 0.5 * h * v.reduce((s, x) => s + x * x, 0);
    // mirrored initialisation: r₀ = −s with s = L g, f₀ − g = −g
    expect(loss.nn[0].value).toBeCloseTo(half(ctx.target), 10);
    const solution = (
      report.operator as { solutionLoss: { nn: { value: number }[]; pde: { value: number }[] } }
    ).solutionLoss;
    expect(solution.nn[0].value).toBeCloseTo(half(ctx.solution!), 10);
    // the PDE's ½(2π)^{−1}∫|r̂/p|² over its box is the same loss by Parseval (the box holds the spectrum)
    expect(Math.abs(solution.pde[0].value / solution.nn[0].value - 1)).toBeLessThan(1e-3);
    expect(Math.abs((loss.pde?.[0].value ?? 0) / loss.nn[0].value - 1)).toBeLessThan(1e-3);
    // the residual is learned much faster than plain regression would learn g (|p|² ≥ 16 here)
    const last = loss.nn.length - 1;
    expect(loss.nn[last].value).toBeLessThan(0.05 * loss.nn[0].value);
  }, 120_000);
});
