/**
 * Named report periods in a project's time zone: `2026-10` (a month), `2026-Q3` (a quarter) and
 * `2026` (a year), and the period that has just ended at a given instant (what a schedule
 * reports on).
 */
import { DateTime } from 'luxon';

export interface NamedPeriod {
  label: string;
  from: Date;
  to: Date;
}

export function namedPeriod(label: string, timeZone: string): NamedPeriod | null {
  const year = /^(\d{4})$/.exec(label);
  if (year) {
    const start = DateTime.fromObject({ year: Number(year[1]), month: 1, day: 1 }, { zone: timeZone });
    return { label, from: start.toJSDate(), to: start.plus({ years: 1 }).toJSDate() };
  }
  const month = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(label);
  if (month) {
    const start = DateTime.fromObject({ year: Number(month[1]), month: Number(month[2]), day: 1 }, { zone: timeZone });
    return { label, from: start.toJSDate(), to: start.plus({ months: 1 }).toJSDate() };
  }
  const quarter = /^(\d{4})-Q([1-4])$/.exec(label);
  if (quarter) {
    const start = DateTime.fromObject({ year: Number(quarter[1]), month: (Number(quarter[2]) - 1) * 3 + 1, day: 1 }, { zone: timeZone });
    return { label, from: start.toJSDate(), to: start.plus({ months: 3 }).toJSDate() };
  }
  return null;
}

export function previousPeriod(kind: 'month' | 'quarter', now: Date, timeZone: string): NamedPeriod {
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  if (kind === 'month') {
    const start = local.startOf('month').minus({ months: 1 });
    return namedPeriod(start.toFormat('yyyy-MM'), timeZone)!;
  }
  const start = local.startOf('quarter').minus({ quarters: 1 });
  return namedPeriod(`${start.year}-Q${start.quarter}`, timeZone)!;
}

/**
 * The named period that a range of local days (both inclusive, yyyy-MM-dd) covers exactly: a
 * whole month (`2026-10`), quarter (`2026-Q3`) or year (`2026`); null when the days are not one.
 */
export function periodOfDays(unit: 'month' | 'quarter' | 'year', from: string, to: string, timeZone: string): NamedPeriod | null {
  const first = DateTime.fromISO(from, { zone: timeZone });
  const last = DateTime.fromISO(to, { zone: timeZone });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(to) || !first.isValid || !last.isValid) return null;
  if (+first.startOf(unit) !== +first || +last.endOf(unit).startOf('day') !== +last || !first.hasSame(last, unit)) return null;
  const label = { month: first.toFormat('yyyy-MM'), quarter: `${first.year}-Q${first.quarter}`, year: String(first.year) }[unit];
  return namedPeriod(label, timeZone);
}
