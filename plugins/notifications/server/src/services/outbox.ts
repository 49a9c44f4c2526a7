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
import { boolOf as bool, readToOnes } from '../../../../../src/platform/tables';

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
   * The case as its messages need it: its own fields through the query engine (which opens the
   * sealed contact details), its relations in one SELECT over the link tables.
   */
  async function loadCase(grievanceId: number) {
    const row = await q(UID.grievance).findOne({
      where: { id: grievanceId },
      select: ['id', 'documentId', 'trackingCode', 'caseStatus', 'escalationLevel', 'language', 'anonymous', 'citizenName', 'citizenEmail', 'citizenPhone', 'submittedAt', 'acknowledgeDueAt', 'resolveDueAt', 'resolution', 'rating'],
    });
    if (!row) return null;
    const related = await readToOnes(UID.grievance, grievanceId, {
      project: { uid: UID.project, fields: ['documentId', 'name', 'timezone', 'defaultLocale', 'autoCloseDays', 'appealWindowDays'] },
      category: { uid: 'api::category.category', fields: ['documentId', 'name'] },
      department: { uid: UID.department, fields: ['documentId', 'name'] },
      'department.head': { uid: 'admin::user', fields: PERSON },
      assignee: { uid: 'admin::user', fields: PERSON },
    });
    const person = (user: Record<string, any> | null | undefined) => (user ? { ...user, isActive: bool(user.isActive) } : null);
    const department = related?.department ? { ...related.department, head: person(related['department.head']) } : null;
    return { ...row, project: related?.project ?? null, category: related?.category ?? null, department, assignee: person(related?.assignee) };
  }

  /** A reference record's name in a language, or '' when it has none there (from the reference cache). */
  const nameIn = (uid: string, documentId: string, locale: string): Promise<string> =>
    cached(`name:${uid}:${documentId}:${locale}`, async () => (await q(uid).findOne({ where: { documentId, locale }, select: ['name'] }))?.name ?? '');

  /** Names of localised records (project, category ...) in a language, falling back to what the case links. */
  async function localisedName(uid: string, record: { documentId: string; name: string } | null, locale: string) {
    if (!record) return '';
    if (locale === 'en') return record.name;
    return (await nameIn(uid, record.documentId, locale)) || record.name;
  }

  async function recipientsFor(audience: NotificationAudience, event: DomainEvent, row: any): Promise<Recipient[]> {
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
          const target = await q(UID.department).findOne({
            where: { documentId: String(event.details.toDepartment ?? '') },
            orderBy: { id: 'asc' },
            populate: { head: { select: ['id', 'email', 'firstname', 'lastname', 'preferedLanguage', 'isActive'] } },
          });
          return [userRecipient(target?.head)].filter(Boolean) as Recipient[];
        }
        return [userRecipient(row.department?.head)].filter(Boolean) as Recipient[];
      }
      case 'level_for_action': {
        if (event.type !== 'grievance.routed') return [];
        const ids = event.assigneeId ? [event.assigneeId] : event.notifyUserIds;
        return (await users(ids)).map(userRecipient).filter(Boolean) as Recipient[];
      }
      case 'levels_for_information': {
        if (event.type !== 'grievance.routed' || !row.project) return [];
        const profiles = await q(UID.staffProfile).findMany({
          where: { active: true, projects: { documentId: row.project.documentId }, slaLevels: { order: { $lt: event.level } } },
          populate: { user: { select: ['id', 'email', 'firstname', 'lastname', 'preferedLanguage', 'isActive'] }, departments: { select: ['documentId'] } },
        });
        const forAction = new Set(event.assigneeId ? [event.assigneeId] : event.notifyUserIds);
        return profiles
          .filter((p: any) => p.user && !forAction.has(p.user.id))
          .filter((p: any) => !p.departments?.length || p.departments.some((d: any) => d.documentId === row.department?.documentId))
          .map((p: any) => userRecipient(p.user))
          .filter(Boolean) as Recipient[];
      }
      case 'project_admin': {
        if (!row.project) return [];
        const profiles = await q(UID.staffProfile).findMany({
          where: { active: true, projects: { documentId: row.project.documentId }, user: { roles: { code: 'grm-project-admin' } } },
          populate: { user: { select: ['id', 'email', 'firstname', 'lastname', 'preferedLanguage', 'isActive'] } },
        });
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

  const service = {
    /** Writes the outbox rows a domain event calls for; call inside the change's transaction. */
    async enqueue(event: DomainEvent): Promise<number> {
      const planned = plan(event);
      if (planned.length === 0) return 0;
      const row = await loadCase(event.grievance.id);
      if (!row) return 0;
      const projectLocale = row.project?.defaultLocale || 'en';
      let queued = 0;
      for (const { event: name, audiences } of planned) {
        for (const audience of audiences) {
          const channels = audience === 'citizen' ? CITIZEN_CHANNELS : STAFF_CHANNELS;
          for (const recipient of await recipientsFor(audience, event, row)) {
            for (const channel of channels) {
              const address = channel === 'email' ? recipient.email : channel === 'in_app' ? null : recipient.phone;
              if (channel !== 'in_app' && !address) continue;
              if (channel === 'in_app' && !recipient.userId) continue;
              const template = await templateFor(name, channel, audience, row.project?.documentId ?? null);
              if (!template) continue;
              const dedupeKey = `${changeKey(event)}:${name}:${audience}:${recipient.key}:${channel}`;
              if (await q(UID.notification).findOne({ where: { dedupeKey }, select: ['id'] })) continue;
              const locale = recipient.locale || projectLocale || 'en';
              const localised = await localisedTemplate(template.documentId, locale);
              const rendered = render({ channel, subject: localised.subject, body: localised.body }, await contextFor(row, event, localised.locale, recipient));
              // createMany: one INSERT; `create` would read the row back for nothing.
              await q(UID.notification).createMany({
                data: [{
                  dedupeKey,
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
                }],
              });
              queued += 1;
            }
          }
        }
      }
      return queued;
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
      const offs = (['grievance.received', 'grievance.transitioned', 'grievance.routed', 'grievance.sla'] as const).map((type) => subscribe(type, handler as any));
      return () => offs.forEach((off) => off());
    },

    contextFor,
    loadCase,
  };
  return service;
};

const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : '');
