/**
 * A Lagrange element on its reference cell ([0, 1] or the triangle (0,0), (1,0), (0,1)):
 * only the reference basis. Local dofs: vertices first, then edge midpoints
 * (edges 0–1, 1–2, 2–0 on triangles), as in VTK's quadratic cells.
 */
export interface Element {
  readonly dim: 1 | 2;
  readonly degree: 1 | 2;
  /** Number of local basis functions. */
  readonly size: number;
  /** Writes φ_i(X) into `values[i]` and ∇φ_i(X) into `grads[i * dim + k]`. */
  basis(X: ArrayLike<number>, values: Float64Array, grads: Float64Array): void;
}
