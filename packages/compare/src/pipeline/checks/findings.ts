/*
 * Physics guards (issue 8): checks, before the long work, that a run can mean what its numbers say.
 * Each finding names the config field, the measured figure and the limit; errors stop the run, and
 * warnings are printed and kept in report.json under `warnings`.
 */

/** 'error' stops the run; 'warning' is printed and kept in the report; 'note' is informational. */
export type FindingLevel = 'error' | 'warning' | 'note';

/** One result of a check: the field it is about, what was found, the figure and its limit. */
export interface Finding {
  readonly level: FindingLevel;
  readonly field: string;
  readonly message: string;
  readonly value?: number;
  readonly limit?: number;
}

/** A run refused by a check; the message is one line naming the field. */
export class PreflightError extends Error {
  constructor(readonly finding: Finding) {
    super(`${finding.field}: ${finding.message}`);
    this.name = 'PreflightError';
  }
}

/** Throws the first error among `findings`; returns the rest. */
export function raiseErrors(findings: readonly Finding[]): Finding[] {
  const error = findings.find((f) => f.level === 'error');
  if (error) throw new PreflightError(error);
  return [...findings];
}

/** The thresholds of the checks (relative figures). */
export const THRESHOLDS = {
  /** Mass of ρ_w beyond the grid's Nyquist frequency: warning, error. */
  aliasedMass: [1e-3, 0.05],
  /** Energy of the target's spectrum outside the PDE's box: warning, error. */
  energyOutsideBox: [1e-4, 0.1],
  /** Relative L2 error of the initial error spectrum interpolated on the PDE mesh: warning, error. */
  meshInitial: [0.01, 0.1],
  /** Relative L1 error of ρ_s interpolated linearly across the PDE cells: warning, error. */
  meshDensity: [0.02, 0.25],
  /** Fraction of the initial error's energy inside the comparison band: error below. */
  bandEnergy: 1e-6,
  /** Fraction of the initial loss that the run removes (no diffusion): warning below. */
  learned: 1e-3,
} as const;

/** A figure in messages: 3 significant digits, exponential when very small or large. */
export const fmt = (x: number) =>
  x === 0 || (Math.abs(x) >= 1e-3 && Math.abs(x) < 1e5)
    ? String(Number(x.toPrecision(3)))
    : x.toExponential(2);
/** A fraction in messages, as a percentage to 2 significant digits. */
export const pct = (x: number) => `${(100 * x).toPrecision(2)}%`;
/** Bytes in messages, in GiB. */
export const gib = (bytes: number) => `${fmt(bytes / 2 ** 30)} GiB`;

/** The level of a figure against a [warning, error] pair of thresholds, or none below both. */
export function graded(level: readonly [number, number], value: number): FindingLevel | undefined {
  return value > level[1] ? 'error' : value > level[0] ? 'warning' : undefined;
}
