/**
 * @deprecated The engine lives in models/two-layer/engines/nufft.ts; this path is kept for
 * scripts/bench-nufft.ts, which imports it directly (import from '@freqbias/nn' instead).
 */
export * from '../models/two-layer/engines/nufft.js';
