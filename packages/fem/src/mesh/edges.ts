import { int32Array } from '../guards/alloc.js';
import type { Mesh } from './types.js';

/**
 * The directed edges of a triangle mesh, grouped by start vertex (CSR). Local edge k of cell c
 * runs from its vertex k to vertex (k + 1) mod 3 — edges 0–1, 1–2, 2–0, the order of P2's edge
 * dofs. In a conforming, counter-clockwise mesh every interior edge appears once in each
 * direction and a boundary edge once.
 */
export interface DirectedEdges {
  /** Edges start[a] .. start[a + 1] − 1 leave vertex a, sorted by end vertex. */
  readonly start: Int32Array;
  /** End vertex of each edge. */
  readonly to: Int32Array;
  /** `3c + k` of the cell edge each edge comes from. */
  readonly owner: Int32Array;
  /** Position of local edge k of cell c: `at[3c + k]`. */
  readonly at: Int32Array;
  /** Position of the opposite edge b→a, or −1 (a boundary edge). */
  readonly reverse: Int32Array;
  /**
   * Positions of two edges with the same start and end (two cells on the same side of one
   * edge), or [−1, −1]; `reverse` is only meaningful when there is none.
   */
  readonly repeated: readonly [number, number];
}

/**
 * Builds the directed edges of a 2D mesh with valid vertex indices, in O(cells) typed arrays.
 *
 * @example
 * const E = directedEdges(rectangleMesh([0, 0], [1, 1], [1, 1]));
 * Array.from(E.reverse).filter((r) => r < 0).length; // 4 boundary edges
 */
export function directedEdges(mesh: Mesh): DirectedEdges {
  const { points, cells } = mesh;
  const np = points.length / 2;
  const m = cells.length;
  const start = int32Array(np + 1, 'mesh edges');
  for (let i = 0; i < m; i++) start[cells[i] + 1]++;
  for (let a = 0; a < np; a++) start[a + 1] += start[a];
  const fill = start.slice(0, np);
  const to = int32Array(m, 'mesh edges');
  const owner = int32Array(m, 'mesh edges');
  for (let i = 0; i < m; i++) {
    const c = (i / 3) | 0;
    const k = i - 3 * c;
    const a = cells[i];
    const b = cells[3 * c + ((k + 1) % 3)];
    const p = fill[a]++;
    to[p] = b;
    owner[p] = i;
  }
  let repeated: [number, number] = [-1, -1];
  for (let a = 0; a < np; a++) {
    sortRun(to, owner, start[a], start[a + 1]);
    for (let p = start[a] + 1; p < start[a + 1]; p++) {
      if (to[p] === to[p - 1] && repeated[0] < 0) repeated = [p - 1, p];
    }
  }
  const at = int32Array(m, 'mesh edges');
  for (let p = 0; p < m; p++) at[owner[p]] = p;
  const reverse = int32Array(m, 'mesh edges');
  for (let a = 0; a < np; a++) {
    for (let p = start[a]; p < start[a + 1]; p++) reverse[p] = find(to, start[to[p]], start[to[p] + 1], a);
  }
  return { start, to, owner, at, reverse, repeated };
}

/** Sorts to[lo..hi) ascending, moving owner along (insertion sort: runs are vertex degrees). */
function sortRun(to: Int32Array, owner: Int32Array, lo: number, hi: number): void {
  if (hi - lo > 32) {
    const idx = Array.from({ length: hi - lo }, (_, i) => lo + i).sort((x, y) => to[x] - to[y] || x - y);
    const t = idx.map((i) => to[i]);
    const o = idx.map((i) => owner[i]);
    to.set(t, lo);
    owner.set(o, lo);
    return;
  }
  for (let i = lo + 1; i < hi; i++) {
    const t = to[i];
    const o = owner[i];
    let j = i - 1;
    while (j >= lo && to[j] > t) {
      to[j + 1] = to[j];
      owner[j + 1] = owner[j];
      j--;
    }
    to[j + 1] = t;
    owner[j + 1] = o;
  }
}

/** Position of `v` in the sorted run to[lo..hi), or −1. */
function find(to: Int32Array, lo: number, end: number, v: number): number {
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (to[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo < end && to[lo] === v ? lo : -1;
}
