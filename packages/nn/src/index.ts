export {
  cauchy,
  type DistributionSpec,
  distributionFromSpec,
  type ExpressionDensityOptions,
  expressionDensity,
  type FrequencyDistribution,
  gaussian,
  laplace,
  mixture,
  shifted,
  uniformBox,
  uniformDisk,
} from './distributions/index.js';
export { type Grid, type UniformGridOptions, uniformGrid } from './grid.js';
export {
  type LinearOperator,
  type PowerIterationOptions,
  type PowerIterationResult,
  powerIteration,
  powerIterationSync,
} from './power-iteration.js';
export {
  type ExpressionTargetOptions,
  evaluateTarget,
  expressionTarget,
  type GaussianBumpsOptions,
  gaussianBumps,
  type ImageTargetOptions,
  imageTarget,
  type Target,
  type TargetSpec,
  targetFromSpec,
  type WindowedSinesOptions,
  windowedSines,
} from './targets/index.js';
