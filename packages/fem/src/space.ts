import { type Element, lagrange } from './element/index.js';
import { type Mesh, validateMesh } from './mesh/types.js';

/**
 * A Lagrange function space on a mesh: the element and the global numbering of its degrees of
 * freedom. Vertex dofs come first (dof i = mesh point i), then one dof per edge (P2).
 */
export interface FunctionSpace {
  readonly mesh: Mesh;
  readonly element: Element;
  readonly degree: 1 | 2;
  /** Number of global dofs. */
  readonly size: number;
  /** `element.size` global dofs per cell. */
  readonly cellDofs: Int32Array;
  /** Coordinates of the dofs, flat point-major (`dim` numbers per dof). */
  readonly points: Float64Array;
}

/**
 * Builds the P1 or P2 space of a (validated) mesh.
 *
 * @example
 * const V = functionSpace(intervalMesh(0, 1, 4), 2);
 * V.size; // 9
 */
export function functionSpace(mesh: Mesh, degree: number): FunctionSpace {
  validateMesh(mesh);
  const element = lagrange(mesh.dim, degree);
  const { dim, points, cells } = mesh;
  const nv = dim + 1;
  const nc = cells.length / nv;
  const np = points.length / dim;
  if (degree === 1) return { mesh, element, degree: 1, size: np, cellDofs: cells, points };

  const cellDofs = new Int32Array(nc * element.size);
  let size = np;
  const mids: number[] = [];
  if (dim === 1) {
    for (let c = 0; c < nc; c++) {
      cellDofs[3 * c] = cells[2 * c];
      cellDofs[3 * c + 1] = cells[2 * c + 1];
      cellDofs[3 * c + 2] = size++;
      mids.push(0.5 * (points[cells[2 * c]] + points[cells[2 * c + 1]]));
    }
  } else {
    const edges = new Map<number, number>();
    for (let c = 0; c < nc; c++) {
      for (let k = 0; k < 3; k++) {
        const a = cells[3 * c + k];
        const b = cells[3 * c + ((k + 1) % 3)];
        const key = a < b ? a * np + b : b * np + a;
        let e = edges.get(key);
        if (e === undefined) {
          e = size++;
          edges.set(key, e);
          mids.push(0.5 * (points[2 * a] + points[2 * b]), 0.5 * (points[2 * a + 1] + points[2 * b + 1]));
        }
        cellDofs[6 * c + k] = a;
        cellDofs[6 * c + 3 + k] = e;
      }
    }
  }
  const all = new Float64Array(size * dim);
  all.set(points);
  all.set(mids, points.length);
  return { mesh, element, degree: 2, size, cellDofs, points: all };
}

/**
 * Coordinates of the degrees of freedom of the P1/P2 space on `mesh`, flat point-major, in the
 * order `solveReactionDiffusion` uses for nodal initial data and `sol.values(k)`.
 *
 * @example
 * dofPoints(intervalMesh(0, 1, 2), 2); // Float64Array [0, 0.5, 1, 0.25, 0.75]
 */
export function dofPoints(mesh: Mesh, degree: 1 | 2): Float64Array {
  return functionSpace(mesh, degree).points;
}
