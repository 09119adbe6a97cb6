import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, withOverrides } from '../src/config.js';

const good = () => ({
  name: 'gaussian-1d',
  description: 'Gaussian ρ_w: the frequency bias',
  grid: { dim: 1, halfWidth: 8, n: 512 },
  target: { kind: 'windowedSines', frequencies: [3, 10, 25] },
  distribution: { kind: 'gaussian', sigma: 10 },
  network: { kind: 'twoLayer', width: 32768, sigmaA: 1 },
  training: { time: 60, snapshots: 61 },
  comparison: { frequencies: [3, 10, 25] },
  claims: [
    { metric: 'nnVsPde.max', op: '<=', value: 0.12 },
    { kind: 'learningTimeRatio', numerator: 25, denominator: 3, op: '>=', value: 10 },
    { kind: 'learningTimesWithin', frequencies: [3, 10, 25], tolerance: 0.15 },
    // biome-ignore lint/suspicious/noThenProperty: config field, not a thenable
    { kind: 'learningOrder', first: 25, then: 3, series: ['nn'] },
  ],
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

describe('parseConfig', () => {
  it('resolves defaults', () => {
    const c = parseConfig(good(), 'good.json');
    expect(c.grid).toEqual({ dim: 1, halfWidth: [8], n: [512] });
    expect(c.network).toEqual({
      kind: 'twoLayer',
      width: 32768,
      sigmaA: 1,
      mirrored: true,
      trainW: true,
      engine: 'auto',
    });
    expect(c.training.learningRate).toBe('auto');
    expect(c.training.seeds).toEqual([0]);
    expect(c.training.snapshots).toHaveLength(61);
    expect(c.training.snapshots[60]).toBe(60);
    expect(c.training.snapshots[1]).toBeCloseTo(1, 14);
    expect(c.pde.enabled).toBe(true);
    expect(c.pde.band).toBeCloseTo(Math.PI / (16 / 512), 12);
    expect(c.pde.degree).toBe(1);
    expect(c.kernel.enabled).toBe(true);
    expect(c.comparison).toEqual({ band: 'auto', threshold: 1e-3, frequencies: [[3], [10], [25]] });
    expect(c.claims[0]).toEqual({ kind: 'metric', metric: 'nnVsPde.max', op: '<=', value: 0.12 });
    expect(c.claims[1]).toMatchObject({ numerator: [25], denominator: [3], series: ['nn', 'pde'] });
    expect(c.claims[3]).toMatchObject({ series: ['nn'] });
  });

  it('resolves a deep 2D config: no PDE, no kernel by default; box bands', () => {
    const c = parseConfig({
      ...good(),
      grid: { dim: 2, halfWidth: [6, 6], n: 48 },
      network: { kind: 'deep', width: 128, hiddenLayers: 2 },
      comparison: {
        band: [
          [-20, -20],
          [20, 20],
        ],
        frequencies: [
          [3, 0],
          [0, 12],
        ],
      },
      // biome-ignore lint/suspicious/noThenProperty: config field, not a thenable
      claims: [{ kind: 'learningOrder', first: [3, 0], then: [0, 12] }],
    });
    expect(c.network).toMatchObject({ kind: 'deep', hiddenWidth: 256, activation: 'tanh' });
    expect(c.pde.enabled).toBe(false);
    expect(c.kernel.enabled).toBe(false);
    expect(c.pde.cellsPerAxis).toBe(64);
    expect(c.comparison.band).toEqual({ lower: [-20, -20], upper: [20, 20] });
    expect(c.claims[0]).toMatchObject({ series: ['nn'] });
  });

  // biome-ignore lint/suspicious/noExplicitAny: the cases mutate raw configs freely
  const cases: [string, (c: Record<string, any>) => void, string][] = [
    ['negative n', (c) => (c.grid.n = -4), 'grid.n: expected a positive integer, got -4'],
    ['wrong dim', (c) => (c.grid.dim = 3), 'grid.dim: expected 1 or 2, got 3'],
    [
      'n per axis',
      (c) => (c.grid.n = [512, 512]),
      'grid.n: expected 1 value(s) for a 1D grid, got [512,512]',
    ],
    ['unknown key', (c) => (c.grid.spacing = 0.1), 'grid.spacing: unknown key (allowed: dim, halfWidth, n)'],
    [
      'unknown top-level key',
      (c) => (c.netwrk = {}),
      'netwrk: unknown key (allowed: $schema, name, description',
    ],
    [
      'missing time',
      (c) => delete c.training.time,
      'training.time: expected a positive number, but it is missing',
    ],
    [
      'missing target kind',
      (c) => (c.target = { frequencies: [3] }),
      'target.kind: expected a non-empty string, but it is missing',
    ],
    [
      'bad network kind',
      (c) => (c.network.kind = 'wide'),
      'network.kind: expected one of "twoLayer", "deep", got "wide"',
    ],
    [
      'bad engine',
      (c) => (c.network.engine = 'gpu'),
      'network.engine: expected one of "auto", "float64", "nufft", "tfjs", got "gpu"',
    ],
    [
      'odd mirrored width',
      (c) => (c.network.width = 1023),
      'network.width: expected an even width with mirrored initialisation, got 1023',
    ],
    [
      'fractional width',
      (c) => (c.network.width = 10.5),
      'network.width: expected a positive integer, got 10.5',
    ],
    ['deep-only key on twoLayer', (c) => (c.network.hiddenLayers = 3), 'network.hiddenLayers: unknown key'],
    [
      'learning rate',
      (c) => (c.training.learningRate = 'fast'),
      'training.learningRate: expected "auto" or a positive number, got "fast"',
    ],
    ['seeds', (c) => (c.training.seeds = [0, -1]), 'training.seeds[1]: expected an integer ≥ 0, got -1'],
    [
      'snapshot past the end',
      (c) => (c.training.snapshots = [0, 10, 70]),
      'training.snapshots: expected at least two increasing times within [0, training.time = 60]',
    ],
    ['degree', (c) => (c.pde = { degree: 3 }), 'pde.degree: expected 1 or 2, got 3'],
    [
      'pde for deep',
      (c) => {
        c.network = { kind: 'deep', width: 64 };
        c.pde = { enabled: true };
      },
      'pde.enabled: expected false for a deep network',
    ],
    [
      'band',
      (c) => (c.comparison.band = 'wide'),
      'comparison.band: expected "auto", a positive number Ξ or a box, got "wide"',
    ],
    [
      'threshold',
      (c) => (c.comparison.threshold = 2),
      'comparison.threshold: expected a number in (0, 1), got 2',
    ],
    [
      '2D frequency on 1D grid',
      (c) => (c.comparison.frequencies = [[3, 1]]),
      'comparison.frequencies[0]: expected a number ξ for a 1D grid, got [3,1]',
    ],
    [
      'claim op',
      (c) => (c.claims[0].op = '=<'),
      'claims[0].op: expected one of "<=", "<", ">=", ">", "==", got "=<"',
    ],
    [
      'claim kind',
      (c) => (c.claims[1].kind = 'ratio'),
      'claims[1].kind: expected one of "metric" (or no kind), "learningTimeRatio"',
    ],
    ['claim key', (c) => (c.claims[2].tol = 0.1), 'claims[2].tol: unknown key'],
    ['not an object', (c) => (c.grid = 5), 'grid: expected an object, got 5'],
  ];
  for (const [title, mutate, expected] of cases)
    it(`rejects: ${title}`, () => {
      const c = good();
      mutate(c);
      const message = messageOf(c);
      expect(message).toContain(expected);
      expect(message.startsWith('bad.json: ')).toBe(true);
    });

  it('reports several problems in one error, one per line', () => {
    // biome-ignore lint/suspicious/noExplicitAny: mutating a raw config
    const c: Record<string, any> = good();
    c.grid.n = 0;
    c.network.sigmaA = -1;
    const message = messageOf(c);
    expect(message).toContain('\n  grid.n:');
    expect(message).toContain('\n  network.sigmaA: expected a positive number, got -1');
  });

  it('rejects non-objects at the top level', () => {
    expect(messageOf(42)).toContain('(config): expected an object, got 42');
  });
});

describe('withOverrides', () => {
  it('applies --seed, --width and --time without touching the input', () => {
    const raw = { ...good(), training: { time: 60, snapshots: [0, 5, 30, 60] } };
    const c = parseConfig(withOverrides(raw, { seed: 7, width: 256, time: 20 }));
    expect(c.training.seeds).toEqual([7]);
    expect(c.network.width).toBe(256);
    expect(c.training.snapshots).toEqual([0, 5, 20]);
    expect(raw.training.time).toBe(60);
  });
});
