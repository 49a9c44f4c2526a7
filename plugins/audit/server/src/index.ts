import type { Core } from '@strapi/strapi';
import auditController from './controllers/audit';
import requestAudit from './middlewares/request-audit';
import routes from './routes';
import auditService from './services/audit';
import captureService from './services/capture';
import auditEventSchema from './content-types/audit-event/schema.json';
import { getService } from '../../../../src/platform/services';

let unsubscribe: (() => void) | null = null;
let unsubscribeIntake: (() => void) | null = null;

export default {
  register(_: { strapi: Core.Strapi }) {
    const capture = getService('audit', 'capture');
    capture.registerDocumentCapture();
    unsubscribe = capture.subscribeToCases();
  },
  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    // After every plugin's register(): the deadlines set on a new case are part of its record.
    unsubscribeIntake = getService('audit', 'capture').subscribeToIntake();
    // Events of an instance that stopped between its COMMIT and its seal are sealed by any other.
    getService('audit', 'audit').sealer.start();
    // "Read the audit log" is a permission of its own, granted to roles in Settings.
    await strapi.service('admin::permission').actionProvider.registerMany([
      { section: 'plugins', displayName: 'Read the audit log', uid: 'read', pluginName: 'audit' },
    ]);
  },
  async destroy() {
    await getService('audit', 'audit').sealer.stop();
    unsubscribe?.();
    unsubscribe = null;
    unsubscribeIntake?.();
    unsubscribeIntake = null;
  },
  routes,
  controllers: { audit: auditController },
  services: { audit: auditService, capture: captureService },
  contentTypes: { 'audit-event': { schema: auditEventSchema } },
  middlewares: { 'request-audit': requestAudit },
  policies: {},
  config: { default: {}, validator() {} },
};
