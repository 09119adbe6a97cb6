import type { Grid } from '../../grid.js';

/**
 * Parameters θ = (w, a, b) of a two-layer Fourier Features network (THEORY.md §1):
 * f(x) = (1/√m) Σ_j [a_j cos(w_j·x) + b_j sin(w_j·x)].
 */
export interface TwoLayerParameters {
  readonly dim: 1 | 2;
  /** Width m (number of features). */
  readonly width: number;
  /** Frequencies, flat and feature-major: w_j = (w[j·dim], …, w[j·dim + dim − 1]). */
  readonly w: Float64Array;
  /** Cosine amplitudes a_j, length m. */
  readonly a: Float64Array;
  /** Sine amplitudes b_j, length m. */
  readonly b: Float64Array;
}

/** A vector in parameter space, shaped like the parameters (gradients, tangents). */
export interface TwoLayerTangent {
  readonly w: Float64Array;
  readonly a: Float64Array;
  readonly b: Float64Array;
}

/** Names of the engines that evaluate a two-layer network on a grid. */
export type TwoLayerEngineName = 'float64' | 'nufft' | 'tfjs-node' | 'tfjs-wasm' | 'tfjs-cpu';

/**
 * One way of evaluating a two-layer FF network on a fixed uniform grid. Model and training code
 * never know which engine runs; engines must agree with each other (tests prove it).
 *
 * All three products are with the Jacobian J_{iθ} = ∂f(x_i)/∂θ of the network on the grid,
 * without the cell volume h^d (training multiplies by it).
 */
export interface TwoLayerEngine {
  readonly name: TwoLayerEngineName;
  readonly grid: Grid;
  /** Optional: where it runs, e.g. 'float64 (2 threads)' or a tfjs backend; reports show it. */
  readonly backend?: string;
  /** f(x_i) at every grid point (length grid.size). */
  forward(p: TwoLayerParameters, out?: Float64Array): Promise<Float64Array>;
  /** Jᵀ r = Σ_i r_i ∂f(x_i)/∂θ: the gradient of Σ_i r_i f(x_i). */
  vjp(p: TwoLayerParameters, r: Float64Array, out?: TwoLayerTangent): Promise<TwoLayerTangent>;
  /** J t = Σ_θ t_θ ∂f(x_i)/∂θ at every grid point: the NTK product is J(Jᵀ v). */
  jvp(p: TwoLayerParameters, t: TwoLayerTangent, out?: Float64Array): Promise<Float64Array>;
  /**
   * Optional: one gradient-descent update in place, θ ← θ + step·Jᵀr (w only when trainW), equal
   * bit for bit to vjp followed by θ_i += step·(Jᵀr)_i but fused (no gradient arrays). Training
   * uses it when present.
   */
  descend?(p: TwoLayerParameters, r: Float64Array, step: number, trainW: boolean): Promise<void>;
  /**
   * Optional: a Float64Array of `length` that the engine's threads read and write without copying
   * (shared memory); training keeps the parameters in such arrays while it runs.
   */
  float64?(length: number): Float64Array;
  /** Releases workers, tensors or buffers. */
  dispose(): Promise<void>;
}
