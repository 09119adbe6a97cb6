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
  [extra: string]: unknown;
}
