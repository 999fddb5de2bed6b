import type { DataIngestor, JobRunner } from '@lestats/core';

/** What the routes read: the data set, the runner, and the shutdown settings. */
export interface ServiceContext {
  /** The data set `/api/questions`, `/api/states` and `/api/health` describe. */
  data: DataIngestor;
  /** Runs the jobs; the handler only submits and reads. */
  runner: JobRunner;
  /** When set, `/api/graceful_shutdown` needs `Authorization: Bearer <adminToken>`. */
  adminToken?: string;
  /**
   * Set when the listener delivers exactly Content-Length bytes as a request's body, as
   * Node's HTTP/1.1 parser does: bodies that declare their size are then read in one
   * piece instead of counted as they stream. Leave unset (the default) where a Request
   * may claim any Content-Length, as one built in code can.
   */
  trustContentLength?: boolean;
}
