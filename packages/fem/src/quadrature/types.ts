/** A quadrature rule on a reference cell: `points` flat (dim per point), weights sum to its measure. */
export interface Quadrature {
  readonly dim: 1 | 2;
  readonly degree: number;
  readonly points: Float64Array;
  readonly weights: Float64Array;
}
