import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import { EXPLORER_FILES } from './files';

const clientDir = fileURLToPath(new URL('./client/', import.meta.url));

// The bundle inlines these ISC-licensed modules (and us-atlas's Census Bureau outlines);
// their licences ask for the notice to travel with the code.
const BANNER = `/*! Le Stats Sportif explorer. Bundles d3-array, d3-geo, d3-scale, d3-scale-chromatic
 * (ISC, Mike Bostock), topojson-client (ISC, Mike Bostock) and us-atlas (ISC; outlines from
 * the U.S. Census Bureau's cartographic boundary files). */`;

/**
 * Builds the explorer's browser assets into `outDir` at package build time: the page and one
 * minified script with the d3 modules and the state outlines inlined, so the installed
 * package serves everything itself (the machines it runs on may have no internet).
 */
export async function buildExplorerAssets(outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  await build({
    // Not the project's tsup.config.ts, which calls this function.
    config: false,
    entry: { [EXPLORER_FILES.script.replace(/\.js$/, '')]: join(clientDir, 'main.ts') },
    outDir,
    outExtension: () => ({ js: '.js' }),
    format: ['iife'],
    platform: 'browser',
    target: 'es2022',
    minify: true,
    noExternal: [/./],
    banner: { js: BANNER },
    esbuildOptions: (options) => {
      options.legalComments = 'none';
    },
    silent: true,
  });
  await copyFile(join(clientDir, 'index.html'), join(outDir, EXPLORER_FILES.page));
}
