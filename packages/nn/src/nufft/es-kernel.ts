import { gaussLegendre } from './gauss-legendre.js';

/**
 * The "exponential of semicircle" (ES) spreading kernel of FINUFFT (Barnett, Magland and
 * af Klinteberg 2019), in fine-grid units: φ(z) = exp(β(√(1 − (2z/w)²) − 1)) for |z| ≤ w/2, 0 outside.
 */
export interface EsKernel {
  /** Width w in fine-grid points. */
  readonly width: number;
  /** Shape parameter β. */
  readonly beta: number;
  /** Upsampling σ the kernel was chosen for: the fine grid has at least σN points per axis (default 2). */
  readonly upsampling?: number;
}

/**
 * Kernel parameters for a requested relative tolerance ε at upsampling σ = 2: β = 2.30·w (the
 * paper's optimum for σ = 2, confirmed here by a scan; slightly smaller for w ≤ 3) and
 * w = ⌈log10(2/ε)⌉ + 1 (2 ≤ w ≤ 16). The paper's w = ⌈log10(1/ε)⌉ + 1 gives relative ℓ2 errors of
 * about 1–2·10^{1−w}, i.e. up to 2ε; one more point when needed keeps the achieved error below ε
 * (measured: 0.05–0.4ε for 1e-12 ≤ ε ≤ 1e-3). Rounding limits the accuracy to about 1e-13.
 * At upsampling σ = 4 (a fine grid of ≥ 4N points) see the comment in the body.
 *
 * @example
 * esKernelFor(1e-12); // { width: 14, beta: 32.2 }
 * esKernelFor(1e-12, 4); // { width: 12, beta: 31.56, upsampling: 4 }
 */
export function esKernelFor(tolerance: number, upsampling: 2 | 4 = 2): EsKernel {
  if (!(tolerance > 0) || !Number.isFinite(tolerance) || tolerance >= 1) {
    throw new Error(`tolerance: expected a number in (0, 1), got ${tolerance}`);
  }
  if (upsampling === 4) {
    // σ = 4: the error falls like e^{−πw√(1 − 1/σ)}, about 0.82 decades per point more than at
    // σ = 2, so w = ⌈0.82·log10(2/ε)⌉ + 1 (12 for 1e-12), β = 2.63·w (scan: 2.6–2.67 best).
    const width = Math.min(16, Math.max(2, Math.ceil(0.82 * Math.log10(2 / tolerance) - 1e-9) + 1));
    return { width, beta: 2.63 * width, upsampling: 4 };
  }
  const width = Math.min(16, Math.max(2, Math.ceil(Math.log10(2 / tolerance) - 1e-9) + 1));
  const perWidth = width === 2 ? 2.2 : width === 3 ? 2.26 : 2.3;
  return { width, beta: perWidth * width };
}

/**
 * φ(z) for z in fine-grid units.
 *
 * @example
 * esValue({ width: 13, beta: 29.9 }, 0); // 1
 */
export function esValue(kernel: EsKernel, z: number): number {
  const s = (2 * z) / kernel.width;
  if (s * s > 1) return 0;
  return Math.exp(kernel.beta * (Math.sqrt(1 - s * s) - 1));
}

/**
 * The kernel's Fourier transform φ̂(ξ) = ∫ φ(z) e^{−iξz} dz (real and even) at each ξ, by
 * Gauss–Legendre quadrature on the half support (φ is even, so only the cosine part remains).
 *
 * @example
 * esFourier({ width: 13, beta: 29.9 }, Float64Array.of(0, Math.PI / 2)); // ≈ [2.94, 0.535]
 */
export function esFourier(kernel: EsKernel, xi: Float64Array): Float64Array {
  const half = kernel.width / 2;
  // The integrand is smooth except for a square-root edge where φ ≈ e^{−β}; 3w + 8 nodes on
  // [0, w/2] resolve it far beyond the kernel's own accuracy.
  const { nodes, weights } = gaussLegendre(3 * kernel.width + 8);
  const q = nodes.length;
  const z = new Float64Array(q);
  const wq = new Float64Array(q);
  for (let i = 0; i < q; i++) {
    z[i] = (half * (nodes[i] + 1)) / 2;
    wq[i] = (half / 2) * weights[i] * 2 * esValue(kernel, z[i]);
  }
  const out = new Float64Array(xi.length);
  for (let k = 0; k < xi.length; k++) {
    let s = 0;
    for (let i = 0; i < q; i++) s += wq[i] * Math.cos(xi[k] * z[i]);
    out[k] = s;
  }
  return out;
}
