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
} from '../engine.js';
import { deepForward, deepLossAndGradients } from './tfjs-gradients.js';

export { deepForward, deepLossAndGradients } from './tfjs-gradients.js';

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
    const eta = settings.learningRate;
    const g = tf.keep(tf.tensor1d(Float32Array.from(target), 'float32'));
    const adam = settings.adam ?? {};
    const optimizer =
      settings.optimizer === 'adam'
        ? tf.train.adam(eta, adam.beta1 ?? 0.9, adam.beta2 ?? 0.999, adam.epsilon ?? 1e-8)
        : tf.train.sgd(eta);
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

async function read(t: tf.Tensor): Promise<Float64Array> {
  const data = await t.data();
  t.dispose();
  return Float64Array.from(data);
}
