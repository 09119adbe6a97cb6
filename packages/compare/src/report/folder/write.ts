import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { type FolderState, folderState, manifestText } from './manifest.js';
import {
  COMMITTED,
  checkName,
  checkPath,
  fsError,
  isDirectory,
  NEW_SIBLING,
  PENDING,
  REPORT_MANIFEST,
  ReportFolderError,
  STAGING,
} from './paths.js';
import { newTag, recoverReportFolder, rollForward } from './recovery.js';

/** File contents by relative path inside the report folder (sub-folders allowed). */
export type ReportFiles = Readonly<Record<string, string | Uint8Array>>;

export interface WriteReportOptions {
  /**
   * Replace a previous report at `outDir` (default false: refuse an existing report). Even then only
   * a folder that is empty or holds a freqbias report and nothing else is replaced, so a mistyped
   * `--out` cannot delete unrelated data.
   */
  readonly overwrite?: boolean;
  /**
   * Top-level names in `outDir` that are not part of this report and are left alone (a study folder's
   * `points/`, written point by point as report folders of their own).
   */
  readonly alongside?: readonly string[];
}

/**
 * Throws a one-line {@link ReportFolderError} unless `outDir` can take a report: it does not exist
 * (and can be created), or it is an empty folder, or — with `overwrite` — a folder holding a freqbias
 * report and nothing else. Lets a caller refuse a bad output folder before a long run. Writes nothing.
 *
 * @example
 * await checkReportFolder('out/gaussian-1d', { overwrite: true }); // throws if it holds other data
 */
export async function checkReportFolder(outDir: string, options: WriteReportOptions = {}): Promise<void> {
  checkReportFolderSync(outDir, options);
}

function checkReportFolderSync(outDir: string, options: WriteReportOptions): FolderState {
  const target = resolve(outDir);
  checkPath(target);
  let state: FolderState;
  try {
    state = folderState(target, options.alongside);
  } catch (error) {
    if (error instanceof ReportFolderError) throw error;
    throw fsError('cannot read output folder', target, error);
  }
  if (state.kind === 'report' && !options.overwrite)
    throw new ReportFolderError(
      `output folder ${target}: already exists (pass overwrite to replace a previous report)`,
    );
  return state;
}

function writeAll(dir: string, entries: readonly (readonly [string, string | Uint8Array])[]): void {
  for (const [name, content] of entries) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
}

/**
 * Runs the synchronous `work` with SIGINT/SIGTERM/SIGHUP held back: a signal that arrives meanwhile
 * is delivered to JavaScript only when the event loop turns, so the listeners stay installed for two
 * turns after the work, and a signal that arrived is then re-raised with the default action.
 */
async function withSignalsHeld<T>(work: () => T): Promise<T> {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  let received: NodeJS.Signals | undefined;
  const hold = (signal: NodeJS.Signals) => {
    received ??= signal;
  };
  for (const s of signals) process.on(s, hold);
  try {
    return work();
  } finally {
    for (let turn = 0; turn < 2; turn++) await new Promise((done) => setImmediate(done));
    for (const s of signals) process.off(s, hold);
    if (received) process.kill(process.pid, received);
  }
}

/**
 * Writes a report folder whole or not at all, together with its manifest (see the notes in
 * report/folder/index.ts). An existing report at `outDir` is refused unless `overwrite` is set; a folder that
 * holds anything freqbias did not write is always refused, naming the foreign file. Errors are
 * one-line {@link ReportFolderError}s naming the path. Returns the absolute path.
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
  const entries = Object.entries(files).map(([name, content]) => {
    if (typeof content !== 'string' && !(content instanceof Uint8Array))
      throw new ReportFolderError(`writeReportFolder: ${JSON.stringify(name)}: expected a string or bytes`);
    return [checkName(name), content] as const;
  });
  const names = entries.map(([name]) => name);
  await withSignalsHeld(() => {
    checkPath(target);
    try {
      recoverReportFolder(target);
    } catch (error) {
      if (error instanceof ReportFolderError) throw error;
      throw fsError('cannot clean up an interrupted write in', target, error);
    }
    const state = checkReportFolderSync(target, options);
    const tag = newTag();
    if (state.kind === 'absent') {
      const parent = dirname(target);
      const tmp = join(parent, `.${basename(target)}${NEW_SIBLING}${tag}`);
      try {
        mkdirSync(parent, { recursive: true });
        mkdirSync(tmp);
        writeAll(tmp, entries);
        writeFileSync(join(tmp, REPORT_MANIFEST), manifestText(names));
        renameSync(tmp, target);
      } catch (error) {
        rmSync(tmp, { recursive: true, force: true });
        if (existsSync(target) && !isDirectory(tmp))
          throw new ReportFolderError(
            `output folder ${target}: appeared while the report was written; not replacing it`,
          );
        throw fsError('cannot write report folder', target, error);
      }
      return;
    }
    const staging = join(target, `${STAGING}${tag}`);
    try {
      mkdirSync(staging);
      writeAll(staging, entries);
      writeFileSync(join(staging, PENDING), manifestText(names));
      renameSync(join(staging, PENDING), join(staging, COMMITTED)); // the commit point
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      throw fsError('cannot write report folder', target, error);
    }
    try {
      rollForward(target, staging, state.kind === 'report' ? state.files : []);
    } catch (error) {
      throw fsError('interrupted while replacing the report in', target, error);
    }
  });
  return target;
}
