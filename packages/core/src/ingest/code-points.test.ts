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

// Any scalar value (no lone surrogates, as in text decoded from a file).
const anyText = fc.string({
  unit: fc
    .oneof(fc.integer({ min: 0, max: 0xd7ff }), fc.integer({ min: 0xe000, max: 0x10ffff }))
    .map((codePoint) => String.fromCodePoint(codePoint)),
  maxLength: 8,
});

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
    // Same high surrogate, low surrogates up to U+DFFF itself (U+103FF is D800 DFFF).
    expect(compareCodePoints('\u{103FF}', '\u{10000}')).toBeGreaterThan(0);
    expect(compareCodePoints('\u{10000}', '\u{103FF}')).toBeLessThan(0);
    expect(compareCodePoints('\u{10FFFF}', '\u{10FC00}')).toBeGreaterThan(0);
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
      fc.property(anyText, anyText, (a, b) => {
        return sign(compareCodePoints(a, b)) === sign(byCodePointArrays(a, b));
      }),
      { seed: 20240601, numRuns: 1000 },
    );
    fc.assert(
      fc.property(text, text, (a, b) => {
        return sign(compareCodePoints(a, b)) === sign(byCodePointArrays(a, b));
      }),
      { seed: 7, numRuns: 1000 },
    );
  });
});
