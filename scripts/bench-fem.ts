/**
 * Benchmark of @freqbias/fem (issue 2): the frequency-dynamics PDE (THEORY §4) with Gaussian ρ
 * (σ_w = 10), σ_a = 1, initial exp(−(|ξ| − 10)²/2), Crank–Nicolson, P1.
 * (a) 1D: 4,000 cells on [−60, 60], 1,000 steps of dt = 0.05;
 * (b) 2D: 200×200 squares of triangles on [−60, 60]² (40,401 nodes), 200 steps.
 * Setup = mesh + assembly + ordering + factorisation + the first step; ms/step from the rest.
 * Run: pnpm bench:fem
 */
import {
  frequencyDynamics,
  intervalMesh,
  type Mesh,
  rectangleMesh,
  solveReactionDiffusion,
} from '../packages/fem/src/index.js';

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
  const one = solve(1);
  const all = solve(steps);
  const perStep = (all.ms - one.ms) / (steps - 1);
  const setup = one.ms - perStep;
  console.log(
    `${name}: ${all.sol.size} dofs, setup ${setup.toFixed(0)} ms, ${perStep.toFixed(3)} ms/step, total ${all.ms.toFixed(0)} ms for ${steps} steps`,
  );
  console.log(
    JSON.stringify({
      case: name,
      dofs: all.sol.size,
      steps,
      setupMs: +setup.toFixed(1),
      msPerStep: +perStep.toFixed(4),
    }),
  );
}

run('1d', 1, () => intervalMesh(-60, 60, 4000), 1000, 0.05);
run('2d', 2, () => rectangleMesh([-60, -60], [60, 60], [200, 200]), 200, 0.05);
