import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from './errors.js';
import { type ConfigOverrides, withOverrides } from './overrides.js';
import { parseConfig } from './parse.js';
import type { ExperimentConfig } from './resolve.js';

/**
 * Folders holding the bundled experiments: the repository's `experiments/` (in a checkout) and the
 * package's own copy (made by the build, for installed packages).
 */
function bundledFolders(): string[] {
  const here = dirname(fileURLToPath(import.meta.url));
  // a checkout's experiments/ first, so edits there count without a rebuild; then the package's copy
  // (here is src/config/ or dist/config/)
  return [join(here, '..', '..', '..', '..', 'experiments'), join(here, '..', '..', 'experiments')].filter(
    (d) => existsSync(d),
  );
}

/** A bundled experiment: its name, file and one-line description. */
export interface BundledExperiment {
  readonly name: string;
  readonly file: string;
  readonly description: string;
}

/**
 * The bundled experiments (experiments/*.json), sorted by name.
 *
 * @example
 * listExperiments().map((e) => e.name); // ['control-1d', 'deep-1d', 'gaussian-1d', …]
 */
export function listExperiments(): BundledExperiment[] {
  const found = new Map<string, BundledExperiment>();
  for (const dir of bundledFolders())
    for (const entry of readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      const name = entry.replace(/\.json$/, '');
      if (found.has(name)) continue;
      const file = join(dir, entry);
      let description = '';
      try {
        description = String(
          (JSON.parse(readFileSync(file, 'utf8')) as { description?: unknown }).description ?? '',
        );
      } catch {
        description = '(unreadable JSON)';
      }
      found.set(name, { name, file, description });
    }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** A loaded, validated config and the folder its relative paths refer to. */
export interface LoadedConfig {
  readonly config: ExperimentConfig;
  readonly source: string;
  readonly baseDir: string;
}

/**
 * Loads an experiment by file path or bundled name, applies CLI overrides and validates it.
 * Errors name the file and, for invalid configs, the field (see {@link parseConfig}).
 *
 * @example
 * const { config } = loadExperiment('gaussian-1d', { width: 2048, time: 5 });
 */
export function loadExperiment(ref: string, overrides: ConfigOverrides = {}): LoadedConfig {
  let file: string;
  if (existsSync(ref)) file = resolve(ref);
  else {
    const bundled = listExperiments().find((e) => e.name === ref);
    if (!bundled) {
      const names = listExperiments().map((e) => e.name);
      throw new Error(
        `${ref}: no such config file, and not a bundled experiment (bundled: ${names.join(', ') || 'none'})`,
      );
    }
    file = bundled.file;
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(file, [`not valid JSON (${(error as Error).message})`]);
  }
  return { config: parseConfig(withOverrides(json, overrides), file), source: file, baseDir: dirname(file) };
}
