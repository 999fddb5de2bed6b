import type { JobStatus } from '@lestats/core';

/**
 * A response before it becomes a `Response`: status, JSON text and, for the request log,
 * the job the request was about. Route code builds these; only the handler builds Responses.
 */
export interface Reply {
  status: number;
  /** The JSON body, already serialised. */
  body: string;
  /** The job id the request created or asked about, for the request log. */
  jobId?: string;
  /** Extra headers; content-type is `application/json` unless set here (only the explorer's page and script do). */
  headers?: Record<string, string>;
}

/** Any error: `{ "status": "error", "reason" }` with the given HTTP status. */
export function errorReply(status: number, reason: string, headers?: Record<string, string>): Reply {
  return { status, body: `{"status":"error","reason":${JSON.stringify(reason)}}`, ...(headers ? { headers } : {}) };
}

/** 503 once a graceful shutdown began; clients of the original service read `job_id: -1`. */
export function shuttingDown(): Reply {
  return { status: 503, body: '{"job_id":-1,"status":"error","reason":"shutting down"}' };
}

/** 200 `{ "job_id" }` for an accepted job. */
export function submitted(jobId: string): Reply {
  return { status: 200, body: `{"job_id":${JSON.stringify(jobId)}}`, jobId };
}

/** 200 `{ "status": "running" }`: the job is queued or running. */
export function jobRunning(jobId: string): Reply {
  return { status: 200, body: '{"status":"running"}', jobId };
}

/**
 * 200 `{ "status": "done", "data" }`. `resultJson` is spliced in as stored, never
 * re-serialised, so floats keep their `.0` and keys their order.
 */
export function jobDone(jobId: string, resultJson: string): Reply {
  return { status: 200, body: `{"status":"done","data":${resultJson}}`, jobId };
}

/** 499, nginx's "client closed request": for the log alone, as nobody reads the answer. */
export function clientClosed(jobId?: string): Reply {
  return { ...errorReply(499, 'client closed request'), ...(jobId === undefined ? {} : { jobId }) };
}

/** 404 `Invalid job_id` for a well-formed id no job has: the log still names the id asked about. */
export function unknownJob(jobId: string): Reply {
  return { ...errorReply(404, 'Invalid job_id'), jobId };
}

/** 200 `{ "status": "error", "reason" }`: the job ran and failed (the request itself was fine). */
export function jobFailed(jobId: string, reason: string): Reply {
  return { ...errorReply(200, reason), jobId };
}

/** `/api/jobs`: `{ "status": "done", "data": [ { id: status } ] }`; queued jobs read `running`. */
export function jobList(jobs: Iterable<{ id: string; status: JobStatus }>): Reply {
  const entries: string[] = [];
  for (const { id, status } of jobs)
    entries.push(`{${JSON.stringify(id)}:"${status === 'queued' ? 'running' : status}"}`);
  return { status: 200, body: `{"status":"done","data":[${entries.join(',')}]}` };
}

/** `/api/num_jobs`: `{ "num_jobs" }`, the jobs queued or running. */
export function jobCount(pending: number): Reply {
  return { status: 200, body: `{"num_jobs":${pending}}` };
}

/** `/api/graceful_shutdown`: `running` while accepted jobs remain, then `done`. */
export function shutdownProgress(pending: number): Reply {
  return { status: 200, body: pending > 0 ? '{"status":"running"}' : '{"status":"done"}' };
}

/** A listing (`/api/questions`, `/api/states`): `{ "status": "done", "data" }`. */
export function listing(data: unknown): Reply {
  return { status: 200, body: `{"status":"done","data":${JSON.stringify(data)}}` };
}

/** Everything `/api/health` reports. */
export interface HealthReport {
  dataset: { source: string; rows: number; kept: number };
  jobs: { queued: number; running: number; done: number; error: number };
  accepting: boolean;
}

/** `/api/health`: `{ "status": "ok", "dataset", "jobs", "accepting" }`. */
export function health(report: HealthReport): Reply {
  return { status: 200, body: JSON.stringify({ status: 'ok', ...report }) };
}
