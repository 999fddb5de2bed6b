import { type IRequest, Router } from 'itty-router';
import { checkAdminToken } from './admin-token';
import type { ServiceContext } from './context';
import { replyForError } from './error-reply';
import { HttpError } from './http-error';
import type { RequestObserver } from './observer';
import { clientClosed, errorReply, type Reply } from './responses';
import { hasDotSegmentId } from './results';
import { routeTable } from './routes';

// Parsed once per request: URL.canParse and then new URL would parse every URL twice.
function parsedUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** Options of {@link createHandler}. */
export interface HandlerOptions extends ServiceContext {
  /** Sees every request enter and leave, e.g. to log it. */
  observer?: RequestObserver;
  /**
   * The Fetch API classes responses are built with (default: the global ones). The Node
   * listener passes @whatwg-node/server's own, which it writes to the socket without copying.
   */
  fetchAPI?: { Response: typeof Response };
}

/** A fetch-style request handler: what Deno, Bun, Cloudflare Workers and most frameworks mount. */
export type FetchHandler = (request: Request) => Promise<Response>;

/**
 * The HTTP API of SPEC section 5 as a fetch-style handler, usable without the Node
 * listener, plus the explorer page at `/explorer` (and at `/` for a request that accepts
 * `text/html`, as browsers send). Every `/api` response is JSON;
 * every error is `{ "status": "error", "reason" }` and never carries an internal message
 * or stack trace.
 *
 * @example
 * ```ts
 * const data = DataIngestor.sample();
 * const handler = createHandler({ data, runner: new JobRunner({ data }) });
 * const response = await handler(new Request('http://localhost/api/num_jobs'));
 * ```
 */
export function createHandler(options: HandlerOptions): FetchHandler {
  const { observer, fetchAPI = { Response } } = options;
  checkAdminToken(options.adminToken);
  const routes = routeTable(options);
  const router = Router<IRequest, [URL], Reply>();
  const methods = new Map<string, string[]>();
  for (const route of routes) {
    const answer = (request: IRequest, url: URL) => route.handle({ request, url, params: request.params });
    // HEAD answers wherever GET does, without the body, as RFC 9110 asks of every server
    // and as Flask does by itself.
    const accepted = route.method === 'GET' ? ['GET', 'HEAD'] : [route.method];
    for (const method of accepted) router[method.toLowerCase()]?.(route.path, answer);
    methods.set(route.path, [...(methods.get(route.path) ?? []), ...accepted]);
  }
  // itty-router answers nothing when no route matches; a known path with another method
  // is a 405 naming the methods it does accept, and anything else is a 404.
  for (const [path, allowed] of methods) {
    router.all(path, () => errorReply(405, 'method not allowed', { allow: allowed.join(', ') }));
  }
  router.all('*', () => errorReply(404, 'not found'));

  let requests = 0;
  return async (request) => {
    const started = performance.now();
    // A listener builds the URL from the Host header as sent: `Host: a b` makes no URL at all.
    const url = parsedUrl(request.url);
    const info = { request: ++requests, method: request.method, path: url?.pathname ?? request.url };
    observer?.start(info);
    let reply: Reply;
    let error: unknown;
    try {
      if (url === undefined) throw new HttpError(400, 'malformed request URL or Host header');
      if (hasDotSegmentId(request.url)) throw new HttpError(400, 'Invalid job_id');
      reply = await router.fetch(request, url);
    } catch (caught) {
      // A client that went away mid-body reads no answer: the log says so with nginx's 499
      // rather than blaming the server with a 500 (a long poll answers its own, with its job id).
      reply = request.signal.aborted ? clientClosed() : replyForError(caught);
      if (reply.status === 500) error = caught;
    }
    observer?.end({
      request: info.request,
      method: info.method,
      path: info.path,
      status: reply.status,
      durationMs: performance.now() - started,
      jobId: reply.jobId,
      error,
    });
    if (request.method === 'HEAD') {
      // The length GET would send, so a HEAD tells a client what the GET would cost.
      const length = String(new TextEncoder().encode(reply.body).length);
      return new fetchAPI.Response(null, {
        status: reply.status,
        headers: { 'content-type': 'application/json', ...reply.headers, 'content-length': length },
      });
    }
    return new fetchAPI.Response(reply.body, {
      status: reply.status,
      headers: { 'content-type': 'application/json', ...reply.headers },
    });
  };
}
