import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/*
 * Bad inputs through the freqbias CLI, one table row each: configs (unknown keys at every depth, wrong
 * types, non-finite numbers, dimensions, limits, claims, files that are not configs, meshes), output
 * folders and arguments. Every row runs `node --import tsx packages/compare/src/cli.ts …` in a sandbox
 * folder of its own (the child's working directory, holding the config) and checks:
 *
 * - the exit code: 1 for an error, 3 for a run that finished with a failed claim (report written);
 * - for an error: stderr is one line, `freqbias: …`, naming the field (or argument, or path); stdout
 *   is empty; it comes before any training;
 * - no stack trace anywhere;
 * - nothing in the sandbox changed, except the report folder of a run that finished.
 *
 * A process takes a few seconds to start (tsx, tfjs), so the rows run concurrently.
 */

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cliSource = join(root, 'packages', 'compare', 'src', 'cli.ts');
// the child runs in its sandbox, so tsx is given by absolute URL (a bare name resolves from the cwd)
const tsx = pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const tmp = mkdtempSync(join(tmpdir(), 'freqbias-bad-inputs-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A child killed after this long counts as a hang. */
const HANG_MS = 100_000;

type Json = Record<string, unknown>;

/** The base config: 1D, 128 points, width 512, t = 2; no warnings; all claims pass (exit 0). */
const BASE: Json = {
  name: 'bad-inputs',
  description: 'tiny 1D base of the bad-input rows',
  grid: { dim: 1, halfWidth: 8, n: 128 },
  target: { kind: 'sines', frequencies: [3, 10] },
  distribution: { kind: 'gaussian', sigma: 6 },
  network: { kind: 'twoLayer', width: 512, sigmaA: 1 },
  training: { time: 2, snapshots: 5 },
  pde: { degree: 2, cellsPerAxis: 128 },
  comparison: { frequencies: [3, 10] },
  claims: [{ metric: 'nnVsKernel.perSnapshot.0.relL2', op: '<=', value: 1e-12 }],
};

const DELETE = Symbol('delete');
/** A number JSON.stringify cannot write (1e999 parses as Infinity), written verbatim into the file. */
const literal = (text: string) => `@@literal:${text}@@`;

/** The base with dotted paths set (`claims.0.metric`), or removed with DELETE. */
function config(changes: Record<string, unknown>): Json {
  const c = structuredClone(BASE);
  for (const [path, value] of Object.entries(changes)) {
    const keys = path.split('.');
    let at = c as Record<string, unknown>;
    for (const k of keys.slice(0, -1)) {
      at[k] ??= {};
      at = at[k] as Record<string, unknown>;
    }
    const last = keys.at(-1)!;
    if (value === DELETE) delete at[last];
    else at[last] = value;
  }
  return c;
}
const text = (c: unknown) => JSON.stringify(c, null, 2).replace(/"@@literal:([^@]*)@@"/g, '$1');

/** A learningOrder claim: `first` learned before `later` (the config's key for it is `then`). */
const learningOrder = (first: number, later: number, series?: string[]) => ({
  kind: 'learningOrder',
  first,
  // biome-ignore lint/suspicious/noThenProperty: the config's key (a frequency), not a thenable
  then: later,
  ...(series ? { series } : {}),
});

/** A 1D Gmsh MSH 4.1 ASCII mesh of `cells` equal lines on [a, b]. */
function msh1d(a: number, b: number, cells: number, options: { version?: string; type?: number } = {}) {
  const nodes = Array.from({ length: cells + 1 }, (_, i) => a + ((b - a) * i) / cells);
  const type = options.type ?? 1;
  return [
    '$MeshFormat',
    `${options.version ?? '4.1'} 0 8`,
    '$EndMeshFormat',
    '$Nodes',
    `1 ${nodes.length} 1 ${nodes.length}`,
    `1 1 0 ${nodes.length}`,
    ...nodes.map((_, i) => String(i + 1)),
    ...nodes.map((x) => `${x} 0 0`),
    '$EndNodes',
    '$Elements',
    `1 ${cells} 1 ${cells}`,
    `1 1 ${type} ${cells}`,
    ...Array.from({ length: cells }, (_, e) =>
      type === 4 ? `${e + 1} ${e + 1} ${e + 2} 1 2` : `${e + 1} ${e + 1} ${e + 2}`,
    ),
    '$EndElements',
    '',
  ].join('\n');
}
/** The base with a PDE mesh file instead of the box (the mesh sets Ξ, so no cellsPerAxis). */
const withMesh = (file: string) => config({ 'pde.cellsPerAxis': DELETE, 'pde.mesh': file });

interface Row {
  readonly name: string;
  /** config.json (default: the base); a string is written as it is. */
  readonly config?: unknown;
  /** Other files (string or bytes) and folders (null) in the sandbox, by relative path. */
  readonly files?: Readonly<Record<string, string | Uint8Array | null>>;
  /** Arguments after `freqbias` (default: run config.json --out out). */
  readonly args?: readonly string[];
  readonly code: 0 | 1 | 3;
  /** What stderr must contain: for an error, its one line (the field path, the value, …). */
  readonly names: readonly (string | RegExp)[];
  /** More checks of the outcome. */
  readonly check?: (o: Outcome) => void;
}

interface Outcome {
  readonly row: Row;
  readonly dir: string;
  readonly command: string;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** ms from spawn to exit, and from the first stderr output to exit. */
  readonly ms: number;
  readonly msAfterFirstOutput: number;
  readonly hung: boolean;
}

const run = (...extra: string[]) => ['run', 'config.json', '--out', 'out', ...extra];
const OUT = 'out';

const rows: Row[] = [
  // ── the control: the base itself runs clean, so each row below fails by its own change alone
  {
    name: 'the base config: exit 0, no warning',
    code: 0,
    names: [],
    check: (o) => {
      expect(o.stderr).not.toMatch(/warning|error/);
      expect(o.stdout).toMatch(/^PASS /m);
    },
  },
  // ── runs that finish with a failing claim: exit 3, the report written (first: they take longest)
  {
    name: 'a failing metric claim (nnVsPde.max <= 1e-9)',
    config: config({ claims: [{ metric: 'nnVsPde.max', op: '<=', value: 1e-9 }] }),
    code: 3,
    names: [],
    check: (o) => {
      expect(o.stdout).toMatch(/FAIL nnVsPde\.max <= 1e-9/);
      const report = JSON.parse(readFileSync(join(o.dir, OUT, 'report.json'), 'utf8'));
      expect(report.claims).toEqual([expect.objectContaining({ pass: false })]);
    },
  },
  {
    name: 'a failing learning-order claim (ξ = 10 before ξ = 3) beside a passing one',
    config: config({
      claims: [
        { metric: 'nnVsKernel.perSnapshot.0.relL2', op: '<=', value: 1e-12 },
        learningOrder(10, 3, ['nn']),
      ],
    }),
    code: 3,
    names: [],
    check: (o) => {
      expect(o.stdout).toMatch(/^PASS /m);
      expect(o.stdout).toMatch(/^FAIL /m);
      const report = JSON.parse(readFileSync(join(o.dir, OUT, 'report.json'), 'utf8'));
      expect(report.claims.map((c: { pass: boolean }) => c.pass)).toEqual([true, false]);
    },
  },
  {
    name: '--time 1e-9: warns that nothing is learned (no silent PASS)',
    args: run('--time', '1e-9'),
    code: 0,
    names: [/^freqbias: warning: training\.time: .*nothing is learned/m],
    check: (o) => {
      expect(o.stdout).toMatch(/warning\(s\)/);
      const report = JSON.parse(readFileSync(join(o.dir, OUT, 'report.json'), 'utf8'));
      expect(report.warnings).toContainEqual(expect.objectContaining({ field: 'training.time' }));
    },
  },

  // ── unknown keys, at every depth
  {
    name: 'distribution.centre',
    config: config({ 'distribution.centre': 25 }),
    code: 1,
    names: ['distribution.centre'],
  },
  {
    name: 'target.amplitude',
    config: config({ 'target.amplitude': [1, 1] }),
    code: 1,
    names: ['target.amplitude'],
  },
  {
    name: 'distribution.scael (laplace with scale misspelt)',
    config: config({ distribution: { kind: 'laplace', scael: 5 } }),
    code: 1,
    names: ['distribution.scael'],
  },
  {
    name: 'distribution.components[1].centre (inside a mixture)',
    config: config({
      distribution: {
        kind: 'mixture',
        weights: [1, 1],
        components: [
          { kind: 'gaussian', sigma: 3 },
          { kind: 'gaussian', sigma: 3, centre: 5 },
        ],
      },
    }),
    code: 1,
    names: ['distribution.components[1].centre'],
  },

  // ── wrong types, non-finite numbers
  { name: 'grid.n a string', config: config({ 'grid.n': '128' }), code: 1, names: ['grid.n'] },
  {
    name: 'network.mirrored "yes"',
    config: config({ 'network.mirrored': 'yes' }),
    code: 1,
    names: ['network.mirrored'],
  },
  {
    name: 'training.time 1e999 (Infinity)',
    config: text(config({ 'training.time': literal('1e999') })),
    code: 1,
    names: ['training.time'],
  },
  {
    name: 'distribution.sigma 1e999 (Infinity)',
    config: text(config({ 'distribution.sigma': literal('1e999') })),
    code: 1,
    names: ['distribution.sigma'],
  },

  // ── dimensions
  {
    name: 'a 2D-only density (uniformDisk) on a 1D grid',
    config: config({ distribution: { kind: 'uniformDisk', B: 10 } }),
    code: 1,
    names: ['distribution', /uniformDisk|2D/],
  },
  {
    name: 'grid.n per axis, 2 values in 1D',
    config: config({ 'grid.n': [128, 128] }),
    code: 1,
    names: ['grid.n'],
  },
  {
    name: 'mixture: 3 weights for 2 components',
    config: config({
      distribution: {
        kind: 'mixture',
        weights: [1, 1, 1],
        components: [
          { kind: 'gaussian', sigma: 3 },
          { kind: 'gaussian', sigma: 3, center: 5 },
        ],
      },
    }),
    code: 1,
    names: ['distribution.weights'],
  },

  // ── snapshots, sizes and limits
  {
    name: 'training.snapshots not increasing',
    config: config({ 'training.snapshots': [0, 1, 0.5, 2] }),
    code: 1,
    names: ['training.snapshots'],
  },
  {
    name: 'training.snapshots beyond training.time',
    config: config({ 'training.snapshots': [0, 1, 3] }),
    code: 1,
    names: ['training.snapshots'],
  },
  {
    name: 'training.snapshots 1e9',
    config: config({ 'training.snapshots': 1e9 }),
    code: 1,
    names: ['training.snapshots'],
  },
  {
    name: 'network.width 1e9: refused by the memory estimate, at once',
    config: config({ 'network.width': 1e9 }),
    code: 1,
    names: ['network.width', /\d+(\.\d+)? GiB.*limit.*\d+(\.\d+)? GiB/],
    check: (o) => expect(o.msAfterFirstOutput).toBeLessThan(1000),
  },
  {
    name: 'deep network.hiddenWidth 1e8',
    config: config({
      network: { kind: 'deep', width: 64, hiddenLayers: 2, hiddenWidth: 1e8 },
      claims: [],
    }),
    code: 1,
    names: ['network.hiddenWidth', /GiB/],
  },
  {
    name: 'expression density resolution 1e9',
    config: config({
      distribution: {
        kind: 'expression',
        expression: 'exp(-xi^2/72)',
        support: [[-24], [24]],
        resolution: 1e9,
      },
    }),
    code: 1,
    names: ['distribution.resolution'],
  },
  { name: 'pde.dt 1e-7', config: config({ 'pde.dt': 1e-7 }), code: 1, names: ['pde.dt'] },
  { name: 'pde.dt 1e-300', config: config({ 'pde.dt': 1e-300 }), code: 1, names: ['pde.dt'] },
  {
    name: 'pde.cellsPerAxis 1',
    config: config({ 'pde.cellsPerAxis': 1 }),
    code: 1,
    names: ['pde.cellsPerAxis'],
  },
  {
    name: 'comparison.band 0.001',
    config: config({ 'comparison.band': 0.001, 'comparison.frequencies': [] }),
    code: 1,
    names: ['comparison.band'],
  },
  { name: 'grid.n 2', config: config({ 'grid.n': 2 }), code: 1, names: ['grid.n'] },

  // ── targets
  {
    name: 'a zero target (frequency 0)',
    config: config({ 'target.frequencies': [0], 'comparison.frequencies': [] }),
    code: 1,
    names: ['target', /zero/],
  },
  {
    name: 'a sine beyond the Nyquist frequency',
    config: config({ 'target.frequencies': [3, 30] }),
    code: 1,
    names: ['target.frequencies[1]', /Nyquist/],
  },
  {
    name: 'an image target that does not exist',
    // an image is 2D: a 2D grid, so that the missing file is the only problem
    config: config({
      grid: { dim: 2, halfWidth: 8, n: 32 },
      target: { kind: 'image', path: 'no-such-image.png' },
      'comparison.frequencies': [],
      claims: [],
    }),
    code: 1,
    names: ['target.path', 'no-such-image.png'],
  },

  // ── claims
  {
    name: 'a claim at ξ = 1000',
    config: config({ claims: [learningOrder(3, 1000)] }),
    code: 1,
    names: ['claims[0].then', '1000'],
  },
  {
    name: 'a claim naming a metric that does not exist',
    config: config({ claims: [{ metric: 'nnVsPde.mean', op: '<=', value: 1 }] }),
    code: 1,
    names: ['claims[0].metric', 'nnVsPde.mean'],
  },
  {
    name: "a claim on the 'pde' series with the PDE disabled",
    config: config({
      'pde.enabled': false,
      claims: [learningOrder(3, 10, ['pde'])],
    }),
    code: 1,
    names: ['claims[0].series', 'pde'],
  },

  // ── files that are not configs
  { name: 'malformed JSON', config: '{"name": "x", "grid": {', code: 1, names: ['config.json', /JSON/] },
  { name: 'an empty file', config: '', code: 1, names: ['config.json', /JSON|empty/] },
  { name: 'a JSON array instead of an object', config: '[]', code: 1, names: ['config.json', /object/] },
  {
    name: 'a config that is a directory',
    files: { 'folder.json': null },
    args: ['run', 'folder.json', '--out', OUT],
    code: 1,
    names: ['folder.json', /director|folder/i],
  },
  {
    name: 'an unknown bundled experiment name',
    args: ['run', 'no-such-experiment', '--out', OUT],
    code: 1,
    names: ['no-such-experiment', /bundled/],
  },

  // ── PDE meshes (pde.mesh)
  {
    name: 'pde.mesh truncated',
    config: withMesh('mesh.msh'),
    files: { 'mesh.msh': msh1d(-25, 25, 200).slice(0, 2500) },
    code: 1,
    names: ['pde.mesh', 'mesh.msh'],
  },
  {
    name: 'pde.mesh of MSH version 2.2',
    config: withMesh('mesh.msh'),
    files: { 'mesh.msh': msh1d(-25, 25, 200, { version: '2.2' }) },
    code: 1,
    names: ['pde.mesh', 'mesh.msh', /2\.2/],
  },
  {
    name: 'pde.mesh with an unknown element type',
    config: withMesh('mesh.msh'),
    files: { 'mesh.msh': msh1d(-25, 25, 200, { type: 4 }) },
    code: 1,
    names: ['pde.mesh', 'mesh.msh', /element type 4/],
  },
  {
    name: 'pde.mesh that does not cover the band (ξ ≥ 0 only)',
    config: withMesh('mesh.msh'),
    files: { 'mesh.msh': msh1d(0, 25, 200) },
    code: 1,
    names: ['pde.mesh', /outside the mesh/],
  },

  // ── output folders
  {
    name: '--out holding a foreign file next to a report.json',
    files: {
      'out/report.json': '{}',
      'out/thesis.tex': Uint8Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256),
    },
    code: 1,
    names: [/output folder .*out/, /"report\.json", which freqbias did not write/],
  },
  {
    name: '--out that is a file',
    files: { 'out-file': 'not a folder\n' },
    args: ['run', 'config.json', '--out', 'out-file'],
    code: 1,
    names: ['out-file', /file/],
  },
  {
    name: '--out under a file',
    files: { blocker: 'a file\n' },
    args: ['run', 'config.json', '--out', 'blocker/report'],
    code: 1,
    names: ['blocker', /file/],
  },
  {
    name: '--out with a name longer than 255 bytes',
    args: ['run', 'config.json', '--out', 'ü'.repeat(150)],
    code: 1,
    names: [/too long/, 'ü'.repeat(10)],
  },
  {
    name: '--out holding an unrelated sub-folder',
    files: { 'out/photos': null, 'out/photos/cat.txt': 'meow\n' },
    code: 1,
    names: ['out', 'photos'],
  },

  // ── arguments
  { name: '--width abc', args: run('--width', 'abc'), code: 1, names: ['--width', 'abc'] },
  { name: '--width 0', args: run('--width', '0'), code: 1, names: ['--width', '0'] },
  { name: '--seed -1', args: run('--seed', '-1'), code: 1, names: ['--seed', '-1'] },
  { name: '--time 0', args: run('--time', '0'), code: 1, names: ['--time', '0'] },
  { name: 'an unknown option', args: run('--frobnicate'), code: 1, names: ['--frobnicate'] },
  { name: 'no config argument', args: ['run', '--out', OUT], code: 1, names: [/config/] },
];

/** Path → kind and content hash, for every entry under `dir`. */
function snapshot(dir: string): Map<string, string> {
  const entries = new Map<string, string>();
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const path = rel ? join(rel, name) : name;
      const info = lstatSync(join(dir, path));
      if (info.isDirectory()) {
        entries.set(path, 'folder');
        walk(path);
      } else
        entries.set(
          path,
          `${info.isFile() ? 'file' : 'other'} ${createHash('sha256')
            .update(readFileSync(join(dir, path)))
            .digest('hex')}`,
        );
    }
  };
  walk('');
  return entries;
}

function prepare(row: Row, k: number): string {
  const dir = join(tmp, `row-${String(k).padStart(2, '0')}`);
  mkdirSync(dir);
  const c = row.config ?? BASE;
  writeFileSync(join(dir, 'config.json'), typeof c === 'string' ? c : text(c));
  for (const [path, content] of Object.entries(row.files ?? {})) {
    if (content === null) mkdirSync(join(dir, path), { recursive: true });
    else {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
  }
  return dir;
}

function freqbias(row: Row, dir: string): Promise<Outcome> {
  const args = row.args ?? run();
  const command = `(cd ${dir} && node --import tsx ${join('packages', 'compare', 'src', 'cli.ts')} ${args.join(' ')})`;
  return new Promise((done, fail) => {
    const started = performance.now();
    let first: number | undefined;
    const child = spawn(process.execPath, ['--import', tsx, cliSource, ...args], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, HANG_MS);
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      first ??= performance.now();
      stderr += d;
    });
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const end = performance.now();
      done({
        row,
        dir,
        command,
        code,
        signal,
        stdout,
        stderr,
        ms: end - started,
        msAfterFirstOutput: end - (first ?? end),
        hung,
      });
    });
  });
}

const lines = (s: string) => s.split('\n').filter((l) => l.trim() !== '');

describe.concurrent('freqbias: bad inputs', () => {
  it('has at least 45 rows, named uniquely', () => {
    expect(rows.length).toBeGreaterThanOrEqual(45);
    expect(new Set(rows.map((r) => r.name)).size).toBe(rows.length);
  });

  it.each(rows.map((row, k) => [row.name, row, k] as const))('%s', async (_name, row, k) => {
    const dir = prepare(row, k);
    const before = snapshot(dir);
    const o = await freqbias(row, dir);
    const seen = `${o.command}\nexit ${o.code}${o.signal ? ` (${o.signal})` : ''}${o.hung ? ' (hung, killed)' : ''} after ${(o.ms / 1000).toFixed(1)} s\n--- stderr\n${o.stderr}--- stdout\n${o.stdout}`;

    expect(o.hung, seen).toBe(false);
    expect(o.code, seen).toBe(row.code);
    expect(`${o.stderr}\n${o.stdout}`, `a stack trace\n${seen}`).not.toMatch(/^\s+at \S/m);
    if (row.code === 1) {
      expect(o.stdout, seen).toBe('');
      expect(lines(o.stderr), seen).toHaveLength(1);
      expect(o.stderr, seen).toMatch(/^freqbias: /);
      // the input alone decides: refused before any training
      expect(o.stderr, seen).not.toContain('training (seed');
    }
    for (const name of row.names)
      if (typeof name === 'string') expect(o.stderr, seen).toContain(name);
      else expect(o.stderr, seen).toMatch(name);
    row.check?.(o);

    // nothing in the sandbox touched, but for the report folder of a run that finished
    const after = snapshot(dir);
    const mine = (path: string) => row.code !== 1 && (path === OUT || path.startsWith(`${OUT}/`));
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter(
      (p) => !mine(p) && before.get(p) !== after.get(p),
    );
    expect(changed, seen).toEqual([]);
    if (row.code !== 1) expect(after.get(join(OUT, 'report.json')), seen).toMatch(/^file /);
  });
});
