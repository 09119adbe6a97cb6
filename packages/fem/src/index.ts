export type { Coefficient, Pattern } from './assembly.js';
export {
  addLoad,
  addMass,
  addStiffness,
  emptyMatrix,
  sampleCoefficient,
  sparsityPattern,
} from './assembly.js';
export { lagrange } from './element/index.js';
export type { Element } from './element/types.js';
export { type FrequencyDynamics, frequencyDynamics } from './frequency.js';
export { type MappedBasis, mapBasis } from './geometry.js';
export {
  DEFAULT_MAX_DOFS,
  DEFAULT_MAX_MEMORY,
  estimateMemory,
  type MemoryPlan,
  type ProblemSize,
} from './limits.js';
export { type AxisOptions, axisNodes } from './mesh/axis.js';
export { readGmsh } from './mesh/gmsh.js';
export { intervalMesh } from './mesh/interval.js';
export { cellLocator, type Locator } from './mesh/locate.js';
export { checkCellsDisjoint } from './mesh/overlap.js';
export { type RectangleOptions, rectangleMesh } from './mesh/rectangle.js';
export { cellCount, type Mesh, pointCount } from './mesh/types.js';
export { validateMesh } from './mesh/validate.js';
export { errorH1, errorL2, type FieldFunction, type GradientFunction, normH1, normL2 } from './norms.js';
export { cellRule, gaussInterval, type Quadrature, triangleRule } from './quadrature.js';
export type { Complex, ReactionDiffusionSolution } from './solution.js';
export {
  type InitialData,
  type ReactionDiffusionOptions,
  type ScalarField,
  solveReactionDiffusion,
} from './solve.js';
export { dofPoints, type FunctionSpace, functionSpace } from './space.js';
export { type CgOptions, pcg } from './sparse/cg.js';
export { type Csr, combine, matvec } from './sparse/csr.js';
export { type LdlFactor, ldlNumeric, PivotError } from './sparse/ldlt/numeric.js';
export { ldlSolve } from './sparse/ldlt/solve.js';
export { type LdlSymbolic, ldlSymbolic } from './sparse/ldlt/symbolic.js';
export { nestedDissection } from './sparse/ordering.js';
export { type SolverKind, type SpdSolver, spdSolver } from './sparse/solver.js';
export { DEFAULT_MAX_STEPS, type Scheme, stepPlan } from './time/schemes.js';
export { toVtu } from './vtu.js';
