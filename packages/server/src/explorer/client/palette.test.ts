import { describe, expect, it } from 'vitest';
import { categoryColour } from './palette';

describe('categoryColour', () => {
  it('gives the first eight categories eight different colours', () => {
    const colours = Array.from({ length: 8 }, (_, i) => categoryColour(i));
    expect(new Set(colours).size).toBe(8);
    for (const colour of colours) expect(colour).toMatch(/^#[0-9A-F]{6}$/);
  });

  // A data set may stratify by more categories than the palette has colours: none goes uncoloured.
  it('starts over after eight', () => {
    expect(categoryColour(8)).toBe(categoryColour(0));
    expect(categoryColour(13)).toBe(categoryColour(5));
  });
});
