import { isJobId, LeStatsRunnerError } from '@lestats/core';
import { ABSOLUTE_FORM } from './absolute-form';
import type { ServiceContext } from './context';
import { HttpError } from './http-error';
import { clientClosed, jobDone, jobFailed, jobRunning, type Reply, unknownJob } from './responses';

/** The longest a `get_results?wait=MS` request is held; larger values are clamped to it. */
export const MAX_WAIT_MS = 30_000;

/**
 * `?wait=MS` as milliseconds: absent means 0, whole numbers above {@link MAX_WAIT_MS} are
 * clamped to it (a client asking for "long" gets the longest), anything else is a 400.
 */
export function parseWait(value: string | null): number {
  if (value === null) return 0;
  if (!/^\d+$/.test(value)) throw new HttpError(400, 'Invalid wait: expected a whole number of milliseconds');
  return Math.min(Number(value), MAX_WAIT_MS);
}

/**
 * Whether a URL, as the client sent it, asks for the results of an id with dot segments
 * (`/api/get_results/../..`, or percent-encoded, `%2e%2e`). URL parsing resolves those away
 * to another route (here `/`); where a runtime passes the path on unresolved (Node's
 * listener does), the handler can answer it as the invalid id it is.
 */
export function hasDotSegmentId(rawUrl: string): boolean {
  // Every request passes here: most URLs have no dot segment at all.
  if (!rawUrl.includes('/.') && !rawUrl.includes('/%')) return false;
  const path = rawUrl.replace(ABSOLUTE_FORM, '').split(/[?#]/, 1)[0] as string;
  return path.startsWith('/api/get_results/') && /\/(?:\.|%2e){1,2}(?=\/|$)/i.test(path);
}

// The id as the client meant it: a path segment may be percent-encoded (`job%5Fid%5F7`), and
// Flask decodes it before matching, as most routers do; itty-router passes it on as sent.
function decodedId(segment: string): string {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'Invalid job_id');
  }
}

/**
 * `GET /api/get_results/:job_id[?wait=MS]`: the job's outcome, or `running`. With `wait`
 * the request is held until the job ends, the time passes or `signal` aborts (the client
 * went away), whichever comes first; an aborted request answers 499 for the log rather
 * than read an outcome nobody will receive.
 */
export async function getResults(
  { runner }: ServiceContext,
  segment: string,
  search: URLSearchParams,
  signal: AbortSignal,
): Promise<Reply> {
  const id = decodedId(segment);
  if (!isJobId(id)) throw new HttpError(400, 'Invalid job_id');
  const wait = parseWait(search.get('wait'));
  try {
    // lookup, not status: with a shared store the job may belong to another instance.
    if ((await runner.lookup(id)) === undefined) return unknownJob(id);
    if (wait > 0) await runner.settled(id, wait, signal);
    if (signal.aborted) return clientClosed(id);
    const outcome = await runner.outcome(id);
    if (outcome === undefined) return jobRunning(id);
    return outcome.status === 'done' ? jobDone(id, outcome.json) : jobFailed(id, outcome.reason);
  } catch (error) {
    // A shared store out of reach, or a runner already shut down, cannot tell how another
    // instance's job is doing; it may well be running, and clients of the original service
    // stop polling on anything else.
    if (error instanceof LeStatsRunnerError && (error.code === 'store_unavailable' || error.code === 'shutting_down'))
      return jobRunning(id);
    throw error;
  }
}
