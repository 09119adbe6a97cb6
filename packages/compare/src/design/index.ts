/*
 * Design of ρ_w (issue 12): the PDE as a cheap surrogate of training — search a family of ρ_w for
 * the best goal (fastest loss decay, or a learning-time profile), then confirm by training.
 */

export {
  type DensityFamily,
  type FreeFamilyOptions,
  freeFamily,
  type MixtureFamilyOptions,
  mixtureFamily,
} from './density.js';
export { type Evaluated, type LbfgsOptions, type LbfgsResult, minimiseLbfgs } from './descent.js';
export {
  type DesignCandidate,
  type DesignOptions,
  type DesignResult,
  runDesign,
  type TrainedDesign,
} from './design.js';
export {
  crossingTime,
  crossingTimeGradient,
  type GoalValue,
  goalValue,
  learningTimeOf,
  profileValues,
  type Trajectory,
} from './goals.js';
export { type GoalGradient, type GradientProblem, goalGradient, gradientProblem } from './gradient.js';
export { candidateConfig, type Prediction, predict, predictionTimes } from './predict.js';
export { designFiles, designJson } from './report.js';
export { type Evaluation, type SearchOptions, type SearchResult, searchMinimum } from './search.js';
export {
  type DesignFamily,
  type DesignGoal,
  type DesignSearch,
  type DesignSpec,
  type FamilyParameters,
  familyDistribution,
  familyParameters,
  type GradientFamilySpec,
  gradientFamily,
  isGradientFamily,
  listDesigns,
  loadDesignSpec,
  parseDesignSpec,
} from './spec.js';
