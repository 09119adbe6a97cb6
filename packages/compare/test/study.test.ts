import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  axisValues,
  canonicalJson,
  combine,
  leastSquaresSlope,
  listStudies,
  parseStudy,
  plotFile,
  pointId,
  sbatchScript,
  setConfigPath,
} from '../src/index.js';

/*
 * Studies without running them: ids (stable hashes of resolved configs), axis values and how axes
 * combine, config paths, the bundled studies, the job script, and bad study files — each one
 * line naming the file and the field, first through the library (fast), then a few through the CLI
 * as the bad-input tests do (exit 1, one `freqbias: …` line on stderr, nothing on stdout, nothing
 * written).
 */

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/tiny-1d.json', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'freqbias-study-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type Json = Record<string, unknown>;
const tiny = () => JSON.parse(readFileSync(fixture, 'utf8')) as Json;
/** A study of the tiny config over widths and seeds, with `changes` at the top level. */
const study = (changes: Json = {}): Json => ({
  name: 'tiny-study',
  base: tiny(),
  axes: [
    { path: 'network.width', values: [256, 512] },
    { path: 'seed', values: [0, 1] },
  ],
  ...changes,
});
const errorOf = (json: unknown, file = 'study.json') => {
  try {
    parseStudy(json, join(tmp, file));
  } catch (error) {
    return (error as Error).message.replace(`${join(tmp, file)}: `, 'study.json: ');
  }
  return 'no error';
};

describe('point ids', () => {
  it('canonical JSON sorts keys at every depth and ignores how the file was written', () => {
    expect(canonicalJson({ b: 1, a: [true, { d: null, c: 0.5 }], e: undefined })).toBe(
      '{"a":[true,{"c":0.5,"d":null}],"b":1}',
    );
    expect(canonicalJson({ x: { b: 2, a: 1 } })).toBe(canonicalJson({ x: { a: 1, b: 2 } }));
  });

  it('an id is 12 hex digits of the resolved config: the same for the same computation, new for another', () => {
    const s = parseStudy(study(), join(tmp, 'a.json'));
    expect(s.points.map((p) => p.id)).toHaveLength(4);
    for (const p of s.points) expect(p.id).toMatch(/^[0-9a-f]{12}$/);
    expect(new Set(s.points.map((p) => p.id)).size).toBe(4);
    // defaults written out, keys reordered, another name and description: the same points
    const explicit = tiny();
    explicit.network = {
      sigmaA: 1,
      engine: 'auto',
      mirrored: true,
      width: 512,
      kind: 'twoLayer',
      trainW: true,
    };
    explicit.name = 'another-name';
    explicit.description = 'another description';
    const again = parseStudy(
      study({
        name: 'renamed',
        base: explicit,
        axes: [
          { path: 'network.width', values: [512, 256] },
          { path: 'seed', values: [1, 0] },
        ],
      }),
      join(tmp, 'b.json'),
    );
    expect(new Set(again.points.map((p) => p.id))).toEqual(new Set(s.points.map((p) => p.id)));
    expect(pointId(again.points[0].config, tmp)).toBe(again.points[0].id);
    // the id of the same config from a file in another folder is the same
    mkdirSync(join(tmp, 'elsewhere'), { recursive: true });
    writeFileSync(join(tmp, 'elsewhere', 'base.json'), JSON.stringify(tiny()));
    const fromFile = parseStudy(study({ base: 'elsewhere/base.json' }), join(tmp, 'c.json'));
    expect(fromFile.points.map((p) => p.id)).toEqual(s.points.map((p) => p.id));
    expect(fromFile.points[0].config.name).toBe(`tiny-study-${fromFile.points[0].id}`);
  });
});

describe('axes and points', () => {
  it('ranges include both ends; a grid varies the last axis fastest; a zip pairs values', () => {
    expect(axisValues({ from: 1024, to: 1048576, factor: 4 })).toEqual([
      1024, 4096, 16384, 65536, 262144, 1048576,
    ]);
    expect(axisValues({ from: 0, to: 0.3, step: 0.1 })).toEqual([0, 0.1, 0.2, 0.3]);
    expect(axisValues({ from: 2, to: 1, step: 1 })).toMatch(/from ≤ to/);
    expect(combine([2, 3], 'grid')).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
      [1, 0],
      [1, 1],
      [1, 2],
    ]);
    expect(combine([3, 3], 'zip')).toEqual([
      [0, 0],
      [1, 1],
      [2, 2],
    ]);
    const s = parseStudy(study(), join(tmp, 'd.json'));
    expect(s.points.map((p) => p.values)).toEqual([
      { 'network.width': 256, seed: 0 },
      { 'network.width': 256, seed: 1 },
      { 'network.width': 512, seed: 0 },
      { 'network.width': 512, seed: 1 },
    ]);
    expect(s.points[3].config.network.width).toBe(512);
    expect(s.points[3].config.training.seeds).toEqual([1]);
    // without plots in the file: nnVsPde.max against the width
    expect(s.plots).toEqual([expect.objectContaining({ metric: 'nnVsPde.max', x: 'network.width' })]);
  });

  it('config paths: set inside arrays and objects, refused through numbers and past the end', () => {
    const c = { grid: { n: [4, 8] }, network: { width: 2 } };
    expect(setConfigPath(c, ['grid', 'n', 1], 16)).toBeUndefined();
    expect(c.grid.n).toEqual([4, 16]);
    expect(setConfigPath(c, ['pde', 'band'], 30)).toBeUndefined();
    expect(setConfigPath(c, ['network', 'width', 'x'], 1)).toBe('network.width is a number, not an object');
    expect(setConfigPath(c, ['grid', 'n', 5], 1)).toBe('grid.n has 2 entries, no [5]');
  });

  it('the bundled studies load and are those of the README', () => {
    expect(listStudies().map((s) => s.name)).toEqual([
      'sampling-1d',
      'sampling-1d-frozen',
      'sampling-2d',
      'sigma-a-scan',
      'sigma-w-scan',
      'width-scan',
    ]);
    const widths = parseStudy(
      JSON.parse(readFileSync(join(root, 'experiments', 'studies', 'width-scan.json'), 'utf8')),
      join(root, 'experiments', 'studies', 'width-scan.json'),
    );
    expect(widths.points).toHaveLength(24);
    // ids are stable across versions: these are the ids of the README's width-scan folder, written
    // before network.sampling existed (an option at its neutral default does not count)
    expect(widths.points.slice(0, 3).map((p) => p.id)).toEqual([
      '28269fd1395d',
      '081f7d3ece53',
      'e153ac8766b8',
    ]);
    const stratified = structuredClone(widths.points[0].config);
    (stratified.network as { sampling: string }).sampling = 'stratified';
    expect(pointId(stratified, root)).not.toBe(widths.points[0].id);
    expect(new Set(widths.points.map((p) => p.config.network.width))).toEqual(
      new Set([1024, 4096, 16384, 65536, 262144, 1048576]),
    );
  });

  it('plot file names: the metrics against the axis, cut to a sane length', () => {
    expect(plotFile(['nnVsPde.max'], 'network.width')).toBe('nnVsPde.max-vs-network.width.png');
    expect(plotFile(['nnVsPde.max', 'kernelVsPde.max'], 'network.width')).toBe(
      'nnVsPde.max-and-kernelVsPde.max-vs-network.width.png',
    );
    expect(plotFile(['learningTime.nn.25 / learningTime.nn.3'], 'distribution.sigma')).toBe(
      'learningTime.nn.25-over-learningTime.nn.3-vs-distribution.sigma.png',
    );
    const long = plotFile(
      Array.from({ length: 9 }, (_, k) => `learningTime.nn.${k}`),
      'distribution.components[0].sigma',
    );
    expect(long.length).toBeLessThanOrEqual(120 + '-vs-'.length + 60 + '.png'.length);
    expect(long).toMatch(/^learningTime\.nn\.0-and-.*[^-]-vs-distribution\.components-0-\.sigma\.png$/);
  });

  it('least squares: the slope of a power law in log–log', () => {
    const xs = [1024, 4096, 16384].map(Math.log);
    expect(
      leastSquaresSlope(
        xs,
        xs.map((x) => 3 - 0.5 * x),
      ),
    ).toBeCloseTo(-0.5, 12);
    expect(leastSquaresSlope([1, 1], [2, 3])).toBeNaN();
  });

  it('the job script: one array task per point, the point index from the task id, exit 3 not a failure', () => {
    const script = sbatchScript(
      's',
      [4, 0, 7],
      {
        node: '/usr/bin/node',
        nodeArgs: [],
        cli: '/opt/freqbias/cli.js',
        study: '/shared/s.json',
        out: '/shared/out dir',
        cwd: '/shared',
        pointArgs: ['--max-memory', '8'],
      },
      { partition: 'short', time: '1:00:00', parallel: 2 },
    );
    expect(script).toMatch(/^#!\/bin\/bash\n/);
    expect(script).toContain('#SBATCH --array=0-2%2');
    expect(script).toContain('#SBATCH --partition=short');
    expect(script).toContain('#SBATCH --time=1:00:00');
    expect(script).toContain('#SBATCH --output=/shared/out dir/slurm/%A_%a.out');
    expect(script).toMatch(/POINTS=\(\n {2}4 0 7\n\)/);
    expect(script).toContain(`sweep /shared/s.json --out '/shared/out dir' --index "$K" --max-memory 8`);
    expect(script).toContain('if [ "$rc" -eq 3 ]; then rc=0; fi');
  });
});

describe('bad study files: one line naming the file and the field', () => {
  const rows: [string, unknown, string | RegExp][] = [
    ['not an object', [], 'study.json: (study): expected an object, got []'],
    ['a misspelt key', { ...study(), axis: [] }, /^study\.json: axis: unknown key; did you mean "axes"\?/],
    [
      'axes missing',
      { name: 's', base: 'gaussian-1d' },
      'study.json: axes: expected an array of axes, but it is missing',
    ],
    ['no axes', study({ axes: [] }), 'study.json: axes: expected at least one axis, got []'],
    [
      'axes of the wrong type',
      study({ axes: 'network.width' }),
      'study.json: axes: expected an array of axes, got "network.width"',
    ],
    ['a name of the wrong type', study({ name: 5 }), 'study.json: name: expected a non-empty string, got 5'],
    [
      'an unknown combine',
      study({ combine: 'mesh' }),
      'study.json: combine: expected one of "grid", "zip", got "mesh"',
    ],
    [
      'an axis path of the wrong type',
      study({ axes: [{ path: 7, values: [1] }] }),
      'study.json: axes[0].path: expected a non-empty string, got 7',
    ],
    [
      'values of the wrong type',
      study({ axes: [{ path: 'seed', values: 'abc' }] }),
      'study.json: axes[0].values: expected an array of values, {from, to, step} or {from, to, factor}, got "abc"',
    ],
    [
      'an axis value of the wrong type for the config',
      study({ axes: [{ path: 'network.width', values: [256, 'big'] }] }),
      'study.json: axes[0].values[1]: network.width: expected a positive integer, got "big"',
    ],
    [
      'a set value of the wrong type',
      study({ set: { 'training.time': 'long' } }),
      /^study\.json: set\.training\.time: training\.time: expected a positive number, got "long"$/,
    ],
    [
      'an unknown band',
      study({ plots: [{ metric: 'nnVsPde.max', x: 'network.width', band: 'wide' }] }),
      'study.json: plots[0].band: expected one of "minmax", "sd", "none", got "wide"',
    ],
    ['a bad name', study({ name: 'a/b' }), /^study\.json: name: expected a plain name/],
    [
      'an axis path with a typo',
      study({ axes: [{ path: 'network.widht', values: [256] }] }),
      'study.json: axes[0].path: unknown config path "network.widht"; did you mean "network.width"?',
    ],
    [
      'a typo in the first key of a path',
      study({ axes: [{ path: 'netwrk.width', values: [256] }] }),
      'study.json: axes[0].path: unknown config path "netwrk.width"; did you mean "network.width"?',
    ],
    [
      'a key of another distribution kind',
      study({ axes: [{ path: 'distribution.B', values: [10] }] }),
      /^study\.json: axes\[0\]\.path: unknown config path "distribution\.B" \(distribution allows: kind, sigma/,
    ],
    [
      'not a path',
      study({ axes: [{ path: 'network..width', values: [256] }] }),
      /^study\.json: axes\[0\]\.path: expected a config path like "network\.width".*got "network\.\.width"/,
    ],
    [
      'a path through a number',
      study({ axes: [{ path: 'grid.n.x', values: [1] }] }),
      'study.json: axes[0].path: cannot set "grid.n.x": grid.n is a number, not an object',
    ],
    [
      'a value the config refuses',
      study({ axes: [{ path: 'network.width', values: [256, 255] }] }),
      'study.json: axes[0].values[1]: network.width: expected an even width with mirrored initialisation, got 255',
    ],
    [
      'a seed the config refuses',
      study({ axes: [{ path: 'seed', values: [0, -1] }] }),
      'study.json: axes[0].values[1]: training.seeds[0]: expected an integer ≥ 0, got -1',
    ],
    [
      'the same path twice',
      study({
        axes: [
          { path: 'seed', values: [0] },
          { path: 'training.seeds', values: [[1]] },
        ],
      }),
      /^study\.json: axes\[1\]\.path: "training\.seeds" overlaps axes\[0\]\.path's "seed"/,
    ],
    [
      'two points of the same config',
      study({ axes: [{ path: 'seed', values: [3, 3] }] }),
      /^study\.json: axes: points\[0\] and points\[1\] are the same config \(id [0-9a-f]{12}\)/,
    ],
    [
      'empty values',
      study({ axes: [{ path: 'seed', values: [] }] }),
      'study.json: axes[0].values: expected at least one value, got []',
    ],
    [
      'a range the wrong way round',
      study({ axes: [{ path: 'network.width', values: { from: 512, to: 256, factor: 2 } }] }),
      'study.json: axes[0].values: expected from ≤ to, got from 512 and to 256',
    ],
    [
      'a range of neither kind',
      study({ axes: [{ path: 'seed', values: { from: 0, to: 3 } }] }),
      /^study\.json: axes\[0\]\.values: expected an array of values, \{from, to, step\} or \{from, to, factor\}/,
    ],
    [
      'labels not one per value',
      study({ axes: [{ path: 'seed', values: [0, 1], labels: ['a'] }] }),
      'study.json: axes[0].labels: expected 2 label(s), one per value, got 1',
    ],
    [
      'zipped axes of different lengths',
      study({
        combine: 'zip',
        axes: [
          { path: 'network.width', values: [256, 512, 1024] },
          { path: 'seed', values: [0, 1] },
        ],
      }),
      'study.json: axes[1].values: expected 3 values to zip with axes[0], got 2',
    ],
    [
      'a set path with a typo',
      study({ set: { 'training.tme': 3 } }),
      'study.json: set.training.tme: unknown config path "training.tme"; did you mean "training.time"?',
    ],
    [
      'a base that is not bundled',
      study({ base: 'gausian-1d' }),
      /^study\.json: base: "gausian-1d" is not a bundled experiment; did you mean "gaussian-1d"\?/,
    ],
    [
      'a base file that is not there',
      study({ base: 'nope.json' }),
      /^study\.json: base: no such config file "nope\.json"/,
    ],
    [
      'an inline base with a bad field',
      study({ base: { ...tiny(), grid: { dim: 1, halfWidth: 8, n: 2 } } }),
      'study.json: base.grid.n: expected an integer ≥ 4, got 2',
    ],
    [
      'a plot of an unknown metric',
      study({ plots: [{ metric: 'nnVsPde.mx', x: 'network.width' }] }),
      /^study\.json: plots\[0\]\.metric: unknown metric "nnVsPde\.mx"; did you mean "nnVsPde\.max"\?/,
    ],
    [
      'a plot against no axis',
      study({ plots: [{ metric: 'nnVsPde.max', x: 'network.widht' }] }),
      /^study\.json: plots\[0\]\.x: "network\.widht" is not an axis of the study; did you mean "network\.width"\?/,
    ],
    [
      'a ratio of three',
      study({ plots: [{ metric: 'seconds / seconds / seconds', x: 'network.width' }] }),
      /^study\.json: plots\[0\]\.metric: expected a metric or a ratio "a \/ b" of two/,
    ],
  ];
  it.each(rows)('%s', (_name, json, expected) => {
    const message = errorOf(json);
    expect(message.split('\n')).toHaveLength(1);
    if (typeof expected === 'string') expect(message).toBe(expected);
    else expect(message).toMatch(expected);
  });
});

// ── the same through the CLI

const cliSource = join(root, 'packages', 'compare', 'src', 'cli.ts');
const tsx = pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function freqbias(cwd: string, args: readonly string[]): Promise<Exit> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', tsx, cliSource, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

interface CliRow {
  readonly name: string;
  readonly study?: unknown;
  readonly files?: Readonly<Record<string, string>>;
  readonly args?: readonly string[];
  readonly line: string | RegExp;
}

const cliRows: CliRow[] = [
  {
    name: 'an axis path with a typo',
    study: study({ axes: [{ path: 'network.widht', values: [256] }] }),
    line: 'freqbias: study.json: axes[0].path: unknown config path "network.widht"; did you mean "network.width"?',
  },
  {
    name: 'a study that is neither a file nor bundled',
    args: ['sweep', 'widht-scan', '--dry-run'],
    line: /^freqbias: widht-scan: no such study file, and not a bundled study; did you mean "width-scan"\?/,
  },
  {
    name: '--index beyond the points',
    args: ['sweep', 'study.json', '--out', 'out', '--index', '4'],
    line: 'freqbias: --index: expected a point index in 0…3 (the study has 4 points), got 4',
  },
  {
    name: 'zipped axes of different lengths',
    study: study({
      combine: 'zip',
      axes: [
        { path: 'network.width', values: [256, 512] },
        { path: 'seed', values: [0, 1, 2] },
      ],
    }),
    line: 'freqbias: study.json: axes[1].values: expected 2 values to zip with axes[0], got 3',
  },
  {
    name: 'a base config file that is not there',
    study: study({ base: 'configs/base.json' }),
    line: /^freqbias: study\.json: base: no such config file "configs\/base\.json" \(looked for .*configs\/base\.json\)$/,
  },
  {
    name: 'a study folder holding a file freqbias did not write',
    files: { 'out/thesis.tex': 'mine' },
    args: ['sweep', 'study.json', '--out', 'out'],
    line: /^freqbias: output folder .*out: holds "thesis\.tex", which freqbias did not write/,
  },
];

describe.concurrent('bad study input through the CLI: exit 1, one line, nothing written', () => {
  it.each(cliRows)('$name', async (row) => {
    const dir = mkdtempSync(join(tmp, 'cli-'));
    writeFileSync(
      join(dir, 'study.json'),
      typeof row.study === 'string' ? row.study : JSON.stringify(row.study ?? study(), null, 2),
    );
    for (const [path, content] of Object.entries(row.files ?? {})) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    const before = readdirSync(dir, { recursive: true }).sort();
    const { code, stdout, stderr } = await freqbias(dir, row.args ?? ['sweep', 'study.json', '--out', 'out']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const lines = stderr.split('\n').filter((l) => l.trim() !== '');
    expect(lines).toHaveLength(1);
    if (typeof row.line === 'string') expect(lines[0]).toBe(row.line);
    else expect(lines[0]).toMatch(row.line);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(dir, { recursive: true }).sort()).toEqual(before);
    expect(existsSync(join(dir, 'out', 'points'))).toBe(false);
  });
});
