import { evaluateTarget, targetFromSpec, uniformGrid } from '@freqbias/nn';
import { describe, expect, it } from 'vitest';
import { gridLoss, lossCurve, pdeLoss, spectralLoss } from '../src/analysis/index.js';
import { parseConfig } from '../src/config/index.js';
import { runExperiment } from '../src/pipeline/index.js';
import { reportFiles } from '../src/report/build.js';
import { lossSpec } from '../src/report/charts.js';
import { errorSpectrum } from '../src/spectrum/index.js';

/*
 * Loss curves (issue 12): ½∫|u|² dx of the network on its grid, and of the PDE and the kernel
 * baseline by Parseval (THEORY.md §4).
 */

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('loss by Parseval', () => {
  it('the spectrum of grid values gives the grid loss to rounding, any padding, 1D and 2D', () => {
    const g1 = uniformGrid({ dim: 1, halfWidth: 8, n: 200 });
    const u1 = g1.points.map((x) => Math.exp(-x * x) * Math.sin(7 * x) + 0.3 * Math.exp(-((x - 2) ** 2)));
    for (const pad of [1, 3, 4])
      expect(rel(spectralLoss(errorSpectrum(g1, u1, { pad })), gridLoss(u1, g1.cellVolume))).toBeLessThan(
        1e-12,
      );
    const g2 = uniformGrid({ dim: 2, halfWidth: 4, n: 24 });
    const u2 = Float64Array.from({ length: g2.size }, (_, i) => {
      const [x, y] = [g2.points[2 * i], g2.points[2 * i + 1]];
      return Math.exp(-(x * x + 2 * y * y)) * Math.cos(3 * x - y);
    });
    for (const pad of [1, 2])
      expect(rel(spectralLoss(errorSpectrum(g2, u2, { pad })), gridLoss(u2, g2.cellVolume))).toBeLessThan(
        1e-12,
      );
  });

  it('the grid loss of a Gaussian is ½∫|u|² dx to quadrature accuracy, and pdeLoss scales ‖û‖² by (2π)^−d', () => {
    // u = exp(−x²/2): ∫u² = √π; its transform √(2π) e^{−ξ²/2} has ∫|û|² = 2π √π
    const grid = uniformGrid({ dim: 1, halfWidth: 10, n: 400 });
    const u = grid.points.map((x) => Math.exp((-x * x) / 2));
    expect(rel(gridLoss(u, grid.cellVolume), Math.sqrt(Math.PI) / 2)).toBeLessThan(1e-12);
    expect(rel(pdeLoss(Math.sqrt(2 * Math.PI * Math.sqrt(Math.PI)), 1), Math.sqrt(Math.PI) / 2)).toBeLessThan(
      1e-14,
    );
    expect(() => lossCurve([0, 1], [1])).toThrow(/^values:/);
  });
});

describe('metrics.loss of a run', () => {
  it('network, PDE and kernel start at ½ h Σ g², fall, and agree as the spectra do', async () => {
    const config = parseConfig({
      name: 'loss-1d',
      grid: { dim: 1, halfWidth: 8, n: 128 },
      target: { kind: 'sines', frequencies: [3, 10] },
      distribution: { kind: 'gaussian', sigma: 10 },
      network: { kind: 'twoLayer', width: 2048, sigmaA: 1 },
      training: { time: 3, snapshots: 4 },
      pde: { degree: 2, cellsPerAxis: 256 },
      comparison: { frequencies: [3, 10] },
    });
    const { report, reportData } = await runExperiment(config);
    const loss = report.metrics.loss!;
    const grid = uniformGrid(config.grid);
    const g = evaluateTarget(targetFromSpec(config.target, { dim: 1 }), grid);
    // the mirrored network starts at u = −g exactly
    expect(rel(loss.nn[0].value, gridLoss(g, grid.cellVolume))).toBeLessThan(1e-12);
    expect(loss.nn.map((p) => p.time)).toEqual(report.times);
    // the PDE starts from the same spectrum, on its box and mesh: equal to discretisation accuracy
    expect(rel(loss.pde![0].value, loss.nn[0].value)).toBeLessThan(1e-3);
    expect(rel(loss.kernel![0].value, loss.nn[0].value)).toBeLessThan(1e-12);
    for (const series of [loss.nn, loss.pde!, loss.kernel!]) {
      for (let j = 1; j < series.length; j++) expect(series[j].value).toBeLessThan(series[j - 1].value);
    }
    // kernel and PDE follow the same dynamics (kernel vs PDE is a fraction of a percent here)
    const last = loss.nn.length - 1;
    expect(rel(loss.kernel![last].value, loss.pde![last].value)).toBeLessThan(0.02);
    expect(rel(loss.nn[last].value, loss.pde![last].value)).toBeLessThan(0.3);
    const files = await reportFiles(reportData);
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['loss.png', 'loss.csv']));
    expect(String(files['loss.csv']).split('\n')[0]).toBe('time,nn,pde,kernel');
  });
});

describe('the loss chart', () => {
  const curves = {
    nn: [
      { time: 0, value: 1 },
      { time: 1, value: 0.5 },
    ],
  };
  const labels = (spec: unknown) => {
    const s = spec as { title: { subtitle: string }; encoding: { y: { title: string } } };
    return { y: s.encoding.y.title, subtitle: s.title.subtitle };
  };
  it('names the error u, or with an operator the residual r = L f − s', () => {
    expect(labels(lossSpec({ curves }))).toMatchObject({ y: '½∫|u|² dx' });
    const residual = labels(lossSpec({ curves, residual: true }));
    expect(residual.y).toBe('½∫|r|² dx');
    expect(residual.subtitle).toMatch(/^r = L f − s; network: ½ h\^d Σ r²/);
  });
});
