import type { RankingDirection } from './ranking';

/** One entry of `GET /api/questions`. */
export interface QuestionInfo {
  question: string;
  best: RankingDirection;
  states: number;
}

/** The parameters every query route takes. */
export interface QueryParams {
  question: string;
  state?: string;
}

/** A request the server refused or a job that failed, worded for the page. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  /** The server's own `reason`, when it gave one. */
  readonly reason: string | undefined;

  constructor(message: string, reason?: string) {
    super(message);
    this.reason = reason;
  }
}

// How long one get_results poll may be held by the server; the SPEC allows up to 30 s.
const POLL_WAIT_MS = 10_000;

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface JsonReply {
  response: Response;
  body: JsonObject;
}

function reasonOf(body: JsonObject): string {
  return typeof body.reason === 'string' ? body.reason : 'no reason given';
}

/** GETs `path`, or POSTs `payload` as JSON to it when given. */
async function fetchJson(path: string, payload?: unknown): Promise<JsonReply> {
  const init: RequestInit =
    payload === undefined
      ? { headers: { accept: 'application/json' } }
      : {
          method: 'POST',
          headers: { accept: 'application/json', 'content-type': 'application/json' },
          body: JSON.stringify(payload),
        };
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    throw new ApiError(`Cannot reach the server (${(error as Error).message}). Is it still running?`);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`The server answered ${path} with HTTP ${response.status} and a body that is not JSON.`);
  }
  if (!isObject(body)) throw new ApiError(`The server answered ${path} with unexpected JSON.`);
  return { response, body };
}

function refused(path: string, { response, body }: JsonReply): ApiError {
  const reason = reasonOf(body);
  return new ApiError(`The server refused ${path}: ${reason} (HTTP ${response.status}).`, reason);
}

async function requestJson(path: string, payload?: unknown): Promise<JsonObject> {
  const reply = await fetchJson(path, payload);
  if (!reply.response.ok || reply.body.status === 'error') throw refused(path, reply);
  return reply.body;
}

async function listData<T>(path: string): Promise<T[]> {
  const body = await requestJson(path);
  if (!Array.isArray(body.data)) throw new ApiError(`The server answered ${path} without a data list.`);
  return body.data as T[];
}

/** `GET /api/questions`: every question with its ranking direction. */
export function fetchQuestions(): Promise<QuestionInfo[]> {
  return listData<QuestionInfo>('/api/questions');
}

/** `GET /api/states`: every state of the data set, sorted. */
export function fetchStates(): Promise<string[]> {
  return listData<string>('/api/states');
}

/**
 * Runs one query the way any client of the service does: `POST /api/<query>` for a job id,
 * then long-polls `GET /api/get_results/<id>?wait=` until the job is done or has failed.
 */
export async function runQuery<Result>(query: string, params: QueryParams): Promise<Result> {
  const submitted = await requestJson(`/api/${query}`, params);
  const jobId = submitted.job_id;
  if (typeof jobId !== 'string') throw new ApiError(`The server accepted ${query} without a job id.`);
  const resultsPath = `/api/get_results/${encodeURIComponent(jobId)}?wait=${POLL_WAIT_MS}`;
  for (;;) {
    const reply = await fetchJson(resultsPath);
    if (!reply.response.ok) throw refused(resultsPath, reply);
    const { status } = reply.body;
    if (status === 'done') return reply.body.data as Result;
    if (status === 'error') throw new ApiError(`The ${query} job ${jobId} failed: ${reasonOf(reply.body)}.`);
    if (status !== 'running') throw new ApiError(`The ${query} job ${jobId} answered an unknown status.`);
  }
}

/** The part of `GET /api/health` the page shows: where the data came from. */
export interface DatasetInfo {
  source: string;
  rows: number;
  kept: number;
}

/** `GET /api/health`'s `dataset`. */
export async function fetchDataset(): Promise<DatasetInfo> {
  const body = await requestJson('/api/health');
  if (!isObject(body.dataset)) throw new ApiError('The server answered /api/health without a dataset.');
  return body.dataset as unknown as DatasetInfo;
}
