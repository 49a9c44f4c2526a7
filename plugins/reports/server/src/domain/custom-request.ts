/**
 * What a manager may ask of a custom report: a date range (local days of the project, both
 * inclusive) and optional filters by code. Pure: the service resolves the codes and the scope.
 */
import { DateTime } from 'luxon';
import { CHANNELS, PRIORITIES } from '../../../../../src/domain/vocabulary';

/** A range longer than this is almost surely a typo in the year. */
export const CUSTOM_MAX_YEARS = 10;
export const CUSTOM_LOCALES = ['en', 'fr', 'hi'] as const;
export const REPORT_FORMATS = ['pdf', 'xlsx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
const FIELDS = ['project', 'from', 'to', 'department', 'category', 'region', 'priority', 'channel', 'locale', 'formats'] as const;
const CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export interface CustomFilters {
  department?: string;
  category?: string;
  region?: string;
  priority?: string;
  channel?: string;
}

export interface CustomRequest {
  project?: string;
  from: Date;
  to: Date;
  /** `2026-01-01…2026-03-31`, the days as the requester named them. */
  label: string;
  filters: CustomFilters;
  locale?: string;
  formats: ReportFormat[];
}

/** Which files to make: both unless asked for fewer. */
export function parseFormats(value: unknown): { formats: ReportFormat[] } | { error: FieldError } {
  if (value == null) return { formats: [...REPORT_FORMATS] };
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || list.some((f) => !(REPORT_FORMATS as readonly unknown[]).includes(f))) {
    return { error: { path: ['formats'], message: `A list of ${REPORT_FORMATS.join(', ')}.` } };
  }
  return { formats: REPORT_FORMATS.filter((f) => list.includes(f)) };
}

export type FieldError = { path: string[]; message: string };

export function parseCustomRequest(body: unknown, timeZone: string): { value: CustomRequest } | { errors: FieldError[] } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { errors: [{ path: [], message: 'Send a JSON object: { project, from, to, … }.' }] };
  const input = body as Record<string, unknown>;
  const errors: FieldError[] = Object.keys(input)
    .filter((k) => !(FIELDS as readonly string[]).includes(k))
    .map((k) => ({ path: [k], message: `Unknown field; use ${FIELDS.join(', ')}.` }));
  const text = (k: string) => {
    const v = input[k];
    if (v == null || v === '') return undefined;
    if (typeof v !== 'string') {
      errors.push({ path: [k], message: 'A text value.' });
      return undefined;
    }
    return v.trim();
  };
  const day = (k: 'from' | 'to') => {
    const v = text(k);
    if (v === undefined) {
      if (input[k] == null || input[k] === '') errors.push({ path: [k], message: 'Required: a date, yyyy-MM-dd.' });
      return null;
    }
    const d = /^\d{4}-\d{2}-\d{2}$/.test(v) ? DateTime.fromISO(v, { zone: timeZone }) : null;
    if (!d?.isValid) {
      errors.push({ path: [k], message: 'A date, yyyy-MM-dd.' });
      return null;
    }
    return d.startOf('day');
  };
  const fromDay = day('from');
  const toDay = day('to');
  if (fromDay && toDay) {
    if (toDay < fromDay) errors.push({ path: ['to'], message: 'On or after from.' });
    else if (toDay.diff(fromDay, 'years').years > CUSTOM_MAX_YEARS) errors.push({ path: ['to'], message: `At most ${CUSTOM_MAX_YEARS} years after from.` });
  }
  const filters: CustomFilters = {};
  for (const k of ['department', 'category', 'region'] as const) {
    const v = text(k);
    if (v === undefined) continue;
    if (!CODE.test(v)) errors.push({ path: [k], message: 'A code, as shown in the admin panel.' });
    else filters[k] = v.toUpperCase();
  }
  const priority = text('priority');
  if (priority !== undefined) {
    if (!(PRIORITIES as readonly string[]).includes(priority)) errors.push({ path: ['priority'], message: `One of ${PRIORITIES.join(', ')}.` });
    else filters.priority = priority;
  }
  const channel = text('channel');
  if (channel !== undefined) {
    if (!(CHANNELS as readonly string[]).includes(channel)) errors.push({ path: ['channel'], message: `One of ${CHANNELS.join(', ')}.` });
    else filters.channel = channel;
  }
  const locale = text('locale');
  if (locale !== undefined && !(CUSTOM_LOCALES as readonly string[]).includes(locale)) errors.push({ path: ['locale'], message: `One of ${CUSTOM_LOCALES.join(', ')}.` });
  const formats = parseFormats(input.formats);
  if ('error' in formats) errors.push(formats.error);
  const project = text('project');
  if (project !== undefined && !CODE.test(project)) errors.push({ path: ['project'], message: 'A project code.' });
  if (errors.length || !fromDay || !toDay || 'error' in formats) return { errors };
  return {
    value: {
      project,
      from: fromDay.toJSDate(),
      // The whole of the last day counts.
      to: toDay.plus({ days: 1 }).toJSDate(),
      label: `${fromDay.toISODate()}…${toDay.toISODate()}`,
      filters,
      locale,
      formats: formats.formats,
    },
  };
}
