export { cauchy } from './cauchy.js';
export {
  type ExpressionDensityOptions,
  expressionDensity,
  MAX_EXPRESSION_RESOLUTION,
} from './expression.js';
export { gaussian } from './gaussian.js';
export { laplace } from './laplace.js';
export { mixture } from './mixture.js';
export { normalCdf, normalQuantile } from './normal.js';
export { type DistributionSpec, distributionSpecSchema } from './schema.js';
export { shifted } from './shifted.js';
export { distributionDimension, distributionFromSpec } from './spec.js';
export { checkStratifiable, type FrequencySampling, stratifiedSample } from './stratified.js';
export { type TabulatedAxis, tabulated } from './tabulated.js';
export type { FrequencyDistribution } from './types.js';
export { uniformBox } from './uniform-box.js';
export { uniformDisk } from './uniform-disk.js';
