/**
 * Benchmark of DeepFF (issue 10): one full-batch GD step (forward, gradient, update) of a deep FF
 * network — γ(x) = [cos(Wx), sin(Wx)] with `features` frequencies (σ_w = 10, Gaussian), `depth` tanh
 * layers of `width`, a linear output — on N grid points of [−8, 8), as in
 * ../shared/anchors/torch_deep_ff.py (run it beside this, in the same minute). Each DeepFF gradient
 * path is timed: 'manual' (hand-written backward pass, the default) and 'autodiff' (tfjs's tf.grad).
 * Prints a table, then one JSON line per case.
 *
 * Run: pnpm bench:deep [--quick]
 */
import { DeepFF, type DeepFFOptions, gaussian, train, uniformGrid } from '../packages/nn/src/index.js';

type DeepGradients = NonNullable<DeepFFOptions['gradients']>;

const cases = [
  { N: 512, features: 256, width: 256, depth: 3, torchMs: 11.6 },
  { N: 256, features: 128, width: 128, depth: 3, torchMs: 2.1 },
];
const eta = 1e-3;
const quick = process.argv.includes('--quick');

interface Row {
  N: number;
  features: number;
  width: number;
  depth: number;
  engine: string;
  gradients: DeepGradients;
  msPerStep: number;
  steps: number;
  torchMs: number;
}

const rows: Row[] = [];
for (const c of cases) {
  const grid = uniformGrid({ dim: 1, halfWidth: 8, n: c.N });
  const target = grid.points.map((x) =>
    [3, 10, 25].reduce((s, kappa) => s + Math.exp((-x * x) / 2) * Math.sin(kappa * x), 0),
  );
  for (const gradients of ['manual', 'autodiff'] as const) {
    const net = new DeepFF({
      distribution: gaussian(10),
      features: c.features,
      width: c.width,
      depth: c.depth,
      seed: 1,
      gradients,
    });
    // warm-up (wasm compilation, allocation), then the timed run
    await train(net, { grid, target, learningRate: eta, times: [3 * eta] });
    const steps = quick ? 5 : gradients === 'manual' ? 40 : 10;
    const run = await train(net, { grid, target, learningRate: eta, times: [steps * eta] });
    net.dispose();
    rows.push({ ...c, engine: run.engine, gradients, msPerStep: (1000 * run.seconds) / steps, steps });
  }
}

console.log('DeepFF, d = 1, grid on [−8, 8), σ_w = 10, tanh: full-batch GD, ms per step');
console.log(
  'N     features  width×depth  engine     gradients   ms/step  steps  PyTorch f32 (anchors)  ratio',
);
for (const r of rows) {
  console.log(
    `${String(r.N).padEnd(5)} ${String(r.features).padEnd(9)} ${`${r.width}×${r.depth}`.padEnd(12)} ${r.engine.padEnd(10)} ${r.gradients.padEnd(10)} ${r.msPerStep.toFixed(1).padStart(8)}  ${String(r.steps).padStart(5)}  ${`${r.torchMs} ms`.padStart(21)}  ${(r.msPerStep / r.torchMs).toFixed(1)}×`,
  );
}
for (const r of rows) {
  const { N, features, width, depth, engine, gradients } = r;
  console.log(
    JSON.stringify({
      N,
      features,
      width,
      depth,
      msPerStep: Number(r.msPerStep.toFixed(2)),
      engine,
      gradients,
    }),
  );
}
