import * as tf from '@tensorflow/tfjs';
import type { Grid } from '../../../grid.js';
import { checkGrid } from '../../../numeric/checks.js';
import {
  activateTfjsBackend,
  type TfjsBackendChoice,
  type TfjsEngineName,
  useTfjsBackend,
} from '../../tfjs-backend.js';
import type {
  DeepEngine,
  DeepGradients,
  DeepNetwork,
  DeepOptimizer,
  DeepOptimizerSettings,
  DeepShard,
} from '../engine.js';
import { deepForward, deepForwardFast, deepJvp, deepLossAndGradients, deepVjp } from './tfjs-gradients.js';

export { deepForward, deepForwardFast, deepJvp, deepLossAndGradients, deepVjp } from './tfjs-gradients.js';

interface State {
  readonly engine: TfjsEngineName;
  readonly backend: string;
  readonly variables: tf.Variable[];
}

/**
 * The {@link DeepEngine} on TensorFlow.js (float32): weights as tf variables, the loss's gradient
 * by {@link deepLossAndGradients} (gradients 'manual', the default) or tfjs's reverse-mode autodiff
 * ('autodiff', the reference the manual pass is tested against), the NTK product by autodiff, J t as the gradient in r of ⟨Jᵀ r, t⟩ (a second reverse pass, exact because
 * Jᵀ r is linear in r), GD and Adam as tfjs's optimisers. tfjs's backend is global, so every call
 * first puts back this engine's (another engine may have moved it).
 *
 * @example
 * const engine = new TfjsDeepEngine(network, 'cpu');
 * await engine.forward(grid); // Float64Array(grid.size)
 * engine.dispose();
 */
export class TfjsDeepEngine implements DeepEngine {
  private state: Promise<State> | undefined;
  private readonly inputs = new Map<Grid, tf.Tensor2D>();

  constructor(
    private readonly net: DeepNetwork,
    private readonly backendChoice: TfjsBackendChoice = 'auto',
    private readonly gradients: DeepGradients = 'manual',
  ) {
    if (gradients !== 'manual' && gradients !== 'autodiff') {
      throw new Error(`gradients: expected 'manual' or 'autodiff', got ${gradients}`);
    }
  }

  async ready(): Promise<{ engine: TfjsEngineName; backend: string }> {
    const { engine, backend } = await this.activeState();
    return { engine, backend };
  }

  /** All weights as tf variables, in {@link deepForward}'s order. */
  async variables(): Promise<tf.Variable[]> {
    return (await this.activeState()).variables;
  }

  /** The variables descent moves (W only when trained). */
  async trainableVariables(): Promise<tf.Variable[]> {
    const all = await this.variables();
    return this.net.trainW ? all : all.slice(1);
  }

  /** The grid's points as a float32 tensor (cached per grid, released by dispose). */
  input(grid: Grid): tf.Tensor2D {
    checkGrid(grid);
    if (grid.dim !== this.net.dim) {
      throw new Error(`grid: dimension ${grid.dim} does not match the network's ${this.net.dim}`);
    }
    let x = this.inputs.get(grid);
    if (!x) {
      x = tf.keep(tf.tensor2d(Float32Array.from(grid.points), [grid.size, grid.dim], 'float32'));
      this.inputs.set(grid, x);
    }
    return x;
  }

  async forward(grid: Grid): Promise<Float64Array> {
    const vars = await this.variables();
    const f = tf.tidy(() => deepForward(this.net, this.input(grid), vars));
    return read(f);
  }

  async ntk(grid: Grid, v: Float64Array, out: Float64Array): Promise<void> {
    const trainable = await this.trainableVariables();
    const all = await this.variables();
    const x = this.input(grid);
    const fixed = this.net.trainW ? [] : [all[0]];
    const pullback = (r: tf.Tensor1D, weights: tf.Tensor[]) =>
      tf.grads((...ws: tf.Tensor[]) => tf.sum(tf.mul(r, deepForward(this.net, x, [...fixed, ...ws]))))(
        weights,
      );
    const jjtv = tf.tidy(() => {
      const weights = trainable.map((w) => w as tf.Tensor);
      const t = pullback(tf.tensor1d(Float32Array.from(v)), weights);
      return tf.grad((r: tf.Tensor) => {
        const g = pullback(r as tf.Tensor1D, weights);
        return tf.addN(g.map((gk, k) => tf.sum(tf.mul(gk, t[k]))));
      })(tf.zeros([grid.size]));
    });
    const data = await jjtv.data();
    jjtv.dispose();
    out.set(data);
  }

  async optimizer(
    grid: Grid,
    target: ArrayLike<number>,
    settings: DeepOptimizerSettings,
  ): Promise<DeepOptimizer> {
    const all = await this.variables();
    const trainable = await this.trainableVariables();
    const x = this.input(grid);
    const hd = grid.cellVolume;
    const g = tf.keep(tf.tensor1d(Float32Array.from(target), 'float32'));
    const optimizer = makeOptimizer(settings);
    const net = this.net;
    const manual = this.gradients === 'manual';
    const first = net.trainW ? 0 : 1;
    let grads: tf.NamedTensorMap | undefined;
    return {
      async loss() {
        if (grads) tf.dispose(grads);
        // One pass gives both the loss and its gradient; step() applies it after the caller's checks.
        const result = manual
          ? tf.tidy(() => {
              const { loss, grads } = deepLossAndGradients(net, x, g, all, hd, first);
              const named: tf.NamedTensorMap = {};
              grads.forEach((t, k) => {
                named[trainable[k].name] = t;
              });
              return { value: loss, grads: named };
            })
          : tf.variableGrads(
              () => tf.mul(0.5 * hd, tf.sum(tf.square(tf.sub(deepForward(net, x, all), g)))) as tf.Scalar,
              trainable,
            );
        grads = result.grads;
        const loss = (await result.value.data())[0];
        result.value.dispose();
        return loss;
      },
      async residual() {
        return read(tf.tidy(() => tf.sub(deepForward(net, x, all), g)));
      },
      step() {
        if (!grads) throw new Error('step: call loss() first');
        optimizer.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
        tf.dispose(grads);
        grads = undefined;
      },
      dispose() {
        if (grads) tf.dispose(grads);
        grads = undefined;
        g.dispose();
        optimizer.dispose();
      },
    };
  }

  /**
   * f at `points` (flat, point-major, rows of the network's dimension), without a grid: what a
   * thread of a ThreadedDeepEngine runs on its slice of a grid. With gradients 'manual' by
   * {@link deepForwardFast} ({@link forward}'s value to float32 rounding), else {@link deepForward}.
   *
   * @example
   * const f = await engine.forwardPoints(Float32Array.of(-1, 0, 1)); // Float32Array(3) in 1D
   */
  async forwardPoints(points: Float32Array): Promise<Float32Array> {
    const vars = await this.variables();
    const f = tf.tidy(() => {
      const x = this.points(points);
      return this.gradients === 'manual'
        ? deepForwardFast(this.net, x, vars)
        : deepForward(this.net, x, vars);
    });
    const data = (await f.data()) as Float32Array;
    f.dispose();
    return data;
  }

  /**
   * Jᵀ e at `points` into out (flat, the trainable weights in order): the first half of the NTK's
   * product J Jᵀ v, by the hand-written backward pass ({@link deepVjp}).
   *
   * @example
   * await engine.vjpPoints(points, e, t); // t = Jᵀ e, length = the trainable weights' count
   */
  async vjpPoints(points: Float32Array, e: Float32Array, out: Float32Array): Promise<void> {
    const all = await this.variables();
    const first = this.net.trainW ? 0 : 1;
    const grads = tf.tidy(() =>
      deepVjp(this.net, this.points(points), tf.tensor1d(e, 'float32'), all, first),
    );
    let offset = 0;
    for (const t of grads) {
      out.set(t.dataSync() as Float32Array, offset);
      offset += t.size;
    }
    tf.dispose(grads);
    if (offset !== out.length) throw new Error(`out: expected length ${offset}, got ${out.length}`);
  }

  /**
   * J t at `points` for tangents t of the trainable weights (flat, in order): the second half of the
   * NTK's product, by forward-mode differentiation ({@link deepJvp}).
   *
   * @example
   * const jt = await engine.jvpPoints(points, t); // Float32Array(points / dim)
   */
  async jvpPoints(points: Float32Array, tangent: Float32Array): Promise<Float32Array> {
    const all = await this.variables();
    const trainable = await this.trainableVariables();
    const first = this.net.trainW ? 0 : 1;
    const size = trainable.reduce((s, v) => s + v.size, 0);
    if (tangent.length !== size) throw new Error(`tangent: expected length ${size}, got ${tangent.length}`);
    const jt = tf.tidy(() => {
      let offset = 0;
      const tangents = trainable.map((v) => {
        const t = tf.tensor(tangent.slice(offset, offset + v.size), v.shape, 'float32');
        offset += v.size;
        return t;
      });
      return deepJvp(this.net, this.points(points), all, tangents, first);
    });
    const data = (await jt.data()) as Float32Array;
    jt.dispose();
    return data;
  }

  /**
   * A {@link DeepShard}: the loss of the points `points` (flat, point-major) towards `target` and
   * its gradient (kept as tensors, and copied out flat for the other threads), and steps by the sum
   * of this shard's gradient and the others' (added in thread order, so that every shard adds the
   * same numbers in the same order). Updates go through tfjs's optimiser as {@link optimizer}'s do,
   * so shards that step with the same partial gradients keep the same weights.
   *
   * @example
   * const shard = await engine.shard(points, target, grid.cellVolume, { optimizer: 'gd', learningRate: 1e-3 });
   * const mine = new Float32Array(shard.size);
   * const loss = await shard.lossAndGradient(mine); // this slice's share of L
   * shard.step([undefined, theirs]); // ∇L = mine + theirs (another thread's slice)
   */
  async shard(
    points: Float32Array,
    target: Float32Array,
    cellVolume: number,
    settings: DeepOptimizerSettings,
  ): Promise<DeepShard> {
    const all = await this.variables();
    const trainable = await this.trainableVariables();
    const n = target.length;
    if (points.length !== n * this.net.dim) {
      throw new Error(
        `points: expected ${n * this.net.dim} coordinates for ${n} targets, got ${points.length}`,
      );
    }
    const x = tf.keep(tf.tensor2d(points, [n, this.net.dim], 'float32'));
    const g = tf.keep(tf.tensor1d(target, 'float32'));
    const optimizer = makeOptimizer(settings);
    const net = this.net;
    const manual = this.gradients === 'manual';
    const first = net.trainW ? 0 : 1;
    const sizes = trainable.map((v) => v.size);
    const size = sizes.reduce((a, b) => a + b, 0);
    // tfjs-wasm copies a tensor's values into its heap; other backends may keep a view of them
    const copies = tf.getBackend() !== 'wasm';
    let kept: tf.Tensor[] | undefined;
    // u = f − g from the last loss, at the weights it was taken at (dropped by step)
    let residual: tf.Tensor | undefined;
    const drop = () => {
      if (kept) tf.dispose(kept);
      if (residual) residual.dispose();
      kept = undefined;
      residual = undefined;
    };
    return {
      size,
      async lossAndGradient(out: Float32Array): Promise<number> {
        if (out.length !== size) throw new Error(`out: expected length ${size}, got ${out.length}`);
        drop();
        const result: { loss: tf.Scalar; grads: tf.Tensor[]; residual?: tf.Tensor } = manual
          ? tf.tidy(() => deepLossAndGradients(net, x, g, all, cellVolume, first))
          : tf.tidy(() => {
              const { value, grads } = tf.variableGrads(
                () =>
                  tf.mul(
                    0.5 * cellVolume,
                    tf.sum(tf.square(tf.sub(deepForward(net, x, all), g))),
                  ) as tf.Scalar,
                trainable,
              );
              return { loss: value, grads: trainable.map((v) => grads[v.name]) };
            });
        let offset = 0;
        result.grads.forEach((t, k) => {
          out.set(t.dataSync() as Float32Array, offset);
          offset += sizes[k];
        });
        const loss = result.loss.dataSync()[0];
        result.loss.dispose();
        kept = result.grads;
        residual = result.residual;
        return loss;
      },
      step(partials: readonly (Float32Array | undefined)[]): void {
        const own = kept;
        if (!own) throw new Error('step: call lossAndGradient() first');
        if (partials.filter((p) => p === undefined).length !== 1) {
          throw new Error('partials: expected this shard (undefined) exactly once');
        }
        const named = tf.tidy(() =>
          trainable.map((v, k) => {
            const offset = sizes.slice(0, k).reduce((a, b) => a + b, 0);
            const part = (p: Float32Array | undefined): tf.Tensor => {
              if (!p) return own[k];
              const values = p.subarray(offset, offset + sizes[k]);
              return tf.tensor(copies ? values.slice() : values, v.shape, 'float32');
            };
            let sum = part(partials[0]);
            for (let t = 1; t < partials.length; t++) sum = tf.add(sum, part(partials[t]));
            return { name: v.name, tensor: sum };
          }),
        );
        optimizer.applyGradients(named);
        tf.dispose(named.map((e) => e.tensor));
        drop();
      },
      async residual(): Promise<Float32Array> {
        if (residual) return (await residual.data()) as Float32Array;
        const u = tf.tidy(() => tf.sub(manual ? deepForwardFast(net, x, all) : deepForward(net, x, all), g));
        const data = (await u.data()) as Float32Array;
        u.dispose();
        return data;
      },
      dispose(): void {
        drop();
        x.dispose();
        g.dispose();
        optimizer.dispose();
      },
    };
  }

  /**
   * The current weights, copied out, in {@link variables}' order.
   *
   * @example
   * const values = await engine.weights(); // [W, kernel₁, bias₁, …]
   */
  async weights(): Promise<Float32Array[]> {
    const vars = await this.variables();
    return Promise.all(vars.map(async (v) => Float32Array.from((await v.data()) as Float32Array)));
  }

  /**
   * Sets the weights (in {@link variables}' order and shapes).
   *
   * @example
   * await other.setWeights(await engine.weights());
   */
  async setWeights(values: readonly Float32Array[]): Promise<void> {
    const vars = await this.variables();
    if (values.length !== vars.length)
      throw new Error(`values: expected ${vars.length} arrays, got ${values.length}`);
    tf.tidy(() => {
      vars.forEach((v, k) => {
        v.assign(tf.tensor(values[k], v.shape, 'float32'));
      });
    });
  }

  /** Points (flat, point-major) as an n × dim tensor; call it inside tf.tidy. */
  private points(points: Float32Array): tf.Tensor2D {
    const dim = this.net.dim;
    if (points.length % dim !== 0)
      throw new Error(`points: ${points.length} coordinates for dimension ${dim}`);
    return tf.tensor2d(points, [points.length / dim, dim], 'float32');
  }

  async reset(): Promise<void> {
    const vars = await this.variables();
    tf.tidy(() => {
      vars.forEach((v, k) => {
        v.assign(tf.tensor(this.net.values[k], this.net.shapes[k] as number[], 'float32'));
      });
    });
  }

  dispose(): void {
    for (const x of this.inputs.values()) x.dispose();
    this.inputs.clear();
    const state = this.state;
    this.state = undefined;
    void state?.then((s) => {
      for (const v of s.variables) v.dispose();
    });
  }

  private async activeState(): Promise<State> {
    this.state ??= (async () => {
      const engine = await useTfjsBackend(this.backendChoice);
      const variables = this.net.values.map((values, k) =>
        tf.variable(tf.tensor(values, this.net.shapes[k] as number[], 'float32'), true),
      );
      return { engine, backend: tf.getBackend(), variables };
    })();
    const state = await this.state;
    await activateTfjsBackend(state.backend);
    return state;
  }
}

/** tfjs's optimiser for the settings: GD (sgd) or Adam. */
function makeOptimizer(settings: DeepOptimizerSettings): tf.Optimizer {
  const eta = settings.learningRate;
  const adam = settings.adam ?? {};
  return settings.optimizer === 'adam'
    ? tf.train.adam(eta, adam.beta1 ?? 0.9, adam.beta2 ?? 0.999, adam.epsilon ?? 1e-8)
    : tf.train.sgd(eta);
}

async function read(t: tf.Tensor): Promise<Float64Array> {
  const data = await t.data();
  t.dispose();
  return Float64Array.from(data);
}
