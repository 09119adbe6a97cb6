import { cellCount, cellLocator, type Mesh } from '@freqbias/fem';
import type { FrequencyDistribution } from '@freqbias/nn';
import { relL2 } from '../../analysis/metrics.js';
import type { ExperimentConfig } from '../../config/index.js';
import { type Finding, fmt, graded, pct, THRESHOLDS } from './findings.js';

/**
 * Is the PDE mesh fine enough? (a) the initial error spectrum interpolated at the mesh's dofs, read
 * back at the band's frequencies (`readBack`), against the spectrum itself; (b) ρ_s interpolated
 * linearly across each cell against its value at the cell's centre, relative to max ρ_s.
 */
export function checkMesh(
  config: ExperimentConfig,
  mesh: Mesh,
  distribution: FrequencyDistribution,
  initial: {
    exact: { re: ArrayLike<number>; im: ArrayLike<number> };
    readBack: { re: ArrayLike<number>; im: ArrayLike<number> };
  },
): Finding[] {
  const findings: Finding[] = [];
  const e = relL2(initial.readBack, initial.exact);
  const level = graded(THRESHOLDS.meshInitial, e);
  if (level)
    findings.push({
      level,
      field: 'pde.cellsPerAxis',
      message: `${config.pde.cellsPerAxis} cells per axis represent the initial error spectrum to relL2 ${fmt(e)} (limit ${fmt(THRESHOLDS.meshInitial[level === 'error' ? 1 : 0])}): the mesh is too coarse; raise pde.cellsPerAxis or pde.degree`,
      value: e,
      limit: THRESHOLDS.meshInitial[level === 'error' ? 1 : 0],
    });
  const { dim } = mesh;
  const nv = dim + 1;
  const xi = new Float64Array(dim);
  // ρ_s may jump at cell boundaries (the mesh puts nodes there) or inside cells (a disk's rim on a
  // square mesh), so compare inside each cell: the centre against the mean at the vertices pulled
  // halfway to it; linear interpolation's error over the whole cell is four times that. Summed over
  // cells with their sizes and relative to ∫ρ_s, so a jump across a thin layer of cells counts by
  // the layer's mass, a Gaussian wider than a cell not at all.
  const pulled = new Float64Array(dim);
  let error = 0;
  let mass = 0;
  for (let c = 0; c < cellCount(mesh); c++) {
    xi.fill(0);
    for (let v = 0; v < nv; v++) {
      const p = mesh.cells[c * nv + v];
      for (let a = 0; a < dim; a++) xi[a] += mesh.points[p * dim + a] / nv;
    }
    let mean = 0;
    for (let v = 0; v < nv; v++) {
      const p = mesh.cells[c * nv + v];
      for (let a = 0; a < dim; a++) pulled[a] = 0.5 * (xi[a] + mesh.points[p * dim + a]);
      mean += distribution.symmetricDensity(pulled) / nv;
    }
    const size = cellSize(mesh, c);
    const centre = distribution.symmetricDensity(xi);
    error += size * 4 * Math.abs(centre - mean);
    mass += (size * (centre + 2 * mean)) / 3;
  }
  const r = mass > 0 ? error / mass : 0;
  const rLevel = graded(THRESHOLDS.meshDensity, r);
  if (rLevel)
    findings.push({
      level: rLevel,
      field: 'pde.cellsPerAxis',
      message: `ρ_s interpolated linearly across the cells is off by ${pct(r)} of its mass (relative L1; limit ${pct(THRESHOLDS.meshDensity[rLevel === 'error' ? 1 : 0])}): the mesh does not resolve ρ_w's scale; raise pde.cellsPerAxis`,
      value: r,
      limit: THRESHOLDS.meshDensity[rLevel === 'error' ? 1 : 0],
    });
  return findings;
}

/** Length (1D) or area (2D) of cell c. */
function cellSize(mesh: Mesh, c: number): number {
  const { points, cells, dim } = mesh;
  if (dim === 1) return Math.abs(points[cells[2 * c + 1]] - points[cells[2 * c]]);
  const [p, q, r] = [cells[3 * c], cells[3 * c + 1], cells[3 * c + 2]];
  const ax = points[2 * q] - points[2 * p];
  const ay = points[2 * q + 1] - points[2 * p + 1];
  const bx = points[2 * r] - points[2 * p];
  const by = points[2 * r + 1] - points[2 * p + 1];
  return Math.abs(ax * by - ay * bx) / 2;
}

/** Every compared frequency must lie in a cell of the PDE mesh (a `pde.mesh` need not fill its box). */
export function checkCoverage(mesh: Mesh, points: Float64Array): Finding[] {
  const locator = cellLocator(mesh);
  const { dim } = mesh;
  const X = new Float64Array(dim);
  let outside = 0;
  let first: number[] | undefined;
  for (let q = 0; q < points.length / dim; q++) {
    const xi = points.subarray(q * dim, q * dim + dim);
    if (locator.locate(xi, X) < 0) {
      outside++;
      first ??= Array.from(xi);
    }
  }
  if (outside === 0) return [];
  return [
    {
      level: 'error',
      field: 'pde.mesh',
      message: `${outside} of the band's ${points.length / dim} frequencies lie outside the mesh (e.g. ξ = ${JSON.stringify(first!.map((v) => Number(v.toPrecision(4))))}); the mesh must cover the comparison band (or set comparison.band inside it)`,
      value: outside,
    },
  ];
}
