import { DateTime } from 'luxon';
import fc from 'fast-check';
import { Calendar, dueAt, readClock, resumeDeadline, runningMillis } from './clock';

const HOUR = 3_600_000;
const kolkata = (overrides: Partial<Calendar> = {}): Calendar => ({
  timeZone: 'Asia/Kolkata',
  mode: 'business',
  workingDays: [1, 2, 3, 4, 5],
  workingHours: null,
  holidays: new Set<string>(),
  ...overrides,
});
/** Local wall-clock time in a zone, as an instant. */
const at = (iso: string, zone = 'Asia/Kolkata') => DateTime.fromISO(iso, { zone }).toJSDate();

describe('due times', () => {
  it('calendar levels run around the clock', () => {
    expect(dueAt(at('2026-03-06T15:00'), 48, kolkata({ mode: 'calendar' }))).toEqual(at('2026-03-08T15:00'));
  });

  it('business levels skip the weekend and a holiday', () => {
    // Friday 15:00 + 2 working days (48 h of working-day clock): the clock runs Friday 15:00-24:00,
    // skips Saturday, Sunday and Monday's holiday, then Tuesday and into Wednesday.
    const calendar = kolkata({ holidays: new Set(['2026-03-09']) });
    expect(dueAt(at('2026-03-06T15:00'), 48, calendar)).toEqual(at('2026-03-11T15:00'));
    expect(dueAt(at('2026-03-06T15:00'), 48, kolkata())).toEqual(at('2026-03-10T15:00'));
  });

  it('within working hours, a start outside them waits for the office to open', () => {
    const office = kolkata({ workingHours: { start: '09:30', end: '17:30' } });
    // Saturday evening: the clock starts Monday 09:30; 10 working hours end Tuesday 11:30.
    expect(dueAt(at('2026-03-07T19:00'), 10, office)).toEqual(at('2026-03-10T11:30'));
    // A deadline landing exactly at closing time stays on that day.
    expect(dueAt(at('2026-03-09T09:30'), 8, office)).toEqual(at('2026-03-09T17:30'));
  });

  it('keeps local working hours across a DST change', () => {
    const paris = kolkata({ timeZone: 'Europe/Paris', workingHours: { start: '09:00', end: '17:00' } });
    // Friday 27 March 2026 16:00 CET; clocks move forward on Sunday 29th.
    // 1 h on Friday, then 8 h on Monday 30th (CEST): due Tuesday 31st 10:00 local.
    expect(dueAt(at('2026-03-27T16:00', 'Europe/Paris'), 10, paris)).toEqual(at('2026-03-31T10:00', 'Europe/Paris'));
    // A calendar-time level counts real hours: 24 h over the change end at 17:00 local, not 16:00.
    const calendarParis = kolkata({ timeZone: 'Europe/Paris', mode: 'calendar' });
    expect(dueAt(at('2026-03-28T16:00', 'Europe/Paris'), 24, calendarParis)).toEqual(at('2026-03-29T17:00', 'Europe/Paris'));
  });

  it('measures running time with the same rules', () => {
    const office = kolkata({ workingHours: { start: '09:30', end: '17:30' } });
    expect(runningMillis(at('2026-03-06T16:30'), at('2026-03-09T10:30'), office)).toBe(2 * HOUR);
    expect(runningMillis(at('2026-03-09T10:30'), at('2026-03-06T16:30'), office)).toBe(0);
  });
});

describe('reading the clock', () => {
  const calendar = kolkata({ mode: 'calendar' });
  const start = at('2026-03-02T10:00');
  const due = at('2026-03-06T10:00'); // 96 h

  it('is on track, then at risk from 75 % used or within remind-before, then breached', () => {
    expect(readClock({ start, due, now: at('2026-03-03T10:00'), remindBeforeHours: 0, calendar }).state).toBe('on_track');
    expect(readClock({ start, due, now: at('2026-03-05T10:00'), remindBeforeHours: 0, calendar }).state).toBe('at_risk');
    expect(readClock({ start, due, now: at('2026-03-04T10:00'), remindBeforeHours: 48, calendar }).state).toBe('at_risk');
    const late = readClock({ start, due, now: at('2026-03-06T11:00'), remindBeforeHours: 0, calendar });
    expect(late.state).toBe('breached');
    expect(late.remainingMillis).toBe(-HOUR);
  });

  it('is breached once the deadline has passed, even on a day the business clock does not run', () => {
    const business = kolkata();
    // Due Friday 18:00; read on Saturday morning, when no business time has run since.
    const reading = readClock({ start: at('2026-03-02T10:00'), due: at('2026-03-06T18:00'), now: at('2026-03-07T09:00'), remindBeforeHours: 0, calendar: business });
    expect(reading.state).toBe('breached');
  });

  it('does not count time while the case waits on the citizen', () => {
    // Paused since the 3rd: however late "now" is, only one day has been used.
    const waiting = readClock({ start, due, now: at('2026-03-20T10:00'), remindBeforeHours: 0, calendar, pausedSince: at('2026-03-03T10:00') });
    expect(waiting).toMatchObject({ state: 'on_track', usedFraction: 0.25 });
    // Resumed after 5 days: the deadline moves 5 days, and the paused time is not "used".
    const resumed = resumeDeadline(due, at('2026-03-03T10:00'), at('2026-03-08T10:00'), calendar);
    expect(resumed.due).toEqual(at('2026-03-11T10:00'));
    const after = readClock({ start, due: resumed.due, now: at('2026-03-09T10:00'), remindBeforeHours: 0, calendar, pausedMillis: resumed.pausedMillis });
    expect(after.usedFraction).toBeCloseTo(2 / 9, 5);
  });
});

/**
 * The clocks as luxon computes them day by day (how they were written before the midnights were
 * memoised): the fast walk must give the same instants in every zone, DST nights included. One
 * difference is deliberate: where DST starts at midnight (America/Santiago), the old walk went on
 * from 01:00 and counted the next day's first hour as the day before's; each day starts at its
 * own midnight here and there.
 */
const reference = (() => {
  const minutes = (hhmm: string) => Number(hhmm.split(':')[0]) * 60 + Number(hhmm.split(':')[1] || 0);
  const windowOf = (day: DateTime, calendar: Calendar) => {
    if (!calendar.workingDays.includes(day.weekday) || calendar.holidays.has(day.toISODate()!)) return null;
    const start = day.startOf('day');
    if (!calendar.workingHours) return { start: start.toMillis(), end: start.plus({ days: 1 }).startOf('day').toMillis() };
    const open = start.plus({ minutes: minutes(calendar.workingHours.start) }).toMillis();
    const close = start.plus({ minutes: minutes(calendar.workingHours.end) }).toMillis();
    return close > open ? { start: open, end: close } : null;
  };
  return {
    dueAt(start: Date, hours: number, calendar: Calendar): Date {
      let remaining = hours * HOUR;
      for (let day = DateTime.fromJSDate(start, { zone: calendar.timeZone }).startOf('day'); ; day = day.plus({ days: 1 }).startOf('day')) {
        const w = windowOf(day, calendar);
        if (!w) continue;
        const begin = Math.max(w.start, start.getTime());
        if (begin >= w.end) continue;
        if (remaining <= w.end - begin) return new Date(begin + remaining);
        remaining -= w.end - begin;
      }
    },
    runningMillis(from: Date, to: Date, calendar: Calendar): number {
      let total = 0;
      for (let day = DateTime.fromJSDate(from, { zone: calendar.timeZone }).startOf('day'); day.toMillis() <= to.getTime(); day = day.plus({ days: 1 }).startOf('day')) {
        const w = windowOf(day, calendar);
        if (w) total += Math.max(0, Math.min(w.end, to.getTime()) - Math.max(w.start, from.getTime()));
      }
      return total;
    },
  };
})();

describe('the memoised day walk', () => {
  it('gives the instants luxon gives, in zones with and without DST', () => {
    const zones = ['Asia/Kolkata', 'Europe/Paris', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/Santiago'];
    const hours = [null, { start: '09:30', end: '17:30' }, { start: '00:30', end: '03:30' }, { start: '01:00', end: '23:00' }];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.constantFrom(...hours),
        fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 0, 1) }),
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 0, max: 60 * 24 * 60 }),
        fc.subarray([1, 2, 3, 4, 5, 6, 7], { minLength: 1 }),
        (timeZone, workingHours, startMs, durationHours, spanMinutes, workingDays) => {
          const start = new Date(startMs);
          const holidays = new Set([DateTime.fromJSDate(start, { zone: timeZone }).plus({ days: 2 }).toISODate()!]);
          const calendar: Calendar = { timeZone, mode: 'business', workingDays, workingHours, holidays };
          expect(dueAt(start, durationHours, calendar)).toEqual(reference.dueAt(start, durationHours, calendar));
          const to = new Date(startMs + spanMinutes * 60_000);
          expect(runningMillis(start, to, calendar)).toBe(reference.runningMillis(start, to, calendar));
        }
      ),
      { numRuns: 400 }
    );
  });
});
