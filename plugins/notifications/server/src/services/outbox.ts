/**
 * The outbox: turns domain events into messages, inside the transaction of the change that
 * caused them (DESIGN §3). For each planned event and audience it finds the recipients, their
 * language and the template for each channel, renders the message and writes one outbox row per
 * recipient and channel, keyed so that the same change can never queue the same message twice.
 * Nothing is sent here: the dispatcher sends after commit.
 */
import type { Core } from '@strapi/strapi';
import type { DomainEvent } from '../../../../../src/domain/events';
import { subscribe } from '../../../../../src/domain/events';
import type { NotificationAudience, NotificationChannel, NotificationEvent } from '../../../../../src/domain/vocabulary';
import { plan } from '../domain/plan';
import { render, RenderContext } from '../domain/templates';
import { UID } from '../constants';
import { statusLabels } from '../../../../../src/domain/status-labels';
import { feedbackUrl, trackingUrl } from '../../../../../src/domain/links';
import { cached } from '../../../../../src/platform/reference-cache';
import { boolOf as bool, readToOnesMany } from '../../../../../src/platform/tables';

/** Keys looked up per query when finding messages already queued. */
const DEDUPE_CHUNK = 1_000;

interface Recipient {
  key: string;
  userId: number | null;
  email: string | null;
  phone: string | null;
  locale: string | null;
  name: string | null;
}

const CITIZEN_CHANNELS: NotificationChannel[] = ['email', 'sms', 'whatsapp'];
const STAFF_CHANNELS: NotificationChannel[] = ['email', 'in_app'];

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const q = (uid: string) => strapi.db.query(uid as any);

  const userRecipient = (user: any): Recipient | null =>
    user && user.isActive !== false
      ? { key: `u${user.id}`, userId: user.id, email: user.email ?? null, phone: null, locale: user.preferedLanguage ?? null, name: [user.firstname, user.lastname].filter(Boolean).join(' ') || null }
      : null;
  const users = async (ids: number[]) =>
    ids.length ? q('admin::user').findMany({ where: { id: { $in: ids } }, select: ['id', 'email', 'firstname', 'lastname', 'preferedLanguage', 'isActive'] }) : [];

  const PERSON = ['id', 'email', 'firstname', 'lastname', 'preferedLanguage', 'isActive'];

  /**
   * The cases as their messages need them: their own fields through the query engine (which opens
   * the sealed contact details), their relations in one SELECT over the link tables; two
   * statements whatever their number.
   */
  async function loadCases(grievanceIds: number[]): Promise<Map<number, any>> {
    const cases = new Map<number, any>();
    if (grievanceIds.length === 0) return cases;
    const rows = await q(UID.grievance).findMany({
      where: grievanceIds.length === 1 ? { id: grievanceIds[0] } : { id: { $in: grievanceIds } },
      select: ['id', 'documentId', 'trackingCode', 'caseStatus', 'escalationLevel', 'language', 'anonymous', 'citizenName', 'citizenEmail', 'citizenPhone', 'submittedAt', 'acknowledgeDueAt', 'resolveDueAt', 'resolution', 'rating'],
    });
    if (rows.length === 0) return cases;
    const relatedOf = await readToOnesMany(UID.grievance, rows.map((row: any) => Number(row.id)), {
      project: { uid: UID.project, fields: ['documentId', 'name', 'timezone', 'defaultLocale', 'autoCloseDays', 'appealWindowDays'] },
      category: { uid: 'api::category.category', fields: ['documentId', 'name'] },
      department: { uid: UID.department, fields: ['documentId', 'name'] },
      'department.head': { uid: 'admin::user', fields: PERSON },
      assignee: { uid: 'admin::user', fields: PERSON },
    });
    const person = (user: Record<string, any> | null | undefined) => (user ? { ...user, isActive: bool(user.isActive) } : null);
    for (const row of rows) {
      const related = relatedOf.get(Number(row.id));
      const department = related?.department ? { ...related.department, head: person(related['department.head']) } : null;
      cases.set(Number(row.id), { ...row, project: related?.project ?? null, category: related?.category ?? null, department, assignee: person(related?.assignee) });
    }
    return cases;
  }

  const loadCase = async (grievanceId: number) => (await loadCases([grievanceId])).get(grievanceId) ?? null;

  /** Look-ups of one call, by key: the events of a batch ask for the same staff again and again. */
  type Memo = Map<string, Promise<any>>;
  const once = <T>(memo: Memo, key: string, load: () => Promise<T>): Promise<T> => {
    if (!memo.has(key)) memo.set(key, load());
    return memo.get(key) as Promise<T>;
  };

  /** A reference record's name in a language, or '' when it has none there (from the reference cache). */
  const nameIn = (uid: string, documentId: string, locale: string): Promise<string> =>
    cached(`name:${uid}:${documentId}:${locale}`, async () => (await q(uid).findOne({ where: { documentId, locale }, select: ['name'] }))?.name ?? '');

  /** Names of localised records (project, category ...) in a language, falling back to what the case links. */
  async function localisedName(uid: string, record: { documentId: string; name: string } | null, locale: string) {
    if (!record) return '';
    if (locale === 'en') return record.name;
    return (await nameIn(uid, record.documentId, locale)) || record.name;
  }

  async function recipientsFor(audience: NotificationAudience, event: DomainEvent, row: any, memo: Memo): Promise<Recipient[]> {
    switch (audience) {
      case 'citizen':
        // An anonymous case keeps no contact data, so there is nobody to write to.
        if (row.anonymous || (!row.citizenEmail && !row.citizenPhone)) return [];
        return [{ key: 'citizen', userId: null, email: row.citizenEmail ?? null, phone: row.citizenPhone ?? null, locale: row.language ?? null, name: row.citizenName ?? null }];
      case 'assignee': {
        const r = userRecipient(row.assignee);
        if (r) return [r];
        // Nobody holds the case: its department head hears instead.
        return event.type === 'grievance.sla' ? [userRecipient(row.department?.head)].filter(Boolean) as Recipient[] : [];
      }
      case 'department_head': {
        if (event.type === 'grievance.transitioned' && event.action === 'request_transfer') {
          const toDepartment = String(event.details.toDepartment ?? '');
          const target = await once(memo, `department:${toDepartment}`, () =>
            q(UID.department).findOne({
              where: { documentId: toDepartment },
              orderBy: { id: 'asc' },
              populate: { head: { select: ['id', 'email', 'firstname', 'lastname', 'preferedLanguage', 'isActive'] } },
            })
          );
          return [userRecipient(target?.head)].filter(Boolean) as Recipient[];
        }
        return [userRecipient(row.department?.head)].filter(Boolean) as Recipient[];
      }
      case 'level_for_action': {
        if (event.type !== 'grievance.routed') return [];
        const ids = event.assigneeId ? [event.assigneeId] : event.notifyUserIds;
        return (await once(memo, `users:${[...ids].sort((a, b) => a - b).join(',')}`, () => users(ids))).map(userRecipient).filter(Boolean) as Recipient[];
      }
      case 'levels_for_information': {
        if (event.type !== 'grievance.routed' || !row.project) return [];
        const profiles = await once(memo, `below:${row.project.documentId}:${event.level}`, () =>
          q(UID.staffProfile).findMany({
            where: { active: true, projects: { documentId: row.project.documentId }, slaLevels: { order: { $lt: event.level } } },
            populate: { user: { select: ['id', 'email', 'firstname', 'lastname', 'preferedLanguage', 'isActive'] }, departments: { select: ['documentId'] } },
          })
        );
        const forAction = new Set(event.assigneeId ? [event.assigneeId] : event.notifyUserIds);
        return profiles
          .filter((p: any) => p.user && !forAction.has(p.user.id))
          .filter((p: any) => !p.departments?.length || p.departments.some((d: any) => d.documentId === row.department?.documentId))
          .map((p: any) => userRecipient(p.user))
          .filter(Boolean) as Recipient[];
      }
      case 'project_admin': {
        if (!row.project) return [];
        const profiles = await once(memo, `admins:${row.project.documentId}`, () =>
          q(UID.staffProfile).findMany({
            where: { active: true, projects: { documentId: row.project.documentId }, user: { roles: { code: 'grm-project-admin' } } },
            populate: { user: { select: ['id', 'email', 'firstname', 'lastname', 'preferedLanguage', 'isActive'] } },
          })
        );
        return profiles.map((p: any) => userRecipient(p.user)).filter(Boolean) as Recipient[];
      }
      default:
        return [];
    }
  }

  /** The template for an event, channel and audience: the project's own, else the default. */
  async function templateFor(event: NotificationEvent, channel: NotificationChannel, audience: NotificationAudience, projectDocumentId: string | null) {
    const candidates: any[] = await cached(`templates:${event}:${channel}:${audience}`, () =>
      q(UID.template).findMany({
        where: { event, channel, audience, enabled: true, locale: 'en' },
        populate: { project: { select: ['documentId'] } },
        orderBy: { id: 'asc' },
      })
    );
    return candidates.find((t: any) => t.project?.documentId === projectDocumentId) ?? candidates.find((t: any) => !t.project) ?? null;
  }

  const localisedTemplate = (documentId: string, locale: string) =>
    cached(`template:${documentId}:${locale}`, async () =>
      (await q(UID.template).findOne({ where: { documentId, locale } })) ?? (await q(UID.template).findOne({ where: { documentId, locale: 'en' } }))
    );

  /** A stable key for the change an event describes, so a re-run never queues twice. */
  function changeKey(event: DomainEvent): string {
    switch (event.type) {
      case 'grievance.received':
      case 'grievance.transitioned':
      case 'grievance.sla_state':
        return `h${event.historyEventId}`;
      case 'grievance.routed':
        return `route:${event.grievance.id}:${event.level}:${event.at}`;
      case 'grievance.sla':
        return `sla:${event.grievance.id}:${event.level}:${event.clock}:${event.kind}`;
    }
  }

  async function contextFor(row: any, event: DomainEvent, locale: string, recipient: Recipient | null): Promise<RenderContext> {
    const portal = String(strapi.config.get('plugin::notifications.portalUrl', '') || '');
    const details = event.type === 'grievance.transitioned' ? event.details : {};
    const level = event.type === 'grievance.routed' || event.type === 'grievance.sla' ? event.level : row.escalationLevel;
    const levelName = row.project
      ? await cached(`sla-level-name:${row.project.documentId}:${level}:${locale}`, async () =>
          (await q(UID.slaLevel).findOne({ where: { project: { documentId: row.project.documentId }, order: level, locale }, select: ['name'] }))?.name ?? '')
      : '';
    const toDepartment = details.toDepartment ? await nameIn(UID.department, String(details.toDepartment), locale) : null;
    return {
      locale,
      timeZone: row.project?.timezone || 'UTC',
      statusLabels: statusLabels(locale),
      values: {
        trackingCode: row.trackingCode,
        projectName: await localisedName(UID.project, row.project, locale),
        category: await localisedName('api::category.category', row.category, locale),
        department: await localisedName(UID.department, row.department, locale),
        status: row.caseStatus,
        level,
        levelName,
        submittedAt: iso(row.submittedAt),
        acknowledgeBy: iso(row.acknowledgeDueAt),
        resolveBy: iso(row.resolveDueAt),
        dueAt: event.type === 'grievance.sla' ? event.dueAt : iso(row.resolveDueAt),
        resolution: row.resolution ?? '',
        reason: event.type === 'grievance.routed' ? (event.reason ?? '') : String(details.reason ?? details.note ?? ''),
        note: String(details.note ?? ''),
        actor: event.type === 'grievance.transitioned' ? event.actor.label : '',
        toDepartment: toDepartment || '',
        decision: event.type === 'grievance.transitioned' ? (event.action === 'deny_transfer' ? 'denied' : 'approved') : '',
        rating: row.rating ?? '',
        autoCloseDays: row.project?.autoCloseDays ?? 7,
        appealWindowDays: row.project?.appealWindowDays ?? 14,
        recipientName: recipient?.name ?? '',
        trackingUrl: trackingUrl(portal, row.trackingCode),
        feedbackUrl: feedbackUrl(portal, row.trackingCode),
        roadmap: [
          { step: statusLabels(locale).acknowledged ?? 'acknowledged', by: iso(row.acknowledgeDueAt) },
          { step: statusLabels(locale).resolved ?? 'resolved', by: iso(row.resolveDueAt) },
        ],
      },
    };
  }

  /** The messages one event calls for, rendered, each with the key that makes it once-only. */
  async function messagesFor(event: DomainEvent, row: any, memo: Memo): Promise<Array<Record<string, unknown> & { dedupeKey: string }>> {
    const projectLocale = row.project?.defaultLocale || 'en';
    const messages: Array<Record<string, unknown> & { dedupeKey: string }> = [];
    for (const { event: name, audiences } of plan(event)) {
      for (const audience of audiences) {
        const channels = audience === 'citizen' ? CITIZEN_CHANNELS : STAFF_CHANNELS;
        for (const recipient of await recipientsFor(audience, event, row, memo)) {
          for (const channel of channels) {
            const address = channel === 'email' ? recipient.email : channel === 'in_app' ? null : recipient.phone;
            if (channel !== 'in_app' && !address) continue;
            if (channel === 'in_app' && !recipient.userId) continue;
            const template = await templateFor(name, channel, audience, row.project?.documentId ?? null);
            if (!template) continue;
            const locale = recipient.locale || projectLocale || 'en';
            const localised = await localisedTemplate(template.documentId, locale);
            const rendered = render({ channel, subject: localised.subject, body: localised.body }, await contextFor(row, event, localised.locale, recipient));
            messages.push({
              dedupeKey: `${changeKey(event)}:${name}:${audience}:${recipient.key}:${channel}`,
              grievanceId: row.id,
              trackingCode: row.trackingCode,
              projectId: row.project?.documentId ?? null,
              event: name,
              channel,
              audience,
              recipientUserId: recipient.userId,
              recipientAddress: address,
              locale: localised.locale,
              subject: rendered.subject.slice(0, 500),
              body: rendered.body,
              text: rendered.text,
              status: 'pending',
              attempts: 0,
              nextAttemptAt: new Date(),
            });
          }
        }
      }
    }
    return messages;
  }

  /** Writes the messages not queued before (by key), in one INSERT. Answers how many. */
  async function write(messages: Array<Record<string, unknown> & { dedupeKey: string }>): Promise<number> {
    if (messages.length === 0) return 0;
    const seen = new Set<string>();
    const keys = [...new Set(messages.map((m) => m.dedupeKey))];
    for (let i = 0; i < keys.length; i += DEDUPE_CHUNK) {
      const chunk = keys.slice(i, i + DEDUPE_CHUNK);
      const queued = await q(UID.notification).findMany({ where: chunk.length === 1 ? { dedupeKey: chunk[0] } : { dedupeKey: { $in: chunk } }, select: ['dedupeKey'] });
      for (const row of queued) seen.add(row.dedupeKey);
    }
    const fresh = messages.filter((m) => !seen.has(m.dedupeKey) && seen.add(m.dedupeKey));
    // createMany: one INSERT; `create` would read each row back for nothing.
    if (fresh.length > 0) await q(UID.notification).createMany({ data: fresh });
    return fresh.length;
  }

  const service = {
    /** Writes the outbox rows a domain event calls for; call inside the change's transaction. */
    async enqueue(event: DomainEvent): Promise<number> {
      return service.enqueueMany([event]);
    },

    /**
     * Writes the outbox rows of many events (a sweep's batch) in the caller's transaction: their
     * cases read in two statements, each recipient looked up once, the messages already queued
     * found in one query and the new ones written in one INSERT.
     */
    async enqueueMany(events: DomainEvent[]): Promise<number> {
      const planned = events.filter((event) => plan(event).length > 0);
      if (planned.length === 0) return 0;
      const cases = await loadCases([...new Set(planned.map((event) => event.grievance.id))]);
      const memo: Memo = new Map();
      const messages: Array<Record<string, unknown> & { dedupeKey: string }> = [];
      for (const event of planned) {
        const row = cases.get(event.grievance.id);
        if (row) messages.push(...(await messagesFor(event, row, memo)));
      }
      return write(messages);
    },

    /**
     * A message that is not about a case (a report to its recipients): queued in the caller's
     * transaction, once per de-duplication key, sent by the dispatcher like any other.
     */
    async queueEmail(message: { dedupeKey: string; to: string; subject: string; html: string; text: string; event: string; projectId: string | null; attachments?: Array<{ fileId: number }> }) {
      if (await q(UID.notification).findOne({ where: { dedupeKey: message.dedupeKey }, select: ['id'] })) return false;
      await q(UID.notification).create({
        data: {
          dedupeKey: message.dedupeKey,
          projectId: message.projectId,
          event: message.event,
          channel: 'email',
          audience: 'report_recipient',
          recipientAddress: message.to,
          subject: message.subject.slice(0, 500),
          body: message.html,
          text: message.text,
          attachments: message.attachments ?? [],
          status: 'pending',
          attempts: 0,
          nextAttemptAt: new Date(),
        },
      });
      return true;
    },

    subscribe(): () => void {
      const handler = (event: DomainEvent) => service.enqueue(event).then(() => undefined);
      const many = (events: DomainEvent[]) => service.enqueueMany(events).then(() => undefined);
      const offs = (['grievance.received', 'grievance.transitioned', 'grievance.routed', 'grievance.sla'] as const).map((type) => subscribe(type, handler as any, many as any));
      return () => offs.forEach((off) => off());
    },

    contextFor,
    loadCase,
  };
  return service;
};

const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : '');
