import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import type { Grid } from '../grid.js';
import { checkPositive } from '../numeric/checks.js';
import { checkGridDim, gaussianWindow, type Target } from './types.js';

/** Options of {@link imageTarget}. */
export interface ImageTargetOptions {
  /** The PNG file's bytes (or give `path`). */
  readonly png?: Uint8Array;
  /** Path of a PNG file (read synchronously, at construction). */
  readonly path?: string;
  /** max |g| over the grid after windowing (default 1). */
  readonly amplitude?: number;
  /** Half-width along x of the region the image covers, centred on 0 (default: half the grid's X). */
  readonly extent?: number;
  /** Width s of the Gaussian window exp(−|x|²/(2 s²)); `null` for none (default: extent/2). */
  readonly window?: number | null;
}

/**
 * A grayscale image as a 2D target. The image covers [−E, E] × [−E·H/W, E·H/W] (columns along x,
 * rows from the top down along y, so it appears upright), zero outside; luminance
 * 0.299R + 0.587G + 0.114B (times alpha) is resampled bilinearly between pixel centres onto the
 * grid, multiplied by a Gaussian window (the target must be localised well inside the grid, THEORY.md
 * §5.2) and scaled so that max |g| on the grid is `amplitude`.
 *
 * @example
 * const g = imageTarget({ path: 'photo.png', amplitude: 1 });
 * g.evaluate(uniformGrid({ dim: 2, halfWidth: 8, n: 64 })); // Float64Array(4096)
 */
export function imageTarget(options: ImageTargetOptions): Target {
  let bytes: Uint8Array;
  if (options.png) bytes = options.png;
  else if (typeof options.path === 'string') {
    try {
      bytes = readFileSync(options.path);
    } catch (e) {
      throw new Error(`path: cannot read ${options.path}: ${(e as Error).message}`);
    }
  } else throw new Error('path: expected the path of a PNG file (or png: its bytes)');
  let png: PNG;
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    throw new Error(`${options.png ? 'png' : 'path'}: not a readable PNG: ${(e as Error).message}`);
  }
  const { width, height, data } = png;
  const luminance = new Float64Array(width * height);
  for (let p = 0; p < luminance.length; p++) {
    const [r, g, b, a] = [data[4 * p], data[4 * p + 1], data[4 * p + 2], data[4 * p + 3]];
    luminance[p] = ((0.299 * r + 0.587 * g + 0.114 * b) / 255) * (a / 255);
  }
  const amplitude = checkPositive('amplitude', options.amplitude ?? 1);
  if (options.extent !== undefined) checkPositive('extent', options.extent);
  if (options.window !== undefined && options.window !== null) checkPositive('window', options.window);
  const target = {
    dim: 2 as const,
    name: `image(${options.path ?? `${width}×${height}`})`,
    evaluate(grid: Grid): Float64Array {
      checkGridDim(target, grid);
      const ex = options.extent ?? grid.halfWidth[0] / 2;
      const ey = (ex * height) / width;
      const s = options.window === undefined ? ex / 2 : options.window;
      const out = new Float64Array(grid.size);
      let max = 0;
      for (let i = 0; i < grid.size; i++) {
        // Continuous pixel coordinates: column u from the left, row v from the top; centres at integers.
        const u = ((grid.points[2 * i] + ex) / (2 * ex)) * width - 0.5;
        const v = ((ey - grid.points[2 * i + 1]) / (2 * ey)) * height - 0.5;
        if (u < -0.5 || u > width - 0.5 || v < -0.5 || v > height - 0.5) continue;
        const value =
          bilinear(luminance, width, height, u, v) * (s === null ? 1 : gaussianWindow(grid, i, s));
        out[i] = value;
        max = Math.max(max, Math.abs(value));
      }
      if (max === 0)
        throw new Error(`${options.png ? 'png' : 'path'}: the image is black where the grid sees it`);
      for (let i = 0; i < out.length; i++) out[i] *= amplitude / max;
      return out;
    },
  };
  return target;
}

function bilinear(img: Float64Array, width: number, height: number, u: number, v: number): number {
  const uc = Math.min(width - 1, Math.max(0, u));
  const vc = Math.min(height - 1, Math.max(0, v));
  const c0 = Math.floor(uc);
  const r0 = Math.floor(vc);
  const c1 = Math.min(width - 1, c0 + 1);
  const r1 = Math.min(height - 1, r0 + 1);
  const p = uc - c0;
  const q = vc - r0;
  const top = (1 - p) * img[r0 * width + c0] + p * img[r0 * width + c1];
  const bottom = (1 - p) * img[r1 * width + c0] + p * img[r1 * width + c1];
  return (1 - q) * top + q * bottom;
}
