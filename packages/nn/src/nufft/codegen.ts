import type { LoopFunction, WorkerLoop } from '../parallel/loop.js';

/**
 * Spreading (type 1) and interpolation (type 2) loops, generated per kernel width w, table degree
 * D and batch size K. Why generate: with w, D and K fixed, the w kernel values of a point are
 * evaluated by Horner into local variables and the tap loops are unrolled, which V8 compiles to
 * straight-line code; the same loops written generically (w and K as variables, weights through
 * an array) run 2–3× slower (bench/spread.ts measures it). The sources are plain strings, so a
 * worker compiles the same loop ({@link generatedLoop}). Nothing else in nn is generated.
 *
 * Conventions. A padded fine grid holds K complex values per point, interleaved: value q of padded
 * point p is (pad[2(pK + q)], pad[2(pK + q) + 1]); in 2D padded point (p0, p1) is p0·cols + p1.
 * Non-uniform values are K complex arrays, interleaved (re, im). Per point and axis: base (first
 * tap, padded), cell (table offset) and u (local coordinate), from points.ts. The kernel value of
 * tap k is Σ_d coeffs[cell + d·w + k] u^d.
 */

/**
 * A generated loop over points [from, to): spreading takes (from, to, c_0..c_{K−1}[, order], base0,
 * cell0, u0[, base1, cell1, u1, cols], coeffs, pad[, row0]); interpolation the same with outputs in
 * place of c. With `order` (sorted points) position i of the located arrays is point order[i].
 */
export type GeneratedLoop = (from: number, to: number, ...args: unknown[]) => void;

/** The source of a generated loop: what `new Function(...params, body)` needs, and a cache key. */
export interface LoopSource {
  readonly key: string;
  readonly params: readonly string[];
  readonly body: string;
}

/**
 * The source of the spreading (`kind` 'spread') or interpolation ('interp') loop.
 *
 * @example
 * loopSource('spread', 1, 14, 5, 1).params; // ['from', 'to', 'v0', 'base0', 'cell0', 'u0', 'coeffs', 'pad']
 */
export function loopSource(
  kind: 'spread' | 'interp',
  dim: 1 | 2,
  w: number,
  degree: number,
  kk: number,
  sorted = false,
): LoopSource {
  const io = Array.from({ length: kk }, (_, q) => `v${q}`);
  const order = sorted ? ['order'] : [];
  const params =
    dim === 1
      ? ['from', 'to', ...io, ...order, 'base0', 'cell0', 'u0', 'coeffs', 'pad']
      : [
          'from',
          'to',
          ...io,
          ...order,
          'base0',
          'cell0',
          'u0',
          'base1',
          'cell1',
          'u1',
          'cols',
          'coeffs',
          'pad',
          'row0',
        ];
  const body = (dim === 1 ? body1d(kind, w, degree, kk) : body2d(kind, w, degree, kk)).replace(
    POINT_LOOP,
    sorted
      ? 'for (let i = from; i < to; i++) { const j = order[i];'
      : 'for (let i = from; i < to; i++) { const j = i;',
  );
  const key = `${kind}/${dim}/${w}/${degree}/${kk}${sorted ? '/sorted' : ''}`;
  return { key, params, body: `'use strict';\n${body}` };
}

/**
 * The loop over points in the bodies: the located arrays (base, cell, u) are read at i, the
 * non-uniform values at j, which is i, or order[i] when the points are sorted into bins (the
 * located arrays are then stored in sorted order; see points.ts).
 */
const POINT_LOOP = 'for (let j = from; j < to; j++) {';

const cache = new Map<string, GeneratedLoop>();

/**
 * The compiled loop for a source (compiled once per process).
 *
 * @example
 * const spread = compiledLoop(loopSource('spread', 1, 14, 5, 1));
 * spread(0, count, c, base, cell, u, coeffs, pad);
 */
export function compiledLoop(source: LoopSource): GeneratedLoop {
  let loop = cache.get(source.key);
  if (!loop) {
    loop = new Function(...source.params, source.body) as GeneratedLoop;
    cache.set(source.key, loop);
  }
  return loop;
}

/**
 * A generated loop as a {@link WorkerLoop}: compiled here for the calling thread, and from the
 * same source by each worker of a pool.
 *
 * @example
 * await pool.run(generatedLoop(loopSource('spread', 1, 12, 4, 1)), tasks);
 */
export function generatedLoop(source: LoopSource): WorkerLoop {
  let loop = workerLoops.get(source.key);
  if (!loop) {
    const code = `return function (${source.params.join(', ')}) {\n${source.body}\n};`;
    loop = { key: `generated/${source.key}`, code, run: compiledLoop(source) as LoopFunction };
    workerLoops.set(source.key, loop);
  }
  return loop;
}

const workerLoops = new Map<string, WorkerLoop>();

/** `f${k} = Σ_d coeffs[c + d·w + k] u^d` for every tap k, by Horner. */
function horner(prefix: string, c: string, u: string, w: number, degree: number): string {
  const lines: string[] = [];
  for (let k = 0; k < w; k++) {
    let expr = `coeffs[${c} + ${degree * w + k}]`;
    for (let d = degree - 1; d >= 0; d--) expr = `(${expr}) * ${u} + coeffs[${c} + ${d * w + k}]`;
    lines.push(`const ${prefix}${k} = ${expr};`);
  }
  return lines.join('\n');
}

function body1d(kind: 'spread' | 'interp', w: number, degree: number, kk: number): string {
  const lines = [
    'for (let j = from; j < to; j++) {',
    `const l = 2 * base0[i] * ${kk};`,
    'const c0 = cell0[i], x0 = u0[i];',
    horner('f', 'c0', 'x0', w, degree),
  ];
  for (let q = 0; q < kk; q++) {
    if (kind === 'spread') {
      lines.push(`{ const cr = v${q}[2 * j], ci = v${q}[2 * j + 1];`);
      for (let k = 0; k < w; k++) {
        const o = 2 * (k * kk + q);
        lines.push(`pad[l + ${o}] += cr * f${k}; pad[l + ${o + 1}] += ci * f${k};`);
      }
      lines.push('}');
    } else {
      const [re, im] = rowSums(w, kk, q);
      lines.push(`v${q}[2 * j] = ${re};`, `v${q}[2 * j + 1] = ${im};`);
    }
  }
  lines.push('}');
  return lines.join('\n');
}

/**
 * 2D: axis-1 values in locals (the unrolled inner loop), axis-0 values in the small scratch row0
 * (the outer loop over w rows).
 */
function body2d(kind: 'spread' | 'interp', w: number, degree: number, kk: number): string {
  const lines = [`const stride = 2 * cols * ${kk};`, 'for (let j = from; j < to; j++) {'];
  lines.push('const c0 = cell0[i], x0 = u0[i], c1 = cell1[i], x1 = u1[i];');
  lines.push(horner('g', 'c0', 'x0', w, degree));
  for (let k = 0; k < w; k++) lines.push(`row0[${k}] = g${k};`);
  lines.push(horner('f', 'c1', 'x1', w, degree));
  lines.push(`const start = 2 * (base0[i] * cols + base1[i]) * ${kk};`);
  // One pass over the w rows for all K vectors (the K values of a tap are adjacent). Unrolling
  // the row loop too (g_k0 from locals instead of row0) measured 1.7× slower: too much code.
  const rows = (emit: (g: string) => void) => {
    lines.push(`for (let k0 = 0, l = start; k0 < ${w}; k0++, l += stride) {`);
    emit('row0[k0]');
    lines.push('}');
  };
  if (kind === 'spread') {
    for (let q = 0; q < kk; q++) lines.push(`const cr${q} = v${q}[2 * j], ci${q} = v${q}[2 * j + 1];`);
    rows((g) => {
      lines.push(`const gg = ${g};`);
      for (let q = 0; q < kk; q++) {
        lines.push(`{ const ar = cr${q} * gg, ai = ci${q} * gg;`);
        for (let k = 0; k < w; k++) {
          const o = 2 * (k * kk + q);
          lines.push(`pad[l + ${o}] += ar * f${k}; pad[l + ${o + 1}] += ai * f${k};`);
        }
        lines.push('}');
      }
    });
  } else {
    for (let q = 0; q < kk; q++) lines.push(`let sr${q} = 0, si${q} = 0;`);
    rows((g) => {
      lines.push(`const gg = ${g};`);
      for (let q = 0; q < kk; q++) {
        const [re, im] = rowSums(w, kk, q);
        lines.push(`sr${q} += gg * (${re});`, `si${q} += gg * (${im});`);
      }
    });
    for (let q = 0; q < kk; q++) lines.push(`v${q}[2 * j] = sr${q}; v${q}[2 * j + 1] = si${q};`);
  }
  lines.push('}');
  return lines.join('\n');
}

/** The w products pad[l + …]·f_k of one padded row, real and imaginary parts, for vector q of kk. */
function rowSums(w: number, kk: number, q: number): [string, string] {
  const re: string[] = [];
  const im: string[] = [];
  for (let k = 0; k < w; k++) {
    const o = 2 * (k * kk + q);
    re.push(`pad[l + ${o}] * f${k}`);
    im.push(`pad[l + ${o + 1}] * f${k}`);
  }
  return [balancedSum(re), balancedSum(im)];
}

/** a + b + … as a balanced tree: V8 keeps the order of floating-point additions, so a left-to-right
 * chain would serialise w additions; the tree has depth ⌈log2 w⌉. */
function balancedSum(terms: string[]): string {
  if (terms.length === 1) return terms[0];
  const half = terms.length >> 1;
  return `(${balancedSum(terms.slice(0, half))} + ${balancedSum(terms.slice(half))})`;
}
