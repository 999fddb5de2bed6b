import { describe, expect, it } from 'vitest';
import { groupByCategory } from './categories';

describe('groupByCategory', () => {
  it("groups strata under their category in the API's order", () => {
    const groups = groupByCategory({
      "('Age (years)', '18 - 24')": 30.5,
      "('Age (years)', '25 - 34')": 31.0,
      "('Gender', 'Female')": 29.25,
      "('Gender', 'Male')": 33.0,
      "('Total', 'Total')": 31.1,
    });
    expect(groups).toEqual([
      {
        category: 'Age (years)',
        strata: [
          { stratum: '18 - 24', mean: 30.5 },
          { stratum: '25 - 34', mean: 31.0 },
        ],
      },
      {
        category: 'Gender',
        strata: [
          { stratum: 'Female', mean: 29.25 },
          { stratum: 'Male', mean: 33.0 },
        ],
      },
      { category: 'Total', strata: [{ stratum: 'Total', mean: 31.1 }] },
    ]);
  });

  it('reads categories with quotes in them', () => {
    expect(groupByCategory({ "(\"Parents' income\", 'High')": 1 })).toEqual([
      { category: "Parents' income", strata: [{ stratum: 'High', mean: 1 }] },
    ]);
  });

  it('answers nothing for no categories', () => {
    expect(groupByCategory({})).toEqual([]);
  });

  it('rejects a key that is not a (category, stratum) pair', () => {
    expect(() => groupByCategory({ "('Ohio', 'Gender', 'Male')": 1 })).toThrow(
      "Expected a (category, stratum) key, got ('Ohio', 'Gender', 'Male')",
    );
  });
});
