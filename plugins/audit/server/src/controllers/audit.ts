/** Thin controllers: who may read, parse filters, call the service, shape the response. */
import type { Core } from '@strapi/strapi';
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { READ_ACTION, UID, WHOLE_TRAIL_ROLES } from '../constants';
import { getService } from '../../../../../src/platform/services';

const FILTER_KEYS = ['entity', 'actor', 'action', 'from', 'to', 'page', 'pageSize', 'format', 'head', 'seq'];
const CSV_COLUMNS = ['seq', 'occurredAt', 'actorType', 'actorId', 'actorLabel', 'action', 'entityType', 'entityId', 'projectId', 'diff', 'ip', 'userAgent', 'prevHash', 'hash'];

function fail(ctx: any, status: number, code: string, message: string) {
  ctx.status = status;
  ctx.body = { data: null, error: { status, name: status === 403 ? 'ForbiddenError' : 'ValidationError', message, details: { code } } };
}

/** A spreadsheet must not execute a cell: text starting with = + - @ is written as text. */
const cell = (value: unknown) => {
  const text = value == null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
};

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const audit = () => getService('audit', 'audit');

  /** null: may not read; otherwise the project scope (null = everything). */
  async function readScope(ctx: any): Promise<{ projectIds: string[] | null } | null> {
    const user = ctx.state.user;
    if (!ctx.state.userAbility?.can(READ_ACTION)) return null;
    if ((user?.roles ?? []).some((r: { code: string }) => WHOLE_TRAIL_ROLES.includes(r.code))) return { projectIds: null };
    const profile = await strapi.db.query(UID.staffProfile as any).findOne({
      where: { user: { id: user.id }, active: true },
      populate: { projects: { select: ['documentId'] } },
    });
    return { projectIds: [...new Set<string>((profile?.projects ?? []).map((p: { documentId: string }) => p.documentId))] };
  }

  function filtersOf(ctx: any) {
    const query = ctx.query ?? {};
    const unknown = Object.keys(query).filter((k) => !FILTER_KEYS.includes(k));
    if (unknown.length > 0) return { error: `Unknown query parameter: ${unknown.join(', ')}` };
    for (const key of ['from', 'to']) {
      if (query[key] && Number.isNaN(Date.parse(query[key]))) return { error: `"${key}" must be an ISO 8601 date or time.` };
    }
    const page = Number(query.page ?? 1);
    const pageSize = Number(query.pageSize ?? 50);
    if (!Number.isInteger(page) || page < 1 || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > 500) {
      return { error: 'page must be 1 or more and pageSize between 1 and 500.' };
    }
    const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, 200) : undefined);
    return { filters: { entity: text(query.entity), actor: text(query.actor), action: text(query.action), from: text(query.from), to: text(query.to) }, page, pageSize };
  }

  return {
    async events(ctx: any) {
      const scope = await readScope(ctx);
      if (!scope) return fail(ctx, 403, 'NOT_ALLOWED', 'You may not read the audit trail.');
      const parsed = filtersOf(ctx);
      if ('error' in parsed) return fail(ctx, 400, 'VALIDATION', parsed.error as string);
      const { results, pagination } = await audit().find({ ...parsed.filters, projectIds: scope.projectIds }, parsed.page, parsed.pageSize);
      ctx.body = { data: results, meta: { pagination } };
    },

    async exportEvents(ctx: any) {
      const scope = await readScope(ctx);
      if (!scope) return fail(ctx, 403, 'NOT_ALLOWED', 'You may not read the audit trail.');
      const parsed = filtersOf(ctx);
      if ('error' in parsed) return fail(ctx, 400, 'VALIDATION', parsed.error as string);
      const format = ctx.query.format ?? 'jsonl';
      if (!['csv', 'jsonl'].includes(format)) return fail(ctx, 400, 'VALIDATION', 'format must be csv or jsonl.');
      const filters = { ...parsed.filters, projectIds: scope.projectIds };
      await getService('audit', 'capture').record({ action: 'audit.export', details: { format, filters: parsed.filters } });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      ctx.set('Content-Disposition', `attachment; filename="audit-${stamp}.${format}"`);
      ctx.type = format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8';
      const source = audit().stream(filters);
      ctx.body = Readable.from((async function* () {
        if (format === 'csv') yield stringify([CSV_COLUMNS]);
        for await (const event of source) {
          yield format === 'csv' ? stringify([CSV_COLUMNS.map((c) => cell((event as any)[c]))]) : `${JSON.stringify(event)}\n`;
        }
      })());
    },

    async verify(ctx: any) {
      const scope = await readScope(ctx);
      if (!scope) return fail(ctx, 403, 'NOT_ALLOWED', 'You may not read the audit trail.');
      const { head, seq } = ctx.query ?? {};
      if ((head == null) !== (seq == null) || (head != null && (!/^[0-9a-f]{64}$/.test(head) || !/^\d+$/.test(seq)))) {
        return fail(ctx, 400, 'VALIDATION', 'To check against a stored head, give both seq (a number) and head (64 hex characters).');
      }
      ctx.body = { data: await audit().verify(head ? { seq: Number(seq), hash: head } : undefined) };
    },

    async head(ctx: any) {
      const scope = await readScope(ctx);
      if (!scope) return fail(ctx, 403, 'NOT_ALLOWED', 'You may not read the audit trail.');
      ctx.body = { data: await audit().head() };
    },
  };
};
