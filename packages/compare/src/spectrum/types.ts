import type { Grid } from '@freqbias/nn';

/**
 * The part of @freqbias/nn's {@link Grid} (THEORY.md §5.1) that spectra read: x_i = lower + i·h per
 * axis; in 2D the linear index of (i0, i1) is `i0 * n[1] + i1` (axis 0 slowest). A whole `Grid`
 * fits, and so does a plain object with these four fields.
 */
export type SpectrumGrid = Pick<Grid, 'dim' | 'n' | 'lower' | 'h'>;

/** @deprecated Use @freqbias/nn's `Grid` (or {@link SpectrumGrid}, the part of it spectra read). */
export type UniformGrid = SpectrumGrid;

/** Complex values as two parallel arrays, as functions accept them (plain arrays are fine). */
export interface ComplexLike {
  readonly re: ArrayLike<number>;
  readonly im: ArrayLike<number>;
}

/** Complex values stored as two parallel Float64Arrays, as functions return them. */
export interface ComplexArray extends ComplexLike {
  readonly re: Float64Array;
  readonly im: Float64Array;
}

/**
 * A spectrum on a tensor grid of frequencies. `frequencies[a]` is ascending along axis a; values are
 * stored with axis 0 slowest (2D index `k0 * L1 + k1`).
 */
export interface Spectrum extends ComplexArray {
  readonly dim: 1 | 2;
  readonly frequencies: readonly Float64Array[];
  /** Length L per axis (the padded FFT length). */
  readonly shape: readonly number[];
  /**
   * First grid point x_0 per axis. The sampled transform is periodic up to a phase:
   * û(ξ + 2π/h) = e^{−i 2π x_0/h} û(ξ); interpolation uses this to reach ξ = +π/h.
   */
  readonly origin: readonly number[];
}
