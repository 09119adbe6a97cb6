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
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/*
 * The freqbias CLI from its sources (node --import tsx), run from the repository root as a user
 * would: listing, argument and config errors (one line, non-zero exit), and a tiny run's report
 * folder. Each process takes a few seconds to start (tsx, tfjs), so the runs are few and the
 * independent ones run concurrently.
 */

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cliSource = join('packages', 'compare', 'src', 'cli.ts');
const fixture = fileURLToPath(new URL('./fixtures/tiny-1d.json', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'freqbias-cli-'));
const runs = join(tmp, 'runs');
const out = join(runs, 'report');
mkdirSync(runs);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function freqbias(...args: string[]): Promise<Exit> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', cliSource, ...args], {
      cwd: root,
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

const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');
const tinyConfig = () => JSON.parse(readFileSync(fixture, 'utf8')) as Record<string, unknown>;
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe.concurrent('freqbias', () => {
  it('prints every bundled experiment, one line each', async () => {
    const { code, stdout } = await freqbias('list');
    expect(code).toBe(0);
    const names = readdirSync(join(root, 'experiments'))
      .filter((f) => f.endsWith('.json'))
      .map((f) => basename(f, '.json'));
    expect(names.length).toBeGreaterThan(0);
    const printed = lines(stdout).map((l) => l.split(/\s+/)[0]);
    expect(printed.sort()).toEqual(names.sort());
  });

  it('a missing config: non-zero exit, one line naming it', async () => {
    const missing = join(tmp, 'no-such-config.json');
    const { code, stdout, stderr } = await freqbias('run', missing);
    expect(code).not.toBe(0);
    expect(stdout).toBe('');
    expect(lines(stderr)).toHaveLength(1);
    expect(stderr).toContain(missing);
    expect(stderr).toMatch(/^freqbias: /);
  });

  it('an invalid config: non-zero exit, naming the field and the value', async () => {
    const file = join(tmp, 'bad.json');
    writeFileSync(file, JSON.stringify({ ...tinyConfig(), grid: { dim: 1, halfWidth: 8, n: -4 } }));
    const { code, stderr } = await freqbias('run', file, '--out', join(tmp, 'never'));
    expect(code).not.toBe(0);
    expect(lines(stderr)).toHaveLength(1);
    expect(stderr).toContain('bad.json');
    expect(stderr).toMatch(/grid\.n: .*-4/);
    expect(existsSync(join(tmp, 'never'))).toBe(false);
  });

  it('--width abc: an argument error', async () => {
    const { code, stderr } = await freqbias('run', fixture, '--width', 'abc', '--out', join(tmp, 'never'));
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/--width/);
    expect(stderr).toMatch(/abc/);
    expect(stderr).toMatch(/integer/);
    expect(existsSync(join(tmp, 'never'))).toBe(false);
  });

  it('an output folder that is not a previous report is refused and left unchanged', async () => {
    const out = join(tmp, 'precious');
    mkdirSync(out);
    writeFileSync(join(out, 'data.txt'), 'keep me');
    const { code, stderr } = await freqbias('run', fixture, '--out', out);
    expect(code).not.toBe(0);
    expect(stderr).toContain(out);
    expect(stderr).toMatch(/holds "data\.txt", which freqbias did not write/);
    // refused before the run, not after it
    expect(stderr).not.toContain('running');
    expect(readdirSync(out)).toEqual(['data.txt']);
    expect(readFileSync(join(out, 'data.txt'), 'utf8')).toBe('keep me');
    // and nothing half-written beside it
    expect(readdirSync(tmp).filter((f) => f.includes('precious'))).toEqual(['precious']);
  });

  it('run: writes the report folder: report.json, report.html, PNGs and CSVs', async () => {
    const { code, stdout, stderr } = await freqbias('run', fixture, '--out', out, '--seed', '3');
    expect(stderr).toContain('running tiny-cli');
    expect(code).toBe(0);
    expect(stdout).toMatch(/nnVsPde\s+max relL2/);
    expect(stdout).toContain('PASS');
    expect(stdout).toContain(join(out, 'report.html'));

    const files = readdirSync(out);
    expect(files).toContain('report.json');
    expect(files).toContain('report.html');
    // no temporary folder left beside it
    expect(readdirSync(runs)).toEqual(['report']);

    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const { metrics, timings } = report;
    expect(metrics.nnVsPde.perSnapshot).toHaveLength(5);
    expect(metrics.nnVsPde.max).toBe(
      Math.max(...metrics.nnVsPde.perSnapshot.map((s: { relL2: number }) => s.relL2)),
    );
    expect(metrics.nnVsKernel.perSnapshot[0].relL2).toBe(0);
    expect(metrics.kernelVsPde.max).toBeLessThan(0.02);
    for (const key of ['trainingSeconds', 'pdeSeconds', 'totalSeconds'])
      expect(typeof timings[key]).toBe('number');
    const lt = metrics.learningTimes;
    expect(lt.frequencies.length).toBeGreaterThan(0);
    for (const s of ['nn', 'pde', 'kernel']) expect(lt[s]).toHaveLength(lt.frequencies.length);
    expect(lt.nn).toContain(null);
    expect(report.config.name).toBe('tiny-cli');
    expect(report.config.training.seeds).toEqual([3]);
    expect(report.claims).toEqual([expect.objectContaining({ pass: true })]);
    expect(Object.keys(report.versions)).toContain('@freqbias/compare');

    const pngs = files.filter((f) => f.endsWith('.png'));
    expect(pngs.length).toBeGreaterThanOrEqual(3);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('Claims');
    expect(html).toContain(report.claims[0].measured);
    for (const png of pngs) {
      expect([...readFileSync(join(out, png)).subarray(0, 8)]).toEqual(PNG);
      expect(html).toContain(png);
    }
    const csvs = files.filter((f) => f.endsWith('.csv'));
    expect(csvs.length).toBeGreaterThanOrEqual(2);
    for (const csv of csvs) {
      const [header, first] = readFileSync(join(out, csv), 'utf8').split('\n');
      expect(header).toMatch(/^(time|xi)\b/);
      expect(first.split(',')).toHaveLength(header.split(',').length);
    }
  });

  it('run: a previous report in the output folder is replaced whole; a look-alike is not', async () => {
    const previous = join(tmp, 'previous');
    const first = await freqbias('run', fixture, '--out', previous, '--width', '256', '--time', '1');
    expect(first.code).toBe(0);
    const before = JSON.parse(readFileSync(join(previous, 'report.json'), 'utf8'));
    const { code, stderr } = await freqbias(
      'run',
      fixture,
      '--out',
      previous,
      '--width',
      '128',
      '--time',
      '1',
    );
    expect(stderr).toContain('running tiny-cli');
    expect(code).toBe(0);
    const after = JSON.parse(readFileSync(join(previous, 'report.json'), 'utf8'));
    expect(after.createdAt).not.toBe(before.createdAt);
    expect(after.config.network.width).toBe(128);
    expect(after.times.at(-1)).toBeCloseTo(1, 1);
    expect(readdirSync(previous)).toContain('report.html');
    expect(readdirSync(tmp).filter((f) => f.includes('previous'))).toEqual(['previous']);

    // issue 8: a folder is not a report because it holds a report.json
    const lookalike = join(tmp, 'lookalike');
    mkdirSync(lookalike);
    writeFileSync(join(lookalike, 'report.json'), '{}');
    writeFileSync(join(lookalike, 'thesis.tex'), 'x');
    const refused = await freqbias('run', fixture, '--out', lookalike);
    expect(refused.code).toBe(1);
    expect(lines(refused.stderr)).toHaveLength(1);
    expect(refused.stderr).toMatch(/which freqbias did not write/);
    expect(readdirSync(lookalike).sort()).toEqual(['report.json', 'thesis.tex']);
  });
});
