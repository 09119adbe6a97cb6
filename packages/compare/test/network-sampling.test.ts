import { distributionFromSpec } from '@freqbias/nn';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/config/index.js';
import { checkDistribution } from '../src/pipeline/checks/index.js';
import { runContext } from '../src/pipeline/context.js';
import { makeModel } from '../src/pipeline/network.js';
import { pdeMesh } from '../src/pipeline/pde.js';

/** A small 1D config; `network` and `distribution` fields override the defaults. */
const config = (
  network: Record<string, unknown> = {},
  distribution: Record<string, unknown> = { kind: 'gaussian', sigma: 10 },
) => ({
  name: 'sampling',
  grid: { dim: 1, halfWidth: 8, n: 512 },
  target: { kind: 'sines', frequencies: [3, 10] },
  distribution,
  network: { kind: 'twoLayer', width: 1024, ...network },
  training: { learningRate: 0.05, time: 1, snapshots: 3 },
  comparison: { frequencies: [3, 10] },
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

describe('network.sampling', () => {
  it('defaults to "random" in the resolved config; "stratified" is kept', () => {
    const random = parseConfig(config());
    expect(random.network.kind === 'twoLayer' && random.network.sampling).toBe('random');
    const strat = parseConfig(config({ sampling: 'stratified' }));
    expect(strat.network.kind === 'twoLayer' && strat.network.sampling).toBe('stratified');
  });
  it('an unknown value is a one-line error naming network.sampling', () => {
    const message = messageOf(config({ sampling: 'sobol' }));
    expect(message).toMatch(/network\.sampling: expected one of "random", "stratified", got "sobol"/);
    expect(message.split('\n').filter((l) => l.includes('network.sampling'))).toHaveLength(1);
  });
  it('reaches the network: stratified w, the same a and b', async () => {
    const c = parseConfig(config({ sampling: 'stratified' }));
    const r = parseConfig(config());
    const ctx = runContext(c, {});
    const strat = makeModel(c, ctx.distribution, 3);
    const random = makeModel(r, ctx.distribution, 3);
    expect(strat.kind === 'two-layer' && strat.sampling).toBe('stratified');
    if (strat.kind !== 'two-layer' || random.kind !== 'two-layer')
      throw new Error('expected two-layer networks');
    expect(strat.parameters.a).toEqual(random.parameters.a);
    expect(strat.parameters.w).not.toEqual(random.parameters.w);
    // the drawn half (mirrored: every other w) has one w per 1/512 of ρ_w's mass, in order
    const F = (x: number) => distributionFromSpec({ kind: 'gaussian', sigma: 10 }).cdf?.([x]) ?? Number.NaN;
    for (let j = 0; j < 512; j++) {
      const u = F(strat.parameters.w[2 * j]);
      expect(u).toBeGreaterThanOrEqual(j / 512 - 1e-12);
      expect(u).toBeLessThan((j + 1) / 512 + 1e-12);
    }
    await strat.dispose();
    await random.dispose();
  });
  it('reaches a deep network: stratified W, one per 1/m of ρ_w’s mass', async () => {
    const deep = { kind: 'deep', width: 64, hiddenLayers: 1, hiddenWidth: 8 };
    const c = parseConfig(config({ ...deep, sampling: 'stratified' }));
    expect(c.network.kind === 'deep' && c.network.sampling).toBe('stratified');
    expect(parseConfig(config(deep)).network.sampling).toBe('random');
    const net = makeModel(c, runContext(c, {}).distribution, 1);
    if (net.kind !== 'deep') throw new Error('expected a deep network');
    const [w] = await net.variables();
    const F = (x: number) => distributionFromSpec({ kind: 'gaussian', sigma: 10 }).cdf?.([x]) ?? Number.NaN;
    const strata = new Set(Array.from(w.dataSync(), (x) => Math.min(63, Math.floor(64 * F(x)))));
    expect(strata.size).toBe(64);
    net.dispose();
  });
  it('a ρ_w without an inverse CDF is refused by parseConfig (so also in a study), naming network.sampling', () => {
    const mixture2d = {
      kind: 'mixture',
      weights: [1, 1],
      components: [
        { kind: 'gaussian', sigma: [2, 2] },
        { kind: 'gaussian', sigma: [2, 2], center: [3, 0] },
      ],
    };
    const raw = config({ sampling: 'stratified' }, mixture2d);
    Object.assign(raw, {
      grid: { dim: 2, halfWidth: 6, n: 32 },
      target: { kind: 'sines', frequencies: [[3, 0]] },
      comparison: { frequencies: [] },
    });
    const message = messageOf(raw);
    expect(message).toMatch(/^bad\.json: network\.sampling: "stratified" needs an inverse CDF[^\n]*$/);
    // the same ρ_w with random sampling parses, and the network refuses it too if built directly
    const c = parseConfig({ ...raw, network: { ...raw.network, sampling: 'random' } });
    const forced = { ...c, network: { ...c.network, sampling: 'stratified' } } as typeof c;
    expect(() => makeModel(forced, runContext(c, {}).distribution, 0)).toThrow(
      /^network\.sampling: "stratified" needs an inverse CDF[^\n]*$/,
    );
  });
});

describe('tabulated ρ_w in an experiment config', () => {
  const hat = { kind: 'tabulated', nodes: [-30, 0, 30], values: [0, 1, 0] };
  it('is accepted (1D, and 2D by axes), with stratified sampling', () => {
    const c = parseConfig(config({ sampling: 'stratified' }, hat));
    expect(c.distribution).toEqual(hat);
    const ctx = runContext(c, {});
    expect(ctx.distribution.symmetricDensity([10])).toBeCloseTo(20 / 900, 15);
    // the PDE mesh has nodes on the ends of the support (where ρ_s has a kink or a jump) and grades towards the peak
    const mesh = pdeMesh(c, ctx.distribution);
    const xs = Array.from(mesh.points);
    for (const x of [-30, 30]) expect(xs.some((v) => Math.abs(v - x) < 1e-9)).toBe(true);
    const two = {
      kind: 'tabulated',
      axes: [
        { nodes: [-30, 0, 30], values: [0, 1, 0] },
        { support: [-5, 15], values: [1, 2, 1] },
      ],
    };
    const raw2 = config({}, two);
    Object.assign(raw2, {
      grid: { dim: 2, halfWidth: 6, n: 32 },
      target: { kind: 'sines', frequencies: [[3, 0]] },
      comparison: { frequencies: [] },
    });
    const c2 = parseConfig(raw2);
    const rho2 = runContext(c2, {}).distribution;
    expect(rho2.dim).toBe(2);
    expect(rho2.kernel([0, 0])).toBeCloseTo(1, 14);
  });
  it('a bad table is a one-line error naming distribution.<field>', () => {
    expect(messageOf(config({}, { kind: 'tabulated', support: [0, 1], values: [1, -2] }))).toMatch(
      /^bad\.json: distribution\.values\[1\]: expected a number ≥ 0, got -2$|distribution\.values\[1\]: expected a number ≥ 0, got -2/,
    );
    expect(messageOf(config({}, { kind: 'tabulated', nodes: [0, 2, 1], values: [1, 1, 1] }))).toMatch(
      /distribution\.nodes\[2\]: expected more than nodes\[1\] = 2 \(increasing\), got 1/,
    );
  });
  it('the aliasing check sees its mass beyond Nyquist (π/h ≈ 100.5 here)', () => {
    const wide = parseConfig(config({}, { kind: 'tabulated', support: [-300, 300], values: [1, 1] }));
    const ctx = runContext(wide, {});
    const findings = checkDistribution(ctx.grid, ctx.distribution);
    expect(findings).toHaveLength(1);
    expect(findings[0].field).toBe('distribution');
    expect(findings[0].value).toBeCloseTo(200 / 300, 1);
    const narrow = parseConfig(config({}, hat));
    const n = runContext(narrow, {});
    expect(checkDistribution(n.grid, n.distribution)).toEqual([]);
  });
});
