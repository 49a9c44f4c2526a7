import securityController from './controllers/security';
import stepUpGuard from './middlewares/step-up-guard';
import routes from './routes';
import handoverService from './services/handover';
import stepUpService from './services/step-up';
import secondFactorSchema from './content-types/second-factor/schema.json';
import stepUpGrantSchema from './content-types/step-up-grant/schema.json';
import handoverSchema from './content-types/handover/schema.json';

export default {
  register() {},
  bootstrap() {},
  destroy() {},
  routes,
  controllers: { security: securityController },
  services: { stepUp: stepUpService, handover: handoverService },
  contentTypes: { 'second-factor': { schema: secondFactorSchema }, 'step-up-grant': { schema: stepUpGrantSchema }, handover: { schema: handoverSchema } },
  middlewares: { 'step-up-guard': stepUpGuard },
  policies: {},
  config: {
    default: { stepUpRequired: true, stepUpWindowMinutes: 5 },
    validator(config: { stepUpWindowMinutes?: unknown }) {
      const minutes = Number(config.stepUpWindowMinutes);
      if (!Number.isFinite(minutes) || minutes < 1 || minutes > 720) throw new Error('security.stepUpWindowMinutes must be between 1 and 720.');
    },
  },
};
