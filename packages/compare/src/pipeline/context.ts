import {
  type DifferentialOperator,
  distributionFromSpec,
  evaluateTarget,
  type FrequencyDistribution,
  type Grid,
  targetFromSpec,
  uniformGrid,
} from '@freqbias/nn';
import { configOperator, type ExperimentConfig } from '../config/index.js';
import { defaultPad, errorSpectrum } from '../spectrum/error-spectrum.js';
import type { Spectrum } from '../spectrum/types.js';
import { PreflightError } from './checks/findings.js';
import { applyOnGrid } from './source.js';

/** What every step of a run reads: the config, its grid, ρ_w, the target, and how spectra are taken. */
export interface RunContext {
  readonly config: ExperimentConfig;
  readonly grid: Grid;
  readonly distribution: FrequencyDistribution;
  /**
   * The target g on the grid; with an operator, the source s of L f ≈ s (THEORY.md §7), so that
   * the error the network trains on is the residual L f − s either way.
   */
  readonly target: Float64Array;
  /** The config's operator (undefined: the identity, plain regression). */
  readonly operator?: DifferentialOperator;
  /** With an operator and `targetIs: "solution"`: the solution g, with s = L g (spectrally, source.ts). */
  readonly solution?: Float64Array;
  /** The error spectrum of grid values (THEORY.md §5.5) with the run's zero-padding. */
  spectrum(u: Float64Array): Spectrum;
}

/** Builds the grid, ρ_w and the target of a config (relative paths against `baseDir`). */
export function runContext(
  config: ExperimentConfig,
  options: { baseDir?: string; pad?: number },
): RunContext {
  const { dim } = config.grid;
  const grid = uniformGrid({ dim, halfWidth: config.grid.halfWidth, n: config.grid.n });
  const distribution = distributionFromSpec(config.distribution as never, { dim });
  let target: Float64Array;
  try {
    target = evaluateTarget(targetFromSpec(config.target as never, { baseDir: options.baseDir }), grid);
  } catch (error) {
    // only the real grid shows some problems (an image black where the grid sees it): name the field
    const message = (error as Error).message.split('\n')[0].replace(/^target\./, '');
    throw new PreflightError({ level: 'error', field: 'target', message });
  }
  const pad = options.pad ?? defaultPad(dim);
  const spectrum = (u: Float64Array) => errorSpectrum(grid, u, { pad });
  const operator = configOperator(config);
  if (!operator) return { config, grid, distribution, target, spectrum };
  if (config.targetIs !== 'solution') return { config, grid, distribution, target, operator, spectrum };
  return {
    config,
    grid,
    distribution,
    target: applyOnGrid(grid, operator, target),
    operator,
    solution: target,
    spectrum,
  };
}
