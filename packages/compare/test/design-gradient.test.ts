import { type DistributionSpec, distributionFromSpec } from '@freqbias/nn';
import { describe, expect, it } from 'vitest';
import {
  crossingTime,
  crossingTimeGradient,
  freeFamily,
  goalGradient,
  gradientFamily,
  gradientProblem,
  minimiseLbfgs,
  mixtureFamily,
  parseDesignSpec,
  runDesign,
} from '../src/design/index.js';

/*
 * Gradient-based design (issue 12's mixture and free families): the parametrised densities against
 * nn's distributions built from their own blocks, every derivative against finite differences (the
 * densities', the crossing time's, the goal's through the PDE adjoint), L-BFGS on known minima, and
 * designs whose optimum is known in closed form when w is frozen (no diffusion: τ(ξ) = 1/((2π)ρ_s(ξ))).
 */

/** A deterministic pseudo-random sequence in [0, 1). */
function uniforms(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const families = () => {
  const start = (xi: Float64Array) => Math.exp(-(xi[0] ** 2 + (xi[1] ?? 0) ** 2) / 200);
  return {
    'mixture 1D': mixtureFamily({ dim: 1, components: 3, center: [0, 30], width: [2, 20] }),
    'mixture 2D': mixtureFamily({ dim: 2, components: 2, center: [-20, 20], width: [3, 15] }),
    'free 1D': freeFamily({ dim: 1, support: 40, cells: 10, start }),
    'free 2D': freeFamily({ dim: 2, support: 30, cells: 6, start }),
  };
};

describe('parametrised densities', () => {
  for (const [name, family] of Object.entries(families())) {
    it(`${name}: ρ_s is nn's distribution of its own block, and the pullback is its derivative`, () => {
      const rand = uniforms(7);
      const theta = family.start.map((t) => t + (rand() - 0.5));
      const d = family.dim;
      const points = Float64Array.from({ length: 40 * d }, () => (rand() - 0.5) * 70);
      const rho = distributionFromSpec(family.distribution(theta) as DistributionSpec, { dim: d });
      const values = family.density(theta, points);
      for (let p = 0; p < 40; p++) {
        const exact = rho.symmetricDensity(points.subarray(p * d, p * d + d));
        expect(Math.abs(values[p] - exact)).toBeLessThanOrEqual(1e-9 * Math.max(exact, 1e-6));
      }
      // (∂ρ/∂θ)ᵀ g against central differences of gᵀρ(θ)
      const g = Float64Array.from({ length: 40 }, () => rand() - 0.5);
      const pulled = family.pullback(theta, points, g);
      const f = (t: Float64Array) => family.density(t, points).reduce((s, v, p) => s + g[p] * v, 0);
      const scale = Math.max(...Array.from(pulled, Math.abs));
      expect(scale).toBeGreaterThan(0);
      for (let j = 0; j < theta.length; j++) {
        const e = 1e-5;
        const up = Float64Array.from(theta);
        const down = Float64Array.from(theta);
        up[j] += e;
        down[j] -= e;
        expect(Math.abs((f(up) - f(down)) / (2 * e) - pulled[j])).toBeLessThan(1e-6 * scale);
      }
    });
  }

  it('a mixture’s default start has no two components that are mirror images (ρ_s would merge them)', () => {
    for (const dim of [1, 2] as const) {
      const f = mixtureFamily({ dim, components: 4, center: [-20, 20], width: [2, 10] });
      const { names, values } = f.parameters(f.start);
      const centres = [0, 1, 2, 3].map((k) =>
        names.flatMap((n, i) => (n.startsWith(`center[${k}]`) ? [values[i]] : [])),
      );
      for (let i = 0; i < 4; i++)
        for (let j = 0; j < 4; j++) {
          const mirrored = Math.hypot(...centres[i].map((c, a) => c + centres[j][a]));
          expect(mirrored).toBeGreaterThan(1);
        }
    }
  });

  it('a free table integrates to 1 and its roughness gradient is its derivative', () => {
    const family = families()['free 1D'];
    const rand = uniforms(3);
    const theta = family.start.map((t) => t + rand());
    const rho = distributionFromSpec(family.distribution(theta) as DistributionSpec, { dim: 1 });
    let mass = 0;
    for (let k = 0; k < 80000; k++) mass += rho.density([-40 + (k + 0.5) * 0.001]) * 0.001;
    expect(mass).toBeCloseTo(1, 6);
    const r = family.roughness!(theta);
    for (let j = 0; j < theta.length; j++) {
      const up = Float64Array.from(theta);
      up[j] += 1e-6;
      const down = Float64Array.from(theta);
      down[j] -= 1e-6;
      const fd = (family.roughness!(up).value - family.roughness!(down).value) / 2e-6;
      expect(fd).toBeCloseTo(r.gradient[j], 6);
    }
    // a table exponential in |ξ| (log-linear) is smooth: roughness 0 away from the mirror point
    const ramp = Float64Array.from(theta, (_, j) => -0.1 * j);
    expect(family.roughness!(ramp).value).toBeCloseTo((0.2 * 0.2) / theta.length, 12);
  });
});

describe('crossing time derivative', () => {
  it('matches central differences inside and beyond the horizon', () => {
    const times = [0, 0.5, 1, 1.5, 2];
    const values = [1, 0.62, 0.35, 0.2, 0.13];
    for (const level of [0.3, 0.05]) {
      const r = crossingTimeGradient(times, values, level);
      expect(r.reached).toBe(level === 0.3);
      for (let k = 0; k < values.length; k++) {
        const up = [...values];
        const down = [...values];
        up[k] *= 1 + 1e-7;
        down[k] *= 1 - 1e-7;
        const fd =
          (crossingTime(times, up, level).time - crossingTime(times, down, level).time) / (2e-7 * values[k]);
        expect(r.slope[k]).toBeCloseTo(fd, 5);
      }
    }
  });
});

describe('L-BFGS', () => {
  it('finds the minimum of the Rosenbrock function', async () => {
    const r = await minimiseLbfgs(
      async (x) => ({
        value: (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2,
        gradient: Float64Array.of(
          -2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2),
          200 * (x[1] - x[0] ** 2),
        ),
      }),
      Float64Array.of(-1.2, 1),
      { iterations: 200, tolerance: 1e-14 },
    );
    expect(r.x[0]).toBeCloseTo(1, 4);
    expect(r.x[1]).toBeCloseTo(1, 4);
  });

  it('an infeasible region (Infinity) shortens the step instead of stopping', async () => {
    // minimum of (x − 3)² but x > 2.5 is infeasible: the descent ends just below 2.5
    const r = await minimiseLbfgs(
      async (x) => ({
        value: x[0] > 2.5 ? Infinity : (x[0] - 3) ** 2,
        gradient: Float64Array.of(2 * (x[0] - 3)),
      }),
      Float64Array.of(0),
      { iterations: 60, tolerance: 1e-12, maxStep: 4 },
    );
    expect(r.x[0]).toBeLessThanOrEqual(2.5);
    expect(r.x[0]).toBeGreaterThan(2.4);
  });
});

/** A small 1D design spec with a gradient family. */
function spec1d(
  family: Record<string, unknown>,
  goal: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  return {
    name: 'g1',
    grid: { dim: 1, halfWidth: 8, n: 256 },
    target: { kind: 'sines', frequencies: [6, 12, 18], window: 2 },
    network: { kind: 'twoLayer', width: 2048, sigmaA: 1 },
    training: { learningRate: 'auto', time: 20, snapshots: 81 },
    pde: { degree: 1, cellsPerAxis: 240, dt: 0.05, band: 30 },
    goal,
    family,
    search: { outputs: 60, iterations: 25 },
    ...extra,
  };
}

/** A 1D design on −f'' + 4f ≈ s (time runs |p|² faster: a short horizon). */
function helmholtzSpec(
  family: Record<string, unknown>,
  goal: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  return spec1d(family, goal, {
    operator: { kind: 'helmholtz', k: 2 },
    target: { kind: 'sines', frequencies: [1, 2, 3], window: 2 },
    training: { learningRate: 'auto', time: 0.3, snapshots: 61 },
    pde: { degree: 1, cellsPerAxis: 160, dt: 0.001, band: 8 },
    ...extra,
  });
}

describe('the goal gradient through the PDE adjoint', () => {
  const cases = {
    'fastest, mixture': spec1d(
      { kind: 'mixture', components: 2, center: [0, 25], width: [2, 20] },
      { kind: 'fastest', lossFraction: 0.2 },
    ),
    'fastest, free, Helmholtz (THEORY §7: v = p̄ r̂, mass 1/|p|²)': helmholtzSpec(
      { kind: 'free', support: 8, cells: 8 },
      { kind: 'fastest', lossFraction: 0.2 },
    ),
    'learning times, free': spec1d(
      { kind: 'free', support: 30, cells: 10 },
      { kind: 'learningTimes', band: [6, 12, 18], profile: 'flat' },
    ),
  };
  for (const [name, json] of Object.entries(cases)) {
    it(`${name}: matches central differences of the goal`, () => {
      const spec = parseDesignSpec(json, 'g1.json');
      const family = gradientFamily(spec.family as never, 1);
      const problem = gradientProblem(spec, family);
      const rand = uniforms(11);
      const theta = family.start.map((t) => t + 0.3 * (rand() - 0.5));
      const g = goalGradient(problem, family, theta);
      expect(Number.isFinite(g.goal.value)).toBe(true);
      const scale = Math.max(...Array.from(g.gradient, Math.abs));
      expect(scale).toBeGreaterThan(0);
      for (let j = 0; j < theta.length; j++) {
        const e = 1e-4;
        const up = Float64Array.from(theta);
        const down = Float64Array.from(theta);
        up[j] += e;
        down[j] -= e;
        const fd =
          (goalGradient(problem, family, up).goal.value - goalGradient(problem, family, down).goal.value) /
          (2 * e);
        expect(Math.abs(fd - g.gradient[j])).toBeLessThan(1e-4 * scale);
      }
    });
  }
});

describe('gradient designs with known optima (w frozen: no diffusion)', () => {
  it('a free table flattens the learning times over a band: ρ_s equal at its frequencies', async () => {
    const spec = parseDesignSpec(
      spec1d(
        { kind: 'free', support: 30, cells: 10 },
        { kind: 'learningTimes', band: [6, 12, 18], profile: 'flat' },
        { network: { kind: 'twoLayer', width: 2048, sigmaA: 1, trainW: false } },
      ),
      'g1.json',
    );
    const r = await runDesign(spec, { verify: false });
    expect(r.start.prediction.goal.value).toBeGreaterThan(0.3);
    // on the descent's PDE the spread falls below 0.1%, and ρ_s is equal at the band to 0.5%
    expect(Math.min(...r.candidates.map((c) => c.value))).toBeLessThan(1e-3);
    const rho = distributionFromSpec(r.designed.prediction.distribution as DistributionSpec, { dim: 1 });
    const at = [6, 12, 18].map((x) => rho.symmetricDensity([x]));
    expect(Math.max(...at) / Math.min(...at)).toBeLessThan(1.005);
    // the config's own PDE (another mesh, ρ_s at quadrature points) agrees to its discretisation error
    expect(r.designed.prediction.goal.value).toBeLessThan(0.05 * r.start.prediction.goal.value);
  });

  it("a start with a jump (a box) is improved, not smoothed at the goal's expense", async () => {
    const spec = parseDesignSpec(
      spec1d(
        { kind: 'free', support: 40, cells: 10, start: { kind: 'uniformBox', B: 20 } },
        { kind: 'fastest', lossFraction: 0.05 },
        {
          target: { kind: 'sines', frequencies: [3, 10, 25] },
          network: { kind: 'twoLayer', width: 1024, sigmaA: 1 },
          training: { learningRate: 'auto', time: 30, snapshots: 61 },
          pde: { degree: 1, cellsPerAxis: 256, dt: 0.05 },
          search: { pde: { cellsPerAxis: 128, dt: 0.05 }, iterations: 5, outputs: 100 },
        },
      ),
      'g1.json',
    );
    const r = await runDesign(spec, { verify: false });
    // the roughness penalty is measured in units of the start's own: the goal leads (measured 75 → 29)
    expect(r.designed.prediction.goal.value).toBeLessThan(0.6 * r.start.prediction.goal.value);
  });

  it('with an operator the flat design makes ρ_s|p|² equal over the band (τ = 1/((2π)ρ_s|p|²), THEORY §7)', async () => {
    const spec = parseDesignSpec(
      helmholtzSpec(
        { kind: 'free', support: 8, cells: 8 },
        { kind: 'learningTimes', band: [1, 2, 3], profile: 'flat' },
        { network: { kind: 'twoLayer', width: 2048, sigmaA: 1, trainW: false } },
      ),
      'g1.json',
    );
    const r = await runDesign(spec, { verify: false });
    expect(r.start.prediction.goal.value).toBeGreaterThan(0.3);
    expect(Math.min(...r.candidates.map((c) => c.value))).toBeLessThan(2e-3);
    const rho = distributionFromSpec(r.designed.prediction.distribution as DistributionSpec, { dim: 1 });
    const weighted = [1, 2, 3].map((x) => rho.symmetricDensity([x]) * (x * x + 4) ** 2);
    expect(Math.max(...weighted) / Math.min(...weighted)).toBeLessThan(1.01);
  });

  it('one Gaussian component for one frequency κ: centred on κ, as narrow as allowed', async () => {
    const spec = parseDesignSpec(
      spec1d(
        { kind: 'mixture', components: 1, center: [0, 25], width: [1, 20] },
        { kind: 'fastest', lossFraction: 0.1 },
        {
          target: { kind: 'sines', frequencies: [10], window: 2 },
          network: { kind: 'twoLayer', width: 2048, sigmaA: 1, trainW: false },
          pde: { degree: 1, cellsPerAxis: 600, dt: 0.05, band: 30 },
          search: { outputs: 100, iterations: 40 },
        },
      ),
      'g1.json',
    );
    const r = await runDesign(spec, { verify: false });
    const [, centre, width] = r.designed.parameters;
    // the window's spectrum is a narrow bump at κ = 10: the best centre is within its width
    expect(Math.abs(centre - 10)).toBeLessThan(0.3);
    expect(width).toBeLessThan(1.6);
    expect(r.designed.prediction.goal.value).toBeLessThan(0.5 * r.start.prediction.goal.value);
  });
});

describe('gradient family specs', () => {
  it('a starting guess that aliases on the grid is a one-line error naming family.start', async () => {
    const spec = parseDesignSpec(
      spec1d(
        { kind: 'mixture', components: 1, center: [60, 100], width: [2, 5] },
        { kind: 'fastest', lossFraction: 0.2 },
      ),
      'g1.json',
    );
    const error = await runDesign(spec, { verify: false }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(
      /^family\.start: the starting guess is refused \(distribution: /,
    );
    expect((error as Error).message.split('\n')).toHaveLength(1);
  });

  const base = (family: Record<string, unknown>) =>
    spec1d(family, { kind: 'learningTimes', band: [6, 12, 18], profile: 'flat' });
  const cases: [Record<string, unknown>, RegExp][] = [
    [
      { kind: 'free', support: 40, cells: 10 },
      /family\.support: B = 40 reaches beyond the PDE's band Ξ = 30/,
    ],
    [
      { kind: 'free', support: 30, cells: 100 },
      /family\.cells: the table's cells .* narrower than two PDE cells/,
    ],
    [{ kind: 'free', support: 30, cells: 1 }, /family\.cells: expected an integer from 2 to 256/],
    [{ kind: 'free', support: 30, smoothness: -1 }, /family\.smoothness: expected a number ≥ 0/],
    [
      { kind: 'mixture', components: 2, center: [0, 20], width: [0.1, 5] },
      /family\.width: the narrowest component/,
    ],
    [
      { kind: 'mixture', components: 9, center: [0, 20], width: [1, 5] },
      /family\.components: expected an integer from 1 to 8/,
    ],
    [
      { kind: 'mixture', components: 2, center: [0, 20], width: [1, 5], start: { weights: [1] } },
      /family\.start\.weights: expected 2 entries/,
    ],
    [
      { kind: 'mixture', components: 1, center: [0, 20], width: [1, 5], start: { centers: [25] } },
      /family\.start\.centers\[0\]: outside the family's center range \[0, 20\]/,
    ],
    [
      { kind: 'mixture', components: 1, center: [0, 20], width: [1, 5], start: { centers: [[1, 2]] } },
      /family\.start\.centers\[0\]: expected a number \(grid\.dim is 1\)/,
    ],
    [
      { kind: 'mixture', components: 1, center: [20, 0], width: [1, 5] },
      /family\.center: expected a range \[lo, hi\] with lo < hi/,
    ],
    [
      { kind: 'free', support: 30, start: { kind: 'gaussian', sigmaa: 3 } },
      /family\.start\.sigmaa: unknown key/,
    ],
  ];
  for (const [family, message] of cases)
    it(`refuses ${JSON.stringify(family)} in one line`, () => {
      let error: Error | undefined;
      try {
        parseDesignSpec(base(family), 'g1.json');
      } catch (e) {
        error = e as Error;
      }
      expect(error?.message).toMatch(message);
      expect(error?.message.split('\n')).toHaveLength(1);
    });
});
