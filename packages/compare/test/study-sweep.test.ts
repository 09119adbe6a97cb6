import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/*
 * `freqbias sweep` end to end, from the sources, on tiny points (a second or two each): a sweep
 * writes every point and the study's table, plots and page; a second sweep skips what is finished;
 * a failed point is recorded and does not stop the others; --index, --dry-run and --collect; and an
 * interrupted sweep — a worker killed by SIGKILL, then the sweep itself — resumes without losing or
 * redoing a finished point, and its orphaned workers die.
 */

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/tiny-1d.json', import.meta.url));
const cliSource = join(root, 'packages', 'compare', 'src', 'cli.ts');
const tsx = pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const tmp = mkdtempSync(join(tmpdir(), 'freqbias-sweep-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type Json = Record<string, unknown>;
const tiny = () => JSON.parse(readFileSync(fixture, 'utf8')) as Json;

interface Run {
  readonly child: ChildProcess;
  /** Resolves when the process has exited. */
  readonly exit: Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>;
  /** Resolves with the first stderr line matching `pattern`. */
  line(pattern: RegExp): Promise<RegExpExecArray>;
}

function freqbias(cwd: string, ...args: string[]): Run {
  const child = spawn(process.execPath, ['--import', tsx, cliSource, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiting: { pattern: RegExp; done: (m: RegExpExecArray) => void }[] = [];
  child.stdout!.on('data', (d) => {
    stdout += d;
  });
  child.stderr!.on('data', (d) => {
    stderr += d;
    for (const w of [...waiting]) {
      const m = w.pattern.exec(stderr);
      if (m) {
        waiting.splice(waiting.indexOf(w), 1);
        w.done(m);
      }
    }
  });
  const exit = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((done) => child.on('close', (code, signal) => done({ code, signal, stdout, stderr })));
  return {
    child,
    exit,
    line: (pattern) =>
      new Promise((done, fail) => {
        const m = pattern.exec(stderr);
        if (m) return done(m);
        waiting.push({ pattern, done });
        void exit.then(() => fail(new Error(`exited before ${pattern}:\n${stderr}`)));
      }),
  };
}

/** A study folder's point folders (not hidden leftovers). */
const pointFolders = (out: string) =>
  existsSync(join(out, 'points'))
    ? readdirSync(join(out, 'points'))
        .filter((f) => !f.startsWith('.'))
        .sort()
    : [];
const record = (out: string, id: string) =>
  JSON.parse(readFileSync(join(out, 'points', id, 'point.json'), 'utf8'));
const csvRows = (out: string) => {
  const [header, ...rows] = readFileSync(join(out, 'study.csv'), 'utf8').trim().split('\n');
  const columns = header.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, j) => [columns[j], v])));
};
/** The modification times of a folder and of every entry in it, by relative path. */
const folderMtimes = (folder: string) =>
  Object.fromEntries(
    ['.', ...readdirSync(folder, { recursive: true, encoding: 'utf8' })].map((f) => [
      f,
      statSync(join(folder, f)).mtimeMs,
    ]),
  );
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('freqbias sweep', () => {
  it('runs every point, records a failure without stopping the others; --dry-run and --collect', async () => {
    const dir = mkdtempSync(join(tmp, 'a-'));
    // three points zipped: two run, the third's target frequency 40 is beyond π/h ≈ 25 and is refused
    writeFileSync(
      join(dir, 'study.json'),
      JSON.stringify({
        name: 'a',
        base: tiny(),
        set: { claims: [] },
        combine: 'zip',
        axes: [
          { path: 'network.width', values: [256, 512, 256] },
          {
            path: 'target.frequencies',
            values: [
              [3, 10],
              [3, 10],
              [3, 40],
            ],
            labels: ['3+10', '3+10', '3+40'],
          },
        ],
      }),
    );
    const first = await freqbias(dir, 'sweep', 'study.json', '--out', 'out', '--jobs', '2').exit;
    expect(first.code, first.stderr).toBe(1);
    expect(first.stderr).toMatch(/^done +\d\/3 points\[0\] [0-9a-f]{12} network\.width = 256/m);
    expect(first.stderr).toMatch(/^FAILED +\d\/3 points\[2\] .*target/m);
    expect(first.stderr).toMatch(/^freqbias: 1 of 3 points failed \(first: points\[2\]/m);
    expect(first.stdout).toMatch(
      /^study a: 3 run now with 2 worker\(s\).*2 done, 1 failed, 0 pending of 3$/m,
    );
    const out = join(dir, 'out');
    const rows = csvRows(out);
    expect(rows.map((r) => r.status)).toEqual(['done', 'done', 'failed']);
    expect(Number(rows[0]['nnVsPde.max'])).toBeGreaterThan(0);
    expect(rows[2].error).toMatch(/target/);
    for (const f of [
      'study.json',
      'study.html',
      'freqbias-manifest.json',
      'nnVsPde.max-vs-network.width.png',
    ])
      expect(existsSync(join(out, f)), f).toBe(true);
    const ids = rows.map((r) => r.id);
    expect(pointFolders(out)).toEqual([...ids].sort());
    expect(record(out, ids[2])).toMatchObject({ status: 'failed', error: expect.stringMatching(/target/) });
    expect(existsSync(join(out, 'points', ids[0], 'report.html'))).toBe(true);

    // --dry-run lists the points and where they stand; --collect rebuilds the table from the point
    // folders alone, and its exit code still says a point failed (a second sweep, skipping finished
    // points, is the kill test's resume below; --index runs in the Slurm test)
    rmSync(join(out, 'study.csv'));
    const [dry, collected] = await Promise.all([
      freqbias(dir, 'sweep', 'study.json', '--out', 'out', '--dry-run').exit,
      freqbias(dir, 'sweep', 'study.json', '--out', 'out', '--collect').exit,
    ]);
    expect(collected.code, collected.stderr).toBe(1);
    expect(collected.stdout).toMatch(/^study a: collected; 2 done, 1 failed, 0 pending of 3$/m);
    expect(csvRows(out)).toEqual(rows);
    expect(dry.code).toBe(0);
    expect(dry.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(`^0 ${ids[0]} done +network\\.width = 256, target\\.frequencies = \\[3,10\\]$`),
      ),
      expect.stringMatching(new RegExp(`^1 ${ids[1]} done `)),
      expect.stringMatching(new RegExp(`^2 ${ids[2]} failed `)),
    ]);
  });

  it('a worker killed by SIGKILL fails its point only; the sweep killed by SIGKILL resumes and loses nothing', async () => {
    const dir = mkdtempSync(join(tmp, 'kill-'));
    writeFileSync(
      join(dir, 'study.json'),
      JSON.stringify({
        name: 'kill',
        base: tiny(),
        set: { claims: [] },
        axes: [
          { path: 'network.width', values: [256, 512] },
          { path: 'seed', values: [0, 1] },
        ],
      }),
    );
    const out = join(dir, 'out');
    const sweep = freqbias(dir, 'sweep', 'study.json', '--out', 'out', '--jobs', '1');
    // the worker is killed as soon as it has its first point; a new worker takes the next
    const started = await sweep.line(/^start +points\[(\d+)\] ([0-9a-f]{12}) \(process (\d+)\)$/m);
    const [, , killedId, killedPid] = started;
    process.kill(Number(killedPid), 'SIGKILL');
    await sweep.line(new RegExp(`^FAILED .*${killedId}.*was killed \\(SIGKILL\\)`, 'm'));
    // then the sweep itself, once another point is done
    await sweep.line(/^done /m);
    process.kill(sweep.child.pid!, 'SIGKILL');
    const killed = await sweep.exit;
    expect(killed.signal).toBe('SIGKILL');
    // its workers notice and end
    const pids = [...killed.stderr.matchAll(/\(process (\d+)\)$/gm)].map((m) => Number(m[1]));
    const deadline = Date.now() + 20_000;
    while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(pids.filter(alive)).toEqual([]);

    // every point folder is whole: a finished report, or the killed worker's failure
    const finished = new Map<string, string>();
    const mtimes = new Map<string, Record<string, number>>();
    for (const id of pointFolders(out)) {
      const r = record(out, id);
      if (id === killedId)
        expect(r).toMatchObject({ status: 'failed', error: expect.stringMatching(/SIGKILL/) });
      else {
        expect(r.status).toBe('done');
        for (const f of ['report.json', 'report.html', 'freqbias-manifest.json'])
          expect(existsSync(join(out, 'points', id, f)), `${id}/${f}`).toBe(true);
        finished.set(id, readFileSync(join(out, 'points', id, 'point.json'), 'utf8'));
        mtimes.set(id, folderMtimes(join(out, 'points', id)));
      }
    }
    expect(finished.size).toBeGreaterThanOrEqual(1);
    expect(finished.size).toBeLessThan(4);

    // the next sweep takes over the dead sweep's lock, runs only what is not finished, and ends clean
    const resumed = await freqbias(dir, 'sweep', 'study.json', '--out', 'out', '--jobs', '1').exit;
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(
      new RegExp(
        `${4 - finished.size} run now .* ${finished.size} finished before; 4 done, 0 failed, 0 pending of 4`,
      ),
    );
    // a finished point is not run again: not started, its folder and every file in it untouched
    for (const [id, text] of finished) {
      expect(resumed.stderr).not.toContain(id);
      expect(readFileSync(join(out, 'points', id, 'point.json'), 'utf8')).toBe(text);
      expect(folderMtimes(join(out, 'points', id))).toEqual(mtimes.get(id));
    }
    expect(resumed.stderr).toMatch(new RegExp(`^done .*${killedId}`, 'm'));
    expect(csvRows(out).map((r) => r.status)).toEqual(Array(4).fill('done'));
    expect(readdirSync(join(out, 'points')).filter((f) => f.startsWith('.'))).toEqual([]);
    expect(existsSync(join(out, '.freqbias-sweep.lock'))).toBe(false);
  });
});
