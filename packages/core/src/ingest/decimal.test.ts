import { describe, expect, it } from 'vitest';
import { parseDecimal } from './decimal';

describe('parseDecimal', () => {
  it.each([
    ['31.4', 31.4],
    ['-2', -2],
    [' -2 ', -2],
    ['\t7\r', 7],
    ['1e3', 1000],
    ['1E-2', 0.01],
    ['2.5e+1', 25],
    ['+5', 5],
    ['.5', 0.5],
    ['5.', 5],
    ['007', 7],
    ['0', 0],
    ['-0.0', -0],
    ['1e308', 1e308],
  ])('reads %j as %d', (field, value) => {
    expect(parseDecimal(field)).toBe(value);
  });

  it.each([
    '',
    '   ',
    '~',
    '**',
    '0x10',
    '0b1',
    '0o7',
    'Infinity',
    '-Infinity',
    'NaN',
    '1,000',
    '1 000',
    '1e999',
    '-1e999',
    '1e',
    'e3',
    '.',
    '+',
    '-',
    '1.2.3',
    '--1',
    '1_000',
    '31.4%',
    '١٢',
  ])('rejects %j', (field) => {
    expect(parseDecimal(field)).toBeUndefined();
  });

  it('rejects a missing field', () => {
    expect(parseDecimal(undefined)).toBeUndefined();
  });
});
