import { kernelDynamics } from '@freqbias/nn';
import type { ExperimentConfig } from '../config/index.js';
import type { RunContext } from './context.js';
import { type ProgressSink, phase } from './progress.js';

/** σ_a as the dynamics see it: with w frozen the x·y term of the kernel is absent (THEORY.md §3). */
export function effectiveSigmaA(config: ExperimentConfig): number {
  const net = config.network;
  return net.kind === 'twoLayer' && net.trainW ? net.sigmaA : 0;
}

/**
 * The kernel-regime baseline (THEORY.md §3): the network's GD steps, with its η and at its snapshot
 * times, at infinite width, from the ensemble's initial error u0 (with an operator, the residual
 * under K_L, THEORY.md §7).
 */
export function runKernelBaseline(
  { config, grid, distribution, operator }: RunContext,
  network: { readonly learningRate: number; readonly times: number[] },
  u0: Float64Array,
  progress: ProgressSink | undefined,
) {
  const t0 = performance.now();
  const run = phase(progress, 'kernel', 100, () =>
    kernelDynamics({
      grid,
      distribution,
      sigmaA: effectiveSigmaA(config),
      u0,
      // with an operator: K_L, and u0 and the snapshots are residuals (THEORY.md §7)
      ...(operator ? { operator } : {}),
      learningRate: network.learningRate,
      times: network.times,
      onProgress: ({ step, steps }) => progress?.update(steps > 0 ? Math.round((100 * step) / steps) : 100),
    }),
  );
  return {
    snapshots: run.snapshots,
    seconds: (performance.now() - t0) / 1000,
    info: { lambdaMax: run.lambdaMax, method: run.method, times: run.times },
  };
}
