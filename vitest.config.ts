import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@lestats/core': src('./packages/core/src/index.ts'),
      '@lestats/server': src('./packages/server/src/index.ts'),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    // A limit for hangs, not a speed check: on a loaded two-core machine the heaviest tests
    // (thousands of jobs, Redis restarts, spawned servers) run four times slower than alone.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    coverage: {
      provider: 'v8',
      include: ['packages/*/src/**/*.ts'],
      // Code that only runs in worker threads, spawned processes, the browser (the explorer's
      // client, driven in Chromium by test/explorer) or at package build time is exercised
      // by tests but invisible to in-process coverage. Test fixtures are not library code.
      exclude: [
        '**/*.test.ts',
        'packages/core/src/jobs/test-workers/**',
        'packages/core/src/jobs/test-redis/**',
        'packages/core/src/jobs/worker.ts',
        'packages/server/src/cli/main.ts',
        'packages/server/src/explorer/client/**',
        'packages/server/src/explorer/build-assets.ts',
      ],
      reporter: ['text-summary', 'json-summary'],
      thresholds: {
        'packages/core/src/**': { lines: 90, branches: 90 },
        'packages/server/src/**': { lines: 85, branches: 85 },
      },
    },
  },
});
