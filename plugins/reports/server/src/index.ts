import type { Core } from '@strapi/strapi';
import kpiService from './services/kpi';
import publicMetricsService from './services/public-metrics';
import generatorService from './services/generator';
import exportService from './services/export';
import dashboardService from './services/dashboard';
import scopeService from './services/scope';
import reportsController from './controllers/reports';
import reportSchema from './content-types/report/schema.json';
import { scheduleOnce } from '../../../../src/platform/scheduled-jobs';
import { getService } from '../../../../src/platform/services';

/**
 * Default schedules, in each project's time zone (after midnight, so the period is complete).
 * Operators may move them (REPORTS_CRON_* in config/plugins.ts).
 */
const DEFAULT_SCHEDULES = { monthly_public: '0 2 1 * *', quarterly_public: '30 2 1 1,4,7,10 *', monthly_escalated: '10 2 1 * *', monthly_performance: '20 2 1 * *' } as const;

export default {
  register() {},
  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    if (!strapi.config.get('server.cron.enabled')) return;
    const schedules = { ...DEFAULT_SCHEDULES, ...(strapi.config.get('plugin::reports.schedules', {}) as Record<string, string>) };
    const projects = await strapi.db.query('api::project.project' as any).findMany({ where: { locale: 'en' }, select: ['code', 'timezone'] });
    for (const zone of new Set<string>(projects.map((p: any) => p.timezone || 'UTC'))) {
      for (const kind of Object.keys(DEFAULT_SCHEDULES) as Array<keyof typeof DEFAULT_SCHEDULES>) {
        scheduleOnce({
          name: `reports-${kind}-${zone}`,
          rule: schedules[kind],
          tz: zone,
          task: async () => {
            const done = await getService('reports', 'generator').scheduled(kind);
            if (done.length) strapi.log.info(`Reports generated: ${done.map((d: any) => d.title).join('; ')}`);
          },
        });
      }
    }
  },
  destroy() {},
  routes: {
    admin: {
      type: 'admin',
      routes: [
        { method: 'POST', path: '/generate', handler: 'reports.generate', config: { policies: ['admin::isAuthenticatedAdmin'] } },
        { method: 'GET', path: '/export', handler: 'reports.export', config: { policies: ['admin::isAuthenticatedAdmin'] } },
        { method: 'GET', path: '/dashboard', handler: 'reports.dashboard', config: { policies: ['admin::isAuthenticatedAdmin'] } },
        { method: 'GET', path: '/archive/:documentId/files', handler: 'reports.files', config: { policies: ['admin::isAuthenticatedAdmin'] } },
      ],
    },
  },
  controllers: { reports: reportsController },
  services: { kpi: kpiService, 'public-metrics': publicMetricsService, generator: generatorService, export: exportService, dashboard: dashboardService, scope: scopeService },
  contentTypes: { report: { schema: reportSchema } },
  policies: {},
  middlewares: {},
  config: { default: {}, validator() {} },
};
