import { describe, expect, it } from 'vitest';
import { formatJobId, isJobId, parseJobId } from './job-id';

describe('isJobId / parseJobId / formatJobId', () => {
  it.each([
    ['job_id_1', 1],
    ['job_id_42', 42],
    ['job_id_1000000', 1_000_000],
    [`job_id_${Number.MAX_SAFE_INTEGER}`, Number.MAX_SAFE_INTEGER],
  ])('parses %s', (id, n) => {
    expect(isJobId(id)).toBe(true);
    expect(parseJobId(id)).toBe(n);
    expect(formatJobId(n)).toBe(id);
  });

  it.each([
    'job_id_0',
    'job_id_01',
    'job_id_1x',
    'job_id_-1',
    'job_id_1.5',
    'job_id_1e3',
    'job_id_',
    'job_id_ 1',
    ' job_id_1',
    'job_id_1\n',
    'JOB_ID_1',
    'job_1',
    '1',
    '',
    '../..',
    'job_id_1/../job_id_2',
  ])('rejects %j', (id) => {
    expect(isJobId(id)).toBe(false);
    expect(parseJobId(id)).toBeUndefined();
  });

  // Well-formed, so a client asking for one hears "never issued" rather than "malformed".
  it.each([`job_id_${Number.MAX_SAFE_INTEGER + 1}`, 'job_id_99999999999999999', `job_id_${'9'.repeat(400)}`])(
    'takes %j as well-formed but gives it no number, as it can never be issued',
    (id) => {
      expect(isJobId(id)).toBe(true);
      expect(parseJobId(id)).toBeUndefined();
    },
  );

  it('round-trips every id it formats', () => {
    for (let n = 1; n < 5000; n += 7) expect(parseJobId(formatJobId(n))).toBe(n);
  });
});
