import * as tf from '@tensorflow/tfjs';
import type { Grid } from '../../../grid.js';
import { checkGrid } from '../../../numeric/checks.js';
import {
  activateTfjsBackend,
  type TfjsBackendChoice,
  type TfjsEngineName,
  useTfjsBackend,
} from '../../tfjs-backend.js';
import type { TwoLayerEngine, TwoLayerParameters, TwoLayerTangent } from '../engine.js';
import { checkParameters, checkTangent, resultTangent } from '../tangent.js';

/** Options of {@link createTfjsEngine}. */
export interface TfjsEngineOptions {
  /** 'auto' (default): tfjs-node if installed, else wasm, else cpu. */
  readonly backend?: TfjsBackendChoice;
}

/** The tfjs engine: float32 and automatic differentiation, as a cross-check and a fallback. */
export interface TfjsEngine extends TwoLayerEngine {
  readonly name: TfjsEngineName;
  /** The tfjs backend it runs on ('tensorflow', 'wasm' or 'cpu'). */
  readonly backend: string;
}

/**
 * A {@link TwoLayerEngine} on TensorFlow.js (float32): f from THEORY.md §1 as tensor operations,
 * the vjp by reverse-mode autodiff, and the jvp J t as the gradient in r of ⟨Jᵀ r, t⟩ (a second
 * reverse pass: Jᵀ r is linear in r), so no derivative is written by hand.
 *
 * @example
 * const engine = await createTfjsEngine(uniformGrid({ dim: 1, halfWidth: 8, n: 64 }));
 * engine.name; // 'tfjs-wasm' when tfjs-node is not installed
 * await engine.dispose();
 */
export async function createTfjsEngine(grid: Grid, options: TfjsEngineOptions = {}): Promise<TfjsEngine> {
  checkGrid(grid);
  const name = await useTfjsBackend(options.backend ?? 'auto');
  return new TfjsEngineImpl(grid, name, tf.getBackend());
}

type Params = [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D];

class TfjsEngineImpl implements TfjsEngine {
  private x: tf.Tensor2D;

  constructor(
    readonly grid: Grid,
    readonly name: TfjsEngineName,
    readonly backend: string,
  ) {
    this.x = tf.tensor2d(Float32Array.from(grid.points), [grid.size, grid.dim], 'float32');
  }

  async forward(p: TwoLayerParameters, out?: Float64Array): Promise<Float64Array> {
    checkParameters(p, this.grid);
    await this.activate();
    const f = tf.tidy(() => this.f(...this.params(p)));
    return this.read(f, out ?? new Float64Array(this.grid.size));
  }

  async vjp(p: TwoLayerParameters, r: Float64Array, out?: TwoLayerTangent): Promise<TwoLayerTangent> {
    checkParameters(p, this.grid);
    if (r.length !== this.grid.size) throw new Error(`r: expected length ${this.grid.size}, got ${r.length}`);
    await this.activate();
    const result = resultTangent(p, out);
    const grads = tf.tidy(() => {
      const rt = tf.tensor1d(Float32Array.from(r), 'float32');
      return this.pullback(rt, this.params(p));
    });
    await this.read(grads[0], result.w);
    await this.read(grads[1], result.a);
    await this.read(grads[2], result.b);
    return result;
  }

  async jvp(p: TwoLayerParameters, t: TwoLayerTangent, out?: Float64Array): Promise<Float64Array> {
    checkParameters(p, this.grid);
    checkTangent(t, p);
    await this.activate();
    const jt = tf.tidy(() => {
      const params = this.params(p);
      const tw = tf.tensor2d(Float32Array.from(t.w), [p.width, p.dim], 'float32');
      const ta = tf.tensor1d(Float32Array.from(t.a), 'float32');
      const tb = tf.tensor1d(Float32Array.from(t.b), 'float32');
      // Jᵀ r is linear in r, so ∇_r ⟨Jᵀ r, t⟩ = J t at any r.
      return tf.grad((r: tf.Tensor) => {
        const [gw, ga, gb] = this.pullback(r as tf.Tensor1D, params);
        return tf.addN([tf.sum(tf.mul(gw, tw)), tf.sum(tf.mul(ga, ta)), tf.sum(tf.mul(gb, tb))]);
      })(tf.zeros([this.grid.size]));
    });
    return this.read(jt, out ?? new Float64Array(this.grid.size));
  }

  async dispose(): Promise<void> {
    this.x.dispose();
  }

  /** f(x_i) = (1/√m)[cos(X Wᵀ) a + sin(X Wᵀ) b] (THEORY.md §1). */
  private f(w: tf.Tensor2D, a: tf.Tensor1D, b: tf.Tensor1D): tf.Tensor1D {
    const theta = tf.matMul(this.x, w, false, true);
    const sum = tf.add(
      tf.matMul(tf.cos(theta), tf.reshape(a, [-1, 1])),
      tf.matMul(tf.sin(theta), tf.reshape(b, [-1, 1])),
    );
    return tf.mul(tf.reshape(sum, [-1]), 1 / Math.sqrt(a.shape[0])) as tf.Tensor1D;
  }

  /** Jᵀ r by reverse-mode autodiff of Σ_i r_i f(x_i). */
  private pullback(r: tf.Tensor1D, params: Params): tf.Tensor[] {
    return tf.grads((w: tf.Tensor, a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(r, this.f(w as tf.Tensor2D, a as tf.Tensor1D, b as tf.Tensor1D))),
    )(params);
  }

  private params(p: TwoLayerParameters): Params {
    return [
      tf.tensor2d(Float32Array.from(p.w), [p.width, p.dim], 'float32'),
      tf.tensor1d(Float32Array.from(p.a), 'float32'),
      tf.tensor1d(Float32Array.from(p.b), 'float32'),
    ];
  }

  /** tfjs's backend is global: switch back to this engine's if another engine moved it. */
  private async activate(): Promise<void> {
    await activateTfjsBackend(this.backend);
  }

  private async read(t: tf.Tensor, out: Float64Array): Promise<Float64Array> {
    const data = await t.data();
    t.dispose();
    out.set(data);
    return out;
  }
}
