/**
 * The public side of a case (docs/public-api.md): submission by citizens and public clients through
 * the same intake as every other path, and tracking by code. The case secret a citizen gets at
 * submission is stored only as a hash.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { durably } from '../../../../../src/platform/transactions';
import { CitizenRefusal, DomainError, ERROR_CODES } from '../../../../../src/domain/errors';
import { Submission } from '../../../../../src/domain/public-submission';
import { CitizenAction, CitizenActionName } from '../../../../../src/domain/citizen-action';
import { CASE_SECRET_BYTES } from '../../../../../src/domain/attempt-limits';
import { UID } from '../../../../../src/platform/uids';
import { columnOf, fieldsOf, jsonOf, linkOf, tableOf } from '../../../../../src/platform/tables';
import * as idempotency from '../../../../../src/platform/idempotency';
import { statusLabels } from '../../../../../src/domain/status-labels';
import { receiptDefinition } from '../domain/receipt';
import { renderPdf } from '../../../../../src/platform/pdf';
import { FileLink, linkTo } from '../../../../../src/platform/stored-files';
import { trackingUrl } from '../../../../../src/domain/links';
import { SUPPORTED_LOCALES } from '../../../../../src/domain/vocabulary';
import { isPublicNote } from '../../../../../src/domain/public-note';
import { getService } from '../../../../../src/platform/services';
import { cached } from '../../../../../src/platform/reference-cache';

export const hashSecret = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');

/** Compares a presented secret with the stored hash in constant time. */
const secretMatches = (presented: string, storedHash: string | null) => {
  if (!storedHash) return false;
  const a = Buffer.from(hashSecret(presented), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
};

const wrongSecret = () => new CitizenRefusal(403, ERROR_CODES.NOT_ALLOWED, 'The case secret does not match.', { wrongSecret: true });

const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const q = (uid: string) => strapi.db.query(uid as any);

  /** Codes to records: the project, its category and (optionally) its region. */
  /** The case-history fields a tracking page shows (status changes and their public notes). */
  const TRACKED_EVENT_FIELDS = ['type', 'toStatus', 'fromStatus', 'occurredAt', 'note', 'visibility', 'actorType'];
  const TRACKED_EVENT_TYPES = ['received', 'transition', 'escalation', 'transfer', 'assignment'];

  /**
   * The case's history as a JSON array, a column of the case's own SELECT (`g`): tracking, the
   * most frequent public request, is one statement for the case instead of two.
   */
  function historyOf(knex: any) {
    const e = tableOf(UID.grievanceEvent);
    const link = linkOf(UID.grievanceEvent, 'grievance');
    const pairs = ['id', ...TRACKED_EVENT_FIELDS].flatMap((field) => [`'${field}'`, `e.${columnOf(UID.grievanceEvent, field)}`]);
    const types = TRACKED_EVENT_TYPES.map(() => '?').join(', ');
    const typeColumn = `e.${columnOf(UID.grievanceEvent, 'type')}`;
    const from = `FROM ?? e JOIN ?? l ON l.?? = e.id WHERE l.?? = g.id AND ${typeColumn} IN (${types})`;
    const bindings = [e, link.table, link.owner, link.target, ...TRACKED_EVENT_TYPES];
    return strapi.db.dialect.client === 'postgres'
      ? knex.raw(`(SELECT COALESCE(json_agg(json_build_object(${pairs.join(', ')})), '[]'::json) ${from})`, bindings)
      : knex.raw(`(SELECT json_group_array(json_object(${pairs.join(', ')})) ${from})`, bindings);
  }

  async function resolveCodes(s: Submission) {
    // Reference data, from the cache (src/platform/reference-cache.ts).
    const byCode = (uid: string, code: string, projectDocumentId?: string): Promise<any> =>
      cached(`code:${uid}:${projectDocumentId ?? ''}:${code}`, () =>
        q(uid).findOne({ where: { code, locale: 'en', ...(projectDocumentId ? { project: { documentId: projectDocumentId } } : {}) } })
      );
    const project = await byCode(UID.project, s.project);
    const category = project ? await byCode(UID.category, s.category, project.documentId) : null;
    const region = project && s.region ? await byCode(UID.region, s.region, project.documentId) : null;
    const errors = [
      ...(!project ? [{ path: ['project'], message: 'No such project.' }] : []),
      ...(project && !category ? [{ path: ['category'], message: 'No such category in this project.' }] : []),
      ...(project && s.region && !region ? [{ path: ['region'], message: 'No such region in this project.' }] : []),
    ];
    if (errors.length) throw new DomainError(ERROR_CODES.VALIDATION, errors.map((e) => `${e.path[0]}: ${e.message}`).join(' '), errors);
    return { project, category, region };
  }

  return {
    /**
     * Files a grievance and answers with its tracking code, its secret (shown once) and the
     * roadmap; with an idempotency key, the response is stored in the same transaction.
     */
    async submit(s: Submission, idempotencyKey: string | null, idempotencyScope = 'submit') {
      const { project, category, region } = await resolveCodes(s);
      const attachments = await getService('cases', 'attachments').resolve(s.attachments);
      const caseSecret = randomBytes(CASE_SECRET_BYTES).toString('base64url');
      return durably(async ({ trx }) => {
        // The case as filed, with the deadlines intake computed: the citizen's roadmap without a read back.
        const row = await getService('cases', 'intake').file(
          {
            project: project.documentId,
            category: category.documentId,
            region: region?.documentId ?? null,
            description: s.description,
            channel: s.channel,
            language: s.language,
            anonymous: s.anonymous,
            latitude: s.location?.lat ?? null,
            longitude: s.location?.lng ?? null,
            address: s.location?.address ?? null,
            citizenName: s.citizen?.name ?? null,
            citizenPhone: s.citizen?.phone ?? null,
            citizenEmail: s.citizen?.email ?? null,
          },
          { secretHash: hashSecret(caseSecret), attachments }
        );
        const body = {
          data: {
            trackingCode: row.trackingCode,
            caseSecret,
            status: row.caseStatus,
            submittedAt: iso(row.submittedAt),
            acknowledgeBy: iso(row.acknowledgeDueAt),
            resolveBy: iso(row.resolveDueAt),
            roadmap: [
              { step: 'received', expectedBy: iso(row.submittedAt) },
              { step: 'acknowledged', expectedBy: iso(row.acknowledgeDueAt) },
              { step: 'resolved', expectedBy: iso(row.resolveDueAt) },
            ],
            // POST here with { data: { caseSecret } }: the secret never goes into a URL.
            receiptUrl: `/api/grievances/track/${row.trackingCode}/receipt`,
          },
        };
        if (idempotencyKey) await idempotency.complete(idempotencyScope, idempotencyKey, 201, body, trx);
        return body;
      });
    },

    /**
     * A citizen's action on their case with its secret: feedback, accept (resolved → closed) or
     * appeal (→ escalated, within the appeal window), through the workflow's rules.
     */
    async act(trackingCode: string, action: CitizenActionName, input: CitizenAction) {
      const row = await q(UID.grievance).findOne({ where: { trackingCode }, select: ['id', 'documentId', 'secretHash', 'version'] });
      if (!row) throw new CitizenRefusal(404, ERROR_CODES.NOT_FOUND, 'No case has this tracking code.');
      if (!secretMatches(input.caseSecret, row.secretHash)) throw wrongSecret();
      const workflow = getService('cases', 'workflow');
      try {
        if (action === 'feedback') return await workflow.recordFeedback(row.documentId, { rating: input.rating!, comment: input.comment });
        const result = await workflow.transitionAsCitizen(row.documentId, { action, version: row.version, ...(action === 'appeal' ? { reason: input.reason } : {}) });
        return { status: result.status, escalationLevel: result.escalationLevel };
      } catch (error: any) {
        const status = { ILLEGAL_TRANSITION: 422, STALE_VERSION: 409, ALREADY_RATED: 409, VALIDATION: 400, NOT_ALLOWED: 403 }[error?.code as string];
        if (status) throw new CitizenRefusal(status, error.code, error.message);
        throw error;
      }
    },

    /** Signed download links to the case's attachments, for the holder of the case secret. */
    async attachmentLinks(trackingCode: string, caseSecret: string): Promise<Array<Omit<FileLink, 'id'>>> {
      const row = await q(UID.grievance).findOne({
        where: { trackingCode },
        select: ['id', 'secretHash'],
        populate: { attachments: { select: ['id', 'name', 'mime', 'size'] } },
      });
      if (!row) throw new CitizenRefusal(404, ERROR_CODES.NOT_FOUND, 'No case has this tracking code.');
      if (!secretMatches(caseSecret, row.secretHash)) throw wrongSecret();
      const now = Date.now();
      return (row.attachments ?? []).map((file: any) => {
        const { id: _id, ...link } = linkTo(file, now);
        return link;
      });
    },

    /** The receipt PDF, for the holder of the case secret, in the case's language. */
    async receipt(trackingCode: string, caseSecret: string): Promise<Buffer> {
      const row = await q(UID.grievance).findOne({
        where: { trackingCode },
        populate: { project: { select: ['name', 'timezone', 'documentId'] }, category: { select: ['name', 'documentId'] } },
      });
      if (!row) throw new CitizenRefusal(404, ERROR_CODES.NOT_FOUND, 'No case has this tracking code.');
      if (!secretMatches(caseSecret, row.secretHash)) throw wrongSecret();
      const locale = (SUPPORTED_LOCALES as readonly string[]).includes(row.language) ? row.language : 'en';
      const name = async (uid: string, rec: { documentId: string; name: string } | null) =>
        rec ? ((await q(uid).findOne({ where: { documentId: rec.documentId, locale }, select: ['name'] }))?.name ?? rec.name) : '';
      const portal = String(strapi.config.get('plugin::notifications.portalUrl', '') || '');
      return renderPdf(
        receiptDefinition({
          locale,
          timeZone: row.project?.timezone || 'UTC',
          projectName: await name(UID.project, row.project),
          trackingCode: row.trackingCode,
          caseSecret,
          category: row.sensitive ? '—' : await name(UID.category, row.category),
          submittedAt: iso(row.submittedAt)!,
          acknowledgeBy: iso(row.acknowledgeDueAt),
          resolveBy: iso(row.resolveDueAt),
          trackingUrl: trackingUrl(portal, row.trackingCode),
        })
      );
    },

    /**
     * What the public sees of a case, or null. The busiest public read, so it is one plain SQL
     * query (the case, its names in the reader's language and its status history) rather than the
     * eight the query engine would make; an unknown code costs the same query as a known one, so
     * response times do not tell which codes exist.
     */
    async track(trackingCode: string, requestedLocale: string | null) {
      const knex = strapi.db.connection;
      const g = tableOf(UID.grievance);
      const wanted = (SUPPORTED_LOCALES as readonly string[]).includes(requestedLocale ?? '') ? requestedLocale : null;
      // A linked record's name in the reader's language, else the linked row's own name.
      const localName = (relation: string, uid: string) => {
        const link = linkOf(UID.grievance, relation);
        const t = tableOf(uid);
        return knex.raw(
          `(SELECT COALESCE((SELECT o.name FROM ?? o WHERE o.document_id = r.document_id AND o.locale = COALESCE(?, NULLIF(g.language, ''), 'en') LIMIT 1), r.name)
            FROM ?? l JOIN ?? r ON r.id = l.?? WHERE l.?? = g.id LIMIT 1)`,
          [t, wanted, link.table, t, link.target, link.owner]
        );
      };
      const row = await knex
        .select({
          id: 'g.id',
          ...fieldsOf(UID.grievance, 'g', ['trackingCode', 'caseStatus', 'language', 'sensitive', 'submittedAt', 'updatedAt', 'acknowledgeDueAt', 'resolveDueAt', 'slaState', 'escalationLevel']),
          project: localName('project', UID.project),
          category: localName('category', UID.category),
          department: localName('department', UID.department),
          events: historyOf(knex),
        })
        .from({ g })
        .where(`g.${columnOf(UID.grievance, 'trackingCode')}`, trackingCode)
        .first();
      if (!row) return null;
      // In the order they happened (JSON aggregation keeps no order the databases promise).
      const events = (jsonOf(row.events) ?? [])
        .map((ev: any) => ({ ...ev, at: new Date(ev.occurredAt).getTime() }))
        .sort((a: any, b: any) => a.at - b.at || a.id - b.id);
      const sensitive = Boolean(row.sensitive);
      const labels = statusLabels(wanted ?? (row.language || 'en'));
      const history = events
        // Status changes only: who was assigned, and internal routing, stay inside.
        .filter((ev: any) => ev.toStatus && (ev.type === 'received' || ev.toStatus !== ev.fromStatus))
        .map((ev: any) => ({
          status: ev.toStatus,
          statusLabel: labels[ev.toStatus] ?? ev.toStatus,
          at: iso(ev.occurredAt),
          ...(!sensitive && isPublicNote(ev) ? { publicNote: ev.note } : {}),
        }));
      const base = {
        trackingCode: row.trackingCode,
        status: row.caseStatus,
        statusLabel: labels[row.caseStatus] ?? row.caseStatus,
        submittedAt: iso(row.submittedAt),
        updatedAt: iso(row.updatedAt),
        acknowledgeBy: iso(row.acknowledgeDueAt),
        resolveBy: iso(row.resolveDueAt),
        history,
      };
      // A sensitive case (for example gender-based violence) shows its status and dates only.
      if (sensitive) return { ...base, sensitive: true };
      return {
        ...base,
        project: row.project ?? null,
        category: row.category ?? null,
        department: row.department ?? null,
        slaState: row.slaState,
        escalationLevel: row.escalationLevel,
      };
    },
  };
};
