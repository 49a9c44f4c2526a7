/**
 * Admin routes of the notifications plugin: a staff member's own alerts (list, mark read, live
 * stream), the outbox for administrators (failed messages and retry), the delivery health and the
 * demo outbox for holders of the outbox permission, and template preview and test sending for
 * whoever may edit templates.
 */
import type { Core } from '@strapi/strapi';
import { checkTemplate, render, sampleContext, Channel } from '../domain/templates';
import { statusLabels } from '../../../../../src/domain/status-labels';
import { OUTBOX_ACTION, UID } from '../constants';
import { EXTERNAL_CHANNELS } from '../domain/delivery';
import { adminCasePath } from '../../../../../src/domain/links';
import { failWith as fail } from '../../../../../src/platform/http-error';
import { getService } from '../../../../../src/platform/services';

const ADMINS = ['strapi-super-admin', 'grm-project-admin'];
const CHANNELS: Channel[] = ['email', 'sms', 'whatsapp', 'in_app'];
const LOCALES = ['en', 'fr', 'hi'];
const ALERT_PAGE = 50;
const OUTBOX_PAGE = 25;
const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'held', 'failed'];
const CITIZEN_CONTACT = ['citizenPhone', 'citizenEmail'];


export default ({ strapi }: { strapi: Core.Strapi }) => {
  const q = () => strapi.db.query(UID.notification as any);
  const roles = (ctx: any): string[] => (ctx.state.user?.roles ?? []).map((r: { code: string }) => r.code);
  const isSuper = (ctx: any) => roles(ctx).includes('strapi-super-admin');

  async function myProjects(ctx: any): Promise<string[]> {
    const profile = await strapi.db.query(UID.staffProfile as any).findOne({ where: { user: { id: ctx.state.user.id }, active: true }, populate: { projects: { select: ['documentId'] } } });
    return (profile?.projects ?? []).map((p: { documentId: string }) => p.documentId);
  }

  /** Rows an outbox reader may see: all for super admins, their projects' for the others. */
  async function outboxScope(ctx: any): Promise<Record<string, unknown>> {
    return isSuper(ctx) ? {} : { projectId: { $in: await myProjects(ctx) } };
  }

  /** Whether this staff member's role may read citizens' contact details (as in the content manager). */
  function maySeeContacts(ctx: any): boolean {
    const checker = strapi.plugin('content-manager').service('permission-checker').create({ userAbility: ctx.state.userAbility, model: UID.grievance });
    return CITIZEN_CONTACT.every((field) => !checker.cannot.read(null, field));
  }

  /** The template text to work with: a saved template in a language, or unsaved text from the form. */
  async function templateInput(ctx: any) {
    const body = ctx.request.body ?? {};
    const locale = LOCALES.includes(body.locale) ? body.locale : 'en';
    if (typeof body.template === 'string') {
      const saved = (await strapi.db.query(UID.template as any).findOne({ where: { documentId: body.template, locale } })) ?? (await strapi.db.query(UID.template as any).findOne({ where: { documentId: body.template, locale: 'en' } }));
      if (!saved) return { error: () => fail(ctx, 404, 'NOT_FOUND', 'No such template.') };
      return { template: { channel: saved.channel as Channel, subject: saved.subject, body: saved.body }, locale };
    }
    if (!CHANNELS.includes(body.channel) || typeof body.body !== 'string') {
      return { error: () => fail(ctx, 400, 'VALIDATION', 'Send a saved template id, or a channel and a body.') };
    }
    return { template: { channel: body.channel as Channel, subject: typeof body.subject === 'string' ? body.subject : '', body: body.body }, locale };
  }

  return {
    async alerts(ctx: any) {
      const where = { channel: 'in_app', recipientUserId: ctx.state.user.id };
      const [rows, unread] = await Promise.all([
        q().findMany({ where, orderBy: { id: 'desc' }, limit: ALERT_PAGE, select: ['id', 'event', 'subject', 'text', 'trackingCode', 'grievanceId', 'createdAt', 'readAt'] }),
        q().count({ where: { ...where, readAt: { $null: true } } }),
      ]);
      // Each alert links to its case in the admin panel; whether the reader may still open it is
      // the content manager's decision when they follow the link.
      const caseIds = [...new Set(rows.map((r: any) => r.grievanceId).filter((id: unknown) => id != null))];
      const cases = caseIds.length ? await strapi.db.query(UID.grievance as any).findMany({ where: { id: { $in: caseIds } }, select: ['id', 'documentId'] }) : [];
      const documentIdOf = new Map<number, string>(cases.map((c: any) => [c.id, c.documentId]));
      ctx.body = {
        data: rows.map((r: any) => {
          const documentId = documentIdOf.get(r.grievanceId) ?? null;
          return { id: r.id, event: r.event, subject: r.subject, body: r.text, trackingCode: r.trackingCode, documentId, casePath: documentId ? adminCasePath(documentId) : null, createdAt: r.createdAt, read: Boolean(r.readAt) };
        }),
        meta: { unread },
      };
    },

    async markRead(ctx: any) {
      const ids = ctx.request.body?.ids;
      if (ids != null && (!Array.isArray(ids) || !ids.every((id: unknown) => Number.isInteger(id)))) return fail(ctx, 400, 'VALIDATION', 'ids must be a list of alert ids.');
      const { count } = await q().updateMany({
        where: { channel: 'in_app', recipientUserId: ctx.state.user.id, readAt: { $null: true }, ...(ids ? { id: { $in: ids } } : {}) },
        data: { readAt: new Date() },
      });
      ctx.body = { data: { marked: count } };
    },

    async stream(ctx: any) {
      ctx.request.socket.setTimeout(0);
      ctx.req.socket.setNoDelay(true);
      ctx.set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
      ctx.status = 200;
      const stream = getService('notifications', 'live').open(ctx.state.user.id);
      ctx.req.on('close', () => stream.end());
      ctx.body = stream;
    },

    async outbox(ctx: any) {
      if (!roles(ctx).some((r) => ADMINS.includes(r))) return fail(ctx, 403, 'NOT_ALLOWED', 'Only administrators see the outbox.');
      const status = ctx.query.status ?? 'failed';
      if (!OUTBOX_STATUSES.includes(status)) return fail(ctx, 400, 'VALIDATION', `status must be one of ${OUTBOX_STATUSES.join(', ')}.`);
      const where: Record<string, unknown> = { status, channel: { $ne: 'in_app' } };
      if (!isSuper(ctx)) where.projectId = { $in: await myProjects(ctx) };
      const rows = await q().findMany({ where, orderBy: { id: 'desc' }, limit: 100, select: ['id', 'event', 'channel', 'audience', 'trackingCode', 'subject', 'status', 'attempts', 'lastError', 'nextAttemptAt', 'sentAt', 'createdAt'] });
      ctx.body = { data: rows, meta: { total: await q().count({ where }) } };
    },

    /** Where each channel delivers, with the messages held or failed on it: one line per channel. */
    async health(ctx: any) {
      if (!ctx.state.userAbility?.can(OUTBOX_ACTION)) return fail(ctx, 403, 'NOT_ALLOWED', 'Your role may not read the delivery health.');
      const health = getService('notifications', 'channels').health();
      const scope = await outboxScope(ctx);
      const count = (channel: string, status: string) => q().count({ where: { ...scope, channel, status } });
      ctx.body = {
        data: {
          mode: health.mode,
          requested: health.requested,
          problem: health.problem,
          channels: await Promise.all(
            EXTERNAL_CHANNELS.map(async (channel) => ({ channel, state: health.channels[channel], held: await count(channel, 'held'), failed: await count(channel, 'failed') }))
          ),
        },
      };
    },

    /**
     * The demo outbox: messages "delivered" in demo mode, rendered as the recipient would read
     * them. A citizen's address and message are personal data: withheld from roles that may not
     * read citizens' contact details.
     */
    async demoOutbox(ctx: any) {
      if (!ctx.state.userAbility?.can(OUTBOX_ACTION)) return fail(ctx, 403, 'NOT_ALLOWED', 'Your role may not read the outbox.');
      const { channel, page = '1' } = ctx.query;
      if (channel !== undefined && !(EXTERNAL_CHANNELS as readonly string[]).includes(channel)) return fail(ctx, 400, 'VALIDATION', `channel must be one of ${EXTERNAL_CHANNELS.join(', ')}.`);
      const pageNumber = Number(page);
      if (!Number.isInteger(pageNumber) || pageNumber < 1 || pageNumber > 10_000) return fail(ctx, 400, 'VALIDATION', 'page must be a whole number from 1.');
      const where = { ...(await outboxScope(ctx)), delivery: 'demo_outbox', ...(channel ? { channel } : {}) };
      const contacts = maySeeContacts(ctx);
      const [rows, total] = await Promise.all([
        q().findMany({
          where,
          orderBy: { id: 'desc' },
          limit: OUTBOX_PAGE,
          offset: (pageNumber - 1) * OUTBOX_PAGE,
          select: ['id', 'event', 'channel', 'audience', 'trackingCode', 'locale', 'recipientAddress', 'subject', 'body', 'text', 'sentAt', 'createdAt'],
        }),
        q().count({ where }),
      ]);
      ctx.body = {
        data: rows.map((r: any) => {
          const hidden = r.audience === 'citizen' && !contacts;
          return {
            id: r.id,
            event: r.event,
            channel: r.channel,
            audience: r.audience,
            trackingCode: r.trackingCode,
            locale: r.locale,
            to: hidden ? null : r.recipientAddress,
            // A project's template may put the citizen's name or words in the subject too.
            subject: hidden ? null : r.subject,
            html: hidden || r.channel !== 'email' ? null : r.body,
            text: hidden ? null : r.text,
            personalDataHidden: hidden,
            deliveredAt: r.sentAt,
            createdAt: r.createdAt,
          };
        }),
        meta: { page: pageNumber, pageSize: OUTBOX_PAGE, total },
      };
    },

    async retry(ctx: any) {
      if (!roles(ctx).some((r) => ADMINS.includes(r))) return fail(ctx, 403, 'NOT_ALLOWED', 'Only administrators may retry messages.');
      const id = Number(ctx.params.id);
      const row = Number.isInteger(id) ? await q().findOne({ where: { id }, select: ['id', 'projectId', 'status'] }) : null;
      if (!row || (!isSuper(ctx) && !(await myProjects(ctx)).includes(row.projectId))) return fail(ctx, 404, 'NOT_FOUND', 'No such message.');
      if (!(await getService('notifications', 'dispatcher').retry(id))) return fail(ctx, 409, 'NOT_FAILED', 'Only a failed message can be retried.');
      ctx.body = { data: { id, status: 'pending' } };
    },

    async preview(ctx: any) {
      const input = await templateInput(ctx);
      if (input.error) return input.error();
      const problems = checkTemplate(input.template!);
      if (problems.length) return fail(ctx, 400, 'TEMPLATE_INVALID', problems.map((p) => p.message).join(' '), problems);
      const context = { ...sampleContext(input.locale!), statusLabels: statusLabels(input.locale!) };
      ctx.body = { data: render(input.template!, context) };
    },

    /** Sends the template, rendered with sample data, to the administrator's own address now. */
    async sendTest(ctx: any) {
      if (!roles(ctx).some((r) => ADMINS.includes(r))) return fail(ctx, 403, 'NOT_ALLOWED', 'Only administrators may send test messages.');
      const input = await templateInput(ctx);
      if (input.error) return input.error();
      const problems = checkTemplate(input.template!);
      if (problems.length) return fail(ctx, 400, 'TEMPLATE_INVALID', problems.map((p) => p.message).join(' '), problems);
      const rendered = render({ ...input.template!, channel: 'email' }, { ...sampleContext(input.locale!), statusLabels: statusLabels(input.locale!) });
      try {
        await getService('notifications', 'channels').email(ctx.state.user.email, `[TEST] ${rendered.subject || 'Notification template'}`, rendered.body, rendered.text, `test-${Date.now()}-${ctx.state.user.id}`);
      } catch (error: any) {
        return fail(ctx, 502, 'SEND_FAILED', `The test message could not be sent: ${error?.message ?? error}`);
      }
      ctx.body = { data: { sentTo: ctx.state.user.email } };
    },
  };
};
