/**
 * Benchmark of the `nufft` two-layer engine (issue 5): milliseconds per gradient-descent step
 * (one forward pass, one vjp and the update: what a full-batch GD step of training costs) on the
 * issue's three cases and 2D at m = 2^20 (the anisotropic-2d width), and the direct `float64`
 * engine on the same cases where it runs in reasonable time.
 *
 *     npx tsx scripts/bench-nufft.ts [--tolerance 1e-12] [--steps 10] [--threads <cores>] [--no-direct]
 *       [--case <0|1|2|3>] [--repeat <r>] [--js-loops]
 *
 * --case runs one case only; --repeat times each engine r times (median reported, all printed);
 * --js-loops also times the NUFFT engine on its JS spreading/interpolation loops (`simd: false`,
 * engine "nufft-js"), the baseline of the wasm SIMD ones, in the same run.
 *
 * Prints a table, then one JSON line per (engine, case).
 */
import { availableParallelism } from 'node:os';
import {
  createFloat64Engine,
  createNufftEngine,
  createRng,
  type Grid,
  type TwoLayerEngine,
  type TwoLayerParameters,
  type TwoLayerTangent,
  uniformGrid,
} from '../packages/nn/src/index.js';

interface Case {
  readonly d: 1 | 2;
  readonly n: number;
  readonly m: number;
  readonly goalMs: number;
  /** Steps of the direct engine (0: skip); m·N^d decides. */
  readonly directSteps: number;
}

const cases: Case[] = [
  { d: 1, n: 512, m: 16_384, goalMs: 10, directSteps: 5 },
  { d: 1, n: 512, m: 2 ** 20, goalMs: 100, directSteps: 1 },
  { d: 2, n: 128, m: 2 ** 18, goalMs: 300, directSteps: 1 },
  { d: 2, n: 128, m: 2 ** 20, goalMs: 1200, directSteps: 0 },
];

function argument(name: string, fallback: number): number {
  const k = process.argv.indexOf(`--${name}`);
  return k >= 0 ? Number(process.argv[k + 1]) : fallback;
}

const tolerance = argument('tolerance', 1e-12);
const steps = argument('steps', 10);
const threads = argument('threads', availableParallelism());
const withDirect = !process.argv.includes('--no-direct');
const only = argument('case', -1);
const repeat = argument('repeat', 1);
const jsLoops = process.argv.includes('--js-loops');

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

function parameters(d: 1 | 2, m: number): TwoLayerParameters {
  const rng = createRng(2024);
  const sigma = 10;
  return {
    dim: d,
    width: m,
    w: Float64Array.from({ length: m * d }, () => sigma * rng.normal()),
    a: Float64Array.from({ length: m }, () => rng.normal()),
    b: Float64Array.from({ length: m }, () => rng.normal()),
  };
}

/** CPU ms per step of the last msPerStep (all threads of the process; with --threads 1 a
 * load-insensitive measure of the work). */
let lastCpuMs = 0;

/**
 * Mean ms per step over `count` GD steps (after warm-up steps for the JIT), as training takes them
 * (training/gd.ts): parameters in the engine's own arrays (shared memory with threads), then
 * forward, residual and the engine's fused update `descend` where it has one, else vjp and
 * θ −= 1e-3·∇.
 */
async function msPerStep(engine: TwoLayerEngine, start: TwoLayerParameters, count: number): Promise<number> {
  const grid = engine.grid;
  const own = (x: Float64Array) => {
    const y = engine.float64 ? engine.float64(x.length) : new Float64Array(x.length);
    y.set(x);
    return y;
  };
  const p: TwoLayerParameters = { ...start, w: own(start.w), a: own(start.a), b: own(start.b) };
  const f = new Float64Array(grid.size);
  const g: TwoLayerTangent = {
    w: new Float64Array(p.w.length),
    a: new Float64Array(p.width),
    b: new Float64Array(p.width),
  };
  const step = async () => {
    await engine.forward(p, f);
    for (let i = 0; i < f.length; i++)
      f[i] = (f[i] - Math.exp(-(grid.points[i * grid.dim] ** 2))) * grid.cellVolume;
    if (engine.descend) {
      await engine.descend(p, f, -1e-3, true);
      return;
    }
    await engine.vjp(p, f, g);
    axpy(-1e-3, g.w, p.w);
    axpy(-1e-3, g.a, p.a);
    axpy(-1e-3, g.b, p.b);
  };
  for (let k = 0; k < Math.min(3, count); k++) await step();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let k = 0; k < count; k++) await step();
  const cpu = process.cpuUsage(c0);
  lastCpuMs = (cpu.user + cpu.system) / 1000 / count;
  return (performance.now() - t0) / count;
}

function axpy(alpha: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i] += alpha * x[i];
}

type EngineFactory = (grid: Grid) => TwoLayerEngine;

const direct: EngineFactory | undefined = withDirect ? (grid) => createFloat64Engine(grid) : undefined;
const rows: { engine: string; d: number; N: number; m: number; msPerStep: number; goal: string }[] = [];
for (const [index, c] of cases.entries()) {
  if (only >= 0 && index !== only) continue;
  const grid = uniformGrid({ dim: c.d, halfWidth: 8, n: c.n });
  for (const simd of jsLoops ? [true, false] : [true]) {
    const name = simd ? 'nufft' : 'nufft-js';
    const nufft = createNufftEngine(grid, { tolerance, threads, simd });
    const runs: number[] = [];
    const cpus: number[] = [];
    for (let r = 0; r < repeat; r++) {
      runs.push(await msPerStep(nufft, parameters(c.d, c.m), steps));
      cpus.push(lastCpuMs);
    }
    const ms = median(runs);
    if (repeat > 1) {
      const list = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(' ');
      console.log(
        `${name} d=${c.d} m=${c.m}: wall ${list(runs)}; cpu ${list(cpus)} (medians ${ms.toFixed(1)}, ${median(cpus).toFixed(1)})`,
      );
    }
    await nufft.dispose();
    rows.push({ engine: name, d: c.d, N: c.n, m: c.m, msPerStep: ms, goal: `≤ ${c.goalMs}` });
  }
  if (direct && c.directSteps > 0) {
    const engine = direct(grid);
    const msDirect = await msPerStep(engine, parameters(c.d, c.m), c.directSteps);
    await engine.dispose();
    rows.push({ engine: engine.name, d: c.d, N: c.n, m: c.m, msPerStep: msDirect, goal: '' });
  }
}

console.log(
  `nufft engine (tolerance ${tolerance}, ${threads} thread(s)): ms per GD step (forward + vjp + update), mean of ${steps} steps`,
);
console.log('engine   d  N     m          ms/step     goal');
for (const r of rows) {
  const n = r.d === 1 ? `${r.N}` : `${r.N}×${r.N}`;
  console.log(
    `${r.engine.padEnd(8)} ${r.d}  ${n.padEnd(8)}${String(r.m).padEnd(11)}${r.msPerStep.toFixed(1).padStart(8)}     ${r.goal}`,
  );
}
for (const r of rows) {
  console.log(
    JSON.stringify({ engine: r.engine, d: r.d, N: r.N, m: r.m, msPerStep: Number(r.msPerStep.toFixed(2)) }),
  );
}
