import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, normalize, resolve, sep } from 'node:path';

/** File contents by relative path inside the report folder (sub-folders allowed). */
export type ReportFiles = Readonly<Record<string, string | Uint8Array>>;

export interface WriteReportOptions {
  /**
   * Replace an existing folder at `outDir` (default false: refuse). Even then, only a folder that is
   * empty or holds a previous report (a `report.json`) is replaced, so a mistyped `--out` cannot
   * delete unrelated data.
   */
  readonly overwrite?: boolean;
}

function checkName(name: string): string {
  const n = normalize(name);
  if (!name || isAbsolute(name) || n.startsWith('..') || n.split(sep).includes('..'))
    throw new Error(`writeReportFolder: invalid file name ${JSON.stringify(name)}`);
  return n;
}

async function replaceable(dir: string): Promise<boolean> {
  if (!(await stat(dir)).isDirectory()) return false;
  const entries = await readdir(dir);
  return entries.length === 0 || entries.includes('report.json');
}

/**
 * Throws unless `outDir` can take a report: it does not exist, or (with `overwrite`) it is empty or
 * holds a previous report. Lets a caller refuse a bad output folder before a long run.
 *
 * @example
 * await checkReportFolder('out/gaussian-1d', { overwrite: true }); // throws if it holds other data
 */
export async function checkReportFolder(outDir: string, options: WriteReportOptions = {}): Promise<void> {
  const target = resolve(outDir);
  if (!existsSync(target)) return;
  if (!options.overwrite)
    throw new Error(
      `writeReportFolder: ${target} already exists (pass overwrite to replace a previous report)`,
    );
  if (!(await replaceable(target)))
    throw new Error(
      `writeReportFolder: ${target} exists and is not a previous report (no report.json); not replacing it`,
    );
}

/**
 * Writes a report folder whole or not at all: every file goes into a temporary sibling folder
 * (`.<name>.tmp-…`), which is renamed to `outDir` only when all writes succeeded. An existing
 * `outDir` is refused unless `overwrite` is set (see {@link WriteReportOptions}); then it is moved
 * aside, the new folder renamed into place, and the old one deleted. Returns the absolute path.
 *
 * @example
 * await writeReportFolder('out/gaussian-1d', { 'report.json': json, 'heatmap.png': png }, { overwrite: true });
 */
export async function writeReportFolder(
  outDir: string,
  files: ReportFiles,
  options: WriteReportOptions = {},
): Promise<string> {
  const target = resolve(outDir);
  const entries = Object.entries(files).map(([name, content]) => [checkName(name), content] as const);
  const refuse = () => checkReportFolder(target, options);
  await refuse();
  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const tmp = join(parent, `.${basename(target)}.tmp-${tag}`);
  try {
    await mkdir(tmp);
    for (const [name, content] of entries) {
      const path = join(tmp, name);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, content);
    }
    await refuse(); // the folder may have appeared while we wrote
    if (existsSync(target)) {
      const old = join(parent, `.${basename(target)}.old-${tag}`);
      await rename(target, old);
      await rename(tmp, target);
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(tmp, target);
    }
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
  return target;
}
