import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ExplorerUnavailable, loadExplorerAssets } from './assets';

describe('loadExplorerAssets', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lestats-assets-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reads the page and the script from a folder', async () => {
    await writeFile(join(dir, 'index.html'), '<!doctype html>');
    await writeFile(join(dir, 'explorer.js'), 'run()');
    expect(await loadExplorerAssets(pathToFileURL(`${dir}/`))).toEqual({ page: '<!doctype html>', script: 'run()' });
  });

  it('says to build when the files are missing', async () => {
    await writeFile(join(dir, 'index.html'), '<!doctype html>');
    const loading = loadExplorerAssets(pathToFileURL(`${dir}/`));
    await expect(loading).rejects.toThrow(ExplorerUnavailable);
    await expect(loading).rejects.toThrow(/its files are not built \(ENOENT.*explorer\.js'\); run npm run build/);
  });

  it('says so in a runtime without a file system', async () => {
    vi.doMock('node:fs/promises', () => {
      throw new Error('No such built-in module: node:fs/promises');
    });
    try {
      await expect(loadExplorerAssets()).rejects.toThrow('this runtime has no file system to read the explorer from');
    } finally {
      vi.doUnmock('node:fs/promises');
    }
  });

  it('says so when no package folder holds the module', async () => {
    vi.doMock('node:fs/promises', async (actual) => ({
      ...(await actual<typeof import('node:fs/promises')>()),
      access: () => Promise.reject(new Error('ENOENT')),
    }));
    try {
      await expect(loadExplorerAssets()).rejects.toThrow('no package.json above the server module');
    } finally {
      vi.doUnmock('node:fs/promises');
    }
  });

  it("reads the package's dist/explorer by default", async () => {
    const loading = loadExplorerAssets();
    // Whether a build has run is not this test's business; where it looked is.
    await loading.then(
      ({ page }) => expect(page).toContain('<title>Le Stats Sportif · explorer</title>'),
      (error: Error) => expect(error.message).toContain(join('packages', 'server', 'dist', 'explorer')),
    );
  });
});
