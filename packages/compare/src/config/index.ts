export { loadPdeMesh } from './checks.js';
export { ConfigError } from './errors.js';
export {
  type BundledExperiment,
  type LoadedConfig,
  listExperiments,
  loadExperiment,
} from './experiments.js';
export { configOperator, SYMBOL_FLOOR } from './operator.js';
export { type ConfigOverrides, withOverrides } from './overrides.js';
export { type ParseConfigOptions, parseConfig } from './parse.js';
export type { Claim, ExperimentConfig } from './resolve.js';
export { CONFIG_LIMITS } from './schema.js';
