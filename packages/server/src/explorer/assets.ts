import { EXPLORER_FILES } from './files';

/** The explorer's built page and script. */
export interface ExplorerAssets {
  page: string;
  script: string;
}

/** Why the assets cannot be served; the explorer's routes answer with it instead. */
export class ExplorerUnavailable extends Error {
  override readonly name = 'ExplorerUnavailable';
}

type FileSystem = typeof import('node:fs/promises');

// The assets sit in `dist/explorer` of the package this module belongs to: its bundle is
// `dist/index.js` when installed, and this source file when run from a checkout.
async function packageAssetsDir(fs: FileSystem): Promise<URL> {
  let dir = new URL('./', import.meta.url);
  for (;;) {
    try {
      await fs.access(new URL('package.json', dir));
      return new URL('dist/explorer/', dir);
    } catch {
      const parent = new URL('../', dir);
      if (parent.href === dir.href) throw new ExplorerUnavailable('no package.json above the server module');
      dir = parent;
    }
  }
}

/**
 * Reads the explorer's assets from `dir` (default: the package's `dist/explorer`, written by
 * the package build). Fails with {@link ExplorerUnavailable} when they cannot be read.
 */
export async function loadExplorerAssets(dir?: URL): Promise<ExplorerAssets> {
  let fs: FileSystem;
  try {
    // Imported on first use, not with the module, so the handler still loads in fetch
    // runtimes without a file system; there only the explorer is missing.
    fs = await import('node:fs/promises');
  } catch {
    throw new ExplorerUnavailable('this runtime has no file system to read the explorer from');
  }
  const from = dir ?? (await packageAssetsDir(fs));
  try {
    const [page, script] = await Promise.all([
      fs.readFile(new URL(EXPLORER_FILES.page, from), 'utf8'),
      fs.readFile(new URL(EXPLORER_FILES.script, from), 'utf8'),
    ]);
    return { page, script };
  } catch (error) {
    throw new ExplorerUnavailable(`its files are not built (${(error as Error).message}); run npm run build`);
  }
}
