import * as tf from '@tensorflow/tfjs';
import type { DeepNetwork } from '../engine.js';

/*
 * The deep FF network's forward pass and its loss gradient by a hand-written backward pass, on tfjs
 * tensors (THEORY.md §6). Every product is a plain matMul on explicitly transposed operands: tfjs-wasm's
 * transposed matMul was 25× slower than the plain one at these sizes.
 */

/**
 * f(x) of a deep FF network (THEORY.md §6) for weights given as tensors, [W, kernel₁, bias₁, …,
 * kernel_out, bias_out] (so that autodiff can take gradients in any of them): the embedding
 * γ(x) = [cos(Wx), sin(Wx)], `depth` dense layers with the activation, a linear output. Returns a 1D
 * tensor of length x.shape[0]; call it inside tf.tidy.
 *
 * @example
 * const f = tf.tidy(() => deepForward(net, x, weights)); // shape [x.shape[0]]
 */
export function deepForward(
  net: Pick<DeepNetwork, 'depth' | 'activation'>,
  x: tf.Tensor2D,
  weights: readonly tf.Tensor[],
): tf.Tensor1D {
  const theta = tf.matMul(x, weights[0] as tf.Tensor2D, false, true);
  let h = tf.concat([tf.cos(theta), tf.sin(theta)], 1) as tf.Tensor2D;
  for (let l = 0; l < net.depth; l++) {
    const z = tf.add(tf.matMul(h, weights[1 + 2 * l] as tf.Tensor2D), weights[2 + 2 * l]) as tf.Tensor2D;
    h = (
      net.activation === 'tanh' ? tf.tanh(z) : net.activation === 'relu' ? tf.relu(z) : tf.sin(z)
    ) as tf.Tensor2D;
  }
  const out = tf.add(tf.matMul(h, weights[1 + 2 * net.depth] as tf.Tensor2D), weights[2 + 2 * net.depth]);
  return tf.reshape(out, [-1]) as tf.Tensor1D;
}

/** What the hand-written backward pass needs of the forward pass. */
interface ForwardPass {
  readonly n: number;
  readonly dim: number;
  readonly m: number;
  /** x's coordinates and the embedding [cos θ, sin θ] (n × 2m) and its transpose, in JavaScript. */
  readonly xs: ArrayLike<number>;
  readonly embedding: Float32Array;
  readonly embeddingT: Float32Array | undefined;
  /** hs[l]: the input of dense layer l (hs[0] the embedding); zs[l] its pre-activation (sin only). */
  readonly hs: tf.Tensor2D[];
  readonly zs: tf.Tensor2D[];
  /** f, n × 1. */
  readonly out: tf.Tensor2D;
}

/**
 * The forward pass as the backward pass wants it (see {@link deepLossAndGradients}): the embedding
 * in JavaScript (its transpose too when `transposed`), tanh as 2σ(2z) − 1 fused into the matMul.
 */
function forwardPass(
  net: Pick<DeepNetwork, 'depth' | 'activation'>,
  x: tf.Tensor2D,
  weights: readonly tf.Tensor[],
  transposed: boolean,
): ForwardPass {
  const depth = net.depth;
  const [n, dim] = x.shape;
  const m = weights[0].shape[0] as number;
  const xs = x.dataSync();
  const ws = weights[0].dataSync();
  const embedding = new Float32Array(n * 2 * m);
  const embeddingT = transposed ? new Float32Array(n * 2 * m) : undefined;
  cosSinEmbedding(xs, ws, n, dim, m, embedding, embeddingT);
  const hs: tf.Tensor2D[] = [tf.tensor2d(embedding, [n, 2 * m], 'float32')];
  const zs: tf.Tensor2D[] = [];
  for (let l = 0; l < depth; l++) {
    const a = hs[l];
    const b = weights[1 + 2 * l] as tf.Tensor2D;
    const bias = weights[2 + 2 * l];
    if (net.activation === 'tanh') {
      const sigma = tf.fused.matMul({ a, b: tf.mul(2, b), bias: tf.mul(2, bias), activation: 'sigmoid' });
      hs.push(tf.sub(tf.mul(2, sigma), 1) as tf.Tensor2D);
      continue;
    }
    const z = tf.fused.matMul({ a, b, bias });
    zs.push(z as tf.Tensor2D);
    const h = net.activation === 'relu' ? tf.relu(z) : tf.sin(z);
    hs.push(h as tf.Tensor2D);
  }
  const out = tf.fused.matMul({
    a: hs[depth],
    b: weights[1 + 2 * depth] as tf.Tensor2D,
    bias: weights[2 + 2 * depth],
  }) as tf.Tensor2D;
  return { n, dim, m, xs, embedding, embeddingT, hs, zs, out };
}

/** σ'(z) of layer l's activation (l ≥ 1: the activation that made hs[l]) as a tensor. */
function activationDerivative(
  net: Pick<DeepNetwork, 'activation'>,
  pass: Pick<ForwardPass, 'hs' | 'zs'>,
  l: number,
): tf.Tensor {
  const h = pass.hs[l];
  return net.activation === 'tanh'
    ? tf.sub(1, tf.square(h))
    : net.activation === 'relu'
      ? tf.step(h)
      : tf.cos(pass.zs[l - 1] as tf.Tensor2D);
}

/**
 * The gradient of Σ_i e_i f(x_i) in the weights from index `first` on, given the forward pass
 * (with the transposed embedding) and e as an n × 1 tensor.
 */
function backwardPass(
  net: Pick<DeepNetwork, 'depth' | 'activation'>,
  pass: ForwardPass,
  e: tf.Tensor2D,
  weights: readonly tf.Tensor[],
  first: 0 | 1,
): tf.Tensor[] {
  const { n, dim, m, xs, embedding, embeddingT, hs } = pass;
  const depth = net.depth;
  const ones = tf.ones([1, n]);
  const grads: tf.Tensor[] = new Array(2 * depth + 3);
  let dz = e;
  for (let l = depth; l >= 0; l--) {
    const kernel = weights[1 + 2 * l] as tf.Tensor2D;
    const hT = l === 0 ? tf.tensor2d(embeddingT as Float32Array, [2 * m, n], 'float32') : tf.transpose(hs[l]);
    grads[1 + 2 * l] = tf.matMul(hT, dz);
    grads[2 + 2 * l] = tf.reshape(tf.matMul(ones, dz), [-1]);
    if (l === 0 && first === 1) break;
    const dh = tf.matMul(dz, tf.transpose(kernel));
    if (l === 0) {
      const gw = new Float32Array(m * dim);
      embeddingGradient(xs, embedding, dh.dataSync(), n, dim, m, gw);
      grads[0] = tf.tensor2d(gw, [m, dim], 'float32');
      break;
    }
    dz = tf.mul(dh, activationDerivative(net, pass, l)) as tf.Tensor2D;
  }
  return grads.slice(first);
}

/**
 * L = ½ h^d Σ (f − g)² and its gradient in the weights, by a hand-written backward pass
 * (THEORY.md §6's network, chain rule layer by layer) on tfjs's kernels, shaped by where tfjs-wasm
 * spends its time (profiled for issue 10): every product is a plain matMul of explicitly transposed
 * operands (its matMul with transposeA/transposeB set is 15–25× slower, and tf.grad's backward uses
 * them); tanh is 2σ(2z) − 1 fused into the matMul (its sigmoid is vectorised, its tanh 10× slower);
 * column sums are products with a row of ones; the embedding [cos θ, sin θ], θ = x Wᵀ rounded to
 * float32 as tfjs's product is, and ∂L/∂W are computed in JavaScript (tfjs's cos and sin are as slow
 * as its tanh). Returns the loss (a scalar tensor), the gradients of the weights from index
 * `first` on (1 when W is frozen), in {@link deepForward}'s order, and the residual u = f − g it
 * passed through. Call it inside tf.tidy.
 *
 * @example
 * const { loss, grads } = tf.tidy(() => deepLossAndGradients(net, x, g, weights, h, 0));
 */
export function deepLossAndGradients(
  net: Pick<DeepNetwork, 'depth' | 'activation'>,
  x: tf.Tensor2D,
  g: tf.Tensor1D,
  weights: readonly tf.Tensor[],
  cellVolume: number,
  first: 0 | 1,
): { loss: tf.Scalar; grads: tf.Tensor[]; residual: tf.Tensor1D } {
  const pass = forwardPass(net, x, weights, true);
  const u = tf.sub(tf.reshape(pass.out, [-1]), g) as tf.Tensor1D;
  const loss = tf.mul(0.5 * cellVolume, tf.sum(tf.square(u))) as tf.Scalar;
  // e = ∂L/∂f = h^d u, then back through the output and the dense layers
  const e = tf.reshape(tf.mul(cellVolume, u), [-1, 1]) as tf.Tensor2D;
  return { loss, grads: backwardPass(net, pass, e, weights, first), residual: u };
}

/**
 * f(x) by {@link deepLossAndGradients}'s forward pass (the embedding in JavaScript, tanh through
 * tfjs's sigmoid): {@link deepForward}'s value to float32 rounding, several times faster on
 * tfjs-wasm, not differentiable by tfjs. Call it inside tf.tidy.
 *
 * @example
 * const f = tf.tidy(() => deepForwardFast(net, x, weights)); // shape [x.shape[0]]
 */
export function deepForwardFast(
  net: Pick<DeepNetwork, 'depth' | 'activation'>,
  x: tf.Tensor2D,
  weights: readonly tf.Tensor[],
): tf.Tensor1D {
  return tf.reshape(forwardPass(net, x, weights, false).out, [-1]) as tf.Tensor1D;
}

/**
 * Jᵀ e = ∂/∂θ Σ_i e_i f(x_i): the product of the transposed Jacobian in the weights from index
 * `first` on with e (length x.shape[0]), by the hand-written backward pass. Call it inside tf.tidy.
 *
 * @example
 * const t = tf.tidy(() => deepVjp(net, x, e, weights, 0)); // one tensor per weight, as weights
 */
export function deepVjp(
  net: Pick<DeepNetwork, 'depth' | 'activation'>,
  x: tf.Tensor2D,
  e: tf.Tensor1D,
  weights: readonly tf.Tensor[],
  first: 0 | 1,
): tf.Tensor[] {
  const pass = forwardPass(net, x, weights, true);
  return backwardPass(net, pass, tf.reshape(e, [-1, 1]) as tf.Tensor2D, weights, first);
}

/**
 * J t = Σ_k ∂f(x_i)/∂θ_k t_k: the Jacobian's product with tangents t of the weights from index
 * `first` on (shaped as the weights), by forward-mode differentiation written out layer by layer:
 * θ̇ = x Ẇᵀ and γ̇ = [−sin θ ⊙ θ̇, cos θ ⊙ θ̇] in JavaScript, then ż = ḣ K + h K̇ + ḃ and
 * ḣ = σ'(z) ⊙ ż per dense layer. Returns a 1D tensor of length x.shape[0]; call it inside tf.tidy.
 *
 * @example
 * const jt = tf.tidy(() => deepJvp(net, x, weights, tangents, 0)); // shape [x.shape[0]]
 */
export function deepJvp(
  net: Pick<DeepNetwork, 'depth' | 'activation'>,
  x: tf.Tensor2D,
  weights: readonly tf.Tensor[],
  tangents: readonly tf.Tensor[],
  first: 0 | 1,
): tf.Tensor1D {
  const depth = net.depth;
  const pass = forwardPass(net, x, weights, false);
  const { n, dim, m, xs, embedding, hs } = pass;
  const tangent = (k: number) => tangents[k - first];
  let hdot: tf.Tensor2D | undefined;
  if (first === 0) {
    const wdot = tangent(0).dataSync();
    const gdot = new Float32Array(n * 2 * m);
    for (let i = 0; i < n; i++) {
      const row = 2 * m * i;
      for (let j = 0; j < m; j++) {
        let thetaDot = 0;
        for (let d = 0; d < dim; d++) thetaDot += xs[dim * i + d] * wdot[dim * j + d];
        gdot[row + j] = -embedding[row + m + j] * thetaDot;
        gdot[row + m + j] = embedding[row + j] * thetaDot;
      }
    }
    hdot = tf.tensor2d(gdot, [n, 2 * m], 'float32');
  }
  for (let l = 0; l <= depth; l++) {
    const kernel = weights[1 + 2 * l] as tf.Tensor2D;
    let zdot = tf.fused.matMul({ a: hs[l], b: tangent(1 + 2 * l) as tf.Tensor2D, bias: tangent(2 + 2 * l) });
    if (hdot) zdot = tf.add(zdot, tf.matMul(hdot, kernel));
    if (l === depth) return tf.reshape(zdot, [-1]) as tf.Tensor1D;
    hdot = tf.mul(activationDerivative(net, pass, l + 1), zdot) as tf.Tensor2D;
  }
  throw new Error('deepJvp: unreachable');
}

/**
 * out (n × 2m, row-major) = [cos θ, sin θ] with θ = x Wᵀ (x: n × dim, W: m × dim) rounded to float32,
 * and its transpose into outT if given (tfjs-wasm's transpose costs as much as a third of a product):
 * the quadrant by round(2θ/π), then Taylor polynomials on |r| ≤ π/4 (errors below 1e-11, far under
 * float32's).
 */
function cosSinEmbedding(
  x: ArrayLike<number>,
  w: ArrayLike<number>,
  n: number,
  dim: number,
  m: number,
  out: Float32Array,
  outT: Float32Array | undefined,
): void {
  const twoOverPi = 2 / Math.PI;
  const halfPi = Math.PI / 2;
  for (let i = 0; i < n; i++) {
    const row = 2 * m * i;
    const x0 = x[dim * i];
    const x1 = dim === 2 ? x[dim * i + 1] : 0;
    for (let j = 0; j < m; j++) {
      const t =
        dim === 2
          ? Math.fround(Math.fround(x0 * w[2 * j]) + Math.fround(x1 * w[2 * j + 1]))
          : Math.fround(x0 * w[j]);
      const q = Math.round(t * twoOverPi);
      const r = t - q * halfPi;
      const r2 = r * r;
      const sr =
        r *
        (1 + r2 * (-1 / 6 + r2 * (1 / 120 + r2 * (-1 / 5040 + r2 * (1 / 362880 + r2 * (-1 / 39916800))))));
      const cr =
        1 +
        r2 *
          (-1 / 2 +
            r2 * (1 / 24 + r2 * (-1 / 720 + r2 * (1 / 40320 + r2 * (-1 / 3628800 + r2 / 479001600)))));
      const quadrant = q & 3;
      const c = quadrant === 0 ? cr : quadrant === 1 ? -sr : quadrant === 2 ? -cr : sr;
      const s = quadrant === 0 ? sr : quadrant === 1 ? cr : quadrant === 2 ? -sr : -cr;
      out[row + j] = c;
      out[row + m + j] = s;
      if (outT) {
        outT[j * n + i] = c;
        outT[(m + j) * n + i] = s;
      }
    }
  }
}

/**
 * ∂L/∂W (m × dim) from dh = ∂L/∂[cos θ, sin θ] (n × 2m): ∂L/∂θ = cos θ ⊙ ∂L/∂sin − sin θ ⊙ ∂L/∂cos,
 * then (∂L/∂θ)ᵀ x, summed in Float64.
 */
function embeddingGradient(
  x: ArrayLike<number>,
  embedding: Float32Array,
  dh: ArrayLike<number>,
  n: number,
  dim: number,
  m: number,
  out: Float32Array,
): void {
  const sums = new Float64Array(m * dim);
  for (let i = 0; i < n; i++) {
    const row = 2 * m * i;
    const x0 = x[dim * i];
    const x1 = dim === 2 ? x[dim * i + 1] : 0;
    for (let j = 0; j < m; j++) {
      const dtheta = embedding[row + j] * dh[row + m + j] - embedding[row + m + j] * dh[row + j];
      if (dim === 2) {
        sums[2 * j] += dtheta * x0;
        sums[2 * j + 1] += dtheta * x1;
      } else sums[j] += dtheta * x0;
    }
  }
  out.set(sums);
}
