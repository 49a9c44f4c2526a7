import { periodOfDays, namedPeriod, previousPeriod } from './periods-named';

describe('named report periods', () => {
  it('reads months and quarters in the project time zone', () => {
    expect(namedPeriod('2026-10', 'Asia/Kolkata')).toEqual({ label: '2026-10', from: new Date('2026-09-30T18:30:00Z'), to: new Date('2026-10-31T18:30:00Z') });
    expect(namedPeriod('2026-Q3', 'UTC')).toEqual({ label: '2026-Q3', from: new Date('2026-07-01T00:00:00Z'), to: new Date('2026-10-01T00:00:00Z') });
    expect(namedPeriod('2026', 'Asia/Kolkata')).toEqual({ label: '2026', from: new Date('2025-12-31T18:30:00Z'), to: new Date('2026-12-31T18:30:00Z') });
    expect(namedPeriod('2026-13', 'UTC')).toBeNull();
  });
  it('finds the period that has just ended, by local time', () => {
    // 1 November 00:30 in Kolkata is still 31 October in UTC.
    const now = new Date('2026-10-31T19:00:00Z');
    expect(previousPeriod('month', now, 'Asia/Kolkata').label).toBe('2026-10');
    expect(previousPeriod('month', now, 'UTC').label).toBe('2026-09');
    expect(previousPeriod('quarter', now, 'Asia/Kolkata').label).toBe('2026-Q3');
  });
});

describe('periodOfDays', () => {
  const zone = 'Asia/Kolkata';
  it('names a whole month or quarter given as its first and last days', () => {
    expect(periodOfDays('month', '2026-02-01', '2026-02-28', zone)?.label).toBe('2026-02');
    expect(periodOfDays('month', '2028-02-01', '2028-02-29', zone)?.label).toBe('2028-02');
    expect(periodOfDays('quarter', '2026-07-01', '2026-09-30', zone)?.label).toBe('2026-Q3');
    expect(periodOfDays('year', '2026-01-01', '2026-12-31', zone)?.label).toBe('2026');
  });
  it('refuses ranges that are not exactly one', () => {
    expect(periodOfDays('month', '2026-02-01', '2026-02-27', zone)).toBeNull();
    expect(periodOfDays('month', '2026-02-02', '2026-02-28', zone)).toBeNull();
    expect(periodOfDays('month', '2026-01-01', '2026-02-28', zone)).toBeNull();
    expect(periodOfDays('quarter', '2026-07-01', '2026-08-31', zone)).toBeNull();
    expect(periodOfDays('month', '2026-02-01', 'soon', zone)).toBeNull();
    expect(periodOfDays('year', '2026-01-01', '2026-12-30', zone)).toBeNull();
  });
});
