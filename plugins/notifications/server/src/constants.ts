export const UID = {
  notification: 'plugin::notifications.notification',
  template: 'api::notification-template.notification-template',
  grievance: 'api::grievance.grievance',
  project: 'api::project.project',
  department: 'api::department.department',
  slaLevel: 'api::sla-level.sla-level',
  staffProfile: 'api::staff-profile.staff-profile',
} as const;

/** Defaults of the plugin's configuration (config/plugins.ts reads the environment). */
export const DEFAULTS = {
  /** How often the dispatcher looks for messages to send; 0 = never (tests drive it by hand). */
  dispatchIntervalMs: 5_000,
  /** Attempts before a message is marked failed (staff can retry it from the admin panel). */
  maxAttempts: 8,
  /** First retry delay; each further retry waits twice as long, up to `retryMaxMs`. */
  retryBaseMs: 30_000,
  retryMaxMs: 6 * 3_600_000,
  /** How long a dispatcher may hold a message it is sending before another may take it. */
  leaseMs: 120_000,
  batchSize: 50,
};

/** Admin permission: read the delivery health and the demo outbox (rendered messages, personal data). */
export const OUTBOX_ACTION = 'plugin::notifications.outbox.read';

/** Human names of the channels, for log lines and held messages. */
export const CHANNEL_NAMES = { email: 'E-mail', sms: 'SMS', whatsapp: 'WhatsApp', in_app: 'In-app alerts' } as const;
