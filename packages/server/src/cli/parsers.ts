import { resolveThreads, type YearWindow } from '@lestats/core';
import { InvalidArgumentError } from 'commander';
import { isAdminToken } from '../http/admin-token';

/** An option value that must be a whole number in `[min, max]`. */
export function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!/^-?\d+$/.test(value) || number < min || number > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
      throw new InvalidArgumentError(`expected a whole number ${range}`);
    }
    return number;
  };
}

/** `--years FROM-TO`, e.g. `2011-2022`, with FROM <= TO. */
export function yearWindow(value: string): YearWindow {
  const match = /^(\d{4})-(\d{4})$/.exec(value);
  const from = Number(match?.[1]);
  const to = Number(match?.[2]);
  if (match === null || from > to) {
    throw new InvalidArgumentError('expected FROM-TO, two years with FROM <= TO, e.g. 2011-2022');
  }
  return [from, to];
}

/** `--store`: a `redis://` (or TLS `rediss://`) URL. */
export function redisUrl(value: string): string {
  if (!/^rediss?:\/\/[^/]/.test(value) || !URL.canParse(value)) {
    throw new InvalidArgumentError('expected a Redis URL such as redis://127.0.0.1:6379/0');
  }
  return value;
}

/** `--admin-token`: what a client can send in `Authorization: Bearer <token>`. */
export function adminToken(value: string): string {
  if (!isAdminToken(value)) throw new InvalidArgumentError('expected visible ASCII characters without spaces');
  return value;
}

/**
 * An option value that must not be blank, as `--data` (no file at all) and `--host` (which
 * would listen on every interface by accident); `expected` says what it should be.
 */
export function notBlank(expected: string): (value: string) => string {
  return (value) => {
    if (value.trim() === '') throw new InvalidArgumentError(`expected ${expected}`);
    return value;
  };
}

/**
 * The runner's thread count, worked out as the runner will: a bad `TP_NUM_OF_THREADS` is
 * refused as a bad flag is, before a big file is read rather than after.
 */
export function checkedThreads(threads?: number): number {
  try {
    return resolveThreads(threads);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

const positive = wholeNumber(1);

/** `--threads`: a whole number, within the bounds the runner itself accepts. */
export const threadCount = (value: string): number => checkedThreads(positive(value));
