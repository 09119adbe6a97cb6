export * from './align.js';
export * from './config.js';
export * from './metrics.js';
export * from './spectrum.js';
