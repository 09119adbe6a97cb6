import { type DirectedEdges, directedEdges } from './edges.js';
import type { Mesh } from './types.js';

/**
 * Throws unless the cells of a mesh (valid indices, every cell positively oriented) cover no
 * point twice and meet conformingly. 1D: sorted by their left ends, cells may only touch, and
 * only through a shared point. 2D: no two cells on the same side of one edge (duplicate
 * triangles, or an edge in more than two), boundary edges that neither cross nor touch except
 * at shared points (hanging nodes, duplicated points), and no boundary edge with cells just
 * outside it: the number of cells over a point is the winding number of the boundary edges
 * around it, so it is 1 everywhere inside exactly when the sum of the cell areas is the area
 * that the boundary encloses once.
 *
 * @example
 * checkCellsDisjoint({ dim: 1, points: new Float64Array([0, 1, 2]), cells: new Int32Array([0, 2, 1, 2]) }); // throws: cells 0 and 1 overlap
 */
export function checkCellsDisjoint(mesh: Mesh, name = 'mesh'): void {
  if (mesh.dim === 1) checkIntervals(mesh, name);
  else checkTriangles(mesh, name);
}

function checkIntervals(mesh: Mesh, name: string): void {
  const { points: x, cells } = mesh;
  const nc = cells.length / 2;
  let sorted = true;
  for (let c = 1; c < nc && sorted; c++) sorted = x[cells[2 * c]] >= x[cells[2 * c - 2]];
  const order = sorted
    ? null
    : Int32Array.from({ length: nc }, (_, c) => c).sort((a, b) => x[cells[2 * a]] - x[cells[2 * b]] || a - b);
  const at = (k: number): number => (order === null ? k : order[k]);
  let prev = at(0);
  for (let k = 1; k < nc; k++) {
    const c = at(k);
    const left = x[cells[2 * c]];
    const right = x[cells[2 * prev + 1]];
    const [p, q] = [Math.min(prev, c), Math.max(prev, c)];
    if (left < right) {
      const same =
        (cells[2 * p] === cells[2 * q] && cells[2 * p + 1] === cells[2 * q + 1]) ||
        (x[cells[2 * p]] === x[cells[2 * q]] && x[cells[2 * p + 1]] === x[cells[2 * q + 1]]);
      throw new Error(
        `${name}.cells: cells ${p} and ${q} ${same ? 'are the same interval' : 'overlap'} ([${x[cells[2 * p]]}, ${x[cells[2 * p + 1]]}] and [${x[cells[2 * q]]}, ${x[cells[2 * q + 1]]}])`,
      );
    }
    if (left === right && cells[2 * c] !== cells[2 * prev + 1])
      throw new Error(
        `${name}.cells: cells ${p} and ${q} meet at ξ = ${left} through different points (${cells[2 * prev + 1]} and ${cells[2 * c]}): a duplicated point disconnects the mesh`,
      );
    if (x[cells[2 * c + 1]] > right) prev = c;
  }
}

function checkTriangles(mesh: Mesh, name: string): void {
  const { points: P, cells } = mesh;
  const E = directedEdges(mesh);
  if (E.repeated[0] >= 0) {
    const [e, f] = E.repeated;
    const [c, d] = [(E.owner[e] / 3) | 0, (E.owner[f] / 3) | 0].sort((u, v) => u - v);
    const set = (t: number) => Array.from(cells.subarray(3 * t, 3 * t + 3)).sort((u, v) => u - v);
    throw new Error(
      set(c).join() === set(d).join()
        ? `${name}.cells: cells ${c} and ${d} have the same vertices (points ${set(c).join(', ')})`
        : `${name}.cells: cells ${c} and ${d} lie on the same side of the edge from point ${cells[E.owner[e]]} to point ${E.to[e]}: they overlap, or the edge is shared by more than two cells`,
    );
  }
  const boundary = boundaryEdges(mesh, E);
  checkBoundaryCrossings(P, boundary, name);
  checkWinding(P, boundary, name);
}

/** Boundary edges (no opposite edge) as a flat list of [from, to, cell]. */
function boundaryEdges(mesh: Mesh, E: DirectedEdges): Int32Array {
  let count = 0;
  for (let p = 0; p < E.to.length; p++) if (E.reverse[p] < 0) count++;
  const out = new Int32Array(3 * count);
  let q = 0;
  for (let p = 0; p < E.to.length; p++) {
    if (E.reverse[p] >= 0) continue;
    out[q++] = mesh.cells[E.owner[p]];
    out[q++] = E.to[p];
    out[q++] = (E.owner[p] / 3) | 0;
  }
  return out;
}

/**
 * Boundary edges binned into square buckets of side about their median length, stored sparsely:
 * one entry per (edge, bucket its bounding box meets), sorted by row-major key j·nx + i
 * (`row`) and by column-major key i·ny + j (`col`), so that the entries of any run of buckets
 * along a row or a column are one contiguous range found by binary search.
 */
interface EdgeBins {
  x0: number;
  y0: number;
  s: number;
  nx: number;
  ny: number;
  rowKey: Float64Array;
  rowEdge: Int32Array;
  colKey: Float64Array;
  colEdge: Int32Array;
}

function edgeBins(P: Float64Array, edges: Int32Array): EdgeBins {
  let x0 = Number.POSITIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < P.length; i += 2) {
    x0 = Math.min(x0, P[i]);
    x1 = Math.max(x1, P[i]);
    y0 = Math.min(y0, P[i + 1]);
    y1 = Math.max(y1, P[i + 1]);
  }
  const m = edges.length / 3;
  const lengths = new Float64Array(m);
  for (let e = 0; e < m; e++) {
    const a = edges[3 * e];
    const b = edges[3 * e + 1];
    lengths[e] = Math.hypot(P[2 * b] - P[2 * a], P[2 * b + 1] - P[2 * a + 1]);
  }
  const w = x1 - x0;
  const h = y1 - y0;
  // Median edge length, enlarged until the bucket counts fit and the entries stay O(edges).
  let s = Math.max(lengths.sort()[m >> 1], Math.max(w, h) / 2 ** 26);
  // Bucket range [r[0], r[1]] × [r[2], r[3]] of edge e's bounding box.
  let nx = 1;
  let ny = 1;
  const r = new Int32Array(4);
  const span = (e: number): void => {
    const a = edges[3 * e];
    const b = edges[3 * e + 1];
    r[0] = Math.min(nx - 1, Math.max(0, Math.floor((Math.min(P[2 * a], P[2 * b]) - x0) / s)));
    r[1] = Math.min(nx - 1, Math.max(0, Math.floor((Math.max(P[2 * a], P[2 * b]) - x0) / s)));
    r[2] = Math.min(ny - 1, Math.max(0, Math.floor((Math.min(P[2 * a + 1], P[2 * b + 1]) - y0) / s)));
    r[3] = Math.min(ny - 1, Math.max(0, Math.floor((Math.max(P[2 * a + 1], P[2 * b + 1]) - y0) / s)));
  };
  let count = 0;
  for (;;) {
    nx = Math.max(1, Math.ceil(w / s));
    ny = Math.max(1, Math.ceil(h / s));
    count = 0;
    for (let e = 0; e < m; e++) {
      span(e);
      count += (r[1] - r[0] + 1) * (r[3] - r[2] + 1);
    }
    if (count <= 16 * m + 1024) break;
    s *= 2;
  }
  const rowKey = new Float64Array(count);
  const colKey = new Float64Array(count);
  const edge = new Int32Array(count);
  let q = 0;
  for (let e = 0; e < m; e++) {
    span(e);
    for (let j = r[2]; j <= r[3]; j++) {
      for (let i = r[0]; i <= r[1]; i++) {
        rowKey[q] = j * nx + i;
        colKey[q] = i * ny + j;
        edge[q++] = e;
      }
    }
  }
  const [rk, re] = sortByKey(rowKey, edge);
  const [ck, ce] = sortByKey(colKey, edge);
  return { x0, y0, s, nx, ny, rowKey: rk, rowEdge: re, colKey: ck, colEdge: ce };
}

/** Keys sorted ascending with their edges (ties in entry order). */
function sortByKey(key: Float64Array, edge: Int32Array): [Float64Array, Int32Array] {
  const n = key.length;
  const order = new Int32Array(n);
  let top = 0;
  for (let p = 0; p < n; p++) top = Math.max(top, key[p]);
  if ((top + 1) * n < 2 ** 52) {
    // Pack (key, position) into one number: a numeric typed-array sort, no comparator.
    const packed = new Float64Array(n);
    for (let p = 0; p < n; p++) packed[p] = key[p] * n + p;
    packed.sort();
    for (let p = 0; p < n; p++) order[p] = packed[p] % n;
  } else {
    for (let p = 0; p < n; p++) order[p] = p;
    order.sort((a, b) => key[a] - key[b] || a - b);
  }
  const k = new Float64Array(n);
  const e = new Int32Array(n);
  for (let p = 0; p < n; p++) {
    k[p] = key[order[p]];
    e[p] = edge[order[p]];
  }
  return [k, e];
}

/** First position with key ≥ v. */
function lowerBound(key: Float64Array, v: number): number {
  let lo = 0;
  let hi = key.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (key[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const orient = (ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number =>
  (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);

/** Relative distance below which a point counts as lying on a segment. */
const TOUCH = 1e-10;

/** Whether point c lies on segment ab (within TOUCH of its length, ends included). */
function onSegment(P: Float64Array, a: number, b: number, c: number): boolean {
  const ax = P[2 * a];
  const ay = P[2 * a + 1];
  const dx = P[2 * b] - ax;
  const dy = P[2 * b + 1] - ay;
  const l2 = dx * dx + dy * dy;
  const o = orient(ax, ay, P[2 * b], P[2 * b + 1], P[2 * c], P[2 * c + 1]);
  if (Math.abs(o) > TOUCH * l2) return false;
  const t = ((P[2 * c] - ax) * dx + (P[2 * c + 1] - ay) * dy) / l2;
  return t >= -TOUCH && t <= 1 + TOUCH;
}

function checkBoundaryCrossings(P: Float64Array, edges: Int32Array, name: string): void {
  const { rowKey, rowEdge } = edgeBins(P, edges);
  const fail = (e: number, f: number, how: string): never => {
    const [c, d] = [edges[3 * e + 2], edges[3 * f + 2]].sort((u, v) => u - v);
    throw new Error(
      `${name}.cells: the boundary edges ${edges[3 * e]}→${edges[3 * e + 1]} (cell ${edges[3 * e + 2]}) and ${edges[3 * f]}→${edges[3 * f + 1]} (cell ${edges[3 * f + 2]}) ${how}: cells ${c} and ${d} overlap, or the mesh has a hanging node or duplicated points`,
    );
  };
  // Every pair of edges sharing a bucket (a run of equal keys).
  for (let lo = 0, hi = 0; lo < rowKey.length; lo = hi) {
    while (hi < rowKey.length && rowKey[hi] === rowKey[lo]) hi++;
    for (let p = lo; p < hi; p++) {
      for (let q = p + 1; q < hi; q++) {
        const e = rowEdge[p];
        const f = rowEdge[q];
        const a = edges[3 * e];
        const b = edges[3 * e + 1];
        const c = edges[3 * f];
        const d = edges[3 * f + 1];
        const shared = a === c || a === d ? a : b === c || b === d ? b : -1;
        if (shared >= 0) {
          // Consecutive boundary edges: they must not fold back along each other.
          const u = shared === a ? b : a;
          const v = shared === c ? d : c;
          if (onSegment(P, shared, u, v) || onSegment(P, shared, v, u)) fail(e, f, 'overlap');
          continue;
        }
        if (onSegment(P, a, b, c) || onSegment(P, a, b, d) || onSegment(P, c, d, a) || onSegment(P, c, d, b))
          fail(e, f, 'touch away from a shared point');
        const o1 = orient(P[2 * a], P[2 * a + 1], P[2 * b], P[2 * b + 1], P[2 * c], P[2 * c + 1]);
        const o2 = orient(P[2 * a], P[2 * a + 1], P[2 * b], P[2 * b + 1], P[2 * d], P[2 * d + 1]);
        const o3 = orient(P[2 * c], P[2 * c + 1], P[2 * d], P[2 * d + 1], P[2 * a], P[2 * a + 1]);
        const o4 = orient(P[2 * c], P[2 * c + 1], P[2 * d], P[2 * d + 1], P[2 * b], P[2 * b + 1]);
        if (o1 * o2 < 0 && o3 * o4 < 0) fail(e, f, 'cross');
      }
    }
  }
}

/**
 * For every boundary edge, the winding number of all boundary edges at a point just outside its
 * midpoint (on its right: cells lie on the left of their counter-clockwise edges) must be 0.
 * Counted along an axis ray into the right half-plane, through the buckets of its row or column
 * (the direction with the fewest entries), in coordinates rotated so the ray points along +x.
 */
function checkWinding(P: Float64Array, edges: Int32Array, name: string): void {
  const B = edgeBins(P, edges);
  const m = edges.length / 3;
  const stamp = new Int32Array(m).fill(-1);
  // Ray directions +x, +y, −x, −y as rotations (c, s) taking them to +x: x' = c u + s v, y' = c v − s u.
  const COS = [1, 0, -1, 0];
  const SIN = [0, 1, 0, -1];
  for (let e = 0; e < m; e++) {
    const a = edges[3 * e];
    const b = edges[3 * e + 1];
    const mx = 0.5 * (P[2 * a] + P[2 * b]);
    const my = 0.5 * (P[2 * a + 1] + P[2 * b + 1]);
    const rx = P[2 * b + 1] - P[2 * a + 1]; // right normal (dy, −dx)
    const ry = P[2 * a] - P[2 * b];
    const bi = Math.min(B.nx - 1, Math.max(0, Math.floor((mx - B.x0) / B.s)));
    const bj = Math.min(B.ny - 1, Math.max(0, Math.floor((my - B.y0) / B.s)));
    let dir = -1;
    let from = 0;
    let to = 0;
    for (let k = 0; k < 4; k++) {
      if (COS[k] * rx + SIN[k] * ry <= 0) continue;
      const row = k % 2 === 0;
      const keys = row ? B.rowKey : B.colKey;
      const base = row ? bj * B.nx : bi * B.ny;
      const at = row ? bi : bj;
      const last = row ? B.nx - 1 : B.ny - 1;
      const lo = lowerBound(keys, base + (k < 2 ? at : 0));
      const hi = lowerBound(keys, base + (k < 2 ? last : at) + 1);
      if (dir < 0 || hi - lo < to - from) {
        dir = k;
        from = lo;
        to = hi;
      }
    }
    const c = COS[dir];
    const s = SIN[dir];
    const list = dir % 2 === 0 ? B.rowEdge : B.colEdge;
    let w = 0;
    for (let p = from; p < to; p++) {
      const f = list[p];
      if (f === e || stamp[f] === e) continue;
      stamp[f] = e;
      const u0 = P[2 * edges[3 * f]] - mx;
      const v0 = P[2 * edges[3 * f] + 1] - my;
      const u1 = P[2 * edges[3 * f + 1]] - mx;
      const v1 = P[2 * edges[3 * f + 1] + 1] - my;
      const ax = c * u0 + s * v0;
      const ay = c * v0 - s * u0;
      const bx = c * u1 + s * v1;
      const by = c * v1 - s * u1;
      const o = ax * by - ay * bx; // orient(a, b, origin)
      if (ay <= 0) {
        if (by > 0 && o > 0) w++;
      } else if (by <= 0 && o < 0) w--;
    }
    if (w !== 0)
      throw new Error(
        `${name}.cells: cell ${edges[3 * e + 2]} overlaps other cells (${w === 1 ? '1 cell lies' : `${w} cells lie`} just outside its boundary edge from point ${a} to point ${b}; the cell areas add up to more than the area the boundary encloses)`,
      );
  }
}
