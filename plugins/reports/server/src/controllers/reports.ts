/** The reports plugin's staff routes: dashboard, export, on-demand and custom reports. */
import type { Core } from '@strapi/strapi';
import { ReportRefusal } from '../services/generator';
import { ExportRefusal, parseExportQuery } from '../services/export';
import { failWith as fail } from '../../../../../src/platform/http-error';
import { getService } from '../../../../../src/platform/services';


const TYPES = { csv: 'text/csv; charset=utf-8', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', pdf: 'application/pdf' };

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** `GET /reports/dashboard?project=&from=&to=`: the dashboard's figures in the requester's scope. */
  async dashboard(ctx: any) {
    try {
      ctx.body = { data: await getService('reports', 'dashboard').dashboard(ctx.state.user, ctx.query ?? {}) };
    } catch (error) {
      if (error instanceof ReportRefusal) return fail(ctx, error.status, error.code, error.message, error.errors);
      throw error;
    }
  },

  /** `GET /reports/archive/:documentId/files`: download links to an archived report's files, in the requester's scope. */
  async files(ctx: any) {
    try {
      ctx.set('Cache-Control', 'private, no-store');
      ctx.body = { data: await getService('reports', 'generator').files(ctx.state.user, ctx.params.documentId) };
    } catch (error) {
      if (error instanceof ReportRefusal) return fail(ctx, error.status, error.code, error.message, error.errors);
      throw error;
    }
  },

  /** `GET /reports/export?format=csv|xlsx|pdf&project=&status=&priority=&department=&from=&to=`, in the requester's scope. */
  async export(ctx: any) {
    try {
      const { format, filters } = parseExportQuery(ctx.query ?? {});
      const { body, rows } = await getService('reports', 'export').export(ctx.state.userAbility, format, filters);
      const name = `cases-${new Date().toISOString().slice(0, 10)}.${format}`;
      ctx.type = TYPES[format];
      ctx.set('Content-Disposition', `attachment; filename="${name}"`);
      ctx.set('Cache-Control', 'private, no-store');
      ctx.body = body;
      // Audited once the rows are counted (streams finish after the response starts).
      rows
        .then((count: number) => getService('audit', 'capture').record({ action: 'cases.exported', entityType: 'grievance', details: { format, filters, rows: count, by: ctx.state.user.email } }))
        .catch((error: any) => strapi.log.error(`Export failed: ${error?.message ?? error}`));
    } catch (error) {
      if (error instanceof ExportRefusal) return fail(ctx, error.status, error.code, error.message);
      throw error;
    }
  },

  /**
   * `POST /reports/generate` { kind, project, from, to, formats? }: a named kind for a whole
   * month or quarter (or `period`), for the project's administrators; or `kind: "custom"` with
   * any days and filters, for any manager within their scope.
   */
  async generate(ctx: any) {
    const body = ctx.request.body ?? {};
    const by = [ctx.state.user.firstname, ctx.state.user.lastname].filter(Boolean).join(' ') || ctx.state.user.email;
    try {
      if (body.kind === 'custom') {
        const { kind: _kind, ...request } = body;
        ctx.status = 201;
        ctx.body = { data: await getService('reports', 'generator').custom(ctx.state.user, request) };
        return;
      }
      const unknown = Object.keys(body).filter((k) => !['kind', 'project', 'period', 'from', 'to', 'formats'].includes(k));
      if (unknown.length) return fail(ctx, 400, 'VALIDATION', `Unknown field: ${unknown.join(', ')}.`);
      const text = (v: unknown) => v === undefined || typeof v === 'string';
      if (typeof body.project !== 'string' || typeof body.kind !== 'string' || !text(body.period) || !text(body.from) || !text(body.to)) {
        return fail(ctx, 400, 'VALIDATION', 'Send { kind, project, from, to } (or period instead of from and to).');
      }
      await getService('reports', 'scope').assertAdministers(ctx.state.user, body.project);
      ctx.status = 201;
      ctx.body = { data: await getService('reports', 'generator').generate({ kind: body.kind, project: body.project, period: body.period, from: body.from, to: body.to, formats: body.formats, by }) };
    } catch (error) {
      if (error instanceof ReportRefusal) return fail(ctx, error.status, error.code, error.message, error.errors);
      throw error;
    }
  },
});
