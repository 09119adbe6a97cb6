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
 * A generated loop over points [from, to): spreading takes (from, to, c_0..c_{K−1}, base0, cell0,
 * u0[, base1, cell1, u1, cols], coeffs, pad[, row0]); interpolation the same with outputs in place of c.
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
): LoopSource {
  const io = Array.from({ length: kk }, (_, q) => `v${q}`);
  const params =
    dim === 1
      ? ['from', 'to', ...io, 'base0', 'cell0', 'u0', 'coeffs', 'pad']
      : [
          'from',
          'to',
          ...io,
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
  const body = dim === 1 ? body1d(kind, w, degree, kk) : body2d(kind, w, degree, kk);
  return { key: `${kind}/${dim}/${w}/${degree}/${kk}`, params, body: `'use strict';\n${body}` };
}

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
    `const l = 2 * base0[j] * ${kk};`,
    'const c0 = cell0[j], x0 = u0[j];',
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
  lines.push('const c0 = cell0[j], x0 = u0[j], c1 = cell1[j], x1 = u1[j];');
  lines.push(horner('g', 'c0', 'x0', w, degree));
  for (let k = 0; k < w; k++) lines.push(`row0[${k}] = g${k};`);
  lines.push(horner('f', 'c1', 'x1', w, degree));
  lines.push(`const start = 2 * (base0[j] * cols + base1[j]) * ${kk};`);
  for (let q = 0; q < kk; q++) {
    if (kind === 'spread') {
      lines.push(`{ const cr = v${q}[2 * j], ci = v${q}[2 * j + 1]; let l = start;`);
      lines.push(`for (let k0 = 0; k0 < ${w}; k0++) { const ar = cr * row0[k0], ai = ci * row0[k0];`);
      for (let k = 0; k < w; k++) {
        const o = 2 * (k * kk + q);
        lines.push(`pad[l + ${o}] += ar * f${k}; pad[l + ${o + 1}] += ai * f${k};`);
      }
      lines.push('l += stride; } }');
    } else {
      const [re, im] = rowSums(w, kk, q);
      lines.push(`{ let sr = 0, si = 0, l = start;`);
      lines.push(`for (let k0 = 0; k0 < ${w}; k0++) { const g = row0[k0];`);
      lines.push(`sr += g * (${re});`, `si += g * (${im});`);
      lines.push('l += stride; }', `v${q}[2 * j] = sr; v${q}[2 * j + 1] = si; }`);
    }
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
