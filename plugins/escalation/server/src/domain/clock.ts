/**
 * SLA clocks as pure functions. A calendar says when the clock runs: on working days (not on
 * weekends or the project's holidays), optionally only within working hours, in the project's
 * time zone. Calendar-time levels run around the clock. Times are instants (Date); all local
 * reasoning (days, hours, DST) happens in the calendar's zone with luxon.
 */
import { DateTime, Interval } from 'luxon';

export interface Calendar {
  /** IANA zone, e.g. Asia/Kolkata. */
  timeZone: string;
  /** `business`: the clock runs only on working days (and hours); `calendar`: always. */
  mode: 'business' | 'calendar';
  /** ISO weekdays the office works: 1 = Monday … 7 = Sunday. */
  workingDays: number[];
  /** Local opening hours, e.g. { start: '09:30', end: '17:30' }; null = the whole working day. */
  workingHours: { start: string; end: string } | null;
  /** Local dates `yyyy-MM-dd` on which the clock does not run. */
  holidays: ReadonlySet<string>;
}

const HOUR = 3_600_000;
/** A deadline further than this many days of calendar walking is treated as misconfigured. */
const MAX_DAYS = 3660;

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + (m || 0);
};

/** The clock-running window of one local day, or null when the clock does not run that day. */
function windowOf(day: DateTime, calendar: Calendar): Interval | null {
  if (calendar.mode === 'business') {
    if (!calendar.workingDays.includes(day.weekday)) return null;
    if (calendar.holidays.has(day.toISODate()!)) return null;
  }
  const start = day.startOf('day');
  if (calendar.mode === 'calendar' || !calendar.workingHours) return Interval.fromDateTimes(start, start.plus({ days: 1 }));
  const open = start.plus({ minutes: minutesOf(calendar.workingHours.start) });
  const close = start.plus({ minutes: minutesOf(calendar.workingHours.end) });
  return close > open ? Interval.fromDateTimes(open, close) : null;
}

/** The instant when `durationHours` of clock time have run from `start`. */
export function dueAt(start: Date, durationHours: number, calendar: Calendar): Date {
  if (calendar.mode === 'calendar') return new Date(start.getTime() + durationHours * HOUR);
  let remaining = durationHours * HOUR;
  const from = DateTime.fromJSDate(start, { zone: calendar.timeZone });
  let day = from.startOf('day');
  for (let i = 0; i < MAX_DAYS; i += 1, day = day.plus({ days: 1 })) {
    const window = windowOf(day, calendar);
    if (!window) continue;
    const begin = window.start! < from ? from : window.start!;
    if (begin >= window.end!) continue;
    const available = window.end!.toMillis() - begin.toMillis();
    // A deadline that lands exactly on closing time stays on that day.
    if (remaining <= available) return new Date(begin.toMillis() + remaining);
    remaining -= available;
  }
  throw new RangeError('The calendar has no working time in the next ten years.');
}

/** Clock time that runs between two instants (0 when `to` is not after `from`). */
export function runningMillis(from: Date, to: Date, calendar: Calendar): number {
  if (to <= from) return 0;
  if (calendar.mode === 'calendar') return to.getTime() - from.getTime();
  const a = DateTime.fromJSDate(from, { zone: calendar.timeZone });
  const b = DateTime.fromJSDate(to, { zone: calendar.timeZone });
  let total = 0;
  for (let day = a.startOf('day'), i = 0; day <= b && i < MAX_DAYS; day = day.plus({ days: 1 }), i += 1) {
    const window = windowOf(day, calendar);
    if (!window) continue;
    const begin = window.start! < a ? a : window.start!;
    const end = window.end! > b ? b : window.end!;
    if (end > begin) total += end.toMillis() - begin.toMillis();
  }
  return total;
}

export type SlaState = 'on_track' | 'at_risk' | 'breached';
export const AT_RISK_FRACTION = 0.75;

export interface ClockReading {
  state: SlaState;
  /** Share of the allowed clock time used, 0…1+ (paused time excluded). */
  usedFraction: number;
  /** Clock time left before the deadline (negative once breached). */
  remainingMillis: number;
}

/**
 * Where a case stands against one deadline. `pausedMillis` is clock time during which the case
 * waited on the citizen and the clock did not count; `pausedSince` is set while it still waits.
 */
export function readClock(input: {
  start: Date;
  due: Date;
  now: Date;
  remindBeforeHours: number;
  calendar: Calendar;
  pausedMillis?: number;
  pausedSince?: Date | null;
}): ClockReading {
  const { start, due, calendar } = input;
  const now = input.pausedSince && input.pausedSince < input.now ? input.pausedSince : input.now;
  const allowed = Math.max(runningMillis(start, due, calendar), 1);
  const used = Math.max(runningMillis(start, now, calendar) - (input.pausedMillis ?? 0), 0);
  const remaining = allowed - used;
  const usedFraction = used / allowed;
  let state: SlaState = 'on_track';
  // Past the deadline is breached even when the clock is not running now (e.g. a weekend).
  if (now.getTime() > due.getTime() || remaining < 0) state = 'breached';
  else if (usedFraction >= AT_RISK_FRACTION || remaining <= input.remindBeforeHours * HOUR) state = 'at_risk';
  return { state, usedFraction, remainingMillis: remaining };
}

/** A paused case resumes: its deadline moves by the clock time it spent waiting. */
export function resumeDeadline(due: Date, pausedAt: Date, resumedAt: Date, calendar: Calendar): { due: Date; pausedMillis: number } {
  const pausedMillis = runningMillis(pausedAt, resumedAt, calendar);
  return { due: pausedMillis > 0 ? dueAt(due, pausedMillis / HOUR, calendar) : due, pausedMillis };
}
