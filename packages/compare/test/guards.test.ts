import { distributionFromSpec, uniformGrid, windowedSines } from '@freqbias/nn';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/index.js';
import {
  checkBand,
  checkClaims,
  checkDistribution,
  checkLearning,
  checkMesh,
  checkResources,
  checkTarget,
  gradientFlowDistance,
  memoryEstimate,
  planLearningRate,
} from '../src/pipeline/checks/index.js';
import { pdeMesh } from '../src/pipeline/index.js';
import { errorSpectrum, spectrumAt } from '../src/spectrum/index.js';

/*
 * The physics guards (issue 8) against independent truth: the Richardson estimate of GD vs flow
 * against the exact eigendecomposition, the Monte Carlo aliased mass against the closed form, and
 * each check's verdict on a case on either side of its limit.
 */

const grid = uniformGrid({ dim: 1, halfWidth: 8, n: 128 });
const g = windowedSines({ frequencies: [3, 10] }).evaluate(grid);
const u0 = Float64Array.from(g, (v) => -v);
const config = (patch: Record<string, unknown> = {}) =>
  parseConfig({
    name: 'guards',
    grid: { dim: 1, halfWidth: 8, n: 128 },
    target: { kind: 'sines', frequencies: [3, 10] },
    distribution: { kind: 'gaussian', sigma: 10 },
    network: { kind: 'twoLayer', width: 512, sigmaA: 1 },
    training: { time: 3, snapshots: 4 },
    pde: { degree: 1, cellsPerAxis: 128 },
    ...patch,
  });

describe('gradient descent vs gradient flow', () => {
  const distribution = distributionFromSpec({ kind: 'gaussian', sigma: 10 });
  for (const [sigmaA, eta] of [
    [0, 2],
    [0, 0.2],
    [1, 0.05],
  ] as const)
    it(`Richardson agrees with the exact distance (σ_a = ${sigmaA}, η = ${eta})`, () => {
      const options = { grid, distribution, sigmaA, u0, eta, times: [0, 1, 3, 6] };
      const exact = gradientFlowDistance({ ...options, method: 'eigen' }).relL2;
      const estimate = gradientFlowDistance(options).relL2;
      expect(exact).toBeGreaterThan(1e-4);
      // first order in η: the extrapolation is off by O(η²), small where the distance is small
      expect(Math.abs(estimate - exact) / exact).toBeLessThan(exact > 0.1 ? 0.5 : 0.1);
    });

  it("'auto' lowers η below 1/λ_max until within tolerance; a given η keeps its value", () => {
    const flowDistance = (eta: number) => ({ relL2: 0.3 * eta, method: 'linear' });
    const base = { lambdaMax: 0.25, times: [0, 1, 2, 80], tolerance: 0.01, maxSteps: 1e7, flowDistance };
    const auto = planLearningRate({ ...base, learningRate: 'auto' });
    expect(auto.learningRate).toBeLessThan(4);
    expect(0.3 * auto.learningRate).toBeLessThanOrEqual(0.01);
    expect(auto.gradientFlow?.relL2).toBeLessThanOrEqual(0.01);
    expect(auto.findings.map((f) => f.level)).toEqual(['note']);
    const given = planLearningRate({ ...base, learningRate: 0.5 });
    expect(given.learningRate).toBe(0.5);
    expect(given.findings.map((f) => [f.level, f.field])).toEqual([['warning', 'training.learningRate']]);
    // snapshots would merge: η above the smallest gap
    const merging = planLearningRate({ ...base, learningRate: 1.5 });
    expect(merging.findings[0]).toMatchObject({ level: 'error', field: 'training.learningRate' });
    // too many steps
    const long = planLearningRate({ ...base, learningRate: 1e-6, flowDistance: undefined });
    expect(long.findings[0]).toMatchObject({ level: 'error', field: 'training.time', value: 8e7 });
  });
});

describe('checks', () => {
  it("ρ_w's mass beyond Nyquist: the Monte Carlo figure matches the Cauchy closed form", () => {
    const nyquist = Math.PI / grid.h[0];
    for (const gamma of [0.2, 1, 3]) {
      const exact = 1 - (2 / Math.PI) * Math.atan(nyquist / gamma);
      const [f] = checkDistribution(grid, distributionFromSpec({ kind: 'cauchy', gamma }));
      expect(f.value).toBeCloseTo(exact, 2);
      expect(Math.abs(f.value! - exact)).toBeLessThan(4 * Math.sqrt(exact / 2 ** 17));
      expect(f.level).toBe(exact > 0.05 ? 'error' : 'warning');
    }
    expect(checkDistribution(grid, distributionFromSpec({ kind: 'gaussian', sigma: 5 }))).toEqual([]);
  });

  it('a zero target, and a sine beyond Nyquist, are errors naming the field', () => {
    const zero = new Float64Array(grid.size);
    const spectrum = errorSpectrum(grid, g);
    expect(checkTarget(config(), grid, zero, errorSpectrum(grid, zero))[0]).toMatchObject({
      level: 'error',
      field: 'target',
    });
    const alias = config({ target: { kind: 'sines', frequencies: [3, 30] } });
    expect(checkTarget(alias, grid, g, spectrum)[0]).toMatchObject({
      level: 'error',
      field: 'target.frequencies[1]',
    });
    expect(checkTarget(config(), grid, g, spectrum)).toEqual([]);
    // amplitudes whose loss over- or underflows double precision
    for (const scale of [1e200, 1e-200]) {
      const scaled = g.map((v) => v * scale);
      const [f] = checkTarget(config(), grid, scaled, errorSpectrum(grid, g));
      expect(f).toMatchObject({ level: 'error', field: 'target' });
      expect(f.message).toMatch(scale > 1 ? /overflows/ : /underflows/);
    }
  });

  it('a band holding no error, or beyond Nyquist, is an error', () => {
    const spectrum = errorSpectrum(grid, g);
    expect(checkBand(config({ comparison: { band: 0.001 } }), grid, spectrum)[0]).toMatchObject({
      level: 'error',
      field: 'comparison.band',
    });
    expect(checkBand(config({ pde: { band: 40 } }), grid, spectrum)[0]).toMatchObject({ field: 'pde.band' });
    expect(checkBand(config({ comparison: { band: 20 } }), grid, spectrum)).toEqual([]);
  });

  it('a PDE mesh too coarse for û₀ or for ρ_s is an error; a fine one passes', () => {
    const verdict = (cells: number, sigma = 10) => {
      const c = config({
        pde: { degree: 1, cellsPerAxis: cells },
        distribution: { kind: 'gaussian', sigma },
      });
      const distribution = distributionFromSpec(c.distribution as never);
      const mesh = pdeMesh(c, distribution);
      const nodes = mesh.points; // P1: the dofs are the vertices
      const at = spectrumAt(grid, u0, nodes);
      // read back = linear interpolation of the nodal values at fine points
      const fine = Float64Array.from({ length: 801 }, (_, j) => -20 + (40 * j) / 800);
      const interp = (values: Float64Array) =>
        fine.map((x) => {
          let k = 0;
          while (k < nodes.length - 2 && nodes[k + 1] < x) k++;
          const s = (x - nodes[k]) / (nodes[k + 1] - nodes[k]);
          return (1 - s) * values[k] + s * values[k + 1];
        });
      const initial = {
        exact: spectrumAt(grid, u0, fine),
        readBack: { re: interp(at.re), im: interp(at.im) },
      };
      return checkMesh(c, mesh, distribution, initial).map((f) => f.level);
    };
    expect(verdict(8)).toContain('error');
    expect(verdict(512)).toEqual([]);
    // ρ_s's scale: a narrow Gaussian on a coarse mesh
    expect(verdict(16, 0.5)).toContain('error');
  });

  it('resources: memory and step counts beyond the limits are refused with the estimate', () => {
    const limits = { memoryBytes: 2 ** 33, steps: 1e7 };
    const [wide] = checkResources(config({ network: { kind: 'twoLayer', width: 2 ** 30 } }), limits);
    expect(wide).toMatchObject({ level: 'error', field: 'network.width' });
    expect(wide.message).toMatch(/GiB/);
    const [fine] = checkResources(config({ pde: { dt: 1e-7 } }), limits);
    expect(fine).toMatchObject({ level: 'error', field: 'pde.dt', value: 3e7 });
    expect(checkResources(config(), limits)).toEqual([]);
    // a PDE step longer than the snapshot spacing is said, not silently shortened
    expect(checkResources(config({ pde: { dt: 100 } }), limits)[0]).toMatchObject({
      level: 'warning',
      field: 'pde.dt',
    });
  });

  it("resources: an operator's kernel K_L is counted, and refused by grid.n when too large", () => {
    const limits = { memoryBytes: 2 ** 34, steps: 1e7 };
    const big = (operator?: Record<string, unknown>) =>
      config({
        grid: { dim: 2, halfWidth: 8, n: 2048 },
        target: { kind: 'sines', frequencies: [[3, 0]] },
        distribution: { kind: 'gaussian', sigma: [10, 10] },
        pde: { degree: 1, cellsPerAxis: 64 },
        comparison: { frequencies: [] },
        ...(operator ? { operator } : {}),
      });
    // K_L on 4095² offsets at ~800 bytes each: 13 GB on top of the rest
    const plain = memoryEstimate(big());
    const helm = memoryEstimate(big({ kind: 'helmholtz', k: 2 }));
    expect(plain['kernel (operator)']).toBeUndefined();
    expect(helm['kernel (operator)']).toBeGreaterThan(1.3e10);
    expect(memoryEstimate(big({ kind: 'identity' }))['kernel (operator)']).toBeUndefined();
    expect(checkResources(big(), limits)).toEqual([]);
    const [refused] = checkResources(big({ kind: 'helmholtz', k: 2 }), limits);
    expect(refused).toMatchObject({ level: 'error', field: 'grid.n' });
    expect(refused.message).toMatch(/kernel \(operator\): 1\d\.\d GiB/);
  });

  it('claims name metrics and series the run has', () => {
    const bad = config({
      kernel: { enabled: false },
      claims: [
        { metric: 'nnVsPde.mean', op: '<=', value: 1 },
        // biome-ignore lint/suspicious/noThenProperty: a frequency, the config's own field name
        { kind: 'learningOrder', first: 3, then: 10, series: ['kernel'] },
        { metric: 'nnVsPde.maxInitial', op: '<=', value: 1 },
        { metric: 'nnVsPde.perSnapshot.01.relL2', op: '<=', value: 1 },
      ],
    });
    expect(checkClaims(bad).map((f) => f.field)).toEqual([
      'claims[0].metric',
      'claims[1].series',
      'claims[3].metric',
    ]);
  });

  it('a run too short to learn anything is a warning', () => {
    const spectrum = errorSpectrum(grid, g);
    const distribution = distributionFromSpec({ kind: 'gaussian', sigma: 10 });
    expect(
      checkLearning(config({ training: { time: 1e-6, snapshots: 2 } }), distribution, spectrum)[0],
    ).toMatchObject({
      level: 'warning',
      field: 'training.time',
    });
    expect(checkLearning(config(), distribution, spectrum)).toEqual([]);
  });
});
