/**
 * Appends to, seals, verifies and queries the audit chain (docs/audit.md, "Sealing").
 *
 * `append` writes the event inside the transaction of the change it records (it opens one when
 * called alone), without a place in the chain: no lock, no read of the chain's head, so
 * concurrent requests never queue behind each other. After COMMIT the sealer gives committed
 * events their sequence number and hash, oldest first, one sealer at a time across instances
 * (a PostgreSQL advisory lock; SQLite has a single writer). Every reader of the chain seals what
 * has committed first, so it never sees a gap. A unique index on `seq` is the last line of defence.
 */
import type { Core } from '@strapi/strapi';
import { AuditFields, checkAnchor, GENESIS_HASH, sealPage, START, StoredEvent, verifyPage, Break } from '../domain/chain';
import { AUDIT_UID, PAGE_SIZE, SEAL_BATCH, SEAL_LOCK_KEY, SEAL_MARK, SEAL_WAIT_MS, UID } from '../constants';
import { createSealer } from './sealer';
import { columnOf, jsonOf, tableOf } from '../../../../../src/platform/tables';

const EMAIL = /^[^\s@<>]+@[^\s@<>]+$/;

/** An event as `append` writes it: everything but its place in the chain, which sealing adds. */
export type UnsealedEvent = Omit<AuditFields, 'seq' | 'prevHash'>;

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

  /**
   * Seals one batch of committed, unsealed events in one transaction: reads the head, hashes
   * each event after it in insertion order, and writes the three chain fields back in one
   * UPDATE (the table's trigger allows exactly that change, once). Every statement carries
   * SEAL_MARK so statement counts can tell sealing from the request that caused it. Answers how
   * many it sealed, or null when another sealer holds the lock and `wait` is false.
   */
  const sealBatch = async (wait: boolean): Promise<number | null> => {
    const table = tableOf(AUDIT_UID);
    const col = (field: string) => columnOf(AUDIT_UID, field);
    // Always a transaction of its own on the pool, never the caller's: a seal inside a caller's
    // transaction would hold the lock until that COMMIT and could seal events it then rolls back.
    return strapi.db.connection.transaction(async (trx: any) => {
      if (isPostgres()) {
        if (wait) {
          // A reader waits for a sealer at work, not for a lock someone forgot: then it reads the sealed chain.
          await trx.raw(`${SEAL_MARK} SET LOCAL lock_timeout = '${SEAL_WAIT_MS}ms'`);
          await trx.raw(`${SEAL_MARK} SELECT pg_advisory_xact_lock(?)`, [SEAL_LOCK_KEY]);
        }
        else if (!(await trx.raw(`${SEAL_MARK} SELECT pg_try_advisory_xact_lock(?) AS locked`, [SEAL_LOCK_KEY])).rows[0].locked) return null;
      }
      const select = ['id', ...FIELDS.filter((f) => f !== 'seq' && f !== 'prevHash' && f !== 'hash')].map((f) => `${col(f)} AS "${f}"`).join(', ');
      const pending = rowsOf(await trx.raw(`${SEAL_MARK} SELECT ${select} FROM ${table} WHERE ${col('hash')} IS NULL ORDER BY id LIMIT ?`, [SEAL_BATCH]));
      if (pending.length === 0) return 0;
      const [last] = rowsOf(await trx.raw(`${SEAL_MARK} SELECT ${col('seq')} AS seq, ${col('hash')} AS hash FROM ${table} WHERE ${col('seq')} IS NOT NULL ORDER BY ${col('seq')} DESC LIMIT 1`));
      const sealed = sealPage(last ? { seq: Number(last.seq), hash: last.hash } : { seq: 0, hash: GENESIS_HASH }, pending.map(unsealedOf));
      const values = sealed.map(() => '(CAST(? AS integer), CAST(? AS integer), CAST(? AS varchar(64)), CAST(? AS varchar(64)))').join(', ');
      await trx.raw(
        `${SEAL_MARK} WITH v(id, seq, prev, hash) AS (VALUES ${values}) ` +
          `UPDATE ${table} SET ${col('seq')} = v.seq, ${col('prevHash')} = v.prev, ${col('hash')} = v.hash FROM v WHERE ${table}.id = v.id`,
        sealed.flatMap((event, i) => [pending[i].id, event.seq, event.prevHash, event.hash])
      );
      return sealed.length;
    });
  };

  /**
   * Readers seal what has committed, then read sealed events only (an event committed a moment
   * later waits for the next read). A seal that cannot run now (the lock held too long) is logged,
   * and the reader goes on with the chain as sealed so far.
   */
  const sealForReading = async () => {
    try {
      await service.seal();
    } catch (error) {
      strapi.log.warn(`audit: reading the chain as sealed so far, sealing failed: ${(error as Error).message}`);
    }
  };

  const service = {
    /**
     * Records one event. Call inside the transaction of the change it describes: the event
     * commits or rolls back with it, and is sealed into the chain after COMMIT.
     */
    async append(entry: AuditEntry): Promise<UnsealedEvent> {
      return (await service.appendMany([entry]))[0];
    },

    /** Several events in one INSERT (a sweep's batch), in the caller's transaction. */
    async appendMany(entries: AuditEntry[]): Promise<UnsealedEvent[]> {
      if (entries.length === 0) return [];
      const context = requestContext();
      const occurredAt = new Date().toISOString();
      const events: UnsealedEvent[] = entries.map((entry) => ({
        occurredAt,
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
      }));
      await strapi.db.transaction(async ({ onCommit }) => {
        // createMany: one INSERT; `create` would read the row back, and the caller has it already.
        await q().createMany({ data: events });
        onCommit(() => sealer.kick());
      });
      return events;
    },

    /**
     * Seals every event committed before the call. With `wait: false` it gives up at once when
     * another sealer is at work (answering null); readers wait, so they see the whole chain. On
     * SQLite inside an open transaction it seals nothing (null): the background sealer will.
     */
    async seal(options: { wait?: boolean } = {}): Promise<number | null> {
      const wait = options.wait ?? true;
      // SQLite has one connection, held by the open transaction: the background sealer seals after its COMMIT.
      if (!isPostgres() && strapi.db.inTransaction()) return null;
      let total = 0;
      for (;;) {
        const sealed = await sealBatch(wait);
        if (sealed === null) return total > 0 ? total : null;
        total += sealed;
        if (sealed < SEAL_BATCH) return total;
      }
    },

    /** Whether anything committed waits to be sealed: one index probe, outside any transaction. */
    async hasUnsealed(): Promise<boolean> {
      return rowsOf(await strapi.db.connection.raw(`${SEAL_MARK} SELECT id FROM ${tableOf(AUDIT_UID)} WHERE ${columnOf(AUDIT_UID, 'hash')} IS NULL LIMIT 1`)).length > 0;
    },

    /** The latest event: print it on reports, or store it outside the database as an anchor. */
    async head(): Promise<{ seq: number; hash: string; occurredAt: string } | null> {
      await sealForReading();
      const last = await q().findOne({ select: ['seq', 'hash', 'occurredAt'], where: SEALED, orderBy: { seq: 'desc' } });
      return last ? { seq: Number(last.seq), hash: last.hash, occurredAt: last.occurredAt } : null;
    },

    /**
     * Walks the whole chain a page at a time (bounded memory on any length). With an anchor
     * (a head stored elsewhere), also proves nothing at or before it was removed or altered.
     */
    async verify(anchor?: { seq: number; hash: string }): Promise<{ ok: boolean; checked: number; head: { seq: number; hash: string } | null; brokenAt?: Break }> {
      await sealForReading();
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
      await sealForReading();
      const where = { $and: [await whereOf(filters), SEALED] };
      const [results, total] = await Promise.all([
        q().findMany({ select: FIELDS, where, orderBy: { seq: 'desc' }, offset: (page - 1) * pageSize, limit: pageSize }),
        q().count({ where }),
      ]);
      return { results: results.map(toStored), pagination: { page, pageSize, total, pageCount: Math.ceil(total / pageSize) } };
    },

    /** Yields matching events oldest first, a page at a time, for CSV / JSON Lines export. */
    async *stream(filters: AuditFilters): AsyncGenerator<StoredEvent> {
      await sealForReading();
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
  const sealer = createSealer(() => service.seal({ wait: false }), () => service.hasUnsealed());
  return Object.assign(service, { sealer });
};

/** A row of the events table (raw or from the query engine) as the chain's fields; raw JSON is text on SQLite. */
const unsealedOf = (row: any): UnsealedEvent => ({
  occurredAt: row.occurredAt,
  actorType: row.actorType,
  actorId: row.actorId ?? null,
  actorLabel: row.actorLabel ?? '',
  action: row.action,
  entityType: row.entityType ?? null,
  entityId: row.entityId ?? null,
  projectId: row.projectId ?? null,
  diff: jsonOf(row.diff),
  ip: row.ip ?? null,
  userAgent: row.userAgent ?? null,
});

/** A stored, sealed event: the chain's fields and its place. */
const toStored = (row: any): StoredEvent => ({ ...unsealedOf(row), seq: Number(row.seq), prevHash: row.prevHash, hash: row.hash });

/** Rows of a raw query on either database (PostgreSQL answers `{ rows }`, SQLite an array). */
const rowsOf = (result: any): any[] => (Array.isArray(result) ? result : (result?.rows ?? []));

/** Sealed events only: an unsealed one has no place in the chain yet. */
const SEALED = { seq: { $notNull: true } };

const headOf = (cursor: { seq: number; hash: string }) => (cursor.seq > 0 ? { seq: cursor.seq, hash: cursor.hash } : null);
