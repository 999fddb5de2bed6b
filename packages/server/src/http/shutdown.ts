import type { ServiceContext } from './context';
import { errorReply, type Reply, shutdownProgress } from './responses';

// Compares in time that depends only on the expected token's length, so response times
// do not tell an attacker how much of a guess was right.
function sameToken(given: string, expected: string): boolean {
  let difference = given.length ^ expected.length;
  for (let i = 0; i < expected.length; i++) difference |= expected.charCodeAt(i) ^ (given.charCodeAt(i) || 0);
  return difference === 0;
}

function authorized(request: Request, token: string | undefined): boolean {
  if (token === undefined) return true;
  const match = /^Bearer +(\S+) *$/i.exec(request.headers.get('authorization') ?? '');
  return match !== null && sameToken(match[1] as string, token);
}

/**
 * `GET /api/graceful_shutdown`: stops accepting jobs (idempotent) and reports `running`
 * until every accepted job has finished, then `done`. It drains the runner without closing
 * its store, so GETs keep answering afterwards, from a shared store too.
 */
export function gracefulShutdown({ runner, adminToken, onShutdown }: ServiceContext, request: Request): Reply {
  if (!authorized(request, adminToken)) {
    return errorReply(401, 'admin token required: send Authorization: Bearer <token>', {
      'www-authenticate': 'Bearer',
    });
  }
  if (runner.accepting) {
    const drained = runner.drain();
    // Whoever cares about the outcome holds the promise; here it must not go unhandled.
    drained.catch(() => {});
    onShutdown?.(drained);
  }
  return shutdownProgress(runner.pending());
}
