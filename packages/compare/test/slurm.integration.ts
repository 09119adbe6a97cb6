import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/*
 * `freqbias sweep --slurm` against a real Slurm: the one-node cluster of scripts/slurm-local.sh, which
 * installs, starts and stops it. Run by .ci/run as
 *
 *   bash scripts/slurm-local.sh run -- env FREQBIAS_SLURM=1 npx vitest run --config vitest.slurm.config.ts
 *
 * and not part of `pnpm test` (its file name does not end in .test.ts). Without that cluster it fails
 * (it is never skipped). A tiny study of three points: a job array with --wait (one point refused
 * and recorded as failed), then the fixed study without --wait (a new array task and the dependent
 * collect job), then nothing left to submit.
 */

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/tiny-1d.json', import.meta.url));
const cliSource = join(root, 'packages', 'compare', 'src', 'cli.ts');
const tsx = pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const tmp = mkdtempSync(join(tmpdir(), 'freqbias-slurm-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A command that takes longer than this is killed (and the test fails, naming it). */
const COMMAND_MS = 300_000;

function freqbias(cwd: string, ...args: string[]) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done, fail) => {
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
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`freqbias ${args.join(' ')}: no exit within ${COMMAND_MS / 1000} s\n${stderr}`));
    }, COMMAND_MS);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

const study = (third: number[]) => ({
  name: 'slurm-tiny',
  base: JSON.parse(readFileSync(fixture, 'utf8')),
  set: { claims: [] },
  combine: 'zip',
  axes: [
    { path: 'network.width', values: [256, 512, 256] },
    // labels without commas, so that study.csv splits on its commas
    {
      path: 'target.frequencies',
      values: [[3, 10], [3, 10], third],
      labels: ['3+10', '3+10', third.join('+')],
    },
  ],
});
const counts = (out: string) => JSON.parse(readFileSync(join(out, 'study.json'), 'utf8')).counts;
/** study.csv as rows of cells by column name. */
const csvRows = (out: string) => {
  const [header, ...rows] = readFileSync(join(out, 'study.csv'), 'utf8').trim().split('\n');
  const columns = header.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, j) => [columns[j], v])));
};

describe('freqbias sweep --slurm on a one-node Slurm', () => {
  it('needs the cluster of scripts/slurm-local.sh', () => {
    expect(
      process.env.FREQBIAS_SLURM,
      'run through scripts/slurm-local.sh run -- … (see the note on top)',
    ).toBe('1');
    expect(process.env.SLURM_CONF, 'SLURM_CONF (set by scripts/slurm-local.sh)').toBeTruthy();
    expect(execFileSync('sinfo', ['-h', '-N', '-o', '%T'], { encoding: 'utf8' })).toMatch(/idle|mix|alloc/);
  });

  it('runs a job array with --wait, then submits without waiting and collects in a dependent job', async () => {
    const dir = mkdtempSync(join(tmp, 'study-'));
    const out = join(dir, 'out');
    // the third point's target frequency 40 is beyond π/h ≈ 25: its task records the refusal
    writeFileSync(join(dir, 'study.json'), JSON.stringify(study([3, 40])));
    const waited = await freqbias(
      dir,
      'sweep',
      'study.json',
      '--out',
      'out',
      '--slurm',
      '--wait',
      '--time',
      '10',
    );
    expect(waited.code, waited.stderr).toBe(1);
    expect(waited.stdout).toMatch(/^study slurm-tiny: job \d+ ended; 2 done, 1 failed, 0 pending of 3$/m);
    expect(waited.stderr).toMatch(/^submitted .*sweep\.sbatch as job \d+ \(3 array task\(s\)\); waiting$/m);
    expect(waited.stderr).toMatch(/^done +\d\/3 points\[0\] /m);
    expect(waited.stderr).toMatch(
      /^freqbias: 1 of 3 points failed \(first: points\[2\] [0-9a-f]{12}: .*target/m,
    );
    const script = readFileSync(join(out, 'sweep.sbatch'), 'utf8');
    expect(script).toContain('#SBATCH --array=0-2');
    expect(script).toContain('#SBATCH --time=10');
    // each point ran in an array task of its own (`--index K`), whose log is in DIR/slurm
    const logs = readdirSync(join(out, 'slurm')).filter((f) => /^\d+_\d\.out$/.test(f));
    expect(logs).toHaveLength(3);
    const ran = logs
      .map((f) => /running points\[(\d)\]/.exec(readFileSync(join(out, 'slurm', f), 'utf8'))?.[1])
      .sort();
    expect(ran).toEqual(['0', '1', '2']);
    const ids = readdirSync(join(out, 'points')).filter((f) => !f.startsWith('.'));
    expect(ids).toHaveLength(3);
    for (const id of ids) {
      const record = JSON.parse(readFileSync(join(out, 'points', id, 'point.json'), 'utf8'));
      expect(record.host).toBe(hostname());
      expect(['done', 'failed']).toContain(record.status);
    }
    expect(counts(out)).toEqual({ done: 2, failed: 1, pending: 0 });
    expect(csvRows(out).map((r) => [r.index, r.status])).toEqual([
      ['0', 'done'],
      ['1', 'done'],
      ['2', 'failed'],
    ]);

    // the fixed study: one new point; without --wait, a dependent job collects when it has run
    writeFileSync(join(dir, 'study.json'), JSON.stringify(study([3, 20])));
    const submitted = await freqbias(dir, 'sweep', 'study.json', '--out', 'out', '--slurm', '--time', '10');
    expect(submitted.code, submitted.stderr).toBe(0);
    expect(submitted.stdout).toMatch(
      /^submitted .*sweep\.sbatch: job \d+ \(1 array task\(s\)\), then job \d+ collects$/m,
    );
    // the collect job's state, until it has ended (squeue keeps ended jobs for MinJobAge = 300 s)
    const collectJob = /then job (\d+) collects/.exec(submitted.stdout)![1];
    const state = () =>
      execFileSync('squeue', ['-h', '-t', 'all', '-j', collectJob, '-o', '%T'], { encoding: 'utf8' }).trim();
    const deadline = Date.now() + COMMAND_MS;
    while (Date.now() < deadline && /^(PENDING|CONFIGURING|RUNNING|COMPLETING)$/.test(state()))
      await new Promise((r) => setTimeout(r, 1000));
    expect(state()).toBe('COMPLETED');
    expect(counts(out)).toEqual({ done: 3, failed: 0, pending: 0 });
    // study.csv has every point, each with its figures
    const rows = csvRows(out);
    expect(rows.map((r) => r.status)).toEqual(['done', 'done', 'done']);
    expect(new Set(rows.map((r) => r.id)).size).toBe(3);
    for (const r of rows) expect(Number(r['nnVsPde.max'])).toBeGreaterThan(0);
    expect(readdirSync(join(out, 'slurm')).some((f) => /^collect-\d+\.out$/.test(f))).toBe(true);
    expect(existsSync(join(out, 'study.html'))).toBe(true);

    // nothing left: no job
    const again = await freqbias(dir, 'sweep', 'study.json', '--out', 'out', '--slurm', '--wait');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(
      /every point finished before; nothing to submit; 3 done, 0 failed, 0 pending of 3/,
    );
  });
});
