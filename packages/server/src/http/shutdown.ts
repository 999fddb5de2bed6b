import { authorized } from './admin-token';
import type { ServiceContext } from './context';
import { errorReply, type Reply, shutdownProgress } from './responses';

/**
 * `GET /api/graceful_shutdown`: stops accepting jobs (idempotent) and reports `running`
 * until every accepted job has finished, then `done`. It drains the runner without closing
 * its store, so GETs keep answering afterwards, from a shared store too.
 */
export function gracefulShutdown({ runner, adminToken }: ServiceContext, request: Request): Reply {
  if (!authorized(request, adminToken)) {
    return errorReply(401, 'admin token required: send Authorization: Bearer <token>', {
      'www-authenticate': 'Bearer',
    });
  }
  // Whoever cares about the outcome listens for the runner's 'draining'; here it must not go unhandled.
  if (runner.accepting) runner.drain().catch(() => {});
  return shutdownProgress(runner.outstanding());
}
