/** A request as it enters the handler. */
export interface RequestStart {
  /** Numbers the requests of one handler, so a log can pair each start with its end. */
  request: number;
  method: string;
  path: string;
}

/** A request as it leaves the handler. */
export interface RequestEnd extends RequestStart {
  status: number;
  durationMs: number;
  /** The job the request created or asked about, if any. */
  jobId?: string;
  /** What went wrong when the status is 500; never shown to the client. */
  error?: unknown;
}

/**
 * Watches requests go in and out of a handler, e.g. to log them. Kept as an interface so
 * the handler depends on no logger and runs in any fetch runtime.
 */
export interface RequestObserver {
  start(info: RequestStart): void;
  end(info: RequestEnd): void;
}
