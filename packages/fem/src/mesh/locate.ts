import type { Mesh } from './types.js';

/** Finds the cell containing a point and its reference coordinates. */
export interface Locator {
  /** Cell index containing `x` (with reference coordinates written to `X`), or −1 if outside. */
  locate(x: ArrayLike<number>, X: Float64Array): number;
}

/**
 * A bucket grid over the cells' bounding boxes: O(1) expected lookups on quasi-uniform meshes.
 *
 * @example
 * const L = cellLocator(intervalMesh(0, 1, 10));
 * L.locate([0.35], new Float64Array(1)); // 3, with X = [0.5]
 */
export function cellLocator(mesh: Mesh): Locator {
  const { dim, points: P, cells } = mesh;
  const nv = dim + 1;
  const nc = cells.length / nv;
  const lo = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
  const hi = [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY];
  for (let i = 0; i < P.length; i++) {
    const k = i % dim;
    if (P[i] < lo[k]) lo[k] = P[i];
    if (P[i] > hi[k]) hi[k] = P[i];
  }
  const per = dim === 1 ? nc : Math.max(1, Math.round(Math.sqrt(nc / 2)));
  const nb = [per, dim === 2 ? per : 1];
  const size = [0, 1].map((k) => (k < dim ? (hi[k] - lo[k]) / nb[k] || 1 : 1));
  const bucketOf = (x: number, k: number): number =>
    Math.min(nb[k] - 1, Math.max(0, Math.floor((x - lo[k]) / size[k])));
  // Bucket ranges of each cell's bounding box: [i0, i1, j0, j1] at 4c.
  const ranges = new Int32Array(4 * nc);
  const count = new Int32Array(nb[0] * nb[1] + 1);
  for (let c = 0; c < nc; c++) {
    const r = 4 * c;
    for (let k = 0; k < dim; k++) {
      let a = Number.POSITIVE_INFINITY;
      let b = Number.NEGATIVE_INFINITY;
      for (let v = 0; v < nv; v++) {
        const x = P[cells[nv * c + v] * dim + k];
        a = Math.min(a, x);
        b = Math.max(b, x);
      }
      ranges[r + 2 * k] = bucketOf(a, k);
      ranges[r + 2 * k + 1] = bucketOf(b, k);
    }
    for (let j = ranges[r + 2]; j <= ranges[r + 3]; j++)
      for (let i = ranges[r]; i <= ranges[r + 1]; i++) count[j * nb[0] + i + 1]++;
  }
  for (let b = 0; b < nb[0] * nb[1]; b++) count[b + 1] += count[b];
  const fill = count.slice();
  const list = new Int32Array(count[nb[0] * nb[1]]);
  for (let c = 0; c < nc; c++) {
    const r = 4 * c;
    for (let j = ranges[r + 2]; j <= ranges[r + 3]; j++)
      for (let i = ranges[r]; i <= ranges[r + 1]; i++) list[fill[j * nb[0] + i]++] = c;
  }
  const eps = 1e-10;
  return {
    locate(x, X) {
      for (let k = 0; k < dim; k++) {
        const tol = eps * (hi[k] - lo[k]);
        if (!(x[k] >= lo[k] - tol && x[k] <= hi[k] + tol)) return -1;
      }
      const b = bucketOf(x[0], 0) + (dim === 2 ? bucketOf(x[1], 1) * nb[0] : 0);
      for (let p = count[b]; p < count[b + 1]; p++) {
        const c = list[p];
        if (dim === 1) {
          const a = P[cells[2 * c]];
          const s = (x[0] - a) / (P[cells[2 * c + 1]] - a);
          if (s >= -eps && s <= 1 + eps) {
            X[0] = Math.min(1, Math.max(0, s));
            return c;
          }
        } else {
          const p0 = cells[3 * c];
          const x0 = P[2 * p0];
          const y0 = P[2 * p0 + 1];
          const a = P[2 * cells[3 * c + 1]] - x0;
          const bb = P[2 * cells[3 * c + 2]] - x0;
          const d = P[2 * cells[3 * c + 1] + 1] - y0;
          const e = P[2 * cells[3 * c + 2] + 1] - y0;
          const det = a * e - bb * d;
          const dx = x[0] - x0;
          const dy = x[1] - y0;
          const s = (e * dx - bb * dy) / det;
          const t = (a * dy - d * dx) / det;
          if (s >= -eps && t >= -eps && s + t <= 1 + eps) {
            X[0] = s;
            X[1] = t;
            return c;
          }
        }
      }
      return -1;
    },
  };
}
