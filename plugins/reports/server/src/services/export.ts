/**
 * Staff export of the filtered case list (CSV, Excel or PDF), scoped exactly as the content
 * manager scopes the requester (their role's conditions: projects, departments, regions,
 * assigned to me). Rows are read in keyset batches and written as they come (CSV and Excel are
 * streamed), so a million rows never sit in memory. Citizens' names and contacts are exported
 * only on request (`contact=true`), to staff whose role may read them, after a step-up
 * (docs/security.md). Every export is audited.
 */
import { PassThrough, Readable } from 'node:stream';
import type { Core } from '@strapi/strapi';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { renderPdf } from '../../../../../src/platform/pdf';
import { getService } from '../../../../../src/platform/services';

const GRIEVANCE = 'api::grievance.grievance';
const BATCH = 1000;
/** A PDF is for reading, not for data: beyond this many rows, export Excel or CSV. */
export const PDF_MAX_ROWS = 2000;
const STATUSES = ['submitted', 'acknowledged', 'assigned', 'in_progress', 'escalated', 'resolved', 'closed', 'rejected'];
const PRIORITIES = ['low', 'normal', 'high', 'urgent'];

export const COLUMNS = [
  { key: 'trackingCode', header: 'Tracking code', width: 26 },
  { key: 'project', header: 'Project', width: 10 },
  { key: 'category', header: 'Category', width: 28 },
  { key: 'department', header: 'Department', width: 24 },
  { key: 'status', header: 'Status', width: 13 },
  { key: 'priority', header: 'Priority', width: 9 },
  { key: 'slaState', header: 'SLA', width: 10 },
  { key: 'level', header: 'Level', width: 6 },
  { key: 'submittedAt', header: 'Received', width: 20 },
  { key: 'resolveDueAt', header: 'Resolve by', width: 20 },
  { key: 'resolvedAt', header: 'Resolved', width: 20 },
] as const;

/** Personal data, added with `contact=true`. */
export const CONTACT_COLUMNS = [
  { key: 'citizenName', header: 'Citizen', width: 24 },
  { key: 'citizenPhone', header: 'Phone', width: 18 },
  { key: 'citizenEmail', header: 'E-mail', width: 28 },
] as const;

const columnsFor = (contact: boolean) => [...COLUMNS, ...(contact ? CONTACT_COLUMNS : [])];

export class ExportRefusal extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export interface ExportFilters {
  project?: string;
  status?: string;
  priority?: string;
  department?: string;
  from?: string;
  to?: string;
  /** Add the citizens' names and contacts (personal data). */
  contact?: boolean;
}

export function parseExportQuery(query: Record<string, unknown>): { format: 'csv' | 'xlsx' | 'pdf'; filters: ExportFilters } {
  const allowed = ['format', 'project', 'status', 'priority', 'department', 'from', 'to', 'contact'];
  const unknown = Object.keys(query).filter((k) => !allowed.includes(k));
  if (unknown.length) throw new ExportRefusal(400, 'VALIDATION', `Unknown parameter: ${unknown.join(', ')}. Use ${allowed.join(', ')}.`);
  const format = String(query.format ?? 'csv');
  if (!['csv', 'xlsx', 'pdf'].includes(format)) throw new ExportRefusal(400, 'VALIDATION', 'format must be csv, xlsx or pdf.');
  const text = (k: string) => (typeof query[k] === 'string' && query[k] !== '' ? (query[k] as string) : undefined);
  if (query.contact !== undefined && !['true', 'false'].includes(String(query.contact))) throw new ExportRefusal(400, 'VALIDATION', 'contact must be true or false.');
  const filters: ExportFilters = { project: text('project'), status: text('status'), priority: text('priority'), department: text('department'), from: text('from'), to: text('to'), contact: query.contact === 'true' };
  if (filters.status && !STATUSES.includes(filters.status)) throw new ExportRefusal(400, 'VALIDATION', `status must be one of ${STATUSES.join(', ')}.`);
  if (filters.priority && !PRIORITIES.includes(filters.priority)) throw new ExportRefusal(400, 'VALIDATION', `priority must be one of ${PRIORITIES.join(', ')}.`);
  for (const k of ['from', 'to'] as const) if (filters[k] && Number.isNaN(Date.parse(filters[k]!))) throw new ExportRefusal(400, 'VALIDATION', `${k} must be a date.`);
  return { format: format as 'csv' | 'xlsx' | 'pdf', filters };
}

const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : '');

export default ({ strapi }: { strapi: Core.Strapi }) => {
  /** The requester's read scope on cases, as the content manager computes it, plus their filters. */
  async function scopedFilters(ability: any, f: ExportFilters) {
    const checker = strapi.plugin('content-manager').service('permission-checker').create({ userAbility: ability, model: GRIEVANCE });
    if (checker.cannot.read()) throw new ExportRefusal(403, 'NOT_ALLOWED', 'You may not read cases.');
    if (f.contact && CONTACT_COLUMNS.some((c) => checker.cannot.read(null, c.key))) {
      throw new ExportRefusal(403, 'NOT_ALLOWED', "Your role may not read citizens' contact details.");
    }
    const permission = await checker.sanitizedQuery.read({});
    const own: Record<string, unknown>[] = [];
    if (f.project) own.push({ project: { code: f.project.toUpperCase() } });
    if (f.status) own.push({ caseStatus: f.status });
    if (f.priority) own.push({ priority: f.priority });
    if (f.department) own.push({ department: { code: f.department.toUpperCase() } });
    if (f.from) own.push({ submittedAt: { $gte: new Date(f.from) } });
    if (f.to) own.push({ submittedAt: { $lt: new Date(f.to) } });
    return [...(permission.filters ? [permission.filters] : []), ...own];
  }

  /** Rows in id order, a batch at a time. */
  async function* rows(ability: any, f: ExportFilters) {
    const scope = await scopedFilters(ability, f);
    let after = 0;
    for (;;) {
      const batch = await strapi.documents(GRIEVANCE as any).findMany({
        filters: { $and: [...scope, { id: { $gt: after } }] },
        sort: 'id:asc',
        limit: BATCH,
        fields: ['trackingCode', 'caseStatus', 'priority', 'slaState', 'escalationLevel', 'submittedAt', 'resolveDueAt', 'resolvedAt', ...(f.contact ? CONTACT_COLUMNS.map((c) => c.key) : [])],
        populate: { project: { fields: ['code'] }, category: { fields: ['name'] }, department: { fields: ['name'] } },
      } as any);
      if (batch.length === 0) return;
      after = (batch[batch.length - 1] as any).id;
      for (const r of batch as any[]) {
        yield {
          trackingCode: r.trackingCode,
          project: r.project?.code ?? '',
          category: r.category?.name ?? '',
          department: r.department?.name ?? '',
          status: r.caseStatus,
          priority: r.priority ?? '',
          slaState: r.slaState ?? '',
          level: r.escalationLevel ?? 1,
          submittedAt: iso(r.submittedAt),
          resolveDueAt: iso(r.resolveDueAt),
          resolvedAt: iso(r.resolvedAt),
          ...(f.contact ? { citizenName: r.citizenName ?? '', citizenPhone: r.citizenPhone ?? '', citizenEmail: r.citizenEmail ?? '' } : {}),
        };
      }
      if (batch.length < BATCH) return;
    }
  }

  return {
    /** Starts an export; answers the stream to send and a promise of the row count for the audit. */
    async export(ability: any, format: 'csv' | 'xlsx' | 'pdf', filters: ExportFilters): Promise<{ body: Readable | Buffer; rows: Promise<number> }> {
      await scopedFilters(ability, filters); // refuse before any byte is sent
      if (filters.contact) await getService('security', 'stepUp').require('personal_data_export');
      const columns = columnsFor(Boolean(filters.contact));
      if (format === 'csv') {
        const csv = stringify({ header: true, columns: columns.map((c) => ({ key: c.key, header: c.header })) });
        let count = 0;
        const rowsDone = (async () => {
          try {
            for await (const row of rows(ability, filters)) {
              count += 1;
              if (!csv.write(row)) await new Promise((resolve) => csv.once('drain', resolve));
            }
          } finally {
            csv.end();
          }
          return count;
        })();
        return { body: csv, rows: rowsDone };
      }
      if (format === 'xlsx') {
        const out = new PassThrough();
        const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
        const sheet = workbook.addWorksheet('Cases', { views: [{ state: 'frozen', ySplit: 1 }] });
        sheet.columns = columns.map((c) => ({ header: c.header, key: c.key, width: c.width }));
        sheet.getRow(1).font = { bold: true };
        sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
        let count = 0;
        const rowsDone = (async () => {
          for await (const row of rows(ability, filters)) {
            count += 1;
            sheet.addRow({ ...row, submittedAt: row.submittedAt ? new Date(row.submittedAt) : null, resolveDueAt: row.resolveDueAt ? new Date(row.resolveDueAt) : null, resolvedAt: row.resolvedAt ? new Date(row.resolvedAt) : null }).commit();
          }
          sheet.commit();
          await workbook.commit();
          return count;
        })();
        return { body: out, rows: rowsDone };
      }
      const list: Array<Record<string, unknown>> = [];
      for await (const row of rows(ability, filters)) {
        list.push(row);
        if (list.length > PDF_MAX_ROWS) throw new ExportRefusal(413, 'TOO_MANY_ROWS', `A PDF holds at most ${PDF_MAX_ROWS} cases; narrow the filters or export Excel or CSV.`);
      }
      const pdf = await renderPdf({
        pageSize: 'A4',
        pageOrientation: 'landscape',
        pageMargins: [24, 30, 24, 30],
        footer: (page: number, pages: number) => ({ text: `${page} / ${pages}`, alignment: 'center', fontSize: 8 }),
        content: [
          { text: `Cases (${list.length})`, fontSize: 14, bold: true, margin: [0, 0, 0, 8] },
          {
            fontSize: 7,
            table: { headerRows: 1, body: [columns.map((c) => ({ text: c.header, bold: true })), ...list.map((r) => columns.map((c) => String(r[c.key] ?? '')))] },
            layout: 'lightHorizontalLines',
          },
        ],
      });
      return { body: pdf, rows: Promise.resolve(list.length) };
    },
  };
};
