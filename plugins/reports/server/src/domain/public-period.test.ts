import { fixedPeriodOf, publicPeriod } from './public-period';

const zone = 'Asia/Kolkata';
const now = new Date('2026-11-15T10:00:00Z');
const code = (params: Record<string, string>) => {
  try {
    publicPeriod(params, zone, now);
    return 'ok';
  } catch (error: any) {
    return error.code;
  }
};

describe('publicPeriod', () => {
  it('reads a year, a quarter or a month, with its months', () => {
    expect(publicPeriod({ period: '2026' }, zone, now)).toMatchObject({ label: '2026', year: 2026, months: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] });
    expect(publicPeriod({ period: '2026-Q2' }, zone, now)).toMatchObject({ label: '2026-Q2', year: 2026, months: [3, 4, 5] });
    expect(publicPeriod({ period: '2026-05' }, zone, now)).toMatchObject({ label: '2026-05', year: 2026, months: [4], from: new Date('2026-04-30T18:30:00Z') });
  });
  it('takes from and to only as the first and last days of one such period', () => {
    expect(publicPeriod({ from: '2026-04-01', to: '2026-06-30' }, zone, now).label).toBe('2026-Q2');
    expect(publicPeriod({ from: '2025-01-01', to: '2025-12-31' }, zone, now).label).toBe('2025');
    expect(publicPeriod({ from: '2026-02-01', to: '2026-02-28' }, zone, now).label).toBe('2026-02');
    for (const [from, to] of [['2026-04-01', '2026-06-29'], ['2026-04-02', '2026-06-30'], ['2026-01-01', '2026-02-28'], ['2025-12-01', '2026-01-31']]) {
      expect([from, to, code({ from, to })]).toEqual([from, to, 'FIXED_PERIOD_REQUIRED']);
    }
    expect(code({ from: '2026-04-01' })).toBe('FIXED_PERIOD_REQUIRED');
    expect(code({ to: '2026-04-30' })).toBe('FIXED_PERIOD_REQUIRED');
  });
  it('refuses what is not a period, and periods that have not begun', () => {
    for (const period of ['2026-5', '2026-13', '2026-Q5', 'last year', '26', '2026-05-01']) expect([period, code({ period })]).toEqual([period, 'VALIDATION']);
    expect(code({ period: '2026', from: '2026-01-01', to: '2026-12-31' })).toBe('VALIDATION');
    expect(code({ from: 'last week', to: '2026-01-31' })).toBe('VALIDATION');
    expect(code({ period: '2027' })).toBe('VALIDATION');
    expect(code({ period: '2026-12' })).toBe('VALIDATION');
    expect(code({ period: '2026-11' })).toBe('ok');
  });
  it('is the current year when nothing is given', () => {
    expect(publicPeriod({}, zone, now).label).toBe('2026');
  });
});

describe('fixedPeriodOf', () => {
  it('names a report period, and nothing else', () => {
    expect(fixedPeriodOf(new Date('2026-04-30T18:30:00Z'), new Date('2026-05-31T18:30:00Z'), zone)?.label).toBe('2026-05');
    expect(fixedPeriodOf(new Date('2026-06-30T18:30:00Z'), new Date('2026-09-30T18:30:00Z'), zone)?.label).toBe('2026-Q3');
    expect(fixedPeriodOf(new Date('2026-05-01T00:00:00Z'), new Date('2026-06-01T00:00:00Z'), zone)).toBeNull();
  });
});
