/**
 * A simplicial mesh: intervals (dim 1) or triangles (dim 2).
 * `points` is flat point-major (`[x0, y0, x1, y1, …]` in 2D), `cells` holds `dim + 1` vertex
 * indices per cell, triangles counter-clockwise.
 */
export interface Mesh {
  readonly dim: 1 | 2;
  readonly points: Float64Array;
  readonly cells: Int32Array;
}

/** Number of vertices of the mesh. */
export function pointCount(mesh: Mesh): number {
  return mesh.points.length / mesh.dim;
}

/** Number of cells of the mesh. */
export function cellCount(mesh: Mesh): number {
  return mesh.cells.length / (mesh.dim + 1);
}

/**
 * Checks a mesh and returns it: finite coordinates, indices in range, every point used by a
 * cell, no degenerate or inverted cell. Throws an error naming the first offending entry.
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
    if (Math.abs(m) <= tol) throw new Error(`${name}.cells: cell ${c} is degenerate (measure ${m})`);
    if (m < 0) throw new Error(`${name}.cells: cell ${c} is inverted (clockwise or reversed vertices)`);
  }
  return mesh;
}

/**
 * Checks only the shape of a mesh object (dim, array types and lengths), in O(1): enough to
 * size a problem before the O(cells) checks of {@link validateMesh}.
 *
 * @example
 * checkMeshShape({ dim: 2, points: new Float64Array(3), cells: new Int32Array(3) }); // throws: mesh.points: length 3 …
 */
export function checkMeshShape(mesh: Mesh, name = 'mesh'): void {
  if (mesh === null || typeof mesh !== 'object') throw new Error(`${name}: expected a mesh object`);
  const { dim, points, cells } = mesh;
  if (dim !== 1 && dim !== 2) throw new Error(`${name}.dim: expected 1 or 2, got ${dim}`);
  if (!(points instanceof Float64Array)) throw new Error(`${name}.points: expected a Float64Array`);
  if (!(cells instanceof Int32Array)) throw new Error(`${name}.cells: expected an Int32Array`);
  if (points.length === 0 || points.length % dim !== 0)
    throw new Error(`${name}.points: length ${points.length} is not a positive multiple of dim ${dim}`);
  const nv = dim + 1;
  if (cells.length === 0 || cells.length % nv !== 0)
    throw new Error(`${name}.cells: length ${cells.length} is not a positive multiple of ${nv}`);
}

/** Signed length (1D) or area (2D) of cell `c`; positive for correctly oriented cells. */
export function signedMeasure(points: Float64Array, cells: Int32Array, dim: 1 | 2, c: number): number {
  if (dim === 1) return points[cells[2 * c + 1]] - points[cells[2 * c]];
  const a = cells[3 * c];
  const b = cells[3 * c + 1];
  const d = cells[3 * c + 2];
  const ax = points[2 * a];
  const ay = points[2 * a + 1];
  return (
    0.5 * ((points[2 * b] - ax) * (points[2 * d + 1] - ay) - (points[2 * d] - ax) * (points[2 * b + 1] - ay))
  );
}

function boxDiameter(points: Float64Array, dim: number): number {
  let d2 = 0;
  for (let k = 0; k < dim; k++) {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let i = k; i < points.length; i += dim) {
      if (points[i] < lo) lo = points[i];
      if (points[i] > hi) hi = points[i];
    }
    d2 += (hi - lo) ** 2;
  }
  return Math.sqrt(d2);
}
