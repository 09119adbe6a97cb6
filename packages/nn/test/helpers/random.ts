import type { TwoLayerParameters } from '../../src/models/two-layer/engine.js';
import { createRng } from '../../src/random.js';

/** Random two-layer parameters: w ~ N(0, σ²) (well beyond Nyquist for some), a, b ~ N(0, 1). */
export function randomParameters(dim: 1 | 2, width: number, sigma: number, seed: number): TwoLayerParameters {
  const rng = createRng(seed);
  const w = Float64Array.from({ length: width * dim }, () => sigma * rng.normal());
  const a = Float64Array.from({ length: width }, () => rng.normal());
  const b = Float64Array.from({ length: width }, () => rng.normal());
  return { dim, width, w, a, b };
}
