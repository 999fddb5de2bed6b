/** Machine-readable reasons for a {@link LeStatsInputError}: bad query parameters or job ids. */
export type InputErrorCode =
  | 'invalid_params'
  | 'unknown_query'
  | 'unknown_question'
  | 'unknown_state'
  | 'no_ranking'
  | 'unknown_job';

/** Machine-readable reasons for a {@link LeStatsDataError}: a CSV that cannot be ingested. */
export type DataErrorCode = 'unreadable_file' | 'empty_file' | 'missing_columns' | 'row_too_long' | 'invalid_option';

/** Machine-readable reasons for a {@link LeStatsRunnerError}: what the runner cannot do now. */
export type RunnerErrorCode = 'queue_full' | 'shutting_down' | 'store_unavailable' | 'ids_exhausted';

/** Base class of every error this library throws on purpose; `code` is stable, `message` is for people. */
export class LeStatsError<Code extends string = string> extends Error {
  readonly code: Code;

  constructor(code: Code, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/**
 * Bad query input: a missing parameter, an unknown query, question or state, a ranking
 * asked of a question with no ranking direction, or a job id never issued (`wait`).
 * Nothing was computed or queued.
 */
export class LeStatsInputError extends LeStatsError<InputErrorCode> {}

/** A data file that cannot be ingested (unreadable, empty, missing required columns, a row too long), or a bad ingest option. */
export class LeStatsDataError extends LeStatsError<DataErrorCode> {}

/**
 * The job runner cannot do it now: a submission while its queue is full or once it is
 * draining, a store that cannot open or is out of reach (`store_unavailable`), a wait on
 * another instance's job when it shuts down, or a submission past the last job id exact in a
 * JavaScript number (`ids_exhausted`).
 */
export class LeStatsRunnerError extends LeStatsError<RunnerErrorCode> {}

/** What went wrong, in words: an error's message, or anything else thrown as text. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The one place errors are built, so messages and codes stay consistent. */
export const fail = {
  input: (code: InputErrorCode, message: string) => new LeStatsInputError(code, message),
  data: (code: DataErrorCode, message: string, cause?: unknown) =>
    new LeStatsDataError(code, message, cause === undefined ? undefined : { cause }),
  runner: (code: RunnerErrorCode, message: string) => new LeStatsRunnerError(code, message),
};

/** A value as an error message shows it: a string in quotes, so `'2'` does not read as 2. */
export function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  // One level deep, so a list reads as a list and a list that holds itself cannot loop.
  if (Array.isArray(value)) return `[${value.map((item) => (Array.isArray(item) ? '[…]' : shown(item))).join(', ')}]`;
  // String() throws on an object without a prototype; this names any object and never throws.
  return typeof value === 'object' && value !== null ? Object.prototype.toString.call(value) : String(value);
}
