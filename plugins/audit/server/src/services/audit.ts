/**
 * Appends to, verifies and queries the audit chain.
 *
 * `append` must run inside the transaction of the change it records (it opens one when called
 * alone). On PostgreSQL it first takes a transaction-scoped advisory lock, so concurrent
 * appends queue up and the chain never forks; SQLite has a single writer. A unique index on
 * `seq` is the last line of defence.
 */
import type { Core } from '@strapi/strapi';
import { AuditFields, checkAnchor, GENESIS_HASH, hashOf, START, StoredEvent, verifyPage, Break } from '../domain/chain';
import { APPEND_LOCK_KEY, AUDIT_UID, PAGE_SIZE, UID } from '../constants';

const EMAIL = /^[^\s@<>]+@[^\s@<>]+$/;

export type AuditEntry = Omit<AuditFields, 'seq' | 'occurredAt' | 'prevHash' | 'ip' | 'userAgent' | 'actorType' | 'actorId' | 'actorLabel' | 'projectId'> & {
  /** The project the change belongs to; none for sign-ins and other events outside a project. */
  projectId?: string | null;
  actor?: Pick<AuditFields, 'actorType' | 'actorId' | 'actorLabel'>;
  ip?: string | null;
  userAgent?: string | null;
};

export interface AuditFilters {
  entity?: string;
  actor?: string;
  action?: string;
  from?: string;
  to?: string;
  projectIds?: string[] | null;
}

const FIELDS = ['seq', 'occurredAt', 'actorType', 'actorId', 'actorLabel', 'action', 'entityType', 'entityId', 'projectId', 'diff', 'ip', 'userAgent', 'prevHash', 'hash'];

/**
 * Who, and for staff where from, of the request being served (none for jobs and scripts). The
 * client address and user agent are kept only for signed-in staff, as accountability for their
 * account; public requests (citizens, anonymous callers, integrations' API tokens) keep neither,
 * so the audit trail cannot tell who filed an anonymous complaint (docs/security.md).
 */
export function requestContext(): Pick<AuditFields, 'actorType' | 'actorId' | 'actorLabel' | 'ip' | 'userAgent'> {
  const ctx = strapi.requestContext.get() as any;
  if (!ctx) return { actorType: 'system', actorId: null, actorLabel: 'system', ip: null, userAgent: null };
  const auth = ctx.state?.auth;
  const user = ctx.state?.user;
  if (auth?.strategy?.name === 'admin' && user?.id) {
    const label = [user.firstname, user.lastname].filter(Boolean).join(' ') || user.email;
    return { actorType: 'staff', actorId: String(user.id), actorLabel: `${label} <${user.email}>`, ...staffOrigin(ctx) };
  }
  if (auth?.strategy?.name === 'api-token') {
    return { actorType: 'api_token', actorId: String(auth.credentials?.id ?? ''), actorLabel: `API token ${auth.credentials?.name ?? ''}`.trim(), ip: null, userAgent: null };
  }
  return { actorType: 'anonymous', actorId: null, actorLabel: 'public request', ip: null, userAgent: null };
}

/** Where a staff request came from: recorded for staff accounts only (see requestContext). */
export function staffOrigin(ctx: any): Pick<AuditFields, 'ip' | 'userAgent'> {
  return { ip: ctx?.request?.ip ?? null, userAgent: (ctx?.get?.('user-agent') || null)?.slice(0, 500) ?? null };
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const q = () => strapi.db.query(AUDIT_UID as any);
  const isPostgres = () => strapi.db.dialect.client === 'postgres';

  const toStored = (row: any): StoredEvent => ({
    seq: Number(row.seq),
    occurredAt: row.occurredAt,
    actorType: row.actorType,
    actorId: row.actorId ?? null,
    actorLabel: row.actorLabel ?? '',
    action: row.action,
    entityType: row.entityType ?? null,
    entityId: row.entityId ?? null,
    projectId: row.projectId ?? null,
    diff: row.diff ?? null,
    ip: row.ip ?? null,
    userAgent: row.userAgent ?? null,
    prevHash: row.prevHash,
    hash: row.hash,
  });

  /**
   * Filters as people know them: a case by its tracking code (its events are stored under the
   * case's documentId) and a staff member by their e-mail address (their events are stored under
   * their user id; a failed sign-in under the e-mail typed).
   */
  const whereOf = async (filters: AuditFilters) => {
    const where: Record<string, unknown>[] = [];
    if (filters.entity) {
      const byCode = await strapi.db.query(UID.grievance as any).findOne({ where: { trackingCode: filters.entity.toUpperCase() }, select: ['documentId'] });
      where.push({ entityId: { $in: byCode ? [filters.entity, byCode.documentId] : [filters.entity] } });
    }
    if (filters.actor) where.push(await actorWhere(filters.actor));
    if (filters.action) where.push({ action: { $startsWith: filters.action } });
    if (filters.from) where.push({ occurredAt: { $gte: new Date(filters.from).toISOString() } });
    if (filters.to) where.push({ occurredAt: { $lte: new Date(filters.to).toISOString() } });
    if (filters.projectIds) where.push({ projectId: { $in: filters.projectIds.length > 0 ? filters.projectIds : ['-'] } });
    return where.length > 0 ? { $and: where } : {};
  };

  /** An e-mail address names one person exactly (not every address it is part of); other text matches ids and names. */
  const actorWhere = async (actor: string) => {
    if (!EMAIL.test(actor)) return { $or: [{ actorId: actor }, { actorLabel: { $containsi: actor } }] };
    const email = actor.toLowerCase();
    const user = await strapi.db.query('admin::user' as any).findOne({ where: { email }, select: ['id'] });
    return {
      $or: [
        ...(user ? [{ actorType: 'staff', actorId: String(user.id) }] : []),
        { actorLabel: { $endsWith: `<${email}>` } },
        { actorLabel: { $eqi: email } },
      ],
    };
  };

  const service = {
    /** Records one event. Call inside the transaction of the change it describes. */
    async append(entry: AuditEntry): Promise<StoredEvent> {
      return strapi.db.transaction(async ({ trx }) => {
        if (isPostgres()) await trx.raw('SELECT pg_advisory_xact_lock(?)', [APPEND_LOCK_KEY]);
        const last = await q().findOne({ select: ['seq', 'hash'], orderBy: { seq: 'desc' } });
        const context = requestContext();
        const fields: AuditFields = {
          seq: last ? Number(last.seq) + 1 : 1,
          occurredAt: new Date().toISOString(),
          actorType: entry.actor?.actorType ?? context.actorType,
          actorId: entry.actor?.actorId ?? context.actorId,
          actorLabel: entry.actor?.actorLabel ?? context.actorLabel,
          action: entry.action,
          entityType: entry.entityType ?? null,
          entityId: entry.entityId ?? null,
          projectId: entry.projectId ?? null,
          diff: entry.diff ?? null,
          ip: entry.ip !== undefined ? entry.ip : context.ip,
          userAgent: entry.userAgent !== undefined ? entry.userAgent : context.userAgent,
          prevHash: last?.hash ?? GENESIS_HASH,
        };
        const event = { ...fields, hash: hashOf(fields) };
        // createMany: one INSERT; `create` would read the row back, and the caller has it already.
        await q().createMany({ data: [event] });
        return event;
      });
    },

    /** The latest event: print it on reports, or store it outside the database as an anchor. */
    async head(): Promise<{ seq: number; hash: string; occurredAt: string } | null> {
      const last = await q().findOne({ select: ['seq', 'hash', 'occurredAt'], orderBy: { seq: 'desc' } });
      return last ? { seq: Number(last.seq), hash: last.hash, occurredAt: last.occurredAt } : null;
    },

    /**
     * Walks the whole chain a page at a time (bounded memory on any length). With an anchor
     * (a head stored elsewhere), also proves nothing at or before it was removed or altered.
     */
    async verify(anchor?: { seq: number; hash: string }): Promise<{ ok: boolean; checked: number; head: { seq: number; hash: string } | null; brokenAt?: Break }> {
      let cursor = START;
      let anchorHash: string | null = null;
      for (;;) {
        const rows = await q().findMany({ select: FIELDS, where: { seq: { $gt: cursor.seq } }, orderBy: { seq: 'asc' }, limit: PAGE_SIZE });
        if (rows.length === 0) break;
        const page = rows.map(toStored);
        if (anchor) anchorHash ??= page.find((e) => e.seq === anchor.seq)?.hash ?? null;
        const result = verifyPage(cursor, page);
        if (result.broken) return { ok: false, checked: result.cursor.checked, head: headOf(result.cursor), brokenAt: result.broken };
        cursor = result.cursor;
      }
      if (anchor) {
        const broken = checkAnchor(cursor, anchor, anchorHash);
        if (broken) return { ok: false, checked: cursor.checked, head: headOf(cursor), brokenAt: broken };
      }
      return { ok: true, checked: cursor.checked, head: headOf(cursor) };
    },

    async find(filters: AuditFilters, page = 1, pageSize = 50) {
      const where = await whereOf(filters);
      const [results, total] = await Promise.all([
        q().findMany({ select: FIELDS, where, orderBy: { seq: 'desc' }, offset: (page - 1) * pageSize, limit: pageSize }),
        q().count({ where }),
      ]);
      return { results: results.map(toStored), pagination: { page, pageSize, total, pageCount: Math.ceil(total / pageSize) } };
    },

    /** Yields matching events oldest first, a page at a time, for CSV / JSON Lines export. */
    async *stream(filters: AuditFilters): AsyncGenerator<StoredEvent> {
      let after = 0;
      const filtered = await whereOf(filters);
      for (;;) {
        const where = { $and: [filtered, { seq: { $gt: after } }] };
        const rows = await q().findMany({ select: FIELDS, where, orderBy: { seq: 'asc' }, limit: PAGE_SIZE });
        if (rows.length === 0) return;
        for (const row of rows) yield toStored(row);
        after = Number(rows[rows.length - 1].seq);
      }
    },
  };
  return service;
};

const headOf = (cursor: { seq: number; hash: string }) => (cursor.seq > 0 ? { seq: cursor.seq, hash: cursor.hash } : null);
