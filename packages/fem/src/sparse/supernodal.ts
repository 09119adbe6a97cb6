import type { Csr } from './csr.js';
import type { LdlFactor, LdlSymbolic } from './ldlt.js';

/** Row structure of the supernodes (shared off-diagonal rows), derived once per analysis. */
interface SupernodeRows {
  readonly pinv: Int32Array;
  /** Supernode of each column. */
  readonly supOf: Int32Array;
  /** Rows of supernode s: `rows[rowPtr[s] .. rowPtr[s + 1])`, ascending, all past its last column. */
  readonly rowPtr: Int32Array;
  readonly rows: Int32Array;
  /** Largest (columns × rows) dense block and largest row count. */
  readonly maxBlock: number;
  readonly maxRows: number;
}

const cache = new WeakMap<LdlSymbolic, SupernodeRows>();

function supernodeRows(S: LdlSymbolic, A: Csr): SupernodeRows {
  const hit = cache.get(S);
  if (hit) return hit;
  const { n, perm, Lp } = S;
  const sup = S.super;
  const ns = sup.length - 1;
  const pinv = new Int32Array(n);
  for (let k = 0; k < n; k++) pinv[perm[k]] = k;
  const supOf = new Int32Array(n);
  const rowPtr = new Int32Array(ns + 1);
  for (let s = 0; s < ns; s++) {
    for (let j = sup[s]; j < sup[s + 1]; j++) supOf[j] = s;
    rowPtr[s + 1] = rowPtr[s] + (Lp[sup[s + 1]] - Lp[sup[s + 1] - 1]);
  }
  const rows = new Int32Array(rowPtr[ns]);
  // Children lists: supernode K is a child of J when its first row lies in J.
  const childHead = new Int32Array(ns).fill(-1);
  const childNext = new Int32Array(ns);
  const mark = new Int32Array(n).fill(-1);
  const { rowPtr: Ap, colIdx: Ai } = A;
  let maxBlock = 0;
  let maxRows = 0;
  for (let s = 0; s < ns; s++) {
    const f = sup[s];
    const l = sup[s + 1];
    let m = rowPtr[s];
    for (let j = f; j < l; j++) {
      const jj = perm[j];
      for (let p = Ap[jj]; p < Ap[jj + 1]; p++) {
        const i = pinv[Ai[p]];
        if (i >= l && mark[i] !== s) {
          mark[i] = s;
          rows[m++] = i;
        }
      }
    }
    for (let k = childHead[s]; k >= 0; k = childNext[k]) {
      for (let p = rowPtr[k]; p < rowPtr[k + 1]; p++) {
        const i = rows[p];
        if (i >= l && mark[i] !== s) {
          mark[i] = s;
          rows[m++] = i;
        }
      }
    }
    if (m !== rowPtr[s + 1]) throw new Error('ldlNumericSupernodal: inconsistent symbolic analysis');
    const r = rows.subarray(rowPtr[s], m);
    r.sort();
    if (r.length > 0) {
      const parent = supOf[r[0]];
      childNext[s] = childHead[parent];
      childHead[parent] = s;
    }
    const nr = l - f + r.length;
    if (nr > maxRows) maxRows = nr;
    if (nr * (l - f) > maxBlock) maxBlock = nr * (l - f);
  }
  const out = { pinv, supOf, rowPtr, rows, maxBlock, maxRows };
  cache.set(S, out);
  return out;
}

/**
 * Numeric LDLᵀ by supernodes (left-looking): each supernode is assembled into a dense block,
 * updated by its descendants with dense products (one indexed scatter per update entry, not per
 * flop) and factorised densely. Same layout, values and pivot checks as the row-by-row
 * {@link ldlNumeric}; pays off when most flops sit in wide supernodes (2D meshes).
 *
 * @example
 * const F = ldlNumericSupernodal(ldlSymbolic(A, space.points, 2), A);
 */
export function ldlNumericSupernodal(S: LdlSymbolic, A: Csr): LdlFactor {
  const { n, perm, Lp } = S;
  const sup = S.super;
  const ns = sup.length - 1;
  const { pinv, supOf, rowPtr: Rp, rows: Ri, maxBlock, maxRows } = supernodeRows(S, A);
  const { rowPtr: Ap, colIdx: Ai, values: Av } = A;
  const Li = new Int32Array(S.nnz);
  const Lx = new Float64Array(S.nnz);
  const D = new Float64Array(n);
  const W = new Float64Array(maxBlock);
  const relpos = new Int32Array(n);
  const rel = new Int32Array(maxRows);
  const tmp = new Float64Array(maxRows);
  const tmp2 = new Float64Array(maxRows);
  const head = new Int32Array(ns).fill(-1);
  const next = new Int32Array(ns);
  const pos = new Int32Array(ns); // next unprocessed row (index into Ri) of each finished supernode
  for (let J = 0; J < ns; J++) {
    const f = sup[J];
    const l = sup[J + 1];
    const w = l - f;
    const r0 = Rp[J];
    const nr = w + Rp[J + 1] - r0;
    for (let i = 0; i < w; i++) relpos[f + i] = i;
    for (let t = r0; t < Rp[J + 1]; t++) relpos[Ri[t]] = w + t - r0;
    W.fill(0, 0, nr * w);
    // A's lower entries of the supernode's columns.
    for (let j = f; j < l; j++) {
      const jj = perm[j];
      const col = (j - f) * nr;
      for (let p = Ap[jj], e = Ap[jj + 1]; p < e; p++) {
        const i = pinv[Ai[p]];
        if (i >= j) W[col + relpos[i]] += Av[p];
      }
    }
    // Updates from descendants K whose next rows fall in f..l−1.
    let K = head[J];
    while (K >= 0) {
      const nextK = next[K];
      const fK = sup[K];
      const lK = sup[K + 1];
      const rK = Rp[K];
      const eK = Rp[K + 1];
      const a = rK + pos[K];
      let b = a;
      while (b < eK && Ri[b] < l) b++;
      const m = eK - a;
      for (let t = 0; t < m; t++) rel[t] = relpos[Ri[a + t]];
      const base = lK - 1 - rK; // column c's value of row Ri[q] is at Lx[Lp[c] + (lK - 1 - c) + q - rK]
      const nb = b - a;
      let ja = 0;
      for (; ja + 1 < nb; ja += 2) {
        // Two target columns at once, four source columns per pass (register blocking).
        tmp.fill(0, ja, m);
        tmp2.fill(0, ja, m);
        let c = fK;
        for (; c + 3 < lK; c += 4) {
          const o0 = Lp[c] + base - c + a;
          const o1 = Lp[c + 1] + base - c - 1 + a;
          const o2 = Lp[c + 2] + base - c - 2 + a;
          const o3 = Lp[c + 3] + base - c - 3 + a;
          const s0 = D[c] * Lx[o0 + ja];
          const s1 = D[c + 1] * Lx[o1 + ja];
          const s2 = D[c + 2] * Lx[o2 + ja];
          const s3 = D[c + 3] * Lx[o3 + ja];
          const u0 = D[c] * Lx[o0 + ja + 1];
          const u1 = D[c + 1] * Lx[o1 + ja + 1];
          const u2 = D[c + 2] * Lx[o2 + ja + 1];
          const u3 = D[c + 3] * Lx[o3 + ja + 1];
          tmp[ja] += Lx[o0 + ja] * s0 + Lx[o1 + ja] * s1 + (Lx[o2 + ja] * s2 + Lx[o3 + ja] * s3);
          for (let t = ja + 1; t < m; t++) {
            const x0 = Lx[o0 + t];
            const x1 = Lx[o1 + t];
            const x2 = Lx[o2 + t];
            const x3 = Lx[o3 + t];
            tmp[t] += x0 * s0 + x1 * s1 + (x2 * s2 + x3 * s3);
            tmp2[t] += x0 * u0 + x1 * u1 + (x2 * u2 + x3 * u3);
          }
        }
        for (; c < lK; c++) {
          const o = Lp[c] + base - c + a;
          const s0 = D[c] * Lx[o + ja];
          const u0 = D[c] * Lx[o + ja + 1];
          tmp[ja] += Lx[o + ja] * s0;
          for (let t = ja + 1; t < m; t++) {
            const x = Lx[o + t];
            tmp[t] += x * s0;
            tmp2[t] += x * u0;
          }
        }
        const col = rel[ja] * nr;
        for (let t = ja; t < m; t++) W[col + rel[t]] -= tmp[t];
        const col2 = rel[ja + 1] * nr;
        for (let t = ja + 1; t < m; t++) W[col2 + rel[t]] -= tmp2[t];
      }
      if (ja < nb) {
        tmp.fill(0, ja, m);
        let c = fK;
        for (; c + 3 < lK; c += 4) {
          const o0 = Lp[c] + base - c + a;
          const o1 = Lp[c + 1] + base - c - 1 + a;
          const o2 = Lp[c + 2] + base - c - 2 + a;
          const o3 = Lp[c + 3] + base - c - 3 + a;
          const s0 = D[c] * Lx[o0 + ja];
          const s1 = D[c + 1] * Lx[o1 + ja];
          const s2 = D[c + 2] * Lx[o2 + ja];
          const s3 = D[c + 3] * Lx[o3 + ja];
          for (let t = ja; t < m; t++)
            tmp[t] += Lx[o0 + t] * s0 + Lx[o1 + t] * s1 + (Lx[o2 + t] * s2 + Lx[o3 + t] * s3);
        }
        for (; c < lK; c++) {
          const o = Lp[c] + base - c + a;
          const s0 = D[c] * Lx[o + ja];
          for (let t = ja; t < m; t++) tmp[t] += Lx[o + t] * s0;
        }
        const col = rel[ja] * nr;
        for (let t = ja; t < m; t++) W[col + rel[t]] -= tmp[t];
      }
      pos[K] = b - rK;
      if (b < eK) {
        const T = supOf[Ri[b]];
        next[K] = head[T];
        head[T] = K;
      }
      K = nextK;
    }
    // Dense LDLᵀ of the block (columns 0..w−1, rows ≥ column).
    denseLdl(W, nr, w, D, f);
    // Out to the column layout: column c holds rows c+1..l−1, then the shared rows.
    for (let c = 0; c < w; c++) {
      let p = Lp[f + c];
      const col = c * nr;
      for (let i = c + 1; i < w; i++, p++) {
        Li[p] = f + i;
        Lx[p] = W[col + i];
      }
      for (let t = r0; t < Rp[J + 1]; t++, p++) {
        Li[p] = Ri[t];
        Lx[p] = W[col + w + t - r0];
      }
    }
    if (Rp[J + 1] > r0) {
      pos[J] = 0;
      const T = supOf[Ri[r0]];
      next[J] = head[T];
      head[T] = J;
    }
  }
  return { symbolic: S, Li, Lx, D };
}

/**
 * Dense LDLᵀ in place of the `nr × w` column-major block W (rows ≥ column used): panels of four
 * columns, the trailing columns updated two at a time from a whole panel (register blocking).
 * Pivots go to D[f + c]; below-diagonal entries become L.
 */
function denseLdl(W: Float64Array, nr: number, w: number, D: Float64Array, f: number): void {
  for (let c = 0; c < w; c += 4) {
    const pe = Math.min(c + 4, w);
    for (let k = c; k < pe; k++) {
      const col = k * nr;
      const d = W[col + k];
      if (!(Math.abs(d) > 0) || !Number.isFinite(d))
        throw new Error(`ldlNumeric: zero or non-finite pivot at step ${f + k}: the matrix is singular`);
      D[f + k] = d;
      for (let i = k + 1; i < nr; i++) W[col + i] /= d;
      for (let k2 = k + 1; k2 < pe; k2++) {
        const s = W[col + k2] * d;
        if (s === 0) continue;
        const col2 = k2 * nr;
        for (let i = k2; i < nr; i++) W[col2 + i] -= W[col + i] * s;
      }
    }
    if (pe - c < 4 || pe >= w) continue;
    const o0 = c * nr;
    const o1 = o0 + nr;
    const o2 = o1 + nr;
    const o3 = o2 + nr;
    const d0 = D[f + c];
    const d1 = D[f + c + 1];
    const d2 = D[f + c + 2];
    const d3 = D[f + c + 3];
    let c2 = pe;
    for (; c2 + 1 < w; c2 += 2) {
      const s0 = W[o0 + c2] * d0;
      const s1 = W[o1 + c2] * d1;
      const s2 = W[o2 + c2] * d2;
      const s3 = W[o3 + c2] * d3;
      const u0 = W[o0 + c2 + 1] * d0;
      const u1 = W[o1 + c2 + 1] * d1;
      const u2 = W[o2 + c2 + 1] * d2;
      const u3 = W[o3 + c2 + 1] * d3;
      const col2 = c2 * nr;
      const col3 = col2 + nr;
      W[col2 + c2] -= W[o0 + c2] * s0 + W[o1 + c2] * s1 + (W[o2 + c2] * s2 + W[o3 + c2] * s3);
      for (let i = c2 + 1; i < nr; i++) {
        const x0 = W[o0 + i];
        const x1 = W[o1 + i];
        const x2 = W[o2 + i];
        const x3 = W[o3 + i];
        W[col2 + i] -= x0 * s0 + x1 * s1 + (x2 * s2 + x3 * s3);
        W[col3 + i] -= x0 * u0 + x1 * u1 + (x2 * u2 + x3 * u3);
      }
    }
    if (c2 < w) {
      const s0 = W[o0 + c2] * d0;
      const s1 = W[o1 + c2] * d1;
      const s2 = W[o2 + c2] * d2;
      const s3 = W[o3 + c2] * d3;
      const col2 = c2 * nr;
      for (let i = c2; i < nr; i++)
        W[col2 + i] -= W[o0 + i] * s0 + W[o1 + i] * s1 + (W[o2 + i] * s2 + W[o3 + i] * s3);
    }
  }
}
