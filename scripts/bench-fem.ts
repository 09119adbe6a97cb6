/**
 * Benchmark of @freqbias/fem (issue 2): the frequency-dynamics PDE (THEORY §4) with Gaussian ρ
 * (σ_w = 10), σ_a = 1, initial exp(−(|ξ| − 10)²/2), Crank–Nicolson, P1.
 * (a) 1D: 4,000 cells on [−60, 60], 1,000 steps of dt = 0.05;
 * (b) 2D: 200×200 squares of triangles on [−60, 60]² (40,401 nodes), 200 steps.
 * Setup = mesh + assembly + ordering + factorisation + the first step; ms/step from the rest.
 * Each case runs `--repeat N` times (default 5; 1-step and full runs interleaved) and prints
 * medians, since the machine is shared and single timings are noisy.
 * Run: pnpm bench:fem [--repeat N]
 */
import {
  frequencyDynamics,
  intervalMesh,
  type Mesh,
  rectangleMesh,
  solveReactionDiffusion,
} from '../packages/fem/src/index.js';

const repeatArg = process.argv.indexOf('--repeat');
const repeat = repeatArg >= 0 ? Math.max(1, Number.parseInt(process.argv[repeatArg + 1], 10) || 1) : 5;
const sigmaW = 10;
const gaussian = (dim: number) => (xi: ArrayLike<number>) => {
  let r2 = 0;
  for (let k = 0; k < dim; k++) r2 += xi[k] * xi[k];
  return Math.exp(-r2 / (2 * sigmaW * sigmaW)) / (2 * Math.PI * sigmaW * sigmaW) ** (dim / 2);
};

function run(name: string, dim: 1 | 2, makeMesh: () => Mesh, steps: number, dt: number): void {
  const problem = frequencyDynamics({ dim, density: gaussian(dim), sigmaA: 1 });
  const solve = (n: number) => {
    const t0 = performance.now();
    const mesh = makeMesh();
    const sol = solveReactionDiffusion({
      mesh,
      degree: 1,
      ...problem,
      initial: (xi) => Math.exp(-((Math.hypot(xi[0], dim === 2 ? xi[1] : 0) - 10) ** 2) / 2),
      times: [0, n * dt],
      dt,
      scheme: 'crank-nicolson',
    });
    return { ms: performance.now() - t0, sol };
  };
  solve(Math.min(steps, 20)); // warm-up (JIT)
  const setups: number[] = [];
  const perSteps: number[] = [];
  const totals: number[] = [];
  let size = 0;
  for (let r = 0; r < repeat; r++) {
    const one = solve(1);
    const all = solve(steps);
    const perStep = (all.ms - one.ms) / (steps - 1);
    perSteps.push(perStep);
    setups.push(one.ms - perStep);
    totals.push(all.ms);
    size = all.sol.size;
  }
  const setup = median(setups);
  const perStep = median(perSteps);
  console.log(
    `${name}: ${size} dofs, setup ${setup.toFixed(0)} ms, ${perStep.toFixed(3)} ms/step, total ${median(totals).toFixed(0)} ms for ${steps} steps (medians of ${repeat})`,
  );
  console.log(
    JSON.stringify({
      case: name,
      dofs: size,
      steps,
      repeat,
      setupMs: +setup.toFixed(1),
      msPerStep: +perStep.toFixed(4),
    }),
  );
}

/** The median of a non-empty list. */
function median(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 === 1 ? v[m] : (v[m - 1] + v[m]) / 2;
}

run('1d', 1, () => intervalMesh(-60, 60, 4000), 1000, 0.05);
run('2d', 2, () => rectangleMesh([-60, -60], [60, 60], [200, 200]), 200, 0.05);
