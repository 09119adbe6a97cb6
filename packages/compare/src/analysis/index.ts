export { interpolateSpectrum, matchTimes, resampleTrajectory, type TimeMatch } from './align.js';
export {
  type BandOptions,
  type BandSelection,
  type BandSpec,
  type Box,
  bandBox,
  pick,
  selectBand,
  tensorBand,
} from './band.js';
export { type ClaimResult, evaluateClaims } from './claims.js';
export { dampingRate } from './damping.js';
export { learningTimes } from './learning-times.js';
export { gridLoss, type LossCurves, type LossPoint, lossCurve, pdeLoss, spectralLoss } from './loss.js';
export { type Discrepancy, discrepancy, ensembleMean, relL2 } from './metrics.js';
export { nearestFrequency } from './nearest.js';
export type { ReportMetrics } from './report-metrics.js';
