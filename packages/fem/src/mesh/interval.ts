import { checkIndexCount, int32Array } from '../guards/alloc.js';
import { checkMeshMemory } from '../guards/memory.js';
import { type AxisOptions, axisNodes } from './axis.js';
import type { Mesh } from './types.js';

/**
 * A mesh of `cells` intervals on [a, b], optionally graded towards a point and with nodes on
 * breakpoints (see {@link AxisOptions}). Meshes over `maxMemory` (default 4 GiB) are refused.
 *
 * @example
 * const mesh = intervalMesh(-60, 60, 4000, { grading: { towards: 0, ratio: 4 } });
 * mesh.points.length; // 4001
 */
export function intervalMesh(a: number, b: number, cells: number, options: AxisOptions = {}): Mesh {
  if (Number.isInteger(cells) && cells >= 1)
    checkMeshMemory(16 * cells + 8, options.maxMemory, `intervalMesh: cells = ${cells}`);
  const points = axisNodes(a, b, cells, options, 'intervalMesh');
  checkIndexCount(cells + 1, 'intervalMesh: points');
  const c = int32Array(2 * cells, `intervalMesh: cells = ${cells}`);
  for (let i = 0; i < cells; i++) {
    c[2 * i] = i;
    c[2 * i + 1] = i + 1;
  }
  return { dim: 1, points, cells: c };
}
