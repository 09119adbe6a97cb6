export * from './align.js';
export * from './config.js';
export * from './csv.js';
export * from './metrics.js';
export * from './report/index.js';
export * from './spectrum.js';
