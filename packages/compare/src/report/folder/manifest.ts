import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import { COMMITTED, isDirectory, REPORT_MANIFEST, ReportFolderError, STAGING } from './paths.js';

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

/** The content of a report folder's manifest. */
export interface Manifest {
  readonly freqbias: 'report folder';
  readonly version: 1;
  readonly files: string[];
  readonly writtenAt: string;
}

/** What is at a folder's path: nothing, an empty folder, or a report (with its files). */
export type FolderState =
  | { readonly kind: 'absent' }
  | { readonly kind: 'empty' }
  | { readonly kind: 'report'; readonly files: readonly string[] };

/** The folder's manifest, or undefined without one; a file of that name that is not ours is an error. */
export function readManifest(dir: string): Manifest | undefined {
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
function entriesUnder(dir: string, descend: (rel: string) => boolean, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!prefix && (name.startsWith(STAGING) || name === REPORT_MANIFEST)) continue;
    const rel = prefix ? `${prefix}${sep}${name}` : name;
    out.push(rel);
    // only into our own sub-folders: a foreign one is named as it is (and `--out /` is not walked)
    const full = join(dir, name);
    if (descend(rel) && lstatSync(full).isDirectory()) out.push(...entriesUnder(full, descend, rel));
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

/**
 * What is at `target`: nothing, an empty folder, or a report; a folder holding anything freqbias did
 * not write is refused, naming the file. Top-level entries named in `alongside` belong to someone
 * else (a study's `points/`) and are neither counted nor ever touched.
 */
export function folderState(target: string, alongside: readonly string[] = []): FolderState {
  const skip = (entries: string[]) => entries.filter((e) => !alongside.includes(e));
  if (!existsSync(target)) return { kind: 'absent' };
  if (!isDirectory(target)) throw new ReportFolderError(`output folder ${target}: is a file, not a folder`);
  const manifest = readManifest(target);
  if (!manifest) {
    const entries = skip(entriesUnder(target, () => false));
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
  const entries = skip(entriesUnder(target, (rel) => ours.has(rel)));
  const foreign = entries.find((e) => !ours.has(e));
  if (foreign)
    throw new ReportFolderError(
      `output folder ${target}: holds ${JSON.stringify(foreign)}, which freqbias did not write; not replacing it (move it, or choose another folder)`,
    );
  return { kind: 'report', files: manifest.files };
}

/** The manifests of the committed staging folders inside `target`. */
export function committedStagings(target: string): Manifest[] {
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

/** A manifest listing `files`, as written to disk. */
export function manifestText(files: readonly string[]): string {
  const m: Manifest = {
    freqbias: 'report folder',
    version: 1,
    files: [...files],
    writtenAt: new Date().toISOString(),
  };
  return `${JSON.stringify(m, null, 2)}\n`;
}
