import { checkIndexCount, float64Array, int32Array } from '../guards/alloc.js';
import { checkMeshMemory } from '../guards/memory.js';
import { axisNodes } from './axis.js';
import type { Mesh } from './types.js';

/** Options of {@link rectangleMesh}: grading and breakpoints per axis. */
export interface RectangleOptions {
  /** Concentrate cells near the point `towards`; `ratio` is the largest/smallest size per axis. */
  grading?: { towards: readonly [number, number]; ratio: number | readonly [number, number] };
  /** Coordinates per axis that must be node lines (e.g. the edges of a uniform density's box). */
  breakpoints?: readonly [readonly number[], readonly number[]];
  /** Refuse meshes needing more bytes than this (default 4 GiB). */
  maxMemory?: number;
}

/**
 * A triangle mesh of the box `lower`–`upper`: a tensor grid of `cells[0] × cells[1]` rectangles,
 * each split along its diagonal into two counter-clockwise triangles. Meshes over `maxMemory`
 * (default 4 GiB) are refused.
 *
 * @example
 * const mesh = rectangleMesh([-60, -60], [60, 60], [200, 200]);
 * mesh.points.length / 2; // 40401 nodes
 * mesh.cells.length / 3; // 80000 triangles
 */
export function rectangleMesh(
  lower: readonly [number, number] | readonly number[],
  upper: readonly [number, number] | readonly number[],
  cells: readonly [number, number] | readonly number[],
  options: RectangleOptions = {},
): Mesh {
  if (lower?.length !== 2 || upper?.length !== 2 || cells?.length !== 2)
    throw new Error('rectangleMesh: lower, upper and cells must each have two entries');
  if (cells.every((c) => Number.isInteger(c) && c >= 1))
    checkMeshMemory(
      16 * (cells[0] + 1) * (cells[1] + 1) + 24 * cells[0] * cells[1],
      options.maxMemory,
      `rectangleMesh: cells = [${cells[0]}, ${cells[1]}]`,
    );
  const axes = [0, 1].map((k) => {
    const g = options.grading;
    const ratio = g === undefined ? 1 : typeof g.ratio === 'number' ? g.ratio : g.ratio[k];
    return axisNodes(
      lower[k],
      upper[k],
      cells[k],
      {
        grading: g === undefined ? undefined : { towards: g.towards[k], ratio },
        breakpoints: options.breakpoints?.[k],
      },
      `rectangleMesh axis ${k}`,
    );
  });
  const [xs, ys] = axes;
  const nx = cells[0];
  const ny = cells[1];
  const what = `rectangleMesh: cells = [${nx}, ${ny}]`;
  checkIndexCount((nx + 1) * (ny + 1), `${what}: points`);
  const points = float64Array(2 * (nx + 1) * (ny + 1), `${what}: points`);
  for (let j = 0; j <= ny; j++) {
    for (let i = 0; i <= nx; i++) {
      const p = j * (nx + 1) + i;
      points[2 * p] = xs[i];
      points[2 * p + 1] = ys[j];
    }
  }
  const c = int32Array(6 * nx * ny, `${what}: triangles`);
  let q = 0;
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const p00 = j * (nx + 1) + i;
      const p10 = p00 + 1;
      const p01 = p00 + nx + 1;
      const p11 = p01 + 1;
      c[q++] = p00;
      c[q++] = p10;
      c[q++] = p11;
      c[q++] = p00;
      c[q++] = p11;
      c[q++] = p01;
    }
  }
  return { dim: 2, points, cells: c };
}
