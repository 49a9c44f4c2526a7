import { calendarProblems, durationsFor } from './levels';

describe('level durations', () => {
  const level = { order: 1, acknowledgeWithinHours: 48, resolveWithinHours: 168, calendar: 'business' as const, priorityOverrides: { urgent: { acknowledgeWithinHours: 4 } } };
  it('takes the per-priority override where there is one', () => {
    expect(durationsFor(level, 'urgent')).toEqual({ acknowledgeWithinHours: 4, resolveWithinHours: 168 });
    expect(durationsFor(level, 'normal')).toEqual({ acknowledgeWithinHours: 48, resolveWithinHours: 168 });
  });
  it('keeps "no limit" as null', () => {
    expect(durationsFor({ ...level, acknowledgeWithinHours: null, resolveWithinHours: null, priorityOverrides: null }, 'low')).toEqual({ acknowledgeWithinHours: null, resolveWithinHours: null });
  });
});

describe('calendar validation', () => {
  it('accepts a sensible calendar and refuses nonsense', () => {
    expect(calendarProblems([1, 2, 3, 4, 5, 6], { start: '09:30', end: '17:30' })).toEqual([]);
    expect(calendarProblems(null, null)).toEqual([]);
    expect(calendarProblems([0, 8], null)).toHaveLength(1);
    expect(calendarProblems([], null)).toHaveLength(1);
    expect(calendarProblems(null, { start: '18:00', end: '09:00' })).toHaveLength(1);
    expect(calendarProblems(null, { start: '9', end: '17:00' })).toHaveLength(1);
  });
});
