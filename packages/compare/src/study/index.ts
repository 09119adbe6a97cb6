/*
 * Studies (issue 11): sweeps of experiments over config paths, run by a pool of worker processes or
 * a Slurm job array, resumable (a finished point is never run again), collected into one table,
 * plots and page.
 */
export { type CollectResult, collectStudy, STUDY_ALONGSIDE, studyCsv, studyRows } from './collect.js';
export { type ConfigPath, getConfigPath, parseConfigPath, SEED, setConfigPath } from './config-path.js';
export { canonicalJson, ID_LENGTH, pointId } from './hash.js';
export { listStudies, loadStudy, parseStudy } from './load.js';
export { takeSweepLock } from './lock.js';
export { metricColumns, metricOf, metricValues } from './metrics.js';
export { leastSquaresSlope, plotFile, type SlopeFit, type StudyPlot, studyPlots } from './plots.js';
export { axisValues, combine } from './points.js';
export { type Pool, type PoolOptions, runPool } from './pool.js';
export {
  isFinished,
  POINTS,
  type PointRecord,
  type PointTask,
  pointDir,
  pointTask,
  readPointRecord,
  recordFailure,
} from './record.js';
export { type PointOutcome, type RunPointOptions, runPoint } from './run-point.js';
export { type PlotSpec, type RawStudy, STUDY_LIMITS, studySchema } from './schema.js';
export { type SlurmOptions, type SweepCommand, sbatchScript, submitArray, writeSbatch } from './slurm.js';
export { prepareStudyFolder, type SweepOptions, type SweepResult, sweep, unfinished } from './sweep.js';
export type { Study, StudyAxis, StudyPoint, StudyRow } from './types.js';
