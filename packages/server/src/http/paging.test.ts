import { describe, expect, it } from 'vitest';
import { HttpError } from './http-error';
import { parsePage } from './paging';

const page = (query: string) => parsePage(new URLSearchParams(query));

describe('parsePage', () => {
  it('leaves out what the query does not give', () => {
    expect(page('')).toEqual({});
    expect(page('offset=20')).toEqual({ offset: 20 });
    expect(page('limit=0&offset=3')).toEqual({ offset: 3, limit: 0 });
  });

  it.each([
    ['offset=-1', 'Invalid offset: expected a whole number >= 0'],
    ['offset=', 'Invalid offset: expected a whole number >= 0'],
    ['limit=1.5', 'Invalid limit: expected a whole number >= 0'],
    ['limit=1e3', 'Invalid limit: expected a whole number >= 0'],
    ['limit=1234567890123456', 'Invalid limit: expected a whole number >= 0'],
  ])('refuses %s with a 400', (query, reason) => {
    expect(() => page(query)).toThrow(new HttpError(400, reason));
    expect(() => page(query)).toThrow(expect.objectContaining({ status: 400 }));
  });
});
