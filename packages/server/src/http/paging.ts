import type { JobPage } from '@lestats/core';
import { HttpError } from './http-error';

/**
 * `?offset=&limit=` of `/api/jobs`: each absent one leaves the list whole on its side
 * (from the first job, to the last); a present one must be a whole number, else a 400.
 */
export function parsePage(search: URLSearchParams): Partial<JobPage> {
  const page: Partial<JobPage> = {};
  for (const key of ['offset', 'limit'] as const) {
    const value = search.get(key);
    if (value === null) continue;
    if (!/^\d{1,15}$/.test(value)) throw new HttpError(400, `Invalid ${key}: expected a whole number >= 0`);
    page[key] = Number(value);
  }
  return page;
}
