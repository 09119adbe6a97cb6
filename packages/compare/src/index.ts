export * from './analysis/index.js';
export * from './config/index.js';
export * from './design/index.js';
export * from './pipeline/index.js';
export * from './report/index.js';
export * from './spectrum/index.js';
export * from './study/index.js';
