import '../../../nufft/wasm/webassembly.js';
import { availableParallelism } from 'node:os';
import type { Grid } from '../../../grid.js';
import { checkGrid } from '../../../numeric/checks.js';
import type { DeepEngine, DeepNetwork, DeepOptimizer, DeepOptimizerSettings } from '../engine.js';
import { type DeepKernels, deepKernels, deepKernelsModule, wasmSimdAvailable } from './kernels.js';
import { gemmPackBytes } from './kernels-wat.js';
import { KernelTeam, TEAM_CONTROL_BYTES } from './team.js';

/** The engine name a {@link WasmDeepEngine} reports. */
export const WASM_ENGINE_NAME = 'wasm-simd';

/**
 * Work per step, N·(2m·width + (depth − 1)·width²) multiply-adds, from which `threads: 'auto'`
 * splits a {@link WasmDeepEngine}'s products over two threads (N = 512, m = 256, 3×256: 2^27, two
 * threads; N = 256, m = 128, 3×128: 2^24, one: measured here on two cores shared with other jobs,
 * a worker preempted in the middle of its chunk stalls every product it takes part in, which
 * cost more than the second thread gained at the smaller size).
 */
export const WASM_THREADS_MIN_WORK = 2 ** 26;

/** A product smaller than this (M·N·K multiply-adds) runs on the calling thread alone. */
const SPLIT_MIN_WORK = 2 ** 20;

/** Options of a {@link WasmDeepEngine}. */
export interface WasmDeepOptions {
  /**
   * Threads (default 'auto': two on a machine with two cores once N·(2m·width + (depth − 1)·width²)
   * reaches {@link WASM_THREADS_MIN_WORK}, else one).
   */
  readonly threads?: number | 'auto';
  // (with 'auto' at these sizes each pass takes one or two threads, whichever has been faster)
  /**
   * Fused multiply-adds by WebAssembly relaxed SIMD (f32x4.relaxed_madd): 'auto' (default) when the
   * runtime has it, false for the plain SIMD kernels (multiply, then add), true to require it.
   */
  readonly fma?: boolean | 'auto';
}

/** Byte offsets of one grid's buffers in the engine's memory. */
interface Workspace {
  readonly grid: Grid;
  readonly n: number;
  readonly x: number;
  readonly ones: number;
  /** hs[l]: the input of dense layer l (hs[0] the embedding, n × 2m); hs[depth + 1]: f (n). */
  readonly hs: number[];
  /** zs[l]: cos of dense layer l's pre-activation (sin only; else 0). */
  readonly zs: number[];
  readonly g: number;
  readonly u: number;
  readonly e: number;
  /** J t (ntk). */
  readonly jt: number;
  /** Two n × max(2m, width) buffers for δ (ping-pong), one for the tangent's ḣ. */
  readonly d1: number;
  readonly d2: number;
  readonly d3: number;
  /** Pack space of each thread's products. */
  readonly packs: number[];
  /** Bytes of each pack: every product's gemmPackBytes(K, N) is at most this. */
  readonly packBytes: number;
}

interface State {
  readonly kernels: DeepKernels;
  readonly memory: WebAssembly.Memory;
  readonly fma: boolean;
  readonly team: KernelTeam | undefined;
}

const PAGE = 65536;
const ALIGN = 64;
/** Bytes past every buffer that SIMD loads of a partial last vector may touch. */
const SLACK = 64;

/**
 * The {@link DeepEngine} on its own WebAssembly kernels (kernels-wat.ts: float32, 128-bit SIMD,
 * fused multiply-adds by relaxed SIMD where the runtime has it): one WebAssembly.Memory holds the
 * weights, their gradient, the optimiser's moments and each layer's activations; the forward pass
 * is the embedding [cos θ, sin θ] then per dense layer a product with the bias and the activation
 * fused into its store; the gradient is the hand-written backward pass (δ_l = (δ_{l+1} K_{l+1}ᵀ) ⊙
 * σ'(z_l), ∂L/∂K_l = h_lᵀ δ_l, ∂L/∂b_l = Σ_i δ_l, ∂L/∂W from ∂L/∂γ), GD and Adam update the weights
 * in place with tfjs's operations in tfjs's order. J Jᵀ v is Jᵀ v by the backward pass, then J t
 * in forward mode. With two threads the memory is shared with a worker that takes half of every
 * product's rows (and half the frequencies of ∂L/∂W), woken through Atomics; each output element
 * is the same sum in the same order either way, so one and two threads agree bitwise.
 *
 * @example
 * const engine = new WasmDeepEngine(network, { threads: 1 });
 * const f = await engine.forward(grid); // Float64Array(grid.size)
 * engine.dispose();
 */
export class WasmDeepEngine implements DeepEngine {
  private state: Promise<State> | undefined;
  private readonly threadsOption: number | 'auto';
  private readonly fmaOption: boolean | 'auto';
  /** Byte offsets: the weights (network order, flat), their gradient, a tangent, Adam's m and v. */
  private readonly params: number[] = [];
  private readonly sizes: number[];
  private readonly total: number;
  private paramBase = 0;
  private gradBase = 0;
  private tangentBase = 0;
  private momentBase = 0;
  private scalars = 0;
  private control = 0;
  private workspaceBase = 0;
  private workspace: Workspace | undefined;
  private threads = 1;
  private disposed = false;
  /** Weights to load before the next call (set by {@link loadBeforeNextCall}). */
  private pending: (() => Promise<readonly Float32Array[]>) | undefined;

  constructor(
    private readonly net: DeepNetwork,
    options: WasmDeepOptions = {},
  ) {
    const threads = options.threads ?? 'auto';
    if (threads !== 'auto' && (!Number.isInteger(threads) || threads < 1)) {
      throw new Error(`threads: expected 'auto' or an integer ≥ 1, got ${threads}`);
    }
    const fma = options.fma ?? 'auto';
    if (fma !== 'auto' && fma !== true && fma !== false) {
      throw new Error(`fma: expected 'auto', true or false, got ${String(fma)}`);
    }
    this.threadsOption = threads;
    this.fmaOption = fma;
    this.sizes = net.values.map((v) => v.length);
    this.total = this.sizes.reduce((a, b) => a + b, 0);
  }

  /**
   * Whether this runtime can run the engine (WebAssembly SIMD and shared memory).
   *
   * @example
   * WasmDeepEngine.available(); // true on Node ≥ 16.4
   */
  static available(): boolean {
    return wasmSimdAvailable();
  }

  async ready(): Promise<{ engine: typeof WASM_ENGINE_NAME; backend: string }> {
    const { fma } = await this.activeState();
    return { engine: WASM_ENGINE_NAME, backend: fma ? 'wasm-relaxed-simd' : 'wasm-simd' };
  }

  /**
   * The threads a grid's calls may run on (with 'auto' and two, each loss and gradient takes one
   * or two, whichever has been faster lately: see pickThreads).
   *
   * @example
   * engine.threadsFor(grid); // 2 for N = 512, 3×256 with threads 'auto' on two cores
   */
  threadsFor(grid: Grid): number {
    checkGrid(grid);
    if (this.threadsOption !== 'auto') return this.threadsOption;
    const [rows, width] = this.net.shapes[1];
    const work = grid.size * (rows * width + (this.net.depth - 1) * width * width);
    return work >= WASM_THREADS_MIN_WORK && availableParallelism() >= 2 ? 2 : 1;
  }

  /**
   * The threads the last loss and gradient ran on.
   *
   * @example
   * engine.threadsLastUsed; // 1 or 2
   */
  get threadsLastUsed(): number {
    return this.threads;
  }

  /**
   * The current weights, copied out, in the network's order ([W, kernel₁, bias₁, …]).
   *
   * @example
   * const [w] = await engine.weights(); // Float32Array(features · dim)
   */
  async weights(): Promise<Float32Array[]> {
    await this.activeState();
    const f = this.f32();
    return this.params.map((p, k) => f.slice(p / 4, p / 4 + this.sizes[k]));
  }

  /**
   * Sets the weights (the network's order and sizes).
   *
   * @example
   * await engine.setWeights(await other.weights());
   */
  async setWeights(values: readonly Float32Array[]): Promise<void> {
    await this.activeState();
    this.pending = undefined;
    this.writeWeights(values);
  }

  /**
   * Makes the next call first load the weights `source` gives (another holder of the network's
   * weights, such as its tfjs variables, that the caller may have changed).
   *
   * @example
   * engine.loadBeforeNextCall(() => tfjsEngine.weights());
   */
  loadBeforeNextCall(source: () => Promise<readonly Float32Array[]>): void {
    this.pending = source;
  }

  async forward(grid: Grid): Promise<Float64Array> {
    const [s, ws] = await this.use(grid);
    this.forwardPass(s, ws);
    const f = this.f32();
    const out = ws.hs[this.net.depth + 1] / 4;
    return Float64Array.from(f.subarray(out, out + ws.n));
  }

  async ntk(grid: Grid, v: Float64Array, out: Float64Array): Promise<void> {
    const [s, ws] = await this.use(grid);
    if (v.length !== ws.n) throw new Error(`v: expected length ${ws.n}, got ${v.length}`);
    if (out.length !== ws.n) throw new Error(`out: expected length ${ws.n}, got ${out.length}`);
    this.forwardPass(s, ws);
    let f = this.f32();
    f.set(Float32Array.from(v), ws.e / 4);
    this.backwardPass(s, ws);
    // t = Jᵀ v into the tangent, then J t
    f = this.f32();
    f.copyWithin(this.tangentBase / 4, this.gradBase / 4, this.gradBase / 4 + this.total);
    this.tangentPass(s, ws);
    f = this.f32();
    const jt = ws.jt / 4;
    for (let i = 0; i < ws.n; i++) out[i] = f[jt + i];
  }

  async optimizer(
    grid: Grid,
    target: ArrayLike<number>,
    settings: DeepOptimizerSettings,
  ): Promise<DeepOptimizer> {
    const [, ws] = await this.use(grid);
    if (target.length !== ws.n) throw new Error(`target: expected length ${ws.n}, got ${target.length}`);
    if (settings.optimizer !== 'gd' && settings.optimizer !== 'adam') {
      throw new Error(`optimizer: expected 'gd' or 'adam', got ${String(settings.optimizer)}`);
    }
    const eta = settings.learningRate;
    const adam = settings.adam ?? {};
    const beta1 = Math.fround(adam.beta1 ?? 0.9);
    const beta2 = Math.fround(adam.beta2 ?? 0.999);
    // tfjs's accumulated β^t, float32 scalars multiplied once per step
    let acc1 = beta1;
    let acc2 = beta2;
    const first = this.net.trainW ? 0 : 1;
    const from = this.params[first];
    const count = this.total - (from - this.paramBase) / 4;
    const gradFrom = this.gradBase + (from - this.paramBase);
    const momentFrom = this.momentBase + (from - this.paramBase);
    const secondFrom = momentFrom + 4 * this.total;
    const target32 = Float32Array.from(target);
    if (settings.optimizer === 'adam') {
      this.f32().fill(0, this.momentBase / 4, this.momentBase / 4 + 2 * this.total);
    }
    let loaded: Workspace | undefined;
    // the target into the grid's workspace (again if another grid's call replaced it)
    const use = async (): Promise<[State, Workspace]> => {
      const [st, w] = await engine.use(grid);
      if (w !== loaded) {
        engine.f32().set(target32, w.g / 4);
        loaded = w;
      }
      return [st, w];
    };
    const hd = grid.cellVolume;
    let kept = false;
    let live = true;
    const engine = this;
    const check = () => {
      if (!live) throw new Error('optimizer: disposed');
      if (engine.disposed) throw new Error('optimizer: the engine was disposed');
    };
    return {
      async loss() {
        check();
        const [st, w] = await use();
        const threads = engine.pickThreads();
        const started = performance.now();
        engine.forwardPass(st, w);
        const sum = engine.residual(st, w, hd);
        engine.backwardPass(st, w);
        engine.recordThreads(threads, performance.now() - started);
        kept = true;
        return 0.5 * hd * sum;
      },
      async residual() {
        check();
        const [st, w] = await use();
        if (!kept) {
          engine.forwardPass(st, w);
          engine.residual(st, w, hd);
        }
        const f = engine.f32();
        return Float64Array.from(f.subarray(w.u / 4, w.u / 4 + w.n));
      },
      step() {
        check();
        if (!kept) throw new Error('step: call loss() first');
        kept = false;
        const st = engine.stateNow();
        const f = engine.f32();
        f[engine.scalars / 4] = -eta;
        if (settings.optimizer === 'gd') {
          st.kernels.sgd(count, from, gradFrom, engine.scalars);
          return;
        }
        const scalars = [-eta, beta1, 1 - beta1, beta2, 1 - beta2, 1 - acc1, 1 - acc2, adam.epsilon ?? 1e-8];
        f.set(scalars, engine.scalars / 4);
        st.kernels.adam(count, from, gradFrom, momentFrom, secondFrom, engine.scalars);
        acc1 = Math.fround(acc1 * beta1);
        acc2 = Math.fround(acc2 * beta2);
      },
      dispose() {
        live = false;
        kept = false;
      },
    };
  }

  async reset(): Promise<void> {
    await this.activeState();
    this.pending = undefined;
    this.writeWeights(this.net.values);
  }

  dispose(): void {
    this.disposed = true;
    const state = this.state;
    this.state = undefined;
    this.workspace = undefined;
    void state?.then(
      (s) => s.team?.dispose(),
      () => undefined,
    );
  }

  // —— set-up ——

  private async activeState(): Promise<State> {
    if (this.disposed) throw new Error('WasmDeepEngine: disposed');
    this.state ??= this.setUp();
    const state = await this.state;
    if (this.pending) {
      const source = this.pending;
      this.pending = undefined;
      this.writeWeights(await source());
    }
    return state;
  }

  private stateNow(): State {
    if (!this.current) throw new Error('WasmDeepEngine: not set up');
    return this.current;
  }

  private current: State | undefined;

  private async setUp(): Promise<State> {
    if (!wasmSimdAvailable()) {
      throw new Error('engine: this runtime has no WebAssembly SIMD with shared memory');
    }
    const { module, fma } = await deepKernelsModule(this.fmaOption);
    // weights, gradient, tangent, Adam's m and v, scalars, control blocks
    let top = ALIGN;
    const take = (bytes: number) => {
      const at = top;
      top = Math.ceil((top + bytes + SLACK) / ALIGN) * ALIGN;
      return at;
    };
    this.scalars = take(64);
    this.control = take(TEAM_CONTROL_BYTES);
    // the weights back to back, then the gradient, a tangent and Adam's m and v in the same layout
    const span = 4 * this.total;
    this.paramBase = take(span);
    let offset = this.paramBase;
    for (const size of this.sizes) {
      this.params.push(offset);
      offset += 4 * size;
    }
    this.gradBase = take(span);
    this.tangentBase = take(span);
    this.momentBase = take(2 * span);
    this.workspaceBase = top;
    const memory = new WebAssembly.Memory({
      initial: Math.ceil(top / PAGE) + 1,
      maximum: 65536,
      shared: true,
    });
    const kernels = deepKernels(module, memory);
    const state: State = { kernels, memory, fma, team: undefined };
    this.current = state;
    this.writeWeights(this.net.values);
    return state;
  }

  private writeWeights(values: readonly Float32Array[]): void {
    if (values.length !== this.sizes.length) {
      throw new Error(`values: expected ${this.sizes.length} arrays, got ${values.length}`);
    }
    const f = this.f32();
    values.forEach((v, k) => {
      if (v.length !== this.sizes[k])
        throw new Error(`values[${k}]: expected length ${this.sizes[k]}, got ${v.length}`);
      f.set(v, this.params[k] / 4);
    });
  }

  private f32(): Float32Array {
    const s = this.stateNow();
    return new Float32Array(s.memory.buffer as SharedArrayBuffer);
  }

  /** The grid's workspace (laid out, its points loaded, the threads started), set up on first use. */
  private prepare(s: State, grid: Grid): Workspace {
    if (this.workspace?.grid === grid) return this.workspace;
    checkGrid(grid);
    if (grid.dim !== this.net.dim) {
      throw new Error(`grid: dimension ${grid.dim} does not match the network's ${this.net.dim}`);
    }
    const n = grid.size;
    const { depth, activation } = this.net;
    const [rows, width] = this.net.shapes[1];
    const wide = Math.max(rows, width);
    let top = this.workspaceBase;
    const take = (floats: number) => {
      const at = top;
      top = Math.ceil((top + 4 * floats + SLACK) / ALIGN) * ALIGN;
      return at;
    };
    const threads = this.threadsFor(grid);
    const x = take(n * grid.dim);
    const ones = take(n);
    const hs = [take(n * rows)];
    const zs: number[] = [];
    for (let l = 0; l < depth; l++) {
      hs.push(take(n * width));
      zs.push(activation === 'sin' ? take(n * width) : 0);
    }
    hs.push(take(n));
    const g = take(n);
    const u = take(n);
    const e = take(n);
    const jt = take(n);
    const d1 = take(n * wide);
    const d2 = take(n * wide);
    const d3 = take(n * wide);
    // each thread's pack holds the largest (K, N) of the products below: per layer (rows × cols)
    // h K (K = rows), the weight gradient hᵀ δ (K = n), δ Kᵀ (K = cols, N = rows) and the
    // bias terms (K = 1) — not max(n, 2m)² (4 GiB at 2m = 32,768, or at a grid of 256²)
    let packBytes = 0;
    for (let l = 0; l <= depth; l++) {
      const [r, c] = this.net.shapes[1 + 2 * l];
      for (const [k, cols] of [
        [r, c],
        [n, c],
        [c, r],
        [1, c],
      ])
        packBytes = Math.max(packBytes, gemmPackBytes(k, cols));
    }
    const packs = Array.from({ length: threads }, () => take(packBytes / 4));
    const need = Math.ceil(top / PAGE) - s.memory.buffer.byteLength / PAGE;
    if (need > 0) s.memory.grow(need);
    const f = this.f32();
    f.set(Float32Array.from(grid.points), x / 4);
    f.fill(1, ones / 4, ones / 4 + n);
    this.workspace = { grid, n, x, ones, hs, zs, g, u, e, jt, d1, d2, d3, packs, packBytes };
    this.threads = threads;
    this.maxThreads = threads;
    return this.workspace;
  }

  /**
   * The threads of the next loss and gradient: the grid's (see {@link threadsFor}), or with
   * threads 'auto' and two available, one or two, whichever has taken less time lately
   * (an exponential average of each's time per pass; every 16th pass tries the other). Both give
   * the same bits, so the choice changes only the speed: on a machine whose cores other jobs share,
   * a preempted worker stalls the products it takes part in, and one thread is often faster.
   */
  private pickThreads(): number {
    if (this.threadsOption !== 'auto' || this.maxThreads < 2) return this.threads;
    const [one, two] = this.passTimes;
    const k = this.passes++;
    let threads: number;
    if (Number.isNaN(one) || Number.isNaN(two)) threads = k % 2 === 0 ? 2 : 1;
    else {
      const better = one <= two ? 1 : 2;
      threads = k % 16 === 15 ? 3 - better : better;
    }
    this.threads = threads;
    return threads;
  }

  /** Records a pass's time on `threads` threads (the first two passes of each warm the code up). */
  private recordThreads(threads: number, ms: number): void {
    if (this.threadsOption !== 'auto' || this.maxThreads < 2) return;
    const k = threads - 1;
    this.warm[k]++;
    if (this.warm[k] <= 2) return;
    const old = this.passTimes[k];
    this.passTimes[k] = Number.isNaN(old) ? ms : 0.7 * old + 0.3 * ms;
  }

  private passTimes = [Number.NaN, Number.NaN];
  private readonly warm = [0, 0];
  private passes = 0;
  private maxThreads = 1;

  /** The state and the grid's workspace, the worker threads it needs started. */
  private async use(grid: Grid): Promise<[State, Workspace]> {
    const s = await this.activeState();
    const ws = this.prepare(s, grid);
    return [await this.team(s, this.maxThreads), ws];
  }

  /** Starts the worker threads a grid needs (before its first call), each with its pack space. */
  private async team(s: State, threads: number): Promise<State> {
    const packs = (this.workspace as Workspace).packs.slice(1);
    if (threads <= 1) return s;
    const running = s.team;
    if (running && running.size >= threads - 1) {
      packs.forEach((p, t) => {
        running.setPack(t, p);
      });
      return s;
    }
    s.team?.dispose();
    const { module } = await deepKernelsModule(this.fmaOption);
    const team = await KernelTeam.start(module, s.memory, this.control, packs);
    const next = { ...s, team };
    this.current = next;
    this.state = Promise.resolve(next);
    return next;
  }

  // —— parallel kernels ——

  /** gemm split by rows over the threads (see kernels-wat.ts for the arguments). */
  private gemm(
    s: State,
    ws: Workspace,
    M: number,
    N: number,
    K: number,
    A: number,
    sai: number,
    sap: number,
    B: number,
    sbp: number,
    sbj: number,
    C: number,
    ldc: number,
    mode: number,
    E: number,
    lde: number,
  ): void {
    // a product beyond its pack would write over the next thread's: refuse instead (a layout bug)
    if (gemmPackBytes(K, N) > ws.packBytes)
      throw new Error(`deep wasm engine: a ${K} × ${N} product exceeds its pack of ${ws.packBytes} bytes`);
    const team = s.team;
    if (!team || this.threads < 2 || M < 8 || M * N * K < SPLIT_MIN_WORK) {
      s.kernels.gemm(M, N, K, A, sai, sap, B, sbp, sbj, C, ldc, mode, E, lde, ws.packs[0]);
      return;
    }
    // row chunks of a multiple of 4 (the micro-kernel's rows), about 8 per thread
    const chunk = 4 * Math.ceil(M / (32 * this.threads));
    const args = [M, N, K, A, sai, sap, B, sbp, sbj, C, ldc, mode, E, lde];
    team.run(s.kernels, 'gemm', M, chunk, args, ws.packs[0]);
  }

  // —— passes ——

  /** Layer l's activation code for the gemm's epilogue: forward (1 tanh, 2 relu, 0 sin). */
  private forwardMode(): number {
    const a = this.net.activation;
    return a === 'tanh' ? 1 : a === 'relu' ? 2 : 0;
  }

  /** σ'(z_l) ⊙ · as the gemm's epilogue: its mode and E (h_{l+1} or cos z_l). */
  private derivative(ws: Workspace, l: number): [number, number] {
    const a = this.net.activation;
    if (a === 'tanh') return [3, ws.hs[l + 1]];
    if (a === 'relu') return [4, ws.hs[l + 1]];
    return [5, ws.zs[l]];
  }

  /** f and every layer's activation on the grid. */
  private forwardPass(s: State, ws: Workspace): void {
    const { n } = ws;
    const { depth, dim } = this.net;
    const m = this.net.shapes[0][0];
    const team = s.team;
    const embedArgs = [ws.x, dim, this.params[0], m, ws.hs[0], 2 * m];
    if (team && this.threads >= 2 && n >= 16) {
      team.run(s.kernels, 'embed', n, Math.ceil(n / 16), embedArgs, ws.packs[0]);
    } else s.kernels.embed(0, n, ...embedArgs);
    const post = this.forwardMode();
    for (let l = 0; l <= depth; l++) {
      const [rows, cols] = this.net.shapes[1 + 2 * l];
      const kernel = this.params[1 + 2 * l];
      const bias = this.params[2 + 2 * l];
      const last = l === depth;
      const sin = !last && this.net.activation === 'sin';
      const out = sin ? ws.zs[l] : ws.hs[l + 1];
      // act(h K + 1 bᵀ): the bias (mode 16: E = b, row stride 0) and the activation in the store
      const mode = last ? 16 : 16 | post;
      this.gemm(s, ws, n, cols, rows, ws.hs[l], rows, 1, kernel, cols, 1, out, cols, mode, bias, 0);
      if (sin) s.kernels.sinact(n, cols, out, cols, ws.hs[l + 1], cols);
    }
  }

  /** u = f − g and e = h^d u from the forward pass; returns Σ u². */
  private residual(s: State, ws: Workspace, hd: number): number {
    const f = this.f32();
    f[this.scalars / 4] = hd;
    s.kernels.residual(0, ws.n, ws.hs[this.net.depth + 1], ws.g, ws.u, ws.e, this.scalars);
    return new Float64Array(s.memory.buffer as SharedArrayBuffer, this.scalars + 8, 1)[0];
  }

  /** ∂/∂θ Σ_i e_i f(x_i) into the gradient block (e at ws.e), after the forward pass. */
  private backwardPass(s: State, ws: Workspace): void {
    const { n } = ws;
    const { depth, dim } = this.net;
    const m = this.net.shapes[0][0];
    const grad = (k: number) => this.gradBase + (this.params[k] - this.paramBase);
    // output layer: ∂L/∂k_out = h_depthᵀ e, ∂L/∂b_out = Σ e, δ = (e k_outᵀ) ⊙ σ'
    const width = this.net.shapes[1 + 2 * depth][0];
    this.gemm(s, ws, width, 1, n, ws.hs[depth], 1, width, ws.e, 1, 0, grad(1 + 2 * depth), 1, 0, 0, 0);
    s.kernels.colsum(n, 1, ws.e, 1, grad(2 + 2 * depth));
    let [mode, E] = this.derivative(ws, depth - 1);
    let delta = ws.d1;
    let spare = ws.d2;
    this.gemm(s, ws, n, width, 1, ws.e, 1, 0, this.params[1 + 2 * depth], 0, 1, delta, width, mode, E, width);
    for (let l = depth - 1; l >= 0; l--) {
      const [rows, cols] = this.net.shapes[1 + 2 * l];
      // ∂L/∂K_l = h_lᵀ δ, ∂L/∂b_l = 1ᵀ δ
      this.gemm(s, ws, rows, cols, n, ws.hs[l], 1, rows, delta, cols, 1, grad(1 + 2 * l), cols, 0, 0, 0);
      s.kernels.colsum(n, cols, delta, cols, grad(2 + 2 * l));
      if (l === 0 && !this.net.trainW) break;
      // ∂L/∂h_l = δ K_lᵀ, times σ'(z_{l−1}) below the embedding
      [mode, E] = l > 0 ? this.derivative(ws, l - 1) : [0, 0];
      this.gemm(
        s,
        ws,
        n,
        rows,
        cols,
        delta,
        cols,
        1,
        this.params[1 + 2 * l],
        1,
        cols,
        spare,
        rows,
        mode,
        E,
        rows,
      );
      [delta, spare] = [spare, delta];
    }
    if (!this.net.trainW) return;
    // ∂L/∂W from ∂L/∂γ (in delta, n × 2m)
    const team = s.team;
    const args = [n, ws.x, dim, ws.hs[0], 2 * m, m, delta, 2 * m, grad(0)];
    if (team && this.threads >= 2 && m >= 16) {
      team.run(s.kernels, 'wgrad', m, 4 * Math.ceil(m / 64), args, ws.packs[0]);
    } else s.kernels.wgrad(0, m, ...args);
  }

  /** J t into ws.jt for the tangent t in the tangent block (after the forward pass). */
  private tangentPass(s: State, ws: Workspace): void {
    const { n } = ws;
    const { depth, dim } = this.net;
    const m = this.net.shapes[0][0];
    const tangent = (k: number) => this.tangentBase + (this.params[k] - this.paramBase);
    let hdot = 0;
    if (this.net.trainW) {
      // γ̇ = [−sin θ ⊙ θ̇, cos θ ⊙ θ̇], θ̇ = x Ẇᵀ
      const f = this.f32();
      const [x, h, wdot, out] = [ws.x / 4, ws.hs[0] / 4, tangent(0) / 4, ws.d3 / 4];
      for (let i = 0; i < n; i++) {
        const row = 2 * m * i;
        for (let j = 0; j < m; j++) {
          let thetaDot = 0;
          for (let d = 0; d < dim; d++) thetaDot += f[x + dim * i + d] * f[wdot + dim * j + d];
          thetaDot = Math.fround(thetaDot);
          f[out + row + j] = -f[h + row + m + j] * thetaDot;
          f[out + row + m + j] = f[h + row + j] * thetaDot;
        }
      }
      hdot = ws.d3;
    }
    let buffers = [ws.d1, ws.d2];
    for (let l = 0; l <= depth; l++) {
      const [rows, cols] = this.net.shapes[1 + 2 * l];
      const last = l === depth;
      const out = last ? ws.jt : buffers[0];
      const [mode, E] = last ? [0, 0] : this.derivative(ws, l);
      // ż = 1 ḃᵀ + h K̇ + ḣ K, then ḣ_{l+1} = σ'(z) ⊙ ż
      s.kernels.gemm(n, cols, 1, ws.ones, 1, 0, tangent(2 + 2 * l), 0, 1, out, cols, 0, 0, 0, ws.packs[0]);
      this.gemm(
        s,
        ws,
        n,
        cols,
        rows,
        ws.hs[l],
        rows,
        1,
        tangent(1 + 2 * l),
        cols,
        1,
        out,
        cols,
        hdot ? 8 : 8 | mode,
        E,
        cols,
      );
      if (hdot)
        this.gemm(
          s,
          ws,
          n,
          cols,
          rows,
          hdot,
          rows,
          1,
          this.params[1 + 2 * l],
          cols,
          1,
          out,
          cols,
          8 | mode,
          E,
          cols,
        );
      hdot = out;
      buffers = [buffers[1], buffers[0]];
    }
  }
}
