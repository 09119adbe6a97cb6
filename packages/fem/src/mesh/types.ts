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
