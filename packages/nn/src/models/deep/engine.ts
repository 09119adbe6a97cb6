import type { Grid } from '../../grid.js';
import type { TfjsEngineName } from '../tfjs-backend.js';

/**
 * The name a {@link DeepEngine} reports: a tfjs backend's, or 'wasm-simd' (wasm/engine.ts, freqbias's
 * own WebAssembly kernels).
 */
export type DeepEngineName = TfjsEngineName | 'wasm-simd';

/** Activation of the hidden layers of a {@link DeepFF}. */
export type DeepActivation = 'tanh' | 'relu' | 'sin';

/**
 * What an engine needs of a {@link DeepFF}: its shape and initial weights (W (m × d), then per dense
 * layer its kernel (in × out) and bias, flat and row-major).
 */
export interface DeepNetwork {
  readonly dim: 1 | 2;
  readonly depth: number;
  readonly activation: DeepActivation;
  /** Whether W is trained (else only the dense layers are). */
  readonly trainW: boolean;
  readonly shapes: readonly (readonly number[])[];
  readonly values: readonly Float32Array[];
}

/**
 * How a tfjs {@link DeepEngine} takes the loss's gradient: 'manual', a hand-written backward pass
 * (fast), or 'autodiff', tfjs's tf.grad (the reference).
 */
export type DeepGradients = 'manual' | 'autodiff';

/** The optimiser of a {@link DeepEngine}: its name and settings (learning rate η, Adam's moments). */
export interface DeepOptimizerSettings {
  readonly optimizer: 'gd' | 'adam';
  readonly learningRate: number;
  /** Adam's moments (defaults 0.9, 0.999, 1e-8); ignored by 'gd'. */
  readonly adam?: { readonly beta1?: number; readonly beta2?: number; readonly epsilon?: number };
}

/**
 * Full-batch descent on L = ½ h^d Σ_i (f(x_i) − g_i)² over a {@link DeepEngine}'s trainable weights
 * (THEORY.md §2), one step at a time so that training can check the loss before each update.
 */
export interface DeepOptimizer {
  /** L at the current weights; its gradient is kept for {@link step}. */
  loss(): Promise<number>;
  /** u = f − g at the current weights. */
  residual(): Promise<Float64Array>;
  /** Moves the weights by the gradient the last {@link loss} kept, then drops it. */
  step(): void;
  /** Releases the target, the optimiser's state and any kept gradient. */
  dispose(): void;
}

/**
 * One thread's share of a data-parallel {@link DeepOptimizer} (engines/threads.ts): the loss of a
 * slice of the grid's points, L_s = ½ h^d Σ_{i in s} (f(x_i) − g_i)², and its gradient in the
 * trainable weights (the weights' gradients one after the other, in the engine's order). L and ∇L
 * are the sums over the slices; every thread steps with the same sum, added in the same order, so
 * their weights stay equal.
 */
export interface DeepShard {
  /** Number of trainable weights: the gradient's length. */
  readonly size: number;
  /** L_s at the current weights; keeps ∇L_s and copies it into out (length {@link size}). */
  lossAndGradient(out: Float32Array): Promise<number>;
  /**
   * One optimiser step with ∇L = Σ_t partials[t], added in order t = 0, 1, …, where this shard's
   * entry is undefined (its kept gradient) and the others' are their copies.
   */
  step(partials: readonly (Float32Array | undefined)[]): void;
  /** u = f − g on the slice. */
  residual(): Promise<Float32Array>;
  /** Releases the slice's inputs, the kept gradient and the optimiser's state. */
  dispose(): void;
}

/**
 * How a {@link DeepFF} runs: the weights, f on a grid and the products with its Jacobian
 * J_{iθ} = ∂f(x_i)/∂θ in the trainable weights θ (W only when trainable), as the two-layer
 * engines' forward / vjp / jvp are. Model and training code never touch the implementation
 * (TensorFlow.js, `engines/tfjs.ts`, the reference; freqbias's WebAssembly kernels,
 * `wasm/engine.ts`); every method sets the engine up on first use.
 */
export interface DeepEngine {
  /** Sets up the backend and the weights; the engine name and the backend it runs on. */
  ready(): Promise<{ engine: DeepEngineName; backend: string }>;
  /** f(x_i) at every grid point (length grid.size). */
  forward(grid: Grid): Promise<Float64Array>;
  /** J Jᵀ v on the grid into out (without h^d): the empirical NTK's product. */
  ntk(grid: Grid, v: Float64Array, out: Float64Array): Promise<void>;
  /** A {@link DeepOptimizer} of L on the grid towards target g. */
  optimizer(grid: Grid, target: ArrayLike<number>, settings: DeepOptimizerSettings): Promise<DeepOptimizer>;
  /** Puts the weights back to their initial values. */
  reset(): Promise<void>;
  /** Releases the weights and cached inputs. */
  dispose(): void;
}
