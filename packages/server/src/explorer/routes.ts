import { errorReply, type Reply } from '../http/responses';
import type { Route } from '../http/routes';
import { type ExplorerAssets, ExplorerUnavailable, loadExplorerAssets } from './assets';
import { EXPLORER_FILES } from './files';

// The page loads nothing but its own script and calls only this origin's API.
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-cache',
  'x-content-type-options': 'nosniff',
  'content-security-policy':
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};
const SCRIPT_HEADERS = {
  'content-type': 'text/javascript; charset=utf-8',
  'cache-control': 'no-cache',
  'x-content-type-options': 'nosniff',
};

// curl and Python's urllib3 resolve dot segments before sending, so a client asking for
// `/api/get_results/../..` really requests `/`: only a browser (asking for HTML) gets the
// page there; an API client gets the JSON 404 it would get for any unknown path.
const wantsHtml = (request: Request) => (request.headers.get('accept') ?? '').includes('text/html');

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);

function unavailable(reason: string, html: boolean): Reply {
  const message = `The explorer is not available: ${reason}.`;
  return html
    ? {
        status: 503,
        body: `<!doctype html><html lang="en"><meta charset="utf-8"><title>Le Stats Sportif</title><p>${escapeHtml(message)}</p><p>The JSON API under <code>/api/</code> works as usual.</p></html>`,
        headers: PAGE_HEADERS,
      }
    : { status: 503, body: message, headers: { ...SCRIPT_HEADERS, 'content-type': 'text/plain; charset=utf-8' } };
}

/**
 * The explorer's routes: the page at `/explorer` (and at `/` for browsers), and its script. They are the only
 * routes that do not answer JSON. The assets are read on first request and kept; a read that
 * fails is retried on the next request (for instance once `npm run build` has run).
 */
export function explorerRoutes(load: () => Promise<ExplorerAssets> = loadExplorerAssets): Route[] {
  let assets: Promise<ExplorerAssets> | undefined;
  const serve = async (pick: (loaded: ExplorerAssets) => string, html: boolean): Promise<Reply> => {
    assets ??= load();
    try {
      return { status: 200, body: pick(await assets), headers: html ? PAGE_HEADERS : SCRIPT_HEADERS };
    } catch (error) {
      assets = undefined;
      if (error instanceof ExplorerUnavailable) return unavailable(error.message, html);
      throw error;
    }
  };
  const page = () => serve((loaded) => loaded.page, true);
  return [
    { method: 'GET', path: '/', handle: ({ request }) => (wantsHtml(request) ? page() : errorReply(404, 'not found')) },
    { method: 'GET', path: '/explorer', handle: page },
    {
      method: 'GET',
      path: `/explorer/${EXPLORER_FILES.script}`,
      handle: () => serve((loaded) => loaded.script, false),
    },
  ];
}
