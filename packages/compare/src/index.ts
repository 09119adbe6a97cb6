export * from './analysis/index.js';
export * from './config.js';
export * from './experiments.js';
export * from './pipeline/index.js';
export * from './report/index.js';
export * from './spectrum/index.js';
export * from './versions.js';
