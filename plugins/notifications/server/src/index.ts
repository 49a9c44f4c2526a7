import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import notificationSchema from './content-types/notification/schema.json';
import outboxService from './services/outbox';
import dispatcherService from './services/dispatcher';
import channelsService from './services/channels';
import liveService from './services/live';
import notificationsController from './controllers/notifications';
import { checkTemplate } from './domain/templates';
import { CHANNEL_NAMES, DEFAULTS, UID } from './constants';
import { EXTERNAL_CHANNELS } from './domain/delivery';
import { getService } from '../../../../src/platform/services';

let unsubscribe: (() => void) | null = null;

/** Once per start, one line per problem: the Outbox page's health panel says the same to administrators. */
function reportDelivery(strapi: Core.Strapi) {
  const health = getService('notifications', 'channels').health();
  if (health.problem === 'demo_outbox_refused_in_production') {
    strapi.log.warn('Notifications: NOTIFICATIONS_DELIVERY=outbox is ignored in production (set NOTIFICATIONS_DEMO_OUTBOX_IN_PRODUCTION=true to allow it); messages go to the configured providers.');
  } else if (health.problem === 'unknown_mode') {
    strapi.log.warn(`Notifications: NOTIFICATIONS_DELIVERY=${health.requested} is not a delivery mode (live or outbox); messages go to the configured providers.`);
  }
  const missing = EXTERNAL_CHANNELS.filter((channel) => health.channels[channel] === 'not_configured');
  if (health.mode === 'outbox') strapi.log.info('Notifications: demo outbox mode, e-mail, SMS and WhatsApp are kept on the Outbox page and not sent.');
  else if (missing.length) strapi.log.warn(`Notifications: not configured: ${missing.map((c) => CHANNEL_NAMES[c]).join(', ')}; their messages are held, not sent (docs/notifications.md).`);
}
let timer: NodeJS.Timeout | null = null;

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    // A template that does not compile, or uses an unknown variable, is refused on save, from any path.
    strapi.documents.use(async (ctx, next) => {
      if (ctx.uid === UID.template && (ctx.action === 'create' || ctx.action === 'update')) {
        const data = (ctx.params as { data?: Record<string, any> }).data ?? {};
        if (data.body !== undefined || data.subject !== undefined || data.channel !== undefined) {
          let current: any = null;
          if (ctx.action === 'update') {
            const { documentId, locale } = ctx.params as { documentId: string; locale?: string };
            current = await strapi.db.query(UID.template as any).findOne({ where: { documentId, ...(locale ? { locale } : {}) } });
          }
          const template = { channel: data.channel ?? current?.channel, subject: data.subject ?? current?.subject, body: data.body ?? current?.body ?? '' };
          const problems = checkTemplate(template);
          if (problems.length > 0) {
            throw new errors.ValidationError(problems.map((p) => p.message).join(' '), {
              code: 'TEMPLATE_INVALID',
              errors: problems.map((p) => ({ path: [p.field], message: p.message, name: 'ValidationError', value: p.name })),
            });
          }
        }
      }
      return next();
    });
  },
  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    // Reading the delivery health and the demo outbox is a permission of its own (project admins get it).
    await strapi.service('admin::permission').actionProvider.registerMany([
      { section: 'plugins', displayName: 'Read the outbox and delivery health', uid: 'outbox.read', pluginName: 'notifications' },
    ]);
    reportDelivery(strapi);
    await getService('notifications', 'dispatcher').releaseHeld();
    await getService('notifications', 'live').start();
    // Subscribed after every plugin's register(), so deadlines and routing are set before messages are written.
    unsubscribe = getService('notifications', 'outbox').subscribe();
    const interval = Number(strapi.config.get('plugin::notifications.dispatchIntervalMs', DEFAULTS.dispatchIntervalMs));
    if (interval > 0) {
      let running = false;
      timer = setInterval(async () => {
        if (running) return;
        running = true;
        try {
          await getService('notifications', 'dispatcher').dispatchDue();
        } catch (error: any) {
          strapi.log.error(`Notification dispatch failed: ${error?.message ?? error}`);
        } finally {
          running = false;
        }
      }, interval);
      timer.unref();
    }
  },
  async destroy(_: { strapi: Core.Strapi }) {
    unsubscribe?.();
    unsubscribe = null;
    if (timer) clearInterval(timer);
    timer = null;
    await getService('notifications', 'live').closeAll();
  },
  routes: {
    admin: {
      type: 'admin',
      routes: [
        { method: 'GET', path: '/alerts', handler: 'notifications.alerts', config: { policies: ['admin::isAuthenticatedAdmin'] } },
        { method: 'POST', path: '/alerts/read', handler: 'notifications.markRead', config: { policies: ['admin::isAuthenticatedAdmin'] } },
        { method: 'GET', path: '/alerts/stream', handler: 'notifications.stream', config: { policies: ['admin::isAuthenticatedAdmin'] } },
        { method: 'GET', path: '/outbox', handler: 'notifications.outbox', config: { policies: ['admin::isAuthenticatedAdmin'] } },
        { method: 'GET', path: '/health', handler: 'notifications.health', config: { policies: ['admin::isAuthenticatedAdmin'] } },
        { method: 'GET', path: '/demo-outbox', handler: 'notifications.demoOutbox', config: { policies: ['admin::isAuthenticatedAdmin'] } },
        { method: 'POST', path: '/outbox/:id/retry', handler: 'notifications.retry', config: { policies: ['admin::isAuthenticatedAdmin'] } },
        { method: 'POST', path: '/templates/preview', handler: 'notifications.preview', config: { policies: ['admin::isAuthenticatedAdmin'] } },
        { method: 'POST', path: '/templates/test', handler: 'notifications.sendTest', config: { policies: ['admin::isAuthenticatedAdmin'] } },
      ],
    },
  },
  controllers: { notifications: notificationsController },
  services: { outbox: outboxService, dispatcher: dispatcherService, channels: channelsService, live: liveService },
  contentTypes: { notification: { schema: notificationSchema } },
  policies: {},
  middlewares: {},
  config: { default: { ...DEFAULTS, portalUrl: '', emailConfigured: false, delivery: '', demoOutboxInProduction: false, messageIdDomain: 'grm.local', sms: {}, whatsapp: {} }, validator() {} },
};
