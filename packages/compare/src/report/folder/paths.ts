import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, normalize, sep } from 'node:path';

/** The manifest that marks a folder as freqbias's own and lists what it wrote. */
export const REPORT_MANIFEST = 'freqbias-manifest.json';
/** Prefix of the hidden staging folder inside a report being replaced. */
export const STAGING = '.freqbias-staging-';
/** A staging folder holding this file is committed: the next write or a recovery completes it. */
export const COMMITTED = REPORT_MANIFEST;
/** The staging manifest before the commit point. */
export const PENDING = '.manifest.pending';
/** Infix of the hidden sibling a new report folder is written as. */
export const NEW_SIBLING = '.freqbias-new-';
/** Room kept in the folder's name for the hidden sibling's suffix. */
const SUFFIX_ROOM = 64;
const NAME_MAX = 255;
const PATH_MAX = 4000;

/** A folder that cannot take a report; the message is one line and names the path. */
export class ReportFolderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportFolderError';
  }
}

/** A report file's name, normalised; refuses absolute paths, `..` and reserved names. */
export function checkName(name: string): string {
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
export function fsError(what: string, path: string, error: unknown): ReportFolderError {
  const code = (error as NodeJS.ErrnoException)?.code;
  const why =
    (code && codeText[code]) ?? (error instanceof Error ? error.message.split('\n')[0] : String(error));
  return new ReportFolderError(`${what} ${path}: ${why}${code ? ` (${code})` : ''}`);
}

/** Whether `path` is a folder (false when it is not there). */
export function isDirectory(path: string): boolean {
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
export function checkPath(target: string): void {
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
