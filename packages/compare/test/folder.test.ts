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
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkReportFolder,
  REPORT_MANIFEST,
  recoverReportFolder,
  writeReportFolder,
} from '../src/report/folder/index.js';

/*
 * Report folders (issue 8): freqbias replaces only what it wrote, refuses folders holding anything
 * else before any work, and survives SIGKILL at any instant.
 */

const root = mkdtempSync(join(tmpdir(), 'freqbias-folder-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let count = 0;
const fresh = () => join(root, `case-${count++}`);
const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, REPORT_MANIFEST), 'utf8'));
const host = hostname()
  .replace(/[^A-Za-z0-9_.]/g, '_')
  .slice(0, 40);
/** A pid that is surely not running. */
const deadPid = 2 ** 22 + 17;

describe('report folder', () => {
  it('writes every file with a manifest listing them, leaving no temporary folder', async () => {
    const out = fresh();
    await writeReportFolder(out, { 'report.json': '{"a":1}\n', 'sub/x.csv': 'a\n1\n' });
    expect(readFileSync(join(out, 'sub/x.csv'), 'utf8')).toBe('a\n1\n');
    expect(manifest(out).files.sort()).toEqual(['report.json', join('sub', 'x.csv')]);
    expect(readdirSync(root).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('replaces a previous report only with overwrite, removing its stale files and nothing else', async () => {
    const out = fresh();
    await writeReportFolder(out, { 'report.json': '{"a":1}\n', 'sub/x.csv': 'x', 'old.csv': 'o' });
    await expect(writeReportFolder(out, { 'report.json': '{}' })).rejects.toThrow(/already exists/);
    await writeReportFolder(out, { 'report.json': '{"a":2}\n' }, { overwrite: true });
    expect(readdirSync(out).sort()).toEqual([REPORT_MANIFEST, 'report.json'].sort());
    expect(readFileSync(join(out, 'report.json'), 'utf8')).toBe('{"a":2}\n');
  });

  it('refuses a folder with a foreign file, naming it, and leaves the folder untouched', async () => {
    // the case of issue 8: a report.json alone does not make a folder a report
    const out = fresh();
    mkdirSync(out);
    writeFileSync(join(out, 'report.json'), '{}');
    writeFileSync(join(out, 'thesis.tex'), 'x');
    await expect(checkReportFolder(out, { overwrite: true })).rejects.toThrow(/report\.json|thesis\.tex/);
    await expect(writeReportFolder(out, { 'report.json': '{"new":1}' }, { overwrite: true })).rejects.toThrow(
      /which freqbias did not write/,
    );
    expect(readFileSync(join(out, 'thesis.tex'), 'utf8')).toBe('x');
    expect(readFileSync(join(out, 'report.json'), 'utf8')).toBe('{}');

    // a file added to a real report is foreign too
    const report = fresh();
    await writeReportFolder(report, { 'report.json': '{}' });
    writeFileSync(join(report, 'notes.md'), 'mine');
    await expect(writeReportFolder(report, { 'report.json': '{}' }, { overwrite: true })).rejects.toThrow(
      /"notes\.md", which freqbias did not write/,
    );
    expect(readFileSync(join(report, 'notes.md'), 'utf8')).toBe('mine');

    // a folder inside a report, and a damaged manifest
    const nested = fresh();
    await writeReportFolder(nested, { 'report.json': '{}' });
    mkdirSync(join(nested, 'data'));
    await expect(checkReportFolder(nested, { overwrite: true })).rejects.toThrow(/"data"/);
    const damaged = fresh();
    mkdirSync(damaged);
    writeFileSync(join(damaged, REPORT_MANIFEST), '{"files": "all"}');
    await expect(checkReportFolder(damaged, { overwrite: true })).rejects.toThrow(/not a freqbias manifest/);
  });

  it('replaces a report written before manifests, and nothing that merely looks like one', async () => {
    const legacy = fresh();
    mkdirSync(legacy);
    writeFileSync(
      join(legacy, 'report.json'),
      JSON.stringify({ versions: { '@freqbias/compare': '0.1.0' } }),
    );
    writeFileSync(join(legacy, 'heatmap.png'), 'png');
    await writeReportFolder(legacy, { 'report.json': '{"v":2}' }, { overwrite: true });
    expect(readdirSync(legacy).sort()).toEqual([REPORT_MANIFEST, 'report.json'].sort());
  });

  it('writes into an empty folder (the current directory, say) without removing it', async () => {
    const out = fresh();
    mkdirSync(out);
    await writeReportFolder(out, { 'report.json': '{}' });
    expect(readdirSync(out).sort()).toEqual([REPORT_MANIFEST, 'report.json'].sort());
  });

  it('refuses impossible paths before writing anything', async () => {
    const file = join(root, 'plain-file');
    writeFileSync(file, 'x');
    await expect(checkReportFolder(file)).rejects.toThrow(/is a file, not a folder/);
    await expect(checkReportFolder(join(file, 'sub', 'out'))).rejects.toThrow(/is a file, so no folder/);
    await expect(checkReportFolder(join(root, 'x'.repeat(250)))).rejects.toThrow(/is too long/);
    await expect(
      checkReportFolder(join(root, 'a'.repeat(200), 'b'.repeat(200), 'c'.repeat(4000))),
    ).rejects.toThrow(/too long/);
    expect(readFileSync(file, 'utf8')).toBe('x');
    // the file-system root: refused at once by its first entry, not walked
    await expect(checkReportFolder('/', { overwrite: true })).rejects.toThrow(/which freqbias did not write/);
  });

  it('rejects bad file names and contents before creating anything', async () => {
    const failed = fresh();
    await expect(writeReportFolder(failed, { 'report.json': '{}', '../escape.txt': 'x' })).rejects.toThrow(
      /invalid file name/,
    );
    await expect(writeReportFolder(failed, { [REPORT_MANIFEST]: 'x' })).rejects.toThrow(/reserved/);
    await expect(
      writeReportFolder(failed, { 'report.json': '{}', 'x.csv': 1 as unknown as string }),
    ).rejects.toThrow(/expected a string or bytes/);
    expect(existsSync(failed)).toBe(false);
  });

  it('cleans up what interrupted writes left, and completes a committed one', async () => {
    const out = fresh();
    await writeReportFolder(out, { 'report.json': 'old', 'a.csv': 'old', 'gone.csv': 'old' });
    // a committed staging, half moved: a.csv is new already, report.json still in staging
    const staging = join(out, `.freqbias-staging-${host}-${deadPid}-0123abcd`);
    mkdirSync(staging);
    writeFileSync(join(staging, 'report.json'), 'new');
    writeFileSync(join(out, 'a.csv'), 'new');
    writeFileSync(
      join(staging, REPORT_MANIFEST),
      JSON.stringify({ freqbias: 'report folder', version: 1, files: ['report.json', 'a.csv'] }),
    );
    // an uncommitted staging and a sibling of a process that is gone
    const uncommitted = join(out, `.freqbias-staging-${host}-${deadPid}-4567abcd`);
    mkdirSync(uncommitted);
    writeFileSync(join(uncommitted, 'report.json'), 'half');
    const sibling = join(root, `.case-x.freqbias-new-${host}-${deadPid}-89abcdef`);
    mkdirSync(sibling);
    const legacySibling = join(root, `.case-x.tmp-${deadPid}-89abcdef`);
    mkdirSync(legacySibling);
    // the pre-run check sees the half-moved report as ours
    await checkReportFolder(out, { overwrite: true });
    expect(recoverReportFolder(out)).toBe(2);
    expect(readdirSync(out).sort()).toEqual([REPORT_MANIFEST, 'a.csv', 'report.json'].sort());
    expect(readFileSync(join(out, 'report.json'), 'utf8')).toBe('new');
    expect(recoverReportFolder(join(root, 'case-x'))).toBe(2);
    expect(existsSync(sibling) || existsSync(legacySibling)).toBe(false);
  });

  it('refuses to write where another live freqbias process is writing', async () => {
    const out = fresh();
    await writeReportFolder(out, { 'report.json': '{}' });
    mkdirSync(join(out, `.freqbias-staging-${host}-${process.ppid}-0123abcd`));
    await expect(writeReportFolder(out, { 'report.json': '{}' }, { overwrite: true })).rejects.toThrow(
      /another freqbias process is writing there/,
    );
  });
});

const writer = fileURLToPath(new URL('./helpers/folder-writer.ts', import.meta.url));

/** Starts the writer, waits for its first report, lets it run `ms` more, then sends `signal`. */
function killWriterAfter(
  out: string,
  ms: number,
  signal: NodeJS.Signals = 'SIGKILL',
): Promise<NodeJS.Signals | null> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, out], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.on('error', fail);
    child.stdout.once('data', () => setTimeout(() => child.kill(signal), ms));
    child.on('exit', (_, received) => done(received));
  });
}

/** Every file at `out` is a whole file of version A or B; returns the versions seen. */
function wholeFiles(out: string): Set<string> {
  const seen = new Set<string>();
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir)) {
      if (name.startsWith('.freqbias-staging-')) continue;
      const path = join(dir, name);
      if (name === 'sub') {
        walk(path, `${rel}sub/`);
        continue;
      }
      if (name === REPORT_MANIFEST) continue;
      const text = readFileSync(path, 'utf8');
      const match = /^([AB]):(\d+|only):(x*)\n$/.exec(text);
      expect(match, `${rel}${name} is torn`).not.toBeNull();
      if (match![2] !== 'only') expect(match![3].length).toBe(20_000 + 997 * Number(match![2]));
      seen.add(match![1]);
    }
  };
  walk(out, '');
  return seen;
}

describe('report folder under SIGKILL', () => {
  it('is always whole, at random instants, and consistent after recovery', async () => {
    const out = join(root, 'killed');
    for (let trial = 0; trial < 8; trial++) {
      await killWriterAfter(out, Math.random() * 40);
      expect(existsSync(join(out, REPORT_MANIFEST))).toBe(true);
      // every file the manifest lists is there (but the old report's stale one, removed last)
      for (const f of manifest(out).files as string[])
        if (f !== 'only-a.txt') expect(existsSync(join(out, f)), f).toBe(true);
      wholeFiles(out);
      recoverReportFolder(out);
      const versions = wholeFiles(out);
      expect(versions.size).toBe(1);
      const files = manifest(out).files as string[];
      expect(
        readdirSync(out)
          .filter((n) => n !== REPORT_MANIFEST && n !== 'sub')
          .concat(readdirSync(join(out, 'sub')).map((n) => join('sub', n)))
          .sort(),
      ).toEqual([...files].sort());
      expect(readdirSync(out).some((n) => n.startsWith('.'))).toBe(false);
    }
    expect(readdirSync(root).filter((n) => n.startsWith('.killed'))).toEqual([]);
  }, 120_000);
});

describe('report folder under SIGTERM and SIGINT', () => {
  it('finishes the write in progress, then exits by the signal, leaving nothing behind', async () => {
    const out = join(root, 'terminated');
    for (const [trial, signal] of (['SIGTERM', 'SIGINT', 'SIGTERM', 'SIGINT'] as const).entries()) {
      const received = await killWriterAfter(out, 5 + 10 * trial, signal);
      expect(received).toBe(signal);
      // no recovery needed: no staging folder, every file of one version, matching the manifest
      expect(readdirSync(out).filter((n) => n.startsWith('.'))).toEqual([]);
      expect(wholeFiles(out).size).toBe(1);
      expect(recoverReportFolder(out)).toBe(0);
    }
    expect(readdirSync(root).filter((n) => n.startsWith('.terminated'))).toEqual([]);
  }, 60_000);
});
