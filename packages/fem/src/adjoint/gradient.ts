import { type Coefficient, sampleMass } from '../assembly/coefficient.js';
import { addMass, addStiffness, physicalGradients } from '../assembly/forms.js';
import { emptyMatrix, sparsityPattern } from '../assembly/pattern.js';
import { formatBytes } from '../guards/alloc.js';
import { DEFAULT_MAX_MEMORY } from '../guards/memory.js';
import { type Csr, combine, matvecN } from '../linalg/csr.js';
import { ldlSymbolic } from '../linalg/ldlt/symbolic.js';
import { type SolverKind, type SpdSolver, spdSolver } from '../linalg/solver.js';
import { checkMeshShape, type Mesh } from '../mesh/types.js';
import type { Complex } from '../post/solution.js';
import { checkOptions, type InitialData, initialValues } from '../problem/options.js';
import { cellRule } from '../quadrature/index.js';
import { type MappedBasis, mapBasis } from '../space/basis.js';
import { type FunctionSpace, functionSpace } from '../space/function-space.js';
import { CACHED_MATRICES } from '../time/integrate.js';
import type { Scheme } from '../time/schemes.js';
import { checkNodal, coefficientBasis, interpolateAtQuadrature, projectFromQuadrature } from './nodal.js';

/**
 * A functional of the solution at the output times, J = Σ_k J_k(u(t_k)), given by its value and
 * its gradient with respect to the nodal values (dof order) of u(t_k), real and imaginary parts.
 * {@link adjointGradient} calls `value` for every output, in order, before the first `gradient`:
 * a functional whose weights depend on the whole trajectory (a crossing time, say) may read them
 * off its `value` calls.
 */
export interface Functional {
  /** J_k(u) for output k. */
  value(k: number, u: Complex): number;
  /** Writes ∂J_k/∂u (one entry per dof, real and imaginary parts) into `out` (zero on entry). */
  gradient(k: number, u: Complex, out: Complex): void;
}

/** Options of {@link adjointGradient}: those of `solveReactionDiffusion` with nodal coefficients. */
export interface AdjointGradientOptions {
  mesh: Mesh;
  /** Lagrange degree of the solution, 1 (default) or 2. */
  degree?: 1 | 2;
  /** Nodal values D_j ≥ 0 in the coefficient space (dof order of `dofPoints(mesh, coefficientDegree)`). */
  diffusion: ArrayLike<number>;
  /** Nodal values R_j ≥ 0 (default all 0). */
  reaction?: ArrayLike<number>;
  /**
   * c(ξ) > 0 of c u_t = ∇·(D∇u) − R u (default 1), as in `solveReactionDiffusion`. A plain array
   * is nodal values in the coefficient space, like D and R, and is differentiated (`mass` of the
   * result); any other coefficient (a number, a function of ξ, `{ nodal, degree? }`) is not.
   */
  mass?: ArrayLike<number> | Coefficient;
  /** Degree of the coefficients' space (default: `degree`); D and R are interpolated with its basis. */
  coefficientDegree?: 1 | 2;
  initial: InitialData;
  /** Output times, strictly increasing, ≥ 0 (integration starts at t = 0). */
  times: ArrayLike<number>;
  dt: number;
  /** Default 'crank-nicolson'. */
  scheme?: Scheme;
  /** Default 'cholesky' (exact adjoint to rounding); with 'cg' the gradient is as accurate as `tolerance`. */
  solver?: SolverKind;
  tolerance?: number;
  maxIterations?: number;
  maxSteps?: number;
  /** Refuse runs whose stored states exceed this many bytes (default 4 GiB). */
  maxMemory?: number;
  functional: Functional;
}

/** The result of {@link adjointGradient}. */
export interface AdjointGradient {
  /** J of the discrete solution. */
  readonly value: number;
  /** J_k per output time. */
  readonly values: number[];
  /** dJ/dD_j, one per dof of the coefficient space. */
  readonly diffusion: Float64Array;
  /** dJ/dR_j. */
  readonly reaction: Float64Array;
  /** dJ/dc_j, when the mass coefficient was given as a plain array of nodal values. */
  readonly mass?: Float64Array;
  /** dJ/dU⁰: with respect to the nodal initial values (real and imaginary parts). */
  readonly initial: Complex;
  /** The nodal states at the output times (as `solveReactionDiffusion` returns them). */
  readonly states: Complex[];
  /** The solution space and the coefficients' space. */
  readonly space: FunctionSpace;
  readonly coefficientSpace: FunctionSpace;
  /** Time steps taken. */
  readonly steps: number;
}

/**
 * One time step n as `integrate` takes it, written as the residual
 * r_n = S_n Uⁿ − (a₁ M − τ A) Uⁿ⁻¹ − a₂ M Uⁿ⁻² with S_n = M + σ A.
 */
interface Step {
  /** σ = θ·h of the step matrix (with the h it was built with). */
  sigma: number;
  /** τ: CN's −½h of M − ½hA (0 otherwise). */
  tau: number;
  a1: number;
  a2: number;
  theta: number;
  /** The h the step matrix was built with (integrate caches by h to 13 digits). */
  hMatrix: number;
  /** The h the CN right-hand side matrix was built with. */
  hRhs: number;
}

/**
 * dJ/dD_j, dJ/dR_j (and dJ/dU⁰, and dJ/dc_j for nodal mass values) of a functional of the
 * solution of c u_t = ∇·(D∇u) − R u with nodal coefficients, by the discrete adjoint of the scheme `solveReactionDiffusion` uses: one
 * forward solve keeping every state, one backward sweep with the (symmetric) step matrices,
 * and ∂A/∂D_j = ∫ψ_j ∇φ_a·∇φ_b, ∂A/∂R_j = ∂M_c/∂c_j = ∫ψ_j φ_a φ_b at the quadrature points. It is the
 * gradient of what the solver computes (with Cholesky, to rounding), not of the continuous
 * problem. No source term. Memory: every step's state is kept ((steps + 1) × dofs × parts doubles).
 *
 * @example
 * const mesh = intervalMesh(0, 1, 20);
 * const J = energyFunctional(mesh, 1, [0, 1]); // ½∫u(t=1)²
 * const g = adjointGradient({ mesh, diffusion: new Float64Array(21).fill(0.1), reaction: new Float64Array(21).fill(1),
 *   initial: (xi) => Math.cos(Math.PI * xi[0]), times: [0, 1], dt: 0.01, functional: J });
 * g.value; g.diffusion; // J and dJ/dD_j
 */
export function adjointGradient(options: AdjointGradientOptions): AdjointGradient {
  if (options === null || typeof options !== 'object') throw new Error('options: expected an object');
  const {
    degree,
    scheme,
    solver,
    plan,
    steps: total,
  } = checkOptions({
    ...options,
    diffusion: 0,
    reaction: 0,
    mass: undefined,
  });
  const { mesh, functional } = options;
  if (
    functional === null ||
    typeof functional !== 'object' ||
    typeof functional.value !== 'function' ||
    typeof functional.gradient !== 'function'
  )
    throw new Error('functional: expected { value(k, u), gradient(k, u, out) }');
  const cdeg = options.coefficientDegree ?? degree;
  if (cdeg !== 1 && cdeg !== 2) throw new Error(`coefficientDegree: expected 1 or 2, got ${cdeg}`);
  checkMeshShape(mesh);

  const space = functionSpace(mesh, degree);
  const B = mapBasis(space, cellRule(mesh.dim, degree));
  const C = coefficientBasis(B, cdeg);
  const D = checkNodal('diffusion', options.diffusion, C.space);
  const R =
    options.reaction === undefined
      ? new Float64Array(C.space.size)
      : checkNodal('reaction', options.reaction, C.space);
  const massNodal = isNodalArray(options.mass);
  const c =
    options.mass === undefined
      ? null
      : sampleMass(
          B,
          isNodalArray(options.mass) ? { nodal: options.mass, degree: cdeg } : options.mass,
          'mass',
        );
  const u0 = initialValues(options.initial, space.points, mesh.dim, space.size);
  const nrhs: 1 | 2 = u0.im.some((v) => v !== 0) ? 2 : 1;
  const n = space.size;
  const len = n * nrhs;
  const maxMemory = options.maxMemory ?? DEFAULT_MAX_MEMORY;
  const bytes = 8 * len * (total + 1);
  if (!(bytes <= maxMemory))
    throw new Error(
      `maxMemory: the adjoint keeps every state, ${total + 1} × ${len} values (${formatBytes(bytes)}), more than maxMemory = ${formatBytes(maxMemory)}; use a larger dt or a coarser mesh`,
    );

  // Assemble exactly as solveReactionDiffusion does with { nodal } coefficients.
  const P = sparsityPattern(space);
  const M = emptyMatrix(P);
  addMass(B, P, c, M.values);
  const A = emptyMatrix(P);
  addStiffness(B, P, interpolateAtQuadrature(B, C, D), A.values);
  addMass(B, P, interpolateAtQuadrature(B, C, R), A.values);

  const stepList = planSteps(plan, scheme);
  const outStep: number[] = [];
  let count = 0;
  for (const p of plan) {
    count += p.steps;
    outStep.push(count);
  }

  const symbolic = solver === 'cholesky' ? ldlSymbolic(M, space.points, mesh.dim) : undefined;
  const solvers = new Map<string, SpdSolver>();
  const solverFor = (s: Step): SpdSolver => {
    const key = `${s.theta}:${s.hMatrix}`;
    let x = solvers.get(key);
    if (x === undefined) {
      x = spdSolver(combine(1, M, s.theta * s.hMatrix, A), solver, {
        symbolic,
        tolerance: options.tolerance,
        maxIterations: options.maxIterations,
      });
      solvers.set(key, x);
    }
    return x;
  };
  const rhsMats = new Map<number, Csr>();
  const cnRhs = (h: number): Csr => {
    let m = rhsMats.get(h);
    if (m === undefined) {
      m = combine(1, M, -0.5 * h, A);
      rhsMats.set(h, m);
    }
    return m;
  };

  // Forward: the states Uⁿ, n = 0 … N, interleaved (stride nrhs) as integrate keeps them.
  const U: Float64Array[] = [];
  const U0 = new Float64Array(len);
  for (let i = 0; i < n; i++) {
    U0[i * nrhs] = u0.re[i];
    if (nrhs === 2) U0[i * nrhs + 1] = u0.im[i];
  }
  U.push(U0);
  const rhs = new Float64Array(len);
  const tmp = new Float64Array(len);
  for (let m = 1; m <= stepList.length; m++) {
    const s = stepList[m - 1];
    const prev = U[m - 1];
    const next = Float64Array.from(prev);
    if (s.tau !== 0) matvecN(cnRhs(s.hRhs), prev, rhs, nrhs);
    else if (s.a2 === 0) matvecN(M, prev, rhs, nrhs);
    else {
      const old = U[m - 2];
      for (let i = 0; i < len; i++) tmp[i] = (4 * prev[i] - old[i]) / 3;
      matvecN(M, tmp, rhs, nrhs);
    }
    solverFor(s).solve(rhs, next, nrhs);
    U.push(next);
  }

  const split = (x: Float64Array): Complex => {
    const re = new Float64Array(n);
    const im = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      re[i] = x[i * nrhs];
      if (nrhs === 2) im[i] = x[i * nrhs + 1];
    }
    return { re, im };
  };
  const states = outStep.map((m) => split(U[m]));
  const values = states.map((u, k) => functional.value(k, u));
  let value = 0;
  for (const v of values) value += v;
  if (!Number.isFinite(value)) throw new Error(`functional: its value is ${value}, not a finite number`);
  // ∂J/∂Uᵐ for the steps that are outputs.
  const dJ = new Map<number, Float64Array>();
  outStep.forEach((m, k) => {
    const g = { re: new Float64Array(n), im: new Float64Array(n) };
    functional.gradient(k, states[k], g);
    const x = new Float64Array(len);
    for (let i = 0; i < n; i++) {
      x[i * nrhs] = g.re[i];
      if (nrhs === 2) x[i * nrhs + 1] = g.im[i];
      if (!Number.isFinite(g.re[i]) || !Number.isFinite(g.im[i]))
        throw new Error(`functional: gradient at output ${k}, dof ${i} is not a finite number`);
    }
    dJ.set(m, x);
  });

  // Backward: S_m λ_m = ∂J/∂Uᵐ + (a₁ M − τ A) λ_{m+1} + a₂ M λ_{m+2}; λ_0 = dJ/dU⁰.
  // dJ/dp = −Σ_m λ_mᵀ (∂A/∂p)(σ_m Uᵐ + τ_m Uᵐ⁻¹), accumulated at the quadrature points.
  const N = stepList.length;
  const gD = new Float64Array(B.dx.length);
  const gR = new Float64Array(B.dx.length);
  let lam1 = new Float64Array(len); // λ_{m+1}
  let lam2 = new Float64Array(len); // λ_{m+2}
  let lam = new Float64Array(len);
  const work = new Float64Array(len);
  const V = new Float64Array(len);
  const acc = accumulator(B, nrhs);
  // ∂r_m/∂c_j = (∂M/∂c_j) W_m with W_m = Uᵐ − a₁ Uᵐ⁻¹ − a₂ Uᵐ⁻², the "reaction" part of a second accumulator.
  const accC = massNodal ? accumulator(B, nrhs) : undefined;
  const W = accC ? new Float64Array(len) : V;
  for (let m = N; m >= 0; m--) {
    rhs.fill(0);
    const g = dJ.get(m);
    if (g) rhs.set(g);
    if (m + 1 <= N) {
      const s = stepList[m];
      matvecN(M, lam1, work, nrhs);
      for (let i = 0; i < len; i++) rhs[i] += s.a1 * work[i];
      if (s.tau !== 0) {
        matvecN(A, lam1, work, nrhs);
        for (let i = 0; i < len; i++) rhs[i] -= s.tau * work[i];
      }
    }
    if (m + 2 <= N && stepList[m + 1].a2 !== 0) {
      matvecN(M, lam2, work, nrhs);
      for (let i = 0; i < len; i++) rhs[i] += stepList[m + 1].a2 * work[i];
    }
    if (m === 0) {
      lam.set(rhs);
      break;
    }
    const s = stepList[m - 1];
    lam.fill(0);
    solverFor(s).solve(rhs, lam, nrhs);
    const Um = U[m];
    const Up = U[m - 1];
    for (let i = 0; i < len; i++) V[i] = s.sigma * Um[i] + s.tau * Up[i];
    acc.add(lam, V);
    if (accC) {
      const Upp = s.a2 !== 0 ? U[m - 2] : Up;
      for (let i = 0; i < len; i++) W[i] = Um[i] - s.a1 * Up[i] - s.a2 * Upp[i];
      accC.add(lam, W);
    }
    const spare = lam2;
    lam2 = lam1;
    lam1 = lam;
    lam = spare;
  }
  acc.finish(gD, gR);
  const dD = projectFromQuadrature(B, C, gD, new Float64Array(C.space.size));
  const dR = projectFromQuadrature(B, C, gR, new Float64Array(C.space.size));
  for (let j = 0; j < dD.length; j++) {
    dD[j] = -dD[j];
    dR[j] = -dR[j];
  }
  let dC: Float64Array | undefined;
  if (accC) {
    const gC = new Float64Array(B.dx.length);
    accC.finish(new Float64Array(B.dx.length), gC);
    dC = projectFromQuadrature(B, C, gC, new Float64Array(C.space.size));
    for (let j = 0; j < dC.length; j++) dC[j] = -dC[j];
  }
  return {
    value,
    values,
    diffusion: dD,
    reaction: dR,
    ...(dC ? { mass: dC } : {}),
    initial: split(lam),
    states,
    space,
    coefficientSpace: C.space,
    steps: N,
  };
}

/** A plain array (nodal values in the coefficient space), not a number, function or `{ nodal }`. */
function isNodalArray(m: ArrayLike<number> | Coefficient | undefined): m is ArrayLike<number> {
  return m !== null && typeof m === 'object' && !('nodal' in m);
}

/**
 * The steps of `integrate` one by one: scheme of each step (BDF2 restarts with backward Euler
 * when h changes) and the h its cached matrices were built with (cache keyed by h to 13 digits,
 * oldest evicted beyond {@link CACHED_MATRICES}), so that the adjoint differentiates exactly
 * the matrices the solver used.
 */
function planSteps(plan: readonly { steps: number; h: number }[], scheme: Scheme): Step[] {
  const solverCache = new Map<string, number>();
  const rhsCache = new Map<string, number>();
  const built = (cache: Map<string, number>, key: string, h: number): number => {
    const got = cache.get(key);
    if (got !== undefined) return got;
    if (cache.size >= CACHED_MATRICES) cache.delete(cache.keys().next().value as string);
    cache.set(key, h);
    return h;
  };
  const out: Step[] = [];
  let lastH = 0;
  for (const { steps, h } of plan) {
    for (let s = 0; s < steps; s++) {
      const hKey = h.toPrecision(13);
      if (scheme === 'crank-nicolson') {
        const hMatrix = built(solverCache, `0.5:${hKey}`, h);
        const hRhs = built(rhsCache, hKey, h);
        out.push({ theta: 0.5, hMatrix, hRhs, sigma: 0.5 * hMatrix, tau: 0.5 * hRhs, a1: 1, a2: 0 });
      } else if (scheme === 'backward-euler' || out.length === 0 || h !== lastH) {
        const hMatrix = built(solverCache, `1:${hKey}`, h);
        out.push({ theta: 1, hMatrix, hRhs: 0, sigma: hMatrix, tau: 0, a1: 1, a2: 0 });
      } else {
        const hMatrix = built(solverCache, `${2 / 3}:${hKey}`, h);
        out.push({ theta: 2 / 3, hMatrix, hRhs: 0, sigma: (2 / 3) * hMatrix, tau: 0, a1: 4 / 3, a2: -1 / 3 });
      }
      lastH = h;
    }
  }
  return out;
}

/**
 * λᵀ(∂K/∂D)V and λᵀ(∂M_R/∂R)V at the quadrature points, summed over steps: each step adds
 * only the cell outer products L_c += Σ_parts λ_a V_b (ns² per cell, cheap); `finish` then
 * forms gD_q = dx_q Σ_ab L_ab ∇φ_a·∇φ_b and gR_q = dx_q Σ_ab L_ab φ_a φ_b once.
 */
function accumulator(
  B: MappedBasis,
  nrhs: 1 | 2,
): { add(lam: Float64Array, V: Float64Array): void; finish(gD: Float64Array, gR: Float64Array): void } {
  const { nq, dx, phi } = B;
  const space = B.space;
  const dim = space.mesh.dim;
  const ns = space.element.size;
  const ns2 = ns * ns;
  const dofs = space.cellDofs;
  const nc = dx.length / nq;
  const L = new Float64Array(nc * ns2);
  return {
    add(lam, V) {
      for (let c = 0; c < nc; c++) {
        const o = c * ns2;
        const d = c * ns;
        for (let a = 0; a < ns; a++) {
          const ia = dofs[d + a] * nrhs;
          for (let b = 0; b < ns; b++) {
            const ib = dofs[d + b] * nrhs;
            let s = lam[ia] * V[ib];
            if (nrhs === 2) s += lam[ia + 1] * V[ib + 1];
            L[o + a * ns + b] += s;
          }
        }
      }
    },
    finish(gD, gR) {
      const G = new Float64Array(nq * ns * dim);
      for (let c = 0; c < nc; c++) {
        physicalGradients(B, c, G);
        const o = c * ns2;
        for (let q = 0; q < nq; q++) {
          const g = q * ns * dim;
          let sD = 0;
          let sR = 0;
          for (let a = 0; a < ns; a++) {
            for (let b = 0; b < ns; b++) {
              const l = L[o + a * ns + b];
              let gg = 0;
              for (let k = 0; k < dim; k++) gg += G[g + a * dim + k] * G[g + b * dim + k];
              sD += l * gg;
              sR += l * phi[q * ns + a] * phi[q * ns + b];
            }
          }
          const w = dx[c * nq + q];
          gD[c * nq + q] += w * sD;
          gR[c * nq + q] += w * sR;
        }
      }
    },
  };
}
