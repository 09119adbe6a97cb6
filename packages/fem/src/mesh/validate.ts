import { checkCellsDisjoint } from './overlap.js';
import { checkMeshShape, type Mesh, signedMeasure } from './types.js';

/**
 * Checks a mesh and returns it: finite coordinates, indices in range, every point used by a
 * cell, no degenerate, inverted or absurdly small cell, and no duplicated or overlapping cells
 * (see {@link checkCellsDisjoint}: in 2D also no edge in more than two cells, hanging node or
 * duplicated point on the boundary). Throws an error naming the first offending entry.
 *
 * @example
 * validateMesh({ dim: 1, points: new Float64Array([0, 1]), cells: new Int32Array([0, 1]) }); // ok
 * validateMesh({ dim: 1, points: new Float64Array([0, 1]), cells: new Int32Array([1, 0]) }); // throws: inverted
 */
export function validateMesh(mesh: Mesh, name = 'mesh'): Mesh {
  checkMeshShape(mesh, name);
  const { dim, points, cells } = mesh;
  const nv = dim + 1;
  for (let i = 0; i < points.length; i++) {
    if (!Number.isFinite(points[i]))
      throw new Error(
        `${name}.points: coordinate ${i % dim} of point ${Math.floor(i / dim)} is ${points[i]}`,
      );
  }
  const n = points.length / dim;
  const used = new Uint8Array(n);
  for (let i = 0; i < cells.length; i++) {
    const v = cells[i];
    if (v < 0 || v >= n)
      throw new Error(
        `${name}.cells: cell ${Math.floor(i / nv)} refers to point ${v}, out of range [0, ${n - 1}]`,
      );
    used[v] = 1;
  }
  const unused = used.indexOf(0);
  if (unused >= 0) throw new Error(`${name}.points: point ${unused} is not a vertex of any cell`);
  const scale = boxDiameter(points, dim);
  const nc = cells.length / nv;
  for (let c = 0; c < nc; c++) {
    const m = signedMeasure(points, cells, dim, c);
    const tol = 1e-13 * (dim === 1 ? scale : scale * scale);
    const range = (what: string) =>
      new Error(
        `${name}.cells: cell ${c} is too ${what} (measure ${m}) to compute with in double precision; rescale the coordinates`,
      );
    if (!(Math.abs(m) <= 1e280)) throw range('large');
    if (Math.abs(m) <= tol) throw new Error(`${name}.cells: cell ${c} is degenerate (measure ${m})`);
    if (m < 0) throw new Error(`${name}.cells: cell ${c} is inverted (clockwise or reversed vertices)`);
    if (m < 1e-280) throw range('small');
  }
  checkCellsDisjoint(mesh, name);
  return mesh;
}

function boxDiameter(points: Float64Array, dim: number): number {
  const extent = [0, 0];
  for (let k = 0; k < dim; k++) {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let i = k; i < points.length; i += dim) {
      if (points[i] < lo) lo = points[i];
      if (points[i] > hi) hi = points[i];
    }
    extent[k] = hi - lo;
  }
  return Math.hypot(extent[0], extent[1]);
}
