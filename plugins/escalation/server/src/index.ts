import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { calendarProblems } from './domain/levels';
import deadlinesService from './services/deadlines';
import { UID } from './constants';

let unsubscribe: (() => void) | null = null;

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    unsubscribe = strapi.plugin('escalation').service('deadlines').subscribe();
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
      return next();
    });
  },
  bootstrap() {},
  destroy() {
    unsubscribe?.();
    unsubscribe = null;
  },
  routes: {},
  controllers: {},
  services: { deadlines: deadlinesService },
  contentTypes: {},
  policies: {},
  middlewares: {},
  config: { default: {}, validator() {} },
};
