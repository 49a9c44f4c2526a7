/**
 * The staff work queue (docs/workflow.md, "The staff queue"): one scoped query per page. Scope is
 * not re-implemented here: the content manager's own permission checker adds the staff member's
 * RBAC conditions to the filter, so the queue shows exactly the cases the content manager would.
 */
import type { Core } from '@strapi/strapi';
import { OPEN_STATUSES } from '../../../../../src/domain/vocabulary';
import { loadStaffScope } from '../../../../../src/platform/staff-scope';
import { caseReadScope } from '../../../../../src/platform/case-access';
import { dueAt, encodeCursor, QUEUE_COUNT_LIMIT, QueueRequest } from '../domain/queue';
import { loadKeys, rewritePhoneFilters } from '../../../../../src/platform/citizen-data';
import { columnOf, isoOf, linkOf, tableOf } from '../../../../../src/platform/tables';
import { QUEUE_EXPORT_BATCH, QUEUE_EXPORT_COLUMNS, UID } from '../constants';
import { WorkflowRefusal } from './refusal';

const READ = 'plugin::content-manager.explorer.read';

const LIST_FIELDS = ['documentId', 'trackingCode', 'caseStatus', 'priority', 'slaState', 'escalationLevel', 'channel', 'sensitive', 'submittedAt', 'acknowledgeDueAt', 'resolveDueAt'];

export interface QueueRow {
  documentId: string;
  trackingCode: string;
  status: string;
  priority: string;
  slaState: string | null;
  level: number;
  channel: string;
  sensitive: boolean;
  project: { code: string } | null;
  category: { documentId: string; code: string; name: string } | null;
  department: { documentId: string; code: string; name: string } | null;
  assignee: { id: number; name: string } | null;
  dueAt: string | null;
  submittedAt: string;
}

export type QueueExportRow = Record<(typeof QUEUE_EXPORT_COLUMNS)[number]['key'], string | number>;

export interface QueuePage {
  data: QueueRow[];
  meta: { next: string | null; count: number; countIsEstimate: boolean; pageSize: number };
}

/** `code or documentId` of a related record. */
const reference = (values: string[]) => ({ $or: [{ code: { $in: values } }, { documentId: { $in: values } }] });

const dayStart = (value: string) => new Date(value.length === 10 ? `${value}T00:00:00Z` : value).toISOString();
/** A bare day in `to` includes that whole day (UTC). */
const dayEnd = (value: string) => (value.length === 10 ? new Date(Date.parse(`${value}T00:00:00Z`) + 86_400_000).toISOString() : new Date(value).toISOString());

export default ({ strapi }: { strapi: Core.Strapi }) => {
  let indexKey: Buffer | null = null;
  const phoneIndexKey = () => (indexKey ??= loadKeys().indexKey);

  /** The view's and filters' conditions, before scope. `null` when the view can hold nothing for this person. */
  async function conditionsFor(user: { id: number }, ability: any, request: QueueRequest): Promise<Record<string, unknown>[] | null> {
    const and: Record<string, unknown>[] = [];
    const open = { caseStatus: { $in: [...OPEN_STATUSES] } };
    switch (request.view) {
      case 'mine':
        and.push(open, { assignee: { id: user.id } });
        break;
      case 'department': {
        const { departmentDocumentIds } = await loadStaffScope(user.id);
        if (departmentDocumentIds.length === 0) return null;
        and.push(open, { department: { documentId: { $in: departmentDocumentIds } } });
        break;
      }
      case 'overdue':
        and.push(open, { slaState: 'breached' });
        break;
      case 'unassigned':
        and.push(open, { assignee: { id: { $null: true } } });
        break;
      default:
        break;
    }
    const f = request.filters;
    if (f.status) and.push({ caseStatus: { $in: f.status } });
    if (f.slaState) and.push({ slaState: { $in: f.slaState } });
    if (f.priority) and.push({ priority: { $in: f.priority } });
    if (f.channel) and.push({ channel: { $in: f.channel } });
    if (f.level) and.push({ escalationLevel: { $in: f.level } });
    if (f.department) and.push({ department: reference(f.department) });
    if (f.region) and.push({ region: reference(f.region) });
    if (f.category) and.push({ category: reference(f.category) });
    if (f.from) and.push({ submittedAt: { $gte: dayStart(f.from) } });
    if (f.to) and.push({ submittedAt: { $lt: dayEnd(f.to) } });

    const search = request.search;
    if (search?.kind === 'code') and.push({ trackingCode: search.exact ? search.code : { $startsWith: search.code } });
    if (search?.kind === 'phone') {
      // A role that may not read phone numbers may not find cases by one either.
      if (!ability.can(READ, UID.grievance, 'citizenPhone')) return null;
      and.push({ citizenPhone: { $eq: search.phone } });
    }
    // Nor search the words of a field it may not read.
    if (search?.kind === 'words' && !ability.can(READ, UID.grievance, 'description')) return null;
    if (search?.kind === 'words') for (const word of search.words) and.push({ description: { $containsi: word } });
    return and;
  }

  /**
   * Cases matching `where` (query-engine form), as an EXISTS on the outer case row: the database
   * walks the outer case table newest first and probes each row, stopping after one page,
   * instead of collecting every match first (docs/performance.md).
   */
  const matching = (where: Record<string, unknown>, outer: string) => {
    const qb = (strapi.db as any).entityManager.createQueryBuilder(UID.grievance).where(where).select('id');
    return qb.getKnexQuery().andWhereRaw('??.?? = ??.??', [qb.alias, 'id', outer, 'id']);
  };

  /** Scope, view, filters and search as one query-engine `where`; null when nothing can match. */
  async function whereFor(user: { id: number }, ability: any, request: QueueRequest): Promise<Record<string, unknown> | null> {
    const scope = await caseReadScope(ability);
    if (!scope) throw new WorkflowRefusal('NOT_ALLOWED', 'You may not read cases.');
    const and = await conditionsFor(user, ability, request);
    if (!and) return null;
    // The query builder runs no lifecycles, so the phone's blind index is applied here.
    return rewritePhoneFilters(phoneIndexKey(), { $and: [scope, ...and] }) as Record<string, unknown>;
  }

  /** The newest-first keyset condition: rows strictly after (submittedAt, id). */
  const afterKey = (query: any, at: string, key: { submittedAt: string; id: number }) => {
    const since = new Date(key.submittedAt);
    return query.andWhere((q: any) => q.where(at, '<', since).orWhere((q2: any) => q2.where(at, '=', since).andWhere('c.id', '<', key.id)));
  };

  return {
    /**
     * Every case of a view (scope, filters and search as for a page), newest first, as export
     * rows: plain SQL over the link tables, a batch per statement, the next batch after the last
     * row's (submittedAt, id). Nothing is held but one batch, so a million rows stream in bounded
     * memory. Throws NOT_ALLOWED before the first row for a role that may not read cases.
     */
    async exportRows(user: { id: number }, ability: any, request: QueueRequest): Promise<AsyncGenerator<QueueExportRow>> {
      const where = await whereFor(user, ability, request);
      const knex = strapi.db.connection;
      const c = (field: string) => `c.${columnOf(UID.grievance, field)}`;
      const at = c('submittedAt');
      const joined = (query: any, relation: string, uid: string, alias: string) => {
        const link = linkOf(UID.grievance, relation);
        return query.leftJoin({ [`l_${alias}`]: link.table }, `l_${alias}.${link.owner}`, 'c.id').leftJoin({ [alias]: tableOf(uid) }, `${alias}.id`, `l_${alias}.${link.target}`);
      };
      async function* rows(): AsyncGenerator<QueueExportRow> {
        if (!where) return;
        let after: { submittedAt: string; id: number } | null = null;
        for (;;) {
          let query = knex({ c: tableOf(UID.grievance) }).select({
            id: 'c.id', trackingCode: c('trackingCode'), caseStatus: c('caseStatus'), priority: c('priority'), slaState: c('slaState'),
            escalationLevel: c('escalationLevel'), channel: c('channel'), submittedAt: at, acknowledgeDueAt: c('acknowledgeDueAt'),
            resolveDueAt: c('resolveDueAt'), resolvedAt: c('resolvedAt'),
            project: `p.${columnOf(UID.project, 'code')}`, category: `k.${columnOf('api::category.category', 'name')}`, department: `d.${columnOf(UID.department, 'name')}`,
          });
          query = joined(joined(joined(query, 'project', UID.project, 'p'), 'category', 'api::category.category', 'k'), 'department', UID.department, 'd');
          query = query.whereExists(matching(where, 'c'));
          if (after) query = afterKey(query, at, after);
          const batch: any[] = await query.orderBy([{ column: at, order: 'desc' }, { column: 'c.id', order: 'desc' }]).limit(QUEUE_EXPORT_BATCH);
          for (const r of batch) {
            const submittedAt = isoOf(r.submittedAt) ?? '';
            yield {
              trackingCode: r.trackingCode,
              project: r.project ?? '',
              category: r.category ?? '',
              department: r.department ?? '',
              status: r.caseStatus,
              priority: r.priority ?? '',
              slaState: r.slaState ?? '',
              level: Number(r.escalationLevel ?? 1),
              channel: r.channel ?? '',
              submittedAt,
              dueAt: dueAt({ caseStatus: r.caseStatus, acknowledgeDueAt: isoOf(r.acknowledgeDueAt), resolveDueAt: isoOf(r.resolveDueAt) }) ?? '',
              resolvedAt: isoOf(r.resolvedAt) ?? '',
            };
          }
          if (batch.length < QUEUE_EXPORT_BATCH) return;
          const last = batch[batch.length - 1];
          after = { submittedAt: isoOf(last.submittedAt)!, id: Number(last.id) };
        }
      }
      return rows();
    },

    async list(user: { id: number }, ability: any, request: QueueRequest): Promise<QueuePage> {
      const empty: QueuePage = { data: [], meta: { next: null, count: 0, countIsEstimate: false, pageSize: request.pageSize } };
      const where = await whereFor(user, ability, request);
      if (!where) return empty;

      // Plain SQL on the case table, newest first, with the scope and filters as one EXISTS.
      const knex = strapi.db.connection;
      const table = tableOf(UID.grievance);
      const at = `c.${columnOf(UID.grievance, 'submittedAt')}`;
      let page = knex({ c: table }).select('c.id', `${at} as submittedAt`).whereExists(matching(where, 'c'));
      if (request.after) page = afterKey(page, at, request.after);
      const [keys, counts] = await Promise.all([
        page.orderBy([{ column: at, order: 'desc' }, { column: 'c.id', order: 'desc' }]).limit(request.pageSize + 1),
        // Never more than the limit: the count costs the same on a thousand rows as on a million.
        knex.count({ n: '*' }).from(knex({ c: table }).select('c.id').whereExists(matching(where, 'c')).limit(QUEUE_COUNT_LIMIT + 1).as('bounded')),
      ]);
      const pageKeys = keys.slice(0, request.pageSize);
      const rows = pageKeys.length
        ? await strapi.db.query(UID.grievance as any).findMany({
            where: { id: { $in: pageKeys.map((k: any) => k.id) } },
            select: ['id', ...LIST_FIELDS],
            populate: {
              project: { select: ['code'] },
              category: { select: ['documentId', 'code', 'name'] },
              department: { select: ['documentId', 'code', 'name'] },
              assignee: { select: ['id', 'firstname', 'lastname', 'email'] },
            },
          })
        : [];
      const byId = new Map(rows.map((row: any) => [row.id, row]));
      const last = pageKeys[pageKeys.length - 1];
      const counted = Number((counts[0] as { n?: string | number } | undefined)?.n ?? 0);
      return {
        data: pageKeys.map((key: any) => byId.get(key.id)).filter(Boolean).map((row: any) => ({
          documentId: row.documentId,
          trackingCode: row.trackingCode,
          status: row.caseStatus,
          priority: row.priority,
          slaState: row.slaState ?? null,
          level: row.escalationLevel ?? 0,
          channel: row.channel,
          sensitive: Boolean(row.sensitive),
          project: row.project ? { code: row.project.code } : null,
          category: row.category ? { documentId: row.category.documentId, code: row.category.code, name: row.category.name } : null,
          department: row.department ? { documentId: row.department.documentId, code: row.department.code, name: row.department.name } : null,
          assignee: row.assignee ? { id: row.assignee.id, name: [row.assignee.firstname, row.assignee.lastname].filter(Boolean).join(' ') || row.assignee.email } : null,
          dueAt: dueAt(row),
          submittedAt: new Date(row.submittedAt).toISOString(),
        })),
        meta: {
          next: keys.length > request.pageSize && last ? encodeCursor({ submittedAt: new Date(last.submittedAt).toISOString(), id: last.id }) : null,
          count: Math.min(counted, QUEUE_COUNT_LIMIT),
          countIsEstimate: counted > QUEUE_COUNT_LIMIT,
          pageSize: request.pageSize,
        },
      };
    },
  };
};
