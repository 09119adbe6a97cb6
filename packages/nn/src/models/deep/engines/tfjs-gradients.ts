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

/**
 * L = ½ h^d Σ (f − g)² and its gradient in the weights, by a hand-written backward pass
 * (THEORY.md §6's network, chain rule layer by layer) on tfjs's kernels, shaped by where tfjs-wasm
 * spends its time (profiled for issue 10): every product is a plain matMul of explicitly transposed
 * operands (its matMul with transposeA/transposeB set is 15–25× slower, and tf.grad's backward uses
 * them); tanh is 2σ(2z) − 1 fused into the matMul (its sigmoid is vectorised, its tanh 10× slower);
 * column sums are products with a row of ones; the embedding [cos θ, sin θ], θ = x Wᵀ rounded to
 * float32 as tfjs's product is, and ∂L/∂W are computed in JavaScript (tfjs's cos and sin are as slow
 * as its tanh). Returns the loss (a scalar tensor) and the gradients of the weights from index
 * `first` on (1 when W is frozen), in {@link deepForward}'s order. Call it inside tf.tidy.
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
): { loss: tf.Scalar; grads: tf.Tensor[] } {
  const depth = net.depth;
  const [n, dim] = x.shape;
  const m = weights[0].shape[0] as number;
  const xs = x.dataSync();
  const ws = weights[0].dataSync();
  const embedding = new Float32Array(n * 2 * m);
  const embeddingT = new Float32Array(n * 2 * m);
  cosSinEmbedding(xs, ws, n, dim, m, embedding, embeddingT);
  const ones = tf.ones([1, n]);
  // hs[l] is the input of dense layer l (hs[0] the embedding); zs[l] its pre-activation (for sin)
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
  });
  const u = tf.sub(tf.reshape(out, [-1]), g);
  const loss = tf.mul(0.5 * cellVolume, tf.sum(tf.square(u))) as tf.Scalar;
  // e = ∂L/∂f, then back through the output and the dense layers
  const grads: tf.Tensor[] = new Array(2 * depth + 3);
  let dz = tf.reshape(tf.mul(cellVolume, u), [-1, 1]) as tf.Tensor2D;
  for (let l = depth; l >= 0; l--) {
    const kernel = weights[1 + 2 * l] as tf.Tensor2D;
    const hT = l === 0 ? tf.tensor2d(embeddingT, [2 * m, n], 'float32') : tf.transpose(hs[l]);
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
    const h = hs[l];
    const derivative =
      net.activation === 'tanh'
        ? tf.sub(1, tf.square(h))
        : net.activation === 'relu'
          ? tf.step(h)
          : tf.cos(zs[l - 1] as tf.Tensor2D);
    dz = tf.mul(dh, derivative) as tf.Tensor2D;
  }
  return { loss, grads: grads.slice(first) };
}

/**
 * out (n × 2m, row-major) = [cos θ, sin θ] with θ = x Wᵀ (x: n × dim, W: m × dim) rounded to float32,
 * and its transpose into outT (tfjs-wasm's transpose costs as much as a third of a product):
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
  outT: Float32Array,
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
      outT[j * n + i] = c;
      outT[(m + j) * n + i] = s;
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
