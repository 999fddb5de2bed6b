import type { QueryName } from '../queries/table';

/**
 * A job id, `job_id_N`. The phantom query type lets {@link JobRunner.wait} know the
 * result type of a job returned by a typed `submit`; any `job_id_N` string is accepted.
 * (A string key, not a unique symbol, so inferred types stay nameable in declaration files.)
 */
export type JobId<N extends QueryName = QueryName> = `job_id_${number}` & { readonly __query?: N };

const JOB_ID = /^job_id_([1-9]\d*)$/;

/**
 * Whether `id` has the form `job_id_N`, N a positive integer written without leading zeros,
 * whatever its size: an id too large to be issued is well-formed, just never issued.
 */
export function isJobId(id: string): boolean {
  return JOB_ID.test(id);
}

/** The number N of a well-formed id `job_id_N` that can be issued (N a safe integer), else undefined. */
export function parseJobId(id: string): number | undefined {
  const match = JOB_ID.exec(id);
  if (match === null) return undefined;
  const n = Number(match[1]);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** The id of job number `n`. */
export function formatJobId<N extends QueryName = QueryName>(n: number): JobId<N> {
  return `job_id_${n}` as JobId<N>;
}
