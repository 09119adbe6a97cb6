import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONFIG_LIMITS, ConfigError, parseConfig, withOverrides } from '../src/config/index.js';

const good = () => ({
  name: 'gaussian-1d',
  description: 'Gaussian ρ_w: the frequency bias',
  grid: { dim: 1, halfWidth: 8, n: 512 },
  target: { kind: 'sines', frequencies: [3, 10, 25] },
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

/** A two-component mixture whose second component is `second`. */
const mixtureOf = (second: Record<string, unknown>) => ({
  kind: 'mixture',
  weights: [1, 1],
  components: [{ kind: 'gaussian', sigma: 3, center: 25 }, second],
});

/** Makes a raw config 2D (grid, target, comparison, claims), optionally with another distribution, target or n. */
function to2d(
  // biome-ignore lint/suspicious/noExplicitAny: mutating a raw config
  c: Record<string, any>,
  distribution?: Record<string, unknown>,
  target: Record<string, unknown> = {
    kind: 'sines',
    frequencies: [
      [3, 0],
      [0, 6],
    ],
  },
  n: number | number[] = 32,
) {
  c.grid = { dim: 2, halfWidth: 6, n };
  c.target = target;
  if (distribution) c.distribution = distribution;
  c.comparison = { frequencies: [] };
  c.claims = [];
}

function messageOf(json: unknown, options: { baseDir?: string } = {}): string {
  try {
    parseConfig(json, 'bad.json', options);
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
      sampling: 'random',
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
      target: {
        kind: 'sines',
        frequencies: [
          [3, 0],
          [0, 12],
        ],
      },
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
    ['negative n', (c) => (c.grid.n = -4), 'grid.n: expected an integer ≥ 4, got -4'],
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
      'netwrk: unknown key; did you mean "network"? (allowed: $schema, name, description',
    ],
    [
      'missing time',
      (c) => delete c.training.time,
      'training.time: expected a positive number, but it is missing',
    ],
    [
      'missing target kind',
      (c) => (c.target = { frequencies: [3] }),
      'target.kind: expected one of "sines", "bumps", "expression", "image", but it is missing',
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
    ['a name that is a path', (c) => (c.name = '../../evil'), 'name: expected a plain name'],
    ['a seed twice', (c) => (c.training.seeds = [0, 3, 0]), 'training.seeds: seed 0 appears twice or more'],
    [
      'adam for a two-layer network',
      (c) => (c.training.optimizer = 'adam'),
      'training.optimizer: "adam" is for deep networks',
    ],
    [
      'a kernel baseline for a deep network',
      (c) => {
        c.network = { kind: 'deep', width: 64 };
        c.pde = { enabled: false };
        c.kernel = { enabled: true };
        c.claims = [];
      },
      'kernel.enabled: expected false for a deep network',
    ],
    ['not an object', (c) => (c.grid = 5), 'grid: expected an object, got 5'],
    // target and distribution: @freqbias/nn's schemas, strict at every depth
    [
      'centre in the distribution',
      (c) => (c.distribution.centre = 25),
      'distribution.centre: unknown key; did you mean "center"? (allowed: kind, sigma, dim, center)',
    ],
    [
      'amplitude in the target',
      (c) => (c.target.amplitude = 2),
      'target.amplitude: unknown key; did you mean "amplitudes"? (allowed: kind, frequencies, amplitudes, phases, window)',
    ],
    [
      'scael in the distribution',
      (c) => (c.distribution = { kind: 'laplace', scael: 2 }),
      'distribution.scael: unknown key; did you mean "scale"? (allowed: kind, scale, dim, center)',
    ],
    [
      'scael: said once, not again as "scale is missing"',
      (c) => (c.distribution = { kind: 'laplace', scael: 2 }),
      'did you mean "scale"? (allowed: kind, scale, dim, center)',
    ],
    [
      'unknown key in a mixture component',
      (c) => (c.distribution = mixtureOf({ kind: 'gaussian', sigma: 2, centre: 25 })),
      'distribution.components[1].centre: unknown key; did you mean "center"? (allowed: kind, sigma, dim, center)',
    ],
    [
      'bad parameter in a mixture component',
      (c) => (c.distribution = mixtureOf({ kind: 'gaussian', sigma: -1 })),
      'distribution.components[1].sigma: expected a positive number, got -1',
    ],
    [
      'distribution kind',
      (c) => (c.distribution.kind = 'normal'),
      'distribution.kind: expected one of "gaussian", "uniformBox", "uniformDisk", "laplace", "cauchy", "mixture", "expression", "tabulated", got "normal"',
    ],
    [
      'target kind',
      (c) => (c.target.kind = 'windowedSines'),
      'target.kind: expected one of "sines", "bumps", "expression", "image", got "windowedSines"',
    ],
    [
      'mixture weights vs components',
      (c) => (c.distribution = { ...mixtureOf({ kind: 'gaussian', sigma: 2 }), weights: [1] }),
      'distribution.weights: expected 2 weight(s), one per component, got [1]',
    ],
    [
      'amplitudes vs frequencies',
      (c) => (c.target.amplitudes = [1]),
      'target.amplitudes: expected 3 value(s), one per frequency, got [1]',
    ],
    [
      'support corners',
      (c) => (c.distribution = { kind: 'expression', expression: '1', support: [[-40], [40, 40]] }),
      'distribution.support: expected corners with 1 coordinate(s) each, got [[-40],[40,40]]',
    ],
    [
      'support upside down',
      (c) => (c.distribution = { kind: 'expression', expression: '1', support: [[40], [-40]] }),
      "distribution.support[1][0]: expected more than the lower corner's 40, got -40",
    ],
    // dimensions against the grid
    [
      'uniformDisk in 1D',
      (c) => (c.distribution = { kind: 'uniformDisk', B: 10 }),
      'distribution: uniformDisk is 2D but grid.dim is 1',
    ],
    [
      'a 2-vector sigma in 1D',
      (c) => (c.distribution.sigma = [5, 20]),
      'distribution.sigma: 2 value(s) of sigma make gaussian 2D but grid.dim is 1',
    ],
    [
      'dim 2 in 1D',
      (c) => (c.distribution.dim = 2),
      'distribution.dim: dim 2 makes gaussian 2D but grid.dim is 1',
    ],
    [
      'a 2D centre in 1D',
      (c) => (c.distribution.center = [1, 2]),
      'distribution.center: 2 value(s) of center make gaussian 2D but grid.dim is 1',
    ],
    [
      'a uniformDisk component in 1D',
      (c) => (c.distribution = mixtureOf({ kind: 'uniformDisk', B: 10 })),
      'distribution.components[1]: uniformDisk is 2D but grid.dim is 1',
    ],
    [
      'a 2D support in 1D',
      (c) =>
        (c.distribution = {
          kind: 'expression',
          expression: '1',
          support: [
            [-1, -1],
            [1, 1],
          ],
        }),
      'distribution.support: a support with 2-coordinate corners is 2D but grid.dim is 1',
    ],
    [
      'cauchy in 2D',
      (c) => to2d(c, { kind: 'cauchy', gamma: 5 }),
      'distribution: cauchy is 1D but grid.dim is 2',
    ],
    [
      '2D target frequencies in 1D',
      (c) => (c.target.frequencies = [[3, 0]]),
      'target.frequencies: sines with 2-coordinate frequencies is 2D but grid.dim is 1',
    ],
    [
      '1D target frequencies in 2D',
      (c) => {
        to2d(c);
        c.target.frequencies = [3];
      },
      'target.frequencies: sines with 1-coordinate frequencies is 1D but grid.dim is 2',
    ],
    [
      'an image in 1D',
      (c) => (c.target = { kind: 'image', path: 'photo.png' }),
      'target: image is 2D but grid.dim is 1',
    ],
    // what only nn's constructors can tell, at parse time
    [
      'a distribution expression that does not parse',
      (c) => (c.distribution = { kind: 'expression', expression: 'exp(-xi^2', support: [[-40], [40]] }),
      'distribution.expression: does not parse',
    ],
    [
      'a negative density',
      (c) => (c.distribution = { kind: 'expression', expression: 'xi', support: [[-40], [40]] }),
      'distribution.expression: negative',
    ],
    [
      'a component expression that does not parse',
      (c) => (c.distribution = mixtureOf({ kind: 'expression', expression: '1 +', support: [[-40], [40]] })),
      'distribution.components[1].expression: does not parse',
    ],
    [
      'a 2-value sigma beside dim 1',
      (c) => {
        c.distribution.sigma = [5, 20];
        c.distribution.dim = 1;
      },
      'distribution.sigma: expected 1 values (dim = 1), got 2',
    ],
    [
      'a target expression that does not parse',
      (c) => (c.target = { kind: 'expression', expression: 'sin(' }),
      'target.expression: does not parse',
    ],
    [
      'y in a 1D target expression',
      (c) => (c.target = { kind: 'expression', expression: 'x * y' }),
      'target.expression: cannot evaluate (variables are x)',
    ],
    [
      'a missing image',
      (c) => to2d(c, undefined, { kind: 'image', path: 'no-such-image.png' }),
      'target.path: no such file',
    ],
    // limits that keep a config from hanging or exhausting memory
    [
      'expression resolution',
      (c) =>
        (c.distribution = { kind: 'expression', expression: '1', support: [[-40], [40]], resolution: 1e9 }),
      'distribution.resolution: expected at most 4194304 for a 1D density',
    ],
    ['n = 2', (c) => (c.grid.n = 2), 'grid.n: expected an integer ≥ 4, got 2'],
    [
      'n = 2 on one axis',
      (c) => to2d(c, undefined, undefined, [64, 2]),
      'grid.n[1]: expected an integer ≥ 4, got 2',
    ],
    [
      'width above 2^30',
      (c) => (c.network.width = 2 ** 31),
      'network.width: expected a positive integer ≤ 2^30 (1073741824), got 2147483648',
    ],
    [
      'a billion snapshots',
      (c) => (c.training.snapshots = 1e9),
      'training.snapshots: expected a count ≤ 100000, got 1000000000',
    ],
    [
      'cellsPerAxis',
      (c) => (c.pde = { cellsPerAxis: 4 }),
      'pde.cellsPerAxis: expected an integer ≥ 8, got 4',
    ],
    [
      'Infinity (1e999 in JSON)',
      (c) => (c.network.sigmaA = JSON.parse('1e999')),
      'network.sigmaA: expected a positive number, got Infinity',
    ],
    [
      'Infinity in the distribution',
      (c) => (c.distribution.sigma = JSON.parse('1e999')),
      'distribution.sigma: expected a positive number or one per axis, got Infinity',
    ],
  ];
  for (const [title, mutate, expected] of cases)
    it(`rejects: ${title}`, () => {
      const c = good();
      mutate(c);
      const message = messageOf(c);
      expect(message).toContain(expected);
      expect(message.startsWith('bad.json: ')).toBe(true);
    });

  it('reports several problems in one line, the first named first', () => {
    // biome-ignore lint/suspicious/noExplicitAny: mutating a raw config
    const c: Record<string, any> = good();
    c.grid.n = 0;
    c.network.sigmaA = -1;
    const message = messageOf(c);
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(
      /^bad\.json: grid\.n: .*\(and 1 more: network\.sigmaA: expected a positive number, got -1\)$/,
    );
  });

  it('rejects non-objects at the top level', () => {
    expect(messageOf(42)).toContain('(config): expected an object, got 42');
  });
});

describe('parseConfig: target and distribution', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'freqbias-config-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  // a 2 × 2 white PNG
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAEUlEQVR4AWP8DwQMQMDEAAUAPfgEADYYS7QAAAAASUVORK5CYII=',
    'base64',
  );
  writeFileSync(join(tmp, 'white.png'), png);
  const image2d = (path: string) => {
    // biome-ignore lint/suspicious/noExplicitAny: a raw config
    const c: Record<string, any> = good();
    to2d(c, { kind: 'uniformDisk', B: 10 }, { kind: 'image', path });
    return c;
  };

  it('passes valid specs through unchanged', () => {
    const c = good();
    c.distribution = mixtureOf({ kind: 'laplace', scale: 2, center: -25 }) as never;
    const config = parseConfig(c, 'good.json');
    expect(config.distribution).toEqual(c.distribution);
    expect(config.target).toEqual(c.target);
    expect(parseConfig(image2d(join(tmp, 'white.png'))).distribution).toEqual({ kind: 'uniformDisk', B: 10 });
  });

  it("resolves an image path against the config's folder: baseDir, else the source's", () => {
    expect(parseConfig(image2d('white.png'), join(tmp, 'exp.json')).target).toEqual({
      kind: 'image',
      path: 'white.png',
    });
    expect(() => parseConfig(image2d('white.png'), 'exp.json', { baseDir: tmp })).not.toThrow();
    const message = messageOf(image2d('white.png'), { baseDir: join(tmp, 'elsewhere') });
    expect(message).toBe(`bad.json: target.path: no such file ${join(tmp, 'elsewhere', 'white.png')}`);
    writeFileSync(join(tmp, 'broken.png'), 'not a png');
    expect(messageOf(image2d('broken.png'), { baseDir: tmp })).toContain('target.path: not a readable PNG');
  });

  it('reports problems in the target and the distribution together, in one line', () => {
    // biome-ignore lint/suspicious/noExplicitAny: mutating a raw config
    const c: Record<string, any> = good();
    c.distribution.centre = 25;
    c.target.amplitude = 2;
    const message = messageOf(c);
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toContain('target.amplitude: unknown key');
    expect(message).toContain('distribution.centre: unknown key');
  });

  it('accepts the limits themselves', () => {
    const c = good();
    c.grid.n = CONFIG_LIMITS.minGridPoints;
    c.training.snapshots = CONFIG_LIMITS.maxSnapshots;
    (c as Record<string, unknown>).pde = { cellsPerAxis: CONFIG_LIMITS.minCellsPerAxis };
    const config = parseConfig(c);
    expect(config.training.snapshots).toHaveLength(CONFIG_LIMITS.maxSnapshots);
    expect(config.pde.cellsPerAxis).toBe(8);
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
