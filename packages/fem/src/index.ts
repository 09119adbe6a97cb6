export { energyFunctional, pointFunctional } from './adjoint/functionals.js';
export {
  type AdjointGradient,
  type AdjointGradientOptions,
  adjointGradient,
  type Functional,
} from './adjoint/gradient.js';
export type { NodalCoefficient } from './adjoint/nodal.js';
export { type Coefficient, sampleCoefficient, sampleMass } from './assembly/coefficient.js';
export { addLoad, addMass, addStiffness } from './assembly/forms.js';
export { emptyMatrix, type Pattern, sparsityPattern } from './assembly/pattern.js';
export { lagrange } from './element/index.js';
export type { Element } from './element/types.js';
export {
  DEFAULT_MAX_DOFS,
  DEFAULT_MAX_MEMORY,
  estimateMemory,
  type MemoryPlan,
  type ProblemSize,
} from './guards/memory.js';
export { readGmsh } from './io/gmsh.js';
export { toVtu } from './io/vtu.js';
export { type CgOptions, pcg } from './linalg/cg.js';
export { type Csr, combine, matvec } from './linalg/csr.js';
export { type LdlFactor, ldlNumeric, PivotError } from './linalg/ldlt/numeric.js';
export { ldlSolve } from './linalg/ldlt/solve.js';
export { type LdlSymbolic, ldlSymbolic } from './linalg/ldlt/symbolic.js';
export { nestedDissection } from './linalg/ordering.js';
export { type SolverKind, type SpdSolver, spdSolver } from './linalg/solver.js';
export { type AxisOptions, axisNodes } from './mesh/axis.js';
export { intervalMesh } from './mesh/interval.js';
export { cellLocator, type Locator } from './mesh/locate.js';
export { checkCellsDisjoint } from './mesh/overlap.js';
export { type RectangleOptions, rectangleMesh } from './mesh/rectangle.js';
export { cellCount, type Mesh, pointCount } from './mesh/types.js';
export { validateMesh } from './mesh/validate.js';
export { errorH1, errorL2, type FieldFunction, type GradientFunction, normH1, normL2 } from './post/norms.js';
export type { Complex, ReactionDiffusionSolution } from './post/solution.js';
export { nodalFunction } from './post/solution.js';
export {
  type FrequencyDynamics,
  type FrequencyDynamicsGradientOptions,
  frequencyDynamics,
  frequencyDynamicsGradient,
  type OperatorFrequencyDynamics,
  type OperatorSymbol,
  operatorFrequencyDynamics,
  SYMBOL_FLOOR,
} from './problem/frequency-dynamics.js';
export type { InitialData, ReactionDiffusionOptions, ScalarField } from './problem/options.js';
export { solveReactionDiffusion } from './problem/reaction-diffusion.js';
export { cellRule } from './quadrature/index.js';
export { gaussInterval } from './quadrature/interval.js';
export { triangleRule } from './quadrature/triangle.js';
export type { Quadrature } from './quadrature/types.js';
export { type MappedBasis, mapBasis } from './space/basis.js';
export { dofPoints, type FunctionSpace, functionSpace } from './space/function-space.js';
export { DEFAULT_MAX_STEPS, type Scheme, stepPlan } from './time/schemes.js';
