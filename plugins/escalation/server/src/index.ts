import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { calendarProblems } from './domain/levels';
import deadlinesService from './services/deadlines';
import sweepService from './services/sweep';
import previewService from './services/preview';
import statisticsService from './services/statistics';
import sweepController from './controllers/sweep';
import reminderSchema from './content-types/sla-reminder/schema.json';
import { UID } from './constants';
import { scheduleOnce } from '../../../../src/platform/scheduled-jobs';
import { getService } from '../../../../src/platform/services';

let unsubscribe: (() => void) | null = null;

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    unsubscribe = getService('escalation', 'deadlines').subscribe();
    // A project's working calendar is checked when it is saved, from any path.
    strapi.documents.use(async (ctx, next) => {
      if (ctx.uid === UID.project && (ctx.action === 'create' || ctx.action === 'update')) {
        const data = (ctx.params as { data?: Record<string, unknown> }).data ?? {};
        const problems = calendarProblems(data.workingDays, data.workingHours);
        if (problems.length > 0) {
          throw new errors.ValidationError(problems.join(' '), {
            code: 'VALIDATION',
            errors: problems.map((message) => ({ path: [message.startsWith('Working days') ? 'workingDays' : 'workingHours'], message, name: 'ValidationError' })),
          });
        }
      }
      const result = await next();
      // Open cases at an edited level take its new durations (what the preview showed).
      if (ctx.uid === UID.slaLevel && ctx.action === 'update' && result) {
        const level = await strapi.db.query(UID.slaLevel as any).findOne({
          where: { documentId: (result as { documentId: string }).documentId },
          orderBy: { id: 'asc' },
          populate: { project: { select: ['documentId'] } },
        });
        if (level?.project) await getService('escalation', 'deadlines').reapplyLevel(level.project.documentId, level.order);
      }
      return result;
    });
  },
  bootstrap({ strapi }: { strapi: Core.Strapi }) {
    // Scheduled only where the server's cron is on (off in tests unless a test turns it on).
    if (strapi.config.get('server.cron.enabled')) {
      scheduleOnce({
        name: 'escalation-sweep',
        rule: strapi.config.get('plugin::escalation.sweepCron', '* * * * *') as string,
        task: async () => {
          const result = await getService('escalation', 'sweep').sweep();
          if (result.ran && (result.stateChanges || result.escalated || result.autoClosed)) strapi.log.info(`SLA sweep: ${JSON.stringify(result)}`);
        },
      });
    }
  },
  destroy() {
    unsubscribe?.();
    unsubscribe = null;
  },
  routes: {
    admin: {
      type: 'admin',
      routes: [
        { method: 'POST', path: '/sweep', handler: 'sweep.sweep', config: { policies: ['admin::isAuthenticatedAdmin'] } },
        { method: 'POST', path: '/sla-levels/preview', handler: 'sweep.preview', config: { policies: ['admin::isAuthenticatedAdmin'] } },
        { method: 'GET', path: '/statistics', handler: 'sweep.statistics', config: { policies: ['admin::isAuthenticatedAdmin'] } },
      ],
    },
  },
  controllers: { sweep: sweepController },
  services: { deadlines: deadlinesService, sweep: sweepService, preview: previewService, statistics: statisticsService },
  contentTypes: { 'sla-reminder': { schema: reminderSchema } },
  policies: {},
  middlewares: {},
  config: { default: { sweepCron: '* * * * *' }, validator() {} },
};
