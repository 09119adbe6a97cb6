import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * Versions of the freqbias packages and the numerical libraries a run used, for `report.json`.
 *
 * @example
 * packageVersions(); // { '@freqbias/compare': '0.1.0', '@freqbias/fem': '0.1.0', … }
 */
export function packageVersions(): Record<string, string> {
  const names = [
    '@freqbias/compare/package.json',
    '@freqbias/fem/package.json',
    '@freqbias/nn/package.json',
    '@tensorflow/tfjs/package.json',
    'fft.js/package.json',
  ];
  const versions: Record<string, string> = { node: process.version };
  for (const name of names) {
    try {
      const pkg = require(name) as { name: string; version: string };
      versions[pkg.name] = pkg.version;
    } catch {
      // not resolvable from here (e.g. tfjs is nn's dependency): leave it out
    }
  }
  return versions;
}
