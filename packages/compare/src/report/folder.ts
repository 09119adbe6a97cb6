import { randomBytes } from 'node:crypto';
import {
  accessSync,
  constants,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, isAbsolute, join, normalize, resolve, sep } from 'node:path';

/*
 * Report folders that never lose a user's data (issue 8).
 *
 * - A report folder carries a manifest (`freqbias-manifest.json`) listing the files freqbias wrote.
 *   Only such a folder (or an empty one) is ever replaced, and only the files in its manifest are
 *   removed: a folder holding anything else is refused, naming the foreign file.
 * - A new folder is written as a hidden sibling and renamed into place (one atomic rename).
 * - An existing report is replaced in place: the new files go into a hidden staging folder inside it;
 *   writing the staging manifest commits the new report; each file then replaces its old version by an
 *   atomic rename, stale files of the old report are removed, and the manifest goes last. Every file
 *   at `outDir` is whole at every instant, and a SIGKILL at any point leaves either the old report
 *   (staging not committed) or a committed staging that the next write, or {@link recoverReportFolder},
 *   completes.
 * - The write itself is synchronous, so SIGINT/SIGTERM/SIGHUP arriving during it are handled after it
 *   has finished (the folder is never left half-written by a Ctrl-C), then re-raised.
 * - Leftovers of interrupted writes (staging or sibling folders whose process is gone) are removed by
 *   the next write to the same place.
 */

/** The manifest that marks a folder as freqbias's own and lists what it wrote. */
export const REPORT_MANIFEST = 'freqbias-manifest.json';
const STAGING = '.freqbias-staging-';
const COMMITTED = REPORT_MANIFEST;
const PENDING = '.manifest.pending';
const NEW_SIBLING = '.freqbias-new-';
/** Room kept in the folder's name for the hidden sibling's suffix. */
const SUFFIX_ROOM = 64;
const NAME_MAX = 255;
const PATH_MAX = 4000;

/** The files of a report written before manifests existed; such a folder is still replaceable. */
const LEGACY_REPORT_FILES = new Set([
  'report.json',
  'report.html',
  'heatmap.png',
  'discrepancy.png',
  'discrepancy.csv',
  'learning-times.png',
  'learning-times.csv',
  'spectra-nn.csv',
  'spectra-pde.csv',
  'spectra-kernel.csv',
]);

/** File contents by relative path inside the report folder (sub-folders allowed). */
export type ReportFiles = Readonly<Record<string, string | Uint8Array>>;

export interface WriteReportOptions {
  /**
   * Replace a previous report at `outDir` (default false: refuse an existing report). Even then only
   * a folder that is empty or holds a freqbias report and nothing else is replaced, so a mistyped
   * `--out` cannot delete unrelated data.
   */
  readonly overwrite?: boolean;
}

/** A folder that cannot take a report; the message is one line and names the path. */
export class ReportFolderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportFolderError';
  }
}

interface Manifest {
  readonly freqbias: 'report folder';
  readonly version: 1;
  readonly files: string[];
  readonly writtenAt: string;
}

/** What is at a folder's path: nothing, an empty folder, or a report (with its files). */
type FolderState =
  | { readonly kind: 'absent' }
  | { readonly kind: 'empty' }
  | { readonly kind: 'report'; readonly files: readonly string[] };

function checkName(name: string): string {
  const n = normalize(name);
  if (!name || isAbsolute(name) || n.startsWith('..') || n.split(sep).includes('..') || n === '.')
    throw new ReportFolderError(`writeReportFolder: invalid file name ${JSON.stringify(name)}`);
  if (n === REPORT_MANIFEST || n.startsWith(STAGING))
    throw new ReportFolderError(`writeReportFolder: ${JSON.stringify(name)} is a reserved name`);
  return n;
}

const codeText: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENAMETOOLONG: 'name too long',
  ENOTDIR: 'a part of the path is a file',
  EEXIST: 'already exists',
  ENOTEMPTY: 'already exists and is not empty',
  EISDIR: 'is a folder',
  EIO: 'input/output error',
};

/** A file-system error as one line naming the path and what went wrong (never a raw errno text). */
function fsError(what: string, path: string, error: unknown): ReportFolderError {
  const code = (error as NodeJS.ErrnoException)?.code;
  const why =
    (code && codeText[code]) ?? (error instanceof Error ? error.message.split('\n')[0] : String(error));
  return new ReportFolderError(`${what} ${path}: ${why}${code ? ` (${code})` : ''}`);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Refuses, before any work, an output path that could not take a folder: a name or path too long, a
 * part of it that is a file, or a first existing ancestor that is not a writable folder.
 */
function checkPath(target: string): void {
  if (Buffer.byteLength(target) > PATH_MAX)
    throw new ReportFolderError(
      `output folder ${target.slice(0, 60)}…: path too long (over ${PATH_MAX} bytes)`,
    );
  const parts = target.split(sep).filter(Boolean);
  const last = parts.at(-1) ?? '';
  for (const part of parts) {
    const room = part === last ? NAME_MAX - SUFFIX_ROOM : NAME_MAX;
    if (Buffer.byteLength(part) > room)
      throw new ReportFolderError(
        `output folder ${target.slice(0, 60)}…: the name ${JSON.stringify(`${part.slice(0, 24)}…`)} is too long (${Buffer.byteLength(part)} bytes, at most ${room})`,
      );
  }
  let existing = target;
  while (!existsSync(existing)) {
    const up = dirname(existing);
    if (up === existing) break;
    existing = up;
  }
  let info: ReturnType<typeof statSync>;
  try {
    info = statSync(existing);
  } catch (error) {
    throw fsError('cannot use output folder', target, error);
  }
  if (!info.isDirectory()) {
    throw new ReportFolderError(
      existing === target
        ? `output folder ${target}: is a file, not a folder`
        : `output folder ${target}: ${existing} is a file, so no folder can be made under it`,
    );
  }
  try {
    accessSync(existing, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw fsError(
      'cannot write output folder',
      existing === target ? target : `${target} (in ${existing})`,
      error,
    );
  }
}

function readManifest(dir: string): Manifest | undefined {
  const path = join(dir, REPORT_MANIFEST);
  if (!existsSync(path)) return undefined;
  try {
    const m = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
    if (
      m?.freqbias === 'report folder' &&
      Array.isArray(m.files) &&
      m.files.every((f) => typeof f === 'string')
    )
      return m;
  } catch {
    // fall through: a damaged manifest marks nothing as ours
  }
  throw new ReportFolderError(
    `output folder ${dir}: ${REPORT_MANIFEST} is not a freqbias manifest; not replacing anything there`,
  );
}

/** All files and folders under `dir`, as relative paths ('sub', 'sub/x.csv'); skips our staging. */
function entriesUnder(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!prefix && (name.startsWith(STAGING) || name === REPORT_MANIFEST)) continue;
    const rel = prefix ? `${prefix}${sep}${name}` : name;
    out.push(rel);
    const full = join(dir, name);
    if (lstatSync(full).isDirectory()) out.push(...entriesUnder(full, rel));
  }
  return out;
}

/** A folder of a report from before manifests: only report files, and a report.json freqbias wrote. */
function legacyReport(dir: string, entries: readonly string[]): boolean {
  if (!entries.includes('report.json') || !entries.every((e) => LEGACY_REPORT_FILES.has(e))) return false;
  try {
    const json = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    return typeof json?.versions?.['@freqbias/compare'] === 'string';
  } catch {
    return false;
  }
}

function folderState(target: string): FolderState {
  if (!existsSync(target)) return { kind: 'absent' };
  if (!isDirectory(target)) throw new ReportFolderError(`output folder ${target}: is a file, not a folder`);
  const manifest = readManifest(target);
  const entries = entriesUnder(target);
  if (!manifest) {
    if (entries.length === 0) return { kind: 'empty' };
    if (legacyReport(target, entries)) return { kind: 'report', files: entries };
    throw new ReportFolderError(
      `output folder ${target}: holds ${JSON.stringify(entries[0])}, which freqbias did not write; not replacing it (choose a new or empty folder)`,
    );
  }
  // files of a committed staging that an interruption left half moved are ours too
  const listed = [...manifest.files, ...committedStagings(target).flatMap((m) => m.files)];
  const ours = new Set(listed.map(normalize));
  // the folders on the way to our files are ours too
  for (const f of listed) for (let d = dirname(f); d !== '.'; d = dirname(d)) ours.add(normalize(d));
  const foreign = entries.find((e) => !ours.has(e));
  if (foreign)
    throw new ReportFolderError(
      `output folder ${target}: holds ${JSON.stringify(foreign)}, which freqbias did not write; not replacing it (move it, or choose another folder)`,
    );
  return { kind: 'report', files: manifest.files };
}

function committedStagings(target: string): Manifest[] {
  return readdirSync(target)
    .filter((name) => name.startsWith(STAGING) && existsSync(join(target, name, COMMITTED)))
    .flatMap((name) => {
      try {
        return [JSON.parse(readFileSync(join(target, name, COMMITTED), 'utf8')) as Manifest];
      } catch {
        return [];
      }
    });
}

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

function newTag(): string {
  return `${safeHost()}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Moves a committed staging's files into place, removes the old report's stale files, then the manifest. */
function rollForward(target: string, staging: string, oldFiles: readonly string[]): void {
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
  const state = folderState(target);
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

function manifestText(files: readonly string[]): string {
  const m: Manifest = {
    freqbias: 'report folder',
    version: 1,
    files: [...files],
    writtenAt: new Date().toISOString(),
  };
  return `${JSON.stringify(m, null, 2)}\n`;
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
 * Writes a report folder whole or not at all, together with its manifest (see the notes at the top
 * of this file). An existing report at `outDir` is refused unless `overwrite` is set; a folder that
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
