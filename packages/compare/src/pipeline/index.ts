export { type Finding, type FindingLevel, PreflightError } from './checks/findings.js';
export type { Limits } from './checks/resources.js';
export { pdeMesh } from './pde.js';
export type { ProgressSink } from './progress.js';
export type { ExperimentResult, RunReport } from './result.js';
export { type RunOptions, runExperiment } from './run.js';
