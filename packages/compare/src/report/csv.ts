import type { ComplexLike } from '../spectrum/types.js';

/** Shortest text that round-trips to 10 significant digits; empty for null/NaN. */
function cell(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '';
  return String(Number(x.toPrecision(10)));
}

/**
 * CSV text from a header and numeric rows (null/NaN become empty cells), with a trailing newline.
 *
 * @example
 * toCsv(['time', 'relL2'], [[0, 0], [1, 0.05]]); // "time,relL2\n0,0\n1,0.05\n"
 */
export function toCsv(header: readonly string[], rows: Iterable<readonly (number | null)[]>): string {
  const lines = [header.join(',')];
  for (const row of rows) lines.push(row.map(cell).join(','));
  return `${lines.join('\n')}\n`;
}

/**
 * Spectra over time as CSV: one row per (snapshot, frequency) with columns `time, xi, re, im, abs`
 * (1D) or `time, xi1, xi2, re, im, abs` (2D). `points` are flat and point-major.
 *
 * @example
 * spectraCsv(1, [3, 10], [0], [{ re: [1, 0], im: [0, -2] }]);
 * // "time,xi,re,im,abs\n0,3,1,0,1\n0,10,0,-2,2\n"
 */
export function spectraCsv(
  dim: 1 | 2,
  points: ArrayLike<number>,
  times: readonly number[],
  values: readonly ComplexLike[],
): string {
  if (values.length !== times.length) throw new RangeError('spectraCsv: times and values differ in length');
  const count = points.length / dim;
  const header = dim === 1 ? ['time', 'xi', 're', 'im', 'abs'] : ['time', 'xi1', 'xi2', 're', 'im', 'abs'];
  function* rows() {
    for (let j = 0; j < times.length; j++)
      for (let q = 0; q < count; q++) {
        const re = values[j].re[q];
        const im = values[j].im[q];
        const xi = dim === 1 ? [points[q]] : [points[2 * q], points[2 * q + 1]];
        yield [times[j], ...xi, re, im, Math.hypot(re, im)];
      }
  }
  return toCsv(header, rows());
}

/**
 * Learning times per frequency as CSV: `xi` (or `xi1, xi2`) then one column per series; a time not
 * reached is an empty cell.
 *
 * @example
 * learningTimesCsv([[3], [25]], { nn: [2.5, null], pde: [2.4, 54] }); // "xi,nn,pde\n3,2.5,2.4\n25,,54\n"
 */
export function learningTimesCsv(
  frequencies: readonly (readonly number[])[],
  series: Readonly<Record<string, readonly (number | null)[]>>,
): string {
  const dim = frequencies[0]?.length ?? 1;
  const names = Object.keys(series);
  const header = [...(dim === 1 ? ['xi'] : ['xi1', 'xi2']), ...names];
  return toCsv(
    header,
    frequencies.map((f, q) => [...f, ...names.map((n) => series[n][q])]),
  );
}
