/*
 * Design of ρ_w (issue 12): the PDE as a cheap surrogate of training — search a family of ρ_w for
 * the best goal (fastest loss decay, or a learning-time profile), then confirm by training.
 */
export {
  type DesignCandidate,
  type DesignOptions,
  type DesignResult,
  runDesign,
  type TrainedDesign,
} from './design.js';
export {
  crossingTime,
  type GoalValue,
  goalValue,
  learningTimeOf,
  profileValues,
  type Trajectory,
} from './goals.js';
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
  listDesigns,
  loadDesignSpec,
  parseDesignSpec,
} from './spec.js';
