export * from './build.js';
export * from './charts.js';
export * from './csv.js';
export * from './folder.js';
export * from './heatmap.js';
export * from './html.js';
export * from './render.js';
