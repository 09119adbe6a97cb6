export * from './build.js';
export * from './charts.js';
export * from './csv.js';
export * from './folder/index.js';
export * from './heatmap.js';
export * from './html.js';
export * from './render.js';
export * from './versions.js';
