import type { Grid } from '../../grid.js';
import type { TwoLayerParameters, TwoLayerTangent } from './engine.js';

/**
 * A zero vector in parameter space shaped like two-layer parameters of width m in dimension d.
 *
 * @example
 * const t = zeroTangent(1, 3); // t.w, t.a, t.b: Float64Array(3) of zeros
 */
export function zeroTangent(dim: 1 | 2, width: number): TwoLayerTangent {
  return { w: new Float64Array(width * dim), a: new Float64Array(width), b: new Float64Array(width) };
}

/** Throws unless p is a consistent set of parameters for a network on `grid`. */
export function checkParameters(p: TwoLayerParameters, grid: Grid): void {
  if (p.dim !== grid.dim)
    throw new Error(`parameters: dimension ${p.dim} does not match the grid's ${grid.dim}`);
  const m = p.width;
  if (!Number.isInteger(m) || m < 1) throw new Error(`width: expected an integer ≥ 1, got ${m}`);
  if (p.w.length !== m * p.dim || p.a.length !== m || p.b.length !== m) {
    throw new Error(`parameters: expected w of length ${m * p.dim} and a, b of length ${m}`);
  }
}

/** Throws unless t is shaped like p. */
export function checkTangent(t: TwoLayerTangent, p: TwoLayerParameters): void {
  if (t.w.length !== p.w.length || t.a.length !== p.a.length || t.b.length !== p.b.length) {
    throw new Error(`tangent: expected w of length ${p.w.length} and a, b of length ${p.width}`);
  }
}

/** `out` after a shape check, or a new zero tangent shaped like p. */
export function resultTangent(p: TwoLayerParameters, out?: TwoLayerTangent): TwoLayerTangent {
  if (!out) return zeroTangent(p.dim, p.width);
  checkTangent(out, p);
  return out;
}
