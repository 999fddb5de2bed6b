import { describe, expect, it } from 'vitest';
import { describeDifference, formatPercent } from './format';

describe('formatPercent', () => {
  it('prints two decimals and a percent sign, negative means included', () => {
    expect(formatPercent(19)).toBe('19.00%');
    expect(formatPercent(31.456)).toBe('31.46%');
    expect(formatPercent(-2)).toBe('-2.00%');
  });
});

describe('describeDifference', () => {
  it('says above for a mean over the reference and below for one under it', () => {
    expect(describeDifference(31.456, 30, 'the global mean')).toBe('1.46 points above the global mean');
    expect(describeDifference(28, 30, 'the global mean')).toBe('2.00 points below the global mean');
    expect(describeDifference(-3, 2, "the state's mean (2.00%)")).toBe("5.00 points below the state's mean (2.00%)");
  });

  // The tooltip shows two decimals, so a gap that rounds to 0.00 must not read "0.00 points above".
  it('calls a difference that rounds to zero equal, on either side', () => {
    expect(describeDifference(30, 30, 'the global mean')).toBe('equal to the global mean');
    expect(describeDifference(30.004, 30, 'the global mean')).toBe('equal to the global mean');
    expect(describeDifference(29.996, 30, 'the global mean')).toBe('equal to the global mean');
  });
});
