/**
 * @deprecated The engine interface lives in models/two-layer/engine.ts; this path is kept for
 * scripts/bench-nufft.ts, which imports it directly (import from '@freqbias/nn' instead).
 */
export type * from '../models/two-layer/engine.js';
