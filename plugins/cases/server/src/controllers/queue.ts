/** Thin controller of the staff queue: parse, call one service method, shape the answer. */
import type { Core } from '@strapi/strapi';
import { stringify } from 'csv-stringify';
import { getService } from '../../../../../src/platform/services';
import { failWith } from '../../../../../src/platform/http-error';
import { QUEUE_EXPORT_COLUMNS, STATUS_BY_CODE } from '../constants';
import { parseQueueRequest } from '../domain/queue';
import { WorkflowRefusal } from '../services/refusal';

/** Paging belongs to the list; an export is the whole view. */
const NOT_FOR_EXPORT = ['pageSize', 'after'];

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async list(ctx: any) {
    const parsed = parseQueueRequest(ctx.query ?? {});
    if ('problems' in parsed) {
      return failWith(ctx, 400, 'VALIDATION', parsed.problems.map((p) => p.message).join(' '), parsed.problems);
    }
    ctx.set('Cache-Control', 'private, no-store');
    try {
      const page = await getService('cases', 'queue').list(ctx.state.user, ctx.state.userAbility, parsed.request);
      ctx.body = page;
    } catch (error) {
      if (!(error instanceof WorkflowRefusal)) throw error;
      failWith(ctx, STATUS_BY_CODE[error.code] ?? 400, error.code, error.message, error.errors);
    }
  },

  /**
   * `GET /cases/queue/export?format=csv` with the list's view, filters and `q`: every matching
   * case in the requester's scope, newest first, streamed as CSV (no citizen contact: that export,
   * with its step-up, is `/reports/export?contact=true`). Audited with its row count.
   */
  async export(ctx: any) {
    const { format = 'csv', ...query } = (ctx.query ?? {}) as Record<string, unknown>;
    const problems = [
      ...(format === 'csv' ? [] : [{ path: ['format'], message: 'format takes csv (Excel and PDF: /reports/export).' }]),
      ...NOT_FOR_EXPORT.filter((key) => key in query).map((key) => ({ path: [key], message: `${key} is for the list; an export holds the whole view.` })),
    ];
    const parsed = parseQueueRequest(query);
    if ('problems' in parsed) problems.push(...parsed.problems);
    if (problems.length > 0 || 'problems' in parsed) {
      return failWith(ctx, 400, 'VALIDATION', problems.map((p) => p.message).join(' '), problems);
    }
    let rows: AsyncGenerator<Record<string, string | number>>;
    try {
      rows = await getService('cases', 'queue').exportRows(ctx.state.user, ctx.state.userAbility, parsed.request);
    } catch (error) {
      if (!(error instanceof WorkflowRefusal)) throw error;
      return failWith(ctx, STATUS_BY_CODE[error.code] ?? 400, error.code, error.message, error.errors);
    }
    const csv = stringify({ header: true, columns: QUEUE_EXPORT_COLUMNS.map((c) => ({ key: c.key, header: c.header })) });
    ctx.type = 'text/csv; charset=utf-8';
    ctx.set('Content-Disposition', `attachment; filename="cases-${parsed.request.view}-${new Date().toISOString().slice(0, 10)}.csv"`);
    ctx.set('Cache-Control', 'private, no-store');
    ctx.body = csv;
    const { view, filters, search } = parsed.request;
    // Rows are written as they are read, honouring the response's back-pressure; the audit
    // entry follows once they are counted (the response has started by then).
    (async () => {
      let count = 0;
      try {
        for await (const row of rows) {
          count += 1;
          if (!csv.write(row)) await new Promise((resolve) => csv.once('drain', resolve));
        }
      } finally {
        csv.end();
      }
      await getService('audit', 'capture').record({
        action: 'cases.exported',
        entityType: 'grievance',
        details: { format: 'csv', source: 'queue', view, filters, search: search?.kind ?? null, rows: count, by: ctx.state.user.email },
      });
    })().catch((error: any) => {
      strapi.log.error(`Queue export failed: ${error?.message ?? error}`);
      csv.destroy(error);
    });
  },
});
