export {
  cauchy,
  checkStratifiable,
  type DistributionSpec,
  distributionDimension,
  distributionFromSpec,
  distributionSpecSchema,
  type ExpressionDensityOptions,
  expressionDensity,
  type FrequencyDistribution,
  type FrequencySampling,
  gaussian,
  laplace,
  MAX_EXPRESSION_RESOLUTION,
  mixture,
  normalCdf,
  normalQuantile,
  shifted,
  stratifiedSample,
  type TabulatedAxis,
  tabulated,
  uniformBox,
  uniformDisk,
} from './distributions/index.js';
export { type Grid, type UniformGridOptions, uniformGrid } from './grid.js';
export {
  type KernelDynamicsOptions,
  type KernelDynamicsResult,
  kernelDynamics,
} from './kernel/dynamics.js';
export { type KernelOperator, kernelMatrix, kernelOperator } from './kernel/operator.js';
export {
  type CrossKernelTables,
  crossKernelMatrix,
  crossKernelOperator,
  crossKernelTables,
  type OperatorKernelOptions,
  type OperatorKernelTables,
  operatorKernelMatrix,
  operatorKernelOperator,
  operatorKernelTables,
} from './kernel/operator-kernel.js';
export { type ToeplitzConvolution, toeplitzConvolution } from './kernel/toeplitz.js';
export type {
  DeepEngine,
  DeepEngineName,
  DeepOptimizer,
  DeepOptimizerSettings,
} from './models/deep/engine.js';
export { type DeepActivation, DeepFF, type DeepFFOptions } from './models/deep/model.js';
export { WasmDeepEngine, type WasmDeepOptions } from './models/deep/wasm/engine.js';
export { relaxedSimdAvailable } from './models/deep/wasm/kernels.js';
export {
  availableTfjsBackends,
  type TfjsBackendChoice,
  type TfjsEngineName,
  useTfjsBackend,
} from './models/tfjs-backend.js';
export type {
  TwoLayerEngine,
  TwoLayerEngineName,
  TwoLayerParameters,
  TwoLayerTangent,
} from './models/two-layer/engine.js';
export {
  createFloat64Engine,
  type Float64Engine,
  type Float64EngineOptions,
} from './models/two-layer/engines/float64.js';
export { createNufftEngine, type NufftEngineOptions } from './models/two-layer/engines/nufft.js';
export {
  createTfjsEngine,
  type TfjsEngine,
  type TfjsEngineOptions,
} from './models/two-layer/engines/tfjs.js';
export {
  NUFFT_THRESHOLD,
  type TwoLayerEngineChoice,
  TwoLayerFF,
  type TwoLayerFFOptions,
} from './models/two-layer/model.js';
export { zeroTangent } from './models/two-layer/tangent.js';
export {
  createNufftPlan,
  type EsKernel,
  esKernelFor,
  NufftPlan,
  type NufftPlanOptions,
  type NufftSign,
} from './nufft/index.js';
export { PHASOR_RESEED, phasors } from './numeric/phasors.js';
export {
  type LinearOperator,
  type PowerIterationOptions,
  type PowerIterationResult,
  powerIteration,
  powerIterationSync,
} from './numeric/power-iteration.js';
export { nextPowerOfTwo } from './numeric/power-of-two.js';
export {
  advection,
  applyOperator,
  biharmonic,
  type Complex,
  checkOperator,
  type DifferentialOperator,
  diffusionReaction,
  helmholtz,
  identityOperator,
  isIdentity,
  MAX_OPERATOR_ORDER,
  type OperatorEngine,
  type OperatorSpec,
  type OperatorTerm,
  operatorDimension,
  operatorEngine,
  operatorFromSpec,
  operatorSpecSchema,
  polynomialOperator,
  scaleOperator,
  sumOperators,
  symbolsAt,
} from './operators/index.js';
export { WorkerPool } from './parallel/pool.js';
export { createRng, type Rng } from './random.js';
export type { SpecDimension } from './schema/dimension.js';
/** zod field builders and issue formatting shared by every JSON schema of freqbias (specs, configs). */
export * as schema from './schema/index.js';
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
  type TargetSpecOptions,
  targetDimension,
  targetFromSpec,
  targetSpecSchema,
  type WindowedSinesOptions,
  windowedSines,
} from './targets/index.js';
export { deepLambdaMax, deepLambdaMaxEstimate } from './training/deep.js';
export { twoLayerLambdaMax, twoLayerLambdaMaxEstimate } from './training/gd.js';
export type { LambdaMaxEstimate } from './training/learning-rate.js';
export { type TrainOptions, type TrainResult, train } from './training/train.js';
