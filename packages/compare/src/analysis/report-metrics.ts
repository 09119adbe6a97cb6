import type { LossCurves } from './loss.js';
import type { Discrepancy } from './metrics.js';

/** The metrics block of `report.json` (issue 4); absent pairs are omitted. */
export interface ReportMetrics {
  nnVsPde?: Discrepancy;
  nnVsKernel?: Discrepancy;
  kernelVsPde?: Discrepancy;
  learningTimes: {
    /** [ξ] or [ξ1, ξ2] per entry. */
    frequencies: number[][];
    nn: (number | null)[];
    pde?: (number | null)[];
    kernel?: (number | null)[];
  };
  /**
   * ½∫|u|² dx against training time: the network's ½ h^d Σ u_i² (the mean over seeds), the PDE's
   * and the kernel baseline's by Parseval (THEORY.md §4).
   */
  loss?: LossCurves;
  [extra: string]: unknown;
}
