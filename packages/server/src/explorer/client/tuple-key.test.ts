import { pythonStringRepr } from '@lestats/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTupleKey } from './tuple-key';

// Characters that stress the escapes more often than uniform code points would, plus any
// code point at all (lone surrogates included).
const character = fc.oneof(
  fc.constantFrom("'", '"', '\\', '\n', '\r', '\t', '\u0000', '\u00a0', '\u2028', ' '),
  fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
  fc.integer({ min: 0, max: 0x10ffff }).map((code) => String.fromCodePoint(code)),
);

// How Python's repr() prints a tuple of strings (a one-element tuple keeps its comma).
const tupleRepr = (items: string[]) =>
  items.length === 1 ? `(${pythonStringRepr(items[0])},)` : `(${items.map(pythonStringRepr).join(', ')})`;

describe('parseTupleKey', () => {
  it('reads the keys the *_by_category queries return', () => {
    expect(parseTupleKey("('Age (years)', '18 - 24')")).toEqual(['Age (years)', '18 - 24']);
    expect(parseTupleKey("('Income', '$15,000 - $24,999')")).toEqual(['Income', '$15,000 - $24,999']);
    expect(parseTupleKey("(\"Saint-Pierre's Isle\", 'Age (years)', '18 - 24')")).toEqual([
      "Saint-Pierre's Isle",
      'Age (years)',
      '18 - 24',
    ]);
  });

  it('undoes every escape repr() writes', () => {
    expect(parseTupleKey("('both \\' and \"', 'back\\\\slash')")).toEqual(['both \' and "', 'back\\slash']);
    expect(parseTupleKey("('a\\nb\\rc\\td',)")).toEqual(['a\nb\rc\td']);
    expect(parseTupleKey("('\\x00\\xa0', '\\u2028', '\\U000f0000')")).toEqual([
      '\u0000\u00a0',
      '\u2028',
      '\udb80\udc00',
    ]);
  });

  it('keeps an escape Python does not know as written', () => {
    expect(parseTupleKey("('a\\qb',)")).toEqual(['a\\qb']);
  });

  it('round-trips any strings through Python repr', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: character }), { minLength: 1, maxLength: 3 }), (items) => {
        expect(parseTupleKey(tupleRepr(items))).toEqual(items);
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it.each([
    ['', 'expected "("'],
    ["'a', 'b'", 'expected "("'],
    ['()', 'empty tuple'],
    ["('a' 'b')", 'expected "," or ")"'],
    ["('a', b)", 'expected a quoted string'],
    ["('a", 'unterminated string'],
    ["('a\\", 'unterminated string'],
    ["('a\\x4', 'b')", 'bad \\x escape'],
    ["('a\\x4", 'bad \\x escape'],
    ["('a') tail", 'unexpected text'],
  ])('rejects %j with a clear error', (key, message) => {
    expect(() => parseTupleKey(key)).toThrow(message);
    expect(() => parseTupleKey(key)).toThrow(`Cannot read the category key ${JSON.stringify(key)}`);
  });
});
