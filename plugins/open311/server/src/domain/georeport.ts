/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) as pure functions: how a
 * category becomes a service and a service definition, a case becomes a service request, the
 * query parameters of GET requests are read, and answers and errors are written as JSON or XML.
 */
export type Format = 'json' | 'xml';

export interface Open311Error {
  code: number;
  description: string;
}

/** Requests listed when GET requests gives no dates: the spec's default window. */
export const DEFAULT_WINDOW_DAYS = 90;
export const MAX_REQUESTS = 1000;
/** Coordinates are published to about 100 m: enough to find the problem, not the person. */
const COORDINATE_DECIMALS = 3;

export const CLOSED_STATUSES = ['closed', 'rejected'];
export const open311Status = (caseStatus: string): 'open' | 'closed' => (CLOSED_STATUSES.includes(caseStatus) ? 'closed' : 'open');

export interface CategoryRow {
  code: string;
  name: string;
  description?: string | null;
  group?: string | null;
  intakeFields?: Array<{ code: string; label: string; datatype: string; required: boolean; allowedValues?: unknown; order?: number | null; description?: string | null }>;
}

export function toService(c: CategoryRow) {
  return {
    service_code: c.code,
    service_name: c.name,
    description: c.description ?? c.name,
    metadata: (c.intakeFields?.length ?? 0) > 0,
    type: 'realtime',
    // The categories' keywords steer the intake classifier and are not published: the spec's
    // field stays, empty.
    keywords: '',
    group: c.group ?? '',
  };
}

export function toDefinition(c: CategoryRow) {
  return {
    service_code: c.code,
    attributes: [...(c.intakeFields ?? [])]
      .sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
      .map((f, i) => ({
        variable: true,
        code: f.code,
        datatype: f.datatype,
        required: Boolean(f.required),
        datatype_description: f.description ?? '',
        order: i + 1,
        description: f.label,
        ...(f.datatype === 'singlevaluelist' || f.datatype === 'multivaluelist'
          ? { values: (Array.isArray(f.allowedValues) ? f.allowedValues : []).map((v: any) => (typeof v === 'object' && v ? { key: String(v.key ?? v.value), name: String(v.name ?? v.label ?? v.key) } : { key: String(v), name: String(v) })) }
          : {}),
      })),
  };
}

export interface CaseRow {
  trackingCode: string;
  caseStatus: string;
  categoryCode: string;
  categoryName: string;
  department: string | null;
  submittedAt: string;
  updatedAt: string;
  resolveDueAt: string | null;
  latitude: number | null;
  longitude: number | null;
  statusNote: string | null;
}

const round = (v: number | null) => (v == null ? null : Number(Number(v).toFixed(COORDINATE_DECIMALS)));

export function toRequest(r: CaseRow) {
  return {
    service_request_id: r.trackingCode,
    status: open311Status(r.caseStatus),
    status_notes: r.statusNote ?? '',
    service_name: r.categoryName,
    service_code: r.categoryCode,
    agency_responsible: r.department ?? '',
    service_notice: '',
    requested_datetime: r.submittedAt,
    updated_datetime: r.updatedAt,
    expected_datetime: r.resolveDueAt ?? '',
    // The citizen's own words about where they are would undo the rounding of the coordinates.
    address: '',
    address_id: '',
    zipcode: '',
    lat: round(r.latitude),
    long: round(r.longitude),
    media_url: '',
  };
}

export interface RequestQuery {
  ids: string[] | null;
  serviceCodes: string[] | null;
  from: Date;
  to: Date;
  status: 'open' | 'closed' | null;
}

/** Reads GET requests' parameters; an error names the parameter. */
export function parseRequestQuery(q: Record<string, unknown>, now = new Date()): RequestQuery | Open311Error {
  const list = (v: unknown) => (typeof v === 'string' && v.trim() ? v.split(',').map((s) => s.trim()).filter(Boolean) : null);
  const date = (name: string): Date | null | Open311Error => {
    const v = q[name];
    if (v == null || v === '') return null;
    const d = new Date(String(v));
    return Number.isNaN(d.getTime()) ? { code: 400, description: `${name} must be a W3C date-time, e.g. 2026-11-01T00:00:00Z.` } : d;
  };
  const start = date('start_date');
  const end = date('end_date');
  if (start && !(start instanceof Date)) return start;
  if (end && !(end instanceof Date)) return end;
  const status = q.status == null || q.status === '' ? null : String(q.status);
  if (status && status !== 'open' && status !== 'closed') return { code: 400, description: 'status must be open or closed.' };
  const to = (end as Date | null) ?? now;
  const from = (start as Date | null) ?? new Date(to.getTime() - DEFAULT_WINDOW_DAYS * 86_400_000);
  if (from > to) return { code: 400, description: 'start_date must be before end_date.' };
  return { ids: list(q.service_request_id), serviceCodes: list(q.service_code), from, to, status: status as RequestQuery['status'] };
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

function xmlValue(name: string, value: unknown, itemNames: Record<string, string>): string {
  if (value == null || value === '') return `<${name}/>`;
  if (Array.isArray(value)) return `<${name}>${value.map((v) => xmlValue(itemNames[name] ?? 'item', v, itemNames)).join('')}</${name}>`;
  if (typeof value === 'object') return `<${name}>${Object.entries(value as Record<string, unknown>).map(([k, v]) => xmlValue(k, v, itemNames)).join('')}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** The spec's XML: a root element holding one element per item, nested lists by their singular. */
export function toXml(root: string, item: string, items: unknown[]): string {
  const itemNames: Record<string, string> = { attributes: 'attribute', values: 'value', endpoints: 'endpoint', formats: 'format', [root]: item };
  return `<?xml version="1.0" encoding="utf-8"?>\n<${root}>${items.map((i) => xmlValue(item, i, itemNames)).join('')}</${root}>`;
}

/** One object as XML (the service definition). */
export function toXmlObject(root: string, value: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${xmlValue(root, value, { attributes: 'attribute', values: 'value' })}`;
}

export function errorBody(errors: Open311Error[], format: Format): string | Open311Error[] {
  return format === 'xml' ? toXml('errors', 'error', errors) : errors;
}
