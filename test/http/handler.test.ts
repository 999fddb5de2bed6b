// createHandler without any listener: plain Request objects in, Responses out, as any
// fetch-style runtime would call it.
import { DataIngestor, JobRunner } from '@lestats/core';
import { createHandler, type RequestEnd, type RequestStart } from '@lestats/server';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { lateOpeningStore } from '../../packages/core/src/jobs/test-workers/harness';
import { data, QUESTION, STATE } from './harness';

const runner = new JobRunner({ data, threads: 1 });
afterAll(() => runner.shutdown());

const starts: RequestStart[] = [];
const ends: RequestEnd[] = [];
const draining = vi.fn();
runner.on('draining', draining);
const handler = createHandler({
  data,
  runner,
  observer: { start: (info) => starts.push(info), end: (info) => ends.push(info) },
});

// A POST whose body streams in, as a listener hands it over, under the caller's signal.
function streamedSubmit(body: ReadableStream<Uint8Array>, signal: AbortSignal): Request {
  return new Request('http://localhost/api/states_mean', {
    method: 'POST',
    body,
    duplex: 'half',
    signal,
  } as RequestInit);
}

/**
 * A body of 16 KiB chunks of spaces, how many were pulled, and whether it was cancelled. It ends after 64 chunks
 * (1 MiB, far past the limit), so a handler that wrongly reads it all fails the test
 * instead of filling memory.
 */
function blankChunks(): { body: ReadableStream<Uint8Array>; pulled: () => number; cancelled: () => boolean } {
  const chunk = new Uint8Array(16 * 1024).fill(0x20);
  let pulled = 0;
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled++;
      controller.enqueue(chunk);
      if (pulled === 64) controller.close();
    },
    cancel() {
      cancelled = true;
    },
  });
  return { body, pulled: () => pulled, cancelled: () => cancelled };
}

async function send(path: string, init?: RequestInit): Promise<{ status: number; type: string | null; text: string }> {
  const response = await handler(new Request(`http://localhost${path}`, init));
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

describe('createHandler without a listener', () => {
  it('submits a job and long-polls its result', async () => {
    const submitted = await send('/api/state_diff_from_mean', {
      method: 'POST',
      body: JSON.stringify({ question: QUESTION, state: STATE }),
    });
    expect(submitted).toEqual({ status: 200, type: 'application/json', text: '{"job_id":"job_id_1"}' });
    const answer = await send('/api/get_results/job_id_1?wait=10000');
    expect(answer.text).toBe(
      `{"status":"done","data":${data.queryJson('state_diff_from_mean', { question: QUESTION, state: STATE })}}`,
    );
  });

  it('tells its observer when each request starts and ends, with the job id', async () => {
    starts.length = 0;
    ends.length = 0;
    await send('/api/num_jobs');
    await send('/api/get_results/job_id_1');
    expect(starts).toEqual([
      { request: expect.any(Number), method: 'GET', path: '/api/num_jobs' },
      { request: expect.any(Number), method: 'GET', path: '/api/get_results/job_id_1' },
    ]);
    expect(starts[1]?.request).toBe((starts[0]?.request as number) + 1);
    expect(ends).toEqual([
      { ...starts[0], status: 200, durationMs: expect.any(Number) },
      { ...starts[1], status: 200, durationMs: expect.any(Number), jobId: 'job_id_1' },
    ]);
  });

  it('tells its observer how long each request took, from its start to its answer', async () => {
    ends.length = 0;
    const now = vi.spyOn(performance, 'now').mockReturnValueOnce(1_000).mockReturnValueOnce(1_250.5);
    try {
      await send('/api/num_jobs');
    } finally {
      now.mockRestore();
    }
    expect(ends).toEqual([expect.objectContaining({ path: '/api/num_jobs', durationMs: 250.5 })]);
  });

  it('answers 499, not a server error, when the caller aborts while its body streams in', async () => {
    const client = new AbortController();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"question":'));
        client.signal.addEventListener('abort', () => controller.error(client.signal.reason));
      },
    });
    ends.length = 0;
    const answer = handler(streamedSubmit(body, client.signal));
    client.abort();
    expect((await answer).status).toBe(499);
    expect(ends).toEqual([expect.objectContaining({ path: '/api/states_mean', status: 499 })]);
    expect(ends[0]?.error).toBeUndefined();
  });

  it('answers 400, not a server error, to a body that breaks off', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"question":'));
        controller.error(new Error('connection reset'));
      },
    });
    ends.length = 0;
    const answer = await send('/api/states_mean', { method: 'POST', body, duplex: 'half' } as RequestInit);
    expect(answer).toEqual({
      status: 400,
      type: 'application/json',
      text: '{"status":"error","reason":"request body could not be read"}',
    });
    expect(ends[0]?.error).toBeUndefined();
  });

  it('stops reading a body that never ends once its caller aborts', async () => {
    const client = new AbortController();
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new TextEncoder().encode(' '));
        return new Promise((resolve) => setTimeout(resolve, 5));
      },
    });
    const answer = handler(streamedSubmit(body, client.signal));
    setTimeout(() => client.abort(), 20);
    const ended = await Promise.race([answer, new Promise((resolve) => setTimeout(resolve, 5_000, 'still reading'))]);
    expect(ended).toBeInstanceOf(Response);
    expect((ended as Response).status).toBe(499);
  });

  it('counts body bytes as they stream in, whatever Content-Length claims', async () => {
    const { body, pulled, cancelled } = blankChunks();
    const answer = await send('/api/states_mean', {
      method: 'POST',
      body,
      duplex: 'half',
      headers: { 'content-length': '2' },
    } as RequestInit);
    expect(answer.status).toBe(413);
    expect(answer.text).toBe('{"status":"error","reason":"request body too large: at most 65536 bytes"}');
    // Reading stopped just past the limit: five 16 KiB chunks, plus what the stream buffered ahead.
    expect(pulled()).toBeLessThan(10);
    // And the rest is refused at its source.
    expect(cancelled()).toBe(true);
  });

  it('stops waiting on a body that stalls once its caller aborts, and submits nothing from what came so far', async () => {
    const client = new AbortController();
    const before = runner.list().length;
    let pulls = 0;
    let waiting: () => void = () => {};
    const waitingForMore = new Promise<void>((resolve) => {
      waiting = resolve;
    });
    // A whole JSON object, then nothing more and no end: only the abort can finish the read.
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (++pulls === 1) controller.enqueue(new TextEncoder().encode(JSON.stringify({ question: QUESTION })));
        else {
          waiting();
          return new Promise(() => {});
        }
      },
    });
    const answer = handler(streamedSubmit(body, client.signal));
    await waitingForMore;
    client.abort();
    const ended = await Promise.race([answer, new Promise((resolve) => setTimeout(resolve, 5_000, 'still reading'))]);
    expect(ended).toBeInstanceOf(Response);
    expect((ended as Response).status).toBe(499);
    expect(runner.list()).toHaveLength(before);
  });

  it('answers HEAD with the headers GET would send and no body', async () => {
    const get = await handler(new Request('http://localhost/api/states'));
    const head = await handler(new Request('http://localhost/api/states', { method: 'HEAD' }));
    const text = await get.text();
    expect(head.status).toBe(200);
    expect(head.body).toBeNull();
    expect(head.headers.get('content-type')).toBe('application/json');
    expect(head.headers.get('content-length')).toBe(String(new TextEncoder().encode(text).length));
  });

  it('answers HEAD with the length in bytes, not characters, of a body with non-ASCII text', async () => {
    const csv = [
      'Question,LocationDesc,Data_Value,StratificationCategory1,Stratification1,YearStart,YearEnd',
      `${QUESTION},Québec,1.5,Total,Total,2020,2020`,
    ].join('\n');
    const accented = createHandler({ data: DataIngestor.fromString(csv), runner });
    const text = await (await accented(new Request('http://localhost/api/states'))).text();
    expect(text).toBe('{"status":"done","data":["Québec"]}');
    const head = await accented(new Request('http://localhost/api/states', { method: 'HEAD' }));
    // "é" is one character and two bytes.
    expect(head.headers.get('content-length')).toBe(String(text.length + 1));
  });

  it('refuses an admin token no request could present, and accepts any visible ASCII', () => {
    for (const adminToken of ['', 'a b', 'tab\there', 'jeton-é', 'del\x7f'])
      expect(() => createHandler({ data, runner, adminToken })).toThrow(RangeError);
    expect(() => createHandler({ data, runner, adminToken: 'A-z_0.9~+/=!"#' })).not.toThrow();
  });

  it('answers 400 to a POST without a body', async () => {
    expect(await send('/api/states_mean', { method: 'POST' })).toEqual({
      status: 400,
      type: 'application/json',
      text: '{"status":"error","reason":"request body must be a JSON object"}',
    });
  });

  it('reports an internal error to its observer and nothing of it to the client', async () => {
    const failure = new Error('secret internal detail');
    const spy = vi.spyOn(runner, 'counts').mockImplementation(() => {
      throw failure;
    });
    const answer = await send('/api/health');
    spy.mockRestore();
    expect(answer).toEqual({
      status: 500,
      type: 'application/json',
      text: '{"status":"error","reason":"internal server error"}',
    });
    expect(ends.at(-1)).toMatchObject({ path: '/api/health', status: 500, error: failure });
  });

  it('builds responses with the Fetch API it is given', async () => {
    class TracedResponse extends Response {}
    const traced = createHandler({ data, runner, fetchAPI: { Response: TracedResponse } });
    const response = await traced(new Request('http://localhost/api/states'));
    expect(response).toBeInstanceOf(TracedResponse);
    expect(await response.json()).toEqual({ status: 'done', data: data.states() });
  });

  describe('with trustContentLength, as the Node listener sets it', () => {
    const trusting = createHandler({ data, runner, trustContentLength: true });
    const post = async (init: RequestInit) => {
      const response = await trusting(new Request('http://localhost/api/global_mean', { method: 'POST', ...init }));
      return { status: response.status, text: await response.text() };
    };

    it('reads a body that declares its size in one piece', async () => {
      const body = JSON.stringify({ question: QUESTION });
      const answer = await post({ body, headers: { 'content-length': String(body.length) } });
      expect(answer).toEqual({ status: 200, text: expect.stringMatching(/^\{"job_id":"job_id_\d+"\}$/) });
    });

    it('still refuses a body larger than it declares, which only a Request built in code can carry', async () => {
      const body = JSON.stringify({ question: QUESTION, padding: ' '.repeat(64 * 1024) });
      const answer = await post({ body, headers: { 'content-length': '2' } });
      expect(answer).toEqual({
        status: 413,
        text: '{"status":"error","reason":"request body too large: at most 65536 bytes"}',
      });
    });

    it('counts a body without Content-Length as it streams in', async () => {
      const { body, pulled } = blankChunks();
      const answer = await post({ body, duplex: 'half' } as RequestInit);
      expect(answer.status).toBe(413);
      expect(pulled()).toBeLessThan(10);
    });
  });

  it('starts the shutdown once, which the runner announces, and keeps answering GETs', async () => {
    expect((await send('/api/graceful_shutdown')).status).toBe(200);
    expect((await send('/api/graceful_shutdown')).status).toBe(200);
    expect(draining).toHaveBeenCalledTimes(1);
    await runner.drain();
    expect((await send('/api/graceful_shutdown')).text).toBe('{"status":"done"}');
    expect((await send('/api/global_mean', { method: 'POST', body: '{}' })).text).toBe(
      '{"job_id":-1,"status":"error","reason":"shutting down"}',
    );
    expect((await send('/api/get_results/job_id_1')).status).toBe(200);
  });
});

describe('graceful_shutdown on a runner whose drain fails', () => {
  it('answers, and leaves no unhandled rejection: the outcome is for whoever listens to the runner', async () => {
    const failing = new JobRunner({ data, threads: 1 });
    await failing.ready();
    // Not a vi mock: those handle the promises they return, to record how they settled.
    failing.drain = () => Promise.reject(new Error('pool would not stop'));
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const answer = await createHandler({ data, runner: failing })(
        new Request('http://localhost/api/graceful_shutdown'),
      );
      expect(answer.status).toBe(200);
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
      // Back to the class's own drain, to stop its threads.
      Reflect.deleteProperty(failing, 'drain');
      await failing.shutdown();
    }
  });
});

describe('graceful_shutdown while a store issues ids slowly', () => {
  it('reports running until a submission accepted before it has its id and has finished', async () => {
    // A submission accepted before the store issues its id is in neither the queue nor
    // pending(), yet the drain waits for it.
    const { store, opens } = lateOpeningStore();
    const slowRunner = new JobRunner({ data, threads: 1, store });
    const slowHandler = createHandler({ data, runner: slowRunner });
    const call = async (path: string, init?: RequestInit) =>
      (await slowHandler(new Request(`http://localhost${path}`, init))).text();
    try {
      const submitted = call('/api/global_mean', { method: 'POST', body: JSON.stringify({ question: QUESTION }) });
      await vi.waitFor(() => expect(slowRunner.outstanding()).toBe(1));
      expect(await call('/api/graceful_shutdown')).toBe('{"status":"running"}');
      opens();
      expect(await submitted).toBe('{"job_id":"job_id_1"}');
      await slowRunner.drain();
      expect(await call('/api/graceful_shutdown')).toBe('{"status":"done"}');
      expect(slowRunner.status('job_id_1')).toBe('done');
    } finally {
      opens();
      await slowRunner.shutdown();
    }
  });
});
