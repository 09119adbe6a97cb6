/**
 * Benchmark of DeepFF (issue 10): one full-batch GD step (forward, gradient, update) of a deep FF
 * network — γ(x) = [cos(Wx), sin(Wx)] with `features` frequencies (σ_w = 10, Gaussian), `depth` tanh
 * layers of `width`, a linear output — on N grid points of [−8, 8), as in
 * ../shared/anchors/torch_deep_ff.py. Timed per case: the default engine (`engine: 'auto'`: the wasm
 * engine, freqbias's WebAssembly SIMD kernels, `threads: 'auto'`), the wasm engine on one thread,
 * tfjs-wasm with the hand-written backward pass (threads 'auto' and 1), and with --all tfjs's
 * autodiff. With --anchor the PyTorch script runs beside each case, before and after
 * it (same minute; OMP_WAIT_POLICY=passive), and the ratio is against the faster of the two; without
 * it, against the figures of ../shared/anchors/README.md. Prints a table, then one JSON line per
 * case and variant.
 *
 * Run: pnpm bench:deep [--quick] [--all] [--no-tfjs] [--anchor [--python /usr/bin/python3]]
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DeepFF, type DeepFFOptions, gaussian, train, uniformGrid } from '../packages/nn/src/index.js';

type DeepGradients = NonNullable<DeepFFOptions['gradients']>;
type DeepThreads = NonNullable<DeepFFOptions['threads']>;
type DeepEngineChoice = NonNullable<DeepFFOptions['engine']>;

const cases = [
  { N: 512, features: 256, width: 256, depth: 3, torchMs: 11.6 },
  { N: 256, features: 128, width: 128, depth: 3, torchMs: 2.1 },
];
const eta = 1e-3;
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const all = args.includes('--all');
const anchor = args.includes('--anchor');
const noTfjs = args.includes('--no-tfjs');
const pythonAt = args.indexOf('--python');
const python = pythonAt >= 0 ? args[pythonAt + 1] : '/usr/bin/python3';
const anchorScript = fileURLToPath(new URL('../../shared/anchors/torch_deep_ff.py', import.meta.url));
if (anchor && !existsSync(anchorScript)) {
  console.error(`--anchor: ${anchorScript} not found`);
  process.exit(2);
}

const variants: { engine: DeepEngineChoice; gradients: DeepGradients; threads: DeepThreads }[] = [
  { engine: 'auto', gradients: 'manual', threads: 'auto' },
  { engine: 'wasm', gradients: 'manual', threads: 1 },
  ...(noTfjs
    ? []
    : [
        { engine: 'tfjs' as const, gradients: 'manual' as const, threads: 'auto' as const },
        { engine: 'tfjs' as const, gradients: 'manual' as const, threads: 1 },
      ]),
  ...(all ? [{ engine: 'tfjs' as const, gradients: 'autodiff' as const, threads: 1 }] : []),
];

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
}

/** The PyTorch anchor's ms/step for a case (its own median of 30). */
function torchStep(c: (typeof cases)[number]): number {
  const out = execFileSync(
    python,
    [anchorScript, String(c.N), String(c.features), String(c.width), String(c.depth)],
    {
      env: { ...process.env, OMP_WAIT_POLICY: 'passive' },
      encoding: 'utf8',
    },
  );
  const ms = /([\d.]+) ms\/step/.exec(out);
  if (!ms) throw new Error(`--anchor: unexpected output of ${anchorScript}: ${out.trim()}`);
  return Number(ms[1]);
}

interface Row {
  N: number;
  features: number;
  width: number;
  depth: number;
  engine: string;
  gradients: DeepGradients;
  threads: number;
  /** The mean over the timed run, and the median of its steps (the anchor's statistic). */
  msPerStep: number;
  msMedian: number;
  steps: number;
  torchMs: number;
  torchSource: 'same minute' | 'anchors README';
}

const rows: Row[] = [];
for (const c of cases) {
  const grid = uniformGrid({ dim: 1, halfWidth: 8, n: c.N });
  const target = grid.points.map((x) =>
    [3, 10, 25].reduce((s, kappa) => s + Math.exp((-x * x) / 2) * Math.sin(kappa * x), 0),
  );
  const before = anchor ? torchStep(c) : c.torchMs;
  const measured: Omit<Row, 'torchMs' | 'torchSource'>[] = [];
  for (const { engine, gradients, threads } of variants) {
    const net = new DeepFF({
      engine,
      distribution: gaussian(10),
      features: c.features,
      width: c.width,
      depth: c.depth,
      seed: 1,
      gradients,
      threads,
    });
    // warm-up (wasm compilation and V8's tier-up to optimised code, workers' start, allocation,
    // the wasm engine's first trials of one and two threads), then the timed run
    const warmSteps = net.runsOn === 'wasm' ? 20 : 3;
    await train(net, { grid, target, learningRate: eta, times: [warmSteps * eta] });
    const steps = quick ? 5 : net.runsOn === 'wasm' ? 200 : gradients === 'manual' ? 60 : 10;
    // every step's time (loss, gradient, update) from the progress callback's clock
    const stamps: number[] = [];
    const run = await train(net, {
      grid,
      target,
      learningRate: eta,
      times: [steps * eta],
      onProgress: () => stamps.push(performance.now()),
    });
    const each = stamps.slice(1).map((t, k) => t - stamps[k]);
    // with threads 'auto' the wasm engine picks one or two per step: report the last step's
    const probe = net.engine as { threadsFor?: (g: typeof grid) => number; threadsLastUsed?: number };
    const used = threads === 'auto' ? (probe.threadsLastUsed ?? probe.threadsFor?.(grid) ?? 1) : threads;
    net.dispose();
    measured.push({
      ...c,
      engine: run.engine,
      gradients,
      threads: used,
      msPerStep: (1000 * run.seconds) / steps,
      msMedian: median(each),
      steps,
    });
  }
  const after = anchor ? torchStep(c) : c.torchMs;
  const torchMs = Math.min(before, after);
  for (const m of measured)
    rows.push({ ...m, torchMs, torchSource: anchor ? 'same minute' : 'anchors README' });
}

console.log(
  'DeepFF, d = 1, grid on [−8, 8), σ_w = 10, tanh: full-batch GD, ms per step (mean; median of the steps)',
);
console.log(
  'N     features  width×depth  engine     gradients  threads   ms/step   median  steps  PyTorch f32 (median)   ratio  ratio of medians',
);
for (const r of rows) {
  console.log(
    `${String(r.N).padEnd(5)} ${String(r.features).padEnd(9)} ${`${r.width}×${r.depth}`.padEnd(12)} ${r.engine.padEnd(10)} ${r.gradients.padEnd(10)} ${String(r.threads).padStart(7)}  ${r.msPerStep.toFixed(1).padStart(8)} ${r.msMedian.toFixed(1).padStart(8)}  ${String(r.steps).padStart(5)}  ${`${r.torchMs.toFixed(2)} ms (${r.torchSource})`.padEnd(21)}  ${(r.msPerStep / r.torchMs).toFixed(2)}×  ${(r.msMedian / r.torchMs).toFixed(2)}×`,
  );
}
for (const r of rows) {
  const { N, features, width, depth, engine, gradients, threads, torchMs } = r;
  console.log(
    JSON.stringify({
      N,
      features,
      width,
      depth,
      msPerStep: Number(r.msPerStep.toFixed(2)),
      msMedian: Number(r.msMedian.toFixed(2)),
      engine,
      gradients,
      threads,
      torchMs,
      ratio: Number((r.msPerStep / torchMs).toFixed(2)),
      ratioMedian: Number((r.msMedian / torchMs).toFixed(2)),
    }),
  );
}
