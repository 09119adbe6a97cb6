import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (name: string) => fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url));

// Tests run against the sources, so `pnpm test` needs no build first.
export default defineConfig({
  resolve: {
    alias: {
      '@freqbias/fem': src('fem'),
      '@freqbias/nn': src('nn'),
      '@freqbias/compare': src('compare'),
    },
  },
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
