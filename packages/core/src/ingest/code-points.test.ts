import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareCodePoints } from './code-points';

// The plain definition: compare the sequences of code points, shorter prefix first.
function byCodePointArrays(a: string, b: string): number {
  const x = [...a].map((c) => c.codePointAt(0) as number);
  const y = [...b].map((c) => c.codePointAt(0) as number);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  }
  return x.length - y.length;
}

const sign = (n: number) => Math.sign(n);

describe('compareCodePoints', () => {
  it('orders an astral character after U+E000..U+FFFF, unlike UTF-16 order', () => {
    const astral = '\u{1F600}';
    for (const bmp of ['\uE000', '\uFFFD', '\uFFFF', '\uFF21']) {
      expect(astral < bmp).toBe(true);
      expect(compareCodePoints(astral, bmp)).toBeGreaterThan(0);
      expect(compareCodePoints(bmp, astral)).toBeLessThan(0);
    }
  });

  it('agrees with UTF-16 order below the surrogates and between astral characters', () => {
    expect(compareCodePoints('\uD7FF', '\u{10000}')).toBeLessThan(0);
    expect(compareCodePoints('\u{10000}', '\u{10FFFF}')).toBeLessThan(0);
    expect(compareCodePoints('\u{1F600}', '\u{1F601}')).toBeLessThan(0);
    expect(compareCodePoints('Zulu', 'alpha')).toBeLessThan(0);
  });

  it('puts a prefix first and equal strings at 0', () => {
    expect(compareCodePoints('New', 'New York')).toBeLessThan(0);
    expect(compareCodePoints('New York', 'New')).toBeGreaterThan(0);
    expect(compareCodePoints('', '')).toBe(0);
    expect(compareCodePoints('a\u{1F600}', 'a\u{1F600}')).toBe(0);
  });

  it('sorts a list the way Python sorts it', () => {
    const sorted = ['\uFFFF', '\u{1F600}', 'z', 'Z', '\u00E9', '\uE000', 'a\u{10000}', 'a\uFFFD'].sort(
      compareCodePoints,
    );
    expect(sorted).toEqual(['Z', 'a\uFFFD', 'a\u{10000}', 'z', '\u00E9', '\uE000', '\uFFFF', '\u{1F600}']);
  });

  it('matches the code point sequence order on random well-formed strings', () => {
    const text = fc.string({
      unit: fc.constantFrom('a', 'b', '\uE000', '\uFFFF', '\u{10000}', '\u{1F600}', '\u00E9'),
      maxLength: 6,
    });
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 8 }), (a, b) => {
        expect(sign(compareCodePoints(a, b))).toBe(sign(byCodePointArrays(a, b)));
      }),
      { seed: 20240601, numRuns: 2000 },
    );
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(sign(compareCodePoints(a, b))).toBe(sign(byCodePointArrays(a, b)));
      }),
      { seed: 7, numRuns: 2000 },
    );
  });
});
