import { QUERY_NAMES } from '@lestats/core';
import { explorerRoutes } from '../explorer/routes';
import type { ServiceContext } from './context';
import { parsePage } from './paging';
import { health, jobCount, jobList, listing, type Reply } from './responses';
import { getResults } from './results';
import { gracefulShutdown } from './shutdown';
import { submitQuery } from './submit';

/** A request once routed: the URL parsed and the path parameters matched. */
interface RoutedRequest {
  request: Request;
  url: URL;
  params: Record<string, string>;
}

/** One entry of the route table: method, itty-router path pattern, and what answers it. */
export interface Route {
  method: 'GET' | 'POST';
  path: string;
  handle: (routed: RoutedRequest) => Reply | Promise<Reply>;
}

/**
 * Every route of the service. The nine query routes come from core's query table, so a
 * new query is a new route without touching this file.
 */
export function routeTable(context: ServiceContext): Route[] {
  const { data, runner } = context;
  // The data set never changes under a running service, so its listings are built once.
  const questions = listing(data.questions());
  const states = listing(data.states());
  return [
    ...QUERY_NAMES.map(
      (name): Route => ({
        method: 'POST',
        path: `/api/${name}`,
        handle: ({ request }) => submitQuery(context, name, request),
      }),
    ),
    {
      method: 'GET',
      path: '/api/get_results/:job_id',
      handle: ({ params, url, request }) =>
        getResults(context, params.job_id as string, url.searchParams, request.signal),
    },
    // Both answer for the whole service when several instances share one store.
    {
      method: 'GET',
      path: '/api/jobs',
      handle: async ({ url }) => jobList(await runner.jobs(parsePage(url.searchParams))),
    },
    { method: 'GET', path: '/api/num_jobs', handle: async () => jobCount(await runner.pendingTotal()) },
    { method: 'GET', path: '/api/graceful_shutdown', handle: ({ request }) => gracefulShutdown(context, request) },
    { method: 'GET', path: '/api/questions', handle: () => questions },
    { method: 'GET', path: '/api/states', handle: () => states },
    {
      method: 'GET',
      path: '/api/health',
      handle: () =>
        health({
          dataset: { source: data.source, rows: data.report.rows, kept: data.report.kept },
          jobs: runner.counts(),
          accepting: runner.accepting,
        }),
    },
    ...explorerRoutes(),
  ];
}
