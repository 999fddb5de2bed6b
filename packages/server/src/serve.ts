import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type DataIngestor, JobRunner } from '@lestats/core';
import { createServerAdapter, Response } from '@whatwg-node/server';
import { checkAdminToken } from './http/admin-token';
import { createHandler } from './http/handler';
import { type LogOptions, openServiceLog } from './log/logger';
import { answerClientError } from './node/client-error';
import { toOriginForm } from './node/origin-form';
import { openServiceStore } from './service-store';

/** Options of {@link serve}. */
export interface ServeOptions {
  /** The data set to answer questions about. */
  data: DataIngestor;
  /** Interface to listen on (default `127.0.0.1`). */
  host?: string;
  /** Port to listen on (default 5000; 0 picks a free one). */
  port?: number;
  /** Worker threads (default: `TP_NUM_OF_THREADS`, else the available parallelism). */
  threads?: number;
  /**
   * Folder of result files; jobs already in it are recovered (default `results`). With
   * {@link ServeOptions.store}, where this instance keeps copies of its own outcomes
   * (default: a private temporary folder, removed on close).
   */
  resultsDir?: string;
  /**
   * A `redis://host:port/db` URL: every instance started with the same one shares job ids,
   * statuses and results through that Redis, so they act as one service behind a load
   * balancer. Unset, results are files in `resultsDir`.
   */
  store?: string;
  /** Most jobs allowed to wait (default 100 000); beyond it submissions get 503 `queue full`. */
  maxQueue?: number;
  /** When set, `/api/graceful_shutdown` needs `Authorization: Bearer <adminToken>`. */
  adminToken?: string;
  /** The request and job log (default: `webserver.log`, 10 MiB × 5 files). */
  log?: LogOptions;
  /** @internal A replacement worker module for the runner, for tests that need slow or failing jobs. */
  workerFile?: URL;
}

/** A listening server. */
export interface LeStatsServer {
  /** Base URL, e.g. `http://127.0.0.1:5000`. */
  readonly url: string;
  /** The port actually bound (useful with `port: 0`). */
  readonly port: number;
  /** The runner behind the handler. */
  readonly runner: JobRunner;
  /** Where results are kept, for people: the results folder, or the Redis. */
  readonly results: string;
  /**
   * Resolves once a graceful shutdown has finished every accepted job, whatever started it:
   * `/api/graceful_shutdown`, {@link LeStatsServer.close} (which the CLI calls on SIGINT and
   * SIGTERM), or `runner.drain()` called directly.
   */
  readonly drained: Promise<void>;
  /**
   * Stops accepting jobs, lets every accepted job finish (GETs keep answering meanwhile),
   * then closes the results store, stops listening and closes the log. Idempotent.
   */
  close(): Promise<void>;
}

// Connections still busy this long after the last job drained are cut, so a stalled
// client cannot keep a stopping server alive.
const CLOSE_GRACE_MS = 5_000;
const CLOSE_SWEEP_MS = 50;

/**
 * Serves the HTTP API on a Node listener (`@whatwg-node/server` over `node:http`), with a
 * file store for results (or a Redis store shared with other instances) and a rotating
 * request/job log. A start that fails closes whatever it had opened, and rejects: with a
 * `store_unavailable` `LeStatsRunnerError` when the results folder or the Redis cannot be
 * used, with a `LeStatsLogError` when the log cannot be opened.
 */
export async function serve(options: ServeOptions): Promise<LeStatsServer> {
  const { data, host = '127.0.0.1', port = 5000, threads, maxQueue, adminToken, workerFile } = options;
  // Before anything is opened, which a bad token would otherwise leave open.
  checkAdminToken(adminToken);
  // What a start that fails has to close again, newest first.
  const opened: Array<() => Promise<unknown>> = [];
  const abandon = async (error: unknown): Promise<never> => {
    for (const close of opened.reverse()) await close().catch(() => {});
    throw error;
  };
  const { store, description: results, dispose } = await openServiceStore(options.store, options.resultsDir);
  opened.push(dispose);
  const log = await openServiceLog(options.log).catch(abandon);
  opened.push(() => log.close());
  let runner: JobRunner;
  try {
    runner = new JobRunner({ data, threads, maxQueue, workerFile, store });
  } catch (error) {
    return abandon(error);
  }
  opened.push(() => runner.shutdown());
  runner.on('job', log.onJob);

  const handler = createHandler({
    data,
    runner,
    adminToken,
    observer: log.observer,
    fetchAPI: { Response },
    trustContentLength: true,
  });
  const adapter = createServerAdapter(handler);
  const server = createServer((request, response) => adapter(toOriginForm(request), response));
  server.on('clientError', answerClientError);
  try {
    await runner.ready();
    server.listen(port, host);
    await once(server, 'listening');
  } catch (error) {
    return abandon(error);
  }
  const bound = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
  log.logger.info({ url, data: data.source, rows: data.report.rows, kept: data.report.kept, results }, 'listening');

  // Follows whatever drains the runner: /api/graceful_shutdown, close(), or runner.drain()
  // called directly. Set up only now, so a start that fails logs no shutdown.
  const drained = new Promise<void>((resolve, reject) => {
    runner.once('draining', () => {
      log.logger.info({ pending: runner.outstanding() }, 'graceful shutdown: no new jobs, draining');
      runner.drain().then(resolve, reject);
    });
  });
  // Callers may never look at `drained`; a failed drain must not become an unhandled rejection.
  drained.catch(() => {});

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await runner.drain().then(
        () => log.logger.info('drained: every accepted job finished'),
        (error: unknown) => log.logger.error({ err: error }, 'drain failed'),
      );
      // The store closes before the listener, so a poll held on another instance's job ends at once.
      await runner.shutdown().catch((error: unknown) => log.logger.error({ err: error }, 'runner shutdown failed'));
      const stopped = once(server, 'close');
      server.close();
      server.closeIdleConnections();
      // A request answered from here on leaves its keep-alive connection idle, and open
      // until the client's timeout unless it is closed as soon as it goes idle.
      const sweep = setInterval(() => server.closeIdleConnections(), CLOSE_SWEEP_MS);
      const cut = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
      await stopped;
      clearInterval(sweep);
      clearTimeout(cut);
      await adapter.dispose();
      await dispose();
      log.logger.info('closed');
      await log.close();
    })();
    return closing;
  };
  return { url, port: bound, runner, results, drained, close };
}
