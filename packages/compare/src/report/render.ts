import sharp from 'sharp';
import * as vega from 'vega';
import * as vl from 'vega-lite';

/** A vega-lite spec as a plain object (the compiler checks it). */
export type VegaLiteSpec = vl.TopLevelSpec;

/**
 * Compiles a vega-lite spec and renders it headless to SVG text (no browser, no canvas).
 *
 * @example
 * const svg = await renderSvg({ data: { values: [{ x: 1, y: 2 }] }, mark: 'point',
 *   encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } });
 * svg.startsWith('<svg'); // true
 */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Renders a vega-lite spec to PNG bytes (SVG rasterised by sharp). `scale` multiplies the pixel size
 * (default 2, for sharp text on high-density screens).
 *
 * @example
 * const png = await renderPng(spec); // Buffer starting with 0x89 'PNG'
 */
export async function renderPng(spec: VegaLiteSpec, options: { scale?: number } = {}): Promise<Buffer> {
  const svg = await renderSvg(spec);
  // sharp refuses SVGs over 32767 px a side: a chart that large (e.g. from very long labels) is drawn
  // smaller rather than not at all
  const size = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
  const largest = size ? Math.max(Number(size[1]), Number(size[2])) : 0;
  const scale = Math.min(options.scale ?? 2, largest > 0 ? 16_000 / largest : Number.POSITIVE_INFINITY);
  return sharp(Buffer.from(svg), { density: 72 * scale, limitInputPixels: false })
    .png({ compressionLevel: 9 })
    .toBuffer();
}
