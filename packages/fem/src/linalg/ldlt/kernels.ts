/**
 * The inner loops of the LDLᵀ factorisation and solves over one column of L: `len` entries whose
 * rows are Li[ri + t] and values Lx[xi + t]. For a column on its own ri = xi = Lp[j]; for a column
 * c of a supernode ending at l the rows are those of column l − 1 (ri = Lp[l − 1]) and the values
 * start after the diagonal block (xi = Lp[c] + l − 1 − c). The rows of a column are distinct, so
 * the updates of a scatter are independent and can be unrolled four ways.
 */

/**
 * y[Li[ri + t]] −= Lx[xi + t] · a for t < len.
 *
 * @example
 * scatter(y, Li, Lx, Lp[j], Lp[j], Lp[j + 1] - Lp[j], y[j]); // eliminate column j of L from y
 */
export function scatter(
  y: Float64Array,
  Li: Int32Array,
  Lx: Float64Array,
  ri: number,
  xi: number,
  len: number,
  a: number,
): void {
  let t = 0;
  for (; t + 3 < len; t += 4) {
    const i0 = Li[ri + t];
    const i1 = Li[ri + t + 1];
    const i2 = Li[ri + t + 2];
    const i3 = Li[ri + t + 3];
    y[i0] -= Lx[xi + t] * a;
    y[i1] -= Lx[xi + t + 1] * a;
    y[i2] -= Lx[xi + t + 2] * a;
    y[i3] -= Lx[xi + t + 3] * a;
  }
  for (; t < len; t++) y[Li[ri + t]] -= Lx[xi + t] * a;
}

/**
 * s − Σ_{t < len} Lx[xi + t] · y[Li[ri + t]], in four partial sums (the first starting at s).
 *
 * @example
 * y[j] = gather(y, Li, Lx, Lp[j], Lp[j], Lp[j + 1] - Lp[j], y[j]); // row j of Lᵀ x = z
 */
export function gather(
  y: Float64Array,
  Li: Int32Array,
  Lx: Float64Array,
  ri: number,
  xi: number,
  len: number,
  s: number,
): number {
  let s0 = s;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let t = 0;
  for (; t + 3 < len; t += 4) {
    s0 -= Lx[xi + t] * y[Li[ri + t]];
    s1 -= Lx[xi + t + 1] * y[Li[ri + t + 1]];
    s2 -= Lx[xi + t + 2] * y[Li[ri + t + 2]];
    s3 -= Lx[xi + t + 3] * y[Li[ri + t + 3]];
  }
  for (; t < len; t++) s0 -= Lx[xi + t] * y[Li[ri + t]];
  return s0 + s1 + (s2 + s3);
}

/**
 * {@link scatter} for two right-hand sides interleaved in y (`y[2 i + r]`): y[2 Li[ri + t] + r]
 * −= Lx[xi + t] · (a, b)[r], two rows per pass.
 *
 * @example
 * scatter2(y, Li, Lx, Lp[j], Lp[j], Lp[j + 1] - Lp[j], y[2 * j], y[2 * j + 1]);
 */
export function scatter2(
  y: Float64Array,
  Li: Int32Array,
  Lx: Float64Array,
  ri: number,
  xi: number,
  len: number,
  a: number,
  b: number,
): void {
  let t = 0;
  for (; t + 1 < len; t += 2) {
    const i0 = 2 * Li[ri + t];
    const i1 = 2 * Li[ri + t + 1];
    const l0 = Lx[xi + t];
    const l1 = Lx[xi + t + 1];
    y[i0] -= l0 * a;
    y[i0 + 1] -= l0 * b;
    y[i1] -= l1 * a;
    y[i1 + 1] -= l1 * b;
  }
  if (t < len) {
    const i = 2 * Li[ri + t];
    y[i] -= Lx[xi + t] * a;
    y[i + 1] -= Lx[xi + t] * b;
  }
}
