import { describe, expect, it } from 'vitest';
import { DEFAULT_RANKING, directionLookup } from './rank';

describe('DEFAULT_RANKING', () => {
  it('holds exactly the SPEC 2.3 questions', () => {
    expect([...DEFAULT_RANKING.bestIsMin].sort()).toEqual([
      'Percent of adults aged 18 years and older who have an overweight classification',
      'Percent of adults aged 18 years and older who have obesity',
      'Percent of adults who engage in no leisure-time physical activity',
      'Percent of adults who report consuming fruit less than one time daily',
      'Percent of adults who report consuming vegetables less than one time daily',
    ]);
    expect([...DEFAULT_RANKING.bestIsMax].sort()).toEqual([
      'Percent of adults who achieve at least 150 minutes a week of moderate-intensity aerobic physical activity or 75 minutes a week of vigorous-intensity aerobic activity (or an equivalent combination)',
      'Percent of adults who achieve at least 150 minutes a week of moderate-intensity aerobic physical activity or 75 minutes a week of vigorous-intensity aerobic physical activity and engage in muscle-strengthening activities on 2 or more days a week',
      'Percent of adults who achieve at least 300 minutes a week of moderate-intensity aerobic physical activity or 150 minutes a week of vigorous-intensity aerobic activity (or an equivalent combination)',
      'Percent of adults who engage in muscle-strengthening activities on 2 or more days a week',
    ]);
  });

  it('cannot be changed by a caller', () => {
    expect(Object.isFrozen(DEFAULT_RANKING)).toBe(true);
    expect(Object.isFrozen(DEFAULT_RANKING.bestIsMin)).toBe(true);
    expect(Object.isFrozen(DEFAULT_RANKING.bestIsMax)).toBe(true);
  });
});

describe('directionLookup', () => {
  it('maps exact question strings to their direction', () => {
    const direction = directionLookup({ bestIsMin: ['low', 'Low '], bestIsMax: ['high'] });
    expect(direction('low')).toBe('min');
    expect(direction('Low ')).toBe('min');
    expect(direction('high')).toBe('max');
    expect(direction('Low')).toBeUndefined();
    expect(direction('toString')).toBeUndefined();
    expect(direction('')).toBeUndefined();
  });
});
