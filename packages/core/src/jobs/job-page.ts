import { fail } from '../errors';
import type { JobPage } from './store';

/** A complete, checked page: `offset` defaults to 0 and `limit` to the whole list. */
export function pageOf(page: Partial<JobPage> = {}): JobPage {
  const { offset = 0, limit = Number.POSITIVE_INFINITY } = page;
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw fail.input('invalid_params', `offset must be a whole number >= 0, got ${String(offset)}`);
  }
  if (limit !== Number.POSITIVE_INFINITY && (!Number.isSafeInteger(limit) || limit < 0)) {
    throw fail.input('invalid_params', `limit must be a whole number >= 0, got ${String(limit)}`);
  }
  return { offset, limit };
}
