/**
 * Nested-dissection ordering of a symmetric sparsity pattern (CSR, diagonal optional).
 * Each region is split at the median of a key — the longest coordinate of the nodes when
 * `coords` are given (geometric dissection: straight separators on meshes), else the BFS
 * distance from a pseudo-peripheral node — and the nodes of one side that touch the other side
 * become the separator, numbered after both halves. Fill is O(n log n) on 2D meshes.
 * Returns `perm` with `perm[new] = old`.
 *
 * @example
 * const perm = nestedDissection(A.n, A.rowPtr, A.colIdx, space.points, 2);
 */
export function nestedDissection(
  n: number,
  rowPtr: Int32Array,
  colIdx: Int32Array,
  coords?: Float64Array,
  dim = 1,
  leafSize = 24,
): Int32Array {
  const perm = new Int32Array(n);
  let filled = 0;
  const region = new Int32Array(n); // region id of each node; the current region's nodes share one
  let nextRegion = 1;
  const side = new Uint8Array(n);
  const key = new Float64Array(n);
  const dist = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  const scratch = new Float64Array(n);

  // Explicit stack of [nodes, region id, isSeparatorMarker]; separators are emitted after halves.
  type Task = { nodes: Int32Array; id: number } | { sep: Int32Array };
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  const stack: Task[] = [{ nodes: all, id: 0 }];

  const bfsKey = (nodes: Int32Array, id: number): void => {
    // Pseudo-peripheral start: repeat BFS from the farthest node a few times.
    let start = nodes[0];
    let ecc = -1;
    for (let round = 0; round < 4; round++) {
      for (let k = 0; k < nodes.length; k++) dist[nodes[k]] = -1;
      let head = 0;
      let tail = 0;
      queue[tail++] = start;
      dist[start] = 0;
      let last = start;
      while (head < tail) {
        const v = queue[head++];
        last = v;
        for (let p = rowPtr[v]; p < rowPtr[v + 1]; p++) {
          const u = colIdx[p];
          if (region[u] === id && dist[u] < 0) {
            dist[u] = dist[v] + 1;
            queue[tail++] = u;
          }
        }
      }
      // Nodes unreached (another component) get a key past the farthest level.
      for (let k = 0; k < nodes.length; k++) {
        const v = nodes[k];
        key[v] = dist[v] < 0 ? 1e9 : dist[v];
      }
      if (dist[last] <= ecc) break;
      ecc = dist[last];
      start = last;
    }
  };

  while (stack.length > 0) {
    const task = stack.pop()!;
    if ('sep' in task) {
      perm.set(task.sep, filled);
      filled += task.sep.length;
      continue;
    }
    const { nodes, id } = task;
    const m = nodes.length;
    if (m <= leafSize) {
      perm.set(nodes, filled);
      filled += m;
      continue;
    }
    if (coords) {
      let best = 0;
      let axis = 0;
      for (let k = 0; k < dim; k++) {
        let lo = Number.POSITIVE_INFINITY;
        let hi = Number.NEGATIVE_INFINITY;
        for (let t = 0; t < m; t++) {
          const x = coords[nodes[t] * dim + k];
          if (x < lo) lo = x;
          if (x > hi) hi = x;
        }
        if (hi - lo > best) {
          best = hi - lo;
          axis = k;
        }
      }
      for (let t = 0; t < m; t++) key[nodes[t]] = coords[nodes[t] * dim + axis];
    } else {
      bfsKey(nodes, id);
    }
    const keys = scratch.subarray(0, m);
    for (let t = 0; t < m; t++) keys[t] = key[nodes[t]];
    const median = select(keys, m >> 1);
    let nLeft = 0;
    for (let t = 0; t < m; t++) {
      const v = nodes[t];
      side[v] = key[v] < median ? 0 : 1;
      if (side[v] === 0) nLeft++;
    }
    if (nLeft === 0 || nLeft === m) {
      perm.set(nodes, filled); // cannot split (all keys equal): a dense leaf
      filled += m;
      continue;
    }
    // Boundary of each side; the smaller one becomes the separator.
    let b0 = 0;
    let b1 = 0;
    const onBoundary = new Uint8Array(m);
    for (let t = 0; t < m; t++) {
      const v = nodes[t];
      for (let p = rowPtr[v]; p < rowPtr[v + 1]; p++) {
        const u = colIdx[p];
        if (region[u] === id && side[u] !== side[v]) {
          onBoundary[t] = 1;
          if (side[v] === 0) b0++;
          else b1++;
          break;
        }
      }
    }
    const sepSide = b0 <= b1 ? 0 : 1;
    const sepCount = sepSide === 0 ? b0 : b1;
    const sep = new Int32Array(sepCount);
    const left = new Int32Array(nLeft - (sepSide === 0 ? sepCount : 0));
    const right = new Int32Array(m - nLeft - (sepSide === 1 ? sepCount : 0));
    let s = 0;
    let l = 0;
    let r = 0;
    const idL = nextRegion++;
    const idR = nextRegion++;
    for (let t = 0; t < m; t++) {
      const v = nodes[t];
      if (onBoundary[t] && side[v] === sepSide) {
        sep[s++] = v;
        region[v] = -1;
      } else if (side[v] === 0) {
        left[l++] = v;
        region[v] = idL;
      } else {
        right[r++] = v;
        region[v] = idR;
      }
    }
    stack.push({ sep });
    stack.push({ nodes: right, id: idR });
    stack.push({ nodes: left, id: idL });
  }
  return perm;
}

/**
 * The k-th smallest entry of `a` (as `a.sort()[k]` would give), in expected linear time;
 * reorders `a`. Keys here are finite.
 *
 * @example
 * select(Float64Array.of(3, 1, 2), 1); // 2
 */
export function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    // Median of three as pivot, Hoare partition.
    const mid = (lo + hi) >> 1;
    let x = a[lo];
    let y = a[mid];
    let z = a[hi];
    if (x > y) [x, y] = [y, x];
    if (y > z) [y, z] = [z, y];
    if (x > y) [x, y] = [y, x];
    const pivot = y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}
