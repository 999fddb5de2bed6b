import type { IncomingMessage } from 'node:http';
import { ABSOLUTE_FORM } from '../http/absolute-form';

/**
 * Rewrites a request whose target is in absolute form (`GET http://host/api/num_jobs`, as
 * proxies send it) into origin form, which is all the listener understands: it would glue
 * the target to the Host header (`http://hosthttp://host/api/…`). RFC 9112 §3.2.2 asks
 * every server to accept absolute form and to take the target's authority over `Host`.
 * The path is kept as sent, dot segments included, so they reach the handler's checks.
 */
export function toOriginForm(request: IncomingMessage): IncomingMessage {
  const target = request.url;
  // Origin form, by far the most common, costs one comparison.
  if (target === undefined || target.startsWith('/')) return request;
  const absolute = ABSOLUTE_FORM.exec(target);
  if (absolute === null) return request;
  request.headers.host = absolute[1];
  const rest = target.slice(absolute[0].length);
  request.url = rest.startsWith('/') ? rest : `/${rest}`;
  return request;
}
