import { describe, expect, it } from 'vitest';
import { fail, LeStatsDataError, LeStatsError, LeStatsInputError, LeStatsRunnerError, shown } from './errors';

describe('errors', () => {
  it('carry a stable code, a readable message and their class name', () => {
    const error = fail.input('unknown_state', 'no data for state "X"');
    expect(error).toBeInstanceOf(LeStatsInputError);
    expect(error).toBeInstanceOf(LeStatsError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'LeStatsInputError', code: 'unknown_state', message: 'no data for state "X"' });
    expect(String(error)).toBe('LeStatsInputError: no data for state "X"');
  });

  it('keep the cause of a data error', () => {
    const cause = new Error('EACCES');
    expect(fail.data('unreadable_file', 'cannot read x', cause)).toMatchObject({ name: 'LeStatsDataError', cause });
    expect(fail.data('empty_file', 'x is empty')).not.toHaveProperty('cause');
    expect(fail.data('empty_file', 'x is empty')).toBeInstanceOf(LeStatsDataError);
  });

  it('tell the three kinds apart', () => {
    const runner = fail.runner('queue_full', 'queue full');
    expect(runner).toBeInstanceOf(LeStatsRunnerError);
    expect(runner).not.toBeInstanceOf(LeStatsInputError);
    expect(fail.input('invalid_params', 'x')).not.toBeInstanceOf(LeStatsDataError);
  });

  it('show values in messages: strings quoted, lists as lists, any object without throwing', () => {
    expect(shown('2')).toBe('"2"');
    expect(shown(2)).toBe('2');
    expect(shown(10n)).toBe('10');
    expect(shown(undefined)).toBe('undefined');
    expect(shown(null)).toBe('null');
    expect(shown([2022, '2011'])).toBe('[2022, "2011"]');
    const looped: unknown[] = [1];
    looped.push(looped);
    expect(shown(looped)).toBe('[1, […]]');
    expect(shown({ from: 2011 })).toBe('[object Object]');
    expect(shown(Object.create(null))).toBe('[object Object]');
  });
});
