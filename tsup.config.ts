import { defineConfig } from 'tsup';

// One build for both packages: ESM + CJS + .d.ts. The core's worker is its own entry
// so the runner can hand tinypool a file that sits beside the bundle it was loaded from.
export default defineConfig([
  {
    entry: {
      index: 'packages/core/src/index.ts',
      worker: 'packages/core/src/jobs/worker.ts',
    },
    outDir: 'packages/core/dist',
    format: ['esm', 'cjs'],
    dts: { entry: { index: 'packages/core/src/index.ts' } },
    target: 'node20',
    platform: 'node',
    sourcemap: true,
    clean: true,
    shims: true,
    tsconfig: 'tsconfig.base.json',
  },
  {
    entry: {
      index: 'packages/server/src/index.ts',
      cli: 'packages/server/src/cli/main.ts',
    },
    outDir: 'packages/server/dist',
    format: ['esm', 'cjs'],
    dts: { entry: { index: 'packages/server/src/index.ts' } },
    target: 'node20',
    platform: 'node',
    sourcemap: true,
    clean: true,
    shims: true,
    external: ['@lestats/core'],
    tsconfig: 'tsconfig.base.json',
  },
]);
