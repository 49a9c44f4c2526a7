/**
 * The period of the public figures (docs/public-api.md): a calendar month, quarter or year in
 * the project's time zone, never an arbitrary range, so that two answers cannot differ by a day
 * or a week and be subtracted. `period=2026-05`, `2026-Q2` or `2026`; `from` and `to` only as the
 * first and last days of one such period; neither: the current year.
 */
import { DateTime } from 'luxon';
import { DomainError, ERROR_CODES } from '../../../../../src/domain/errors';
import { NamedPeriod, namedPeriod, periodOfDays } from './periods-named';

export interface PublicPeriod extends NamedPeriod {
  /** The calendar year the period lies in: figures are protected a year at a time. */
  year: number;
  /** The period's months, as indexes 0–11 in that year. */
  months: number[];
}

const PERIOD_SHAPE = /^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$/;
const DAY_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

/** A named period with its year and months. */
function withMonths(period: NamedPeriod, timeZone: string): PublicPeriod {
  const start = DateTime.fromJSDate(period.from, { zone: timeZone });
  const count = Math.round(DateTime.fromJSDate(period.to, { zone: timeZone }).diff(start, 'months').months);
  return { ...period, year: start.year, months: Array.from({ length: count }, (_, i) => start.month - 1 + i) };
}

export function publicPeriod(params: { period?: unknown; from?: unknown; to?: unknown }, timeZone: string, now: Date): PublicPeriod {
  const given = (v: unknown) => v !== undefined && v !== null && v !== '';
  const refuse = (code: typeof ERROR_CODES.VALIDATION | typeof ERROR_CODES.FIXED_PERIOD_REQUIRED, path: string, message: string): never => {
    throw new DomainError(code, message, [{ path: [path], message }]);
  };
  let period: NamedPeriod | null;
  if (given(params.period)) {
    if (given(params.from) || given(params.to)) refuse(ERROR_CODES.VALIDATION, 'period', 'Give period, or from and to, not both.');
    const label = String(params.period);
    period = PERIOD_SHAPE.test(label) ? namedPeriod(label, timeZone) : null;
    if (!period) refuse(ERROR_CODES.VALIDATION, 'period', 'A period is a year (2026), a quarter (2026-Q2) or a month (2026-05).');
  } else if (given(params.from) || given(params.to)) {
    for (const name of ['from', 'to'] as const) {
      const v = params[name];
      if (!given(v)) refuse(ERROR_CODES.FIXED_PERIOD_REQUIRED, name, `Give both from and to, the first and last days of a month, quarter or year; or use period.`);
      if (typeof v !== 'string' || !DAY_SHAPE.test(v) || !DateTime.fromISO(v, { zone: timeZone }).isValid) refuse(ERROR_CODES.VALIDATION, name, 'A date, yyyy-MM-dd.');
    }
    const [from, to] = [String(params.from), String(params.to)];
    period = periodOfDays('month', from, to, timeZone) ?? periodOfDays('quarter', from, to, timeZone) ?? periodOfDays('year', from, to, timeZone);
    if (!period) refuse(ERROR_CODES.FIXED_PERIOD_REQUIRED, 'from', 'Public figures cover a whole calendar month, quarter or year: use period=2026-05, 2026-Q2 or 2026 (or from and to as its first and last days).');
  } else {
    period = namedPeriod(String(DateTime.fromJSDate(now, { zone: timeZone }).year), timeZone);
  }
  if (period!.from > now) refuse(ERROR_CODES.VALIDATION, 'period', 'This period has not begun yet.');
  return withMonths(period!, timeZone);
}

/** The fixed period that [from, to) is, or null (what the report generator asks for). */
export function fixedPeriodOf(from: Date, to: Date, timeZone: string): PublicPeriod | null {
  const first = DateTime.fromJSDate(from, { zone: timeZone });
  const last = DateTime.fromJSDate(to, { zone: timeZone }).minus({ days: 1 });
  for (const unit of ['month', 'quarter', 'year'] as const) {
    const period = periodOfDays(unit, first.toFormat('yyyy-MM-dd'), last.toFormat('yyyy-MM-dd'), timeZone);
    if (period && +period.from === +from && +period.to === +to) return withMonths(period, timeZone);
  }
  return null;
}
