import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { type Mesh, readGmsh } from '@freqbias/fem';
import {
  checkStratifiable,
  distributionDimension,
  distributionFromSpec,
  type FrequencyDistribution,
  type SpecDimension,
  schema,
  targetDimension,
  targetFromSpec,
  uniformGrid,
} from '@freqbias/nn';
import { operatorProblems } from './operator.js';
import { asFrequency, type Frequency, type RawConfig } from './schema.js';

const { show } = schema;

/** Checks that involve more than one field; returns readable lines. */
export function crossCheck(c: RawConfig, baseDir: string): string[] {
  const problems: string[] = [];
  const dim = c.grid.dim;
  for (const key of ['halfWidth', 'n'] as const) {
    const v = c.grid[key];
    if (Array.isArray(v) && v.length !== dim)
      problems.push(`grid.${key}: expected ${dim} value(s) for a ${dim}D grid, got ${show(v)}`);
  }
  const gridOk = problems.length === 0;
  problems.push(...specProblems(c, baseDir, gridOk));
  if (c.pde.mesh !== undefined) problems.push(...meshProblems(c, baseDir));
  if (gridOk) problems.push(...operatorProblems(c, operatorMeshExtent(c, baseDir)));
  if (c.network.kind === 'twoLayer' && c.network.mirrored && c.network.width % 2 !== 0)
    problems.push(
      `network.width: expected an even width with mirrored initialisation, got ${c.network.width}`,
    );
  const snaps = c.training.snapshots;
  if (typeof snaps === 'number' && snaps < 2)
    problems.push(`training.snapshots: expected a count ≥ 2 or an array of times, got ${snaps}`);
  if (Array.isArray(snaps)) {
    if (
      snaps.length < 2 ||
      snaps.some((t, j) => j > 0 && !(t > snaps[j - 1])) ||
      snaps.at(-1)! > c.training.time
    )
      problems.push(
        `training.snapshots: expected at least two increasing times within [0, training.time = ${c.training.time}], got ${show(snaps)}`,
      );
  }
  if (c.network.kind === 'deep' && c.pde.enabled)
    problems.push(
      'pde.enabled: expected false for a deep network (the PDE exists for two-layer networks only), got true',
    );
  if (c.network.kind === 'twoLayer' && c.training.optimizer === 'adam')
    problems.push(
      'training.optimizer: "adam" is for deep networks; a twoLayer network trains by "gd" (its time axis is gradient flow)',
    );
  if (c.network.kind === 'deep' && c.kernel.enabled)
    problems.push(
      'kernel.enabled: expected false for a deep network (the infinite-width kernel of THEORY.md §3 is the two-layer one), got true',
    );
  const repeated = [...new Set(c.training.seeds.filter((seed, j, all) => all.indexOf(seed) !== j))];
  if (repeated.length)
    problems.push(
      `training.seeds: seed ${repeated.join(', ')} appears twice or more; an ensemble of the same network twice is that network`,
    );
  const checkFrequency = (where: string, f: Frequency) => {
    if (asFrequency(f).length !== dim)
      problems.push(
        `${where}: expected ${dim === 1 ? 'a number ξ' : '[ξ1, ξ2]'} for a ${dim}D grid, got ${show(f)}`,
      );
  };
  c.comparison.frequencies.forEach((f, j) => {
    checkFrequency(`comparison.frequencies[${j}]`, f);
  });
  const band = c.comparison.band;
  if (typeof band === 'object') {
    const [lower, upper] = Array.isArray(band) ? band : [band.lower, band.upper];
    if (lower.length !== dim || upper.length !== dim || lower.some((lo, a) => !(lo < upper[a])))
      problems.push(
        `comparison.band: expected a box with ${dim} coordinate(s) per corner and lower < upper, got ${show(band)}`,
      );
  }
  c.claims.forEach((claim, j) => {
    const where = `claims[${j}]`;
    if (claim.kind === 'learningTimeRatio') {
      checkFrequency(`${where}.numerator`, claim.numerator);
      checkFrequency(`${where}.denominator`, claim.denominator);
    } else if (claim.kind === 'learningTimesWithin') {
      claim.frequencies.forEach((f, k) => {
        checkFrequency(`${where}.frequencies[${k}]`, f);
      });
    } else if (claim.kind === 'learningOrder') {
      checkFrequency(`${where}.first`, claim.first);
      checkFrequency(`${where}.then`, claim.then);
    }
  });
  return problems;
}

/** `field: …` lines of an nn error, with the spec's place in the config in front. */
function under(where: string, error: unknown): string[] {
  return (error as Error).message.split('\n').map((line) => `${where}.${line}`);
}

/** A spec that fixes a dimension other than the grid's: the line naming the field that does. */
function dimensionProblem(where: string, fixed: SpecDimension | undefined, dim: 1 | 2): string[] {
  if (!fixed || fixed.dim === dim) return [];
  return [`${where}${fixed.field ? `.${fixed.field}` : ''}: ${fixed.reason} but grid.dim is ${dim}`];
}

/**
 * The distribution and the target against the grid, then built by @freqbias/nn as the run will build
 * them, so that what only their constructors can tell (a mathjs expression that does not parse, a
 * negative density, an image that is not there) is known before any run. An expression target is
 * also evaluated on a 4-point-per-axis grid of the same extent (undefined variables, non-finite values).
 */
function specProblems(c: RawConfig, baseDir: string, gridOk: boolean): string[] {
  const dim = c.grid.dim;
  const problems: string[] = [];
  const rho = dimensionProblem('distribution', distributionDimension(c.distribution), dim);
  problems.push(...rho);
  if (rho.length === 0) {
    let distribution: FrequencyDistribution | undefined;
    try {
      distribution = distributionFromSpec(c.distribution, { dim });
    } catch (error) {
      problems.push(...under('distribution', error));
    }
    // stratified sampling needs ρ_w's inverse CDF: known here, not only when the network is built
    if (distribution && c.network.sampling === 'stratified') {
      try {
        checkStratifiable(distribution, 'network.sampling');
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
  }
  const g = dimensionProblem('target', targetDimension(c.target), dim);
  problems.push(...g);
  if (g.length === 0) {
    try {
      const target = targetFromSpec(c.target, { baseDir, dim });
      if (c.target.kind === 'expression' && gridOk)
        target.evaluate(uniformGrid({ dim, halfWidth: c.grid.halfWidth, n: 4 }));
    } catch (error) {
      problems.push(...under('target', error));
    }
  }
  return problems;
}

/** The absolute path of `pde.mesh`. */
export function meshPath(c: RawConfig, baseDir: string): string {
  const path = c.pde.mesh as string;
  return isAbsolute(path) ? path : resolvePath(baseDir, path);
}

/**
 * Reads a `pde.mesh` file (Gmsh MSH 4.1 ASCII), naming the field and the file in every error.
 *
 * @example
 * loadPdeMesh('meshes/disk.msh'); // a fem Mesh
 */
export function loadPdeMesh(path: string): Mesh {
  if (!existsSync(path)) throw new Error(`pde.mesh: no such file ${path}`);
  if (!statSync(path).isFile()) throw new Error(`pde.mesh: ${path} is not a file`);
  try {
    return readGmsh(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`pde.mesh: ${path}: ${(error as Error).message.replace(/^readGmsh: /, '')}`);
  }
}

function meshProblems(c: RawConfig, baseDir: string): string[] {
  const problems: string[] = [];
  if (c.pde.cellsPerAxis !== undefined)
    problems.push(
      'pde.cellsPerAxis: not used with pde.mesh (the mesh has its own cells); remove one of them',
    );
  if (c.pde.band !== undefined)
    problems.push('pde.band: not used with pde.mesh (the mesh is the domain); remove one of them');
  try {
    const mesh = loadPdeMesh(meshPath(c, baseDir));
    if (mesh.dim !== c.grid.dim)
      problems.push(`pde.mesh: a ${mesh.dim}D mesh, but grid.dim is ${c.grid.dim}`);
  } catch (error) {
    problems.push((error as Error).message);
  }
  return problems;
}

/** With an operator and `pde.mesh`: the mesh's extent, the box its symbol is checked on (else undefined). */
function operatorMeshExtent(c: RawConfig, baseDir: string): number | undefined {
  if (c.operator === undefined || c.pde.mesh === undefined) return undefined;
  try {
    return meshExtent(loadPdeMesh(meshPath(c, baseDir)));
  } catch {
    return undefined; // meshProblems names the mesh's own problem
  }
}

/** max |ξ_a| over the mesh's points: the half-width of the smallest centred box holding it. */
export function meshExtent(mesh: Mesh): number {
  let m = 0;
  for (const v of mesh.points) m = Math.max(m, Math.abs(v));
  return m;
}
