import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { ERROR_CODES } from './domain/errors';
import { configureContentManager } from './platform/admin-layout';
import { refuseFiltersThroughCases, scopeRelatedCases } from './platform/case-access';
import { loadKeys, registerCitizenDataEncryption } from './platform/citizen-data';
import { registerIndexMigrations } from './platform/database-indexes';
import { ensureLocales } from './platform/locales';
import { ensurePublicPermissions } from './platform/public-permissions';
import { registerRbacConditions } from './platform/rbac-conditions';
import { installRouteGuards } from './platform/route-guards';
import { hideSecretHash } from './platform/secret-hash';
import { registerSessionRevocation } from './platform/sessions';
import { tolerateDatabaseOutages } from './platform/database-outage';
import { removeOrphanFiles } from './platform/orphan-files';
import { scheduleOnce } from './platform/scheduled-jobs';
import { fileSettings } from './platform/stored-files';
import { guardUploads } from './platform/upload-guard';
import { ensureStaffRoles } from './platform/staff-roles';
import { UID } from './platform/uids';
import { getService } from './platform/services';
import { closeChannels } from './platform/pg-channels';
import { watchReferenceData } from './platform/reference-cache';

const refuse = (message: string): never => {
  throw new errors.ForbiddenError(message, { code: ERROR_CODES.NOT_ALLOWED });
};

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    registerIndexMigrations();
    // Without its keys the app would store citizens' identities in clear: refuse to start.
    registerCitizenDataEncryption(strapi, loadKeys());
    registerSessionRevocation(strapi);
    installRouteGuards(strapi);
    // Images measured before decoding, random storage names (docs/security.md#files).
    guardUploads(strapi);
    // A process-wide listener; under Jest the test runner owns unhandled rejections.
    if (!process.env.JEST_WORKER_ID) tolerateDatabaseOutages(strapi.log);

    // Every create and update of a grievance, from any path, goes through intake's rules;
    // case history is append-only and no case is ever deleted.
    strapi.documents.use(async (ctx, next) => {
      if (ctx.uid === UID.grievance) {
        const intake = getService('cases', 'intake');
        if (ctx.action === 'create') return intake.create(ctx.params, next);
        if (ctx.action === 'update') return intake.update(ctx.params, next);
        if (ctx.action === 'delete') refuse('Grievances are never deleted; reject or close the case instead.');
        if (ctx.action === 'clone') refuse('Grievances cannot be cloned; file a new grievance instead.');
      }
      if ((ctx.uid === UID.grievanceEvent || ctx.uid === UID.transferRequest) && ['create', 'update', 'delete', 'clone'].includes(ctx.action)) {
        refuse('Case history is written by the workflow and cannot be edited.');
      }
      return next();
    });
    strapi.documents.use(hideSecretHash);
    strapi.documents.use(scopeRelatedCases);
    strapi.documents.use(refuseFiltersThroughCases);
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    // Before anything reads reference data through the cache.
    await watchReferenceData();
    await registerRbacConditions();
    await ensureStaffRoles();
    await ensurePublicPermissions();
    await ensureLocales();
    await configureContentManager();
    if (strapi.config.get('server.cron.enabled')) {
      scheduleOnce({
        name: 'uploads-remove-orphans',
        rule: fileSettings().orphanCron,
        task: async () => {
          const { removed } = await removeOrphanFiles();
          if (removed) strapi.log.info(`Removed ${removed} stored files that no record uses.`);
        },
      });
    }
  },

  async destroy() {
    await closeChannels();
  },
};
