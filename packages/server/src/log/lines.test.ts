import type { JobEvent } from '@lestats/core';
import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import type { RequestEnd, RequestStart } from '../http/observer';
import { roundedMs, serviceLines } from './lines';

// What pino itself writes for the same level, fields and message.
function pinoLine(level: 'info' | 'warn', fields: object, msg: string): string {
  let written = '';
  const logger = pino({ timestamp: pino.stdTimeFunctions.isoTime }, { write: (line: string) => (written = line) });
  logger[level](fields, msg);
  return written;
}

function ourLine(write: (lines: ReturnType<typeof serviceLines>) => void): string {
  let written = '';
  write(serviceLines({ write: (line) => (written = line) }));
  return written;
}

const withoutTime = (line: string) => line.replace(/"time":"[^"]*"/, '"time":"…"');
const rounded = <T extends { durationMs: number }>(fields: T) => ({
  ...fields,
  durationMs: roundedMs(fields.durationMs),
});

const starts: RequestStart[] = [
  { request: 7, method: 'GET', path: '/api/num_jobs' },
  { request: 8, method: 'POST', path: '/api/"quoted"\\ ünïcødé \u2028 🏃' },
];
const ends: RequestEnd[] = [
  { request: 8, method: 'POST', path: '/api/best5', status: 200, durationMs: 0.1254321, jobId: 'job_id_3' },
  { request: 9, method: 'GET', path: '/api/nope', status: 404, durationMs: 12 },
  { request: 10, method: 'GET', path: '/api/jobs', status: 200, durationMs: Number.NaN },
];
const jobs: JobEvent[] = [
  { id: 'job_id_3', query: 'best5', status: 'done', durationMs: 3.0000001 },
  { id: 'job_id_4', query: 'global_mean', status: 'error', reason: 'worker failed: "x"\nnext', durationMs: 1.5 },
];

describe('serviceLines', () => {
  it.each(starts)('writes a request start byte for byte as pino does, apart from the time (%#)', (info) => {
    expect(withoutTime(ourLine((lines) => lines.requestStart(info)))).toBe(
      withoutTime(pinoLine('info', info, 'request start')),
    );
  });

  it.each(ends)('writes a request end byte for byte as pino does, apart from the time (%#)', (info) => {
    expect(withoutTime(ourLine((lines) => lines.requestEnd(info)))).toBe(
      withoutTime(pinoLine('info', rounded(info), 'request end')),
    );
  });

  it.each(jobs)('writes a job line byte for byte as pino does, apart from the time (%#)', (event) => {
    const { id, query, status, reason, durationMs } = event;
    const fields = { jobId: id, query, status, durationMs: roundedMs(durationMs), ...(reason && { reason }) };
    const expected = status === 'done' ? pinoLine('info', fields, 'job done') : pinoLine('warn', fields, 'job failed');
    expect(withoutTime(ourLine((lines) => lines.jobEnd(event)))).toBe(withoutTime(expected));
  });

  it('stamps each line with the current time in ISO-8601 UTC, one JSON object per line', () => {
    const before = Date.now();
    const line = ourLine((lines) => lines.requestStart(starts[0] as RequestStart));
    const after = Date.now();
    expect(line.endsWith('}\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    const { time } = JSON.parse(line) as { time: string };
    expect(time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Date.parse(time)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(time)).toBeLessThanOrEqual(after);
  });

  it('stamps a line with its own millisecond, one after the line before', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const times: string[] = [];
      const lines = serviceLines({ write: (line) => times.push((JSON.parse(line) as { time: string }).time) });
      vi.setSystemTime(Date.UTC(2026, 0, 2, 3, 4, 5, 6));
      lines.requestStart(starts[0] as RequestStart);
      lines.requestStart(starts[0] as RequestStart);
      vi.setSystemTime(Date.UTC(2026, 0, 2, 3, 4, 5, 7));
      lines.requestStart(starts[0] as RequestStart);
      expect(times).toEqual(['2026-01-02T03:04:05.006Z', '2026-01-02T03:04:05.006Z', '2026-01-02T03:04:05.007Z']);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('roundedMs', () => {
  it('rounds to the microsecond, and gives null for what JSON cannot hold', () => {
    expect(roundedMs(0.1254321)).toBe(0.125);
    expect(roundedMs(12.3456789)).toBe(12.346);
    expect(roundedMs(3)).toBe(3);
    expect(roundedMs(Number.NaN)).toBeNull();
    expect(roundedMs(Number.POSITIVE_INFINITY)).toBeNull();
  });
});
