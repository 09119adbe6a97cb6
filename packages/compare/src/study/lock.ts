import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ReportFolderError } from '../report/folder/index.js';

/** The file that marks a study folder as being swept (one local sweep at a time per folder). */
export const SWEEP_LOCK = '.freqbias-sweep.lock';

interface LockContent {
  readonly host: string;
  readonly pid: number;
  readonly startedAt: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the sweep lock of the study folder `out` (created atomically); a lock left by a process of
 * this host that is gone (a sweep killed by SIGKILL) is taken over. Throws a one-line error naming
 * the process that holds it. Returns the release function.
 *
 * @example
 * const release = takeSweepLock('out/width-scan');
 * try { … } finally { release(); }
 */
export function takeSweepLock(out: string): () => void {
  const path = join(out, SWEEP_LOCK);
  const mine: LockContent = { host: hostname(), pid: process.pid, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, `${JSON.stringify(mine)}\n`, { flag: 'wx' });
      return () => {
        try {
          const now = JSON.parse(readFileSync(path, 'utf8')) as LockContent;
          if (now.pid === mine.pid && now.host === mine.host) rmSync(path, { force: true });
        } catch {
          // gone already
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let held: LockContent | undefined;
    try {
      held = JSON.parse(readFileSync(path, 'utf8')) as LockContent;
    } catch {
      held = undefined; // a torn or foreign lock: treat it as stale
    }
    if (held && (held.host !== mine.host || alive(held.pid)))
      throw new ReportFolderError(
        `output folder ${out}: another sweep is running there (process ${held.pid} on ${held.host}, since ${held.startedAt}); wait for it, or remove ${path} if it is gone`,
      );
    rmSync(path, { force: true });
  }
  throw new ReportFolderError(`output folder ${out}: cannot take the sweep lock ${path}`);
}
