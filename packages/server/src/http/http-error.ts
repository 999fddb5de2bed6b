/**
 * A request the service refuses on purpose: its status and the reason shown to the client.
 * Anything else thrown while handling a request is an internal error and shows no message.
 */
export class HttpError extends Error {
  readonly status: number;
  readonly headers: Record<string, string> | undefined;

  constructor(status: number, reason: string, headers?: Record<string, string>) {
    super(reason);
    this.name = 'HttpError';
    this.status = status;
    this.headers = headers;
  }
}
