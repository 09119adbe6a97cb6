import type { TrainResult } from './options.js';
import type { Schedule } from './schedule.js';

/** The fields of a {@link TrainResult} that depend on the model rather than on the record. */
export type RunInfo = Pick<
  TrainResult,
  'learningRate' | 'lambdaMax' | 'lambdaMaxConverged' | 'optimizer' | 'engine' | 'backend'
>;

/**
 * What a training run keeps: the loss at every step 0 … plan.total and u at the snapshot steps of
 * its {@link Schedule}.
 *
 * @example
 * const log = new TrainingLog(schedule([0, 0.5], 0.25)); // snapshots at steps 0 and 2
 * log.lossCurve[0] = 1;
 * log.snapshot(0, new Float64Array([0.5, -0.5]), 1); // log.isSnapshot(1) === false
 */
export class TrainingLog {
  readonly lossCurve: Float64Array;
  /** u at each snapshot, in the order of the requested times (filled as training passes them). */
  readonly snapshots: Float64Array[];
  /** The loss at each snapshot. */
  readonly losses: number[];

  constructor(readonly plan: Schedule) {
    this.lossCurve = new Float64Array(plan.total + 1);
    this.snapshots = new Array(plan.steps.length);
    this.losses = new Array(plan.steps.length);
  }

  /** Whether step k records u. */
  isSnapshot(k: number): boolean {
    return this.plan.at.has(k);
  }

  /** Keeps a copy of u and the loss for every snapshot taken at step k (none when k takes none). */
  snapshot(k: number, u: Float64Array, loss: number): void {
    for (const s of this.plan.at.get(k) ?? []) {
      this.snapshots[s] = u.slice();
      this.losses[s] = loss;
    }
  }

  /** The result of a run that started at `started` (performance.now()). */
  result(info: RunInfo, started: number): TrainResult {
    return {
      times: this.plan.times,
      steps: this.plan.steps,
      snapshots: this.snapshots,
      losses: this.losses,
      lossCurve: this.lossCurve,
      learningRate: info.learningRate,
      lambdaMax: info.lambdaMax,
      lambdaMaxConverged: info.lambdaMaxConverged,
      optimizer: info.optimizer,
      timeAxis:
        info.optimizer === 'adam'
          ? 't = η·k (Adam steps × learning rate, not a gradient-flow time)'
          : 't = η·k (gradient flow)',
      engine: info.engine,
      backend: info.backend,
      seconds: (performance.now() - started) / 1000,
    };
  }
}
