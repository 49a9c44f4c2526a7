/**
 * SLA clocks as pure functions. A calendar says when the clock runs: on working days (not on
 * weekends or the project's holidays), optionally only within working hours, in the project's
 * time zone. Calendar-time levels run around the clock. Times are instants (Date); all local
 * reasoning (days, hours, DST) happens in the calendar's zone with luxon.
 */
import { DateTime } from 'luxon';

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

/** A local calendar date (no zone). */
interface CivilDay {
  y: number;
  m: number;
  d: number;
}

const civilOf = (utc: Date): CivilDay => ({ y: utc.getUTCFullYear(), m: utc.getUTCMonth() + 1, d: utc.getUTCDate() });
const nextDay = ({ y, m, d }: CivilDay): CivilDay => civilOf(new Date(Date.UTC(y, m - 1, d + 1)));
const pad = (n: number) => String(n).padStart(2, '0');
const isoDateOf = ({ y, m, d }: CivilDay) => `${String(y).padStart(4, '0')}-${pad(m)}-${pad(d)}`;
/** ISO weekday, 1 = Monday … 7 = Sunday. */
const weekdayOf = ({ y, m, d }: CivilDay) => ((new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7) + 1;

/**
 * The instant a local day starts in a zone, memoised: every deadline walks the same few weeks of
 * days, and resolving a zone's offset (Intl) was most of an intake's CPU time.
 */
const MIDNIGHTS_KEPT = 50_000;
let midnights = new Map<string, number>();
function midnightOf(zone: string, day: CivilDay): number {
  const key = `${zone}|${day.y}-${day.m}-${day.d}`;
  let at = midnights.get(key);
  if (at === undefined) {
    at = DateTime.fromObject({ year: day.y, month: day.m, day: day.d }, { zone }).startOf('day').toMillis();
    if (midnights.size >= MIDNIGHTS_KEPT) midnights = new Map();
    midnights.set(key, at);
  }
  return at;
}

/** The local day an instant falls on in a zone. */
function dayOf(at: Date, zone: string): CivilDay {
  const local = DateTime.fromJSDate(at, { zone });
  return { y: local.year, m: local.month, d: local.day };
}

/** The clock-running window of one local day (instants in ms), or null when the clock does not run that day. */
function windowOf(day: CivilDay, calendar: Calendar): { start: number; end: number } | null {
  if (calendar.mode === 'business') {
    if (!calendar.workingDays.includes(weekdayOf(day))) return null;
    if (calendar.holidays.has(isoDateOf(day))) return null;
  }
  const start = midnightOf(calendar.timeZone, day);
  if (calendar.mode === 'calendar' || !calendar.workingHours) return { start, end: midnightOf(calendar.timeZone, nextDay(day)) };
  // Hours after the local midnight, as luxon's `plus({ minutes })` counts them (a DST night shifts them).
  const open = start + minutesOf(calendar.workingHours.start) * 60_000;
  const close = start + minutesOf(calendar.workingHours.end) * 60_000;
  return close > open ? { start: open, end: close } : null;
}

/** The instant when `durationHours` of clock time have run from `start`. */
export function dueAt(start: Date, durationHours: number, calendar: Calendar): Date {
  if (calendar.mode === 'calendar') return new Date(start.getTime() + durationHours * HOUR);
  let remaining = durationHours * HOUR;
  const from = start.getTime();
  let day = dayOf(start, calendar.timeZone);
  for (let i = 0; i < MAX_DAYS; i += 1, day = nextDay(day)) {
    const window = windowOf(day, calendar);
    if (!window) continue;
    const begin = Math.max(window.start, from);
    if (begin >= window.end) continue;
    const available = window.end - begin;
    // A deadline that lands exactly on closing time stays on that day.
    if (remaining <= available) return new Date(begin + remaining);
    remaining -= available;
  }
  throw new RangeError('The calendar has no working time in the next ten years.');
}

/** Clock time that runs between two instants (0 when `to` is not after `from`). */
export function runningMillis(from: Date, to: Date, calendar: Calendar): number {
  if (to <= from) return 0;
  if (calendar.mode === 'calendar') return to.getTime() - from.getTime();
  const a = from.getTime();
  const b = to.getTime();
  let total = 0;
  let day = dayOf(from, calendar.timeZone);
  for (let i = 0; midnightOf(calendar.timeZone, day) <= b && i < MAX_DAYS; day = nextDay(day), i += 1) {
    const window = windowOf(day, calendar);
    if (!window) continue;
    const end = Math.min(window.end, b);
    const begin = Math.max(window.start, a);
    if (end > begin) total += end - begin;
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
