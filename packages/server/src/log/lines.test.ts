import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { type LineFields, lineWriter } from './lines';

// What pino itself writes for the same level, fields and message.
function pinoLine(level: 'info' | 'warn', fields: LineFields, msg: string): string {
  let written = '';
  const logger = pino({ timestamp: pino.stdTimeFunctions.isoTime }, { write: (line: string) => (written = line) });
  logger[level](fields, msg);
  return written;
}

function handLine(level: 'info' | 'warn', fields: LineFields, msg: string): string {
  let written = '';
  lineWriter({ write: (line) => (written = line) })(level, fields, msg);
  return written;
}

const withoutTime = (line: string) => line.replace(/"time":"[^"]*"/, '"time":"…"');

describe('lineWriter', () => {
  it.each<[string, 'info' | 'warn', LineFields, string]>([
    ['a request', 'info', { request: 7, method: 'GET', path: '/api/num_jobs' }, 'request start'],
    [
      'a request with a job',
      'info',
      { request: 8, method: 'POST', path: '/api/best5', status: 200, durationMs: 0.125, jobId: 'job_id_3' },
      'request end',
    ],
    ['left-out fields', 'info', { request: 9, status: 404, jobId: undefined }, 'request end'],
    [
      'text that needs escaping',
      'warn',
      { path: '/api/"quoted"\\', reason: 'line\nbreak, tab\t, ünïcødé, \u2028, emoji 🏃' },
      'job failed',
    ],
    ['numbers JSON cannot hold', 'info', { durationMs: Number.NaN, other: Number.POSITIVE_INFINITY }, 'odd'],
  ])('writes %s byte for byte as pino does, apart from the time', (_, level, fields, msg) => {
    expect(withoutTime(handLine(level, fields, msg))).toBe(withoutTime(pinoLine(level, fields, msg)));
  });

  it('stamps each line with the current time in ISO-8601 UTC, one JSON object per line', () => {
    const before = Date.now();
    const line = handLine('info', { request: 1 }, 'request start');
    const after = Date.now();
    expect(line.endsWith('}\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    const { time } = JSON.parse(line) as { time: string };
    expect(time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Date.parse(time)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(time)).toBeLessThanOrEqual(after);
  });
});
