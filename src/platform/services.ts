/**
 * The one typed accessor to our plugins' services (docs/architecture.md, "How the parts meet").
 * Plugins never import each other's files; at run time they meet through the event bus or through
 * `getService(plugin, service)`, whose answer carries the service's real type. The imports below
 * are type-only: they vanish from the build and create no load-order dependency.
 */
import type auditService from '../../plugins/audit/server/src/services/audit';
import type captureService from '../../plugins/audit/server/src/services/capture';
import type analysisService from '../../plugins/cases/server/src/services/analysis';
import type attachmentsService from '../../plugins/cases/server/src/services/attachments';
import type channelIntakeService from '../../plugins/cases/server/src/services/channel-intake';
import type intakeService from '../../plugins/cases/server/src/services/intake';
import type queueService from '../../plugins/cases/server/src/services/queue';
import type storeService from '../../plugins/cases/server/src/services/store';
import type submissionService from '../../plugins/cases/server/src/services/submission';
import type workflowService from '../../plugins/cases/server/src/services/workflow';
import type deadlinesService from '../../plugins/escalation/server/src/services/deadlines';
import type previewService from '../../plugins/escalation/server/src/services/preview';
import type statisticsService from '../../plugins/escalation/server/src/services/statistics';
import type sweepService from '../../plugins/escalation/server/src/services/sweep';
import type channelsService from '../../plugins/notifications/server/src/services/channels';
import type dispatcherService from '../../plugins/notifications/server/src/services/dispatcher';
import type liveService from '../../plugins/notifications/server/src/services/live';
import type outboxService from '../../plugins/notifications/server/src/services/outbox';
import type georeportService from '../../plugins/open311/server/src/services/georeport';
import type dashboardService from '../../plugins/reports/server/src/services/dashboard';
import type exportService from '../../plugins/reports/server/src/services/export';
import type generatorService from '../../plugins/reports/server/src/services/generator';
import type kpiService from '../../plugins/reports/server/src/services/kpi';
import type publicMetricsService from '../../plugins/reports/server/src/services/public-metrics';
import type scopeService from '../../plugins/reports/server/src/services/scope';
import type handoverService from '../../plugins/security/server/src/services/handover';
import type stepUpService from '../../plugins/security/server/src/services/step-up';

type Built<F> = F extends (...args: any[]) => infer S ? S : never;

export interface PluginServices {
  audit: { audit: Built<typeof auditService>; capture: Built<typeof captureService> };
  cases: {
    analysis: Built<typeof analysisService>;
    attachments: Built<typeof attachmentsService>;
    'channel-intake': Built<typeof channelIntakeService>;
    intake: Built<typeof intakeService>;
    queue: Built<typeof queueService>;
    store: Built<typeof storeService>;
    submission: Built<typeof submissionService>;
    workflow: Built<typeof workflowService>;
  };
  escalation: {
    deadlines: Built<typeof deadlinesService>;
    preview: Built<typeof previewService>;
    statistics: Built<typeof statisticsService>;
    sweep: Built<typeof sweepService>;
  };
  notifications: {
    channels: Built<typeof channelsService>;
    dispatcher: Built<typeof dispatcherService>;
    live: Built<typeof liveService>;
    outbox: Built<typeof outboxService>;
  };
  open311: { georeport: Built<typeof georeportService> };
  reports: {
    dashboard: Built<typeof dashboardService>;
    export: Built<typeof exportService>;
    generator: Built<typeof generatorService>;
    kpi: Built<typeof kpiService>;
    'public-metrics': Built<typeof publicMetricsService>;
    scope: Built<typeof scopeService>;
  };
  security: { handover: Built<typeof handoverService>; stepUp: Built<typeof stepUpService> };
}

export function getService<P extends keyof PluginServices, S extends keyof PluginServices[P] & string>(plugin: P, service: S): PluginServices[P][S] {
  return strapi.plugin(plugin).service(service) as PluginServices[P][S];
}
