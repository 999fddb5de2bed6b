import { describe, expect, it, vi } from 'vitest';
import { ExplorerUnavailable } from './assets';
import { explorerRoutes } from './routes';

const ASSETS = { page: '<!doctype html><title>x</title>', script: 'console.log(1)' };

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

async function get(routes: ReturnType<typeof explorerRoutes>, path: string, accept = BROWSER_ACCEPT) {
  const route = routes.find((r) => r.path === path);
  if (!route) throw new Error(`no route ${path}`);
  const url = new URL(path, 'http://localhost');
  return route.handle({ request: new Request(url, { headers: { accept } }), url, params: {} });
}

describe('explorerRoutes', () => {
  it('serves the page at / and /explorer and the script beside it, reading the files once', async () => {
    const load = vi.fn(async () => ASSETS);
    const routes = explorerRoutes(load);
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /', 'GET /explorer', 'GET /explorer/explorer.js']);
    for (const path of ['/', '/explorer']) {
      const reply = await get(routes, path);
      expect(reply).toMatchObject({ status: 200, body: ASSETS.page });
      expect(reply.headers?.['content-type']).toBe('text/html; charset=utf-8');
      expect(reply.headers?.['content-security-policy']).toContain("default-src 'self'");
    }
    const script = await get(routes, '/explorer/explorer.js');
    expect(script).toMatchObject({ status: 200, body: ASSETS.script });
    expect(script.headers?.['content-type']).toBe('text/javascript; charset=utf-8');
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('sends the page and the script uncached, unsniffed, and the page under a policy that lets it load only itself', async () => {
    const routes = explorerRoutes(async () => ASSETS);
    const page = await get(routes, '/explorer');
    expect(page.headers).toEqual({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      'content-security-policy': expect.any(String),
    });
    expect(page.headers?.['content-security-policy']?.split('; ')).toEqual([
      "default-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ]);
    expect((await get(routes, '/explorer/explorer.js')).headers).toEqual({
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    });
  });

  it('answers / with the JSON 404 to clients that do not ask for HTML (curl sends ../.. there)', async () => {
    const load = vi.fn(async () => ASSETS);
    const routes = explorerRoutes(load);
    for (const accept of ['*/*', 'application/json', '']) {
      expect(await get(routes, '/', accept)).toEqual({ status: 404, body: '{"status":"error","reason":"not found"}' });
    }
    expect(await get(routes, '/explorer', '*/*')).toMatchObject({ status: 200, body: ASSETS.page });
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('explains a missing build with a 503, and tries again on the next request', async () => {
    const load = vi
      .fn<() => Promise<typeof ASSETS>>()
      .mockRejectedValueOnce(new ExplorerUnavailable('its files are not built <here>; run npm run build'))
      .mockResolvedValue(ASSETS);
    const routes = explorerRoutes(load);
    const page = await get(routes, '/');
    expect(page.status).toBe(503);
    expect(page.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain(
      'The explorer is not available: its files are not built &lt;here&gt;; run npm run build.',
    );
    expect(page.body).toContain('/api/');
    expect(await get(routes, '/')).toMatchObject({ status: 200, body: ASSETS.page });
  });

  it('escapes every character of the reason that HTML would read as markup', async () => {
    const routes = explorerRoutes(() => Promise.reject(new ExplorerUnavailable('a & "b" <c>')));
    expect((await get(routes, '/explorer')).body).toContain(
      '<p>The explorer is not available: a &amp; &quot;b&quot; &lt;c&gt;.</p>',
    );
  });

  it('answers the missing script in plain text', async () => {
    const routes = explorerRoutes(() => Promise.reject(new ExplorerUnavailable('no files')));
    const script = await get(routes, '/explorer/explorer.js');
    expect(script).toMatchObject({ status: 503, body: 'The explorer is not available: no files.' });
    expect(script.headers?.['content-type']).toBe('text/plain; charset=utf-8');
  });

  it('lets any other failure through to the handler', async () => {
    const routes = explorerRoutes(() => Promise.reject(new TypeError('bug')));
    await expect(get(routes, '/')).rejects.toThrow('bug');
  });
});
