import { LeStatsError } from '@lestats/core';

/** Machine-readable reasons for a {@link LeStatsLogError}. */
export type LogErrorCode = 'log_unavailable';

/**
 * The request and job log cannot be used: its name is blank or a folder, or the file cannot be
 * opened (a missing permission, a regular file where a folder should be). The server does not
 * start. Once a log is open, failed writes never throw: they are told as a process warning.
 */
export class LeStatsLogError extends LeStatsError<LogErrorCode> {}
