import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import queueController from './controllers/queue';
import workflowController from './controllers/workflow';
import { validateRules } from './domain/rules';
import routes from './routes';
import analysisService from './services/analysis';
import attachmentsService from './services/attachments';
import channelIntakeService from './services/channel-intake';
import intakeService from './services/intake';
import queueService from './services/queue';
import storeService from './services/store';
import submissionService from './services/submission';
import workflowService from './services/workflow';
import { UID } from './constants';

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    // A project's workflow rules are checked when it is saved, from any path.
    strapi.documents.use(async (ctx, next) => {
      if (ctx.uid === UID.project && (ctx.action === 'create' || ctx.action === 'update')) {
        const data = (ctx.params as { data?: Record<string, unknown> }).data;
        if (data && 'workflowRules' in data) {
          const problems = validateRules(data.workflowRules);
          if (problems.length > 0) {
            throw new errors.ValidationError(problems.map((p) => p.message).join(' '), {
              code: 'VALIDATION',
              errors: problems.map((p) => ({ ...p, name: 'ValidationError' })),
            });
          }
        }
      }
      return next();
    });
  },
  bootstrap() {},
  destroy() {},
  routes,
  controllers: { queue: queueController, workflow: workflowController },
  services: {
    analysis: analysisService,
    attachments: attachmentsService,
    'channel-intake': channelIntakeService,
    intake: intakeService,
    queue: queueService,
    store: storeService,
    submission: submissionService,
    workflow: workflowService,
  },
  contentTypes: {},
  policies: {},
  middlewares: {},
  config: { default: {}, validator() {} },
};
