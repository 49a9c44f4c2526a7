import { monthsOf, startOfLocalDay, suppress } from './periods';

describe('periods in the project time zone', () => {
  it('splits a range into local months, clipped to the range', () => {
    const months = monthsOf(new Date('2026-01-15T00:00:00Z'), new Date('2026-03-01T00:00:00Z'), 'Asia/Kolkata');
    expect(months.map((m) => m.key)).toEqual(['2026-01', '2026-02', '2026-03']);
    // February starts at midnight in Kolkata, 18:30 the day before in UTC.
    expect(months[1].from.toISOString()).toBe('2026-01-31T18:30:00.000Z');
    expect(months[2].to.toISOString()).toBe('2026-03-01T00:00:00.000Z');
  });
  it('reads a local date as the start of that day in the zone', () => {
    expect(startOfLocalDay('2026-11-01', 'Asia/Kolkata')?.toISOString()).toBe('2026-10-31T18:30:00.000Z');
    expect(startOfLocalDay('not a date', 'UTC')).toBeNull();
  });
  it('withholds small counts but shows zero', () => {
    expect([0, 3, 5, 12].map((n) => suppress(n, 5))).toEqual([0, null, 5, 12]);
  });
});
