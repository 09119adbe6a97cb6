/**
 * Generated vs plain-function spreading (type 1, 1D, K = 1): the claim of nufft/codegen.ts that
 * loops specialised to the kernel width w, the table degree D and the batch size K (Horner into
 * locals, unrolled taps) are faster than the same loop written with w, D, K as variables. Both
 * write the same padded grid (checked); ms per pass, median of `--repeat` (default 7).
 *
 *     npx tsx packages/nn/bench/spread.ts [--m 1048576] [--tolerance 1e-12] [--repeat 7]
 */
import { compiledLoop, loopSource } from '../src/nufft/codegen.js';
import { esKernelFor } from '../src/nufft/es-kernel.js';
import { buildKernelTable } from '../src/nufft/kernel-table.js';
import { locatePoints } from '../src/nufft/points.js';
import { createRng } from '../src/random.js';

function argument(name: string, fallback: number): number {
  const k = process.argv.indexOf(`--${name}`);
  return k >= 0 ? Number(process.argv[k + 1]) : fallback;
}

/** The spreading loop with w, D and K as variables: what the generator's output replaces. */
function spreadPlain(
  from: number,
  to: number,
  values: readonly Float64Array[],
  base: Int32Array,
  cell: Int32Array,
  u: Float64Array,
  coeffs: Float64Array,
  pad: Float64Array,
  w: number,
  degree: number,
  f: Float64Array,
): void {
  const kk = values.length;
  for (let j = from; j < to; j++) {
    const l = 2 * base[j] * kk;
    const c = cell[j];
    const x = u[j];
    for (let k = 0; k < w; k++) {
      let v = coeffs[c + degree * w + k];
      for (let d = degree - 1; d >= 0; d--) v = v * x + coeffs[c + d * w + k];
      f[k] = v;
    }
    for (let q = 0; q < kk; q++) {
      const cr = values[q][2 * j];
      const ci = values[q][2 * j + 1];
      for (let k = 0; k < w; k++) {
        const o = l + 2 * (k * kk + q);
        pad[o] += cr * f[k];
        pad[o + 1] += ci * f[k];
      }
    }
  }
}

const m = argument('m', 2 ** 20);
const tolerance = argument('tolerance', 1e-12);
const repeat = argument('repeat', 7);
const fine = 2048; // σ = 4 for N = 512
const kernel = esKernelFor(tolerance, 4);
const w = kernel.width;
const table = buildKernelTable(kernel, Math.max(tolerance * 1e-2, 1e-14), 1024);
const rng = createRng(1);
const theta = Float64Array.from({ length: m }, () => 20 * rng.normal());
const c = Float64Array.from({ length: 2 * m }, () => rng.normal());
const base = new Int32Array(m);
const cell = new Int32Array(m);
const u = new Float64Array(m);
locatePoints(0, m, theta, 1, base, cell, u, 1, 0, fine, w, table.intervals, (table.degree + 1) * w);
const padLength = 2 * (fine + 2 * w);
const generated = compiledLoop(loopSource('spread', 1, w, table.degree, 1));
const scratch = new Float64Array(w);

function time(pass: (pad: Float64Array) => void): { ms: number; pad: Float64Array } {
  const pad = new Float64Array(padLength);
  for (let k = 0; k < 3; k++) pass(pad); // warm-up (JIT)
  const runs: number[] = [];
  for (let r = 0; r < repeat; r++) {
    pad.fill(0);
    const t0 = performance.now();
    pass(pad);
    runs.push(performance.now() - t0);
  }
  runs.sort((x, y) => x - y);
  return { ms: runs[runs.length >> 1], pad };
}

const gen = time((pad) => generated(0, m, c, base, cell, u, table.coeffs, pad));
const plain = time((pad) =>
  spreadPlain(0, m, [c], base, cell, u, table.coeffs, pad, w, table.degree, scratch),
);
let diff = 0;
let size = 0;
for (let i = 0; i < padLength; i++) {
  diff = Math.max(diff, Math.abs(gen.pad[i] - plain.pad[i]));
  size = Math.max(size, Math.abs(gen.pad[i]));
}
console.log(`spreading, 1D, m = ${m}, w = ${w}, degree ${table.degree}, K = 1, fine grid ${fine}`);
console.log(`generated (codegen.ts)   ${gen.ms.toFixed(1).padStart(8)} ms`);
console.log(
  `plain function           ${plain.ms.toFixed(1).padStart(8)} ms   (${(plain.ms / gen.ms).toFixed(2)}× the generated)`,
);
console.log(`max |difference| / max |pad| = ${(diff / size).toExponential(1)}`);
console.log(JSON.stringify({ m, w, degree: table.degree, generatedMs: gen.ms, plainMs: plain.ms }));
