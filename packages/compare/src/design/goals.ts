import type { DesignGoal } from './spec.js';

/*
 * The design goals as numbers to minimise, computed the same way from a predicted (PDE) trajectory
 * and from a trained network's: the time to a loss fraction, or the spread of learning times about
 * a profile.
 */

/** What a goal reads from a trajectory: the loss curve and |û| at the goal's band over time. */
export interface Trajectory {
  readonly times: readonly number[];
  /** ½∫|u|² dx at each time. */
  readonly loss: readonly number[];
  /** Learning times at the goal's band (see {@link learningTimeOf}); empty for `fastest`. */
  readonly learningTimes: readonly number[];
}

/** A goal's value on a trajectory: `value` is minimised, `secondary` breaks near-ties (smaller is better). */
export interface GoalValue {
  readonly value: number;
  readonly secondary: number;
  /** False when the trajectory's horizon was too short and the value is extrapolated. */
  readonly reached: boolean;
  /** What the value means, for reports. */
  readonly text: string;
}

/**
 * The first time `values` falls to `level`, interpolating log values linearly between the times
 * that bracket it (exact for exponential decay); beyond the last time, extrapolated with the mean
 * log-rate over the whole horizon (`reached: false`); Infinity if the values never fell.
 *
 * @example
 * crossingTime([0, 1, 2], [1, Math.exp(-1), Math.exp(-2)], Math.exp(-1.5)); // { time: 1.5, reached: true }
 */
export function crossingTime(
  times: readonly number[],
  values: readonly number[],
  level: number,
): { time: number; reached: boolean } {
  const v0 = values[0];
  if (!(v0 > level)) return { time: times[0], reached: true };
  for (let j = 1; j < times.length; j++) {
    if (values[j] <= level) {
      const a = Math.log(values[j - 1]);
      const b = values[j] > 0 ? Math.log(values[j]) : -Infinity;
      const fraction = Number.isFinite(b) ? (a - Math.log(level)) / (a - b) : 0;
      return { time: times[j - 1] + fraction * (times[j] - times[j - 1]), reached: true };
    }
  }
  const last = values[values.length - 1];
  const span = times[times.length - 1] - times[0];
  if (!(last < v0) || !(span > 0)) return { time: Infinity, reached: false };
  const rate = (Math.log(v0) - Math.log(last)) / span;
  return { time: times[0] + (Math.log(v0) - Math.log(level)) / rate, reached: false };
}

/**
 * {@link crossingTime} with its derivative ∂t/∂values_k at every time (the gradient of the same
 * interpolated or extrapolated crossing, `level` held fixed): a design objective built on it
 * differentiates exactly what it computes. Zero where the crossing does not depend on a value.
 *
 * @example
 * crossingTimeGradient([0, 1, 2], [1, Math.exp(-1), Math.exp(-2)], Math.exp(-1.5)).slope; // [0, e/2, e²/2]
 */
export function crossingTimeGradient(
  times: readonly number[],
  values: readonly number[],
  level: number,
): { time: number; reached: boolean; slope: Float64Array } {
  const { time, reached } = crossingTime(times, values, level);
  const slope = new Float64Array(values.length);
  if (!Number.isFinite(time) || !(values[0] > level)) return { time, reached, slope };
  const l = Math.log(level);
  if (reached) {
    let j = 1;
    while (!(values[j] <= level)) j++;
    if (!(values[j] > 0)) return { time, reached, slope };
    const a = Math.log(values[j - 1]);
    const b = Math.log(values[j]);
    const span = times[j] - times[j - 1];
    // t = t_{j−1} + span·(a − l)/(a − b)
    slope[j - 1] = (span * (l - b)) / (a - b) ** 2 / values[j - 1];
    slope[j] = (span * (a - l)) / (a - b) ** 2 / values[j];
    return { time, reached, slope };
  }
  // t = t_0 + span·(A − l)/(A − B), A = log v_0, B = log v_last
  const last = values.length - 1;
  const A = Math.log(values[0]);
  const B = Math.log(values[last]);
  const span = times[last] - times[0];
  slope[0] = (span * (l - B)) / (A - B) ** 2 / values[0];
  slope[last] = (span * (A - l)) / (A - B) ** 2 / values[last];
  return { time, reached, slope };
}

/**
 * The learning time of one frequency from |û(ξ, t)| (THEORY.md §5.7: the first time it falls below
 * |û(ξ, 0)|/e), extrapolated past the horizon like {@link crossingTime}.
 *
 * @example
 * learningTimeOf([0, 1, 2], [1, 0.5, 0.25]); // ≈ 1.44 (= 1/ln 2)
 */
export function learningTimeOf(times: readonly number[], magnitude: readonly number[]): number {
  return crossingTime(times, magnitude, magnitude[0] / Math.E).time;
}

/** The profile's wanted learning time at each band frequency, up to a common scale. */
export function profileValues(profile: DesignGoal & { kind: 'learningTimes' }, band: number[][]): number[] {
  const p = profile.profile;
  if (Array.isArray(p)) return [...p];
  const norm = band.map((f) => Math.hypot(...f));
  if (p === 'flat') return norm.map(() => 1);
  return norm.map((r) => (p === 'decreasing' ? 1 / r : r));
}

/**
 * The goal's value on a trajectory. `fastest`: the time at which the loss first falls to
 * lossFraction of its start (secondary: the same). `learningTimes`: the spread about the profile,
 * the root-mean-square of log(τ_i/p_i) about its mean — 0 when τ ∝ p exactly, 0.1 when off by about
 * ±10% (secondary: the mean log learning time, so that of two equally flat designs the faster wins).
 *
 * @example
 * goalValue({ kind: 'fastest', lossFraction: 0.1 }, [], { times: [0, 1], loss: [1, 0.01], learningTimes: [] });
 * // { value: 0.5, … }
 */
export function goalValue(goal: DesignGoal, band: number[][], trajectory: Trajectory): GoalValue {
  if (goal.kind === 'fastest') {
    const { time, reached } = crossingTime(
      trajectory.times,
      trajectory.loss,
      goal.lossFraction * trajectory.loss[0],
    );
    return {
      value: time,
      secondary: time,
      reached,
      text: `time to ${goal.lossFraction} of the initial loss`,
    };
  }
  const p = profileValues(goal, band);
  const tau = trajectory.learningTimes;
  const horizon = trajectory.times[trajectory.times.length - 1];
  const reached = tau.every((t) => t <= horizon);
  if (tau.some((t) => !Number.isFinite(t) || !(t > 0)))
    return {
      value: Infinity,
      secondary: Infinity,
      reached,
      text: 'spread of log learning times about the profile',
    };
  const logs = tau.map((t, i) => Math.log(t / p[i]));
  const mean = logs.reduce((s, x) => s + x, 0) / logs.length;
  const spread = Math.sqrt(logs.reduce((s, x) => s + (x - mean) ** 2, 0) / logs.length);
  const meanLog = tau.reduce((s, t) => s + Math.log(t), 0) / tau.length;
  return {
    value: spread,
    secondary: meanLog,
    reached,
    text: 'spread of log learning times about the profile',
  };
}
