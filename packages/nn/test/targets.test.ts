import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { uniformGrid } from '../src/grid.js';
import {
  evaluateTarget,
  expressionTarget,
  gaussianBumps,
  imageTarget,
  targetDimension,
  targetFromSpec,
  targetSpecSchema,
  windowedSines,
} from '../src/targets/index.js';

const grid1 = uniformGrid({ dim: 1, halfWidth: 8, n: 64 });
const grid2 = uniformGrid({ dim: 2, halfWidth: 4, n: [8, 6] });

/** A grayscale PNG from rows of 0..255 values. */
function grayPng(rows: number[][]): Buffer {
  const png = new PNG({ width: rows[0].length, height: rows.length });
  rows.flat().forEach((v, p) => {
    png.data.set([v, v, v, 255], 4 * p);
  });
  return PNG.sync.write(png);
}

describe('windowedSines', () => {
  it('1D: exp(−x²/2) Σ c_k sin(κ_k x + φ_k), THEORY §5.2', () => {
    const g = windowedSines({ frequencies: [3, 10, 25], amplitudes: [1, 0.5, 0.25], phases: [0, 1, 2] });
    const values = g.evaluate(grid1);
    for (let i = 0; i < grid1.size; i++) {
      const x = grid1.points[i];
      const exact =
        Math.exp(-0.5 * x * x) * (Math.sin(3 * x) + 0.5 * Math.sin(10 * x + 1) + 0.25 * Math.sin(25 * x + 2));
      expect(values[i]).toBeCloseTo(exact, 14);
    }
  });
  it('2D with frequency vectors and a window', () => {
    const g = windowedSines({ frequencies: [[3, -2]], phases: [Math.PI / 2], window: 2 });
    const values = g.evaluate(grid2);
    for (let i = 0; i < grid2.size; i++) {
      const [x, y] = [grid2.points[2 * i], grid2.points[2 * i + 1]];
      expect(values[i]).toBeCloseTo(Math.exp(-(x * x + y * y) / 8) * Math.cos(3 * x - 2 * y), 14);
    }
  });
  it('rejects bad input by name', () => {
    expect(() => windowedSines({ frequencies: [] })).toThrow(/^frequencies:/);
    expect(() => windowedSines({ frequencies: [1, 2], amplitudes: [1] })).toThrow(/^amplitudes:/);
    expect(() => windowedSines({ frequencies: [1], window: 0 })).toThrow(/^window:/);
    expect(() => windowedSines({ frequencies: [[1, 2], [3]] })).toThrow(/^frequencies\[1\]:/);
    expect(() => windowedSines({ frequencies: [1] }).evaluate(grid2)).toThrow(/^grid:/);
  });
});

describe('gaussianBumps and expressions', () => {
  it('bumps: Σ A_k exp(−|x − c_k|²/(2 s_k²))', () => {
    const g = gaussianBumps({
      centers: [
        [1, 0],
        [-2, 1],
      ],
      widths: [0.5, 2],
      amplitudes: [2, -1],
    });
    const values = g.evaluate(grid2);
    for (let i = 0; i < grid2.size; i++) {
      const [x, y] = [grid2.points[2 * i], grid2.points[2 * i + 1]];
      const exact =
        2 * Math.exp(-((x - 1) ** 2 + y * y) / 0.5) - Math.exp(-((x + 2) ** 2 + (y - 1) ** 2) / 8);
      expect(values[i]).toBeCloseTo(exact, 14);
    }
  });
  it('expression in x (1D) and x, y (2D), with an optional window', () => {
    const v1 = expressionTarget({ expression: 'sin(3 x) * x' }).evaluate(grid1);
    for (let i = 0; i < grid1.size; i++)
      expect(v1[i]).toBeCloseTo(Math.sin(3 * grid1.points[i]) * grid1.points[i], 14);
    const v2 = expressionTarget({ expression: 'x * y + 1', window: 1.5 }).evaluate(grid2);
    for (let i = 0; i < grid2.size; i++) {
      const [x, y] = [grid2.points[2 * i], grid2.points[2 * i + 1]];
      expect(v2[i]).toBeCloseTo((x * y + 1) * Math.exp(-(x * x + y * y) / 4.5), 14);
    }
    expect(() => expressionTarget({ expression: 'sin(' })).toThrow(/^expression: does not parse/);
    expect(() => expressionTarget({ expression: 'x * y' }).evaluate(grid1)).toThrow(
      /^expression: cannot evaluate/,
    );
  });
});

describe('imageTarget', () => {
  // 2×2 image on [−4, 4]²: pixel centres at ±2, which are grid points of a 4×4 grid on [−4, 4).
  const png = grayPng([
    [0, 255],
    [102, 51],
  ]);
  const grid = uniformGrid({ dim: 2, halfWidth: 4, n: 4 });
  it('samples pixel centres exactly and interpolates bilinearly between them', () => {
    const g = imageTarget({ png, extent: 4, window: null, amplitude: 3 });
    const v = g.evaluate(grid);
    const at = (x: number, y: number) => v[((x + 4) / 2) * 4 + (y + 4) / 2];
    // Row 0 (top) is y = +2, column 0 (left) is x = −2. Max luminance 1 (pixel 255) → amplitude 3.
    expect(at(-2, 2)).toBeCloseTo(0, 14);
    expect(at(2, 2)).toBeCloseTo(3, 14);
    expect(at(-2, -2)).toBeCloseTo(3 * 0.4, 14);
    expect(at(2, -2)).toBeCloseTo(3 * 0.2, 14);
    expect(at(0, 0)).toBeCloseTo((3 * (0 + 1 + 0.4 + 0.2)) / 4, 14);
    expect(at(0, 2)).toBeCloseTo(1.5, 14);
    expect(at(-4, -2)).toBeCloseTo(3 * 0.4, 14); // the left edge clamps to the edge pixel
  });
  it('windows the image and reads it from a file through a spec', () => {
    const dir = mkdtempSync(join(tmpdir(), 'freqbias-targets-'));
    writeFileSync(join(dir, 'tiny.png'), png);
    const v = evaluateTarget({ kind: 'image', path: 'tiny.png', extent: 4, window: 2, amplitude: 1 }, grid, {
      baseDir: dir,
    });
    const raw = imageTarget({ png, extent: 4, window: null }).evaluate(grid);
    const windowed = raw.map(
      (r, i) => r * Math.exp(-(grid.points[2 * i] ** 2 + grid.points[2 * i + 1] ** 2) / 8),
    );
    const max = Math.max(...windowed.map(Math.abs));
    for (let i = 0; i < grid.size; i++) expect(v[i]).toBeCloseTo(windowed[i] / max, 14);
    expect(() => targetFromSpec({ kind: 'image', path: join(dir, 'missing.png') })).toThrow(
      `path: no such file ${join(dir, 'missing.png')}`,
    );
    expect(() => targetFromSpec({ kind: 'image', path: 'missing.png' }, { baseDir: dir })).toThrow(
      `path: no such file ${join(dir, 'missing.png')}`,
    );
    writeFileSync(join(dir, 'bad.png'), 'not a png');
    expect(() => targetFromSpec({ kind: 'image', path: join(dir, 'bad.png') })).toThrow(
      /^path: not a readable PNG/,
    );
    expect(() => imageTarget({ png }).evaluate(grid1)).toThrow(/^grid:/);
  });
});

describe('targetFromSpec', () => {
  it('builds each kind and names bad fields', () => {
    const spec = { kind: 'sines', frequencies: [3], amplitudes: [2] } as const;
    expect(evaluateTarget(spec, grid1)).toEqual(
      windowedSines({ frequencies: [3], amplitudes: [2] }).evaluate(grid1),
    );
    expect(evaluateTarget({ kind: 'bumps', centers: [0] }, grid1)[32]).toBe(1);
    expect(evaluateTarget({ kind: 'expression', expression: 'x' }, grid1)[0]).toBe(-8);
    const bad = (t: unknown) => () => targetFromSpec(t as never);
    expect(bad({ kind: 'sines' })).toThrow(
      /^frequencies: expected an array of frequencies, but it is missing$/,
    );
    expect(bad({ kind: 'wave' })).toThrow(
      /^kind: expected one of "sines", "bumps", "expression", "image", got "wave"$/,
    );
    expect(bad({ kind: 'bumps', centers: [0], widths: -1 })).toThrow(/^widths: expected a positive number/);
    expect(bad({ kind: 'image' })).toThrow(/^path: expected a non-empty string, but it is missing$/);
    expect(bad({ kind: 'sines', frequencies: [1, 2], amplitudes: [1] })).toThrow(
      /^amplitudes: expected 2 value\(s\), one per frequency, got \[1\]$/,
    );
    expect(bad({ kind: 'bumps', centers: [0, 1], widths: [1, 2, 3] })).toThrow(/^widths: expected 2 value/);
    expect(bad({ kind: 'sines', frequencies: [[1, 2], 3] })).toThrow(
      /^frequencies\[1\]: expected 2 coordinate\(s\) like the first, got 3$/,
    );
    expect(bad({ kind: 'sines', frequencies: [Number.POSITIVE_INFINITY] })).toThrow(
      /^frequencies\[0\]: .*Infinity/,
    );
    expect(bad({ kind: 'expression', expression: 'sin(' })).toThrow(/^expression: does not parse/);
  });
  it('specs are strict: an unknown key lists the allowed ones', () => {
    const spec = (t: unknown) => () => targetFromSpec(t as never);
    expect(spec({ kind: 'sines', frequencies: [3], amplitude: [1] })).toThrow(
      /^amplitude: unknown key \(allowed: kind, frequencies, amplitudes, phases, window\)$/,
    );
    expect(spec({ kind: 'image', path: 'a.png', scael: 2 })).toThrow(
      /^scael: unknown key \(allowed: kind, path, amplitude, extent, window\)$/,
    );
    expect(targetSpecSchema.safeParse({ kind: 'expression', expression: 'x', window: null }).success).toBe(
      false,
    );
  });
  it('specs against a required dimension', () => {
    expect(() => targetFromSpec({ kind: 'sines', frequencies: [[3, 0]] }, { dim: 1 })).toThrow(
      /^frequencies: sines with 2-coordinate frequencies is 2D but dim is 1$/,
    );
    expect(() => targetFromSpec({ kind: 'bumps', centers: [0] }, { dim: 2 })).toThrow(
      /^centers: .* 1D but dim is 2$/,
    );
    expect(() => targetFromSpec({ kind: 'image', path: 'a.png' }, { dim: 1 })).toThrow(
      /^kind: image is 2D but dim is 1$/,
    );
    // an expression adapts to the grid
    expect(targetDimension({ kind: 'expression', expression: 'x' })).toBeUndefined();
    expect(targetFromSpec({ kind: 'expression', expression: 'x' }, { dim: 2 }).dim).toBeUndefined();
    // evaluateTarget requires the grid's dimension of a spec
    expect(() => evaluateTarget({ kind: 'sines', frequencies: [3] }, grid2)).toThrow(
      /^frequencies: .* but dim is 2$/,
    );
  });
});
