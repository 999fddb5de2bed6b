import { LeStatsInputError, LeStatsRunnerError } from '@lestats/core';
import { HttpError } from './http-error';
import { errorReply, type Reply, shuttingDown } from './responses';

/**
 * The one place a thrown error becomes a response. Errors the service raises on purpose
 * carry a message written for clients; anything else is a bug and gets a generic 500
 * (the caller's observer still sees the error, so it reaches the log, not the client).
 */
export function replyForError(error: unknown): Reply {
  if (error instanceof HttpError) return errorReply(error.status, error.message, error.headers);
  if (error instanceof LeStatsInputError) return errorReply(400, error.message);
  if (error instanceof LeStatsRunnerError) {
    switch (error.code) {
      case 'shutting_down':
        return shuttingDown();
      case 'queue_full':
        return errorReply(503, 'queue full');
      case 'store_unavailable':
        return errorReply(503, 'results store unavailable');
      case 'ids_exhausted':
        return errorReply(503, 'job ids exhausted');
    }
  }
  return errorReply(500, 'internal server error');
}
