import type { ComplexArray, ComplexLike } from '../spectrum/types.js';

/**
 * Relative L2 norm of the complex difference over a band (THEORY.md §5.7):
 * ‖A − B‖/‖B‖ = √(Σ w|A−B|² / Σ w|B|²), with optional quadrature weights w (default 1).
 * Returns 0 when both are zero and Infinity when only B is.
 *
 * @example
 * relL2({ re: [1, 0], im: [0, 1] }, { re: [1, 0], im: [0, 2] }); // 0.4472 = 1/√5
 */
export function relL2(a: ComplexLike, b: ComplexLike, weights?: ArrayLike<number>): number {
  if (a.re.length !== b.re.length) throw new RangeError('relL2: arrays differ in length');
  let num = 0;
  let den = 0;
  for (let k = 0; k < a.re.length; k++) {
    const w = weights ? weights[k] : 1;
    const dr = a.re[k] - b.re[k];
    const di = a.im[k] - b.im[k];
    num += w * (dr * dr + di * di);
    den += w * (b.re[k] * b.re[k] + b.im[k] * b.im[k]);
  }
  if (den === 0) return num === 0 ? 0 : Number.POSITIVE_INFINITY;
  return Math.sqrt(num / den);
}

/**
 * Discrepancy between two trajectories A and B, in the shape `report.json` uses. Two normalisations:
 * `relL2` = ‖A(t) − B(t)‖ / ‖B(t)‖, against the reference's own norm at that time (which shrinks as
 * the error is learned, so it weighs late times up), and `relL2Initial` = ‖A(t) − B(t)‖ / ‖B(t₀)‖,
 * against the reference's norm at the first snapshot (the size of the error that is being learned).
 */
export interface Discrepancy {
  readonly perSnapshot: { readonly time: number; readonly relL2: number; readonly relL2Initial: number }[];
  /** max over snapshots of relL2. */
  readonly max: number;
  /** max over snapshots of relL2Initial. */
  readonly maxInitial: number;
  /** relL2 at the last snapshot. */
  readonly final: number;
  /** relL2Initial at the last snapshot. */
  readonly finalInitial: number;
}

/**
 * {@link relL2} of A against B at every snapshot, in both normalisations of {@link Discrepancy}.
 *
 * @example
 * discrepancy([0, 1], [nn0, nn1], [pde0, pde1]);
 * // { perSnapshot: [{ time: 0, relL2: 0, relL2Initial: 0 }, { time: 1, relL2: 0.08, relL2Initial: 0.02 }], max: 0.08, … }
 */
export function discrepancy(
  times: readonly number[],
  a: readonly ComplexLike[],
  b: readonly ComplexLike[],
  weights?: ArrayLike<number>,
): Discrepancy {
  if (a.length !== times.length || b.length !== times.length)
    throw new RangeError('discrepancy: times and snapshots differ in length');
  const initialNorm = b.length ? Math.sqrt(weightedNorm2(b[0], weights)) : 0;
  const perSnapshot = times.map((time, j) => {
    const difference = Math.sqrt(weightedNorm2(b[j], weights, a[j]));
    return {
      time,
      relL2: relL2(a[j], b[j], weights),
      relL2Initial:
        initialNorm > 0 ? difference / initialNorm : difference === 0 ? 0 : Number.POSITIVE_INFINITY,
    };
  });
  const last = perSnapshot.at(-1);
  return {
    perSnapshot,
    max: perSnapshot.reduce((m, s) => Math.max(m, s.relL2), 0),
    maxInitial: perSnapshot.reduce((m, s) => Math.max(m, s.relL2Initial), 0),
    final: last?.relL2 ?? 0,
    finalInitial: last?.relL2Initial ?? 0,
  };
}

/** Σ w |b − a|² (or Σ w |b|² without `a`). */
function weightedNorm2(b: ComplexLike, weights?: ArrayLike<number>, a?: ComplexLike): number {
  let s = 0;
  for (let k = 0; k < b.re.length; k++) {
    const dr = b.re[k] - (a ? a.re[k] : 0);
    const di = b.im[k] - (a ? a.im[k] : 0);
    s += (weights ? weights[k] : 1) * (dr * dr + di * di);
  }
  return s;
}

/**
 * Ensemble mean over seeds, snapshot by snapshot: `runs[s][j]` is seed s at snapshot j.
 *
 * @example
 * ensembleMean([[{ re: [1], im: [0] }], [{ re: [3], im: [2] }]]); // [{ re: [2], im: [1] }]
 */
export function ensembleMean(runs: readonly (readonly ComplexLike[])[]): ComplexArray[] {
  if (runs.length === 0) throw new RangeError('ensembleMean: no runs');
  const snapshots = runs[0].length;
  if (runs.some((r) => r.length !== snapshots))
    throw new RangeError('ensembleMean: runs differ in snapshot count');
  const out: ComplexArray[] = [];
  for (let j = 0; j < snapshots; j++) {
    const size = runs[0][j].re.length;
    const re = new Float64Array(size);
    const im = new Float64Array(size);
    for (const run of runs) {
      if (run[j].re.length !== size) throw new RangeError('ensembleMean: snapshot sizes differ');
      for (let k = 0; k < size; k++) {
        re[k] += run[j].re[k] / runs.length;
        im[k] += run[j].im[k] / runs.length;
      }
    }
    out.push({ re, im });
  }
  return out;
}
