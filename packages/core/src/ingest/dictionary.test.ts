import { describe, expect, it } from 'vitest';
import { Dictionary } from './dictionary';

describe('Dictionary', () => {
  it('gives each distinct string the next code, in first-seen order', () => {
    const dictionary = new Dictionary();
    expect(['b', 'a', 'b', '', 'a', '__proto__', 'constructor'].map((s) => dictionary.encode(s))).toEqual([
      0, 1, 0, 2, 1, 3, 4,
    ]);
    expect(dictionary.values).toEqual(['b', 'a', '', '__proto__', 'constructor']);
  });
});
