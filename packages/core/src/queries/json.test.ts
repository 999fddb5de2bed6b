import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entriesToObject, formatFloat, type ResultEntries, resultToJson } from './json';

describe('formatFloat', () => {
  it.each([
    [19, '19.0'],
    [-3, '-3.0'],
    [0, '0.0'],
    [-0, '0.0'],
    [0.1, '0.1'],
    [-2.5, '-2.5'],
    [1 / 3, '0.3333333333333333'],
    [31.400000000000002, '31.400000000000002'],
    [123456789012, '123456789012.0'],
    // Where Python's repr switches to an exponent, and how that looks, differs from JavaScript.
    [9999999999999998, '9999999999999998.0'],
    [1e16, '1e+16'],
    [-4e17, '-4e+17'],
    [123456789012345680000, '1.2345678901234568e+20'],
    [1e21, '1e+21'],
    [1.5e300, '1.5e+300'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [0.0001, '0.0001'],
    [-0.00012, '-0.00012'],
    [9.999e-5, '9.999e-05'],
    [1e-7, '1e-07'],
    [4.9875e-8, '4.9875e-08'],
    [1e-100, '1e-100'],
    [5e-324, '5e-324'],
  ])('writes %d as %s', (value, text) => {
    expect(formatFloat(value)).toBe(text);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])('refuses %d', (value) => {
    expect(() => formatFloat(value)).toThrow(RangeError);
  });

  it('always writes a float literal that reads back to the same double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        const text = formatFloat(value);
        return (
          /^-?\d+(?:\.\d+)?(?:e[+-]\d{2,})?$/.test(text) &&
          // Python's repr: an exponent exactly when a non-zero magnitude is below 1e-4 or from 1e16 up.
          text.includes('e') === (value !== 0 && (Math.abs(value) < 1e-4 || Math.abs(value) >= 1e16)) &&
          /[.e]/.test(text) &&
          !/^-0(?!\.)/.test(text) &&
          JSON.parse(text) === (value === 0 ? 0 : value)
        );
      }),
      { seed: 42, numRuns: 5000 },
    );
  });
});

describe('resultToJson', () => {
  it('writes entries in their order with Python float formatting', () => {
    const entries: ResultEntries = [
      ['10', 19],
      ['2', -3],
      ['Ohio', 0],
      [
        'nested',
        [
          ['b', 1.5],
          ['a', 2],
        ],
      ],
    ];
    expect(resultToJson(entries)).toBe('{"10":19.0,"2":-3.0,"Ohio":0.0,"nested":{"b":1.5,"a":2.0}}');
    expect(resultToJson([])).toBe('{}');
  });

  it('escapes keys as JSON strings', () => {
    const key = `("Saint-Pierre's Isle", 'back\\\\slash', 'new\\nline')\u2028\t"`;
    const text = resultToJson([[key, 1]]);
    expect(JSON.parse(text)).toEqual({ [key]: 1 });
    expect(text).toBe(`{${JSON.stringify(key)}:1.0}`);
  });

  it('refuses a result holding NaN or Infinity instead of writing invalid JSON', () => {
    expect(() => resultToJson([['x', Number.NaN]])).toThrow(RangeError);
    expect(() => resultToJson([['x', [['y', Number.POSITIVE_INFINITY]]]])).toThrow(RangeError);
  });
});

describe('entriesToObject', () => {
  it('builds nested plain objects', () => {
    expect(
      entriesToObject([
        ['Ohio', 1],
        ['in', [['x', 2]]],
      ]),
    ).toEqual({ Ohio: 1, in: { x: 2 } });
  });

  it('keeps names that collide with Object.prototype as own keys', () => {
    const result = entriesToObject([
      ['__proto__', 1],
      ['constructor', 2],
      ['toString', [['__proto__', 3]]],
    ]);
    expect(Object.keys(result)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(result, '__proto__')?.value).toBe(1);
    expect(result.constructor).toBe(2);
    expect(Object.getOwnPropertyDescriptor(result.toString, '__proto__')?.value).toBe(3);
    expect(JSON.parse(JSON.stringify(result))).toEqual(
      JSON.parse('{"__proto__":1,"constructor":2,"toString":{"__proto__":3}}'),
    );
  });
});
