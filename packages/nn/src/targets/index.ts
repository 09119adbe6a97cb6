export { type GaussianBumpsOptions, gaussianBumps } from './bumps.js';
export { type ExpressionTargetOptions, expressionTarget } from './expression.js';
export { type ImageTargetOptions, imageTarget } from './image.js';
export { type TargetSpec, targetSpecSchema } from './schema.js';
export { type WindowedSinesOptions, windowedSines } from './sines.js';
export { evaluateTarget, type TargetSpecOptions, targetDimension, targetFromSpec } from './spec.js';
export type { Target } from './types.js';
