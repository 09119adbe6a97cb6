import { sampleCoefficient, sampleMass } from '../assembly/coefficient.js';
import { addLoad, addMass, addStiffness } from '../assembly/forms.js';
import { emptyMatrix, sparsityPattern } from '../assembly/pattern.js';
import { checkProblemSize, estimateMemory } from '../guards/memory.js';
import { ldlSymbolic } from '../linalg/ldlt/symbolic.js';
import { checkMeshShape } from '../mesh/types.js';
import { type Complex, makeSolution, type ReactionDiffusionSolution } from '../post/solution.js';
import { cellRule } from '../quadrature/index.js';
import { mapBasis } from '../space/basis.js';
import { functionSpace } from '../space/function-space.js';
import { CACHED_MATRICES, integrate, StepMatrixError } from '../time/integrate.js';
import type { Scheme } from '../time/schemes.js';
import { checkFinite, explainPivot, max } from './diagnose.js';
import { checkOptions, initialValues, type ReactionDiffusionOptions } from './options.js';

/**
 * Solves c u_t = ∇·(D∇u) − R u + f on a mesh with zero-flux boundary (D ∂_n u = 0), for real or
 * complex initial data (both parts in one pass; THEORY §4: real coefficients act on them
 * independently). Weak form ∫c u_t v + ∫D∇u·∇v + ∫Ruv = ∫fv; semi-discrete
 * M_c U' + (K_D + M_R) U = F, with the mass coefficient c (default 1; THEORY §7: 1/|p|²) in
 * every scheme's mass matrix. The initial data are interpolated at the dofs, so c does not
 * enter them.
 *
 * @example
 * const p = frequencyDynamics({ dim: 1, density: (xi) => Math.exp(-(xi[0] ** 2) / 200) / Math.sqrt(200 * Math.PI), sigmaA: 1 });
 * const sol = solveReactionDiffusion({
 *   mesh: intervalMesh(-50, 50, 1000), degree: 2, ...p,
 *   initial: (xi) => Math.exp(-((xi[0] - 10) ** 2) / 2), times: [0, 1, 5], dt: 0.01,
 * });
 * sol.evaluate(2, [10]).re; // the decayed bump at ξ = 10
 */
export function solveReactionDiffusion(options: ReactionDiffusionOptions): ReactionDiffusionSolution {
  const { degree, scheme, solver, times, plan, steps } = checkOptions(options);
  const { mesh, diffusion, reaction = 0, mass, source, initial, dt, onProgress } = options;

  // Size the problem from the mesh counts before anything is allocated; again, exactly, once
  // the factor's size is known.
  checkMeshShape(mesh);
  const limits = { maxDofs: options.maxDofs, maxMemory: options.maxMemory };
  const memory = {
    degree,
    nrhs: typeof initial === 'object' && initial !== null && initial.im !== undefined ? 2 : 1,
    outputs: times.length,
    matrices: stepMatrices(plan, scheme),
    solver,
    mass: mass !== undefined,
  } as const;
  checkProblemSize(estimateMemory(mesh, memory), limits);

  const space = functionSpace(mesh, degree);
  const B = mapBasis(space, cellRule(mesh.dim, degree));
  const P = sparsityPattern(space);
  const M = emptyMatrix(P);
  // c ≡ 1 by default: the plain mass matrix, bit for bit as without the option.
  const C = mass === undefined ? null : sampleMass(B, mass, 'mass');
  addMass(B, P, C, M.values);
  if (C === null) checkFinite(M, space, 'mesh', 'mass matrix', 'the cells are too large');
  else checkFinite(M, space, 'mass', 'mass matrix', `c (up to ${max(C)}) is too large for the cells`);
  const A = emptyMatrix(P);
  const D = sampleCoefficient(B, diffusion, 'diffusion');
  addStiffness(B, P, D, A.values);
  checkFinite(A, space, 'diffusion', 'stiffness matrix', `D (up to ${max(D)}) is too large for the cells`);
  const R = sampleCoefficient(B, reaction, 'reaction');
  addMass(B, P, R, A.values);
  checkFinite(A, space, 'reaction', 'reaction matrix', `R (up to ${max(R)}) is too large`);
  let hMax = 0;
  for (const p of plan) hMax = Math.max(hMax, p.h);
  if (!Number.isFinite(hMax * max(A.values)))
    throw new Error(
      `dt: the step matrix M + θ·h·A overflows (step h = ${hMax}, largest entry of A = ${max(A.values)}); use a smaller dt`,
    );

  const u0 = initialValues(initial, space.points, mesh.dim, space.size);
  const nrhs = u0.im.some((v) => v !== 0) ? 2 : 1;
  const U0 = new Float64Array(space.size * nrhs);
  for (let i = 0; i < space.size; i++) {
    U0[i * nrhs] = u0.re[i];
    if (nrhs === 2) U0[i * nrhs + 1] = u0.im[i];
  }

  let load: ((t: number, out: Float64Array) => void) | undefined;
  if (source) {
    const f = new Float64Array(B.dx.length);
    const b = new Float64Array(space.size);
    load = (t, out) => {
      const sampled = sampleCoefficient(B, (xi) => source(xi, t), 'source', true);
      f.set(sampled);
      b.fill(0);
      addLoad(B, f, b);
      for (let i = 0; i < space.size; i++) out[i * nrhs] += b[i];
    };
  }
  const symbolic = solver === 'cholesky' ? ldlSymbolic(M, space.points, mesh.dim) : undefined;
  checkProblemSize(
    estimateMemory(mesh, { ...memory, nrhs, dofs: space.size, factorNonzeros: symbolic?.nnz }),
    limits,
  );
  const run = () =>
    integrate({ M, A, load }, U0, {
      scheme,
      solver,
      times,
      dt,
      nrhs,
      symbolic,
      tolerance: options.tolerance,
      maxIterations: options.maxIterations,
      maxSteps: options.maxSteps,
      onProgress,
    });
  let states: Float64Array[];
  try {
    states = run();
  } catch (e) {
    if (e instanceof StepMatrixError)
      throw new Error(
        explainPivot(
          e,
          M,
          A,
          space.points,
          mesh.dim,
          scheme,
          C === null ? undefined : { values: C, points: B.points },
        ),
      );
    throw e;
  }
  const out: Complex[] = states.map((s) => {
    const re = new Float64Array(space.size);
    const im = new Float64Array(space.size);
    for (let i = 0; i < space.size; i++) {
      re[i] = s[i * nrhs];
      if (nrhs === 2) im[i] = s[i * nrhs + 1];
    }
    return { re, im };
  });
  return makeSolution(space, times, out, steps);
}

/** Step matrices alive at once: one per step size (two for BDF2), at most the cache size. */
function stepMatrices(plan: readonly { steps: number; h: number }[], scheme: Scheme): number {
  const sizes = new Set(plan.filter((p) => p.steps > 0).map((p) => p.h));
  return Math.max(1, Math.min(CACHED_MATRICES, (scheme === 'bdf2' ? 2 : 1) * sizes.size));
}
