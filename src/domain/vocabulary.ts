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

/** `no_limit`: the case's level sets no deadline (for example a court), so no clock runs. */
export const SLA_STATES = ['on_track', 'at_risk', 'breached', 'no_limit'] as const;
export type SlaState = (typeof SLA_STATES)[number];

/** Events a notification template can be written for. */
export const NOTIFICATION_EVENTS = [
  'received',
  'acknowledged',
  'assigned',
  'in_progress',
  'escalated',
  'resolved',
  'closed',
  'rejected',
  'appeal_received',
  'sla_at_risk',
  'sla_breached',
  'transfer_requested',
  'transfer_decided',
  'feedback_received',
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

export const NOTIFICATION_CHANNELS = ['email', 'sms', 'whatsapp', 'in_app'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];
/**
 * Who a message is for. `level_for_action`: whoever must act at the case's (new) level, its
 * assignee or, while nobody is assigned, the department head; `levels_for_information`: the
 * focal persons of the levels below, told for information (as financing institutions' GRMs ask).
 */
export const NOTIFICATION_AUDIENCES = [
  'citizen',
  'assignee',
  'level_for_action',
  'levels_for_information',
  'department_head',
  'project_admin',
] as const;
export type NotificationAudience = (typeof NOTIFICATION_AUDIENCES)[number];

export const SUPPORTED_LOCALES = ['en', 'fr', 'hi'] as const;
export const DEFAULT_LOCALE = 'en';
