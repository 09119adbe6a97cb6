import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, normalize, resolve } from 'node:path';
import { type Manifest, readManifest } from './manifest.js';
import { COMMITTED, isDirectory, NEW_SIBLING, REPORT_MANIFEST, ReportFolderError, STAGING } from './paths.js';

/** Whether the process that tagged a leftover can still be running (then it is not a leftover). */
function ownerAlive(tag: string, path: string): boolean {
  const match = /^(.*)-(\d+)-[0-9a-f]{8}$/.exec(tag);
  if (!match) return true;
  const [, host, pid] = match;
  if (host !== safeHost()) {
    // another machine's write (shared file system): stale after a day
    try {
      return Date.now() - statSync(path).mtimeMs < 86_400_000;
    } catch {
      return false;
    }
  }
  if (Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function safeHost(): string {
  return (
    hostname()
      .replace(/[^A-Za-z0-9_.]/g, '_')
      .slice(0, 40) || 'host'
  );
}

/** The tag of this write: host, process id and a random suffix (see {@link ownerAlive}). */
export function newTag(): string {
  return `${safeHost()}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Moves a committed staging's files into place, removes the old report's stale files, then the manifest. */
export function rollForward(target: string, staging: string, oldFiles: readonly string[]): void {
  const manifest = JSON.parse(readFileSync(join(staging, COMMITTED), 'utf8')) as Manifest;
  for (const f of manifest.files) {
    const from = join(staging, f);
    if (!existsSync(from)) continue; // moved before an interruption
    mkdirSync(dirname(join(target, f)), { recursive: true });
    renameSync(from, join(target, f));
  }
  const kept = new Set(manifest.files.map(normalize));
  for (const f of oldFiles) {
    if (kept.has(normalize(f))) continue;
    rmSync(join(target, f), { force: true });
    // remove the sub-folders that held only our files
    for (let d = dirname(f); d !== '.'; d = dirname(d)) {
      try {
        rmdirSync(join(target, d));
      } catch {
        break;
      }
    }
  }
  renameSync(join(staging, COMMITTED), join(target, REPORT_MANIFEST));
  rmSync(staging, { recursive: true, force: true });
}

/**
 * Completes or removes what interrupted writes left at `outDir`: a committed staging folder is
 * rolled forward (the new report takes its place), an uncommitted one and hidden sibling folders of
 * processes that are gone are removed. Touches nothing freqbias did not write. Returns the number of
 * leftovers handled.
 *
 * @example
 * recoverReportFolder('out/gaussian-1d'); // 0 after a clean run
 */
export function recoverReportFolder(outDir: string): number {
  const target = resolve(outDir);
  let handled = 0;
  const parent = dirname(target);
  const prefix = `.${basename(target)}${NEW_SIBLING}`;
  // what freqbias 0.1 left: `.<name>.tmp-<pid>-<hex>` and `.<name>.old-<pid>-<hex>`
  const legacy = new RegExp(`^\\.${escapeRegExp(basename(target))}\\.(?:tmp|old)-(\\d+)-[0-9a-f]{8}$`);
  if (isDirectory(parent)) {
    for (const name of readdirSync(parent)) {
      const path = join(parent, name);
      if (name.startsWith(prefix)) {
        if (ownerAlive(name.slice(prefix.length), path)) continue;
      } else {
        const old = legacy.exec(name);
        if (!old || ownerAlive(`${safeHost()}-${old[1]}-00000000`, path)) continue;
      }
      rmSync(path, { recursive: true, force: true });
      handled++;
    }
  }
  if (!isDirectory(target)) return handled;
  for (const name of readdirSync(target)) {
    if (!name.startsWith(STAGING)) continue;
    const staging = join(target, name);
    if (ownerAlive(name.slice(STAGING.length), staging)) {
      throw new ReportFolderError(
        `output folder ${target}: another freqbias process is writing there (${name}); try again when it has finished`,
      );
    }
    if (existsSync(join(staging, COMMITTED))) {
      const old = readManifest(target)?.files ?? [];
      rollForward(target, staging, old);
    } else {
      rmSync(staging, { recursive: true, force: true });
    }
    handled++;
  }
  return handled;
}
