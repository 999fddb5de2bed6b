import { describe, expect, it } from 'vitest';
import { describeDifference, fitLabel, formatPercent } from './format';

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

describe('fitLabel', () => {
  // 160 px holds (160 - 10) / 6.2 = 24 characters: the ranking's longest label, "51. District of Columbia".
  it('keeps a label that fits, to the last character', () => {
    expect(fitLabel('51. District of Columbia', 160)).toBe('51. District of Columbia');
    expect(fitLabel('Ohio', 160)).toBe('Ohio');
  });

  it('cuts a longer one to the column, ellipsis included', () => {
    const cut = fitLabel('52. District of Columbia!', 160);
    expect(cut).toBe('52. District of Columbi…');
    expect(cut).toHaveLength(24);
  });
});
