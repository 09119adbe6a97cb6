/**
 * Benchmark of @freqbias/nn (issue 3): full-batch gradient descent for TwoLayerFF, d = 1, N = 512
 * grid points on [−8, 8), m = 16,384 features, σ_w = 10 (Gaussian), σ_a = 1 — time per step
 * (forward, gradient, update) for the Float64 engine and each available tfjs backend.
 * Anchor on this machine: PyTorch 1.13 CPU, 2 threads: 307 ms/step float32, 562 ms/step float64.
 *
 * Run: pnpm bench:nn
 */
import {
  availableTfjsBackends,
  gaussian,
  type TfjsEngineName,
  TwoLayerFF,
  train,
  uniformGrid,
} from '../packages/nn/src/index.js';

const N = 512;
const m = 16_384;
const grid = uniformGrid({ dim: 1, halfWidth: 8, n: N });
const target = grid.points.map((x) =>
  [3, 10, 25].reduce((s, kappa) => s + Math.exp((-x * x) / 2) * Math.sin(kappa * x), 0),
);
// A fixed small η: the timing does not depend on it, and 'auto' would add the power iteration.
const eta = 1e-3;

interface Row {
  engine: string;
  backend: string;
  msPerStep: number;
  steps: number;
}

/** ms/step over `steps` steps after one warm-up step (JIT, workers, wasm compilation). */
async function measure(net: TwoLayerFF, steps: number): Promise<Row> {
  await train(net, { grid, target, learningRate: eta, times: [eta] });
  const run = await train(net, { grid, target, learningRate: eta, times: [steps * eta] });
  await net.dispose();
  return { engine: run.engine, backend: run.backend, msPerStep: (1000 * run.seconds) / steps, steps };
}

const distribution = gaussian(10);
const rows: Row[] = [];
rows.push(await measure(new TwoLayerFF({ width: m, distribution, seed: 1, engine: 'float64' }), 40));
for (const name of await availableTfjsBackends()) {
  const backend = name.replace('tfjs-', '') as 'node' | 'wasm' | 'cpu';
  const net = new TwoLayerFF({ width: m, distribution, seed: 1, engine: 'tfjs', tfjsBackend: backend });
  rows.push(await measure(net, name === ('tfjs-node' satisfies TfjsEngineName) ? 10 : 3));
}

console.log(`TwoLayerFF, d = 1, N = ${N} on [−8, 8), m = ${m}, σ_w = 10: full-batch GD`);
console.log('engine      backend                 ms/step   steps   vs PyTorch f32 (307 ms)');
for (const r of rows) {
  console.log(
    `${r.engine.padEnd(11)} ${r.backend.padEnd(23)} ${r.msPerStep.toFixed(1).padStart(7)}   ${String(r.steps).padStart(5)}   ${(307 / r.msPerStep).toFixed(1)}×`,
  );
}
for (const r of rows) {
  console.log(JSON.stringify({ engine: r.engine, N, m, msPerStep: Number(r.msPerStep.toFixed(2)) }));
}
