import type * as tf from '@tensorflow/tfjs';
import { checkSampling, type FrequencySampling, stratifiedSample } from '../../distributions/stratified.js';
import type { FrequencyDistribution } from '../../distributions/types.js';
import type { Grid } from '../../grid.js';
import { checkParameterBytes } from '../../numeric/checks.js';
import { createRng, type Rng } from '../../random.js';
import type { TfjsBackendChoice } from '../tfjs-backend.js';
import type { DeepActivation, DeepEngine, DeepEngineName, DeepGradients, DeepNetwork } from './engine.js';
import { deepForward, TfjsDeepEngine } from './engines/tfjs.js';
import { checkDeepThreads, type DeepThreads, ThreadedDeepEngine } from './engines/threads.js';
import { WasmDeepEngine } from './wasm/engine.js';

export type { DeepActivation, DeepEngineName, DeepGradients } from './engine.js';
export type { DeepThreads } from './engines/threads.js';

/** Options of {@link DeepFF}. */
export interface DeepFFOptions {
  /** ρ_w: rows of W, the embedding frequencies (THEORY.md §6); its dim is the network's. */
  readonly distribution: FrequencyDistribution;
  /** Number of frequencies m: the embedding γ(x) = [cos(Wx), sin(Wx)] has 2m entries. */
  readonly features: number;
  /** Width of every hidden layer. */
  readonly width: number;
  /** Number of hidden layers (≥ 1). */
  readonly depth: number;
  /** Hidden activation (default 'tanh'). */
  readonly activation?: DeepActivation;
  /** Seed of the initialisation (default 0). */
  readonly seed?: number;
  /**
   * How the rows of W are drawn (default 'random': independent samples of ρ_w). 'stratified': the
   * quasi-random set of {@link stratifiedSample} (one w per 1/m of ρ_w's mass in 1D): at a few
   * hundred frequencies, random draws leave gaps near a target frequency that change its learning
   * time several-fold from seed to seed. The hidden layers' weights are the same numbers as with
   * 'random' for the same seed.
   */
  readonly sampling?: FrequencySampling;
  /** `w: false` freezes the embedding W (default: trained). */
  readonly trainable?: { readonly w?: boolean };
  /**
   * What runs the network (default 'auto'): 'wasm', freqbias's own WebAssembly kernels
   * (wasm/engine.ts: float32, 128-bit SIMD, a hand-written backward pass, threads sharing one
   * memory; 4–10× faster than tfjs-wasm here), or 'tfjs', TensorFlow.js (the reference the wasm
   * engine is tested against; `backend` and `gradients` apply to it). 'auto' is 'wasm' where the
   * runtime has WebAssembly SIMD with shared memory and neither `backend` nor
   * `gradients: 'autodiff'` is given, else 'tfjs'.
   */
  readonly engine?: 'auto' | 'wasm' | 'tfjs';
  /**
   * The wasm engine's fused multiply-adds by relaxed SIMD: 'auto' (default) where the runtime has
   * them, false for the plain SIMD kernels (multiply, then add), true to require them.
   */
  readonly fma?: boolean | 'auto';
  /** tfjs backend (default 'auto': node, else wasm, else cpu). */
  readonly backend?: TfjsBackendChoice;
  /**
   * How training takes the gradient (default 'manual': a hand-written backward pass, tested against
   * 'autodiff', tfjs's tf.grad, to float32 tolerance; 5–8× faster on tfjs-wasm).
   */
  readonly gradients?: DeepGradients;
  /**
   * Threads. On the wasm engine (wasm/engine.ts) the threads share one memory and split every
   * product's rows; 'auto' (default) allows two on two cores from 2^26 multiply-adds per step
   * (N = 512, m = 256, 3×256) and then runs each step on one or two, whichever has been faster
   * lately (they give the same bits). On tfjs, the threads a step splits the grid's points over
   * (data parallelism, engines/threads.ts): 1 runs on
   * the calling thread alone (the reference engine), n on it and n − 1 worker threads with the
   * same weights, each taking a slice of the points. Default 'auto': two threads on a machine with
   * two cores once N·(2m·width + (depth − 1)·width²) reaches {@link DEEP_THREADS_MIN_WORK}
   * (N = 512, m = 256, 3×256: 2; N = 256, m = 128, 3×128: 1, where a worker's round trip cost more
   * than it saved, 32 against 18 ms per step; the small test networks: 1).
   */
  readonly threads?: DeepThreads;
  /**
   * Refuse sizes whose weights, 4 bytes each ({@link DeepFF.parameterCount}), exceed this (default
   * {@link MAX_PARAMETER_BYTES}, 4 GiB; training holds a few more copies).
   */
  readonly maxParameterBytes?: number;
}

/**
 * A deep Fourier Features network (THEORY.md §6): the embedding
 * γ(x) = [cos(Wx), sin(Wx)] with the rows of W drawn from ρ_w, then `depth` dense layers of `width`
 * units with the activation, then a linear output. Weights are drawn from the seed with freqbias's
 * own generator (LeCun normal, gain √2 for relu; zero biases), so initialisation does not depend on
 * tfjs's random state. The model is the description; a {@link DeepEngine} (`engine`: freqbias's
 * WebAssembly kernels by default, or TensorFlow.js, the reference) holds the weights and runs it.
 *
 * @example
 * const net = new DeepFF({ distribution: gaussian(10), features: 128, width: 64, depth: 2, seed: 1 });
 * const f = await net.evaluate(uniformGrid({ dim: 1, halfWidth: 8, n: 256 })); // Float64Array(256)
 * net.dispose();
 */
export class DeepFF {
  readonly kind = 'deep';
  readonly dim: 1 | 2;
  readonly distribution: FrequencyDistribution;
  readonly features: number;
  readonly width: number;
  readonly depth: number;
  readonly activation: DeepActivation;
  readonly seed: number;
  /** How the rows of W were drawn (the `sampling` option, 'random' unless given). */
  readonly sampling: FrequencySampling;
  readonly trainable: { readonly w: boolean };
  /** The `threads` option ('auto' unless given). */
  readonly threads: DeepThreads;
  /** What runs the network: the `engine` option resolved. */
  readonly runsOn: 'wasm' | 'tfjs';
  /** The calling thread's tfjs engine: it holds the weights {@link variables} returns. */
  private readonly tfjs: TfjsDeepEngine;
  private readonly wasm: WasmDeepEngine | undefined;
  private readonly runner: DeepEngine;

  constructor(options: DeepFFOptions) {
    const { distribution, features, width, depth } = options;
    if (!distribution || (distribution.dim !== 1 && distribution.dim !== 2)) {
      throw new Error('distribution: expected a FrequencyDistribution of dimension 1 or 2');
    }
    for (const [name, value] of [
      ['features', features],
      ['width', width],
      ['depth', depth],
    ] as const) {
      if (!Number.isInteger(value) || value < 1)
        throw new Error(`${name}: expected an integer ≥ 1, got ${value}`);
    }
    const count = DeepFF.parameterCount(distribution.dim, features, width, depth);
    // name the size that dominates: the embedding's (features) or the hidden layers' (width)
    const hidden = (depth - 1) * width * width > 2 * features * width;
    checkParameterBytes(
      hidden ? 'width' : 'features',
      `features = ${features}, width = ${width}, depth = ${depth}: ${count.toPrecision(3)} weights`,
      4 * count,
      options.maxParameterBytes,
    );
    const activation = options.activation ?? 'tanh';
    if (!['tanh', 'relu', 'sin'].includes(activation)) {
      throw new Error(`activation: expected 'tanh', 'relu' or 'sin', got ${activation}`);
    }
    const sampling = checkSampling(options.sampling, distribution);
    this.sampling = sampling;
    this.dim = distribution.dim;
    this.distribution = distribution;
    this.features = features;
    this.width = width;
    this.depth = depth;
    this.activation = activation;
    this.seed = options.seed ?? 0;
    this.trainable = { w: options.trainable?.w ?? true };
    const network: DeepNetwork = {
      dim: this.dim,
      depth,
      activation,
      trainW: this.trainable.w,
      ...this.initialWeights(createRng(this.seed)),
    };
    this.threads = options.threads ?? 'auto';
    checkDeepThreads(this.threads);
    const backend = options.backend ?? 'auto';
    const gradients = options.gradients ?? 'manual';
    const engine = options.engine ?? 'auto';
    if (!['auto', 'wasm', 'tfjs'].includes(engine)) {
      throw new Error(`engine: expected 'auto', 'wasm' or 'tfjs', got ${engine}`);
    }
    const wasmAvailable = WasmDeepEngine.available();
    if (engine === 'wasm' && !wasmAvailable) {
      throw new Error('engine: this runtime has no WebAssembly SIMD with shared memory');
    }
    this.runsOn =
      engine === 'wasm' ||
      (engine === 'auto' && wasmAvailable && options.backend === undefined && gradients === 'manual')
        ? 'wasm'
        : 'tfjs';
    if (this.runsOn === 'wasm') {
      this.wasm = new WasmDeepEngine(network, { threads: this.threads, fma: options.fma });
      this.tfjs = new TfjsDeepEngine(network, backend, gradients);
      this.runner = this.wasm;
    } else if (this.threads === 1) {
      this.tfjs = new TfjsDeepEngine(network, backend, gradients);
      this.runner = this.tfjs;
    } else {
      const threaded = new ThreadedDeepEngine(network, { threads: this.threads, backend, gradients });
      this.tfjs = threaded.local;
      this.runner = threaded;
    }
  }

  /**
   * The engine that holds the weights and runs the network (training calls it, never tfjs).
   *
   * @example
   * const f = await net.engine.forward(grid); // as net.evaluate(grid)
   */
  get engine(): DeepEngine {
    return this.runner;
  }

  /**
   * The number of weights: W (m × d), the first dense layer (2m × width + width), depth − 1 hidden
   * ones (width² + width) and the output (width + 1).
   *
   * @example
   * DeepFF.parameterCount(1, 128, 64, 2); // 128 + (256·64 + 64) + (64·64 + 64) + 65 = 20801
   */
  static parameterCount(dim: number, features: number, width: number, depth: number): number {
    return features * dim + (2 * features + 1) * width + (depth - 1) * (width + 1) * width + width + 1;
  }

  /**
   * Sets up the engine and the weights; returns the engine name and its backend.
   *
   * @example
   * await net.ready(); // { engine: 'wasm-simd', backend: 'wasm-relaxed-simd' } on Node 20
   */
  async ready(): Promise<{ engine: DeepEngineName; backend: string }> {
    return this.runner.ready();
  }

  /**
   * All weights as tf variables: [W, kernel₁, bias₁, …, kernel_out, bias_out]. With threads > 1
   * they are the calling thread's; the workers' copies follow training and reset, and take any
   * other change (an assign) at the start of the next training. On the wasm engine they are a
   * copy of its weights made by this call, and the engine takes them back (with any assign) at
   * its next call.
   *
   * @example
   * (await net.variables())[0].shape; // [features, dim]
   */
  async variables(): Promise<tf.Variable[]> {
    await this.syncToTfjs();
    return this.tfjs.variables();
  }

  /**
   * The variables gradient descent moves (W only when trainable).
   *
   * @example
   * (await frozen.trainableVariables()).length; // 2·depth + 2: W is left out
   */
  async trainableVariables(): Promise<tf.Variable[]> {
    await this.syncToTfjs();
    return this.tfjs.trainableVariables();
  }

  /** With the wasm engine: its weights into the tf variables, read back at its next call. */
  private async syncToTfjs(): Promise<void> {
    const wasm = this.wasm;
    if (!wasm) return;
    await this.tfjs.setWeights(await wasm.weights());
    wasm.loadBeforeNextCall(() => this.tfjs.weights());
  }

  /**
   * f at the points of a grid.
   *
   * @example
   * const f = await net.evaluate(grid); // Float64Array(grid.size)
   */
  async evaluate(grid: Grid): Promise<Float64Array> {
    return this.runner.forward(grid);
  }

  /**
   * The grid's points as a float32 tensor (cached per grid, released by dispose).
   *
   * @example
   * net.input(grid).shape; // [grid.size, grid.dim]
   */
  input(grid: Grid): tf.Tensor2D {
    return this.tfjs.input(grid);
  }

  /**
   * f(x) for weights given as tensors in the order of {@link variables} (so that autodiff can take
   * gradients in any of them). Returns a 1D tensor of length x.shape[0].
   *
   * @example
   * const f = tf.tidy(() => net.apply(net.input(grid), await net.variables())); // shape [grid.size]
   */
  apply(x: tf.Tensor2D, weights: readonly tf.Tensor[]): tf.Tensor1D {
    return deepForward(this, x, weights);
  }

  /**
   * Puts the weights back to their initial values.
   *
   * @example
   * await net.reset(); // net.evaluate(grid) is f(·; θ_0) again
   */
  async reset(): Promise<void> {
    await this.runner.reset();
  }

  /**
   * Releases the tensors.
   *
   * @example
   * net.dispose();
   */
  dispose(): void {
    this.runner.dispose();
    if (this.wasm) this.tfjs.dispose();
  }

  private initialWeights(rng: Rng): Pick<DeepNetwork, 'shapes' | 'values'> {
    const shapes: number[][] = [[this.features, this.dim]];
    const values: Float32Array[] = [Float32Array.from(this.distribution.sample(this.features, rng))];
    const gain = this.activation === 'relu' ? Math.SQRT2 : 1;
    let fanIn = 2 * this.features;
    for (let l = 0; l <= this.depth; l++) {
      const fanOut = l === this.depth ? 1 : this.width;
      const s = (l === this.depth ? 1 : gain) / Math.sqrt(fanIn);
      shapes.push([fanIn, fanOut], [fanOut]);
      values.push(
        Float32Array.from({ length: fanIn * fanOut }, () => s * rng.normal()),
        new Float32Array(fanOut),
      );
      fanIn = fanOut;
    }
    // drawn last, so that the hidden layers are the same numbers as with 'random'
    if (this.sampling === 'stratified')
      values[0] = Float32Array.from(stratifiedSample(this.distribution, this.features, rng.split()));
    return { shapes, values };
  }
}
