/**
 * The GRM vocabulary shared by every part of the platform. Content-type enumerations must
 * list exactly these values (a unit test keeps the schema files and this module in step).
 */

export const GRIEVANCE_STATUSES = [
  'submitted',
  'acknowledged',
  'assigned',
  'in_progress',
  'escalated',
  'resolved',
  'closed',
  'rejected',
] as const;
export type GrievanceStatus = (typeof GRIEVANCE_STATUSES)[number];

/** Cases in these statuses need no more work from staff; SLA clocks do not run on them. */
export const TERMINAL_STATUSES: readonly GrievanceStatus[] = ['closed', 'rejected'];
/** Cases in these statuses count as open for SLA indexes and dashboards. */
export const OPEN_STATUSES: readonly GrievanceStatus[] = GRIEVANCE_STATUSES.filter(
  (s) => s !== 'resolved' && !TERMINAL_STATUSES.includes(s)
);

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const CHANNELS = [
  'web',
  'mobile',
  'walk_in',
  'phone',
  'letter',
  'email',
  'sms',
  'whatsapp',
  'facebook',
  'chat',
  'open311',
] as const;
export type Channel = (typeof CHANNELS)[number];

export const SLA_STATES = ['on_track', 'at_risk', 'breached'] as const;
export type SlaState = (typeof SLA_STATES)[number];

/** Events a notification template can be written for. */
export const NOTIFICATION_EVENTS = [
  'received',
  'acknowledged',
  'assigned',
  'started',
  'escalated',
  'resolved',
  'closed',
  'auto_closed',
  'rejected',
  'appealed',
  'transfer_requested',
  'transferred',
  'reminder',
  'sla_at_risk',
  'sla_breached',
  'feedback_requested',
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

export const NOTIFICATION_CHANNELS = ['email', 'sms', 'whatsapp', 'in_app'] as const;
export const NOTIFICATION_AUDIENCES = [
  'citizen',
  'assignee',
  'department_head',
  'focal_person',
  'project_admin',
] as const;

export const SUPPORTED_LOCALES = ['en', 'fr', 'hi'] as const;
export const DEFAULT_LOCALE = 'en';
