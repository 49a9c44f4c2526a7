/**
 * Period boundaries in a project's time zone: the months of a date range as instants, so SQL
 * can bucket cases by local month on any database without time-zone functions.
 */
import { DateTime } from 'luxon';

export interface Month {
  key: string;
  from: Date;
  to: Date;
}

/** The local months that overlap [from, to), each clipped to the range. */
export function monthsOf(from: Date, to: Date, timeZone: string): Month[] {
  const months: Month[] = [];
  let cursor = DateTime.fromJSDate(from, { zone: timeZone }).startOf('month');
  const end = DateTime.fromJSDate(to, { zone: timeZone });
  for (let i = 0; cursor < end && i < 240; i += 1) {
    const next = cursor.plus({ months: 1 });
    months.push({ key: cursor.toFormat('yyyy-MM'), from: new Date(Math.max(cursor.toMillis(), from.getTime())), to: new Date(Math.min(next.toMillis(), to.getTime())) });
    cursor = next;
  }
  return months;
}

/** A local calendar date (yyyy-MM-dd) as the instant its day starts in the zone. */
export function startOfLocalDay(date: string, timeZone: string): Date | null {
  const d = DateTime.fromISO(date, { zone: timeZone });
  return d.isValid ? d.startOf('day').toJSDate() : null;
}

/** Counts below the threshold are withheld from public figures, so nobody can be singled out. */
export function suppress(count: number, threshold: number): number | null {
  return count > 0 && count < threshold ? null : count;
}
