/**
 * The staff work queue's rules, pure (docs/workflow.md, "The staff queue"): which views exist,
 * what a request may ask for, what a search box entry means, and the keyset cursor. The service
 * turns the parsed request into one scoped query.
 */
import { CHANNELS, GRIEVANCE_STATUSES, PRIORITIES, SLA_STATES } from '../../../../../src/domain/vocabulary';
import { normaliseTrackingCode } from '../../../../../src/domain/tracking-code';

export const QUEUE_VIEWS = ['mine', 'department', 'overdue', 'unassigned', 'all'] as const;
export type QueueView = (typeof QUEUE_VIEWS)[number];

export const QUEUE_PAGE_SIZE = { default: 25, max: 100 } as const;
/** Counts are exact up to here; beyond it the answer is "10,000+", so a count never scans a million rows. */
export const QUEUE_COUNT_LIMIT = 10_000;

export interface QueueFilters {
  status?: string[];
  slaState?: string[];
  priority?: string[];
  level?: number[];
  department?: string[];
  region?: string[];
  category?: string[];
  channel?: string[];
  from?: string;
  to?: string;
}

export type QueueSearch = { kind: 'code'; code: string; exact: boolean } | { kind: 'phone'; phone: string } | { kind: 'words'; words: string[] };

export interface Cursor {
  submittedAt: string;
  id: number;
}

export interface QueueRequest {
  view: QueueView;
  filters: QueueFilters;
  search: QueueSearch | null;
  pageSize: number;
  after: Cursor | null;
}

export interface QueueProblem {
  path: string[];
  message: string;
}

const ENUMS: Record<'status' | 'slaState' | 'priority' | 'channel', readonly string[]> = {
  status: GRIEVANCE_STATUSES,
  slaState: SLA_STATES,
  priority: PRIORITIES,
  channel: CHANNELS,
};

/** Reference codes and document ids: letters, digits, dash and underscore. */
const REFERENCE = /^[A-Za-z0-9_-]{1,40}$/;
const DAY_OR_INSTANT = /^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

/** `a,b` or repeated `?x=a&x=b`, trimmed, empty entries dropped. */
const listOf = (value: unknown): string[] =>
  (Array.isArray(value) ? value : [value])
    .filter((v) => typeof v === 'string')
    .flatMap((v) => (v as string).split(','))
    .map((v) => v.trim())
    .filter(Boolean);

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.submittedAt}|${cursor.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(value: string): Cursor | null {
  const text = Buffer.from(value, 'base64url').toString('utf8');
  const [at, id, ...rest] = text.split('|');
  const number = /^\d{1,15}$/.test(id ?? '') ? Number(id) : NaN;
  if (rest.length || !Number.isSafeInteger(number) || number <= 0 || Number.isNaN(Date.parse(at))) return null;
  return { submittedAt: new Date(at).toISOString(), id: number };
}

/**
 * What a search box entry is: a tracking code (whole, or its start such as `DIST-2026`), a phone
 * number (matched through the blind index, never by reading numbers), or words of the description.
 */
export function classifySearch(raw: string): QueueSearch | null {
  const q = raw.trim().replace(/\s+/g, ' ');
  if (!q) return null;
  const exact = normaliseTrackingCode(q);
  if (exact) return { kind: 'code', code: exact, exact: true };
  if (/^[A-Za-z][A-Za-z0-9]{1,9}-\d[0-9A-Za-z-]*$/.test(q)) return { kind: 'code', code: q.toUpperCase(), exact: false };
  const digits = q.replace(/[\s().-]/g, '');
  if (/^\+?\d{6,15}$/.test(digits)) return { kind: 'phone', phone: digits };
  const words = [...new Set(q.toLowerCase().split(' ').filter((w) => w.length >= 2))].slice(0, 8);
  return words.length ? { kind: 'words', words } : null;
}

export function parseQueueRequest(query: Record<string, unknown>): { request: QueueRequest } | { problems: QueueProblem[] } {
  const problems: QueueProblem[] = [];
  const known = new Set(['view', 'q', 'pageSize', 'after', 'from', 'to', 'level', 'department', 'region', 'category', ...Object.keys(ENUMS)]);
  for (const key of Object.keys(query)) if (!known.has(key)) problems.push({ path: [key], message: `Unknown parameter: ${key}.` });

  // Brackets in a query string (`status[$ne]=closed`) arrive as objects: a filter is text or a list of texts.
  for (const [key, value] of Object.entries(query)) {
    const texts = Array.isArray(value) ? value : [value];
    if (known.has(key) && !texts.every((v) => typeof v === 'string')) problems.push({ path: [key], message: `${key} takes text, not an object.` });
  }

  const view = (query.view ?? 'all') as QueueView;
  if (typeof view !== 'string' || !QUEUE_VIEWS.includes(view)) problems.push({ path: ['view'], message: `view must be one of ${QUEUE_VIEWS.join(', ')}.` });

  const filters: QueueFilters = {};
  for (const [key, allowed] of Object.entries(ENUMS) as Array<[keyof typeof ENUMS, readonly string[]]>) {
    const values = listOf(query[key]);
    const wrong = values.filter((v) => !allowed.includes(v));
    if (wrong.length) problems.push({ path: [key], message: `${key} must be among ${allowed.join(', ')}.` });
    else if (values.length) filters[key] = values;
  }
  for (const key of ['department', 'region', 'category'] as const) {
    const values = listOf(query[key]);
    if (values.some((v) => !REFERENCE.test(v))) problems.push({ path: [key], message: `${key} takes codes or document ids.` });
    else if (values.length) filters[key] = values;
  }
  const levels = listOf(query.level);
  if (levels.some((l) => !/^\d{1,2}$/.test(l))) problems.push({ path: ['level'], message: 'level takes whole numbers.' });
  else if (levels.length) filters.level = levels.map(Number);
  for (const key of ['from', 'to'] as const) {
    const value = query[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !DAY_OR_INSTANT.test(value) || Number.isNaN(Date.parse(value))) problems.push({ path: [key], message: `${key} takes a date (YYYY-MM-DD) or an ISO instant.` });
    else filters[key] = value;
  }

  const pageSizeText = query.pageSize ?? String(QUEUE_PAGE_SIZE.default);
  const pageSize = Number(pageSizeText);
  if (typeof pageSizeText !== 'string' || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > QUEUE_PAGE_SIZE.max) {
    problems.push({ path: ['pageSize'], message: `pageSize takes 1 to ${QUEUE_PAGE_SIZE.max}.` });
  }
  let after: Cursor | null = null;
  if (query.after !== undefined) {
    after = typeof query.after === 'string' && query.after.length <= 200 ? decodeCursor(query.after) : null;
    if (!after) problems.push({ path: ['after'], message: 'after takes the meta.next cursor of the previous page.' });
  }
  if (query.q !== undefined && (typeof query.q !== 'string' || query.q.length > 200)) problems.push({ path: ['q'], message: 'q takes up to 200 characters.' });

  if (problems.length) return { problems };
  return { request: { view, filters, search: typeof query.q === 'string' ? classifySearch(query.q) : null, pageSize, after } };
}

/** The deadline the case is working towards now: acknowledgement first, then resolution; none once resolved. */
export function dueAt(row: { caseStatus: string; acknowledgeDueAt?: string | Date | null; resolveDueAt?: string | Date | null }): string | null {
  const value = row.caseStatus === 'submitted' ? row.acknowledgeDueAt : ['resolved', 'closed', 'rejected'].includes(row.caseStatus) ? null : row.resolveDueAt;
  return value ? new Date(value).toISOString() : null;
}
