import { availableParallelism } from 'node:os';
import { checkSampling, type FrequencySampling, stratifiedSample } from '../../distributions/stratified.js';
import type { FrequencyDistribution } from '../../distributions/types.js';
import type { Grid } from '../../grid.js';
import { checkGrid, checkParameterBytes, checkPositive } from '../../numeric/checks.js';
import { operatorEngine } from '../../operators/engine.js';
import type { DifferentialOperator } from '../../operators/operator.js';
import { WorkerPool } from '../../parallel/pool.js';
import { createRng } from '../../random.js';
import type { TfjsBackendChoice } from '../tfjs-backend.js';
import type { TwoLayerEngine, TwoLayerParameters } from './engine.js';
import { createFloat64Engine } from './engines/float64.js';
import { createNufftEngine } from './engines/nufft.js';

/** Which engine evaluates a {@link TwoLayerFF}: `auto` picks by problem size. */
export type TwoLayerEngineChoice = 'auto' | 'float64' | 'nufft' | 'tfjs';

/** Options of {@link TwoLayerFF}. */
export interface TwoLayerFFOptions {
  /** Width m (number of features); even when mirrored. */
  readonly width: number;
  /** ρ_w: the first-layer frequencies are its samples (THEORY.md §1); its dim is the network's. */
  readonly distribution: FrequencyDistribution;
  /** σ_a: a_j, b_j ~ N(0, σ_a²) (default 1). */
  readonly sigmaA?: number;
  /** Seed of the initialisation (default 0). */
  readonly seed?: number;
  /** Mirrored initialisation, f(·; θ_0) ≡ 0 (THEORY.md §1; default true). */
  readonly mirrored?: boolean;
  /**
   * How the w's are drawn (default 'random': independent samples of ρ_w). 'stratified': the
   * quasi-random set of {@link stratifiedSample} (jittered strata of the inverse CDF in 1D, a rotated
   * R2 sequence through the per-axis inverse CDFs in 2D); a and b are the same numbers as with
   * 'random' for the same seed. With mirroring, the m/2 drawn w's are stratified.
   */
  readonly sampling?: FrequencySampling;
  /** Which parameters gradient descent moves (default: all). `w: false` freezes the frequencies. */
  readonly trainable?: { readonly w?: boolean };
  /** Engine (default 'auto': nufft when m·N^d ≥ {@link NUFFT_THRESHOLD}, else float64). */
  readonly engine?: TwoLayerEngineChoice;
  /**
   * Threads of the network's engines, float64 and nufft alike (default: all cores): the caller plus
   * threads − 1 workers of one pool, which the network starts when an engine first needs it and
   * shares among its engines (tfjs does not use it).
   */
  readonly threads?: number;
  /** tfjs backend when engine is 'tfjs' (default 'auto': node, else wasm, else cpu). */
  readonly tfjsBackend?: TfjsBackendChoice;
  /**
   * Refuse a width whose parameters θ = (w, a, b), 8·(d + 2)·m bytes, exceed this (default
   * {@link MAX_PARAMETER_BYTES}, 4 GiB; training holds a few more copies).
   */
  readonly maxParameterBytes?: number;
}

/**
 * From this m·N^d on, `engine: 'auto'` picks the NUFFT engine (issue 5; accurate to 1e-12): measured
 * on two cores it is faster than the direct Float64 engine from about 10^5 (point, feature) pairs.
 * Below it the direct engine is as fast and exact to rounding.
 */
export const NUFFT_THRESHOLD = 2 ** 18;

/**
 * The two-layer Fourier Features network of THEORY.md §1 in NTK scaling,
 * f(x) = (1/√m) Σ_j [a_j cos(w_j·x) + b_j sin(w_j·x)], with w_j ~ ρ_w and a_j, b_j ~ N(0, σ_a²).
 * With mirrored initialisation (default) m/2 triples are drawn and feature 2j+1 repeats feature 2j
 * with (−a, −b), so f ≡ 0 at initialisation while the kernel of §3 is unchanged.
 *
 * @example
 * const net = new TwoLayerFF({ width: 1024, distribution: gaussian(10), seed: 1 });
 * const grid = uniformGrid({ dim: 1, halfWidth: 8, n: 512 });
 * const f = await net.evaluate(grid); // all zeros: mirrored initialisation
 * await net.dispose();
 */
export class TwoLayerFF {
  readonly kind = 'two-layer';
  readonly dim: 1 | 2;
  readonly width: number;
  readonly distribution: FrequencyDistribution;
  readonly sigmaA: number;
  readonly seed: number;
  readonly mirrored: boolean;
  readonly sampling: FrequencySampling;
  readonly trainable: { readonly w: boolean };
  readonly engineChoice: TwoLayerEngineChoice;
  /** θ = (w, a, b); training updates these arrays in place. */
  readonly parameters: TwoLayerParameters;
  private readonly threads: number | undefined;
  private readonly tfjsBackend: TfjsBackendChoice;
  /** Engines by grid value (see gridKey): equal grids share one. */
  private readonly engines = new Map<string, Promise<TwoLayerEngine>>();
  private pool: WorkerPool | undefined;

  constructor(options: TwoLayerFFOptions) {
    const { width, distribution } = options;
    if (!Number.isInteger(width) || width < 1)
      throw new Error(`width: expected an integer ≥ 1, got ${width}`);
    if (!distribution || (distribution.dim !== 1 && distribution.dim !== 2)) {
      throw new Error('distribution: expected a FrequencyDistribution of dimension 1 or 2');
    }
    const d = distribution.dim;
    checkParameterBytes('width', `${width} features`, 8 * (d + 2) * width, options.maxParameterBytes);
    if (options.threads !== undefined && !(Number.isInteger(options.threads) && options.threads >= 1)) {
      throw new Error(`threads: expected a positive integer, got ${options.threads}`);
    }
    const sigmaA = options.sigmaA ?? 1;
    checkPositive(
      'sigmaA',
      sigmaA,
      ' (for the σ_a = 0 dynamics of THEORY.md §4, freeze w instead: trainable: { w: false })',
    );
    const mirrored = options.mirrored ?? true;
    if (mirrored && width % 2 !== 0) {
      throw new Error(`width: mirrored initialisation needs an even width, got ${width}`);
    }
    const seed = options.seed ?? 0;
    const sampling = checkSampling(options.sampling, distribution);
    const engine = options.engine ?? 'auto';
    if (!['auto', 'float64', 'nufft', 'tfjs'].includes(engine)) {
      throw new Error(`engine: expected 'auto', 'float64', 'nufft' or 'tfjs', got ${engine}`);
    }
    this.dim = distribution.dim;
    this.width = width;
    this.distribution = distribution;
    this.sigmaA = sigmaA;
    this.seed = seed;
    this.mirrored = mirrored;
    this.sampling = sampling;
    this.trainable = { w: options.trainable?.w ?? true };
    this.engineChoice = engine;
    this.threads = options.threads;
    this.tfjsBackend = options.tfjsBackend ?? 'auto';
    this.parameters = initialParameters(distribution, width, sigmaA, seed, mirrored, sampling);
  }

  /**
   * The engine for this grid (created once per grid — equal grids count as one — then cached).
   *
   * @example
   * (await net.engineFor(uniformGrid({ dim: 1, halfWidth: 8, n: 64 }))).name; // 'float64' for small m·N
   */
  engineFor(grid: Grid): Promise<TwoLayerEngine> {
    checkGrid(grid);
    if (grid.dim !== this.dim) {
      throw new Error(`grid: dimension ${grid.dim} does not match the network's ${this.dim}`);
    }
    const key = gridKey(grid);
    let engine = this.engines.get(key);
    if (!engine) {
      engine = this.createEngine(grid);
      this.engines.set(key, engine);
    }
    return engine;
  }

  /**
   * f(x_i) at every grid point; with an operator, (L f)(x_i), L applied to the features exactly
   * (THEORY.md §7, {@link operatorEngine}).
   *
   * @example
   * const f = await net.evaluate(uniformGrid({ dim: 1, halfWidth: 8, n: 64 })); // Float64Array(64)
   * const lf = await net.evaluate(grid, helmholtz(2)); // −f'' + 4f on the grid
   */
  async evaluate(grid: Grid, operator?: DifferentialOperator): Promise<Float64Array> {
    const engine = await this.engineFor(grid);
    if (operator === undefined) return engine.forward(this.parameters);
    // Not disposed: the wrapper would release the model's cached engine.
    return operatorEngine(engine, operator).forward(this.parameters);
  }

  /**
   * Releases the engines (tensors) and the worker threads.
   *
   * @example
   * await net.dispose();
   */
  async dispose(): Promise<void> {
    const engines = [...this.engines.values()];
    this.engines.clear();
    await Promise.all(engines.map(async (e) => (await e).dispose()));
    const pool = this.pool;
    this.pool = undefined;
    await pool?.dispose();
  }

  /** The network's one pool (threads − 1 workers), started on first use; none for one thread. */
  private workerPool(): WorkerPool | undefined {
    const threads = this.threads ?? availableParallelism();
    if (threads > 1) this.pool ??= new WorkerPool(threads - 1);
    return this.pool;
  }

  private async createEngine(grid: Grid): Promise<TwoLayerEngine> {
    const choice = this.engineChoice;
    if (choice === 'tfjs') {
      const { createTfjsEngine } = await import('./engines/tfjs.js');
      return createTfjsEngine(grid, { backend: this.tfjsBackend });
    }
    if (choice === 'nufft' || (choice === 'auto' && this.width * grid.size >= NUFFT_THRESHOLD)) {
      return createNufftEngine(grid, { threads: 1, pool: this.workerPool() });
    }
    return createFloat64Engine(grid, { threads: 1, pool: this.workerPool() });
  }
}

/** Equal uniform grids (same axes, origin and spacing) have equal keys. */
function gridKey(grid: Grid): string {
  return `${grid.dim}|${grid.n.join(',')}|${grid.lower.join(',')}|${grid.h.join(',')}`;
}

/**
 * Draws θ_0 (THEORY.md §1): w from ρ_w, then a, then b, from one generator. Stratified sampling
 * still draws (and drops) the random w's, so a and b are the same numbers, and takes its jitter from
 * a generator split off after them: the two networks of one seed differ in w only.
 */
function initialParameters(
  distribution: FrequencyDistribution,
  width: number,
  sigmaA: number,
  seed: number,
  mirrored: boolean,
  sampling: FrequencySampling = 'random',
): TwoLayerParameters {
  const d = distribution.dim;
  const rng = createRng(seed);
  const drawn = mirrored ? width / 2 : width;
  let wDrawn = distribution.sample(drawn, rng);
  const aDrawn = new Float64Array(drawn);
  const bDrawn = new Float64Array(drawn);
  for (let j = 0; j < drawn; j++) aDrawn[j] = sigmaA * rng.normal();
  for (let j = 0; j < drawn; j++) bDrawn[j] = sigmaA * rng.normal();
  if (sampling === 'stratified') wDrawn = stratifiedSample(distribution, drawn, rng.split());
  if (!mirrored) return { dim: d, width, w: wDrawn, a: aDrawn, b: bDrawn };
  const w = new Float64Array(width * d);
  const a = new Float64Array(width);
  const b = new Float64Array(width);
  for (let j = 0; j < drawn; j++) {
    for (let k = 0; k < d; k++) {
      w[2 * j * d + k] = wDrawn[j * d + k];
      w[(2 * j + 1) * d + k] = wDrawn[j * d + k];
    }
    a[2 * j] = aDrawn[j];
    a[2 * j + 1] = -aDrawn[j];
    b[2 * j] = bDrawn[j];
    b[2 * j + 1] = -bDrawn[j];
  }
  return { dim: d, width, w, a, b };
}
