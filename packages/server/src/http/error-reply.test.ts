import { LeStatsDataError, LeStatsInputError, LeStatsRunnerError } from '@lestats/core';
import { describe, expect, it } from 'vitest';
import { replyForError } from './error-reply';
import { HttpError } from './http-error';

describe('replyForError', () => {
  it.each([
    [
      new HttpError(413, 'too big', { connection: 'close' }),
      413,
      '{"status":"error","reason":"too big"}',
      { connection: 'close' },
    ],
    [
      new LeStatsInputError('unknown_question', 'unknown question: "x"'),
      400,
      '{"status":"error","reason":"unknown question: \\"x\\""}',
      undefined,
    ],
    [
      new LeStatsRunnerError('queue_full', 'queue full: 5 waiting'),
      503,
      '{"status":"error","reason":"queue full"}',
      undefined,
    ],
    [
      new LeStatsRunnerError('shutting_down', 'no'),
      503,
      '{"job_id":-1,"status":"error","reason":"shutting down"}',
      undefined,
    ],
    [
      new LeStatsRunnerError('store_unavailable', 'redis down at 10.0.0.3'),
      503,
      '{"status":"error","reason":"results store unavailable"}',
      undefined,
    ],
    [
      new LeStatsRunnerError('ids_exhausted', 'job ids exhausted: job_id_9007199254740991 was the last'),
      503,
      '{"status":"error","reason":"job ids exhausted"}',
      undefined,
    ],
    [
      new LeStatsDataError('unreadable_file', '/secret/path'),
      500,
      '{"status":"error","reason":"internal server error"}',
      undefined,
    ],
    [new TypeError('x is undefined'), 500, '{"status":"error","reason":"internal server error"}', undefined],
    ['a string', 500, '{"status":"error","reason":"internal server error"}', undefined],
  ])('maps %o to %i', (error, status, body, headers) => {
    expect(replyForError(error)).toEqual({ status, body, ...(headers ? { headers } : {}) });
  });
});
