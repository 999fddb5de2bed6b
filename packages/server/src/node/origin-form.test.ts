import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { toOriginForm } from './origin-form';

/** The parts of a request toOriginForm reads and rewrites. */
const request = (url: string, host = 'front.example') => ({ url, headers: { host } }) as unknown as IncomingMessage;

describe('toOriginForm', () => {
  it.each([
    ['http://api.example/api/num_jobs', '/api/num_jobs', 'api.example'],
    ['HTTP://127.0.0.1:1/api/jobs?page=2', '/api/jobs?page=2', '127.0.0.1:1'],
    ['http://api.example?x', '/?x', 'api.example'],
    ['http://api.example', '/', 'api.example'],
    ['http://api.example/api/get_results/../..', '/api/get_results/../..', 'api.example'],
    // RFC 3986 schemes take digits, `+`, `-` and `.` after their first letter.
    ['web+s3.x-1://api.example/api/num_jobs', '/api/num_jobs', 'api.example'],
  ])('rewrites %s to %s, taking the host from the target', (target, url, host) => {
    expect(toOriginForm(request(target))).toMatchObject({ url, headers: { host } });
  });

  it.each(['/api/num_jobs', '*', 'api.example/api/num_jobs'])('leaves %s as it is', (target) => {
    expect(toOriginForm(request(target))).toMatchObject({ url: target, headers: { host: 'front.example' } });
  });
});
