import { describe, expect, it } from 'vitest';
import { HttpError } from './http-error';
import { hasDotSegmentId, MAX_WAIT_MS, parseWait } from './results';

describe('parseWait', () => {
  it('reads whole milliseconds, absent as 0, and clamps long waits to the maximum', () => {
    expect(parseWait(null)).toBe(0);
    expect(parseWait('0')).toBe(0);
    expect(parseWait('250')).toBe(250);
    expect(parseWait(String(MAX_WAIT_MS))).toBe(30_000);
    expect(parseWait('30001')).toBe(30_000);
    expect(parseWait('9'.repeat(400))).toBe(30_000);
  });

  it.each(['', '-1', '1.5', '1e3', ' 5', 'soon', '0x10'])('refuses %j with a 400', (value) => {
    expect(() => parseWait(value)).toThrow(HttpError);
    expect(() => parseWait(value)).toThrow(/^Invalid wait/);
  });
});

describe('hasDotSegmentId', () => {
  it.each([
    ['http://h/api/get_results/../..', true],
    ['http://h/api/get_results/..', true],
    ['http://h/api/get_results/./job_id_1', true],
    ['http://h:5000/api/get_results/job_id_1/..?wait=5', true],
    ['http://h/api/get_results/%2e%2e', true],
    ['http://h/api/get_results/%2E%2e/%2e%2E', true],
    ['http://h/api/get_results/.%2e', true],
    ['http://h/api/get_results/%2e', true],
    ['http://h/api/get_results/%2e%2e%2e', false],
    ['http://h/api/get_results/job%5Fid%5F1', false],
    ['http://h/api/get_results/job_id_1', false],
    ['http://h/api/get_results/job_id_1?x=/..', false],
    ['http://h/api/get_results/...', false],
    ['http://h/api/get_results/a..b', false],
    ['http://h/api/../api/jobs', false],
    ['http://h/', false],
  ])('%s → %s', (url, expected) => {
    expect(hasDotSegmentId(url)).toBe(expected);
  });
});
