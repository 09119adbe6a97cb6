import { totalmem } from 'node:os';
import type { ExperimentConfig } from '../../config/index.js';
import { defaultPad, nextPowerOfTwo } from '../../spectrum/error-spectrum.js';
import { type Finding, fmt, gib } from './findings.js';

/** What a run may use; beyond either the run is refused with the estimate and the limit. */
export interface Limits {
  /** Bytes of memory the run may hold at once (default: 75% of this machine's memory). */
  readonly memoryBytes: number;
  /** Time steps of training, the kernel baseline or the PDE (default 10^7). */
  readonly steps: number;
}

/**
 * The default limits on this machine.
 *
 * @example
 * defaultLimits().steps; // 10_000_000
 */
export function defaultLimits(): Limits {
  return { memoryBytes: Math.floor(0.75 * totalmem()), steps: 10_000_000 };
}

/** Bytes a run holds at once, by part (an estimate, within a small factor). */
export function memoryEstimate(config: ExperimentConfig): Record<string, number> {
  const { dim } = config.grid;
  const points = config.grid.n.reduce((p, n) => p * n, 1);
  const pad = defaultPad(dim);
  const spectrumPoints = config.grid.n.reduce((p, n) => p * nextPowerOfTwo(pad * n), 1);
  const snapshots = config.training.snapshots.length + 1;
  const seeds = config.training.seeds.length;
  const net = config.network;
  const parts: Record<string, number> = {};
  if (net.kind === 'twoLayer') {
    // parameters, gradients, the initial copy and the engine's buffers
    parts['network.width'] = 8 * 8 * net.width * (dim + 2);
  } else {
    const features = net.width * dim + 2 * net.width * net.hiddenWidth;
    const hidden = (net.hiddenLayers - 1) * net.hiddenWidth ** 2 + net.hiddenWidth;
    // float32 parameters, gradients and Adam moments; activations of every layer for the backward pass
    parts['network.width'] = 4 * 4 * features + 4 * 3 * points * 2 * net.width;
    parts['network.hiddenWidth'] = 4 * 4 * hidden + 4 * 3 * points * net.hiddenLayers * net.hiddenWidth;
  }
  parts.snapshots = 8 * snapshots * points * seeds;
  parts.spectra = 16 * snapshots * spectrumPoints * (seeds + 2);
  if (config.pde.enabled) {
    const dofs = (config.pde.degree * config.pde.cellsPerAxis + 1) ** dim;
    parts.pde = 16 * snapshots * dofs + 8 * (dim === 1 ? 10 : 60) * dofs;
  }
  if (config.kernel.enabled) {
    parts.kernel = 16 * 4 * 2 ** dim * points + 8 * snapshots * points;
    // K_L of an operator of order ≥ 1: its lattice functions and quadrature sums on the (2n − 1)^d
    // offsets, measured at about 400 bytes per offset held and twice that at the peak (1D n = 65,536:
    // 52 MB held, 0.44 GB peak; 2D n = 256: 102 MB held), plus a 32 MB block of phases
    const op = config.operator?.kind;
    if (op !== undefined && op !== 'identity') {
      const offsets = config.grid.n.reduce((p, n) => p * (2 * n - 1), 1);
      parts['kernel (operator)'] = 800 * offsets + 2 ** 25;
    }
  }
  return parts;
}

/** The memory estimate and the PDE's step count against the limits. */
export function checkResources(config: ExperimentConfig, limits: Limits): Finding[] {
  const findings: Finding[] = [];
  const parts = memoryEstimate(config);
  const total = Object.values(parts).reduce((s, b) => s + b, 0);
  if (!(total <= limits.memoryBytes)) {
    const [part, bytes] = Object.entries(parts).sort((p, q) => q[1] - p[1])[0];
    // the field that sets the largest part
    const field =
      {
        snapshots: 'training.snapshots',
        spectra: 'training.snapshots',
        pde: 'pde.cellsPerAxis',
        kernel: 'grid.n',
        'kernel (operator)': 'grid.n',
      }[part] ?? part;
    findings.push({
      level: 'error',
      field,
      message: `the run would need about ${gib(total)} of memory (${part}: ${gib(bytes)}), more than the limit of ${gib(limits.memoryBytes)} (set by --max-memory)`,
      value: total,
      limit: limits.memoryBytes,
    });
  }
  if (config.pde.enabled && config.pde.dt !== undefined) {
    const steps = Math.ceil(config.training.time / config.pde.dt);
    if (!(steps <= limits.steps))
      findings.push({
        level: 'error',
        field: 'pde.dt',
        message: `dt = ${fmt(config.pde.dt)} over t = ${fmt(config.training.time)} is ${fmt(steps)} time steps, more than the limit of ${fmt(limits.steps)} (set by --max-steps)`,
        value: steps,
        limit: limits.steps,
      });
    const times = config.training.snapshots;
    const gap = times.slice(1).reduce((g, t, j) => Math.min(g, t - times[j]), Number.POSITIVE_INFINITY);
    if (config.pde.dt > gap)
      findings.push({
        level: 'warning',
        field: 'pde.dt',
        message: `dt = ${fmt(config.pde.dt)} is larger than the smallest gap between snapshots (${fmt(gap)}); the PDE steps to every snapshot, so between them it uses shorter steps than asked`,
        value: config.pde.dt,
        limit: gap,
      });
  }
  return findings;
}
