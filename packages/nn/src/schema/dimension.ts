/** Where a spec fixes its dimension: the field that does (a path inside the spec) and why. */
export interface SpecDimension {
  readonly dim: 1 | 2;
  /** e.g. `sigma`, `components[1].center`; the node's own path (`''` at the top) when its kind does. */
  readonly field: string;
  /** e.g. `uniformDisk is 2D`, `2 value(s) of sigma make gaussian 2D`. */
  readonly reason: string;
}

/** Throws an error naming the field when a spec fixes a dimension other than the required `dim`. */
export function checkDimension(fixed: SpecDimension | undefined, dim: 1 | 2 | undefined): void {
  if (fixed && dim !== undefined && fixed.dim !== dim)
    throw new Error(`${fixed.field || 'kind'}: ${fixed.reason} but dim is ${dim}`);
}
