import type { QueryName, QueryParams } from '@lestats/core';
import { readJsonObject } from './body';
import type { ServiceContext } from './context';
import { type Reply, shuttingDown, submitted } from './responses';

/**
 * `POST /api/<query>`: reads the body and submits the job; the runner validates the
 * parameters against the data set, so bad input is refused before any job exists.
 */
export async function submitQuery(
  { runner, trustContentLength }: ServiceContext,
  name: QueryName,
  request: Request,
): Promise<Reply> {
  // Refused before the body is read: a draining server does no work for new jobs.
  if (!runner.accepting) return shuttingDown();
  const params = await readJsonObject(request, trustContentLength);
  return submitted(await runner.submit(name, params as unknown as QueryParams<QueryName>));
}
