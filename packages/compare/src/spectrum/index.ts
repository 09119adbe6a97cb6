export { type ErrorSpectrumOptions, errorSpectrum, nextPowerOfTwo } from './error-spectrum.js';
export { forEachFrequency, spectrumPoints, tensorPoints } from './points.js';
export { spectrumAt } from './spectrum-at.js';
export type { ComplexArray, ComplexLike, Spectrum, SpectrumGrid, UniformGrid } from './types.js';
