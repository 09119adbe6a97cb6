import FFT from 'fft.js';

/** Sign of the exponent in e^{±ikθ}. */
export type FftSign = 1 | -1;

/**
 * The one wrapper of fft.js in nn (the NUFFT's fine grid, the kernel's Toeplitz products):
 * complex FFTs of a grid of powers of two, 1D or 2D row-major, interleaved (re, im).
 * sign −1 computes Σ_l u_l e^{−2πikl/M}; sign +1 computes (Π M)^{−1} Σ_l u_l e^{+2πikl/M} (fft.js's
 * normalised inverse; callers fold Π M into their deconvolution factors). In 2D only the listed
 * columns are transformed: the others are either zero (input side) or not read (output side).
 */
export class GridFft {
  private readonly rowFft: FFT;
  private readonly colFft: FFT | undefined;
  private readonly rowViews: Float64Array[] = [];
  private readonly scratch: Float64Array;
  private readonly colIn: Float64Array;
  private readonly colOut: Float64Array;
  private boundTo: Float64Array | undefined;

  constructor(readonly fine: readonly number[]) {
    const rowLength = fine[fine.length - 1];
    this.rowFft = new FFT(rowLength);
    this.colFft = fine.length === 2 ? new FFT(fine[0]) : undefined;
    this.scratch = new Float64Array(2 * rowLength);
    this.colIn = new Float64Array(2 * fine[0]);
    this.colOut = new Float64Array(2 * fine[0]);
  }

  /**
   * Transforms buf in place. columnsFirst: in 2D, transform the listed columns before all rows
   * (type 2, whose input is zero outside those columns); otherwise rows first (type 1).
   */
  transform(buf: Float64Array, sign: FftSign, columns: Int32Array, columnsFirst: boolean): void {
    if (this.fine.length === 1) {
      this.line(this.rowFft, buf, this.scratch, sign);
      return;
    }
    this.bind(buf);
    if (columnsFirst) this.columns(buf, sign, columns);
    for (const row of this.rowViews) this.line(this.rowFft, row, this.scratch, sign);
    if (!columnsFirst) this.columns(buf, sign, columns);
  }

  private bind(buf: Float64Array): void {
    if (this.boundTo === buf) return;
    this.boundTo = buf;
    this.rowViews.length = 0;
    const len = 2 * this.fine[1];
    for (let r = 0; r < this.fine[0]; r++) this.rowViews.push(buf.subarray(r * len, (r + 1) * len));
  }

  private columns(buf: Float64Array, sign: FftSign, columns: Int32Array): void {
    const rows = this.fine[0];
    const stride = 2 * this.fine[1];
    const colIn = this.colIn;
    const colOut = this.colOut;
    for (let c = 0; c < columns.length; c++) {
      const off = 2 * columns[c];
      for (let r = 0; r < rows; r++) {
        colIn[2 * r] = buf[off + r * stride];
        colIn[2 * r + 1] = buf[off + r * stride + 1];
      }
      if (sign < 0) this.colFft!.transform(colOut, colIn);
      else this.colFft!.inverseTransform(colOut, colIn);
      for (let r = 0; r < rows; r++) {
        buf[off + r * stride] = colOut[2 * r];
        buf[off + r * stride + 1] = colOut[2 * r + 1];
      }
    }
  }

  private line(fft: FFT, data: Float64Array, scratch: Float64Array, sign: FftSign): void {
    if (sign < 0) fft.transform(scratch, data);
    else fft.inverseTransform(scratch, data);
    data.set(scratch);
  }
}
