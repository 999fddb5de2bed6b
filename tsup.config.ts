import { readFileSync } from 'node:fs';
import { defineConfig, type Options } from 'tsup';
import { buildExplorerAssets } from './packages/server/src/explorer/build-assets';

// Dependencies stay imports, never bundled: tinypool, for one, finds its own worker entry
// relative to its installed files.
const dependenciesOf = (pkg: string) =>
  Object.keys(
    (JSON.parse(readFileSync(`packages/${pkg}/package.json`, 'utf8')) as { dependencies?: object }).dependencies ?? {},
  );

// Both packages: ESM + CJS + .d.ts. The core's worker is its own entry so the runner can
// hand tinypool a file that sits beside the bundle it was loaded from. The server's types
// import the core's built ones, so `npm run build` runs `--env.PACKAGE core` first, then
// `--env.PACKAGE server` (tsup would otherwise build the two at once).
const packages: Options[] = [
  {
    name: 'core',
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
    name: 'server',
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
];

export default defineConfig((options) => packages.filter(({ name }) => name === (options.env?.PACKAGE ?? name)));
