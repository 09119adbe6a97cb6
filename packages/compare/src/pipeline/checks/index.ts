export {
  type Finding,
  type FindingLevel,
  PreflightError,
  raiseErrors,
  THRESHOLDS,
} from './findings.js';
export {
  checkBand,
  checkClaims,
  checkDistribution,
  checkFrequencies,
  checkLearning,
  checkTarget,
  DISCREPANCY_FIGURES,
  nyquist,
} from './inputs.js';
export {
  type FlowEstimate,
  gradientFlowDistance,
  type LearningRatePlan,
  planLearningRate,
} from './learning-rate.js';
export { checkCoverage, checkMesh } from './mesh.js';
export { checkResources, defaultLimits, type Limits, memoryEstimate } from './resources.js';
