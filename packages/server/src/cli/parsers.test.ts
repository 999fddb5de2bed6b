import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { redisUrl, wholeNumber, yearWindow } from './parsers';

describe('redisUrl', () => {
  it.each(['redis://127.0.0.1:6379/0', 'rediss://cache.example:6380', 'redis://:secret@host'])(
    'keeps %s as it is',
    (url) => {
      expect(redisUrl(url)).toBe(url);
    },
  );

  it.each(['http://127.0.0.1:6379', 'redis:///0', 'redis://[::1', 'redis://host:99999', '127.0.0.1:6379'])(
    'refuses %s',
    (url) => {
      expect(() => redisUrl(url)).toThrow(
        new InvalidArgumentError('expected a Redis URL such as redis://127.0.0.1:6379/0'),
      );
    },
  );
});

describe('yearWindow', () => {
  it('reads FROM-TO, a single year included', () => {
    expect(yearWindow('2011-2022')).toEqual([2011, 2022]);
    expect(yearWindow('2015-2015')).toEqual([2015, 2015]);
  });

  it.each(['2022-2011', '2011-2022x', ' 2011-2022', '12011-2022', '2011', '2011-22'])('refuses %j', (value) => {
    expect(() => yearWindow(value)).toThrow(InvalidArgumentError);
  });
});

describe('wholeNumber', () => {
  it('takes both bounds and refuses what lies past them', () => {
    const port = wholeNumber(0, 65535);
    expect(port('0')).toBe(0);
    expect(port('65535')).toBe(65535);
    expect(() => port('-1')).toThrow(new InvalidArgumentError('expected a whole number from 0 to 65535'));
    expect(() => port('65536')).toThrow(InvalidArgumentError);
    expect(() => wholeNumber(1)('0')).toThrow(new InvalidArgumentError('expected a whole number >= 1'));
  });
});
