import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { ExperimentConfig } from '../config/index.js';

/*
 * A study point's id (issue 11): the first 12 hex digits of the SHA-256 of the canonical JSON of
 * its resolved config (every default filled in). Canonical: object keys sorted, no whitespace,
 * numbers as JavaScript writes them (the shortest text that reads back the same double, the same on
 * every machine). Left out: `name` and `description` (they change no number); files the config
 * refers to (a Gmsh mesh, an image target) count by the SHA-256 of their bytes, not by their path,
 * so a point means the same computation on every machine and in every folder.
 */

/** Hex digits of a point id. */
export const ID_LENGTH = 12;

/**
 * JSON with object keys sorted at every depth and no whitespace; undefined members are dropped as
 * JSON.stringify drops them.
 *
 * @example
 * canonicalJson({ b: 1, a: [true, { d: null, c: 0.5 }] }); // '{"a":[true,{"c":0.5,"d":null}],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined && typeof v !== 'function')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** SHA-256 of a file's bytes, as `sha256:<hex>`; memoised per path for one process. */
const fileDigests = new Map<string, string>();
function fileDigest(path: string): string {
  let digest = fileDigests.get(path);
  if (digest === undefined) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (error) {
      throw new Error(`cannot read ${path}: ${(error as Error).message.split('\n')[0]}`);
    }
    digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    fileDigests.set(path, digest);
  }
  return digest;
}

/**
 * Options added after point ids were first given, at the default that computes exactly what configs
 * without them computed: left out of the hash at that value, so a new option does not change the id
 * of every finished point (and a sweep resumes after an upgrade). Set to anything else they count.
 */
const ID_NEUTRAL_DEFAULTS: readonly { section: string; key: string; value: unknown }[] = [
  { section: 'network', key: 'sampling', value: 'random' },
];

/**
 * The part of a resolved config that a point's id hashes: without name and description, file
 * paths replaced by their content's digest (relative paths are relative to `baseDir`).
 */
export function hashedConfig(config: ExperimentConfig, baseDir: string): Record<string, unknown> {
  const { name: _name, description: _description, ...rest } = config;
  const out = structuredClone(rest) as unknown as Record<string, Record<string, unknown>>;
  for (const { section, key, value } of ID_NEUTRAL_DEFAULTS)
    if (out[section]?.[key] === value) delete out[section][key];
  const file = (p: string) => fileDigest(isAbsolute(p) ? p : resolve(baseDir, p));
  if (typeof out.pde.mesh === 'string') out.pde.mesh = file(out.pde.mesh);
  if (out.target.kind === 'image' && typeof out.target.path === 'string')
    out.target.path = file(out.target.path);
  return out;
}

/**
 * The id of a study point: 12 hex digits of SHA-256 over the canonical JSON of its resolved config
 * (see the note at the top of hash.ts).
 *
 * @example
 * const { config, baseDir } = loadExperiment('gaussian-1d', { width: 1024, seed: 0 });
 * pointId(config, baseDir); // e.g. '3f9c0a1b2d4e', the same on every machine
 */
export function pointId(config: ExperimentConfig, baseDir: string): string {
  const text = canonicalJson({ freqbias: 'study point', version: 1, config: hashedConfig(config, baseDir) });
  return createHash('sha256').update(text).digest('hex').slice(0, ID_LENGTH);
}
