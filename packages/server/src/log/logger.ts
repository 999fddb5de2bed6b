import { once } from 'node:events';
import type { JobEvent } from '@lestats/core';
import pino, { type Logger } from 'pino';
import type { RequestObserver } from '../http/observer';
import { type LineSink, roundedMs, serviceLines } from './lines';
import { openRollingFile } from './rolling-file';

/** Where the server logs and how the log rotates. */
export interface LogOptions {
  /** The log file (default `webserver.log`); numbered files beside it hold the lines. */
  file?: string;
  /** Size in bytes at which the log rolls over to a new file (default 10 MiB); a whole number >= 1. */
  maxBytes?: number;
  /** Log files kept, the current one included (default 5); a whole number >= 1. */
  files?: number;
  /** Also print human-readable lines to stdout. */
  pretty?: boolean;
}

/** The server's log: a pino logger plus the request and job hooks that write to it. */
export interface ServiceLog {
  logger: Logger;
  /** Writes a line as each request enters and one as it leaves. */
  observer: RequestObserver;
  /** Writes a line as each job finishes or fails; listen to a runner's `job` events. */
  onJob: (event: JobEvent) => void;
  /** Flushes every line to disk and closes the file. */
  close(): Promise<void>;
}

/**
 * Opens the service log: JSON lines with ISO-8601 UTC timestamps in a size-rotated file,
 * written asynchronously so logging never blocks the event loop on the disk.
 */
export async function openServiceLog(options: LogOptions = {}): Promise<ServiceLog> {
  const file = await openRollingFile({
    file: options.file ?? 'webserver.log',
    maxBytes: options.maxBytes ?? 10 * 1024 * 1024,
    files: options.files ?? 5,
  });
  // Asynchronous like the file: a stdout piped to a slow reader must not stall requests.
  const human = options.pretty
    ? (await import('pino-pretty')).default({ colorize: process.stdout.isTTY, destination: 1, sync: false })
    : undefined;
  const sink: LineSink =
    human === undefined
      ? file
      : {
          write(line) {
            file.write(line);
            human.write(line);
          },
        };
  // pino writes the rare lines; fixed templates write the ones of every request and job.
  const logger = pino({ timestamp: pino.stdTimeFunctions.isoTime }, sink);
  const lines = serviceLines(sink);

  return {
    logger,
    observer: {
      start: lines.requestStart,
      end: (info) => {
        if (info.error === undefined) return lines.requestEnd(info);
        const { error, durationMs, ...fields } = info;
        logger.error({ ...fields, durationMs: roundedMs(durationMs), err: error }, 'request failed');
      },
    },
    onJob: lines.jobEnd,
    async close() {
      await file.close();
      if (human !== undefined) {
        // Closes once stdout has taken every line, so the last ones reach it before an exit.
        const printed = once(human, 'close');
        human.end();
        await printed.catch(() => {});
      }
    },
  };
}
