import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/index.js';
import {
  crossingTime,
  type DesignGoal,
  designFiles,
  goalValue,
  learningTimeOf,
  listDesigns,
  loadDesignSpec,
  parseDesignSpec,
  predict,
  runDesign,
  searchMinimum,
} from '../src/design/index.js';

/*
 * freqbias design (issue 12): the goals on exact trajectories, the search on functions with a known
 * minimum, the spec's one-line errors, the PDE prediction against the exact σ_a = 0 solution, a
 * design whose optimum is known in closed form, and a small design verified by training.
 */

const root = fileURLToPath(new URL('../../../', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'freqbias-design-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A small 1D design spec (a config without distribution, plus goal and family). */
function spec1d(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'd1',
    grid: { dim: 1, halfWidth: 8, n: 256 },
    target: { kind: 'sines', frequencies: [10], window: 2 },
    network: { kind: 'twoLayer', width: 2048, sigmaA: 1, trainW: false },
    training: { learningRate: 'auto', time: 20, snapshots: 81 },
    pde: { degree: 2, cellsPerAxis: 256, dt: 0.02 },
    goal: { kind: 'fastest', lossFraction: 0.1 },
    family: { kind: 'gaussian', sigma: [2, 40], start: 4 },
    search: { scan: 7, tolerance: 0.005, outputs: 200 },
    ...extra,
  };
}

describe('goals', () => {
  it('crossingTime is exact on an exponential, inside and beyond the horizon', () => {
    const times = [0, 0.5, 1, 1.5, 2];
    const decay = times.map((t) => 3 * Math.exp(-0.7 * t));
    expect(crossingTime(times, decay, 3 * Math.exp(-0.7 * 1.2)).time).toBeCloseTo(1.2, 12);
    const beyond = crossingTime(times, decay, 3 * Math.exp(-0.7 * 5));
    expect(beyond.reached).toBe(false);
    expect(beyond.time).toBeCloseTo(5, 12);
    expect(
      crossingTime(
        times,
        times.map(() => 1),
        0.5,
      ).time,
    ).toBe(Infinity);
  });

  it('learning time: |û| falls by e', () => {
    const times = Array.from({ length: 11 }, (_, k) => k / 2);
    expect(
      learningTimeOf(
        times,
        times.map((t) => Math.exp(-t / 1.7)),
      ),
    ).toBeCloseTo(1.7, 12);
  });

  it('the learning-time spread is 0 on the profile, and the RMS of log ratios about their mean', () => {
    const band = [[2], [4]];
    const trajectory = (tau: number[]) => ({ times: [0, 10], loss: [1, 0.5], learningTimes: tau });
    const flat: DesignGoal = { kind: 'learningTimes', band: [2, 4], profile: 'flat' };
    expect(goalValue(flat, band, trajectory([3, 3])).value).toBe(0);
    // log(τ) = log 3 ± log(2)/2: spread log(2)/2
    expect(goalValue(flat, band, trajectory([3 / Math.SQRT2, 3 * Math.SQRT2])).value).toBeCloseTo(
      Math.LN2 / 2,
      12,
    );
    const decreasing: DesignGoal = { kind: 'learningTimes', band: [2, 4], profile: 'decreasing' };
    expect(goalValue(decreasing, band, trajectory([5, 2.5])).value).toBeCloseTo(0, 12);
    expect(goalValue(flat, band, trajectory([3, Infinity])).value).toBe(Infinity);
  });
});

describe('searchMinimum', () => {
  it('finds the minimum of a function of log x to the tolerance, and never solves a point twice', async () => {
    const seen = new Set<number>();
    const r = await searchMinimum(
      async ([x]) => {
        expect(seen.has(x)).toBe(false);
        seen.add(x);
        return { value: (Math.log(x) - 1.3) ** 2, secondary: 0, info: null };
      },
      { lower: [0.1], upper: [100], start: [1], scan: 9, tolerance: 1e-4, rounds: 1 },
    );
    expect(Math.abs(r.best.x[0] / Math.exp(1.3) - 1)).toBeLessThan(1e-4);
  });

  it('treats Infinity and NaN as infeasible, and a minimum at the range end is found', async () => {
    const r = await searchMinimum(
      async ([x]) => ({ value: x > 20 ? Number.NaN : x < 2 ? Infinity : 1 / x, secondary: 0, info: null }),
      { lower: [1], upper: [50], start: [5], scan: 9, tolerance: 1e-3, rounds: 1 },
    );
    expect(r.best.x[0]).toBeGreaterThan(19.9);
    expect(r.best.x[0]).toBeLessThanOrEqual(20);
  });

  it('two parameters by coordinate search; ties decided by the secondary value', async () => {
    const r = await searchMinimum(
      async ([x, y]) => ({ value: Math.log(x / 3) ** 2 + Math.log(y / 7) ** 2, secondary: 0, info: null }),
      { lower: [1, 1], upper: [30, 30], start: [5, 5], scan: 7, tolerance: 1e-3, rounds: 2 },
    );
    expect(Math.abs(r.best.x[0] / 3 - 1)).toBeLessThan(2e-3);
    expect(Math.abs(r.best.x[1] / 7 - 1)).toBeLessThan(2e-3);
    // a plateau of equal values: the tie goes to the smallest secondary (the smallest x here)
    const plateau = await searchMinimum(async ([x]) => ({ value: x < 4 ? 1 : 0, secondary: x, info: null }), {
      lower: [1],
      upper: [100],
      start: [50],
      scan: 9,
      tolerance: 1e-3,
      rounds: 1,
      tie: 1e-9,
    });
    const zeros = plateau.evaluations.filter((e) => e.value === 0).map((e) => e.x[0]);
    expect(plateau.best.x[0]).toBe(Math.min(...zeros));
  });
});

describe('the design spec', () => {
  const errorOf = (json: unknown) => {
    try {
      parseDesignSpec(json, 'spec.json');
    } catch (error) {
      return (error as Error).message;
    }
    return 'no error';
  };

  it('refuses bad specs in one line naming the field', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ distribution: { kind: 'gaussian', sigma: 3 } }, /^spec\.json: distribution: a design spec has none/],
      [
        { goal: { kind: 'fastest', lossFraction: 1.5 } },
        /^spec\.json: goal\.lossFraction: expected a number in \(0, 1\)/,
      ],
      [{ goal: { kind: 'fastest' } }, /^spec\.json: goal\.lossFraction/],
      [{ goal: { kind: 'slowest' } }, /^spec\.json: goal/],
      [
        { family: { kind: 'gaussian', sigma: [5, 2] } },
        /^spec\.json: family\.sigma: expected a range \[lo, hi\] with lo < hi/,
      ],
      [
        { family: { kind: 'gaussian', sigma: [2, 40], start: 90 } },
        /^spec\.json: family\.start: expected a value in the family's range/,
      ],
      [
        { family: { kind: 'gaussian', sigma: [2, 40], anisotropic: true } },
        /^spec\.json: family\.anisotropic/,
      ],
      [{ family: { kind: 'cauchy', gamma: [1, 2] } }, /^spec\.json: family/],
      [{ family: { kind: 'gaussian', sigmaa: [1, 2] } }, /^spec\.json: family\.sigmaa: unknown key/],
      [
        {
          goal: {
            kind: 'learningTimes',
            band: [
              [3, 0],
              [5, 0],
            ],
          },
        },
        /^spec\.json: goal\.band\[0\]: expected a frequency ξ \(grid\.dim is 1\)/,
      ],
      [
        { goal: { kind: 'learningTimes', band: [3, 5, 7], profile: [1, 2] } },
        /^spec\.json: goal\.profile: expected 3 values/,
      ],
      [{ grid: { dim: 1, halfWidth: 8, n: -4 } }, /^spec\.json: grid\.n: expected an integer ≥ 4, got -4/],
      [{ network: { kind: 'deep', width: 64, depth: 2 } }, /^spec\.json: network/],
      [{ search: { scan: 2 } }, /^spec\.json: search\.scan: expected an integer ≥ 3/],
    ];
    for (const [change, pattern] of cases) {
      const message = errorOf(spec1d(change));
      expect(message, JSON.stringify(change)).toMatch(pattern);
      expect(message.split('\n')).toHaveLength(1);
    }
    expect(errorOf([1, 2])).toMatch(/^spec\.json: expected a design spec object/);
  });

  it('a band frequency without target spectrum is refused before any solve', async () => {
    const spec = parseDesignSpec(
      spec1d({ goal: { kind: 'learningTimes', band: [10, 20] } }),
      join(tmp, 'spec.json'),
    );
    await expect(runDesign(spec, { verify: false })).rejects.toThrow(
      /spec\.json: goal\.band\[1\]: ξ = 20 holds almost none of the target's spectrum/,
    );
  });

  it('the bundled designs parse', () => {
    const names = listDesigns().map((d) => d.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'fastest-1d',
        'fastest-1d-mixture',
        'fastest-2d',
        'flat-1d',
        'flat-1d-free',
        'helmholtz-flat-1d',
      ]),
    );
    for (const name of names) expect(loadDesignSpec(name).name).toBe(name);
    expect(() => loadDesignSpec('fastest-1')).toThrow(/did you mean "fastest-1d"/);
  });
});

describe('the PDE prediction', () => {
  it('with w frozen (no diffusion) the learning time at ξ is 1/((2π) ρ_s(ξ)), as THEORY §4 says', () => {
    const spec = parseDesignSpec(
      spec1d({
        target: { kind: 'sines', frequencies: [6, 10], window: 2 },
        pde: { degree: 2, cellsPerAxis: 512, dt: 0.005 },
        goal: { kind: 'learningTimes', band: [6, 10] },
      }),
      join(tmp, 'spec.json'),
    );
    const sigma = 9;
    const p = predict(spec, { kind: 'gaussian', sigma }, {}, 2000);
    [6, 10].forEach((xi, q) => {
      const rho = Math.exp(-(xi * xi) / (2 * sigma * sigma)) / (Math.sqrt(2 * Math.PI) * sigma);
      expect(Math.abs(p.learningTimes[q] * 2 * Math.PI * rho - 1)).toBeLessThan(2e-3);
    });
  });

  it('the fastest Gaussian for one frequency κ without diffusion is σ_w ≈ κ (ρ(κ) is largest at σ = κ)', async () => {
    const spec = parseDesignSpec(spec1d(), join(tmp, 'spec.json'));
    const design = await runDesign(spec, { verify: false });
    // the target's spectrum has width 1/2 about κ = 10: the optimum moves by a few per cent, not more
    expect(Math.abs(design.designed.parameters[0] / 10 - 1)).toBeLessThan(0.04);
    expect(design.designed.prediction.goal.value).toBeLessThan(design.start.prediction.goal.value);
    // every candidate beyond σ = 40 is out of range; the scan covered [2, 40]
    const xs = design.candidates.map((c) => c.parameters[0]);
    expect(Math.min(...xs)).toBeCloseTo(2, 10);
    expect(Math.max(...xs)).toBeCloseTo(40, 10);
  });
});

describe('a design verified by training', () => {
  it('writes design.json whose distribution is a config block, and beats the start on the network', async () => {
    const spec = parseDesignSpec(spec1d({ search: { scan: 5, tolerance: 0.05 } }), join(tmp, 'spec.json'));
    const design = await runDesign(spec);
    const v = design.verification!;
    expect(v.improved).toBe(true);
    expect(v.designed.goal.value).toBeLessThan(v.start.goal.value);
    // at the PDE's optimum, the trained network's time to 10% of its loss agrees with its PDE's to a few per cent
    const first = design.refinement![0];
    expect(first.parameters).toEqual(design.candidates.length ? [expect.any(Number)] : []);
    expect(Math.abs(first.value / first.pdeValue - 1)).toBeLessThan(0.05);
    // the refinement trained the PDE's optimum first and kept the best measured
    const refinement = design.refinement!;
    expect(refinement).toHaveLength(4);
    expect(v.designed.goal.value).toBe(Math.min(...refinement.map((r) => r.value)));
    expect(v.designed.goal.value).toBeLessThanOrEqual(refinement[0].value);
    const files = await designFiles(design);
    const json = JSON.parse(files['design.json'] as string);
    expect(json.distribution).toEqual({ kind: 'gaussian', sigma: design.designed.parameters[0] });
    expect(() =>
      parseConfig({ ...spec.configJson, distribution: json.distribution }, 'x.json'),
    ).not.toThrow();
    expect(json.verification.designed.report).toBe('designed/report.json');
    for (const name of ['design.html', 'loss.png', 'search.png', 'designed/report.json', 'start/report.json'])
      expect(files[name], name).toBeDefined();
  }, 180_000);
});

describe('freqbias design (the CLI)', () => {
  const cli = join('packages', 'compare', 'src', 'cli.ts');
  const run = (...args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((done, fail) => {
      const child = spawn(process.execPath, ['--import', 'tsx', cli, 'design', ...args], { cwd: root });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', fail);
      child.on('close', (code) => done({ code, stdout, stderr }));
    });

  it('a bad spec and a foreign output folder are one-line errors before any solve; --no-verify writes the folder', async () => {
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, JSON.stringify(spec1d({ goal: { kind: 'fastest', lossFraction: 2 } })));
    const good = join(tmp, 'good.json');
    writeFileSync(good, JSON.stringify(spec1d({ search: { scan: 3, tolerance: 0.2 } })));
    const foreign = join(tmp, 'foreign');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'notes.txt'), 'mine');
    const out = join(tmp, 'out');
    const [badSpec, badFolder, ok] = await Promise.all([
      run(bad, '--out', join(tmp, 'never')),
      run(good, '--out', foreign),
      run(good, '--out', out, '--no-verify'),
    ]);
    expect(badSpec.code).toBe(1);
    expect(badSpec.stderr.trim()).toMatch(
      /^freqbias: .*bad\.json: goal\.lossFraction: expected a number in \(0, 1\)/,
    );
    expect(badSpec.stderr.trim().split('\n')).toHaveLength(1);
    expect(badFolder.code).toBe(1);
    expect(badFolder.stderr).toMatch(/notes\.txt|not written by freqbias|foreign/);
    expect(readFileSync(join(foreign, 'notes.txt'), 'utf8')).toBe('mine');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/not verified by training/);
    const json = JSON.parse(readFileSync(join(out, 'design.json'), 'utf8'));
    expect(json.verification).toBeUndefined();
    expect(json.distribution.kind).toBe('gaussian');
  }, 120_000);

  it('says when goals are extrapolated, and exits 3 with --no-verify when the design is predicted no better', async () => {
    const base = {
      name: 'w1',
      grid: { dim: 1, halfWidth: 8, n: 256 },
      target: { kind: 'sines', frequencies: [3, 10, 25] },
      network: { kind: 'twoLayer', width: 1024, sigmaA: 1 },
      training: { learningRate: 'auto', time: 30, snapshots: 61 },
      pde: { degree: 1, cellsPerAxis: 256, dt: 0.05 },
      search: { pde: { cellsPerAxis: 128, dt: 0.05 }, iterations: 5, outputs: 100 },
    };
    // a box start: the loss never falls to 5% by t = 30 (extrapolated), the free table does better
    const far = join(tmp, 'far.json');
    writeFileSync(
      far,
      JSON.stringify({
        ...base,
        goal: { kind: 'fastest', lossFraction: 0.05 },
        family: { kind: 'free', support: 40, cells: 10, start: { kind: 'uniformBox', B: 20 } },
      }),
    );
    // found better on the coarse search PDE, but no better on the config's own (measured)
    const worse = join(tmp, 'worse.json');
    writeFileSync(
      worse,
      JSON.stringify({
        ...base,
        target: { kind: 'sines', frequencies: [4, 8, 12, 16, 20] },
        goal: { kind: 'learningTimes', band: { from: 4, to: 20, count: 5 } },
        family: { kind: 'mixture', components: 3, center: [0, 35], width: [2, 30] },
      }),
    );
    const [a, b] = await Promise.all([
      run(far, '--out', join(tmp, 'far'), '--no-verify'),
      run(worse, '--out', join(tmp, 'worse'), '--no-verify'),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toMatch(/warning: some goal values are extrapolated beyond training\.time/);
    expect(a.stdout).not.toMatch(/no better than the start/);
    expect(b.code, b.stderr).toBe(3);
    expect(b.stdout).toMatch(/warning: the designed ρ_w is predicted no better than the start/);
    const json = JSON.parse(readFileSync(join(tmp, 'worse', 'design.json'), 'utf8'));
    expect(json.predicted.goal.value).toBeGreaterThanOrEqual(json.start.predicted.goal.value);
  }, 120_000);
});
