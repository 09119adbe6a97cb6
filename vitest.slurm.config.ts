import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// The Slurm integration test alone: run by .ci/run inside scripts/slurm-local.sh, which starts and
// stops a one-node Slurm; `pnpm test` does not include it (its name does not end in .test.ts). The
// base's include is replaced, not merged (mergeConfig would concatenate it and run every test).
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['packages/compare/test/slurm.integration.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
