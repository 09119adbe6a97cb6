/** Okabe–Ito colours (colour-blind safe), one per series, used in every chart and the HTML. */
export const seriesColours: Readonly<Record<string, string>> = {
  nn: '#0072B2',
  pde: '#D55E00',
  kernel: '#009E73',
  nnVsPde: '#0072B2',
  nnVsKernel: '#CC79A7',
  kernelVsPde: '#009E73',
  reference: '#555555',
};

/** Human-readable series names. */
export const seriesLabels: Readonly<Record<string, string>> = {
  nn: 'network',
  pde: 'PDE',
  kernel: 'kernel regime',
  nnVsPde: 'network vs PDE',
  nnVsKernel: 'network vs kernel',
  kernelVsPde: 'kernel vs PDE',
};

export const labelOf = (key: string): string => seriesLabels[key] ?? key;
export const colourOf = (key: string, fallback = '#888888'): string => seriesColours[key] ?? fallback;

/** Shared look: readable fonts available headless (DejaVu), no chart border. */
export const chartConfig = {
  font: 'DejaVu Sans, sans-serif',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridColor: '#e6e6e6' },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  header: { labelFontSize: 12, titleFontSize: 12 },
  title: { fontSize: 15, subtitleFontSize: 11, subtitleColor: '#555555', anchor: 'start' as const },
};

/** Formats a time or frequency compactly for panel titles. */
export function short(x: number): string {
  return Number(x.toPrecision(3)).toString();
}
