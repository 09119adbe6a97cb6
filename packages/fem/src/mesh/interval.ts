import { type AxisOptions, axisNodes } from './axis.js';
import type { Mesh } from './types.js';

/**
 * A mesh of `cells` intervals on [a, b], optionally graded towards a point and with nodes on
 * breakpoints (see {@link AxisOptions}).
 *
 * @example
 * const mesh = intervalMesh(-60, 60, 4000, { grading: { towards: 0, ratio: 4 } });
 * mesh.points.length; // 4001
 */
export function intervalMesh(a: number, b: number, cells: number, options: AxisOptions = {}): Mesh {
  const points = axisNodes(a, b, cells, options, 'intervalMesh');
  const c = new Int32Array(2 * cells);
  for (let i = 0; i < cells; i++) {
    c[2 * i] = i;
    c[2 * i + 1] = i + 1;
  }
  return { dim: 1, points, cells: c };
}
