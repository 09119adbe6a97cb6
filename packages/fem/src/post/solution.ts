import { cellLocator, type Locator } from '../mesh/locate.js';
import type { Mesh } from '../mesh/types.js';
import { type FunctionSpace, functionSpace } from '../space/function-space.js';

/** A complex field: real and imaginary parts. */
export interface Complex {
  re: Float64Array;
  im: Float64Array;
}

/** The result of {@link solveReactionDiffusion}: nodal values at every output time. */
export interface ReactionDiffusionSolution {
  readonly mesh: Mesh;
  readonly degree: 1 | 2;
  readonly space: FunctionSpace;
  /** The output times, as requested. */
  readonly times: number[];
  /** Dof coordinates, flat point-major (`dim` numbers per dof). */
  readonly dofPoints: Float64Array;
  /** Number of dofs. */
  readonly size: number;
  /** Number of time steps taken. */
  readonly steps: number;
  /** Nodal values (dof order) at output `k`. */
  values(k: number): Complex;
  /** The finite-element solution at output `k` at points (flat, `dim` numbers per point). */
  evaluate(k: number, points: ArrayLike<number>): Complex;
}

/**
 * Wraps nodal values per output time as a solution with point evaluation.
 *
 * @example
 * const sol = makeSolution(space, [0, 1], [{ re, im }, { re: re1, im: im1 }], 100);
 * sol.evaluate(1, [0.5]);
 */
export function makeSolution(
  space: FunctionSpace,
  times: number[],
  states: Complex[],
  steps: number,
): ReactionDiffusionSolution {
  let locator: Locator | undefined;
  const check = (k: number): void => {
    if (!Number.isInteger(k) || k < 0 || k >= times.length)
      throw new Error(`k: output index must be an integer in [0, ${times.length - 1}], got ${k}`);
  };
  return {
    mesh: space.mesh,
    degree: space.degree,
    space,
    times,
    dofPoints: space.points,
    size: space.size,
    steps,
    values(k) {
      check(k);
      return { re: states[k].re.slice(), im: states[k].im.slice() };
    },
    evaluate(k, points) {
      check(k);
      locator ??= cellLocator(space.mesh);
      return evaluateAt(space, locator, states[k], points);
    },
  };
}

/**
 * Evaluates a nodal field of `space` at points; a point outside the mesh throws an error naming it.
 *
 * @example
 * evaluateAt(V, cellLocator(V.mesh), { re, im }, [0.1, 0.2]);
 */
function evaluateAt(space: FunctionSpace, locator: Locator, u: Complex, points: ArrayLike<number>): Complex {
  const dim = space.mesh.dim;
  if (points.length % dim !== 0)
    throw new Error(`points: length ${points.length} is not a multiple of the dimension ${dim}`);
  const np = points.length / dim;
  const re = new Float64Array(np);
  const im = new Float64Array(np);
  const el = space.element;
  const v = new Float64Array(el.size);
  const g = new Float64Array(el.size * dim);
  const X = new Float64Array(dim);
  const x = new Float64Array(dim);
  for (let p = 0; p < np; p++) {
    for (let k = 0; k < dim; k++) x[k] = points[p * dim + k];
    const c = locator.locate(x, X);
    if (c < 0) throw new Error(`points: point ${p} (${Array.from(x).join(', ')}) is outside the mesh`);
    el.basis(X, v, g);
    let a = 0;
    let b = 0;
    for (let i = 0; i < el.size; i++) {
      const d = space.cellDofs[c * el.size + i];
      a += v[i] * u.re[d];
      b += v[i] * u.im[d];
    }
    re[p] = a;
    im[p] = b;
  }
  return { re, im };
}

/**
 * The finite-element function with the given nodal values (in the dof order of `dofPoints(mesh,
 * degree)`), for point evaluation without solving anything: e.g. how well a mesh represents data.
 *
 * @example
 * const f = nodalFunction(intervalMesh(0, 1, 2), 1, { re: new Float64Array([0, 1, 2]), im: new Float64Array(3) });
 * f.evaluate([0.25]).re; // [0.5]
 */
export function nodalFunction(
  mesh: Mesh,
  degree: number,
  values: Complex,
): { evaluate(points: ArrayLike<number>): Complex } {
  const space = functionSpace(mesh, degree);
  if (values.re.length !== space.size || values.im.length !== space.size)
    throw new Error(
      `values: expected ${space.size} nodal values (re and im), got ${values.re.length} and ${values.im.length}`,
    );
  const solution = makeSolution(space, [0], [values], 0);
  return { evaluate: (points) => solution.evaluate(0, points) };
}
