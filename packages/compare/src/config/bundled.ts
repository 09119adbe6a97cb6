import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, closest } from './errors.js';

/*
 * Bundled JSON files of one kind (experiments/studies, experiments/designs): the checkout's folder,
 * then the package's copy; a reference is a file path or a bundled name.
 */

/** The folders holding bundled files of experiments/<kind>: the checkout's, then the package's copy. */
function bundledFolders(kind: string): string[] {
  const here = dirname(fileURLToPath(import.meta.url));
  return [
    join(here, '..', '..', '..', '..', 'experiments', kind),
    join(here, '..', '..', 'experiments', kind),
  ].filter((d) => existsSync(d));
}

/**
 * The bundled JSON files of experiments/<kind> by name (the first folder's where both have one).
 *
 * @example
 * listBundled('studies').map((s) => s.name); // ['sampling-1d', …, 'width-scan']
 */
export function listBundled(kind: string): { name: string; file: string }[] {
  const found = new Map<string, string>();
  for (const dir of bundledFolders(kind))
    for (const entry of readdirSync(dir).filter((f) => f.endsWith('.json')))
      if (!found.has(entry)) found.set(entry, join(dir, entry));
  return [...found.entries()]
    .map(([entry, file]) => ({ name: entry.replace(/\.json$/, ''), file }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Reads the JSON of a file path or of a bundled name (`what` names the kind in errors, e.g.
 * "study"): an unknown name is a one-line error with a did-you-mean and the bundled names, invalid
 * JSON a {@link ConfigError} naming the file.
 *
 * @example
 * readBundledJson('width-scan', 'studies', 'study'); // { file: '…/experiments/studies/width-scan.json', json: {…} }
 */
export function readBundledJson(ref: string, kind: string, what: string): { file: string; json: unknown } {
  let file = ref;
  if (!existsSync(ref)) {
    const bundled = listBundled(kind);
    const hit = bundled.find((s) => s.name === ref);
    if (!hit) {
      const names = bundled.map((s) => s.name);
      const near = closest(ref, names);
      throw new Error(
        `${ref}: no such ${what} file, and not a bundled ${what}${near ? `; did you mean ${JSON.stringify(near)}?` : ''} (bundled: ${names.join(', ') || 'none'})`,
      );
    }
    file = hit.file;
  }
  try {
    return { file, json: JSON.parse(readFileSync(file, 'utf8')) };
  } catch (error) {
    throw new ConfigError(file, [`not valid JSON (${(error as Error).message.split('\n')[0]})`]);
  }
}
