import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';
import { buildExplorerAssets } from './packages/server/src/explorer/build-assets';

// Dependencies stay imports, never bundled: tinypool, for one, finds its own worker entry
// relative to its installed files.
const dependenciesOf = (pkg: string) =>
  Object.keys(
    (JSON.parse(readFileSync(`packages/${pkg}/package.json`, 'utf8')) as { dependencies?: object }).dependencies ?? {},
  );

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
    external: dependenciesOf('core'),
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
    external: dependenciesOf('server'),
    tsconfig: 'tsconfig.base.json',
    // The explorer's browser assets go beside the server's bundles, after this build's clean.
    onSuccess: () => buildExplorerAssets('packages/server/dist/explorer'),
  },
]);
