import { type Element, lagrange } from '../element/index.js';
import { checkIndexCount, float64Array, int32Array } from '../guards/alloc.js';
import { directedEdges } from '../mesh/edges.js';
import type { Mesh } from '../mesh/types.js';
import { validateMesh } from '../mesh/validate.js';

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

  const cellDofs = int32Array(nc * element.size, 'functionSpace: cell dofs');
  let size = np;
  let all: Float64Array;
  if (dim === 1) {
    checkIndexCount(np + nc, 'functionSpace: P2 dofs');
    all = float64Array(np + nc, 'functionSpace: dof points');
    all.set(points);
    for (let c = 0; c < nc; c++) {
      cellDofs[3 * c] = cells[2 * c];
      cellDofs[3 * c + 1] = cells[2 * c + 1];
      all[size] = 0.5 * (points[cells[2 * c]] + points[cells[2 * c + 1]]);
      cellDofs[3 * c + 2] = size++;
    }
  } else {
    // One dof per undirected edge, numbered in order of first appearance (cell by cell).
    const E = directedEdges(mesh);
    let edges = 0;
    for (let p = 0; p < E.to.length; p++) if (E.reverse[p] < 0 || E.reverse[p] > p) edges++;
    checkIndexCount(np + edges, 'functionSpace: P2 dofs');
    all = float64Array(2 * (np + edges), 'functionSpace: dof points');
    all.set(points);
    const id = int32Array(E.to.length, 'functionSpace: edge dofs').fill(-1);
    for (let c = 0; c < nc; c++) {
      for (let k = 0; k < 3; k++) {
        const a = cells[3 * c + k];
        const b = cells[3 * c + ((k + 1) % 3)];
        const p = E.at[3 * c + k];
        const r = E.reverse[p];
        const rep = r >= 0 && r < p ? r : p;
        if (id[rep] < 0) {
          id[rep] = size;
          all[2 * size] = 0.5 * (points[2 * a] + points[2 * b]);
          all[2 * size + 1] = 0.5 * (points[2 * a + 1] + points[2 * b + 1]);
          size++;
        }
        cellDofs[6 * c + k] = a;
        cellDofs[6 * c + 3 + k] = id[rep];
      }
    }
  }
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
