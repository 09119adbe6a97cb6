import type { DistributionSpec, OperatorSpec, TargetSpec } from '@freqbias/nn';
import { loadPdeMesh, meshExtent, meshPath } from './checks.js';
import { asFrequency, type RawConfig, type Series } from './schema.js';

/**
 * A validated experiment config with every default resolved: the schema's output as {@link resolve}
 * completes it. `grid.halfWidth` and `grid.n` hold one value per axis; `training.snapshots` ascending
 * times in [0, time] (a count c gives c equally spaced times); `pde.band` Ξ defaults to the grid's
 * Nyquist frequency min π/h and `pde.enabled`, `kernel.enabled` to (network is twoLayer) (THEORY.md
 * §3 has no deep kernel); frequencies are arrays ([ξ] or [ξ1, ξ2]).
 */
export type ExperimentConfig = ReturnType<typeof resolve>;

/**
 * A check for the validate script, frequencies resolved to arrays: a metric against a value, a ratio
 * of learning times, learning times within `tolerance` of each other (max/min ≤ 1 + tolerance), or
 * `first` learned before `then` (a time not reached counts as longer than the run).
 */
export type Claim = ExperimentConfig['claims'][number];

function asArray(value: number | number[], dim: number): number[] {
  return Array.isArray(value) ? value : Array(dim).fill(value);
}

/** The config with every default filled in: an {@link ExperimentConfig}. */
export function resolve(c: RawConfig, baseDir: string) {
  const dim = c.grid.dim;
  const halfWidth = asArray(c.grid.halfWidth, dim);
  const n = asArray(c.grid.n, dim);
  const nyquist = Math.min(...halfWidth.map((X, a) => (Math.PI * n[a]) / (2 * X)));
  const twoLayer = c.network.kind === 'twoLayer';
  const snaps = c.training.snapshots;
  const times = Array.isArray(snaps)
    ? [...snaps]
    : Array.from({ length: snaps }, (_, j) =>
        j === snaps - 1 ? c.training.time : (c.training.time * j) / (snaps - 1),
      );
  const pdeEnabled = c.pde.enabled ?? twoLayer;
  const defaultSeries: Series[] = pdeEnabled ? ['nn', 'pde'] : ['nn'];
  const band = c.comparison.band;
  const claims = c.claims.map((claim) => {
    switch (claim.kind) {
      case 'metric':
        return { ...claim };
      case 'learningTimeRatio':
        return {
          ...claim,
          numerator: asFrequency(claim.numerator),
          denominator: asFrequency(claim.denominator),
          series: claim.series ?? defaultSeries,
        };
      case 'learningTimesWithin':
        return {
          ...claim,
          frequencies: claim.frequencies.map(asFrequency),
          series: claim.series ?? defaultSeries,
        };
      default:
        return {
          ...claim,
          first: asFrequency(claim.first),
          // biome-ignore lint/suspicious/noThenProperty: a frequency, not a callable then
          then: asFrequency(claim.then),
          series: claim.series ?? defaultSeries,
        };
    }
  });
  return {
    name: c.name,
    description: c.description,
    grid: { dim, halfWidth, n },
    // nn's spec types by name (the schemas' output is exactly these), so that declarations refer to
    // them instead of unrolling the recursive mixture
    target: c.target as TargetSpec,
    distribution: c.distribution as DistributionSpec,
    // only with an operator (THEORY.md §7), so a plain config resolves (and hashes) as before
    ...(c.operator !== undefined
      ? { operator: c.operator as OperatorSpec, targetIs: c.targetIs ?? ('source' as const) }
      : {}),
    network: c.network,
    training: { ...c.training, snapshots: times },
    pde: {
      ...c.pde,
      ...(c.pde.mesh !== undefined ? { mesh: meshPath(c, baseDir) } : {}),
      enabled: pdeEnabled,
      band:
        c.pde.mesh !== undefined ? meshExtent(loadPdeMesh(meshPath(c, baseDir))) : (c.pde.band ?? nyquist),
      cellsPerAxis: c.pde.cellsPerAxis ?? (dim === 1 ? 512 : 64),
    },
    kernel: { enabled: c.kernel.enabled ?? twoLayer },
    comparison: {
      band:
        typeof band === 'object' ? (Array.isArray(band) ? { lower: band[0], upper: band[1] } : band) : band,
      threshold: c.comparison.threshold,
      frequencies: c.comparison.frequencies.map(asFrequency),
    },
    claims,
  };
}
