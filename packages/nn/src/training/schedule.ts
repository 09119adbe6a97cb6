/** The snapshot plan of a training run: step k ↔ time t = η k (THEORY.md §2). */
export interface Schedule {
  /** Requested time → step, rounded; one entry per requested time, in the requested order. */
  readonly steps: number[];
  /** The actual times, steps × η. */
  readonly times: number[];
  /** The last step (0 without times). */
  readonly total: number;
  /** Step → indices of the snapshots taken there. */
  readonly at: Map<number, number[]>;
}

/**
 * Rounds each requested time (finite, ≥ 0: see {@link checkRunInputs}) to a step of size η.
 *
 * @example
 * schedule([0, 0.5, 0.3], 0.25); // steps [0, 2, 1], times [0, 0.5, 0.25], total 2
 */
export function schedule(times: readonly number[], eta: number): Schedule {
  const steps = times.map((t) => Math.round(t / eta));
  const at = new Map<number, number[]>();
  steps.forEach((k, s) => {
    at.set(k, [...(at.get(k) ?? []), s]);
  });
  return { steps, times: steps.map((k) => k * eta), total: Math.max(0, ...steps), at };
}
