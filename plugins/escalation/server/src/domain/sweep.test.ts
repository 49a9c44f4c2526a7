import { Calendar } from './clock';
import { nextCheckAt, shouldEscalate, stateOf, SweepCase } from './sweep';

const HOUR = 3_600_000;
const calendar: Calendar = { timeZone: 'Asia/Kolkata', mode: 'calendar', workingDays: [1, 2, 3, 4, 5], workingHours: null, holidays: new Set() };
const start = new Date('2026-03-02T04:00:00Z');
const running = (over: Partial<SweepCase> = {}): SweepCase => ({
  caseStatus: 'in_progress',
  slaState: 'on_track',
  slaStartedAt: start,
  acknowledgedAt: start,
  acknowledgeDueAt: new Date(start.getTime() + 10 * HOUR),
  resolveDueAt: new Date(start.getTime() + 100 * HOUR),
  escalationLevel: 1,
  ...over,
});
const at = (hours: number) => new Date(start.getTime() + hours * HOUR);

describe('next check time', () => {
  it('is the at-risk point (75 % used) while the case is on track', () => {
    expect(nextCheckAt(running(), at(1), 0, calendar)).toEqual(at(75));
  });
  it('is the remind-before point when that comes first', () => {
    expect(nextCheckAt(running(), at(1), 40, calendar)).toEqual(at(60));
  });
  it('is just after the deadline once the case is at risk, and null once breached', () => {
    expect(nextCheckAt(running(), at(80), 0, calendar)?.getTime()).toBe(at(100).getTime() + 1);
    expect(nextCheckAt(running(), at(101), 0, calendar)).toBeNull();
  });
  it('follows the acknowledge clock while the case waits to be picked up', () => {
    expect(nextCheckAt(running({ caseStatus: 'submitted', acknowledgedAt: null }), at(1), 0, calendar)).toEqual(at(7.5));
  });
  it('agrees with the state: just before the check the state is unchanged, at it the state moves', () => {
    const c = running();
    const check = nextCheckAt(c, at(1), 0, calendar)!;
    expect(stateOf(c, new Date(check.getTime() - 1), 0, calendar)).toBe('on_track');
    expect(stateOf(c, check, 0, calendar)).toBe('at_risk');
    const breach = nextCheckAt(c, check, 0, calendar)!;
    expect(stateOf(c, new Date(breach.getTime() - 1), 0, calendar)).toBe('at_risk');
    expect(stateOf(c, breach, 0, calendar)).toBe('breached');
  });
  it('works on a business calendar across a weekend', () => {
    const business: Calendar = { ...calendar, mode: 'business', workingHours: { start: '10:00', end: '18:00' } };
    // Friday 10:00 IST, 16 working hours: due Monday 18:00; 75 % (12 h) is Monday 14:00.
    const friday = new Date('2026-03-06T04:30:00Z');
    const c = running({ slaStartedAt: friday, resolveDueAt: new Date('2026-03-09T12:30:00Z'), acknowledgeDueAt: null });
    expect(nextCheckAt(c, friday, 0, business)).toEqual(new Date('2026-03-09T08:30:00Z'));
  });
});

describe('levels without a limit', () => {
  it('are neither on track nor breached, and never checked', () => {
    const c = running({ acknowledgeDueAt: null, resolveDueAt: null });
    expect(stateOf(c, at(1000), 0, calendar)).toBe('no_limit');
    expect(nextCheckAt(c, at(1000), 0, calendar)).toBeNull();
    expect(shouldEscalate(c, 'no_limit', true, 5)).toBe(false);
  });
});
